//! Category colours that stay apart for colour-blind spectators, and the second channel (a
//! pattern per category number) that tells categories apart whatever their colours.
//!
//! "Apart" is measured: each colour is passed through a simulation of protanopia,
//! deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009, full severity, on linear
//! RGB), and the CIE76 colour difference (ΔE in CIELAB) between any two simulated colours
//! must stay at least `MIN_DELTA_E` — also against the grey of unavailable seats and the
//! near-black of chosen ones.

/// Default colours of categories 1, 2, 3…, in order: picked so that every pair stays at least
/// `MIN_DELTA_E` apart under each simulation (see the tests).
pub const PALETTE: [&str; 6] = [
    "#117733", "#aa4499", "#fdb863", "#56b4e9", "#332288", "#66a61e",
];

/// Unavailable seats' grey (under their hatching).
pub const TAKEN_GREY: &str = "#d4d4d4";
/// The ink of chosen seats and of marks on light colours (the stylesheet's `--ink`).
pub const INK: &str = "#161616";
/// Colours a seat can take besides its category's: unavailable and chosen.
pub const STATE_COLOURS: [&str; 2] = [TAKEN_GREY, INK];

/// ΔE76 below which two small dots are easily taken for one another.
pub const MIN_DELTA_E: f64 = 20.0;

/// The default colour of the `i`-th category (0-based), cycling.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vision {
    Typical,
    Protanopia,
    Deuteranopia,
    Tritanopia,
}

impl Vision {
    pub const ALL: [Vision; 4] = [
        Vision::Typical,
        Vision::Protanopia,
        Vision::Deuteranopia,
        Vision::Tritanopia,
    ];

    fn matrix(self) -> [[f64; 3]; 3] {
        match self {
            Vision::Typical => [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            Vision::Protanopia => [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
            Vision::Deuteranopia => [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
            Vision::Tritanopia => [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        }
    }
}

/// `#rrggbb` or `#rgb` as 0–255 channels.
pub fn parse_hex(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.trim().strip_prefix('#')?;
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    let channel = |i: usize| u8::from_str_radix(full.get(i..i + 2)?, 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

fn linear(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// CIELAB (D65) of linear RGB.
fn lab(rgb: [f64; 3]) -> [f64; 3] {
    let [r, g, b] = rgb.map(|v| v.clamp(0.0, 1.0));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// How `colour` looks to someone with `vision`, in CIELAB.
pub fn seen(colour: [u8; 3], vision: Vision) -> [f64; 3] {
    let l = colour.map(linear);
    let m = vision.matrix();
    let row = |i: usize| m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2];
    lab([row(0), row(1), row(2)])
}

/// The colour difference of two colours as `vision` sees them (CIE76 ΔE).
pub fn delta_e(a: [u8; 3], b: [u8; 3], vision: Vision) -> f64 {
    let (a, b) = (seen(a, vision), seen(b, vision));
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// The smallest difference between two colours over every kind of vision simulated.
pub fn worst_delta_e(a: [u8; 3], b: [u8; 3]) -> f64 {
    Vision::ALL
        .iter()
        .map(|v| delta_e(a, b, *v))
        .fold(f64::INFINITY, f64::min)
}

/// Pairs of colours (by index) that some spectators would take for one another: what the back
/// office warns about when a hall's categories are coloured.
pub fn confusable(colours: &[&str]) -> Vec<(usize, usize)> {
    let parsed: Vec<Option<[u8; 3]>> = colours.iter().map(|c| parse_hex(c)).collect();
    let mut out = Vec::new();
    for i in 0..parsed.len() {
        for j in i + 1..parsed.len() {
            if let (Some(a), Some(b)) = (parsed[i], parsed[j]) {
                if worst_delta_e(a, b) < MIN_DELTA_E {
                    out.push((i, j));
                }
            }
        }
    }
    out
}

/// The second channel: what is drawn over a category's colour, by category number, so that
/// two categories differ in texture even when their colours don't (for anyone, or in print).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texture {
    Plain,
    Stripes,
    Dots,
    Bars,
    Grid,
    Checks,
}

impl Texture {
    pub const ALL: [Texture; 6] = [
        Texture::Plain,
        Texture::Stripes,
        Texture::Dots,
        Texture::Bars,
        Texture::Grid,
        Texture::Checks,
    ];

    /// Category 1 plain, 2 stripes, 3 dots…, cycling.
    pub fn of_category(number: i64) -> Texture {
        let n = Texture::ALL.len() as i64;
        Texture::ALL[((number - 1).rem_euclid(n)) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(c: &str) -> [u8; 3] {
        parse_hex(c).expect("a colour")
    }

    #[test]
    fn the_palette_stays_apart_for_every_vision() {
        for vision in Vision::ALL {
            for (i, a) in PALETTE.iter().enumerate() {
                for b in PALETTE.iter().skip(i + 1).chain(STATE_COLOURS.iter()) {
                    let d = delta_e(rgb(a), rgb(b), vision);
                    assert!(d >= MIN_DELTA_E, "{a} and {b} under {vision:?}: ΔE {d:.1}");
                }
            }
        }
        assert!(confusable(&PALETTE).is_empty());
    }

    #[test]
    fn the_simulation_finds_the_pair_spectators_complained_of() {
        // Terracotta and olive, the old demo's categories 2 and 3: apart in typical vision,
        // one olive for someone with deuteranopia.
        let (a, b) = (rgb("#c0572d"), rgb("#6b8e23"));
        assert!(delta_e(a, b, Vision::Typical) > 30.0);
        assert!(delta_e(a, b, Vision::Deuteranopia) < 5.0);
        assert_eq!(confusable(&["#c0572d", "#6b8e23", "#332288"]), vec![(0, 1)]);
        // Red and green, the classic: apart for tritanopes, not for deuteranopes.
        let (red, green) = (rgb("#d62728"), rgb("#2ca02c"));
        assert!(delta_e(red, green, Vision::Tritanopia) > MIN_DELTA_E);
        assert!(delta_e(red, green, Vision::Deuteranopia) < MIN_DELTA_E);
        // Blue and yellow hold for red-green deficiencies.
        let (blue, yellow) = (rgb("#0072b2"), rgb("#f0e442"));
        assert!(delta_e(blue, yellow, Vision::Deuteranopia) > 50.0);
    }

    #[test]
    fn colours_parse_in_both_forms_and_cycle() {
        assert_eq!(parse_hex("#fc0"), Some([255, 204, 0]));
        assert_eq!(parse_hex(" #117733 "), Some([0x11, 0x77, 0x33]));
        assert_eq!(parse_hex("red"), None);
        assert_eq!(parse_hex("#12345"), None);
        assert_eq!(colour(0), PALETTE[0]);
        assert_eq!(colour(PALETTE.len()), PALETTE[0]);
        // Identical colours are confusable, whatever the vision.
        assert_eq!(confusable(&["#117733", "#117733"]), vec![(0, 1)]);
    }

    #[test]
    fn each_category_number_has_its_texture() {
        assert_eq!(Texture::of_category(1), Texture::Plain);
        assert_eq!(Texture::of_category(2), Texture::Stripes);
        assert_eq!(Texture::of_category(3), Texture::Dots);
        assert_eq!(Texture::of_category(7), Texture::Plain);
        assert_eq!(Texture::of_category(0), Texture::Checks);
        let six: Vec<Texture> = (1..=6).map(Texture::of_category).collect();
        for (i, t) in six.iter().enumerate() {
            assert!(!six[i + 1..].contains(t), "{t:?} twice");
        }
    }
}
