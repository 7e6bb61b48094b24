//! The seats of a seat map as one string of SVG, one element per seat. A 5,000-seat hall is
//! 5,000 elements: built as text they render in a few milliseconds on the server, and in the
//! browser nothing is created per seat but these elements (no closure, no signal, no listener
//! per seat). The map listens once on the seats' group and changes the few attributes a change
//! of state touches (`SeatLook`).
use super::booking::places::category_of;
use crate::domain::palette::INK;
use crate::dto::{SeatMap, SeatStatus};
use crate::i18n::Lang;
use std::collections::HashMap;
use std::fmt::Write;

/// What a seat shows at a moment: its state, whether it is checked, usable, the one reachable
/// with Tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeatLook {
    pub state: &'static str,
    pub checked: bool,
    pub disabled: bool,
    pub tab_stop: bool,
}

pub fn status_class(status: SeatStatus) -> &'static str {
    match status {
        SeatStatus::Free => "free",
        SeatStatus::Held => "held",
        SeatStatus::Sold => "sold",
        SeatStatus::Blocked => "blocked",
    }
}

impl SeatLook {
    #[cfg(test)]
    pub fn of(status: SeatStatus, selected: bool, sale_open: bool, tab_stop: bool) -> SeatLook {
        SeatLook::with_blocked(status, selected, sale_open, tab_stop, false)
    }

    /// As `of`; a blocked seat is usable when `blocked_ok` (a supervisor at the counter).
    pub fn with_blocked(
        status: SeatStatus,
        selected: bool,
        sale_open: bool,
        tab_stop: bool,
        blocked_ok: bool,
    ) -> SeatLook {
        let usable = status == SeatStatus::Free || (blocked_ok && status == SeatStatus::Blocked);
        SeatLook {
            state: if selected {
                "selected"
            } else {
                status_class(status)
            },
            checked: selected,
            disabled: !selected && (!usable || !sale_open),
            tab_stop,
        }
    }
}

/// The class of a seat element: `seat`, its state, its marks.
// Used by the browser's live updates (and the tests).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn seat_class(
    look: SeatLook,
    category: i64,
    accessible: bool,
    companion: bool,
    restricted: bool,
) -> String {
    let mut c = format!("seat {} cat{category}", look.state);
    if accessible {
        c.push_str(" seat-accessible");
    }
    if companion {
        c.push_str(" seat-companion");
    }
    if restricted {
        c.push_str(" seat-restricted");
    }
    c
}

/// A CSS colour as given (`#rgb` / `#rrggbb`), or the default blue.
pub fn safe_color(color: &str) -> String {
    let c = color.trim();
    let ok = c.starts_with('#')
        && (c.len() == 4 || c.len() == 7)
        && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if ok {
        c.to_string()
    } else {
        "#6a6af4".to_string()
    }
}

/// Dark or light ink for marks drawn over a category colour.
pub fn ink_for(color: &str) -> &'static str {
    let hex = color.trim().trim_start_matches('#');
    let parse = |s: &str| u8::from_str_radix(s, 16).ok().map(f64::from);
    let rgb = match hex.len() {
        6 => (parse(&hex[0..2]), parse(&hex[2..4]), parse(&hex[4..6])),
        3 => (
            parse(&hex[0..1].repeat(2)),
            parse(&hex[1..2].repeat(2)),
            parse(&hex[2..3].repeat(2)),
        ),
        _ => (None, None, None),
    };
    match rgb {
        (Some(r), Some(g), Some(b)) if 0.299 * r + 0.587 * g + 0.114 * b > 150.0 => INK,
        (Some(_), Some(_), Some(_)) => "#ffffff",
        _ => INK,
    }
}

/// Escapes text for an attribute value or element content.
pub fn escape(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(ch),
        }
    }
}

/// What a seat's accessible name says besides its place, per category: ", catégorie 2, 18 €".
fn category_tails(lang: Lang, map: &SeatMap) -> HashMap<i64, String> {
    map.categories
        .iter()
        .map(|c| {
            let mut tail = format!(", {} {}", lang.pick("catégorie", "category"), c.number);
            if let Some(price) = c.tariffs.first() {
                tail.push_str(", ");
                tail.push_str(&lang.price(price.price_cents));
            }
            // Plain spaces: screen readers don't need the typographic ones.
            (c.id, tail.replace(['\u{a0}', '\u{202f}'], " "))
        })
        .collect()
}

/// Writes a seat's accessible name, escaped: "Balcon, rang C, place 12, catégorie 2, 18 €"
/// (+ wheelchair / companion / restricted view). Written in place: 5,000 seats, no string each.
fn write_label(out: &mut String, lang: Lang, seat: &crate::dto::Seat, tail: Option<&str>) {
    escape(out, &seat.zone);
    out.push_str(lang.pick(", rang ", ", row "));
    escape(out, &seat.row);
    out.push_str(lang.pick(", place ", ", seat "));
    let _ = write!(out, "{}", seat.number);
    match tail {
        Some(t) => escape(out, t),
        None => {
            let _ = write!(
                out,
                ", {} {}",
                lang.pick("catégorie", "category"),
                seat.category
            );
        }
    }
    if seat.accessible {
        out.push_str(lang.pick(", place pour fauteuil roulant", ", wheelchair space"));
    }
    if seat.companion {
        out.push_str(lang.pick(", place accompagnateur", ", companion seat"));
    }
    if seat.restricted_view {
        out.push_str(lang.pick(", visibilité réduite", ", restricted view"));
    }
}

/// Every seat's accessible name in `lang` (the browser sets them again after a change of
/// language), as attribute values (not escaped).
// Used by the browser's live updates (and the tests).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn aria_labels(lang: Lang, map: &SeatMap) -> HashMap<i64, String> {
    let tails = category_tails(lang, map);
    map.seats
        .iter()
        .map(|seat| {
            let mut label = String::with_capacity(80);
            write_label(
                &mut label,
                lang,
                seat,
                tails.get(&seat.category_id).map(String::as_str),
            );
            (seat.id, unescape(&label))
        })
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// A coordinate as SVG attributes carry it (one decimal).
pub fn num(v: f64) -> String {
    format!("{v:.1}")
}

/// A seat's shape at (`x`, `y`), its attributes left open: a circle of radius `r` (written
/// `radius`), or a rounded square for a wheelchair place. Shared with the back office's editor.
pub fn open_shape(out: &mut String, x: i64, y: i64, accessible: bool, r: f64, radius: &str) {
    if accessible {
        let (x, y) = (x as f64, y as f64);
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}""#,
            num(x - r),
            num(y - r),
            num(2.0 * r),
            num(2.0 * r),
            num(r * 0.3)
        );
    } else {
        let _ = write!(out, r#"<circle cx="{x}" cy="{y}" r="{radius}""#);
    }
}

/// The seats' elements: a circle per seat, a rounded square for a wheelchair place, each a
/// checkbox of the seat map's roving-tabindex group. Built as plain text with whole-number
/// centres (seats sit on whole map units) and names written in place.
pub fn seats_svg(
    map: &SeatMap,
    lang: Lang,
    r: f64,
    look: impl Fn(i64, SeatStatus) -> SeatLook,
) -> String {
    let tails = category_tails(lang, map);
    let radius = num(r);
    let mut out = String::with_capacity(map.seats.len() * 230);
    for seat in &map.seats {
        let l = look(seat.id, seat.status);
        open_shape(&mut out, seat.x, seat.y, seat.accessible, r, &radius);
        let _ = write!(
            out,
            r#" data-seat-id="{}" class="seat {} cat{}"#,
            seat.id, l.state, seat.category
        );
        if seat.accessible {
            out.push_str(" seat-accessible");
        }
        if seat.companion {
            out.push_str(" seat-companion");
        }
        if seat.restricted_view {
            out.push_str(" seat-restricted");
        }
        let _ = write!(
            out,
            r#"" role="checkbox" aria-checked="{}" aria-disabled="{}" tabindex="{}" aria-label=""#,
            l.checked,
            l.disabled,
            if l.tab_stop { 0 } else { -1 },
        );
        write_label(
            &mut out,
            lang,
            seat,
            tails.get(&seat.category_id).map(String::as_str),
        );
        out.push_str(if seat.accessible {
            "\"></rect>"
        } else {
            "\"></circle>"
        });
    }
    out
}

/// The seats as the server sends them, before the page is interactive: shape and look only,
/// about 45 bytes a seat (a 5,000-seat hall would otherwise weigh a megabyte before the phone
/// can draw it). Nothing can be chosen before the wasm runs, so the checkbox roles and names
/// come with it: the browser then writes `seats_svg` in their place.
pub fn seats_svg_compact(map: &SeatMap, r: f64) -> String {
    let radius = num(r);
    let mut out = String::with_capacity(map.seats.len() * 48);
    for seat in &map.seats {
        open_shape(&mut out, seat.x, seat.y, seat.accessible, r, &radius);
        let _ = write!(out, r#" class="cat{}"#, seat.category);
        if seat.status != SeatStatus::Free {
            out.push_str(" t");
        }
        out.push_str("\"/>");
    }
    out
}

/// Each category's fill: its colour, with its texture (`domain::palette::Texture`) drawn over
/// it in the ink that contrasts with it — the second channel that tells categories apart when
/// colours don't. Patterns are sized to the seat they fill, so the legend's swatches look
/// like the seats. Returns the SVG patterns and the CSS that applies them (`.catN`, with no
/// weight, so that a seat's state — taken, chosen — wins over its category).
pub fn category_defs(map: &SeatMap) -> (String, String) {
    use crate::domain::palette::Texture;
    let mut patterns = String::new();
    let mut css = String::new();
    for c in &map.categories {
        let colour = safe_color(&c.color);
        let ink = ink_for(&colour);
        let n = c.number;
        let texture = Texture::of_category(n);
        if texture == Texture::Plain {
            let _ = write!(css, ":where(.cat{n}){{fill:{colour}}}");
            continue;
        }
        let _ = write!(css, ":where(.cat{n}){{fill:url(#cat-{n})}}");
        // Three tiles across a seat; coordinates in fractions of the seat.
        let t = 1.0 / 3.0;
        let over = match texture {
            Texture::Plain => String::new(),
            Texture::Stripes => format!(
                r#"<path d="M0 {t} L{t} 0 M-{h} {h} L{h} -{h} M{h} {th} L{th} {h}" stroke="{ink}" stroke-width="{w}"/>"#,
                t = num3(t),
                h = num3(t / 2.0),
                th = num3(1.5 * t),
                w = num3(t * 0.22)
            ),
            Texture::Dots => format!(
                r#"<circle cx="{h}" cy="{h}" r="{r}" fill="{ink}"/>"#,
                h = num3(t / 2.0),
                r = num3(t * 0.2)
            ),
            Texture::Bars => format!(
                r#"<rect y="{y}" width="{t}" height="{w}" fill="{ink}"/>"#,
                y = num3(t * 0.35),
                t = num3(t),
                w = num3(t * 0.3)
            ),
            Texture::Grid => format!(
                r#"<path d="M{h} 0 V{t} M0 {h} H{t}" stroke="{ink}" stroke-width="{w}"/>"#,
                h = num3(t / 2.0),
                t = num3(t),
                w = num3(t * 0.14)
            ),
            Texture::Checks => format!(
                r#"<rect width="{h}" height="{h}" fill="{ink}"/><rect x="{h}" y="{h}" width="{h}" height="{h}" fill="{ink}"/>"#,
                h = num3(t / 2.0)
            ),
        };
        let _ = write!(
            patterns,
            r#"<pattern id="cat-{n}" width="{t}" height="{t}" patternContentUnits="objectBoundingBox"><rect width="{t}" height="{t}" fill="{colour}"/><g opacity="0.7">{over}</g></pattern>"#,
            t = num3(t)
        );
    }
    (patterns, css)
}

fn num3(v: f64) -> String {
    format!("{v:.3}")
}

/// What is drawn over some seats (few): ♿ on wheelchair places, "A" on companion seats, a
/// corner on restricted-view seats. `data-mark-for` names the seat, whose state they follow.
pub fn marks_svg(map: &SeatMap, r: f64, look: impl Fn(i64, SeatStatus) -> SeatLook) -> String {
    let mut out = String::new();
    for seat in map
        .seats
        .iter()
        .filter(|s| s.accessible || s.companion || s.restricted_view)
    {
        let state = look(seat.id, seat.status).state;
        let (x, y) = (seat.x as f64, seat.y as f64);
        let ink = category_of(map, seat)
            .map(|c| ink_for(&safe_color(&c.color)))
            .unwrap_or("#161616");
        let mark = if seat.accessible {
            Some("♿")
        } else if seat.companion {
            Some("A")
        } else {
            None
        };
        if let Some(m) = mark {
            let _ = write!(
                out,
                r#"<text data-mark-for="{}" class="seat-mark {state}" x="{}" y="{}" text-anchor="middle" dominant-baseline="central" font-size="{}" fill="{ink}">{m}</text>"#,
                seat.id,
                num(x),
                num(y),
                num(r * 1.2)
            );
        }
        if seat.restricted_view {
            let _ = write!(
                out,
                r#"<path data-mark-for="{}" class="seat-restricted-mark {state}" d="M{} {} L{} {} L{} {} Z"></path>"#,
                seat.id,
                num(x + 0.25 * r),
                num(y - 1.05 * r),
                num(x + 1.05 * r),
                num(y - 1.05 * r),
                num(x + 1.05 * r),
                num(y - 0.25 * r)
            );
        }
    }
    out
}

/// The check mark drawn on a chosen seat (a shape, not colour alone).
pub fn check_path(x: f64, y: f64, r: f64) -> String {
    format!(
        "M{} {} L{} {} L{} {}",
        num(x - 0.5 * r),
        num(y),
        num(x - 0.12 * r),
        num(y + 0.4 * r),
        num(x + 0.5 * r),
        num(y - 0.42 * r)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::fixtures::seat_map as map;

    #[test]
    fn each_seat_is_one_checkbox_with_its_state_and_name() {
        let m = map(5);
        let labels = aria_labels(Lang::Fr, &m);
        let svg = seats_svg(&m, Lang::Fr, 8.0, |id, st| {
            SeatLook::of(st, id == 1, true, id == 1)
        });
        assert_eq!(svg.matches("role=\"checkbox\"").count(), 5);
        assert!(svg.contains(r##"data-seat-id="1" class="seat selected cat1" role="checkbox" aria-checked="true" aria-disabled="false" tabindex="0""##), "{svg}");
        assert!(svg.contains(r#"data-seat-id="5" class="seat sold cat1""#));
        assert!(svg.contains(
            r#"aria-disabled="true" tabindex="-1" aria-label="Orchestre, rang A, place 5"#
        ));
        // The wheelchair place is a square, and says so.
        assert!(svg.contains(r#"<rect x="32.0" y="92.0" width="16.0" height="16.0" rx="2.4" data-seat-id="2" class="seat free cat1 seat-accessible""#));
        assert!(labels[&2].ends_with("place pour fauteuil roulant"));
        let marks = marks_svg(&m, 8.0, |id, st| SeatLook::of(st, false, true, id == 1));
        assert_eq!(marks.matches("data-mark-for").count(), 3);
        assert!(marks.contains(">♿</text>") && marks.contains(">A</text>"));
    }

    #[test]
    fn names_are_escaped() {
        let mut m = map(1);
        m.seats[0].zone = "Loge <\"A\"> & co".into();
        let labels = aria_labels(Lang::En, &m);
        let svg = seats_svg(&m, Lang::En, 8.0, |_, st| {
            SeatLook::of(st, false, true, false)
        });
        assert!(
            svg.contains("Loge &lt;&quot;A&quot;&gt; &amp; co, row A, seat 1, category 1, €25.00"),
            "{svg}"
        );
        assert_eq!(
            labels[&1],
            "Loge <\"A\"> & co, row A, seat 1, category 1, €25.00"
        );
    }

    #[test]
    fn a_large_hall_is_compact_text() {
        let m = map(5000);
        let svg = seats_svg(&m, Lang::Fr, 8.0, |_, st| {
            SeatLook::of(st, false, true, false)
        });
        assert_eq!(
            svg.matches("<circle").count() + svg.matches("<rect").count(),
            5000
        );
        // One element per seat, about 230 bytes each with its accessible name.
        assert!(svg.len() < 5000 * 260, "{} bytes", svg.len());
    }

    #[test]
    fn the_server_sends_seats_as_shapes_only() {
        let m = map(5000);
        let svg = seats_svg_compact(&m, 8.0);
        assert_eq!(svg.matches("/>").count(), 5000);
        assert!(
            svg.starts_with(r#"<circle cx="20" cy="100" r="8.0" class="cat1"/>"#),
            "{svg}"
        );
        // The wheelchair place is a square; the sold seat looks taken.
        assert!(svg.contains(
            r#"<rect x="32.0" y="92.0" width="16.0" height="16.0" rx="2.4" class="cat1"/>"#
        ));
        assert!(svg.contains(r#"<circle cx="100" cy="100" r="8.0" class="cat1 t"/>"#));
        assert!(!svg.contains("aria-label"));
        // Within the page's budget of 120 bytes a seat, with room for the rest of the page.
        assert!(svg.len() < 5000 * 50, "{} bytes", svg.len());
    }

    #[test]
    fn categories_differ_by_texture_as_well_as_colour() {
        let mut m = map(3);
        let mut second = m.categories[0].clone();
        second.id = 8;
        second.number = 2;
        second.color = "#fdb863".into();
        m.categories.push(second);
        let (patterns, css) = category_defs(&m);
        // Category 1 is plain colour; category 2 has its stripes, in dark ink over the light
        // orange.
        assert!(css.contains(":where(.cat1){fill:#1f6feb}"), "{css}");
        assert!(css.contains(":where(.cat2){fill:url(#cat-2)}"), "{css}");
        assert!(!patterns.contains(r#"id="cat-1""#));
        assert!(patterns.contains(r##"<pattern id="cat-2""##), "{patterns}");
        assert!(
            patterns.contains(r##"fill="#fdb863""##) && patterns.contains(r##"stroke="#161616""##)
        );
        // A colour that is not one is not written.
        m.categories[1].color = "red}body{x".into();
        assert!(!category_defs(&m).1.contains("body"));
    }

    #[test]
    fn ink_contrasts_with_category_colour() {
        assert_eq!(ink_for("#ffffff"), "#161616");
        assert_eq!(ink_for("#000091"), "#ffffff");
        assert_eq!(ink_for("#fc0"), "#161616");
        assert_eq!(safe_color("red;x"), "#6a6af4");
        assert_eq!(safe_color("#AbC"), "#AbC");
    }
}
