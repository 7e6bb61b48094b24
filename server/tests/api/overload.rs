//! Overload sheds, it does not pile up: slow clients are cut, requests beyond the in-flight
//! limit are refused at once with 503 + Retry-After, stuck requests time out.
use crate::helpers::*;
use server::config::Limits;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn app_with(limits: Limits) -> TestApp {
    spawn_app_with(
        Db::Sqlite,
        Options {
            limits,
            ..Options::default()
        },
    )
    .await
    .unwrap()
}

fn host(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_string()
}

/// A request whose body never finishes arriving: it stays in flight.
async fn slow_post(app: &TestApp) -> TcpStream {
    let mut s = TcpStream::connect(host(app)).await.unwrap();
    s.write_all(
        b"POST /api/v1/holds HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"perf",
    )
    .await
    .unwrap();
    s
}

async fn read_all(mut s: TcpStream, within: Duration) -> Option<String> {
    let mut buf = Vec::new();
    match tokio::time::timeout(within, s.read_to_end(&mut buf)).await {
        Ok(_) => Some(String::from_utf8_lossy(&buf).into_owned()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut() {
    let app = app_with(Limits {
        header_read_timeout: Duration::from_secs(1),
        ..Limits::off()
    })
    .await;
    let mut loris = TcpStream::connect(host(&app)).await.unwrap();
    loris
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let started = Instant::now();
    // Meanwhile others are served.
    assert_eq!(app.get("/api/v1/performances").await.status, 200);
    let closed = read_all(loris, Duration::from_secs(5)).await;
    assert!(closed.is_some(), "the connection was not closed");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn requests_beyond_the_in_flight_limit_are_shed_with_503() {
    let app = app_with(Limits {
        max_in_flight: 1,
        ..Limits::off()
    })
    .await;
    let stuck = slow_post(&app).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = app
        .client
        .get(app.url("/api/v1/performances"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "unavailable");
    assert_eq!(body["retry_after"], 1);
    // Once the slow request is gone, the server serves again.
    drop(stuck);
    let mut served = false;
    for _ in 0..50 {
        if app.get("/api/v1/performances").await.status == 200 {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(served);
}

#[tokio::test]
async fn a_request_that_takes_too_long_is_answered_503() {
    let app = app_with(Limits {
        request_timeout: Duration::from_secs(1),
        ..Limits::off()
    })
    .await;
    let stuck = slow_post(&app).await;
    let answer = read_all(stuck, Duration::from_secs(5))
        .await
        .expect("an answer within the timeout");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
}
