//! What a phone downloads: pages compressed when the browser accepts it, the build's files sent
//! from their precompressed copies, hashed names cached for a year and others revalidated,
//! small API answers left alone.
use crate::helpers::*;
use std::io::Read;

async fn raw(app: &TestApp, path: &str, accept: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("accept-encoding", accept)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_files_travel_compressed_and_cached() {
    let app = spawn_app(Db::Sqlite).await.unwrap();
    let f = fixture(&app, FixtureSpec::default()).await;

    // A page, gzip on the fly: smaller, and the same page once inflated.
    let plain = raw(&app, "/", "identity").await;
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.text().await.unwrap();
    let zipped = raw(&app, "/", "gzip").await;
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    assert_eq!(zipped.headers()["vary"], "accept-encoding");
    let bytes = zipped.bytes().await.unwrap();
    assert!(
        bytes.len() * 2 < plain.len(),
        "{} → {}",
        plain.len(),
        bytes.len()
    );
    let mut inflated = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut inflated)
        .unwrap();
    assert!(inflated.starts_with("<!DOCTYPE html>") && inflated.contains("</html>"));
    let brotli = raw(&app, "/", "br, gzip").await;
    assert_eq!(brotli.headers()["content-encoding"], "br");

    // Tickets' PDFs are compressed inside already: sent as they are.
    let order = app.buy(f.performance_id, &f.seat_ids[..1]).await;
    let pdf = raw(
        &app,
        &format!(
            "/api/v1/orders/{}/tickets.pdf?token={}",
            order["id"].as_str().unwrap(),
            order["token"].as_str().unwrap()
        ),
        "br, gzip",
    )
    .await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.headers().get("content-encoding").is_none());

    // A small API answer is not worth compressing.
    let keys = raw(&app, "/api/v1/keys", "br, gzip").await;
    assert_eq!(keys.status(), 200);
    assert!(keys.headers().get("content-encoding").is_none());

    // The build's files: the precompressed copy the browser takes, with the right type.
    let pkg = app.dir.join("site/pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let css = "main { color: black; }\n".repeat(200);
    std::fs::write(pkg.join("guichet.css"), &css).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, css.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    std::fs::write(pkg.join("guichet.css.gz"), &gz).unwrap();
    let hashed = "guichet.3q2-7wLW_ig0Ab-Cd9eFg.wasm";
    std::fs::write(pkg.join(hashed), b"\0asm\x01\0\0\0").unwrap();

    let sent = raw(&app, "/pkg/guichet.css", "gzip").await;
    assert_eq!(sent.status(), 200);
    assert_eq!(sent.headers()["content-encoding"], "gzip");
    assert!(sent.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert_eq!(sent.headers()["cache-control"], "no-cache");
    assert_eq!(sent.headers()["vary"], "accept-encoding");
    let modified = sent.headers()["last-modified"].clone();
    assert_eq!(sent.bytes().await.unwrap(), gz, "the copy on disk, as is");
    // Unchanged since: 304, nothing sent again.
    let again = app
        .client
        .get(app.url("/pkg/guichet.css"))
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    let wasm = raw(&app, &format!("/pkg/{hashed}"), "identity").await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(
        wasm.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(raw(&app, "/pkg/absent.js", "gzip").await.status(), 404);
}
