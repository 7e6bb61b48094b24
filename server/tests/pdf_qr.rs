//! End-to-end checks of the ticket PDF with poppler-utils (`pdftoppm`, `pdffonts`,
//! `pdftotext`, `pdfinfo`): the QR code decodes back to the ticket code, the font is
//! embedded and the French text is extractable. The poppler tools are required: a
//! missing tool fails the test.

use std::path::{Path, PathBuf};

use server::adapters::pdf::{PdfRenderer, TicketDoc, TicketLayout};

#[path = "support/pdf.rs"]
mod support;
use support::{decode_qr, page_count, poppler};

/// 78 bytes → 125 unpadded uppercase base32 characters (like a signed ticket code).
fn base32_code(seed: u8) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bytes: Vec<u8> = (0..78u32)
        .map(|i| (i.wrapping_mul(151).wrapping_add(u32::from(seed) * 17) % 251) as u8 ^ 0x5A)
        .collect();
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for b in bytes {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn ticket(seat: Option<&str>, number: &str, holder: &str, seed: u8) -> TicketDoc {
    TicketDoc {
        operator: "Ville de Montbrison — Théâtre municipal".into(),
        venue: "Théâtre des Pénitents".into(),
        venue_address: "Place des Pénitents, 42600 Montbrison".into(),
        hall: "Grande salle".into(),
        title: "Théâtre « Les Misérables » — Noël, cœur, 18,50 €".into(),
        kind_label: "Théâtre".into(),
        // Saturday 5 December 2026, 20:30 in Paris (UTC+1).
        starts_at: 1_796_499_000,
        seat: seat.map(str::to_string),
        category: Some("Catégorie 2".into()),
        tariff_label: "Plein tarif".into(),
        price_cents: 1850,
        proof_required: true,
        order_reference: "CMD-2026-000123".into(),
        number: number.into(),
        holder_name: holder.into(),
        code: base32_code(seed),
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "guichet-pdf-test-{tag}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write_pdf(dir: &Path, name: &str, pdf: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    path.to_str().unwrap().to_string()
}

/// pdftotext output with no-break spaces turned into plain spaces and every run of
/// whitespace (line breaks of wrapped lines included) collapsed into one space.
fn normalised(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn qr_code_decodes_to_the_ticket_code_and_font_is_embedded() {
    let renderer = PdfRenderer::new().expect("renderer");
    let t = ticket(
        Some("Balcon, rang C, place 12"),
        "TM-PLEIN-000042",
        "Zoé Lefèvre-Dubœuf",
        1,
    );
    assert_eq!(t.code.len(), 125);
    let pdf = renderer.render(std::slice::from_ref(&t)).expect("render");
    assert!(pdf.starts_with(b"%PDF-"));

    let dir = TempDir::new("one");
    let path = write_pdf(&dir.0, "ticket.pdf", &pdf);

    assert_eq!(decode_qr(&dir.0, &path, 1), vec![t.code.clone()]);

    let info = poppler("pdfinfo", &[&path]);
    assert_eq!(page_count(&info), 1, "{info}");
    assert!(info.contains("(A4)"), "page size: {info}");
    assert!(!info.contains("PDF/X"), "no false PDF/X claim: {info}");

    // Both faces embedded (and subset); no unembedded font.
    let fonts = poppler("pdffonts", &[&path]);
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in &rows {
        assert!(row.contains("DejaVuSans"), "{fonts}");
        assert!(row.contains("CID TrueType"), "{fonts}");
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... enc emb sub uni object ID
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "emb/sub/uni: {fonts}"
        );
    }

    let text = normalised(&poppler("pdftotext", &[&path, "-"]));
    for expected in [
        "Ville de Montbrison — Théâtre municipal",
        "Théâtre « Les Misérables » — Noël, cœur, 18,50 €",
        "Samedi 5 décembre 2026 à 20h30",
        "Théâtre des Pénitents",
        "Place des Pénitents, 42600 Montbrison",
        "Grande salle",
        "Balcon, rang C, place 12",
        "Catégorie 2",
        "Plein tarif : 18,50 €",
        "Justificatif demandé à l'entrée",
        "Zoé Lefèvre-Dubœuf",
        "TM-PLEIN-000042",
        "CMD-2026-000123",
        "Billet valable uniquement pour la séance indiquée — 1 billet = 1 personne",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("Placement libre"));
}

#[test]
fn two_tickets_two_pages_each_with_its_own_code() {
    let renderer = PdfRenderer::new().expect("renderer");
    let first = ticket(
        Some("Orchestre, rang A, place 1"),
        "TM-PLEIN-000043",
        "Anaïs Kœnig",
        2,
    );
    let mut second = ticket(None, "TM-PLEIN-000044", "Jérôme Müller", 3);
    second.proof_required = false;
    second.price_cents = 0;
    second.tariff_label = "Invitation".into();
    second.category = None;
    let pdf = renderer
        .render(&[first.clone(), second.clone()])
        .expect("render");

    let dir = TempDir::new("two");
    let path = write_pdf(&dir.0, "tickets.pdf", &pdf);

    let info = poppler("pdfinfo", &[&path]);
    assert_eq!(page_count(&info), 2, "{info}");

    assert_eq!(decode_qr(&dir.0, &path, 1), vec![first.code.clone()]);
    assert_eq!(decode_qr(&dir.0, &path, 2), vec![second.code.clone()]);

    let page2 = normalised(&poppler("pdftotext", &["-f", "2", "-l", "2", &path, "-"]));
    for expected in [
        "Placement libre",
        "Invitation : gratuit",
        "Jérôme Müller",
        "TM-PLEIN-000044",
    ] {
        assert!(
            page2.contains(expected),
            "missing {expected:?} in:\n{page2}"
        );
    }
    assert!(!page2.contains("Justificatif"), "{page2}");
    assert!(!page2.contains("Catégorie"), "{page2}");
    let page1 = normalised(&poppler("pdftotext", &["-f", "1", "-l", "1", &path, "-"]));
    assert!(
        page1.contains("Anaïs Kœnig") && page1.contains("Orchestre, rang A, place 1"),
        "{page1}"
    );
}

#[test]
fn unsupported_characters_and_long_texts_do_not_fail() {
    let renderer = PdfRenderer::new().expect("renderer");
    let mut t = ticket(None, "TM-PLEIN-000045", "Иван 王 🎭", 4);
    t.title = "Une très longue pièce de théâtre dont le titre ne tient pas sur une seule \
               ligne et même pas sur deux lignes parce qu'il est vraiment interminable"
        .into();
    let pdf = renderer.render(&[t.clone()]).expect("render");
    let dir = TempDir::new("long");
    let path = write_pdf(&dir.0, "long.pdf", &pdf);
    assert_eq!(decode_qr(&dir.0, &path, 1), vec![t.code]);
    let text = normalised(&poppler("pdftotext", &[&path, "-"]));
    assert!(text.contains("Une très longue pièce"), "{text}");
    assert!(text.contains('…'), "title is ellipsised: {text}");
}

#[test]
fn the_ticket_printers_roll_is_80_mm_wide_and_its_code_decodes() {
    let renderer = PdfRenderer::new().expect("renderer");
    let first = ticket(
        Some("Balcon, rang C, place 12"),
        "TM-PLEIN-000042",
        "Zoé Lefèvre",
        1,
    );
    let second = ticket(None, "TM-REDUIT-000007", "Jean Valjean", 2);
    let pdf = renderer
        .render_as(&[first.clone(), second.clone()], TicketLayout::Roll)
        .expect("render");
    let dir = TempDir::new("roll");
    let path = write_pdf(&dir.0, "roll.pdf", &pdf);
    let info = poppler("pdfinfo", &[&path]);
    assert_eq!(page_count(&info), 2, "{info}");
    // 80 × 150 mm in points.
    assert!(info.contains("226.772 x 425.197 pts"), "{info}");
    assert_eq!(decode_qr(&dir.0, &path, 1), vec![first.code.clone()]);
    assert_eq!(decode_qr(&dir.0, &path, 2), vec![second.code.clone()]);
    let text = normalised(&poppler("pdftotext", &[&path, "-"]));
    for expected in [
        "Billet n° TM-PLEIN-000042",
        "Balcon, rang C, place 12",
        "Placement libre",
        "Titulaire : Jean Valjean",
        "1 billet = 1 personne",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
}

#[test]
fn a_z_report_prints_its_totals_and_its_place_in_the_journal() {
    use app::box_office::{ClosureReport, CountAndCents, DeskCash, VatAmounts};
    use app::dto::Ts;
    let z = ClosureReport {
        period: "2026-12-06".into(),
        from: Ts(1_796_511_600),
        until: Ts(1_796_598_000),
        closed_at: Ts(1_796_600_000),
        seq: 42,
        hash: "ab".repeat(32),
        entries: 41,
        totals_by_method: [("cash".to_string(), 4000), ("card".to_string(), -1500)].into(),
        totals_by_tariff: [(
            "plein".to_string(),
            CountAndCents {
                count: 2,
                cents: 4000,
            },
        )]
        .into(),
        totals_by_vat_rate: [(
            "550".to_string(),
            VatAmounts {
                base_cents: 2370,
                vat_cents: 130,
            },
        )]
        .into(),
        tickets_sold: 2,
        tickets_cancelled: 1,
        period_total_cents: 2500,
        cumulative_total_cents: 98_500,
        cash: vec![DeskCash {
            desk: "guichet-1".into(),
            opening_float_cents: 10_000,
            expected_cents: 14_000,
            counted_cents: 13_950,
            difference_cents: -50,
        }],
    };
    let pdf = PdfRenderer::new()
        .expect("renderer")
        .closure(&z)
        .expect("render");
    let dir = TempDir::new("z");
    let path = write_pdf(&dir.0, "z.pdf", &pdf);
    let text = normalised(&poppler("pdftotext", &[&path, "-"]));
    for expected in [
        "Clôture (ticket Z) — 2026-12-06",
        "Écriture n° 42",
        "Espèces 40 €",
        "Carte bancaire -15 €",
        "5,50 %",
        "guichet-1 100 € 140 € 139,50 € -0,50 €",
        "985 €",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
}
