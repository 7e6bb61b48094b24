//! Purchase transactions sent as scripts.
//!
//! With the SQLite driver every statement is a round trip to the connection's own thread (about
//! 50 µs on the 2-core reference machine, more than SQLite takes to run it), and a purchase step
//! is two to six statements plus BEGIN and COMMIT. So on SQLite the statements of a step travel
//! as ONE multi-statement query. The transaction then ends with a second round trip (COMMIT or
//! ROLLBACK, chosen by the caller from what each statement did) — or, for a script written so
//! that a refused step changes nothing, with a COMMIT inside the same query. sqlx 0.8 runs multi-statement
//! queries on SQLite with `$n` arguments shared by all statements; that behaviour is deprecated
//! for sqlx 0.9 (launchbadge/sqlx#3108), so this module is the one place that relies on it.
//!
//! These transactions run one after another on a dedicated writer thread: a dropped HTTP request
//! cannot stop one halfway, and the writer never waits behind HTTP work for its turn on the
//! runtime. On PostgreSQL the same statements run one by one inside an ordinary transaction.
use super::{Store, StoreError, StoreResult};
use futures::future::BoxFuture;
use futures::TryStreamExt;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Either};
use tokio::sync::{mpsc, oneshot};

/// A statement argument.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}

impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::OptInt(v)
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_string())
    }
}

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}

impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(v.clone())
    }
}

/// One statement with its arguments, numbered `$1`, `$2`… within the statement.
#[derive(Debug, Clone)]
pub(crate) struct Stmt {
    sql: String,
    args: Vec<Val>,
}

impl Stmt {
    pub(crate) fn new(sql: impl Into<String>) -> Stmt {
        Stmt {
            sql: sql.into(),
            args: Vec::new(),
        }
    }

    pub(crate) fn bind(mut self, v: impl Into<Val>) -> Stmt {
        self.args.push(v.into());
        self
    }
}

/// What one statement did.
#[derive(Default)]
pub(crate) struct Done {
    pub rows_affected: u64,
    pub rows: Vec<AnyRow>,
}

/// The caller's verdict once it has seen what the statements did.
pub(crate) enum Decision<T> {
    Commit(T),
    Rollback(T),
}

type Job = Box<dyn FnOnce(AnyPool) -> BoxFuture<'static, ()> + Send>;

/// The SQLite writer thread and its queue.
#[derive(Clone)]
pub(crate) struct Writer {
    jobs: mpsc::UnboundedSender<Job>,
}

impl Writer {
    /// Starts the thread; it ends when the last `Store` clone is dropped.
    pub(crate) fn start(writes: AnyPool) -> StoreResult<Writer> {
        let (jobs, mut queue) = mpsc::unbounded_channel::<Job>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(StoreError::Thread)?;
        std::thread::Builder::new()
            .name("guichet-writer".into())
            .spawn(move || {
                runtime.block_on(async move {
                    while let Some(job) = queue.recv().await {
                        job(writes.clone()).await;
                    }
                })
            })
            .map_err(StoreError::Thread)?;
        Ok(Writer { jobs })
    }
}

impl Store {
    /// Runs `stmts` as one write transaction that is always committed (unless a statement
    /// fails): for scripts whose statements guard themselves so that a refusal changes nothing.
    /// `read` takes the result from what the statements did.
    pub(crate) async fn script_committed<T, F>(&self, stmts: Vec<Stmt>, read: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(Vec<Done>) -> StoreResult<T> + Send + 'static,
    {
        self.script_atomic(stmts, |done| read(done).map(Decision::Commit))
            .await
    }

    /// Runs `stmts` as one write transaction written to be all-or-nothing under a single
    /// writer: on SQLite it commits in the same query (a refusal wrote nothing, so `decide`
    /// must say Commit); on PostgreSQL, where concurrent writers can still split it, `decide`
    /// commits or rolls back.
    pub(crate) async fn script_atomic<T, F>(&self, stmts: Vec<Stmt>, decide: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(Vec<Done>) -> StoreResult<Decision<T>> + Send + 'static,
    {
        if self.writer.is_none() {
            return run_in_transaction(&self.writes, stmts, decide).await;
        }
        self.on_writer(move |pool| Box::pin(async move { run_sqlite(&pool, stmts, decide).await }))
            .await
    }

    /// One write statement on its own: on SQLite through the writer thread (queued with the
    /// purchases, no wait for the connection), on PostgreSQL in autocommit.
    pub(crate) async fn write_one(&self, stmt: Stmt) -> StoreResult<Done> {
        let done = if self.writer.is_some() {
            self.script_committed(vec![stmt], Ok).await?
        } else {
            let mut conn = self.writes.acquire().await?;
            run(&mut conn, &stmt.sql, stmt.args).await?
        };
        done.into_iter()
            .next()
            .ok_or(StoreError::Unexpected("the statement did not run"))
    }

    /// Runs `job` on the SQLite writer thread, after the writes queued before it.
    pub(crate) async fn on_writer<T, F>(&self, job: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(AnyPool) -> BoxFuture<'static, StoreResult<T>> + Send + 'static,
    {
        let writer = self
            .writer
            .as_ref()
            .ok_or(StoreError::Unexpected("no writer thread on this database"))?;
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |pool| {
            Box::pin(async move {
                let _ = reply.send(job(pool).await);
            })
        });
        writer.jobs.send(job).map_err(|_| StoreError::WriterGone)?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }
}

/// BEGIN IMMEDIATE, the statements and COMMIT in one query: one round trip.
async fn run_sqlite<T>(
    pool: &AnyPool,
    stmts: Vec<Stmt>,
    decide: impl FnOnce(Vec<Done>) -> StoreResult<Decision<T>>,
) -> StoreResult<T> {
    let mut conn = pool.acquire().await?;
    let (sql, args) = sqlite_script(stmts, true, true);
    match run(&mut *conn, &sql, args).await {
        Ok(mut done) => {
            done.remove(0); // BEGIN's own result
            done.pop(); // COMMIT's
            match decide(done)? {
                Decision::Commit(v) => Ok(v),
                Decision::Rollback(_) => Err(StoreError::Unexpected("rollback after commit")),
            }
        }
        Err(e) => {
            // A statement failed: the transaction is still open.
            if sqlx::Executor::execute(&mut *conn, "ROLLBACK")
                .await
                .is_err()
            {
                conn.close_on_drop();
            }
            Err(e)
        }
    }
}

async fn run_in_transaction<T>(
    pool: &AnyPool,
    stmts: Vec<Stmt>,
    decide: impl FnOnce(Vec<Done>) -> StoreResult<Decision<T>>,
) -> StoreResult<T> {
    let mut tx = pool.begin().await?;
    let mut done = Vec::with_capacity(stmts.len());
    for s in stmts {
        done.extend(run(&mut *tx, &s.sql, s.args).await?);
    }
    match decide(done)? {
        Decision::Commit(v) => {
            tx.commit().await?;
            Ok(v)
        }
        Decision::Rollback(v) => {
            tx.rollback().await?;
            Ok(v)
        }
    }
}

/// Runs a query of one or more statements and splits what comes back per statement.
pub(crate) async fn run(
    conn: &mut AnyConnection,
    sql: &str,
    args: Vec<Val>,
) -> StoreResult<Vec<Done>> {
    let mut q = sqlx::query(sql);
    for a in args {
        q = match a {
            Val::Int(v) => q.bind(v),
            Val::OptInt(v) => q.bind(v),
            Val::Text(v) => q.bind(v),
        };
    }
    let mut steps = sqlx::Executor::fetch_many(conn, q);
    let mut done = Vec::new();
    let mut current = Done::default();
    while let Some(step) = steps.try_next().await? {
        match step {
            Either::Right(row) => current.rows.push(row),
            Either::Left(result) => {
                current.rows_affected = result.rows_affected();
                done.push(std::mem::take(&mut current));
            }
        }
    }
    Ok(done)
}

/// One SQLite query for several statements, their placeholders renumbered to follow each
/// other; `begin` opens the transaction with BEGIN IMMEDIATE (the write lock at once), `commit`
/// ends it.
pub(crate) fn sqlite_script(stmts: Vec<Stmt>, begin: bool, commit: bool) -> (String, Vec<Val>) {
    let mut sql = String::from(if begin { "BEGIN IMMEDIATE;\n" } else { "" });
    let mut args = Vec::new();
    for s in stmts {
        renumber_into(&mut sql, &s.sql, args.len());
        sql.push_str(";\n");
        args.extend(s.args);
    }
    if commit {
        sql.push_str("COMMIT;\n");
    }
    (sql, args)
}

/// Ends a transaction the writer opened by hand; a connection that cannot say so is closed.
pub(crate) async fn end(
    conn: &mut sqlx::pool::PoolConnection<sqlx::Any>,
    commit: bool,
) -> StoreResult<()> {
    let ended =
        sqlx::Executor::execute(&mut **conn, if commit { "COMMIT" } else { "ROLLBACK" }).await;
    if let Err(e) = ended {
        if sqlx::Executor::execute(&mut **conn, "ROLLBACK")
            .await
            .is_err()
        {
            conn.close_on_drop();
        }
        return Err(e.into());
    }
    Ok(())
}

impl Stmt {
    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }

    pub(crate) fn into_args(self) -> Vec<Val> {
        self.args
    }
}

/// Appends `sql` with each `$n` placeholder shifted by `offset`.
fn renumber_into(out: &mut String, sql: &str, offset: usize) {
    let mut rest = sql;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(n) = rest[..digits].parse::<usize>() {
            out.push_str(&(n + offset).to_string());
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_each_other() {
        let (sql, args) = sqlite_script(
            vec![
                Stmt::new("INSERT INTO a VALUES ($1, $2)").bind(1).bind("x"),
                Stmt::new("UPDATE b SET v = $2 WHERE id = $1 AND w = $10")
                    .bind(2)
                    .bind(3),
            ],
            true,
            true,
        );
        assert_eq!(
            sql,
            "BEGIN IMMEDIATE;\nINSERT INTO a VALUES ($1, $2);\nUPDATE b SET v = $4 WHERE id = $3 AND w = $12;\nCOMMIT;\n"
        );
        assert_eq!(
            args,
            vec![Val::Int(1), Val::Text("x".into()), Val::Int(2), Val::Int(3)]
        );
    }

    #[test]
    fn a_lone_dollar_is_kept() {
        let mut out = String::new();
        renumber_into(&mut out, "SELECT '$' || $1", 3);
        assert_eq!(out, "SELECT '$' || $4");
    }
}
