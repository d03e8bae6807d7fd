//! Requests against DynamoDB Local: the mapper against the raw AWS SDK calls a
//! user would write instead, in the same run, interleaved, with medians.
//!
//! ```text
//! cargo bench --bench requests                          # everything (the issue's sizes)
//! cargo bench --bench requests -- latency scan          # some sections only
//! BENCH_SCALE=0.05 cargo bench --bench requests         # a quick smoke run
//! ```
//!
//! Sections: `latency` (put, get, query of one page of 100), `bulk` (a bulk
//! load through the batch writer and three raw loops), `scan` (sequential
//! against `parallel(n)`) and `memory` (peak RSS of streaming scans, each in
//! a child process: this binary re-executed with `--scan-rss-child`).
//!
//! Sizes and rounds come from the environment: `BENCH_SCALE` multiplies every
//! size and the latency rounds (default 1; the bulk and scan rounds stay 3);
//! `BENCH_ROUNDS`, `BENCH_WARMUP`, `BENCH_BULK_ITEMS`,
//! `BENCH_PUT_LOOP_ITEMS`, `BENCH_BULK_ROUNDS`, `BENCH_CONCURRENCY` (a list:
//! `1,2,4,8,16`), `BENCH_SCAN_ITEMS`, `BENCH_SCAN_ROUNDS`, `BENCH_MEMORY_SMALL`
//! and `BENCH_MEMORY_LARGE` set one each. `DYNAMODB_ENDPOINT` points it at
//! another server instead of a DynamoDB Local it starts.
//!
//! Under `cargo test` (which passes no `--bench`) it does nothing.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::future::ready;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    PutRequest, ReturnConsumedCapacity, ReturnValue, ReturnValuesOnConditionCheckFailure,
    WriteRequest,
};
use dynamo_orm::local::{DynamoDbLocal, client_for, unique_table_name};
use dynamo_orm::{AttributeValue, Table};
use futures::{Stream, TryStreamExt};
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
const SECTIONS: [&str; 4] = ["latency", "bulk", "scan", "memory"];

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

    let server = DynamoDbLocal::start().expect("DynamoDB Local (or DYNAMODB_ENDPOINT)");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("Tokio runtime");
    let mut report = String::new();
    let result: Res<()> = runtime.block_on(async {
        let client = server.client().await;
        if run("latency") {
            latency(&client, &config, &mut report).await?;
        }
        if run("bulk") {
            bulk(&client, &config, &mut report).await?;
        }
        if run("scan") || run("memory") {
            let tables = ScanTables::load(&client, &config, run("memory")).await?;
            if run("scan") {
                scan(&tables.large, &config, &mut report).await?;
            }
            if run("memory") {
                memory(server.endpoint(), &tables, &mut report)?;
            }
            tables.delete().await?;
        }
        Ok(())
    });
    if let Err(e) = result {
        eprintln!("requests benchmark failed: {e}");
        std::process::exit(1);
    }
    println!("\n{report}");
    save_summary(&report);
}

// ------------------------------------------------------------------ configuration

#[derive(Debug)]
struct Config {
    /// Measured rounds of each latency comparison (each round: one A, one B).
    rounds: usize,
    warmup: usize,
    bulk_items: usize,
    /// Items of the raw `put_item` loop, extrapolated to `bulk_items`.
    put_loop_items: usize,
    bulk_rounds: usize,
    concurrency: Vec<usize>,
    scan_items: usize,
    scan_rounds: usize,
    memory_small: usize,
    memory_large: usize,
}

fn env_usize(name: &str) -> Option<usize> {
    let v = std::env::var(name).ok()?;
    Some(
        v.parse()
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
        let scan_items = scaled("BENCH_SCAN_ITEMS", 100_000, 500);
        Config {
            rounds: scaled("BENCH_ROUNDS", 2_000, 20),
            warmup: scaled("BENCH_WARMUP", 50, 5),
            bulk_items: scaled("BENCH_BULK_ITEMS", 50_000, 250),
            put_loop_items: scaled("BENCH_PUT_LOOP_ITEMS", 50_000, 100),
            bulk_rounds: env_usize("BENCH_BULK_ROUNDS").unwrap_or(3),
            concurrency: std::env::var("BENCH_CONCURRENCY")
                .ok()
                .map(|v| {
                    v.split(',')
                        .map(|n| n.trim().parse().expect("BENCH_CONCURRENCY: numbers"))
                        .collect()
                })
                .unwrap_or_else(|| vec![1, 2, 4, 8, 16]),
            scan_items,
            scan_rounds: env_usize("BENCH_SCAN_ROUNDS").unwrap_or(3),
            memory_small: scaled("BENCH_MEMORY_SMALL", 10_000, 100),
            memory_large: env_usize("BENCH_MEMORY_LARGE").unwrap_or(scan_items),
        }
    }
}

// ------------------------------------------------------------------ statistics

fn median(samples: &[Duration]) -> Duration {
    let mut s = samples.to_vec();
    s.sort_unstable();
    match s.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2,
    }
}

fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut s = samples.to_vec();
    s.sort_unstable();
    if s.is_empty() {
        return Duration::ZERO;
    }
    let i = ((s.len() - 1) as f64 * p).round() as usize;
    s[i]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn per_sec(items: usize, d: Duration) -> String {
    format!("{:.0}/s", items as f64 / d.as_secs_f64())
}

/// Runs `$a` and `$b` (futures, awaited) alternately, `$a` first on even
/// rounds and `$b` first on odd ones, and collects their latencies after
/// `$warmup` rounds: both see the same server, the same moment, the same noise.
macro_rules! interleave {
    ($rounds:expr, $warmup:expr, $a:expr, $b:expr) => {{
        let (rounds, warmup) = ($rounds, $warmup);
        let mut a_times = Vec::with_capacity(rounds);
        let mut b_times = Vec::with_capacity(rounds);
        for round in 0..warmup + rounds {
            for step in 0..2 {
                let run_a = (step == 0) == (round % 2 == 0);
                let start = Instant::now();
                if run_a {
                    $a.await?;
                } else {
                    $b.await?;
                }
                let elapsed = start.elapsed();
                if round >= warmup {
                    if run_a {
                        a_times.push(elapsed);
                    } else {
                        b_times.push(elapsed);
                    }
                }
            }
        }
        (a_times, b_times)
    }};
}

// ------------------------------------------------------------------ latency

async fn fresh_table(client: &Client, prefix: &str) -> Res<Table<User>> {
    let table = Table::<User>::new(client.clone()).with_name(unique_table_name(prefix));
    table.create().await?;
    Ok(table)
}

/// ORM `put` (version-checked, the default) against the `PutItem` it sends,
/// built by hand: same condition, placeholders, return values and
/// `ReturnConsumedCapacity` (read from `dynamo-orm/src/items.rs`, `PutItem::send`).
async fn raw_put(client: &Client, table: &str, u: &mut User) -> Res<()> {
    let mut item = hand_to_item(u);
    let new_version = u.version + 1;
    item.insert(
        "version".to_string(),
        AttributeValue::N(new_version.to_string()),
    );
    let request = client.put_item().table_name(table).set_item(Some(item));
    let request = if u.version == 0 {
        request
            .condition_expression("attribute_not_exists(#n0)")
            .expression_attribute_names("#n0", "username")
    } else {
        request
            .condition_expression("#n0 = :v0")
            .expression_attribute_names("#n0", "version")
            .expression_attribute_values(":v0", AttributeValue::N(u.version.to_string()))
    };
    request
        .return_values(ReturnValue::None)
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await?;
    u.version = new_version;
    Ok(())
}

/// The `GetItem` of `Table::get` (`dynamo-orm/src/items.rs`, `GetItem::send`).
async fn raw_get(client: &Client, table: &str, username: &str, date_joined: i64) -> Res<User> {
    let out = client
        .get_item()
        .table_name(table)
        .set_key(Some(hand_key(username, date_joined)))
        .consistent_read(false)
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await?;
    let item = out.item.ok_or("raw get: no item")?;
    Ok(hand_from_item(&item)?)
}

/// The `Query` of `Table::query(..).limit(100)` (`dynamo-orm/src/read.rs`,
/// `ReadRequest::fetch`): one page of 100.
async fn raw_query(client: &Client, table: &str, username: &str) -> Res<Vec<User>> {
    let out = client
        .query()
        .table_name(table)
        .key_condition_expression("#n0 = :v0")
        .expression_attribute_names("#n0", "username")
        .expression_attribute_values(":v0", AttributeValue::S(username.to_string()))
        .consistent_read(false)
        .scan_index_forward(true)
        .limit(QUERY_PAGE as i32)
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
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

async fn orm_query(table: &Table<User>, username: &str) -> Res<Vec<User>> {
    let users = table.query(username).limit(QUERY_PAGE).all().await?;
    if users.len() != QUERY_PAGE {
        return Err(format!("orm query: {} items", users.len()).into());
    }
    Ok(users)
}

async fn latency(client: &Client, config: &Config, report: &mut String) -> Res<()> {
    eprintln!(
        "== latency: {} rounds after {} warm-up",
        config.rounds, config.warmup
    );
    user::assert_conversions_agree(&user::sample_user(), hand_to_item, hand_from_item);
    let table = fresh_table(client, "bench_latency").await?;
    let name = table.name().to_owned();

    // The query's partition: more than a page, so that the page is full.
    let mut writer = table.batch_writer().unversioned_writes();
    for i in 0..(QUERY_PAGE as u64 + 50) {
        writer
            .put(&user::user("query-user".into(), i as i64, i))
            .await?;
    }
    let get_user = user::user("get-user".into(), 7, 7);
    writer.put(&get_user).await?;
    writer.finish().await?;
    let stored_get_user = User {
        version: get_user.version + 1,
        ..get_user
    };

    let mut rows = Vec::new();

    let mut orm_user = user::user("put-orm".into(), 1, 1);
    let mut raw_user = user::user("put-raw".into(), 1, 1);
    orm_user.version = 0;
    raw_user.version = 0;
    let (a, b) = interleave!(
        config.rounds,
        config.warmup,
        async { table.put(&mut orm_user).await.map(|_| ()) },
        raw_put(client, &name, &mut raw_user)
    );
    assert_eq!(orm_user.version, raw_user.version, "both put as often");
    rows.push(("put (version-checked)", a, b));

    let (a, b) = interleave!(
        config.rounds,
        config.warmup,
        async {
            match table.get(User::key("get-user", 7)).await? {
                Some(u) if u == stored_get_user => Ok::<_, BoxError>(()),
                other => Err(format!("orm get: {other:?}").into()),
            }
        },
        async {
            let u = raw_get(client, &name, "get-user", 7).await?;
            if u != stored_get_user {
                return Err::<(), BoxError>(format!("raw get: {u:?}").into());
            }
            Ok(())
        }
    );
    rows.push(("get", a, b));

    let (a, b) = interleave!(
        config.rounds,
        config.warmup,
        orm_query(&table, "query-user"),
        raw_query(client, &name, "query-user")
    );
    rows.push(("query, one page of 100", a, b));
    table.delete_table().await?;

    let _ = writeln!(
        report,
        "### Single requests: ORM vs raw SDK ({} interleaved rounds after {} warm-up)\n\n\
         | request | ORM median | raw SDK median | ORM / raw | ORM p90 | raw p90 | target ≤ 1.03 |\n\
         |---|---:|---:|---:|---:|---:|---|",
        config.rounds, config.warmup
    );
    for (op, a, b) in rows {
        let ratio = median(&a).as_secs_f64() / median(&b).as_secs_f64();
        let _ = writeln!(
            report,
            "| {op} | {} | {} | {ratio:.3} | {} | {} | {} |",
            ms(median(&a)),
            ms(median(&b)),
            ms(percentile(&a, 0.9)),
            ms(percentile(&b, 0.9)),
            if ratio <= 1.03 { "met" } else { "MISSED" }
        );
    }
    report.push('\n');
    Ok(())
}

// ------------------------------------------------------------------ bulk load

fn bulk_users(n: usize) -> Vec<User> {
    (0..n as u64)
        .map(|i| user::user(format!("bulk{i:07}"), i as i64, i))
        .collect()
}

/// The item the writer stores for a user: `unversioned_writes` stores the
/// version plus one, so the raw loops do too (same bytes on the wire).
fn raw_bulk_item(u: &User) -> HashMap<String, AttributeValue> {
    let mut item = hand_to_item(u);
    item.insert(
        "version".to_string(),
        AttributeValue::N((u.version + 1).to_string()),
    );
    item
}

fn put_request(u: &User) -> Res<WriteRequest> {
    Ok(WriteRequest::builder()
        .put_request(
            PutRequest::builder()
                .set_item(Some(raw_bulk_item(u)))
                .build()?,
        )
        .build())
}

async fn orm_writer(table: &Table<User>, users: &[User], concurrency: usize) -> Res<Duration> {
    let start = Instant::now();
    let mut writer = table
        .batch_writer()
        .unversioned_writes()
        .concurrency(concurrency);
    for u in users {
        writer.put(u).await?;
    }
    let summary = writer.finish().await?;
    let elapsed = start.elapsed();
    if summary.items_written != users.len() as u64 {
        return Err(format!("writer wrote {} items", summary.items_written).into());
    }
    Ok(elapsed)
}

/// (a) One `PutItem` per item, as a first loop would.
async fn raw_put_loop(client: &Client, table: &str, users: &[User]) -> Res<Duration> {
    let start = Instant::now();
    for u in users {
        client
            .put_item()
            .table_name(table)
            .set_item(Some(raw_bulk_item(u)))
            .send()
            .await?;
    }
    Ok(start.elapsed())
}

/// One `BatchWriteItem`, resent until DynamoDB has taken every write, with
/// the writer's `ReturnConsumedCapacity`.
async fn send_batch(client: Client, table: String, mut requests: Vec<WriteRequest>) -> Res<()> {
    let mut attempt = 0u32;
    loop {
        let out = client
            .batch_write_item()
            .request_items(&table, requests)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
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

/// (b) `BatchWriteItem` of 25, one after the other.
async fn raw_batch_sequential(client: &Client, table: &str, users: &[User]) -> Res<Duration> {
    let start = Instant::now();
    for chunk in users.chunks(BATCH) {
        let requests = chunk.iter().map(put_request).collect::<Res<Vec<_>>>()?;
        send_batch(client.clone(), table.to_owned(), requests).await?;
    }
    Ok(start.elapsed())
}

/// (c) `BatchWriteItem` of 25 with `concurrency` requests in flight, items
/// converted by the loop as the writer's `put` does.
async fn raw_batch_concurrent(
    client: &Client,
    table: &str,
    users: &[User],
    concurrency: usize,
) -> Res<Duration> {
    let start = Instant::now();
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
    Ok(start.elapsed())
}

#[derive(Clone, Copy)]
enum Loader {
    Writer(usize),
    PutLoop,
    BatchSequential,
    BatchConcurrent(usize),
}

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

/// A load's wall time and the client CPU it took.
#[derive(Clone, Copy)]
struct Load {
    wall: Duration,
    cpu: Duration,
}

/// Loads `users` into a fresh table with `loader`, checks they are all there
/// (outside the time), and drops the table.
async fn load_once(client: &Client, users: &[User], loader: Loader) -> Res<Load> {
    let table = fresh_table(client, "bench_bulk").await?;
    let name = table.name().to_owned();
    let cpu_before = process_cpu();
    let elapsed = match loader {
        Loader::Writer(n) => orm_writer(&table, users, n).await?,
        Loader::PutLoop => raw_put_loop(client, &name, users).await?,
        Loader::BatchSequential => raw_batch_sequential(client, &name, users).await?,
        Loader::BatchConcurrent(n) => raw_batch_concurrent(client, &name, users, n).await?,
    };
    let cpu = process_cpu().saturating_sub(cpu_before);
    let count = table.scan().count().await?;
    if count != users.len() as u64 {
        return Err(format!("{} items stored of {}", count, users.len()).into());
    }
    table.delete_table().await?;
    Ok(Load { wall: elapsed, cpu })
}

fn median_load(loads: &[Load]) -> Load {
    Load {
        wall: median(&loads.iter().map(|l| l.wall).collect::<Vec<_>>()),
        cpu: median(&loads.iter().map(|l| l.cpu).collect::<Vec<_>>()),
    }
}

fn cpu_per_item(load: Load, items: usize) -> String {
    format!("{:.1} µs", load.cpu.as_secs_f64() * 1e6 / items as f64)
}

async fn bulk(client: &Client, config: &Config, report: &mut String) -> Res<()> {
    let users = bulk_users(config.bulk_items);
    let n = users.len();
    eprintln!(
        "== bulk load: {n} items, {} rounds per concurrency",
        config.bulk_rounds
    );
    // DynamoDB Local is a JVM: its first thousands of writes run slower
    // while the JIT compiles. Warm it with every loader before measuring.
    let warm = &users[..n.min(5_000)];
    for loader in [
        Loader::Writer(4),
        Loader::BatchConcurrent(4),
        Loader::BatchSequential,
    ] {
        load_once(client, warm, loader).await?;
    }

    let mut rows = Vec::new();
    let mut best: Option<(usize, Duration)> = None;
    for &c in &config.concurrency {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for round in 0..config.bulk_rounds {
            let order = if round % 2 == 0 {
                [Loader::Writer(c), Loader::BatchConcurrent(c)]
            } else {
                [Loader::BatchConcurrent(c), Loader::Writer(c)]
            };
            for loader in order {
                let load = load_once(client, &users, loader).await?;
                match loader {
                    Loader::Writer(_) => a.push(load),
                    _ => b.push(load),
                }
            }
            if let (Some(wa), Some(wb)) = (a.last(), b.last()) {
                eprintln!(
                    "   concurrency {c} round {round}: writer {} (cpu {}), raw {} (cpu {})",
                    secs(wa.wall),
                    secs(wa.cpu),
                    secs(wb.wall),
                    secs(wb.cpu)
                );
            }
        }
        let (ma, mb) = (median_load(&a), median_load(&b));
        if best.is_none_or(|(_, t)| ma.wall < t) {
            best = Some((c, ma.wall));
        }
        rows.push((c, ma, mb));
    }

    let mut sequential = Vec::new();
    for _ in 0..config.bulk_rounds {
        sequential.push(load_once(client, &users, Loader::BatchSequential).await?);
    }
    let sequential = median_load(&sequential);
    eprintln!("   (b) sequential batches: {}", secs(sequential.wall));
    let loop_users = &users[..config.put_loop_items.min(n)];
    let put_loop = load_once(client, loop_users, Loader::PutLoop).await?;
    let put_loop_extrapolated = put_loop.wall.mul_f64(n as f64 / loop_users.len() as f64);
    eprintln!(
        "   (a) put_item loop: {} for {}",
        secs(put_loop.wall),
        loop_users.len()
    );

    let _ = writeln!(
        report,
        "### Bulk load of {n} medium items (fresh table per load; median of {} loads each)\n\n\
         | loader | in flight | time | items/s | client CPU per item | writer / raw (c) throughput | target ≥ 0.95 |\n\
         |---|---:|---:|---:|---:|---:|---|",
        config.bulk_rounds
    );
    for (c, ma, mb) in &rows {
        let throughput_ratio = mb.wall.as_secs_f64() / ma.wall.as_secs_f64();
        let _ = writeln!(
            report,
            "| ORM batch writer | {c} | {} | {} | {} | {throughput_ratio:.3} | {} |",
            secs(ma.wall),
            per_sec(n, ma.wall),
            cpu_per_item(*ma, n),
            if throughput_ratio >= 0.95 {
                "met"
            } else {
                "MISSED"
            }
        );
        let _ = writeln!(
            report,
            "| (c) raw `batch_write_item` | {c} | {} | {} | {} | | |",
            secs(mb.wall),
            per_sec(n, mb.wall),
            cpu_per_item(*mb, n),
        );
    }
    let _ = writeln!(
        report,
        "| (b) raw sequential `batch_write_item` of 25 | 1 | {} | {} | {} | | |",
        secs(sequential.wall),
        per_sec(n, sequential.wall),
        cpu_per_item(sequential, n),
    );
    let extrapolated = if loop_users.len() < n {
        format!(
            " (measured: {} for {} items, extrapolated)",
            secs(put_loop.wall),
            loop_users.len(),
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        report,
        "| (a) raw `put_item` loop | 1 | {}{extrapolated} | {} | {} | | |",
        secs(put_loop_extrapolated),
        per_sec(loop_users.len(), put_loop.wall),
        cpu_per_item(put_loop, loop_users.len()),
    );
    if let Some((c, t)) = best {
        let _ = writeln!(
            report,
            "\nThe writer's best concurrency here: {c} ({}, {}).",
            secs(t),
            per_sec(n, t)
        );
    }
    report.push('\n');
    Ok(())
}

// ------------------------------------------------------------------ scans

struct ScanTables {
    large: Table<User>,
    small: Option<Table<User>>,
}

async fn load_table(client: &Client, prefix: &str, n: usize) -> Res<Table<User>> {
    let table = fresh_table(client, prefix).await?;
    let start = Instant::now();
    let mut writer = table.batch_writer().unversioned_writes().concurrency(8);
    for i in 0..n as u64 {
        writer
            .put(&user::user(format!("scan{i:07}"), i as i64, i))
            .await?;
    }
    writer.finish().await?;
    eprintln!("   loaded {n} items in {}", secs(start.elapsed()));
    Ok(table)
}

impl ScanTables {
    async fn load(client: &Client, config: &Config, with_small: bool) -> Res<Self> {
        eprintln!("== loading the scan tables");
        let large = load_table(
            client,
            "bench_scan",
            config.scan_items.max(config.memory_large),
        )
        .await?;
        let small = if with_small {
            Some(load_table(client, "bench_scan_small", config.memory_small).await?)
        } else {
            None
        };
        Ok(Self { large, small })
    }

    async fn delete(self) -> Res<()> {
        self.large.delete_table().await?;
        if let Some(small) = self.small {
            small.delete_table().await?;
        }
        Ok(())
    }
}

async fn count_stream(stream: impl Stream<Item = dynamo_orm::Result<User>>) -> Res<usize> {
    Ok(stream.try_fold(0usize, |n, _| ready(Ok(n + 1))).await?)
}

async fn scan(table: &Table<User>, config: &Config, report: &mut String) -> Res<()> {
    let expected = config.scan_items.max(config.memory_large);
    eprintln!("== scan: {expected} items, {} rounds", config.scan_rounds);
    // `None`: the sequential stream; `Some(n)`: `parallel(n)`.
    let variants: Vec<Option<u32>> = vec![None, Some(1), Some(2), Some(4), Some(8)];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); variants.len()];
    for round in 0..config.scan_rounds {
        // Rotate the order so no variant always runs first or last.
        for k in 0..variants.len() {
            let i = (k + round) % variants.len();
            let start = Instant::now();
            let n = match variants[i] {
                None => count_stream(table.scan().stream()).await?,
                Some(p) => count_stream(table.scan().parallel(p).stream()).await?,
            };
            let t = start.elapsed();
            if n != expected {
                return Err(format!("scan read {n} items of {expected}").into());
            }
            times[i].push(t);
        }
    }
    let sequential = median(&times[0]);
    let _ = writeln!(
        report,
        "### Scan of {expected} items, every item decoded (median of {} rounds, order rotated)\n\n\
         | scan | time | items/s | speed-up vs sequential |\n|---|---:|---:|---:|",
        config.scan_rounds
    );
    for (variant, t) in variants.iter().zip(&times) {
        let m = median(t);
        let label = match variant {
            None => "sequential `stream()`".to_string(),
            Some(p) => format!("`parallel({p})`"),
        };
        let _ = writeln!(
            report,
            "| {label} | {} | {} | {:.2}x |",
            secs(m),
            per_sec(expected, m),
            sequential.as_secs_f64() / m.as_secs_f64()
        );
    }
    report.push('\n');
    Ok(())
}

// ------------------------------------------------------------------ memory

/// What a child process measured.
struct Rss {
    items: usize,
    before_kb: u64,
    peak_kb: u64,
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

/// The child: `--scan-rss-child <endpoint> <table> <stream|collect>`. Warms
/// the client with a one-page scan, notes the peak RSS, scans the whole
/// table, and prints `items before_kb peak_kb`.
fn rss_child(args: &[String]) -> Res<()> {
    let [endpoint, table, mode, ..] = args else {
        return Err("usage: --scan-rss-child <endpoint> <table> <stream|collect>".into());
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let client = client_for(endpoint).await;
        let table = Table::<User>::new(client).with_name(table.as_str());
        count_stream(table.scan().limit(100).stream()).await?;
        let before_kb = vm_hwm_kb()?;
        let items = match mode.as_str() {
            "stream" => count_stream(table.scan().stream()).await?,
            "collect" => table.scan().all().await?.len(),
            other => return Err(format!("unknown mode {other}").into()),
        };
        let peak_kb = vm_hwm_kb()?;
        println!("{items} {before_kb} {peak_kb}");
        Ok(())
    })
}

fn run_child(endpoint: &str, table: &str, mode: &str) -> Res<Rss> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .args(["--bench", CHILD_FLAG, endpoint, table, mode])
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
    let [items, before_kb, peak_kb] = numbers[..] else {
        return Err(format!("scan child printed {text:?}").into());
    };
    Ok(Rss {
        items: items as usize,
        before_kb,
        peak_kb,
    })
}

fn memory(endpoint: &str, tables: &ScanTables, report: &mut String) -> Res<()> {
    eprintln!("== memory: peak RSS of scans, one child process each");
    let small = tables.small.as_ref().ok_or("no small scan table")?;
    let mut rows = Vec::new();
    for mode in ["stream", "collect"] {
        for table in [small, &tables.large] {
            let rss = run_child(endpoint, table.name(), mode)?;
            eprintln!(
                "   {mode} {}: {} kB -> {} kB",
                rss.items, rss.before_kb, rss.peak_kb
            );
            rows.push((mode, rss));
        }
    }
    let _ = writeln!(
        report,
        "### Peak RSS (VmHWM) of a scan, each in a fresh child process\n\n\
         | scan | items | peak RSS before (after a warm-up page) | peak RSS after | growth |\n\
         |---|---:|---:|---:|---:|"
    );
    for (mode, rss) in &rows {
        let label = if *mode == "stream" {
            "`scan().stream()`, items counted and dropped"
        } else {
            "`scan().all()` (contrast: keeps every item)"
        };
        let _ = writeln!(
            report,
            "| {label} | {} | {:.1} MiB | {:.1} MiB | {:.1} MiB |",
            rss.items,
            rss.before_kb as f64 / 1024.0,
            rss.peak_kb as f64 / 1024.0,
            (rss.peak_kb.saturating_sub(rss.before_kb)) as f64 / 1024.0
        );
    }
    if let [(_, small), (_, large), ..] = &rows[..] {
        let _ = writeln!(
            report,
            "\nStreaming {}x the items: peak RSS {:.2}x ({} flat: within one 1 MB page of items plus decoding).",
            large.items / small.items.max(1),
            large.peak_kb as f64 / small.peak_kb as f64,
            if (large.peak_kb as f64) < small.peak_kb as f64 * 1.25 {
                "stays"
            } else {
                "does NOT stay"
            }
        );
    }
    report.push('\n');
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
