//! Marks the PostgreSQL variants of the storage tests as ignored (reported as skipped, not as
//! passed) when `TEST_DATABASE_URL` is not set at build time; rebuilds when a migration is added.
fn main() {
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    // `sqlx::migrate!` embeds the migrations: a new file must rebuild the crate.
    println!("cargo::rerun-if-changed=../migrations");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
