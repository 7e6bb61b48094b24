//! Ticket PDF throughput, one thread: `cargo bench -p server --bench pdf`.
//!
//! Prints PDFs/s, mean µs per PDF and bytes per PDF for single-ticket documents
//! (about 5 s of rendering), then the same for a 10-ticket document.
//! Set `PDF_BENCH_SECS` to change the duration.

use std::hint::black_box;
use std::time::{Duration, Instant};

use server::adapters::pdf::{PdfRenderer, TicketDoc};

fn ticket(i: usize) -> TicketDoc {
    // 125 uppercase base32 characters, like a real signed ticket code.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ i as u64;
    let code: String = (0..125)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ALPHABET[(state % 32) as usize] as char
        })
        .collect();
    TicketDoc {
        operator: "Ville de Montbrison — Théâtre municipal".into(),
        venue: "Théâtre des Pénitents".into(),
        venue_address: "Place des Pénitents, 42600 Montbrison".into(),
        hall: "Grande salle".into(),
        title: "Théâtre « Les Misérables » — Noël, cœur".into(),
        kind_label: "Théâtre".into(),
        starts_at: 1_796_500_800,
        seat: if i.is_multiple_of(2) {
            Some("Balcon, rang C, place 12".into())
        } else {
            None
        },
        category: Some("Catégorie 2".into()),
        tariff_label: "Plein tarif".into(),
        price_cents: 1850,
        proof_required: i.is_multiple_of(3),
        order_reference: "CMD-2026-0001234".into(),
        number: format!("TM-PLEIN-{:06}", 42 + i),
        holder_name: "Zoé Lefèvre-Dubœuf".into(),
        code,
    }
}

struct Figures {
    count: usize,
    elapsed: Duration,
    /// CPU time of this thread, when the OS tells (Linux).
    cpu: Option<Duration>,
    bytes: usize,
}

/// On-CPU time of the current thread (Linux `/proc/thread-self/schedstat`, ns), so the
/// figures stay meaningful when other processes compete for the cores.
fn thread_cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn run(renderer: &PdfRenderer, tickets: &[TicketDoc], budget: Duration, max: usize) -> Figures {
    let start = Instant::now();
    let cpu0 = thread_cpu_time();
    let mut count = 0;
    let mut bytes = 0;
    while count < max && (count < 3 || start.elapsed() < budget) {
        let pdf = renderer.render(black_box(tickets)).expect("render");
        bytes += pdf.len();
        black_box(pdf);
        count += 1;
    }
    Figures {
        count,
        elapsed: start.elapsed(),
        cpu: thread_cpu_time().zip(cpu0).map(|(b, a)| b - a),
        bytes,
    }
}

fn report(label: &str, f: &Figures, tickets_per_pdf: usize) {
    let secs = f.elapsed.as_secs_f64();
    let per_s = f.count as f64 / secs;
    println!(
        "{label}: {} PDFs in {:.2} s wall → {:.0} PDFs/s ({:.0} tickets/s), mean {:.1} µs/PDF, {} bytes/PDF",
        f.count,
        secs,
        per_s,
        per_s * tickets_per_pdf as f64,
        secs * 1e6 / f.count as f64,
        f.bytes / f.count.max(1),
    );
    if let Some(cpu) = f.cpu {
        let cpu = cpu.as_secs_f64();
        println!(
            "{:width$}  CPU time {:.2} s ({:.0} % of wall) → {:.0} PDFs per CPU-second, {:.1} µs CPU/PDF",
            "",
            cpu,
            100.0 * cpu / secs,
            f.count as f64 / cpu,
            cpu * 1e6 / f.count as f64,
            width = label.len(),
        );
    }
}

/// PDFs per second of CPU time when known (other processes may share the core),
/// else per second of wall time.
fn rate(f: &Figures) -> f64 {
    f.count as f64 / f.cpu.unwrap_or(f.elapsed).as_secs_f64()
}

fn main() {
    let secs: f64 = std::env::var("PDF_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let budget = Duration::from_secs_f64(secs);

    let t0 = Instant::now();
    let renderer = PdfRenderer::new().expect("renderer");
    println!(
        "PdfRenderer::new (font compression, once): {:.1} ms",
        t0.elapsed().as_secs_f64() * 1e3
    );

    let singles: Vec<[TicketDoc; 1]> = (0..64).map(|i| [ticket(i)]).collect();
    // Warm-up.
    for s in singles.iter().take(50) {
        black_box(renderer.render(s).expect("render"));
    }

    let start = Instant::now();
    let cpu0 = thread_cpu_time();
    let mut count = 0usize;
    let mut bytes = 0usize;
    while start.elapsed() < budget && count < 10_000_000 {
        let pdf = renderer
            .render(black_box(&singles[count % singles.len()]))
            .expect("render");
        bytes += pdf.len();
        black_box(pdf);
        count += 1;
    }
    let single = Figures {
        count,
        elapsed: start.elapsed(),
        cpu: thread_cpu_time().zip(cpu0).map(|(b, a)| b - a),
        bytes,
    };
    report("1 ticket/PDF ", &single, 1);

    let ten: Vec<TicketDoc> = (0..10).map(ticket).collect();
    let f = run(&renderer, &ten, budget.min(Duration::from_secs(2)), 100_000);
    report("10 tickets/PDF", &f, 10);

    // Why the renderer chooses the QR mask itself: the qrcode crate alone, per code.
    let t = Instant::now();
    let mut n = 0usize;
    while t.elapsed() < Duration::from_secs(1) {
        let code = &singles[n % singles.len()][0].code;
        black_box(
            qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)
                .unwrap(),
        );
        n += 1;
    }
    println!(
        "qrcode::QrCode::with_error_correction_level alone: {:.0} µs per code (a whole ticket above: {:.0} µs)",
        t.elapsed().as_secs_f64() * 1e6 / n as f64,
        1e6 / rate(&single),
    );

    let per_s = rate(&single);
    println!(
        "target ≥ 1000 single-ticket PDFs/s on one core: {} ({per_s:.0}/s{})",
        if per_s >= 1000.0 { "met" } else { "NOT met" },
        if single.cpu.is_some() {
            " of CPU time"
        } else {
            " wall"
        },
    );
}
