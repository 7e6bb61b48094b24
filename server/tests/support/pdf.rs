//! Reading PDFs back in tests with poppler-utils: rasterised pages, their QR codes decoded.
//! Shared by the PDF tests and the e-mail tests (the attached tickets).
#![allow(dead_code)]
use std::path::Path;
use std::process::Command;

/// Run a poppler tool; a missing tool is a test failure, not a skip.
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!(
            "`{tool}` could not be run ({e}): install poppler-utils \
             (apt-get install poppler-utils) — these tests need it"
        )
    });
    assert!(
        out.status.success(),
        "`{tool} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler output is UTF-8")
}

/// Rasterise page `page` at 150 dpi and decode every QR code on it.
pub fn decode_qr(dir: &Path, pdf: &str, page: u32) -> Vec<String> {
    let prefix = dir.join(format!("page{page}"));
    let prefix = prefix.to_str().unwrap();
    let p = page.to_string();
    poppler(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-f",
            &p,
            "-l",
            &p,
            "-singlefile",
            pdf,
            prefix,
        ],
    );
    let img = image::open(format!("{prefix}.png"))
        .expect("pdftoppm PNG")
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("QR decodes").1)
        .collect()
}

pub fn page_count(pdfinfo: &str) -> u32 {
    pdfinfo
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in pdfinfo output:\n{pdfinfo}"))
}

/// Every QR code of every page of `pdf`, page after page (`dir`: a scratch folder).
pub fn decode_all_qr(dir: &Path, pdf: &[u8]) -> Vec<String> {
    let path = dir.join("decode.pdf");
    std::fs::write(&path, pdf).unwrap();
    let path = path.to_str().unwrap().to_string();
    let pages = page_count(&poppler("pdfinfo", &[&path]));
    (1..=pages).flat_map(|p| decode_qr(dir, &path, p)).collect()
}
