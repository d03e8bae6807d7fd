//! Requests against DynamoDB Local: the mapper against the raw AWS SDK calls a
//! careful programmer would write instead, in the same process, in alternating
//! blocks, with medians.
//!
//! ```text
//! cargo bench --bench requests                          # everything (about 16 minutes)
//! cargo bench --bench requests -- get query scan        # some sections only
//! BENCH_SCALE=0.02 cargo bench --bench requests         # a smoke run (about 1 minute)
//! ```
//!
//! Sections, with their time at the default sizes on a 2-core machine:
//!
//! | section | what | time |
//! |---|---|---|
//! | `put` | `put` of a struct without a version against `put_item` | 1.2 min |
//! | `vput` | version-checked `put` against `put_item` with the same condition | 1.2 min |
//! | `get` | `get` against `get_item` | 1.2 min |
//! | `query` | one page of 100 against `query` | 1.2 min |
//! | `bulk` | the batch writer against `batch_write_item` of 25 in a `JoinSet` | 2 min |
//! | `scan` | the whole table, every item decoded: `stream()` / `parallel(n)` against n raw segment loops | 1.5 min |
//! | `memory` | peak RSS of streaming scans of 10,000 to 1,000,000 items, and of `parallel(n)` | 7.5 min |
//!
//! Each comparison runs at 1, 4 and 16 requests in flight. For single-item
//! requests that is n tasks, each sending its requests back to back for a
//! fixed time; for the bulk load, at most n `BatchWriteItem` requests at a
//! time; for the scan, n segments (1: the sequential scan). ORM and raw SDK
//! take turns in blocks (ORM, raw, raw, ORM, ...), and the medians of the
//! blocks are compared: throughput (ORM / raw, target ≥ 0.97) and client CPU
//! per item (ORM / raw, target ≤ 1.10). The client CPU is this process's user
//! and system time (`/proc/self/stat`, 10 ms ticks: blocks last seconds), so
//! DynamoDB Local's own CPU is not in it. The memory section re-runs this
//! binary as a child for each case (`--scan-rss-child`) and reads its peak RSS.
//!
//! The raw baselines send what a careful hand-written program sends and
//! nothing more: no `ReturnConsumedCapacity` (the mapper does not ask for it
//! either unless told to), no parameter at its default value. The raw
//! version-checked put sends the mapper's semantics: the condition on the
//! version attribute (`attribute_not_exists` for a new item, `=` the expected
//! version otherwise) and `ReturnValuesOnConditionCheckFailure ALL_OLD`, so a
//! conflict comes back with the stored item.
//!
//! Sizes and rounds come from the environment. `BENCH_SCALE` multiplies every
//! size and duration (default 1; the rounds stay). One at a time:
//! `BENCH_IN_FLIGHT` (`1,4,16`), `BENCH_ROUNDS` (4 blocks of each side per
//! comparison), `BENCH_BULK_ROUNDS` and `BENCH_SCAN_ROUNDS` (default
//! `BENCH_ROUNDS`), `BENCH_BLOCK_MS` (2,500: one block of single requests),
//! `BENCH_WARMUP_MS` (1,000: a block of each side before each comparison),
//! `BENCH_BULK_ITEMS` (25,000), `BENCH_SCAN_ITEMS` (100,000),
//! `BENCH_MEMORY_SMALL` (10,000), `BENCH_MEMORY_LARGE` (the scan table's
//! size, at least 50,000) and `BENCH_MEMORY_HUGE` (1,000,000: loading it
//! takes about 2 minutes, streaming it 5.5). Scaled down, the memory sizes
//! stay at 10,000, 50,000 and 100,000 or more: below a few pages peak RSS
//! says nothing. The scans (both sides, in the scan and memory sections) read pages of
//! `BENCH_SCAN_PAGE` items (4,000, about 1 MB; 0: no `Limit`), because
//! DynamoDB Local reads its whole table for each page of a scan without one,
//! which takes minutes per page at 1,000,000 items.
//! `DYNAMODB_ENDPOINT` points the bench at another server instead of a
//! DynamoDB Local it starts; `DYNAMODB_LOCAL_JAVA_OPTS` gives that server's
//! JVM options (`-Xmx12g`: DynamoDB Local holds the 1,000,000 items in its
//! heap, about 4 GB).
//!
//! Under `cargo test` (which passes no `--bench`) it does nothing.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::future::{Future, ready};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{PutRequest, ReturnValuesOnConditionCheckFailure, WriteRequest};
use dynamo_orm::local::{DynamoDbLocal, client_for, unique_table_name};
use dynamo_orm::{AttributeValue, DynamoItem, Item, Table};
use futures::future::BoxFuture;
use futures::{FutureExt, Stream, TryStreamExt};
use tokio::task::JoinSet;

#[path = "support/user.rs"]
mod user;

use user::{User, hand_from_item, hand_key, hand_to_item};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Res<T> = Result<T, BoxError>;

const CHILD_FLAG: &str = "--scan-rss-child";
/// The page the query benchmark reads.
const QUERY_PAGE: usize = 100;
/// `BatchWriteItem` takes at most 25 writes.
const BATCH: usize = 25;
const SECTIONS: [&str; 7] = ["put", "vput", "get", "query", "bulk", "scan", "memory"];
/// The issue's targets: ORM / raw throughput, and ORM / raw client CPU per item.
const THROUGHPUT_TARGET: f64 = 0.97;
const CPU_TARGET: f64 = 1.10;

/// The medium user without a version attribute: a plain put sends no
/// condition. Stored as the same item as [`User`] (`version` is an ordinary
/// number here).
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "bench_users")]
struct PlainUser {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(range_key)]
    date_joined: i64,
    first_name: String,
    last_name: String,
    friend_count: u32,
    friends: HashSet<String>,
    recent_posts: Vec<String>,
    balance: f64,
    active: bool,
    nickname: Option<String>,
    version: u64,
}

impl From<User> for PlainUser {
    fn from(u: User) -> Self {
        PlainUser {
            username: u.username,
            date_joined: u.date_joined,
            first_name: u.first_name,
            last_name: u.last_name,
            friend_count: u.friend_count,
            friends: u.friends,
            recent_posts: u.recent_posts,
            balance: u.balance,
            active: u.active,
            nickname: u.nickname,
            version: u.version,
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --benches` runs this binary without `--bench`: nothing to do.
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    if let Some(i) = args.iter().position(|a| a == CHILD_FLAG) {
        if let Err(e) = rss_child(&args[i + 1..]) {
            eprintln!("scan child: {e}");
            std::process::exit(1);
        }
        return;
    }
    let wanted: Vec<&str> = args
        .iter()
        .skip(1)
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    for w in &wanted {
        if !SECTIONS.contains(w) {
            eprintln!("unknown section {w:?}; sections: {}", SECTIONS.join(", "));
            std::process::exit(2);
        }
    }
    let run = |section: &str| wanted.is_empty() || wanted.contains(&section);
    let config = Config::from_env();
    eprintln!("{config:?}");

    let started = Instant::now();
    let server = DynamoDbLocal::start().expect("DynamoDB Local (or DYNAMODB_ENDPOINT)");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("Tokio runtime");
    let mut report = Report::default();
    let result: Res<()> = runtime.block_on(async {
        let client = server.client().await;
        let single = ["put", "vput", "get", "query"];
        if single.iter().any(|s| run(s)) {
            let ctx = Single::new(&client).await?;
            for section in single.into_iter().filter(|s| run(s)) {
                single_section(&ctx, section, &config, &mut report).await?;
            }
            ctx.users.delete_table().await?;
        }
        if run("bulk") {
            bulk(&client, &config, &mut report).await?;
        }
        if run("scan") || run("memory") {
            let large = load_table(&client, "bench_scan", config.scan_items).await?;
            if run("scan") {
                scan(&client, &large, &config, &mut report).await?;
            }
            if run("memory") {
                memory(&client, server.endpoint(), &large, &config, &mut report).await?;
            }
            large.delete_table().await?;
        }
        Ok(())
    });
    if let Err(e) = result {
        eprintln!("requests benchmark failed: {e}");
        std::process::exit(1);
    }
    let text = report.finish();
    println!("\n{text}");
    eprintln!("requests benchmark: {}", minutes(started.elapsed()));
    save_summary(&text);
}

// ------------------------------------------------------------------ configuration

#[derive(Debug)]
struct Config {
    in_flight: Vec<usize>,
    /// Blocks of each side per comparison of single requests.
    rounds: usize,
    bulk_rounds: usize,
    scan_rounds: usize,
    /// One block of single requests.
    block: Duration,
    /// A block of each side before each comparison, not counted.
    warmup: Duration,
    bulk_items: usize,
    scan_items: usize,
    memory_small: usize,
    memory_large: usize,
    memory_huge: usize,
    /// The page size (`Limit`) of every scan; 0 for the server's own pages.
    scan_page: u32,
}

fn env_usize(name: &str) -> Option<usize> {
    let v = std::env::var(name).ok()?;
    Some(
        v.trim()
            .replace(['_', ','], "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
    )
}

impl Config {
    fn from_env() -> Self {
        let scale: f64 = std::env::var("BENCH_SCALE")
            .ok()
            .map(|v| v.parse().expect("BENCH_SCALE is a number"))
            .unwrap_or(1.0);
        let scaled = |name: &str, default: usize, min: usize| {
            env_usize(name).unwrap_or_else(|| ((default as f64 * scale) as usize).max(min))
        };
        let rounds = env_usize("BENCH_ROUNDS").unwrap_or(4).max(1);
        let scan_items = scaled("BENCH_SCAN_ITEMS", 100_000, 2_000);
        Config {
            in_flight: std::env::var("BENCH_IN_FLIGHT")
                .ok()
                .map(|v| {
                    v.split(',')
                        .map(|n| n.trim().parse().expect("BENCH_IN_FLIGHT: numbers"))
                        .collect()
                })
                .unwrap_or_else(|| vec![1, 4, 16]),
            rounds,
            bulk_rounds: env_usize("BENCH_BULK_ROUNDS").unwrap_or(rounds).max(1),
            scan_rounds: env_usize("BENCH_SCAN_ROUNDS").unwrap_or(rounds).max(1),
            block: Duration::from_millis(scaled("BENCH_BLOCK_MS", 2_500, 250) as u64),
            warmup: Duration::from_millis(scaled("BENCH_WARMUP_MS", 1_000, 100) as u64),
            bulk_items: scaled("BENCH_BULK_ITEMS", 25_000, 500),
            scan_items,
            // Below a few pages (a page holds about 3,000 of these items)
            // memory says nothing: the smallest sizes stay above that.
            memory_small: scaled("BENCH_MEMORY_SMALL", 10_000, 10_000),
            memory_large: env_usize("BENCH_MEMORY_LARGE").unwrap_or(scan_items.max(50_000)),
            memory_huge: scaled("BENCH_MEMORY_HUGE", 1_000_000, 100_000),
            // DynamoDB Local answers a Scan without `Limit` by reading the
            // whole table: each page takes longer as the table grows (10,000
            // items streamed in 0.4 s, 200,000 in 55 s; the first page of
            // 1,000,000 had not come in 8 minutes). 4,000 of these items are
            // about 1 MB, the page DynamoDB sends.
            scan_page: env_usize("BENCH_SCAN_PAGE").unwrap_or(4_000) as u32,
        }
    }
}

// ------------------------------------------------------------------ measuring

/// CPU time this process used so far (all threads, user + system), from
/// `/proc/self/stat`: the client's own cost, apart from the server's.
fn process_cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // After the command name in parentheses: state is field 3, utime 14, stime 15.
            let rest = &stat[stat.rfind(')')? + 2..];
            let fields: Vec<&str> = rest.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

/// One block of one side: items done, wall time, client CPU.
#[derive(Clone, Copy, Debug)]
struct Block {
    items: u64,
    wall: Duration,
    cpu: Duration,
}

impl Block {
    fn per_sec(&self) -> f64 {
        self.items as f64 / self.wall.as_secs_f64()
    }

    /// Client CPU per item, in microseconds.
    fn cpu_us(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e6 / self.items.max(1) as f64
    }
}

/// Runs `work` (which returns how many items it did) and measures it.
async fn measured(work: impl Future<Output = Res<u64>>) -> Res<Block> {
    let cpu = process_cpu();
    let start = Instant::now();
    let items = work.await?;
    Ok(Block {
        items,
        wall: start.elapsed(),
        cpu: process_cpu().saturating_sub(cpu),
    })
}

/// Runs `body` back to back until `deadline`; evaluates to how many times it
/// ran. A macro, not a function: the body borrows the task's state (`&mut`
/// items) and must cost nothing beyond itself on either side.
macro_rules! repeat_until {
    ($deadline:expr, $body:block) => {{
        let mut sent: u64 = 0;
        while Instant::now() < $deadline {
            $body
            sent += 1;
        }
        sent
    }};
}

/// `n` tasks, each running `worker(task, deadline)`: requests back to back
/// until `duration` has passed, returning how many it sent.
async fn in_flight<F, Fut>(n: usize, duration: Duration, worker: F) -> Res<Block>
where
    F: Fn(usize, Instant) -> Fut,
    Fut: Future<Output = Res<u64>> + Send + 'static,
{
    measured(async {
        let deadline = Instant::now() + duration;
        let mut tasks = JoinSet::new();
        for task in 0..n {
            tasks.spawn(worker(task, deadline));
        }
        let mut total = 0;
        while let Some(done) = tasks.join_next().await {
            total += done??;
        }
        Ok(total)
    })
    .await
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Orm,
    Raw,
}

/// `rounds` blocks of each side, in the order ORM, raw, raw, ORM, ORM, raw,
/// ...: both see the same server, the same moments, the same noise.
async fn alternate<'a>(
    what: &str,
    rounds: usize,
    mut run: impl FnMut(Side) -> BoxFuture<'a, Res<Block>>,
) -> Res<(Vec<Block>, Vec<Block>)> {
    let (mut orm, mut raw) = (Vec::new(), Vec::new());
    for i in 0..2 * rounds {
        let side = if matches!(i % 4, 0 | 3) {
            Side::Orm
        } else {
            Side::Raw
        };
        let block = run(side).await?;
        eprintln!(
            "   {what} {side:?}: {} items in {:.2} s, {:.0}/s, cpu {:.2} s ({:.1} µs/item)",
            block.items,
            block.wall.as_secs_f64(),
            block.per_sec(),
            block.cpu.as_secs_f64(),
            block.cpu_us()
        );
        match side {
            Side::Orm => orm.push(block),
            Side::Raw => raw.push(block),
        }
    }
    Ok((orm, raw))
}

fn median(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.into_iter().collect();
    v.sort_unstable_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn minutes(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02} min", s / 60, s % 60)
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

// ------------------------------------------------------------------ the report

/// ORM against raw at one level of in-flight requests.
struct Row {
    in_flight: usize,
    orm: Vec<Block>,
    raw: Vec<Block>,
}

impl Row {
    fn throughput(blocks: &[Block]) -> f64 {
        median(blocks.iter().map(Block::per_sec))
    }

    fn cpu(blocks: &[Block]) -> f64 {
        median(blocks.iter().map(Block::cpu_us))
    }

    fn throughput_ratio(&self) -> f64 {
        Self::throughput(&self.orm) / Self::throughput(&self.raw)
    }

    fn cpu_ratio(&self) -> f64 {
        Self::cpu(&self.orm) / Self::cpu(&self.raw)
    }
}

#[derive(Default)]
struct Report {
    sections: String,
    /// (comparison, throughput ratio, CPU ratio) for the closing table.
    targets: Vec<(String, f64, f64)>,
    /// Memory targets: (what, result, met).
    memory_targets: Vec<(String, String, bool)>,
}

impl Report {
    fn comparison(&mut self, title: &str, short: &str, unit: &str, rows: &[Row]) {
        let s = &mut self.sections;
        let _ = writeln!(
            s,
            "### {title}\n\n\
             | in flight | ORM {unit}/s | raw {unit}/s | ORM / raw throughput | target ≥ {THROUGHPUT_TARGET} \
             | ORM CPU per {unit} | raw CPU per {unit} | ORM / raw CPU | target ≤ {CPU_TARGET:.2} |\n\
             |---:|---:|---:|---:|---|---:|---:|---:|---|"
        );
        for row in rows {
            let (t, c) = (row.throughput_ratio(), row.cpu_ratio());
            let _ = writeln!(
                s,
                "| {} | {:.0} | {:.0} | {t:.3} | {} | {:.1} µs | {:.1} µs | {c:.3} | {} |",
                row.in_flight,
                Row::throughput(&row.orm),
                Row::throughput(&row.raw),
                met(t >= THROUGHPUT_TARGET),
                Row::cpu(&row.orm),
                Row::cpu(&row.raw),
                met(c <= CPU_TARGET),
            );
            self.targets
                .push((format!("{short}, {} in flight", row.in_flight), t, c));
        }
        s.push('\n');
    }

    fn finish(self) -> String {
        let mut s = self.sections;
        if !self.targets.is_empty() {
            let _ = writeln!(
                s,
                "### Targets: ORM against raw SDK\n\n| comparison | ORM / raw throughput | target ≥ {THROUGHPUT_TARGET} \
                 | ORM / raw CPU per item | target ≤ {CPU_TARGET:.2} |\n|---|---:|---|---:|---|"
            );
            for (what, t, c) in &self.targets {
                let _ = writeln!(
                    s,
                    "| {what} | {t:.3} | {} | {c:.3} | {} |",
                    met(*t >= THROUGHPUT_TARGET),
                    met(*c <= CPU_TARGET)
                );
            }
            s.push('\n');
        }
        if !self.memory_targets.is_empty() {
            let _ = writeln!(
                s,
                "### Targets: memory\n\n| target | result | met |\n|---|---:|---|"
            );
            for (what, result, ok) in &self.memory_targets {
                let _ = writeln!(s, "| {what} | {result} | {} |", met(*ok));
            }
            s.push('\n');
        }
        s
    }
}

// ------------------------------------------------------------------ single requests

/// A fresh number for each block, so each block writes its own keys.
fn next_block() -> u64 {
    static BLOCK: AtomicU64 = AtomicU64::new(0);
    BLOCK.fetch_add(1, Ordering::Relaxed)
}

async fn fresh_table(client: &Client, prefix: &str) -> Res<Table<User>> {
    let table = Table::<User>::new(client.clone()).with_name(unique_table_name(prefix));
    table.create().await?;
    Ok(table)
}

/// What the single-request benchmarks share: one table, with a partition of
/// more than a page for the query and one item for the get.
#[derive(Clone)]
struct Single {
    client: Client,
    name: String,
    users: Table<User>,
    plain: Table<PlainUser>,
}

impl Single {
    async fn new(client: &Client) -> Res<Self> {
        user::assert_conversions_agree(&user::sample_user(), hand_to_item, hand_from_item);
        let sample = user::sample_user();
        let plain_item = PlainUser::from(sample.clone()).to_item()?;
        assert_eq!(plain_item, hand_to_item(&sample), "PlainUser stores a User");

        let users = fresh_table(client, "bench_single").await?;
        let name = users.name().to_owned();
        let mut writer = users.batch_writer().unversioned_writes();
        for i in 0..(QUERY_PAGE as u64 + 50) {
            writer
                .put(&user::user("query-user".into(), i as i64, i))
                .await?;
        }
        writer.put(&user::user("get-user".into(), 7, 7)).await?;
        writer.finish().await?;
        let plain = Table::<PlainUser>::new(client.clone()).with_name(name.as_str());
        Ok(Single {
            client: client.clone(),
            name,
            users,
            plain,
        })
    }

    /// One block of `section` on `side` with `n` tasks for `duration`.
    async fn block(&self, section: &str, side: Side, n: usize, duration: Duration) -> Res<Block> {
        let block = next_block();
        let ctx = self.clone();
        match (section, side) {
            ("put", Side::Orm) => {
                in_flight(n, duration, move |task, deadline| {
                    let table = ctx.plain.clone();
                    let item = PlainUser::from(user::user(format!("put-orm-{task}"), 1, 1));
                    async move {
                        let sent = repeat_until!(deadline, {
                            table.put(&item).await?;
                        });
                        Ok::<_, BoxError>(sent)
                    }
                })
                .await
            }
            ("put", Side::Raw) => {
                in_flight(n, duration, move |task, deadline| {
                    let (client, name) = (ctx.client.clone(), ctx.name.clone());
                    let u = user::user(format!("put-raw-{task}"), 1, 1);
                    async move {
                        let sent = repeat_until!(deadline, {
                            client
                                .put_item()
                                .table_name(&name)
                                .set_item(Some(hand_to_item(&u)))
                                .send()
                                .await?;
                        });
                        Ok::<_, BoxError>(sent)
                    }
                })
                .await
            }
            ("vput", Side::Orm) => {
                in_flight(n, duration, move |task, deadline| {
                    let table = ctx.users.clone();
                    let mut u = user::user(format!("vput-orm-{block}-{task}"), 1, 1);
                    u.version = 0;
                    async move {
                        let sent = repeat_until!(deadline, {
                            table.put(&mut u).await?;
                        });
                        if u.version != sent {
                            return Err(
                                format!("orm put: version {} after {sent}", u.version).into()
                            );
                        }
                        Ok::<_, BoxError>(sent)
                    }
                })
                .await
            }
            ("vput", Side::Raw) => {
                in_flight(n, duration, move |task, deadline| {
                    let (client, name) = (ctx.client.clone(), ctx.name.clone());
                    let mut u = user::user(format!("vput-raw-{block}-{task}"), 1, 1);
                    u.version = 0;
                    async move {
                        let sent = repeat_until!(deadline, {
                            raw_versioned_put(&client, &name, &mut u).await?;
                        });
                        Ok::<_, BoxError>(sent)
                    }
                })
                .await
            }
            ("get", Side::Orm) => {
                in_flight(n, duration, move |_, deadline| {
                    let table = ctx.users.clone();
                    async move {
                        let sent = repeat_until!(deadline, {
                            table
                                .get(User::key("get-user", 7))
                                .await?
                                .ok_or("orm get: no item")?;
                        });
                        Ok::<_, BoxError>(sent)
                    }
                })
                .await
            }
            ("get", Side::Raw) => {
                in_flight(n, duration, move |_, deadline| {
                    let (client, name) = (ctx.client.clone(), ctx.name.clone());
                    async move {
                        let sent = repeat_until!(deadline, {
                            raw_get(&client, &name, "get-user", 7).await?;
                        });
                        Ok::<_, BoxError>(sent)
                    }
                })
                .await
            }
            ("query", Side::Orm) => {
                in_flight(n, duration, move |_, deadline| {
                    let table = ctx.users.clone();
                    async move {
                        let sent = repeat_until!(deadline, {
                            let users = table.query("query-user").limit(QUERY_PAGE).all().await?;
                            if users.len() != QUERY_PAGE {
                                return Err(format!("orm query: {} items", users.len()).into());
                            }
                        });
                        Ok::<_, BoxError>(sent)
                    }
                })
                .await
            }
            ("query", Side::Raw) => {
                in_flight(n, duration, move |_, deadline| {
                    let (client, name) = (ctx.client.clone(), ctx.name.clone());
                    async move {
                        let sent = repeat_until!(deadline, {
                            raw_query(&client, &name, "query-user").await?;
                        });
                        Ok::<_, BoxError>(sent)
                    }
                })
                .await
            }
            _ => Err(format!("no single-request section {section}").into()),
        }
    }
}

/// The version-checked `PutItem` a careful programmer writes for the ORM's
/// semantics: the version bumped in the item, the condition on the stored
/// version, and the stored item back when the condition fails (to report the
/// conflict). Nothing else: no capacity, no return values.
async fn raw_versioned_put(client: &Client, table: &str, u: &mut User) -> Res<()> {
    let mut item = hand_to_item(u);
    let new_version = u.version + 1;
    item.insert(
        "version".to_string(),
        AttributeValue::N(new_version.to_string()),
    );
    let request = client
        .put_item()
        .table_name(table)
        .set_item(Some(item))
        .expression_attribute_names("#v", "version");
    let request = if u.version == 0 {
        request.condition_expression("attribute_not_exists(#v)")
    } else {
        request
            .condition_expression("#v = :v")
            .expression_attribute_values(":v", AttributeValue::N(u.version.to_string()))
    };
    request
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await?;
    u.version = new_version;
    Ok(())
}

async fn raw_get(client: &Client, table: &str, username: &str, date_joined: i64) -> Res<User> {
    let out = client
        .get_item()
        .table_name(table)
        .set_key(Some(hand_key(username, date_joined)))
        .send()
        .await?;
    let item = out.item.ok_or("raw get: no item")?;
    Ok(hand_from_item(&item)?)
}

/// One page of 100.
async fn raw_query(client: &Client, table: &str, username: &str) -> Res<Vec<User>> {
    let out = client
        .query()
        .table_name(table)
        .key_condition_expression("#k = :k")
        .expression_attribute_names("#k", "username")
        .expression_attribute_values(":k", AttributeValue::S(username.to_string()))
        .limit(QUERY_PAGE as i32)
        .send()
        .await?;
    let users = out
        .items
        .unwrap_or_default()
        .iter()
        .map(hand_from_item)
        .collect::<Result<Vec<_>, _>>()?;
    if users.len() != QUERY_PAGE {
        return Err(format!("raw query: {} items", users.len()).into());
    }
    Ok(users)
}

async fn single_section(
    ctx: &Single,
    section: &str,
    config: &Config,
    report: &mut Report,
) -> Res<()> {
    let (title, short, unit) = match section {
        "put" => (
            "Put of a struct without a version: `put` against `put_item`",
            "put",
            "put",
        ),
        "vput" => (
            "Version-checked put: `put(&mut item)` against `put_item` with the same condition",
            "version-checked put",
            "put",
        ),
        "get" => ("Get: `get` against `get_item`", "get", "get"),
        "query" => (
            "Query, one page of 100 decoded: `query(..).limit(100)` against `query`",
            "query of 100",
            "query",
        ),
        _ => return Err(format!("no section {section}").into()),
    };
    eprintln!(
        "== {section}: {} blocks of {:.1} s per side",
        config.rounds,
        config.block.as_secs_f64()
    );
    let mut rows = Vec::new();
    for &n in &config.in_flight {
        for side in [Side::Orm, Side::Raw] {
            ctx.block(section, side, n, config.warmup).await?;
        }
        let (orm, raw) = alternate(&format!("{section} x{n}"), config.rounds, |side| {
            ctx.block(section, side, n, config.block).boxed()
        })
        .await?;
        rows.push(Row {
            in_flight: n,
            orm,
            raw,
        });
    }
    let title = format!(
        "{title} ({} blocks of {:.2} s each, alternating)",
        config.rounds,
        config.block.as_secs_f64()
    );
    report.comparison(&title, short, unit, &rows);
    Ok(())
}

// ------------------------------------------------------------------ bulk load

fn bulk_users(n: usize) -> Vec<User> {
    (0..n as u64)
        .map(|i| user::user(format!("bulk{i:07}"), i as i64, i))
        .collect()
}

/// The item the writer stores for a user: `unversioned_writes` stores the
/// version plus one, so the raw loop does too (same bytes on the wire).
fn put_request(u: &User) -> Res<WriteRequest> {
    let mut item = hand_to_item(u);
    item.insert(
        "version".to_string(),
        AttributeValue::N((u.version + 1).to_string()),
    );
    Ok(WriteRequest::builder()
        .put_request(PutRequest::builder().set_item(Some(item)).build()?)
        .build())
}

async fn orm_writer(table: &Table<User>, users: &[User], concurrency: usize) -> Res<u64> {
    let mut writer = table
        .batch_writer()
        .unversioned_writes()
        .concurrency(concurrency);
    for u in users {
        writer.put(u).await?;
    }
    let summary = writer.finish().await?;
    if summary.items_written != users.len() as u64 {
        return Err(format!("writer wrote {} items", summary.items_written).into());
    }
    Ok(summary.items_written)
}

/// One `BatchWriteItem`, resent until DynamoDB has taken every write.
async fn send_batch(client: Client, table: String, mut requests: Vec<WriteRequest>) -> Res<()> {
    let mut attempt = 0u32;
    loop {
        let out = client
            .batch_write_item()
            .request_items(&table, requests)
            .send()
            .await?;
        requests = out
            .unprocessed_items
            .and_then(|mut m| m.remove(&table))
            .unwrap_or_default();
        if requests.is_empty() {
            return Ok(());
        }
        attempt += 1;
        tokio::time::sleep(Duration::from_millis(10 << attempt.min(8))).await;
    }
}

/// `BatchWriteItem` of 25 with at most `concurrency` requests in flight,
/// items converted by the loop as the writer's `put` does.
async fn raw_batch(client: &Client, table: &str, users: &[User], concurrency: usize) -> Res<u64> {
    let mut in_flight = JoinSet::new();
    for chunk in users.chunks(BATCH) {
        let requests = chunk.iter().map(put_request).collect::<Res<Vec<_>>>()?;
        if in_flight.len() >= concurrency
            && let Some(done) = in_flight.join_next().await
        {
            done??;
        }
        in_flight.spawn(send_batch(client.clone(), table.to_owned(), requests));
    }
    while let Some(done) = in_flight.join_next().await {
        done??;
    }
    Ok(users.len() as u64)
}

/// Loads `users` into a fresh table, checks they are all there (outside the
/// time), and drops the table.
async fn load_once(client: &Client, users: &[User], side: Side, n: usize) -> Res<Block> {
    let table = fresh_table(client, "bench_bulk").await?;
    let name = table.name().to_owned();
    let block = measured(async {
        match side {
            Side::Orm => orm_writer(&table, users, n).await,
            Side::Raw => raw_batch(client, &name, users, n).await,
        }
    })
    .await?;
    let count = table.scan().count().await?;
    if count != users.len() as u64 {
        return Err(format!("{} items stored of {}", count, users.len()).into());
    }
    table.delete_table().await?;
    Ok(block)
}

async fn bulk(client: &Client, config: &Config, report: &mut Report) -> Res<()> {
    let users = bulk_users(config.bulk_items);
    eprintln!(
        "== bulk: {} items, {} loads per side and level",
        users.len(),
        config.bulk_rounds
    );
    // DynamoDB Local is a JVM: its first thousands of writes run slower
    // while the JIT compiles. Warm it with both loaders before measuring.
    let warm = &users[..users.len().min(5_000)];
    for side in [Side::Orm, Side::Raw] {
        load_once(client, warm, side, 4).await?;
    }
    let mut rows = Vec::new();
    for &n in &config.in_flight {
        let (orm, raw) = alternate(&format!("bulk x{n}"), config.bulk_rounds, |side| {
            load_once(client, &users, side, n).boxed()
        })
        .await?;
        rows.push(Row {
            in_flight: n,
            orm,
            raw,
        });
    }
    let title = format!(
        "Bulk load of {} medium items: the batch writer against `batch_write_item` of 25 in a `JoinSet` \
         (a fresh table per load; {} loads each, alternating)",
        users.len(),
        config.bulk_rounds
    );
    report.comparison(&title, "bulk load", "item", &rows);
    Ok(())
}

// ------------------------------------------------------------------ scans

async fn load_table(client: &Client, prefix: &str, n: usize) -> Res<Table<User>> {
    eprintln!("== loading {n} items for the scans");
    let table = fresh_table(client, prefix).await?;
    let start = Instant::now();
    let mut writer = table.batch_writer().unversioned_writes().concurrency(16);
    for i in 0..n as u64 {
        writer
            .put(&user::user(format!("scan{i:07}"), i as i64, i))
            .await?;
    }
    writer.finish().await?;
    eprintln!(
        "   loaded {n} items in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    Ok(table)
}

async fn count_stream(stream: impl Stream<Item = dynamo_orm::Result<User>>) -> Res<u64> {
    Ok(stream.try_fold(0u64, |n, _| ready(Ok(n + 1))).await?)
}

/// The whole table (or one segment of it), page by page, every item decoded.
async fn raw_scan_segment(
    client: Client,
    table: String,
    page: u32,
    segment: Option<(i32, i32)>,
) -> Res<u64> {
    let limit = (page > 0).then_some(page as i32);
    let mut start: Option<Item> = None;
    let mut count = 0;
    loop {
        let out = client
            .scan()
            .table_name(&table)
            .set_segment(segment.map(|s| s.0))
            .set_total_segments(segment.map(|s| s.1))
            .set_limit(limit)
            .set_exclusive_start_key(start)
            .send()
            .await?;
        for item in out.items.unwrap_or_default() {
            let user = hand_from_item(&item)?;
            drop(user);
            count += 1;
        }
        start = out.last_evaluated_key;
        if start.is_none() {
            return Ok(count);
        }
    }
}

async fn raw_scan(client: &Client, table: &str, page: u32, n: usize) -> Res<u64> {
    if n == 1 {
        return raw_scan_segment(client.clone(), table.to_owned(), page, None).await;
    }
    let mut segments = JoinSet::new();
    for s in 0..n as i32 {
        segments.spawn(raw_scan_segment(
            client.clone(),
            table.to_owned(),
            page,
            Some((s, n as i32)),
        ));
    }
    let mut count = 0;
    while let Some(done) = segments.join_next().await {
        count += done??;
    }
    Ok(count)
}

async fn orm_scan(table: &Table<User>, page: u32, n: usize) -> Res<u64> {
    let scan = if page > 0 {
        table.scan().page_size(page)
    } else {
        table.scan()
    };
    if n == 1 {
        count_stream(scan.stream()).await
    } else {
        count_stream(scan.parallel(n as u32).stream()).await
    }
}

async fn scan_block(
    client: &Client,
    table: &Table<User>,
    page: u32,
    side: Side,
    n: usize,
) -> Res<Block> {
    measured(async {
        match side {
            Side::Orm => orm_scan(table, page, n).await,
            Side::Raw => raw_scan(client, table.name(), page, n).await,
        }
    })
    .await
}

async fn scan(
    client: &Client,
    table: &Table<User>,
    config: &Config,
    report: &mut Report,
) -> Res<()> {
    let expected = config.scan_items as u64;
    eprintln!(
        "== scan: {expected} items, {} scans per side and level",
        config.scan_rounds
    );
    for side in [Side::Orm, Side::Raw] {
        scan_block(client, table, config.scan_page, side, 4).await?;
    }
    let mut rows = Vec::new();
    for &n in &config.in_flight {
        let (orm, raw) = alternate(&format!("scan x{n}"), config.scan_rounds, |side| {
            async move {
                let block = scan_block(client, table, config.scan_page, side, n).await?;
                if block.items != expected {
                    return Err(format!("{side:?} scan read {} of {expected}", block.items).into());
                }
                Ok(block)
            }
            .boxed()
        })
        .await?;
        rows.push(Row {
            in_flight: n,
            orm,
            raw,
        });
    }
    let title = format!(
        "Scan of {expected} items, every item decoded: `stream()` (1) or `parallel(n)` against \
         a raw paginated loop per segment ({} scans each, alternating; {})",
        config.scan_rounds,
        match config.scan_page {
            0 => "pages of 1 MB".to_string(),
            n => format!("pages of {n} items, `Limit` on both sides"),
        }
    );
    report.comparison(&title, "scan", "item", &rows);
    Ok(())
}

// ------------------------------------------------------------------ memory

/// What a child process measured.
struct Rss {
    items: u64,
    before_kb: u64,
    peak_kb: u64,
}

impl Rss {
    fn growth_kb(&self) -> u64 {
        self.peak_kb.saturating_sub(self.before_kb)
    }
}

fn mib(kb: u64) -> String {
    format!("{:.1} MiB", kb as f64 / 1024.0)
}

fn vm_hwm_kb() -> Res<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .ok_or("no VmHWM in /proc/self/status")?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .ok_or("VmHWM without a value")?
        .parse()?)
}

/// The child: `--scan-rss-child <endpoint> <table> <page size, 0: none>
/// <stream|collect|parallel-N>`. Warms the client with a one-page scan, notes
/// the peak RSS, scans the whole table, and prints `items before_kb peak_kb ms`.
fn rss_child(args: &[String]) -> Res<()> {
    let [endpoint, table, page, mode, ..] = args else {
        return Err("usage: --scan-rss-child <endpoint> <table> <page size> \
                    <stream|collect|parallel-N>"
            .into());
    };
    let page: u32 = page.parse()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let client = client_for(endpoint).await;
        let table = Table::<User>::new(client).with_name(table.as_str());
        let scan = || {
            let scan = table.scan();
            if page > 0 { scan.page_size(page) } else { scan }
        };
        count_stream(table.scan().limit(100).stream()).await?;
        let before_kb = vm_hwm_kb()?;
        let start = Instant::now();
        let items = match mode.as_str() {
            "stream" => count_stream(scan().stream()).await?,
            "collect" => scan().all().await?.len() as u64,
            other => match other.strip_prefix("parallel-").map(str::parse::<u32>) {
                Some(Ok(n)) => count_stream(scan().parallel(n).stream()).await?,
                _ => return Err(format!("unknown mode {other}").into()),
            },
        };
        let ms = start.elapsed().as_millis();
        let peak_kb = vm_hwm_kb()?;
        println!("{items} {before_kb} {peak_kb} {ms}");
        Ok(())
    })
}

fn run_child(endpoint: &str, table: &str, page: u32, mode: &str) -> Res<Rss> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .args([
            "--bench",
            CHILD_FLAG,
            endpoint,
            table,
            &page.to_string(),
            mode,
        ])
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "scan child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let text = String::from_utf8(out.stdout)?;
    let numbers: Vec<u64> = text
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let [items, before_kb, peak_kb, ms] = numbers[..] else {
        return Err(format!("scan child printed {text:?}").into());
    };
    eprintln!(
        "   {mode} of {items} in {:.1} s: peak RSS {} before, {} after",
        ms as f64 / 1e3,
        mib(before_kb),
        mib(peak_kb)
    );
    Ok(Rss {
        items,
        before_kb,
        peak_kb,
    })
}

async fn memory(
    client: &Client,
    endpoint: &str,
    large: &Table<User>,
    config: &Config,
    report: &mut Report,
) -> Res<()> {
    eprintln!("== memory: peak RSS of scans, one child process each");
    let small = load_table(client, "bench_mem_small", config.memory_small).await?;
    let large_owned;
    let large = if config.memory_large == config.scan_items {
        large
    } else {
        large_owned = load_table(client, "bench_mem_large", config.memory_large).await?;
        &large_owned
    };
    let huge = load_table(client, "bench_mem_huge", config.memory_huge).await?;
    let s = &mut report.sections;
    let pages = match config.scan_page {
        0 => "pages of 1 MB".to_string(),
        n => format!("pages of {n} items (`page_size({n})`, about 1 MB)"),
    };

    // Streaming stays flat as the table grows; collecting (the contrast)
    // grows with it, which shows the measurement sees growth.
    let mut streams = Vec::new();
    let _ = writeln!(
        s,
        "### Peak RSS (VmHWM) of a scan, each in a fresh child process, {pages}\n\n\
         | scan | items | peak RSS before (after a warm-up page) | peak RSS after | growth |\n\
         |---|---:|---:|---:|---:|"
    );
    for (mode, tables) in [
        ("stream", vec![&small, large, &huge]),
        ("collect", vec![&small, large]),
    ] {
        for table in tables {
            let rss = run_child(endpoint, table.name(), config.scan_page, mode)?;
            let label = if mode == "stream" {
                "`scan().stream()`, items counted and dropped"
            } else {
                "`scan().all()` (contrast: keeps every item)"
            };
            let _ = writeln!(
                s,
                "| {label} | {} | {} | {} | {} |",
                rss.items,
                mib(rss.before_kb),
                mib(rss.peak_kb),
                mib(rss.growth_kb())
            );
            if mode == "stream" {
                streams.push(rss);
            }
        }
    }
    if let (Some(first), Some(last)) = (streams.first(), streams.last()) {
        let ratio = last.peak_kb as f64 / first.peak_kb as f64;
        let ok = ratio <= 1.25;
        let _ = writeln!(
            s,
            "\nStreaming {}x the items ({} to {}): peak RSS {ratio:.2}x. Target, flat (≤ 1.25x): {}.\n",
            last.items / first.items.max(1),
            first.items,
            last.items,
            met(ok)
        );
        report.memory_targets.push((
            format!(
                "streaming scan memory flat from {} to {} items (peak RSS ≤ 1.25x)",
                first.items, last.items
            ),
            format!("{ratio:.2}x"),
            ok,
        ));
    }

    // `parallel(n)` holds at most n pages: each extra segment may add at most
    // what the sequential stream's one page costs.
    let sequential = run_child(endpoint, large.name(), config.scan_page, "stream")?;
    let page = sequential.growth_kb();
    let _ = writeln!(
        s,
        "### Peak RSS of `parallel(n)` streaming {} items, each in a fresh child process, {pages}\n\n\
         | scan | peak RSS before | peak RSS after | growth | growth over sequential per extra segment | target ≤ sequential's growth ({}) |\n\
         |---|---:|---:|---:|---:|---|",
        sequential.items,
        mib(page)
    );
    let _ = writeln!(
        s,
        "| sequential `stream()` | {} | {} | {} | | |",
        mib(sequential.before_kb),
        mib(sequential.peak_kb),
        mib(page)
    );
    for &n in &config.in_flight {
        let rss = run_child(
            endpoint,
            large.name(),
            config.scan_page,
            &format!("parallel-{n}"),
        )?;
        let extra = rss.growth_kb().saturating_sub(page);
        let per_segment = if n > 1 { extra / (n as u64 - 1) } else { extra };
        let ok = per_segment <= page;
        let _ = writeln!(
            s,
            "| `parallel({n})` | {} | {} | {} | {} | {} |",
            mib(rss.before_kb),
            mib(rss.peak_kb),
            mib(rss.growth_kb()),
            mib(per_segment),
            met(ok)
        );
        report.memory_targets.push((
            format!(
                "`parallel({n})` holds one page per segment: growth per extra segment \
                 ≤ the sequential stream's ({})",
                mib(page)
            ),
            mib(per_segment),
            ok,
        ));
    }
    s.push('\n');
    small.delete_table().await?;
    huge.delete_table().await?;
    if config.memory_large != config.scan_items {
        large.delete_table().await?;
    }
    Ok(())
}

// ------------------------------------------------------------------ output

/// Saves the report beside criterion's results for `scripts/bench.sh`.
fn save_summary(report: &str) {
    let dir = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => PathBuf::from(t),
        // target/release/deps/requests-<hash>
        None => match std::env::current_exe()
            .ok()
            .and_then(|e| e.ancestors().nth(3).map(PathBuf::from))
        {
            Some(t) => t,
            None => return,
        },
    };
    let dir = dir.join("bench-summary");
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("requests.md"), report));
    if let Err(e) = written {
        eprintln!("could not save the summary: {e}");
    }
}
