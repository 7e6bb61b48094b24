//! Backups of a running database and their restore into an empty one: `guichet backup <file>`
//! and `guichet restore <file>`. SQLite: `VACUUM INTO` on a read-only connection of its own —
//! a consistent snapshot taken while the server keeps selling (WAL readers do not block the
//! writer). PostgreSQL: the engine's own `pg_dump` (custom format) and `pg_restore`.
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists: a backup never overwrites a file")]
    Exists(PathBuf),
    #[error("the database to restore into is not empty: restore into a new database")]
    NotEmpty,
    #[error("unsupported database URL (expected sqlite: or postgres:)")]
    UnsupportedUrl,
    #[error("{0}")]
    Failed(String),
}

fn failed(e: impl std::fmt::Display) -> BackupError {
    BackupError::Failed(e.to_string())
}

enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

fn target(url: &str) -> Result<Target, BackupError> {
    if let Some(path) = super::sqlite::file_of(url) {
        Ok(Target::Sqlite(path))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Target::Postgres(url.to_string()))
    } else {
        Err(BackupError::UnsupportedUrl)
    }
}

/// Writes a consistent copy of the database at `url` to `file`, which must not exist.
pub async fn backup(url: &str, file: &Path) -> Result<(), BackupError> {
    if file.exists() {
        return Err(BackupError::Exists(file.to_path_buf()));
    }
    match target(url)? {
        Target::Sqlite(db) => {
            let file = file.to_path_buf();
            tokio::task::spawn_blocking(move || {
                let conn = rusqlite::Connection::open_with_flags(
                    &db,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .map_err(failed)?;
                conn.busy_timeout(std::time::Duration::from_secs(10))
                    .map_err(failed)?;
                let to = file
                    .to_str()
                    .ok_or_else(|| failed("backup path is not UTF-8"))?;
                conn.execute("VACUUM INTO ?1", [to]).map_err(failed)?;
                // On disk before we say it is done.
                std::fs::File::open(&file)
                    .and_then(|f| f.sync_all())
                    .map_err(failed)
            })
            .await
            .map_err(failed)?
        }
        Target::Postgres(url) => run(Command::new("pg_dump")
            .arg("--format=custom")
            .arg("--no-owner")
            .arg(format!("--file={}", file.display()))
            .arg(format!("--dbname={url}"))),
    }
}

/// Restores `file` (made by `backup`) into the empty database at `url`.
pub async fn restore(url: &str, file: &Path) -> Result<(), BackupError> {
    if !file.is_file() {
        return Err(failed(format!("{} is not a backup file", file.display())));
    }
    match target(url)? {
        Target::Sqlite(db) => {
            if std::fs::metadata(&db).is_ok_and(|m| m.len() > 0) {
                return Err(BackupError::NotEmpty);
            }
            if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(failed)?;
            }
            // Copied beside the target, then renamed: a crash leaves no half-restored database.
            let partial = db.with_extension("restoring");
            std::fs::copy(file, &partial).map_err(failed)?;
            std::fs::File::open(&partial)
                .and_then(|f| f.sync_all())
                .map_err(failed)?;
            std::fs::rename(&partial, &db).map_err(failed)
        }
        Target::Postgres(url) => {
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
                .await
                .map_err(failed)?;
            let tables: i64 =
                sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                    .fetch_one(&mut conn)
                    .await
                    .map_err(failed)?;
            let _ = sqlx::Connection::close(conn).await;
            if tables > 0 {
                return Err(BackupError::NotEmpty);
            }
            run(Command::new("pg_restore")
                .arg("--no-owner")
                .arg("--exit-on-error")
                .arg("--single-transaction")
                .arg(format!("--dbname={url}"))
                .arg(file))
        }
    }
}

fn run(cmd: &mut Command) -> Result<(), BackupError> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd
        .output()
        .map_err(|e| failed(format!("cannot run {program}: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(failed(format!(
            "{program} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}
