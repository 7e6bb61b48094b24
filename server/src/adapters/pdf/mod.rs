//! PDF e-tickets ("billets électroniques").
//!
//! One A4 portrait page per ticket, drawn with `printpdf` 0.12:
//! - all text uses DejaVu Sans / DejaVu Sans Bold (French accents, « », œ, €, ’, —),
//!   embedded as a CIDFontType2 font;
//! - the QR code is drawn as vector filled rectangles (one per run of dark modules,
//!   runs repeated on consecutive rows are merged into one taller rectangle), 40 mm
//!   wide, 4-module quiet zone, error correction level M.
//!
//! # Speed
//!
//! A single-ticket PDF takes a fraction of a millisecond. What never changes is done once:
//! the fonts are subset at build time to a fixed Latin repertoire ([`CHARSET`]: ASCII,
//! Latin-1, Latin Extended-A and French/typographic punctuation; hinting removed) by
//! `scripts/subset-fonts.sh`, and [`PdfRenderer::new`] deflates both font programs and their
//! `/ToUnicode` maps once and keeps a template `PdfDocument` with both fonts registered.
//! Each [`PdfRenderer::render`] then clones the template, builds the page operations, lets
//! printpdf produce the lopdf document, swaps the pre-compressed streams in and deflates
//! what is left (the page contents) with `miniz_oxide` at a fast level. The QR mask is chosen
//! with a bit-set penalty evaluation (`qr_modules`): qrcode's own took ~40 % of a ticket.
//!
//! Characters outside [`CHARSET`] are printed as `?` (rather than an invisible
//! `.notdef` box).

use printpdf::{
    Color, CurTransMat, FontId, Greyscale, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, PdfWarnMsg, Point, Pt, Rect, Rgb, TextItem,
};

/// `(font name, object id)` of every stream that dictionaries of a lopdf document reference
/// under `$key` next to a name under `$name_key`: font programs (`FontFile2` / `FontName` in
/// descriptors) and `/ToUnicode` maps (`ToUnicode` / `BaseFont` in Type0 fonts). A macro
/// because printpdf does not re-export lopdf and the server does not depend on it: the types
/// are only ever inferred.
macro_rules! named_streams {
    ($lo:expr, $key:expr, $name_key:expr) => {
        $lo.objects
            .values()
            .filter_map(|obj| {
                let dict = obj.as_dict().ok()?;
                let file: (u32, u16) = dict.get($key).ok()?.as_reference().ok()?;
                let name = dict.get($name_key).ok()?.as_name().ok()?;
                Some((String::from_utf8_lossy(name).into_owned(), file))
            })
            .collect::<Vec<(String, (u32, u16))>>()
    };
}

/// DejaVu Sans subset to [`CHARSET`] by `scripts/subset-fonts.sh`.
const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Latin.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold-Latin.ttf");

/// Embedded font names. The six-letter `XXXXXX+` tag marks a subset font (ISO 32000-1,
/// 9.6.4); it must differ between the two subsets.
const REGULAR_NAME: &str = "GTKTRA+DejaVuSans";
const BOLD_NAME: &str = "GTKTRB+DejaVuSans-Bold";

/// Unicode repertoire of the embedded fonts (inclusive ranges); `scripts/subset-fonts.sh`
/// keeps the same list.
pub const CHARSET: &[(u32, u32)] = &[
    (0x20, 0x7E),     // ASCII
    (0xA0, 0xFF),     // Latin-1 (é, à, ç, «, », nbsp, °, …)
    (0x100, 0x17F),   // Latin Extended-A (Œ, œ, Ÿ, names: Ł, ř, ș…)
    (0x218, 0x21B),   // Ș ș Ț ț
    (0x2C6, 0x2C7),   // ˆ ˇ
    (0x2D8, 0x2DD),   // ˘ ˙ ˚ ˛ ˜ ˝
    (0x2009, 0x200A), // thin / hair space
    (0x2010, 0x2014), // hyphens, en dash, em dash
    (0x2018, 0x201E), // ‘ ’ ‚ “ ” „
    (0x2020, 0x2022), // † ‡ •
    (0x2026, 0x2026), // …
    (0x202F, 0x202F), // narrow no-break space (French « : ; ! ? »)
    (0x2030, 0x2030), // ‰
    (0x2039, 0x203A), // ‹ ›
    (0x20AC, 0x20AC), // €
    (0x2116, 0x2116), // №
    (0x2122, 0x2122), // ™
    (0x2190, 0x2193), // arrows
    (0x2212, 0x2212), // minus
];

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
/// A ticket printer's roll: 80 mm paper, one ticket per 150 mm "page".
const ROLL_W: f32 = 80.0;
const ROLL_H: f32 = 150.0;
const ROLL_MARGIN: f32 = 5.0;

/// Ticket box on the page (mm, from the top-left corner).
const BOX_X: f32 = 15.0;
const BOX_W: f32 = 180.0;
const BOX_TOP: f32 = 15.0;
const BOX_H: f32 = 122.0;
const BAND_H: f32 = 12.0;
/// Left text column.
const TEXT_X: f32 = 22.0;
const TEXT_MAX_W: f32 = 118.0;
/// QR symbol size (without quiet zone) and placement.
const QR_SIZE: f32 = 40.0;
const QR_QUIET_MODULES: usize = 4;

pub use crate::ports::{TicketDoc, TicketLayout};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("QR code: {0}")]
    Qr(String),
    #[error("font: {0}")]
    Font(String),
    #[error("PDF serialisation: {0}")]
    Write(String),
}

/// The highest character of [`CHARSET`] (widths are looked up in a table this long).
const LAST_CHAR: usize = 0x2212;

/// One embedded face: its printpdf id, advance widths for layout and its pre-compressed
/// font program and `/ToUnicode` map.
#[derive(Debug, Clone)]
struct Face {
    id: FontId,
    name: &'static str,
    /// Advance widths in 1/1000 em, indexed by character code; 0 for characters the face
    /// cannot draw.
    widths: Vec<u16>,
    /// zlib-compressed font program, ready for `/FontFile2 /FlateDecode`.
    program_deflated: Vec<u8>,
    /// zlib-compressed `/ToUnicode` CMap (printpdf writes the same one in every document).
    to_unicode_deflated: Vec<u8>,
}

impl Face {
    fn width(&self, c: char) -> u16 {
        self.widths.get(c as usize).copied().unwrap_or(0)
    }

    fn text_width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| match self.width(c) {
                0 => 600,
                w => u32::from(w),
            })
            .sum();
        units as f32 / 1000.0 * size_pt * 25.4 / 72.0
    }
}

/// Builds ticket PDFs. Create once (font compression happens in [`PdfRenderer::new`]) and
/// share: it is `Send + Sync` and `render` takes `&self`.
#[derive(Debug, Clone)]
pub struct PdfRenderer {
    template: PdfDocument,
    regular: Face,
    bold: Face,
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PdfRenderer>();
};

impl PdfRenderer {
    pub fn new() -> Result<PdfRenderer, PdfError> {
        let chars: Vec<char> = CHARSET
            .iter()
            .flat_map(|&(a, b)| (a..=b).filter_map(char::from_u32))
            .collect();

        let mut template = PdfDocument::new("Billet");
        template.metadata.info.creator = "Guichet".into();
        template.metadata.info.producer = "Guichet (printpdf)".into();

        let reg_font = load_face(REGULAR_TTF, REGULAR_NAME)?;
        let bold_font = load_face(BOLD_TTF, BOLD_NAME)?;
        // Only characters both faces draw are printed as themselves.
        let both: Vec<char> = chars
            .iter()
            .copied()
            .filter(|&c| {
                reg_font.lookup_glyph_index(c as u32).is_some()
                    && bold_font.lookup_glyph_index(c as u32).is_some()
            })
            .collect();

        let reg_id = template.add_font(&reg_font);
        let bold_id = template.add_font(&bold_font);
        let face = |id, name, font: &ParsedFont| Face {
            id,
            name,
            widths: widths_of(font, &both),
            program_deflated: Vec::new(),
            to_unicode_deflated: Vec::new(),
        };
        let mut regular = face(reg_id, REGULAR_NAME, &reg_font);
        let mut bold = face(bold_id, BOLD_NAME, &bold_font);

        // Let lopdf deflate each font program and ToUnicode map once, from a throw-away
        // document that prints every character with both faces (printpdf maps only the
        // glyphs a document uses; this map covers all of them), and keep the compressed bytes.
        let everything: String = both.iter().collect();
        let probe = |face: &Face| Op::SetFont {
            font: PdfFontHandle::External(face.id.clone()),
            size: Pt(10.0),
        };
        let ops = vec![
            Op::StartTextSection,
            probe(&regular),
            Op::ShowText {
                items: vec![TextItem::Text(everything.clone())],
            },
            probe(&bold),
            Op::ShowText {
                items: vec![TextItem::Text(everything)],
            },
            Op::EndTextSection,
        ];
        let mut doc = template.clone();
        doc.with_pages(vec![PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops)]);
        let mut warnings = Vec::new();
        let mut lo = doc.to_lopdf_document(&save_options(), &mut warnings);
        lo.compress();
        let programs = named_streams!(lo, b"FontFile2", b"FontName");
        let maps = named_streams!(lo, b"ToUnicode", b"BaseFont");
        for face in [&mut regular, &mut bold] {
            let compressed = |streams: &[(String, (u32, u16))], what: &str| {
                let id = streams
                    .iter()
                    .find(|(name, _)| name == face.name)
                    .map(|(_, id)| *id)
                    .ok_or_else(|| PdfError::Font(format!("{}: no {what}", face.name)))?;
                let stream = lo
                    .get_object(id)
                    .and_then(|o| o.as_stream())
                    .map_err(|e| PdfError::Font(format!("{}: {e}", face.name)))?;
                let filter = stream
                    .dict
                    .get(b"Filter")
                    .ok()
                    .and_then(|f| f.as_name().ok());
                if filter != Some(b"FlateDecode".as_slice()) {
                    return Err(PdfError::Font(format!(
                        "{}: {what} not compressed",
                        face.name
                    )));
                }
                Ok(stream.content.clone())
            };
            face.program_deflated = compressed(&programs, "font program")?;
            face.to_unicode_deflated = compressed(&maps, "ToUnicode map")?;
        }

        Ok(PdfRenderer {
            template,
            regular,
            bold,
        })
    }

    /// One PDF with one A4 portrait page per ticket, in the given order.
    pub fn render(&self, tickets: &[TicketDoc]) -> Result<Vec<u8>, PdfError> {
        self.render_as(tickets, TicketLayout::A4)
    }

    /// One PDF with one page per ticket: A4, or 80 mm wide for a ticket printer's roll.
    pub fn render_as(
        &self,
        tickets: &[TicketDoc],
        layout: TicketLayout,
    ) -> Result<Vec<u8>, PdfError> {
        let (w, h) = match layout {
            TicketLayout::A4 => (PAGE_W, PAGE_H),
            TicketLayout::Roll => (ROLL_W, ROLL_H),
        };
        let mut pages = Vec::with_capacity(tickets.len().max(1));
        for t in tickets {
            let ops = match layout {
                TicketLayout::A4 => self.page_ops(t)?,
                TicketLayout::Roll => self.roll_ops(t)?,
            };
            pages.push(PdfPage::new(Mm(w), Mm(h), ops));
        }
        if pages.is_empty() {
            // A PDF needs at least one page; an empty order gives a blank page.
            pages.push(PdfPage::new(Mm(w), Mm(h), Vec::new()));
        }

        let title = match tickets {
            [one] => format!("Billet {} — {}", one.number, self.clean(&one.title)),
            _ => format!("Billets ({})", tickets.len()),
        };
        self.finish(pages, title)
    }

    /// The document of `pages`: the embedded faces swapped in pre-compressed, contents
    /// deflated.
    fn finish(&self, pages: Vec<PdfPage>, title: String) -> Result<Vec<u8>, PdfError> {
        let mut doc = self.template.clone();
        doc.metadata.info.document_title = title;
        let now = chrono::Utc::now().timestamp();
        if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(now) {
            doc.metadata.info.creation_date = date;
            doc.metadata.info.modification_date = date;
            doc.metadata.info.metadata_date = date;
        }
        doc.with_pages(pages);

        let mut warnings: Vec<PdfWarnMsg> = Vec::new();
        let mut lo = doc.to_lopdf_document(&save_options(), &mut warnings);

        // Swap in the pre-compressed font programs and ToUnicode maps: `/Filter` set, they
        // are left alone by the deflate pass below.
        let programs = named_streams!(lo, b"FontFile2", b"FontName");
        let maps = named_streams!(lo, b"ToUnicode", b"BaseFont");
        let streams = programs
            .into_iter()
            .map(|s| (s, true))
            .chain(maps.into_iter().map(|s| (s, false)));
        for ((name, id), program) in streams {
            let face = if name == self.regular.name {
                &self.regular
            } else if name == self.bold.name {
                &self.bold
            } else {
                continue;
            };
            if let Ok(stream) = lo.get_object_mut(id).and_then(|o| o.as_stream_mut()) {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(if program {
                    face.program_deflated.clone()
                } else {
                    face.to_unicode_deflated.clone()
                });
            }
        }
        // printpdf always writes /GTS_PDFXVersion into the Info dictionary, which
        // readers take as a PDF/X conformance claim this document does not meet.
        if let Ok(info) = lo.trailer.get(b"Info").and_then(|o| o.as_reference()) {
            if let Ok(dict) = lo.get_object_mut(info).and_then(|o| o.as_dict_mut()) {
                dict.remove(b"GTS_PDFXVersion");
            }
        }
        // Deflate what is left (the page contents) at a fast level: lopdf's `compress()`
        // runs zlib level 9, which alone cost ~35 % of the time of a ticket.
        for obj in lo.objects.values_mut() {
            if let Ok(stream) = obj.as_stream_mut() {
                if stream.dict.get(b"Filter").is_err() {
                    let packed = zlib(&stream.content);
                    if packed.len() < stream.content.len() {
                        stream.dict.set("Filter", "FlateDecode");
                        stream.set_content(packed);
                    }
                }
            }
        }

        let mut out = Vec::with_capacity(48 * 1024);
        lo.save_to(&mut out)
            .map_err(|e| PdfError::Write(e.to_string()))?;
        Ok(out)
    }

    /// Replace characters the embedded fonts cannot draw.
    fn clean(&self, s: &str) -> String {
        s.chars()
            .map(|c| {
                if self.regular.width(c) != 0 {
                    c
                } else if c.is_whitespace() {
                    ' '
                } else {
                    '?'
                }
            })
            .collect()
    }

    /// A performance's statement on A4 pages: its tariffs (series, numbers used, tickets,
    /// receipts), its channels, the house by category, the totals.
    /// An A4 report: a heading, lines under it, tables (a title, a header row, rows; cells at
    /// x mm, numbers right-aligned on their x), a footer line. Tables run on to new pages.
    fn report(&self, r: Report) -> Result<Vec<u8>, PdfError> {
        const LEFT: f32 = 15.0;
        const BOTTOM: f32 = 280.0;
        let mut pages: Vec<Vec<Op>> = Vec::new();
        let mut p = Painter {
            ops: Vec::with_capacity(400),
            r: self,
            page_h: PAGE_H,
        };
        let mut y = 20.0;
        p.text_fit(&self.bold, 15.0, LEFT, y, &r.heading, 180.0);
        y += 8.0;
        if let Some((first, rest)) = r.lines.split_first() {
            p.text_fit(&self.bold, 12.0, LEFT, y, first, 180.0);
            y += 6.0;
            for l in rest {
                p.text_fit(&self.regular, 10.0, LEFT, y, l, 180.0);
                y += 5.0;
            }
        }
        y += 5.0;
        let row = |p: &mut Painter, y: f32, face: &Face, cells: &[Cell]| {
            for c in cells {
                if c.right {
                    let w = face.text_width_mm(&p.r.clean(&c.text), 9.0);
                    p.text(face, 9.0, c.x - w, y, &c.text);
                } else {
                    p.text_fit(face, 9.0, c.x, y, &c.text, 48.0);
                }
            }
        };
        for t in r.tables {
            if y + 16.0 > BOTTOM {
                pages.push(std::mem::take(&mut p.ops));
                y = 20.0;
            }
            p.text(&self.bold, 11.0, LEFT, y, &t.title);
            y += 6.0;
            row(&mut p, y, &self.bold, &t.head);
            y += 1.5;
            p.ops.push(Op::SetFillColor { col: grey(0.5) });
            p.rect(LEFT, y, 180.0, 0.25, PaintMode::Fill);
            p.ops.push(Op::SetFillColor { col: grey(0.0) });
            y += 4.5;
            for cells in &t.rows {
                if y > BOTTOM {
                    pages.push(std::mem::take(&mut p.ops));
                    y = 20.0;
                    row(&mut p, y, &self.bold, &t.head);
                    y += 6.0;
                }
                row(&mut p, y, &self.regular, cells);
                y += 4.8;
            }
            y += 6.0;
        }
        p.text(&self.regular, 8.5, LEFT, BOTTOM + 8.0, &r.footer);
        pages.push(p.ops);
        let pages = pages
            .into_iter()
            .map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops))
            .collect();
        let title = self.clean(&r.title);
        self.finish(pages, title)
    }

    pub fn statement(&self, st: &app::box_office::Statement) -> Result<Vec<u8>, PdfError> {
        let euros = |c: i64| app::domain::Cents(c).amount_fr();
        let mut tariff_rows: Vec<Vec<Cell>> = st
            .tariffs
            .iter()
            .map(|t| {
                vec![
                    Cell::left(15.0, &t.label),
                    Cell::left(65.0, &t.series),
                    Cell::right(118.0, format!("{:06}", t.first_number)),
                    Cell::right(138.0, format!("{:06}", t.last_number)),
                    Cell::right(153.0, t.issued.to_string()),
                    Cell::right(168.0, t.cancelled.to_string()),
                    Cell::right(195.0, euros(t.receipts_cents)),
                ]
            })
            .collect();
        tariff_rows.push(vec![
            Cell::left(15.0, "Total"),
            Cell::right(153.0, st.totals.issued.to_string()),
            Cell::right(168.0, st.totals.cancelled.to_string()),
            Cell::right(195.0, euros(st.totals.receipts_cents)),
        ]);
        let channel_rows = st
            .channels
            .iter()
            .map(|c| {
                let label = match c.channel.as_str() {
                    "box_office" => "Guichet",
                    "online" => "En ligne",
                    other => other,
                };
                vec![
                    Cell::left(15.0, label),
                    Cell::right(153.0, c.tickets.to_string()),
                    Cell::right(195.0, euros(c.receipts_cents)),
                ]
            })
            .collect();
        let seat_rows = st
            .seats
            .iter()
            .map(|c| {
                vec![
                    Cell::left(15.0, &c.category),
                    Cell::right(138.0, c.free.to_string()),
                    Cell::right(153.0, c.held.to_string()),
                    Cell::right(168.0, c.sold.to_string()),
                    Cell::right(195.0, c.blocked.to_string()),
                ]
            })
            .collect();
        let when = capitalize(&app::domain::paris::datetime_fr(st.starts_at.0));
        self.report(Report {
            title: format!("Relevé — {}", st.title),
            heading: "Relevé de recettes de la séance".into(),
            lines: vec![
                st.title.clone(),
                format!(
                    "{when} — {} — {} ({} places)",
                    st.venue, st.hall, st.capacity
                ),
            ],
            tables: vec![
                Table {
                    title: "Billetterie par tarif".into(),
                    head: vec![
                        Cell::left(15.0, "Tarif"),
                        Cell::left(65.0, "Série"),
                        Cell::right(118.0, "Premier n°"),
                        Cell::right(138.0, "Dernier n°"),
                        Cell::right(153.0, "Émis"),
                        Cell::right(168.0, "Annulés"),
                        Cell::right(195.0, "Recette"),
                    ],
                    rows: tariff_rows,
                },
                Table {
                    title: "Par canal de vente".into(),
                    head: vec![
                        Cell::left(15.0, "Canal"),
                        Cell::right(153.0, "Billets"),
                        Cell::right(195.0, "Recette"),
                    ],
                    rows: channel_rows,
                },
                Table {
                    title: "Jauge par catégorie".into(),
                    head: vec![
                        Cell::left(15.0, "Catégorie"),
                        Cell::right(138.0, "Libres"),
                        Cell::right(153.0, "Retenues"),
                        Cell::right(168.0, "Vendues"),
                        Cell::right(195.0, "Bloquées"),
                    ],
                    rows: seat_rows,
                },
            ],
            footer: format!(
                "Édité le {} — invitations : {}",
                app::domain::paris::datetime_fr(st.generated_at.0),
                st.totals.invitations
            ),
        })
    }

    /// A Z report: the closure's totals by means, tariff and VAT rate, the desks' cash, its
    /// place in the journal (sequence number and hash).
    pub fn closure(&self, z: &app::box_office::ClosureReport) -> Result<Vec<u8>, PdfError> {
        let euros = |c: i64| app::domain::Cents(c).amount_fr();
        let method_label = |m: &str| {
            app::domain::journal::PaymentMethod::parse(m)
                .map_or_else(|| m.to_string(), |m| capitalize(m.fr()))
        };
        let by_method = z
            .totals_by_method
            .iter()
            .map(|(m, c)| {
                vec![
                    Cell::left(15.0, method_label(m)),
                    Cell::right(195.0, euros(*c)),
                ]
            })
            .collect();
        let by_tariff = z
            .totals_by_tariff
            .iter()
            .map(|(t, v)| {
                vec![
                    Cell::left(15.0, t),
                    Cell::right(153.0, v.count.to_string()),
                    Cell::right(195.0, euros(v.cents)),
                ]
            })
            .collect();
        let by_vat = z
            .totals_by_vat_rate
            .iter()
            .map(|(rate, v)| {
                let bp: i64 = rate.parse().unwrap_or(0);
                vec![
                    Cell::left(15.0, format!("{},{:02} %", bp / 100, bp % 100)),
                    Cell::right(153.0, euros(v.base_cents)),
                    Cell::right(173.0, euros(v.vat_cents)),
                    Cell::right(195.0, euros(v.base_cents + v.vat_cents)),
                ]
            })
            .collect();
        let cash = z
            .cash
            .iter()
            .map(|d| {
                vec![
                    Cell::left(15.0, &d.desk),
                    Cell::right(113.0, euros(d.opening_float_cents)),
                    Cell::right(138.0, euros(d.expected_cents)),
                    Cell::right(163.0, euros(d.counted_cents)),
                    Cell::right(195.0, euros(d.difference_cents)),
                ]
            })
            .collect();
        let day = |t: i64| app::domain::paris::datetime_fr(t);
        self.report(Report {
            title: format!("Clôture {}", z.period),
            heading: format!("Clôture (ticket Z) — {}", z.period),
            lines: vec![
                format!("Du {} au {}", day(z.from.0), day(z.until.0)),
                format!(
                    "Écriture n° {} du journal, clôturée le {} — {} écritures",
                    z.seq,
                    day(z.closed_at.0),
                    z.entries
                ),
                format!(
                    "Billets vendus : {} — annulés : {} — total de la période : {} — total perpétuel : {}",
                    z.tickets_sold,
                    z.tickets_cancelled,
                    euros(z.period_total_cents),
                    euros(z.cumulative_total_cents)
                ),
            ],
            tables: vec![
                Table {
                    title: "Par moyen de paiement (remboursements déduits)".into(),
                    head: vec![Cell::left(15.0, "Moyen"), Cell::right(195.0, "Montant")],
                    rows: by_method,
                },
                Table {
                    title: "Par tarif".into(),
                    head: vec![
                        Cell::left(15.0, "Tarif"),
                        Cell::right(153.0, "Billets"),
                        Cell::right(195.0, "Montant"),
                    ],
                    rows: by_tariff,
                },
                Table {
                    title: "Par taux de TVA".into(),
                    head: vec![
                        Cell::left(15.0, "Taux"),
                        Cell::right(153.0, "Base HT"),
                        Cell::right(173.0, "TVA"),
                        Cell::right(195.0, "TTC"),
                    ],
                    rows: by_vat,
                },
                Table {
                    title: "Espèces par caisse".into(),
                    head: vec![
                        Cell::left(15.0, "Caisse"),
                        Cell::right(113.0, "Fonds"),
                        Cell::right(138.0, "Attendu"),
                        Cell::right(163.0, "Compté"),
                        Cell::right(195.0, "Écart"),
                    ],
                    rows: cash,
                },
            ],
            footer: format!("Empreinte SHA-256 de la clôture : {}", z.hash),
        })
    }

    /// A ticket on 80 mm roll paper (thermal ticket printers print 72 mm of it): the same
    /// mentions as the A4 ticket, one column, the QR code centred under them.
    fn roll_ops(&self, t: &TicketDoc) -> Result<Vec<Op>, PdfError> {
        let mut p = Painter {
            ops: Vec::with_capacity(120),
            r: self,
            page_h: ROLL_H,
        };
        let (x, w) = (ROLL_MARGIN, ROLL_W - 2.0 * ROLL_MARGIN);
        p.ops.push(Op::SetFillColor { col: grey(0.0) });
        let mut y = 8.0;
        p.text_fit(&self.bold, 8.5, x, y, &t.operator, w);
        y += 4.5;
        p.text_fit(&self.regular, 8.0, x, y, &t.kind_label, w);
        y += 7.0;
        for line in wrap(&self.bold, 13.0, &self.clean(&t.title), w, 2) {
            p.text(&self.bold, 13.0, x, y, &line);
            y += 5.5;
        }
        y += 0.5;
        p.text_fit(
            &self.bold,
            10.0,
            x,
            y,
            &capitalize(&app::domain::paris::datetime_fr(t.starts_at)),
            w,
        );
        y += 5.0;
        p.text_fit(&self.regular, 8.5, x, y, &t.venue, w);
        y += 4.0;
        p.text_fit(&self.regular, 8.0, x, y, &t.venue_address, w);
        y += 4.0;
        p.text_fit(
            &self.regular,
            8.5,
            x,
            y,
            &format!("Salle\u{a0}: {}", t.hall),
            w,
        );
        y += 6.5;
        let seat = t.seat.as_deref().unwrap_or("Placement libre");
        p.text_fit(&self.bold, 11.0, x, y, seat, w);
        y += 5.0;
        if let Some(cat) = &t.category {
            p.text_fit(&self.regular, 8.5, x, y, cat, w);
            y += 4.0;
        }
        let price = app::domain::Cents(t.price_cents).fr();
        p.text_fit(
            &self.regular,
            9.0,
            x,
            y,
            &format!("{}\u{a0}: {}", t.tariff_label, price),
            w,
        );
        y += 4.5;
        if t.proof_required {
            p.text_fit(&self.bold, 8.5, x, y, "Justificatif demandé à l'entrée", w);
            y += 4.5;
        }
        y += 1.0;
        p.text_fit(
            &self.regular,
            8.0,
            x,
            y,
            &format!("Titulaire\u{a0}: {}", t.holder_name),
            w,
        );
        y += 4.0;
        p.text_fit(
            &self.regular,
            8.0,
            x,
            y,
            &format!("Billet n°\u{a0}{}", t.number),
            w,
        );
        y += 4.0;
        p.text_fit(
            &self.regular,
            8.0,
            x,
            y,
            &format!("Commande\u{a0}: {}", t.order_reference),
            w,
        );
        y += 4.0;
        p.qr(&t.code, (ROLL_W - QR_SIZE) / 2.0, y)?;
        y += QR_SIZE + 5.0;
        for line in wrap(
            &self.bold,
            7.5,
            "Billet valable uniquement pour la séance indiquée — 1 billet = 1 personne",
            w,
            2,
        ) {
            p.text(&self.bold, 7.5, x, y, &line);
            y += 3.5;
        }
        Ok(p.ops)
    }

    fn page_ops(&self, t: &TicketDoc) -> Result<Vec<Op>, PdfError> {
        let mut p = Painter {
            ops: Vec::with_capacity(160),
            r: self,
            page_h: PAGE_H,
        };
        let black = grey(0.0);
        let box_bottom = BOX_TOP + BOX_H;

        // Frame and header band.
        p.ops.push(Op::SetOutlineColor { col: grey(0.35) });
        p.ops.push(Op::SetOutlineThickness { pt: Pt(0.8) });
        p.rect(BOX_X, BOX_TOP, BOX_W, BOX_H, PaintMode::Stroke);
        p.ops.push(Op::SetFillColor {
            col: Color::Rgb(Rgb::new(0.13, 0.18, 0.29, None)),
        });
        p.rect(BOX_X, BOX_TOP, BOX_W, BAND_H, PaintMode::Fill);
        p.ops.push(Op::SetFillColor { col: grey(1.0) });
        let kind = self.clean(&t.kind_label);
        let kind_w = self.bold.text_width_mm(&kind, 10.0);
        let band_base = BOX_TOP + BAND_H / 2.0 + 1.4;
        let operator_max = BOX_W - 14.0 - kind_w - 6.0;
        p.text_fit(
            &self.bold,
            10.0,
            TEXT_X,
            band_base,
            &t.operator,
            operator_max,
        );
        p.text(
            &self.bold,
            10.0,
            BOX_X + BOX_W - 7.0 - kind_w,
            band_base,
            &kind,
        );

        p.ops.push(Op::SetFillColor { col: black.clone() });
        let mut y = BOX_TOP + BAND_H + 10.0;

        // Title (up to two lines).
        for line in wrap(&self.bold, 18.0, &self.clean(&t.title), TEXT_MAX_W, 2) {
            p.text(&self.bold, 18.0, TEXT_X, y, &line);
            y += 7.5;
        }
        y += 1.0;
        p.text_fit(
            &self.bold,
            12.5,
            TEXT_X,
            y,
            &capitalize(&app::domain::paris::datetime_fr(t.starts_at)),
            TEXT_MAX_W,
        );
        y += 7.0;
        p.text_fit(&self.bold, 10.5, TEXT_X, y, &t.venue, TEXT_MAX_W);
        y += 5.0;
        p.text_fit(&self.regular, 9.5, TEXT_X, y, &t.venue_address, TEXT_MAX_W);
        y += 5.0;
        p.text_fit(
            &self.regular,
            9.5,
            TEXT_X,
            y,
            &format!("Salle\u{a0}: {}", t.hall),
            TEXT_MAX_W,
        );
        y += 9.0;

        // Seat, category, tariff.
        let seat = t.seat.as_deref().unwrap_or("Placement libre");
        p.text_fit(&self.bold, 14.0, TEXT_X, y, seat, TEXT_MAX_W);
        y += 6.0;
        if let Some(cat) = &t.category {
            p.text_fit(&self.regular, 10.5, TEXT_X, y, cat, TEXT_MAX_W);
            y += 5.5;
        }
        let price = app::domain::Cents(t.price_cents).fr();
        p.text_fit(
            &self.regular,
            10.5,
            TEXT_X,
            y,
            &format!("{}\u{a0}: {}", t.tariff_label, price),
            TEXT_MAX_W,
        );
        y += 5.5;
        if t.proof_required {
            p.text(
                &self.bold,
                10.5,
                TEXT_X,
                y,
                "Justificatif demandé à l'entrée",
            );
            y += 5.5;
        }
        y += 3.0;

        // Holder and references.
        p.text_fit(
            &self.regular,
            10.0,
            TEXT_X,
            y,
            &format!("Titulaire\u{a0}: {}", t.holder_name),
            TEXT_MAX_W,
        );
        y += 5.0;
        p.text_fit(
            &self.regular,
            10.0,
            TEXT_X,
            y,
            &format!("Billet n°\u{a0}{}", t.number),
            TEXT_MAX_W,
        );
        y += 5.0;
        p.text_fit(
            &self.regular,
            10.0,
            TEXT_X,
            y,
            &format!("Commande\u{a0}: {}", t.order_reference),
            TEXT_MAX_W,
        );

        // Validity line at the bottom of the box, under a rule.
        let rule_y = box_bottom - 10.0;
        p.ops.push(Op::SetFillColor { col: grey(0.6) });
        p.rect(BOX_X + 4.0, rule_y, BOX_W - 8.0, 0.25, PaintMode::Fill);
        p.ops.push(Op::SetFillColor { col: black.clone() });
        p.text(
            &self.bold,
            9.5,
            TEXT_X,
            box_bottom - 4.0,
            "Billet valable uniquement pour la séance indiquée — 1 billet = 1 personne",
        );

        // QR code, right column, vertically centred between band and rule.
        let qr_x = BOX_X + BOX_W - 7.0 - QR_SIZE;
        let qr_top = BOX_TOP + BAND_H + 12.0;
        p.qr(&t.code, qr_x, qr_top)?;
        let number = self.clean(&t.number);
        let nw = self.regular.text_width_mm(&number, 8.0);
        let number_y = qr_top + QR_SIZE + QR_QUIET_MODULES as f32 + 4.0;
        p.text(
            &self.regular,
            8.0,
            qr_x + (QR_SIZE - nw) / 2.0,
            number_y,
            &number,
        );

        // Instructions under the ticket.
        p.ops.push(Op::SetFillColor { col: grey(0.25) });
        let notes = [
            "Présentez ce billet à l'entrée, imprimé ou sur l'écran de votre téléphone.",
            "Le QR code est contrôlé à l'entrée : un billet ne permet qu'un seul passage.",
        ];
        let mut ny = box_bottom + 8.0;
        for n in notes {
            p.text(&self.regular, 9.0, BOX_X, ny, n);
            ny += 4.5;
        }
        Ok(p.ops)
    }
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level, None))
}

fn save_options() -> PdfSaveOptions {
    PdfSaveOptions {
        optimize: true,
        // Irrelevant without printpdf's `text_layout` feature; we subset ourselves.
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    }
}

/// Parses a face with printpdf and names it.
fn load_face(ttf: &[u8], name: &str) -> Result<ParsedFont, PdfError> {
    let mut warnings = Vec::new();
    let mut font = ParsedFont::from_bytes(ttf, 0, &mut warnings)
        .ok_or_else(|| PdfError::Font(format!("cannot parse {name}: {warnings:?}")))?;
    font.font_name = Some(name.to_string());
    Ok(font)
}

/// Advance widths of `chars` in 1/1000 em, in a table indexed by character code.
fn widths_of(font: &ParsedFont, chars: &[char]) -> Vec<u16> {
    let upm = f32::from(font.units_per_em.max(1));
    let mut table = vec![0u16; LAST_CHAR + 1];
    for &c in chars {
        let Some(w) = font
            .lookup_glyph_index(c as u32)
            .and_then(|gid| font.get_glyph_width(gid))
        else {
            continue;
        };
        if let Some(slot) = table.get_mut(c as usize) {
            // A glyph of zero advance still counts as drawable.
            *slot = ((f32::from(w) * 1000.0 / upm).round() as u16).max(1);
        }
    }
    table
}

/// zlib at level 1: ticket contents are small and mostly text operators, and a faster level
/// makes them only a little larger.
fn zlib(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 1)
}

fn capitalize(s: &str) -> String {
    let mut it = s.chars();
    match it.next() {
        Some(c) => c.to_uppercase().chain(it).collect(),
        None => String::new(),
    }
}

/// Greedy word wrap on ASCII spaces (no-break spaces stay), at most `max_lines`;
/// the last line is ellipsised if the text does not fit.
fn wrap(face: &Face, size: f32, text: &str, max_w: f32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if face.text_width_mm(&candidate, size) <= max_w || cur.is_empty() {
            cur = candidate;
        } else {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(rest);
    }
    if let Some(last) = lines.last_mut() {
        *last = ellipsize(face, size, last, max_w);
    }
    for line in lines.iter_mut() {
        if face.text_width_mm(line, size) > max_w {
            *line = ellipsize(face, size, line, max_w);
        }
    }
    lines
}

fn ellipsize(face: &Face, size: f32, text: &str, max_w: f32) -> String {
    if face.text_width_mm(text, size) <= max_w {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let s: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if face.text_width_mm(&s, size) <= max_w {
            return s;
        }
    }
    "…".to_string()
}

/// A report for `PdfRenderer::report`.
struct Report {
    /// The document's title (PDF metadata).
    title: String,
    heading: String,
    /// The first in bold, the others under it.
    lines: Vec<String>,
    tables: Vec<Table>,
    footer: String,
}

struct Table {
    title: String,
    head: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
}

/// A table cell: text at `x` mm, right-aligned on it for numbers.
struct Cell {
    x: f32,
    right: bool,
    text: String,
}

impl Cell {
    fn left(x: f32, text: impl Into<String>) -> Cell {
        Cell {
            x,
            right: false,
            text: text.into(),
        }
    }
    fn right(x: f32, text: impl Into<String>) -> Cell {
        Cell {
            x,
            right: true,
            text: text.into(),
        }
    }
}

struct Painter<'a> {
    ops: Vec<Op>,
    r: &'a PdfRenderer,
    /// The page's height in mm (y is measured from the top).
    page_h: f32,
}

impl Painter<'_> {
    /// Text with its baseline at `y_top` mm from the top of the page.
    fn text(&mut self, face: &Face, size: f32, x: f32, y_top: f32, text: &str) {
        let text = self.r.clean(text);
        if text.trim().is_empty() {
            return;
        }
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFont {
            font: PdfFontHandle::External(face.id.clone()),
            size: Pt(size),
        });
        self.ops.push(Op::SetTextCursor {
            pos: Point::new(Mm(x), Mm(self.page_h - y_top)),
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text)],
        });
        self.ops.push(Op::EndTextSection);
    }

    /// Single line, ellipsised to `max_w` mm.
    fn text_fit(&mut self, face: &Face, size: f32, x: f32, y_top: f32, text: &str, max_w: f32) {
        let text = ellipsize(face, size, &self.r.clean(text), max_w);
        self.text(face, size, x, y_top, &text);
    }

    /// Rectangle given by its top-left corner, in mm from the top of the page.
    fn rect(&mut self, x: f32, y_top: f32, w: f32, h: f32, mode: PaintMode) {
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Mm(x).into(),
                y: Mm(self.page_h - y_top - h).into(),
                width: Mm(w).into(),
                height: Mm(h).into(),
                mode: Some(mode),
                winding_order: None,
            },
        });
    }

    /// QR symbol of `QR_SIZE` mm with its top-left module at (`x`, `y_top`) mm. The
    /// quiet zone is left blank around it (the caller keeps that area empty).
    fn qr(&mut self, code: &str, x: f32, y_top: f32) -> Result<(), PdfError> {
        let (n, dark) = qr_modules(code)?;
        let module_pt = Pt::from(Mm(QR_SIZE)).0 / n as f32;
        let origin_x = Pt::from(Mm(x)).0;
        let origin_y = Pt::from(Mm(self.page_h - y_top - QR_SIZE)).0;

        // Work in module units: one `cm`, then integer rectangles (short operands).
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw([module_pt, 0.0, 0.0, module_pt, origin_x, origin_y]),
        });
        self.ops.push(Op::SetFillColor { col: grey(0.0) });
        for (x0, row0, len, rows) in qr_rects(&dark, n) {
            self.ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(x0 as f32),
                    // PDF y grows upwards: row 0 is the top row.
                    y: Pt((n - row0 - rows) as f32),
                    width: Pt(len as f32),
                    height: Pt(rows as f32),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            });
        }
        self.ops.push(Op::RestoreGraphicsState);
        Ok(())
    }
}

/// The modules of the QR code (level M) for `data`: `(width, dark flags row by row)`.
///
/// Same symbol as `qrcode::QrCode::with_error_correction_level`, built from qrcode's
/// public pieces, except for the choice of the mask: qrcode scores the 8 candidate
/// masks with a generic, allocation-heavy penalty routine; [`mask_penalty`] computes the
/// ISO/IEC 18004 penalty (N1..N4) on bit sets instead. Kept by measurement
/// (`cargo bench -p server --bench pdf` prints both): qrcode alone takes about 1,000 µs per
/// code, longer than a whole ticket PDF with this (about 640 µs).
fn qr_modules(data: &str) -> Result<(usize, Vec<bool>), PdfError> {
    use qrcode::canvas::{Canvas, MaskPattern};
    use qrcode::{bits, ec, EcLevel};
    let qr_err = |e: qrcode::types::QrError| PdfError::Qr(e.to_string());
    let bits = bits::encode_auto(data.as_bytes(), EcLevel::M).map_err(qr_err)?;
    let version = bits.version();
    let n = version.width() as usize;
    let (encoded, ec_data) =
        ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).map_err(qr_err)?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&encoded, &ec_data);

    let mut best: Option<(u32, Vec<bool>)> = None;
    for pattern in [
        MaskPattern::Checkerboard,
        MaskPattern::HorizontalLines,
        MaskPattern::VerticalLines,
        MaskPattern::DiagonalLines,
        MaskPattern::LargeCheckerboard,
        MaskPattern::Fields,
        MaskPattern::Diamonds,
        MaskPattern::Meadow,
    ] {
        let mut c = canvas.clone();
        c.apply_mask(pattern);
        let dark: Vec<bool> = c
            .into_colors()
            .into_iter()
            .map(|m| m == qrcode::Color::Dark)
            .collect();
        let score = mask_penalty(&dark, n);
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, dark));
        }
    }
    let (_, dark) = best.ok_or_else(|| PdfError::Qr("no mask".into()))?;
    Ok((n, dark))
}

/// ISO/IEC 18004 mask penalty: N1 (runs of ≥ 5), N2 (2×2 blocks), N3 (finder-like
/// 1:1:3:1:1 patterns next to 4 light modules, the quiet zone counting as light),
/// N4 (dark/light balance). Rows and columns are packed into `u64` bit sets
/// (bit `j` = module `j`), which QR versions up to 10 (57 modules) fit.
fn mask_penalty(dark: &[bool], n: usize) -> u32 {
    if n > 57 {
        return mask_penalty_slow(dark, n);
    }
    let full: u64 = (1u64 << n) - 1;
    let mut rows = [0u64; 57];
    let mut cols = [0u64; 57];
    // Branch-free: the modules of a masked symbol are close to random.
    for (y, row) in dark.chunks_exact(n).enumerate() {
        for (x, &d) in row.iter().enumerate() {
            let d = d as u64;
            rows[y] |= d << x;
            cols[x] |= d << y;
        }
    }
    let mut score = 0u32;
    for line in rows[..n].iter().chain(cols[..n].iter()) {
        let line = *line;
        // N1: bit j of `same` says module j+1 equals module j.
        let mut same = !(line ^ (line >> 1)) & (full >> 1);
        while same != 0 {
            let start = same.trailing_zeros();
            let run = (same >> start).trailing_ones();
            if run >= 4 {
                score += run - 1; // run + 1 modules: 3 + (run + 1 - 5)
            }
            same &= !(((1u64 << run) - 1) << start);
        }
        // N3: with 4 light modules of quiet zone on each side, look for the
        // 11-module windows 1011101 0000 and 0000 1011101 (in reading order; the
        // bit order is reversed, which maps each pattern onto the other).
        // Bit k of `found` says the window starting at bit k matches: all 11 bits compared
        // at once for every k.
        let padded = (line as u128) << 4;
        let windows = n + 8 - 11 + 1;
        for pattern in [0b000_0101_1101u32, 0b101_1101_0000] {
            let mut found = (1u128 << windows) - 1;
            for i in 0..11 {
                let bits = padded >> i;
                found &= if pattern >> i & 1 == 1 { bits } else { !bits };
            }
            score += 40 * found.count_ones();
        }
    }
    // N2: 2×2 blocks of one colour.
    for y in 0..n - 1 {
        let (a, b) = (rows[y], rows[y + 1]);
        let vertical_same = !(a ^ b);
        let horizontal_same = !(a ^ (a >> 1));
        score +=
            3 * (vertical_same & (vertical_same >> 1) & horizontal_same & (full >> 1)).count_ones();
    }
    // N4: 10 points per 5 % away from 50 % dark.
    let total = (n * n) as u32;
    let dark_count: u32 = rows[..n].iter().map(|r| r.count_ones()).sum();
    score + 10 * ((dark_count * 20).abs_diff(total * 10) / total)
}

/// Straightforward version of [`mask_penalty`], for any width (and as its test oracle).
fn mask_penalty_slow(dark: &[bool], n: usize) -> u32 {
    let mut score = 0u32;
    let mut line = vec![false; n + 8];
    for horizontal in [true, false] {
        for i in 0..n {
            for j in 0..n {
                line[4 + j] = if horizontal {
                    dark[i * n + j]
                } else {
                    dark[j * n + i]
                };
            }
            let mut run = 1;
            for j in 1..n {
                if line[4 + j] == line[3 + j] {
                    run += 1;
                } else {
                    if run >= 5 {
                        score += run - 2;
                    }
                    run = 1;
                }
            }
            if run >= 5 {
                score += run - 2;
            }
            let mut window = 0u16;
            for (k, &m) in line.iter().enumerate() {
                window = ((window << 1) | u16::from(m)) & 0x7FF;
                if k >= 10 && (window == 0b101_1101_0000 || window == 0b000_0101_1101) {
                    score += 40;
                }
            }
        }
    }
    for y in 0..n - 1 {
        for x in 0..n - 1 {
            let c = dark[y * n + x];
            if dark[y * n + x + 1] == c
                && dark[(y + 1) * n + x] == c
                && dark[(y + 1) * n + x + 1] == c
            {
                score += 3;
            }
        }
    }
    let total = (n * n) as u32;
    let dark_count = dark.iter().filter(|&&d| d).count() as u32;
    score + 10 * ((dark_count * 20).abs_diff(total * 10) / total)
}

/// Rectangles `(x, top_row, run_length, row_count)` covering exactly the dark modules
/// of an `n`×`n` symbol: each maximal horizontal run of dark modules is one rectangle,
/// and the same run repeated on the following rows is merged into it.
fn qr_rects(dark: &[bool], n: usize) -> Vec<(usize, usize, usize, usize)> {
    let at = |x: usize, y: usize| dark[y * n + x];
    // Is [x, x+len) an exact maximal run on row y?
    let is_run = |x: usize, len: usize, y: usize| {
        (x..x + len).all(|i| at(i, y))
            && (x == 0 || !at(x - 1, y))
            && (x + len == n || !at(x + len, y))
    };
    let mut used = vec![false; n * n];
    let mut rects = Vec::new();
    for y in 0..n {
        let mut x = 0;
        while x < n {
            if !at(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < n && at(x, y) {
                x += 1;
            }
            let len = x - start;
            if used[y * n + start] {
                continue;
            }
            let mut rows = 1;
            while y + rows < n && is_run(start, len, y + rows) {
                used[(y + rows) * n + start] = true;
                rows += 1;
            }
            rects.push((start, y, len, rows));
        }
    }
    rects
}

/// The same documents, rendered on one thread of the lowest priority (nice 19): for the
/// e-mails, which may wait while buyers are being served. During an on-sale the confirmations'
/// PDFs then take only the CPU the sale leaves, and go out within seconds after the rush
/// (`cargo bench -p server --bench onsale`, docs/benchmarks.md).
pub struct BackgroundDocuments {
    inner: TicketDocuments,
    jobs: std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>,
}

impl BackgroundDocuments {
    pub fn start(pdf: std::sync::Arc<PdfRenderer>) -> std::io::Result<BackgroundDocuments> {
        let (jobs, queue) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        std::thread::Builder::new()
            .name("mail-render".into())
            .spawn(move || {
                lowest_priority();
                for job in queue {
                    // A document that makes the renderer panic fails its own mail (its answer
                    // channel is dropped), not every mail after it.
                    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err() {
                        tracing::error!("rendering a mail's tickets panicked");
                    }
                }
            })?;
        Ok(BackgroundDocuments {
            inner: TicketDocuments(pdf),
            jobs,
        })
    }
}

fn lowest_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its integer arguments; on Linux, `who = 0` with
    // PRIO_PROCESS names the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

#[async_trait::async_trait]
impl crate::ports::TicketRenderer for BackgroundDocuments {
    async fn pdf(&self, tickets: Vec<TicketDoc>, layout: TicketLayout) -> Result<Vec<u8>, String> {
        let (done, result) = tokio::sync::oneshot::channel();
        let pdf = self.inner.0.clone();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(pdf.render_as(&tickets, layout));
            }))
            .map_err(|_| "the mail renderer stopped".to_string())?;
        result
            .await
            .map_err(|_| "the mail renderer stopped".to_string())?
            .map_err(|e| e.to_string())
    }

    async fn statement_pdf(
        &self,
        statement: app::box_office::Statement,
    ) -> Result<Vec<u8>, String> {
        self.inner.statement_pdf(statement).await
    }

    async fn closure_pdf(
        &self,
        closure: app::box_office::ClosureReport,
    ) -> Result<Vec<u8>, String> {
        self.inner.closure_pdf(closure).await
    }

    fn qr_svg(&self, code: &str) -> Result<String, String> {
        self.inner.qr_svg(code)
    }
}

/// The renderer as the use cases see it: PDFs rendered off the async workers, and the QR code
/// as SVG for phones.
pub struct TicketDocuments(pub std::sync::Arc<PdfRenderer>);

#[async_trait::async_trait]
impl crate::ports::TicketRenderer for TicketDocuments {
    async fn statement_pdf(
        &self,
        statement: app::box_office::Statement,
    ) -> Result<Vec<u8>, String> {
        let pdf = self.0.clone();
        tokio::task::spawn_blocking(move || pdf.statement(&statement))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())
    }

    async fn pdf(&self, tickets: Vec<TicketDoc>, layout: TicketLayout) -> Result<Vec<u8>, String> {
        let pdf = self.0.clone();
        tokio::task::spawn_blocking(move || pdf.render_as(&tickets, layout))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())
    }

    async fn closure_pdf(
        &self,
        closure: app::box_office::ClosureReport,
    ) -> Result<Vec<u8>, String> {
        let pdf = self.0.clone();
        tokio::task::spawn_blocking(move || pdf.closure(&closure))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())
    }

    fn qr_svg(&self, code: &str) -> Result<String, String> {
        let qr = qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| e.to_string())?;
        Ok(qr
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_faces_draw_the_whole_charset() {
        let r = PdfRenderer::new().unwrap();
        let missing: Vec<char> = CHARSET
            .iter()
            .flat_map(|&(a, b)| (a..=b).filter_map(char::from_u32))
            .filter(|&c| r.regular.width(c) == 0 || r.bold.width(c) == 0)
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
        assert!(
            REGULAR_TTF.len() < 40_000 && BOLD_TTF.len() < 40_000,
            "subset fonts"
        );
        assert_eq!(r.clean("Noël — 18,50 € 中"), "Noël — 18,50 € ?");
        assert_eq!(CHARSET.last().map(|r| r.1 as usize), Some(LAST_CHAR));
    }

    #[test]
    fn qr_modules_decode_for_many_codes_and_all_chosen_masks() {
        // Our own mask selection must always yield a valid symbol: rasterise the
        // modules (4 px each, 4-module quiet zone) and decode them with rqrr.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..64 {
            let code: String = (0..125)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    alphabet[(state % 32) as usize] as char
                })
                .collect();
            let (n, dark) = qr_modules(&code).unwrap();
            assert_eq!(n, 41, "125 alphanumeric characters at level M: version 6");
            let px = 4;
            let side = (n + 8) * px;
            let img = image::GrayImage::from_fn(side as u32, side as u32, |x, y| {
                let (mx, my) = (x as usize / px, y as usize / px);
                let on = (4..n + 4).contains(&mx)
                    && (4..n + 4).contains(&my)
                    && dark[(my - 4) * n + (mx - 4)];
                image::Luma([if on { 0 } else { 255 }])
            });
            let mut prepared = rqrr::PreparedImage::prepare(img);
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1);
            assert_eq!(grids[0].decode().unwrap().1, code);
        }
    }

    #[test]
    fn fast_mask_penalty_matches_the_plain_one() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for n in [21usize, 41, 45, 57] {
            for _ in 0..50 {
                let dark: Vec<bool> = (0..n * n)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        state.is_multiple_of(3)
                    })
                    .collect();
                assert_eq!(
                    mask_penalty(&dark, n),
                    mask_penalty_slow(&dark, n),
                    "n = {n}"
                );
            }
        }
        // Finder-like patterns and long runs, explicitly.
        let n = 21;
        let mut dark = vec![false; n * n];
        for (i, &b) in [1, 0, 1, 1, 1, 0, 1].iter().enumerate() {
            dark[3 * n + 7 + i] = b == 1;
            dark[(7 + i) * n + 2] = b == 1;
        }
        for x in 0..n {
            dark[10 * n + x] = true;
        }
        assert_eq!(mask_penalty(&dark, n), mask_penalty_slow(&dark, n));
    }

    #[test]
    fn deflate_round_trips_through_a_pdf_reader() {
        // Decode with lopdf (flate2 underneath), as PDF readers would.
        let mut state = 7u64;
        let mut samples: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"a".to_vec(),
            b"abcabcabcabcabcabcabcabcabcabcabc".to_vec(),
            vec![0u8; 100_000],
            (0..70_000u32).map(|i| (i * 7 % 251) as u8).collect(),
        ];
        samples.push(
            (0..50_000)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    b"0123456789ABCDEF BT ET re f\n"[(state % 28) as usize]
                })
                .collect(),
        );
        let renderer = PdfRenderer::new().unwrap();
        let t = TicketDoc {
            operator: "Ville".into(),
            venue: "Salle".into(),
            venue_address: "Rue".into(),
            hall: "A".into(),
            title: "Titre".into(),
            kind_label: "Cinéma".into(),
            starts_at: 0,
            seat: None,
            category: None,
            tariff_label: "Plein".into(),
            price_cents: 950,
            proof_required: false,
            order_reference: "R".into(),
            number: "N-1".into(),
            holder_name: "H".into(),
            code: "ABC234".into(),
        };
        samples.push(renderer.render(&[t]).unwrap());
        // A lopdf stream to decode with (lopdf is only reachable through printpdf).
        let mut lo = renderer
            .template
            .clone()
            .with_pages(vec![PdfPage::new(Mm(10.0), Mm(10.0), Vec::new())])
            .to_lopdf_document(&save_options(), &mut Vec::new());
        let stream = lo
            .objects
            .values_mut()
            .find_map(|o| o.as_stream_mut().ok())
            .unwrap();
        for data in samples {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(zlib(&data));
            assert_eq!(
                stream.decompressed_content().unwrap(),
                data,
                "len {}",
                data.len()
            );
        }
    }

    #[test]
    fn qr_rects_cover_exactly_the_dark_modules() {
        let qr =
            qrcode::QrCode::with_error_correction_level(b"HELLO WORLD 123", qrcode::EcLevel::M)
                .unwrap();
        let n = qr.width();
        let dark: Vec<bool> = qr
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        let mut cover = vec![0u8; n * n];
        for (x, y, w, h) in qr_rects(&dark, n) {
            for yy in y..y + h {
                for xx in x..x + w {
                    cover[yy * n + xx] += 1;
                }
            }
        }
        for i in 0..n * n {
            assert_eq!(cover[i], u8::from(dark[i]), "module {i}");
        }
    }
}
