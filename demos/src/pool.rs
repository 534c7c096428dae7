//! A connection pool (deadpool-sqlite) around real SQLite connections on a
//! temporary database file. Fixed: one pool per demo, created lazily on the
//! first round, and a connection held only for its query. Broken: some
//! handlers build a brand-new pool per request, and the others keep their
//! pooled connection while doing slow work that has nothing to do with the
//! database, so the small pool starves and everyone waits.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use deadpool_sqlite::{Config, Pool, Runtime};
use rand::Rng;
use taskscope_probe::resources::PoolProbe;
use tokio::runtime::Handle;
use tokio::sync::OnceCell;
use tokio::task::JoinSet;

use crate::support::{exactly, millis_f64, ms, round_rng, share};
use crate::{Demo, DemoInfo, Knob, RoundFuture, RoundReport, Settings};

pub struct PoolDemo {
    /// The one shared pool, made by the first round that needs it.
    shared: Arc<OnceCell<SharedDb>>,
}

static INFO: DemoInfo = DemoInfo {
    name: "pool",
    summary:
        "a SQLite connection pool; broken: connections held across slow work, pools per request",
    explain: "Each round serves `requests` requests; each runs one SQLite query \
              (plus `query_ms` of extra latency while it holds the connection) and \
              then `work_ms` of slow work unrelated to the database. The pool (the resource \
              `db`) has `pool_size` connections. Fixed: one pool, created once, and the \
              connection goes back to it right after the query: pool_in_use stays \
              low, pool_waiting near zero. Broken: the handler keeps its connection \
              through the slow work, so the pool is empty most of the time, \
              pool_waiting and pool_wait_ms climb and the round takes requests x \
              (query_ms + work_ms) / pool_size; and `fresh_pool_pct`% of the \
              requests build a new pool (and a new connection) for themselves, \
              bypassing the limit the pool was there to enforce (pools_created).",
    knobs: &[
        Knob {
            name: "pool_size",
            default: 2,
            min: 1,
            max: 64,
            help: "connections in the shared pool",
        },
        Knob {
            name: "requests",
            default: 20,
            min: 0,
            max: 10_000,
            help: "requests per round, all at once",
        },
        Knob {
            name: "query_ms",
            default: 5,
            min: 0,
            max: 5000,
            help: "extra latency of each query, spent holding the connection",
        },
        Knob {
            name: "work_ms",
            default: 20,
            min: 0,
            max: 5000,
            help: "slow work after the query that needs no connection",
        },
        Knob {
            name: "fresh_pool_pct",
            default: 25,
            min: 0,
            max: 100,
            help: "broken: share of requests that build their own pool (exact)",
        },
    ],
};

/// Rows in the demo table.
const ROWS: i64 = 100;

impl PoolDemo {
    #[must_use]
    pub fn new() -> Self {
        Self {
            shared: Arc::new(OnceCell::new()),
        }
    }
}

impl Default for PoolDemo {
    fn default() -> Self {
        Self::new()
    }
}

/// What a request does with the database.
#[derive(Clone, Copy)]
struct Request {
    key: i64,
    fresh_pool: bool,
    query_ms: u64,
    work_ms: u64,
    fixed: bool,
}

impl Demo for PoolDemo {
    fn info(&self) -> &'static DemoInfo {
        &INFO
    }

    fn round(&self, s: &Settings, round: u64) -> RoundFuture {
        let shared = Arc::clone(&self.shared);
        let pool_size = usize::try_from(s.count("pool_size").max(1)).unwrap_or(1);
        let requests = s.count("requests");
        let mut rng = round_rng(s, round);
        let fresh = if s.fixed {
            vec![false; usize::try_from(requests).unwrap_or(0)]
        } else {
            exactly(
                &mut rng,
                requests,
                share(requests, s.count("fresh_pool_pct")),
            )
        };
        let plan: Vec<Request> = fresh
            .into_iter()
            .map(|fresh_pool| Request {
                key: rng.random_range(1..=ROWS),
                fresh_pool,
                query_ms: s.count("query_ms"),
                work_ms: s.count("work_ms"),
                fixed: s.fixed,
            })
            .collect();
        Box::pin(async move {
            let mut report = RoundReport::default();
            let db = match shared.get_or_try_init(|| SharedDb::open(pool_size)).await {
                Ok(db) => db,
                Err(_) => {
                    report.errors = plan.len() as u64;
                    return report;
                }
            };
            if db.pool.status().max_size != pool_size {
                db.pool.resize(pool_size);
                db.probe.set_size(pool_size);
            }
            let mut set = JoinSet::new();
            for request in plan {
                let (pool, probe, path) = (db.pool.clone(), db.probe.clone(), db.file.path.clone());
                set.spawn(async move { serve(request, &pool, &probe, path).await });
            }
            while let Some(done) = set.join_next().await {
                match done {
                    Ok(Ok(())) => report.items += 1,
                    _ => report.errors += 1,
                }
            }
            publish(&db.pool);
            report
        })
    }
}

#[derive(Debug)]
struct DbError;

async fn serve(
    request: Request,
    shared: &Pool,
    probe: &PoolProbe,
    path: PathBuf,
) -> Result<(), DbError> {
    if request.fresh_pool {
        // The mistake: a pool per request is no pool at all.
        let own = new_pool(path, 1)?;
        metrics::counter!("pools_created").increment(1);
        let conn = own.get().await.map_err(|_| DbError)?;
        query(&conn, request).await?;
        slow_work(request.work_ms).await;
        return Ok(());
    }
    let asked = Instant::now();
    let conn = probe.acquire(shared.get()).await.map_err(|_| DbError)?;
    metrics::histogram!("pool_wait_ms").record(millis_f64(asked.elapsed()));
    publish(shared);
    query(&conn, request).await?;
    if request.fixed {
        drop(conn);
        publish(shared);
        slow_work(request.work_ms).await;
    } else {
        // The mistake: the connection stays checked out during work that
        // does not need it.
        slow_work(request.work_ms).await;
        drop(conn);
        publish(shared);
    }
    Ok(())
}

async fn query(conn: &deadpool_sqlite::Connection, request: Request) -> Result<i64, DbError> {
    tokio::time::sleep(ms(request.query_ms)).await;
    let key = request.key;
    let price = conn
        .interact(move |c| {
            c.query_row("SELECT price FROM items WHERE id = ?1", [key], |row| {
                row.get::<_, i64>(0)
            })
        })
        .await
        .map_err(|_| DbError)?
        .map_err(|_| DbError)?;
    metrics::counter!("items_done").increment(1);
    Ok(price)
}

async fn slow_work(work_ms: u64) {
    tokio::time::sleep(ms(work_ms)).await;
}

fn publish(pool: &Pool) {
    let status = pool.status();
    metrics::gauge!("pool_in_use").set(status.size.saturating_sub(status.available) as f64);
    metrics::gauge!("pool_idle").set(status.available as f64);
    metrics::gauge!("pool_waiting").set(status.waiting as f64);
    metrics::gauge!("pool_size").set(status.max_size as f64);
}

fn new_pool(path: PathBuf, size: usize) -> Result<Pool, DbError> {
    Config::new(path)
        .builder(Runtime::Tokio1)
        .map_err(|_| DbError)?
        .max_size(size)
        .build()
        .map_err(|_| DbError)
}

/// The shared pool and the file it points at.
struct SharedDb {
    pool: Pool,
    /// Records who holds and who waits for the pool's connections.
    probe: PoolProbe,
    /// Connections are closed on the runtime's blocking threads, so the
    /// pool must be dropped where a runtime is current.
    runtime: Handle,
    file: TempDb,
}

impl SharedDb {
    async fn open(size: usize) -> Result<Self, DbError> {
        let file = TempDb::new();
        let pool = new_pool(file.path.clone(), size)?;
        let conn = pool.get().await.map_err(|_| DbError)?;
        conn.interact(|c| {
            c.execute_batch(
                "CREATE TABLE items (id INTEGER PRIMARY KEY, price INTEGER NOT NULL);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
                 INSERT INTO items SELECT i, i * 7 % 50 FROM n;",
            )
        })
        .await
        .map_err(|_| DbError)?
        .map_err(|_| DbError)?;
        metrics::counter!("pools_created").increment(1);
        Ok(Self {
            pool,
            probe: PoolProbe::new_named("db", size),
            runtime: Handle::current(),
            file,
        })
    }
}

impl Drop for SharedDb {
    fn drop(&mut self) {
        // Closing drops the idle connections, which deadpool does with
        // spawn_blocking: that needs a runtime, even when the demo itself is
        // dropped outside one.
        let _inside = self.runtime.enter();
        self.pool.close();
    }
}

/// A database file in the temp dir, removed on drop.
struct TempDb {
    path: PathBuf,
}

impl TempDb {
    fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "taskscope-pool-{}-{}-{nanos}.sqlite",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        Self {
            path: std::env::temp_dir().join(name),
        }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut path = self.path.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}
