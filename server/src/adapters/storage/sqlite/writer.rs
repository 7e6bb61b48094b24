//! The SQLite writer: one thread owning one `rusqlite` connection, through which every write
//! goes, one job after another.
//!
//! Why not sqlx for writes: its SQLite driver runs each statement as a round trip to the
//! connection's own worker thread (about 50 µs each on the 2-core reference machine, more than
//! SQLite takes to run it), and a purchase step is three to eight statements. The earlier
//! answer, sending a step as one multi-statement query with bound arguments, is deprecated in
//! sqlx (launchbadge/sqlx#3108). Here a step is a closure run directly on the connection, with
//! cached prepared statements: a few microseconds per statement, plain Rust control flow
//! between them, and one writer, so SQLite never answers SQLITE_BUSY. Both libraries link the
//! same `libsqlite3-sys`; readers stay on sqlx's pool (WAL lets them read while this commits).
//!
//! **Group commit, durable**: the writer takes every job waiting in its queue (up to
//! `MAX_BATCH`), runs each inside a savepoint of one `BEGIN IMMEDIATE` transaction, commits
//! once — with `synchronous = FULL`, so a commit is on disk when it returns — and only then
//! answers the callers. A purchase answered "paid" has survived a power cut; under load one
//! fsync serves many purchases and scans.
//!
//! A job whose caller has gone (the request was dropped) is not run: no phantom hold. A job that
//! fails or panics is rolled back to its savepoint and fails its own request; the others of its
//! batch and the thread carry on.
use app::ports::Failure;
use rusqlite::Connection;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use tokio::sync::{mpsc, oneshot};

/// Answers a job's caller once its batch's commit is known.
type Answer = Box<dyn FnOnce(Result<(), Failure>) + Send>;
/// Runs a job; `None` when its caller has gone (skipped), else whether it succeeded (its
/// savepoint is kept) and its answer.
type Job = Box<dyn FnOnce(&mut Connection) -> Option<(bool, Answer)> + Send>;

/// At most this many jobs share a commit.
const MAX_BATCH: usize = 16;

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::UnboundedSender<Job>,
}

/// How a job failed.
pub fn db_failure(e: rusqlite::Error) -> Failure {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            Failure::Unavailable(e.to_string())
        }
        _ => Failure::Internal(e.to_string()),
    }
}

impl Writer {
    /// Opens the database file and starts the thread; it ends when the last `Writer` clone is
    /// dropped.
    pub fn start(path: &Path) -> Result<Writer, Failure> {
        let mut conn = Connection::open(path).map_err(db_failure)?;
        configure(&mut conn).map_err(db_failure)?;
        let (jobs, mut queue) = mpsc::unbounded_channel::<Job>();
        std::thread::Builder::new()
            .name("guichet-writer".into())
            .spawn(move || {
                while let Some(first) = queue.blocking_recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match queue.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    run_batch(&mut conn, batch);
                }
            })
            .map_err(|e| Failure::Internal(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer { jobs })
    }

    /// Runs `job` after the writes queued before it.
    pub async fn run<T, F>(&self, job: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            if reply.is_closed() {
                return None;
            }
            let result = match std::panic::catch_unwind(AssertUnwindSafe(|| job(conn))) {
                Ok(result) => result.map_err(db_failure),
                Err(_) => {
                    tracing::error!("a storage write panicked");
                    Err(Failure::Internal("a storage write panicked".into()))
                }
            };
            let ok = result.is_ok();
            let answer: Answer = Box::new(move |committed| {
                let _ = reply.send(committed.and(result));
            });
            Some((ok, answer))
        });
        self.jobs
            .send(job)
            .map_err(|_| Failure::Unavailable("the storage writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| Failure::Unavailable("the storage writer has stopped".into()))?
    }
}

/// One transaction for the batch, a savepoint per job, one commit, then the answers.
fn run_batch(conn: &mut Connection, batch: Vec<Job>) {
    let mut answers = Vec::with_capacity(batch.len());
    let grouped = conn.execute_batch("BEGIN IMMEDIATE").is_ok();
    for job in batch {
        // Without the outer transaction (it could not begin), each job's own savepoint makes it
        // a transaction of its own.
        let fenced = grouped && conn.execute_batch("SAVEPOINT job").is_ok();
        let Some((ok, answer)) = job(conn) else {
            if fenced {
                let _ = conn.execute_batch("RELEASE job");
            }
            continue;
        };
        if fenced {
            let end = if ok {
                "RELEASE job"
            } else {
                "ROLLBACK TO job; RELEASE job"
            };
            if let Err(e) = conn.execute_batch(end) {
                tracing::error!(error = %e, "savepoint of a storage write");
            }
        }
        answers.push(answer);
    }
    let committed = if grouped {
        conn.execute_batch("COMMIT").map_err(|e| {
            let _ = conn.execute_batch("ROLLBACK");
            db_failure(e)
        })
    } else {
        Ok(())
    };
    for answer in answers {
        answer(committed.clone());
    }
}

fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // A commit is on disk when it returns: an order answered "paid" survives a power cut.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Every statement of the purchase path, with a variant per seat count.
    conn.set_prepared_statement_cache_capacity(128);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_in_order_and_a_panic_fails_only_its_job() {
        let dir = std::env::temp_dir().join(format!("guichet-writer-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let w = Writer::start(&dir.join("w.db")).unwrap();
        w.run(|c| c.execute_batch("CREATE TABLE t (v INTEGER)"))
            .await
            .unwrap();
        for v in 0..3 {
            w.run(move |c| c.execute("INSERT INTO t VALUES (?1)", [v]))
                .await
                .unwrap();
        }
        let boom: Result<(), Failure> = w.run(|_| panic!("boom")).await;
        assert!(matches!(boom, Err(Failure::Internal(_))));
        let sum: i64 = w
            .run(|c| c.query_row("SELECT SUM(v) FROM t", [], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(sum, 3, "the writer survived the panic");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_job_leaves_nothing_and_spoils_nothing_of_its_batch() {
        let dir = std::env::temp_dir().join(format!("guichet-writer-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let w = Writer::start(&dir.join("w.db")).unwrap();
        w.run(|c| c.execute_batch("CREATE TABLE t (v INTEGER PRIMARY KEY)"))
            .await
            .unwrap();
        // 100 jobs at once (batched): each writes v and v + 1000; odd ones then fail.
        let jobs: Vec<_> = (0..100i64)
            .map(|v| {
                let w = w.clone();
                tokio::spawn(async move {
                    w.run(move |c| {
                        c.execute("INSERT INTO t VALUES (?1)", [v])?;
                        c.execute("INSERT INTO t VALUES (?1)", [v + 1000])?;
                        if v % 2 == 1 {
                            // A constraint violation halfway through the job.
                            c.execute("INSERT INTO t VALUES (?1)", [v])?;
                        }
                        Ok(())
                    })
                    .await
                })
            })
            .collect();
        let mut failed = 0;
        for j in jobs {
            if j.await.unwrap().is_err() {
                failed += 1;
            }
        }
        assert_eq!(failed, 50);
        let (n, odd): (i64, i64) = w
            .run(|c| {
                c.query_row("SELECT COUNT(*), SUM(v % 2) FROM t", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
            })
            .await
            .unwrap();
        assert_eq!(
            (n, odd),
            (100, 0),
            "the 50 good jobs, both rows each; nothing of the others"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
