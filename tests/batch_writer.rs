//! The batch writer against DynamoDB Local, with and without a fault-injecting
//! proxy in front of it.

#[path = "support/fault_proxy.rs"]
mod fault_proxy;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, Select,
};
use dynamo_orm::batch::{
    BatchWriter, MultiBatchWriter, Progress, RetryPolicy, UnprocessedWrite, WriteOp,
};
use dynamo_orm::local::{client_for, shared, shared_client, unique_table_name};
use dynamo_orm::{AttributeValue, DynamoItem, Error, Item, ScalarType, Table};
use fault_proxy::{FaultConfig, FaultProxy};

// ------------------------------------------------------------------ test items

/// Hash and range key.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "records")]
struct Record {
    #[dynamo(hash_key)]
    pk: String,
    #[dynamo(range_key)]
    sk: i64,
    payload: String,
    n: u64,
}

/// Hash key only, with an optimistic-locking version.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "docs")]
struct Doc {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(version)]
    version: u64,
    body: String,
}

/// Hash key only, unversioned.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "tags")]
struct Tag {
    #[dynamo(hash_key)]
    name: String,
    count: u64,
}

/// A record key as a hashable tuple.
fn id(key: &RecordKey) -> (String, i64) {
    (key.pk.clone(), key.sk)
}

// ------------------------------------------------------------------ helpers

/// Creates `T`'s table under a unique name with the raw SDK, on the server directly.
async fn create_table<T: DynamoItem>(direct: &Client, prefix: &str) -> String {
    let name = unique_table_name(prefix);
    let schema = T::SCHEMA;
    let scalar = |t: ScalarType| match t {
        ScalarType::S => ScalarAttributeType::S,
        ScalarType::N => ScalarAttributeType::N,
        ScalarType::B => ScalarAttributeType::B,
    };
    let mut req = direct
        .create_table()
        .table_name(&name)
        .billing_mode(BillingMode::PayPerRequest);
    for (key, kind) in std::iter::once((schema.hash_key, KeyType::Hash))
        .chain(schema.range_key.map(|k| (k, KeyType::Range)))
    {
        req = req
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(key.name)
                    .attribute_type(scalar(key.scalar_type))
                    .build()
                    .unwrap(),
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name(key.name)
                    .key_type(kind)
                    .build()
                    .unwrap(),
            );
    }
    req.send().await.expect("create table");
    name
}

/// Every item of a table, read on the server directly (parallel scan).
async fn scan_all(direct: &Client, table: &str) -> Vec<Item> {
    const SEGMENTS: i32 = 4;
    let mut tasks = tokio::task::JoinSet::new();
    for segment in 0..SEGMENTS {
        let client = direct.clone();
        let table = table.to_owned();
        tasks.spawn(async move {
            let mut out = Vec::new();
            let mut start = None;
            loop {
                let page = client
                    .scan()
                    .table_name(&table)
                    .segment(segment)
                    .total_segments(SEGMENTS)
                    .set_exclusive_start_key(start)
                    .send()
                    .await
                    .expect("scan");
                out.extend(page.items.unwrap_or_default());
                start = page.last_evaluated_key;
                if start.is_none() {
                    break out;
                }
            }
        });
    }
    let mut all = Vec::new();
    while let Some(part) = tasks.join_next().await {
        all.extend(part.expect("scan task"));
    }
    all
}

/// The number of items, counted by DynamoDB (`Select::Count`).
async fn scan_count(direct: &Client, table: &str) -> u64 {
    let mut total = 0;
    let mut start = None;
    loop {
        let page = direct
            .scan()
            .table_name(table)
            .select(Select::Count)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("count scan");
        total += page.count as u64;
        start = page.last_evaluated_key;
        if start.is_none() {
            return total;
        }
    }
}

fn record(i: u64) -> Record {
    Record {
        pk: format!("p{:03}", i % 250),
        sk: i as i64,
        payload: format!("payload of item {i}: {}", "x".repeat((i % 40) as usize)),
        n: i * 7,
    }
}

/// Short backoff so that faults cost milliseconds, not seconds.
fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::new(
        max_attempts,
        Duration::from_millis(2),
        Duration::from_millis(40),
    )
}

async fn proxy(config: FaultConfig) -> FaultProxy {
    let server = tokio::task::spawn_blocking(shared)
        .await
        .unwrap()
        .expect("DynamoDB Local");
    FaultProxy::start(server.endpoint(), config)
        .await
        .expect("fault proxy")
}

fn decoded_records(unprocessed: &[UnprocessedWrite]) -> HashMap<(String, i64), Record> {
    unprocessed
        .iter()
        .map(|w| match w.decode::<Record>().expect("decodes") {
            WriteOp::Put(r) => (id(&r.key()), r),
            WriteOp::Delete(k) => panic!("no deletes were written, got {k:?}"),
        })
        .collect()
}

// ------------------------------------------------------------------ tests

/// 20,000 items with about 30% of the requests throttled, failed with a
/// server error or partly processed:
/// every item is stored once with its content, and the writer's counts agree
/// with what the proxy injected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_items_through_faults() {
    const N: u64 = 20_000;
    let direct = shared_client().await.expect("DynamoDB Local");
    let name = create_table::<Record>(&direct, "bw_bulk").await;
    let proxy = proxy(FaultConfig {
        seed: 0x5eed_2000,
        throttle_rate: 0.13,
        server_error_rate: 0.04,
        partial_rate: 0.17,
    })
    .await;
    let via_proxy = client_for(&proxy.endpoint()).await;
    let table = Table::<Record>::new(via_proxy).with_name(&name);

    let callbacks = Arc::new(AtomicU64::new(0));
    let seen = callbacks.clone();
    let mut writer = table
        .batch_writer()
        .concurrency(16)
        .retry_policy(quick_retries(20))
        .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
        .on_progress(move |_: &Progress| {
            seen.fetch_add(1, Ordering::Relaxed);
        });
    let written = writer.progress();
    let started = Instant::now();
    for i in 0..N {
        writer.put(&record(i)).await.expect("put accepted");
    }
    let summary = writer.finish().await.expect("everything written");
    let elapsed = started.elapsed();
    let counts = proxy.counts();
    let disturbed_requests = counts.throttled_batch_writes
        + counts.server_error_batch_writes
        + counts.partial_batch_writes;
    let disturbed = disturbed_requests as f64 / counts.batch_writes as f64;
    eprintln!(
        "20,000 items in {elapsed:?}: {summary:?}\nproxy: {counts:?}\ndisturbed: {:.1}% of {} requests",
        100.0 * disturbed,
        counts.batch_writes
    );

    assert_eq!(summary.items_written, N);
    assert_eq!(summary.items_failed, 0);
    assert_eq!(written.load(Ordering::Relaxed), N);
    assert!(callbacks.load(Ordering::Relaxed) >= N / 25);
    assert!(summary.retries > 0);
    // What the writer counted is what the proxy did.
    assert_eq!(summary.requests_sent, counts.batch_writes);
    assert_eq!(summary.throttled, counts.throttled_batch_writes);
    assert_eq!(summary.unprocessed_resent, counts.unprocessed_injected);
    // Every disturbed request was followed by exactly one resend.
    assert_eq!(summary.retries, disturbed_requests);
    assert!(counts.server_error_batch_writes > 0);
    assert_eq!(
        counts.writes_forwarded, N,
        "each item forwarded exactly once"
    );
    assert_eq!(counts.upstream_errors, 0);
    assert!(
        (0.2..0.4).contains(&disturbed),
        "disturbed share {disturbed}"
    );
    let capacity = summary.consumed_capacity.expect("asked for");
    assert!(capacity >= N as f64, "{capacity}");

    // Every item present exactly once, with its content.
    assert_eq!(scan_count(&direct, &name).await, N);
    let stored = scan_all(&direct, &name).await;
    assert_eq!(stored.len() as u64, N);
    let mut seen_keys = HashSet::new();
    for item in stored {
        let r = Record::from_item(item).expect("decodes");
        assert!(seen_keys.insert(r.sk), "item {} twice", r.sk);
        assert_eq!(r, record(r.sk as u64));
    }
    assert_eq!(seen_keys.len() as u64, N);
}

/// With every request disturbed and few attempts allowed, the error hands
/// back exactly the writes that are not in the table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_hand_back_exactly_what_was_not_written() {
    const N: u64 = 1_000;
    let direct = shared_client().await.expect("DynamoDB Local");
    let name = create_table::<Record>(&direct, "bw_fail").await;
    let proxy = proxy(FaultConfig {
        seed: 7,
        throttle_rate: 0.4,
        server_error_rate: 0.2,
        partial_rate: 1.0,
    })
    .await;
    let table = Table::<Record>::new(client_for(&proxy.endpoint()).await).with_name(&name);
    let mut writer = table
        .batch_writer()
        .concurrency(8)
        .retry_policy(quick_retries(2));
    // Once a request gives up the writer stops: later puts hand back
    // everything not written (themselves included), and finish the rest.
    let mut unprocessed = Vec::new();
    let mut refused_puts = 0;
    for i in 0..N {
        match writer.put(&record(i)).await {
            Ok(()) => {}
            Err(Error::BatchWriteIncomplete { unprocessed: u, .. }) => {
                refused_puts += 1;
                unprocessed.extend(u);
            }
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert!(refused_puts > 0, "the writer stopped and said so");
    let err = writer.finish().await.expect_err("cannot all be written");
    let Error::BatchWriteIncomplete {
        unprocessed: rest,
        summary,
        source,
    } = err
    else {
        panic!("unexpected error: {err}");
    };
    unprocessed.extend(rest);
    let counts = proxy.counts();
    eprintln!(
        "{} handed back, source {source:?}\n{summary:?}\n{counts:?}",
        unprocessed.len()
    );
    assert_eq!(
        counts.throttled_batch_writes
            + counts.server_error_batch_writes
            + counts.partial_batch_writes,
        counts.batch_writes,
        "every request disturbed"
    );

    let handed_back = decoded_records(&unprocessed);
    assert_eq!(
        handed_back.len(),
        unprocessed.len(),
        "no write handed back twice"
    );
    assert!(unprocessed.iter().all(|w| w.table == name));
    let stored: HashMap<(String, i64), Record> = scan_all(&direct, &name)
        .await
        .into_iter()
        .map(|i| Record::from_item(i).unwrap())
        .map(|r| (id(&r.key()), r))
        .collect();
    let all: HashSet<(String, i64)> = (0..N).map(|i| id(&record(i).key())).collect();
    let written: HashSet<(String, i64)> = stored.keys().cloned().collect();
    let back: HashSet<(String, i64)> = handed_back.keys().cloned().collect();
    assert!(!written.is_empty() && !back.is_empty());
    assert!(
        written.is_disjoint(&back),
        "a handed-back write is in the table"
    );
    assert_eq!(
        written.union(&back).cloned().collect::<HashSet<_>>(),
        all,
        "a write is neither written nor handed back"
    );
    // What is handed back is the item as it was given.
    for ((_, sk), r) in handed_back.iter().chain(&stored) {
        assert_eq!(*r, record(*sk as u64));
    }
    assert_eq!(summary.items_written, written.len() as u64);
    assert_eq!(summary.items_failed, back.len() as u64);
    assert_eq!(summary.throttled, counts.throttled_batch_writes);
    assert_eq!(summary.requests_sent, counts.batch_writes);
}

/// Two writes of one key before it is sent fold into one, the later winning.
#[tokio::test]
async fn writes_of_one_key_fold_and_the_later_wins() {
    let direct = shared_client().await.expect("DynamoDB Local");
    let name = create_table::<Record>(&direct, "bw_fold").await;
    let table = Table::<Record>::new(direct.clone()).with_name(&name);
    let first = Record {
        pk: "a".into(),
        sk: 1,
        payload: "first".into(),
        n: 1,
    };
    let second = Record {
        payload: "second".into(),
        n: 2,
        ..first.clone()
    };
    let deleted = Record {
        pk: "b".into(),
        sk: 2,
        payload: "to be deleted".into(),
        n: 3,
    };
    let mut writer = table.batch_writer();
    writer.put(&first).await.unwrap();
    writer.put(&second).await.unwrap();
    writer.put(&deleted).await.unwrap();
    writer.delete(deleted.key()).await.unwrap();
    // `1` and `1.0` are one number, so one key, to DynamoDB.
    let mut raw = first.to_item().unwrap();
    raw.insert("sk".into(), AttributeValue::N("1.0".into()));
    raw.insert("payload".into(), AttributeValue::S("third".into()));
    writer.put_item(raw).await.unwrap();
    assert_eq!(writer.buffered(), 2);
    let summary = writer.finish().await.expect("written");
    assert_eq!(summary.requests_sent, 1);
    assert_eq!(summary.folded, 3);
    assert_eq!(summary.items_written, 2);

    let stored = scan_all(&direct, &name).await;
    assert_eq!(stored.len(), 1);
    let got = Record::from_item(stored.into_iter().next().unwrap()).unwrap();
    assert_eq!(got.payload, "third");
    assert_eq!(got.key(), first.key());
}

/// A later write of a key never overtakes an earlier one still in flight, even
/// when the earlier one is throttled and resent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn later_writes_are_not_overtaken() {
    let direct = shared_client().await.expect("DynamoDB Local");
    let name = create_table::<Record>(&direct, "bw_order").await;
    let proxy = proxy(FaultConfig {
        seed: 11,
        throttle_rate: 0.3,
        server_error_rate: 0.0,
        partial_rate: 0.5,
    })
    .await;
    let table = Table::<Record>::new(client_for(&proxy.endpoint()).await).with_name(&name);
    let mut writer = table
        .batch_writer()
        .concurrency(8)
        // Resends wait long enough for the next rounds to land first if
        // nothing stopped them.
        .retry_policy(RetryPolicy::new(
            30,
            Duration::from_millis(20),
            Duration::from_millis(80),
        ));
    // 20 rounds over the same 25 keys: each round is one request.
    for round in 0..20u64 {
        for k in 0..25 {
            let mut r = record(k);
            r.n = round;
            writer.put(&r).await.unwrap();
        }
    }
    let summary = writer.finish().await.expect("written");
    assert_eq!(summary.items_written, 500);
    assert!(summary.retries > 0);
    let stored = scan_all(&direct, &name).await;
    assert_eq!(stored.len(), 25);
    for item in stored {
        assert_eq!(
            Record::from_item(item).unwrap().n,
            19,
            "an earlier round won"
        );
    }
}

/// An oversize item and an empty key are refused by `put` and nothing else is lost.
#[tokio::test]
async fn oversize_items_and_empty_keys_are_refused_before_sending() {
    let direct = shared_client().await.expect("DynamoDB Local");
    let name = create_table::<Record>(&direct, "bw_size").await;
    let table = Table::<Record>::new(direct.clone()).with_name(&name);
    let mut writer = table.batch_writer();
    for i in 0..10 {
        writer.put(&record(i)).await.unwrap();
    }
    let mut big = record(10);
    big.payload = "x".repeat(401 * 1024);
    match writer.put(&big).await {
        Err(Error::ItemTooLarge { size, limit }) => {
            assert!(size > limit);
            assert_eq!(limit, 400 * 1024);
        }
        other => panic!("expected ItemTooLarge, got {other:?}"),
    }
    let mut empty = record(11);
    empty.pk.clear();
    assert!(matches!(
        writer.put(&empty).await,
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        writer.delete(Record::key("", 1)).await,
        Err(Error::Validation(_))
    ));
    for i in 12..22 {
        writer.put(&record(i)).await.unwrap();
    }
    let summary = writer.finish().await.expect("the rest is written");
    assert_eq!(summary.items_written, 20);
    assert_eq!(summary.requests_sent, 1);
    let stored: HashSet<i64> = scan_all(&direct, &name)
        .await
        .into_iter()
        .map(|i| Record::from_item(i).unwrap().sk)
        .collect();
    let expected: HashSet<i64> = (0..10).chain(12..22).collect();
    assert_eq!(stored, expected);
}

/// Versioned items: refused without the opt-in; with it, written with the
/// version bumped.
#[tokio::test]
async fn versioned_items_need_the_opt_in_and_get_bumped() {
    let direct = shared_client().await.expect("DynamoDB Local");
    let name = create_table::<Doc>(&direct, "bw_ver").await;
    let table = Table::<Doc>::new(direct.clone()).with_name(&name);
    let doc = Doc {
        id: "d1".into(),
        version: 3,
        body: "hello".into(),
    };

    let mut strict = table.batch_writer();
    match strict.put(&doc).await {
        Err(Error::Validation(msg)) => {
            assert!(msg.contains("versioned"), "{msg}");
            assert!(msg.contains("unversioned_writes"), "{msg}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(matches!(
        strict.delete(doc.key()).await,
        Err(Error::Validation(_))
    ));
    assert_eq!(strict.finish().await.unwrap().requests_sent, 0);
    assert_eq!(scan_count(&direct, &name).await, 0);

    let mut lax = table.batch_writer().unversioned_writes();
    lax.put(&doc).await.unwrap();
    let mut raw = Item::new();
    raw.insert("id".into(), AttributeValue::S("d2".into()));
    raw.insert("body".into(), AttributeValue::S("raw".into()));
    lax.put_item(raw).await.unwrap();
    lax.finish().await.unwrap();

    let stored: HashMap<String, Doc> = scan_all(&direct, &name)
        .await
        .into_iter()
        .map(|i| Doc::from_item(i).unwrap())
        .map(|d| (d.id.clone(), d))
        .collect();
    assert_eq!(stored["d1"].version, 4);
    assert_eq!(stored["d1"].body, "hello");
    assert_eq!(stored["d2"].version, 1);
    assert_eq!(doc.version, 3, "the caller's value is unchanged");
}

/// A regression: single-item operations retry throttling through the
/// SDK's retry config, so 100 scans through 30% throttling never fail.
#[tokio::test]
async fn single_requests_retry_throttling_through_the_sdk() {
    let direct = shared_client().await.expect("DynamoDB Local");
    let name = create_table::<Tag>(&direct, "bw_scan").await;
    for i in 0..3 {
        direct
            .put_item()
            .table_name(&name)
            .set_item(Some(
                Tag {
                    name: format!("t{i}"),
                    count: i,
                }
                .to_item()
                .unwrap(),
            ))
            .send()
            .await
            .unwrap();
    }
    let proxy = proxy(FaultConfig {
        seed: 30,
        throttle_rate: 0.3,
        server_error_rate: 0.0,
        partial_rate: 0.0,
    })
    .await;
    let base = client_for(&proxy.endpoint()).await;
    let client = Client::from_conf(
        base.config()
            .to_builder()
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(12)
                    .with_initial_backoff(Duration::from_millis(2))
                    .with_max_backoff(Duration::from_millis(50)),
            )
            .build(),
    );
    for i in 0..100 {
        let out = client
            .scan()
            .table_name(&name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("scan {i} failed: {e:?}"));
        assert_eq!(out.count, 3);
    }
    let counts = proxy.counts();
    assert!(counts.throttled > 10, "{counts:?}");
    assert_eq!(counts.requests, 100 + counts.throttled);
}

/// One writer for two tables, through faults.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_table_writer_writes_into_two_tables() {
    let direct = shared_client().await.expect("DynamoDB Local");
    let records_name = create_table::<Record>(&direct, "bw_multi_r").await;
    let tags_name = create_table::<Tag>(&direct, "bw_multi_t").await;
    let proxy = proxy(FaultConfig {
        seed: 99,
        throttle_rate: 0.2,
        server_error_rate: 0.0,
        partial_rate: 0.3,
    })
    .await;
    let client = client_for(&proxy.endpoint()).await;
    let records = Table::<Record>::new(client.clone()).with_name(&records_name);
    let tags = Table::<Tag>::new(client.clone()).with_name(&tags_name);

    let mut writer = BatchWriter::<Record>::multi(client)
        .concurrency(4)
        .retry_policy(quick_retries(30));
    for i in 0..60 {
        writer.put_to(&records, &record(i)).await.unwrap();
        if i < 40 {
            let tag = Tag {
                name: format!("tag{i}"),
                count: i,
            };
            writer.put_to(&tags, &tag).await.unwrap();
        }
    }
    for i in 0..5 {
        writer.delete_from(&records, record(i).key()).await.unwrap();
        writer
            .delete_from(&tags, Tag::key(format!("tag{i}")))
            .await
            .unwrap();
    }
    let summary = writer.finish().await.expect("written");
    assert_eq!(summary.items_written, 110);
    let r: HashSet<i64> = scan_all(&direct, &records_name)
        .await
        .into_iter()
        .map(|i| Record::from_item(i).unwrap().sk)
        .collect();
    assert_eq!(r, (5..60).collect());
    let t: HashMap<String, Tag> = scan_all(&direct, &tags_name)
        .await
        .into_iter()
        .map(|i| Tag::from_item(i).unwrap())
        .map(|t| (t.name.clone(), t))
        .collect();
    assert_eq!(t.len(), 35);
    assert_eq!(t["tag39"].count, 39);
    assert!(!t.contains_key("tag0"));

    // A multi-table writer built directly is the same type.
    let _: MultiBatchWriter = MultiBatchWriter::new(direct);
}

/// A request DynamoDB refuses outright (here: the table does not exist) is
/// not resent, and its writes are handed back with the reason.
#[tokio::test]
async fn refused_requests_are_handed_back_with_the_reason() {
    let direct = shared_client().await.expect("DynamoDB Local");
    let table = Table::<Tag>::new(direct).with_name(unique_table_name("bw_missing"));
    let mut writer = table.batch_writer().retry_policy(quick_retries(5));
    let mut handed_back = Vec::new();
    let mut source = None;
    for i in 0..30 {
        let tag = Tag {
            name: format!("t{i}"),
            count: i,
        };
        match writer.put(&tag).await {
            Ok(()) => {}
            Err(Error::BatchWriteIncomplete {
                unprocessed,
                source: s,
                ..
            }) => {
                handed_back.extend(unprocessed);
                source = source.or(s);
            }
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    match writer.flush().await {
        Err(Error::BatchWriteIncomplete {
            unprocessed,
            summary,
            source: s,
        }) => {
            handed_back.extend(unprocessed);
            let source = source.or(s).expect("the reason");
            assert!(
                matches!(*source, Error::TableNotFound { .. }),
                "the typed reason: {source}"
            );
            assert_eq!(handed_back.len(), 30, "every write, once");
            // Both requests may have left before the first answer stopped the writer.
            assert!(summary.requests_sent <= 2, "not resent: {summary:?}");
            assert_eq!(summary.retries, 0);
            assert_eq!(summary.items_failed, 30);
            let mut names: Vec<String> = handed_back
                .iter()
                .map(|w| w.key::<Tag>().unwrap().name)
                .collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), 30);
        }
        other => panic!("expected BatchWriteIncomplete, got {other:?}"),
    }
    // The writer stays stopped, with nothing more to hand back.
    match writer.finish().await {
        Err(Error::BatchWriteIncomplete { unprocessed, .. }) => assert!(unprocessed.is_empty()),
        other => panic!("expected the stopped writer's error, got {other:?}"),
    }
}

/// Collects the messages of ERROR events.
struct ErrorEvents(Arc<std::sync::Mutex<Vec<String>>>);

impl tracing::Subscriber for ErrorEvents {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Message(String);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" {
                    self.0 = format!("{value:?}");
                }
            }
        }
        if *event.metadata().level() == tracing::Level::ERROR {
            let mut message = Message(String::new());
            event.record(&mut message);
            self.0.lock().unwrap().push(message.0);
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// A writer dropped with writes not confirmed finishes them in the
/// background: nothing is lost. Without a runtime to finish them, the loss is
/// logged with the count (and nothing panics); a finished writer drops silently.
#[tokio::test]
async fn dropped_writers_finish_their_writes() {
    let direct = shared_client().await.expect("DynamoDB Local");
    let name = create_table::<Record>(&direct, "bw_drop").await;
    let table = Table::<Record>::new(direct.clone()).with_name(&name);
    let errors = Arc::new(std::sync::Mutex::new(Vec::new()));

    let mut writer = table.batch_writer();
    for i in 0..30 {
        writer.put(&record(i)).await.unwrap();
    }
    // On this single-threaded runtime the request spawned for the first 25
    // has not run yet: 25 in flight, 5 buffered.
    tracing::subscriber::with_default(ErrorEvents(errors.clone()), || drop(writer));
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut stored = 0;
    while Instant::now() < deadline {
        stored = scan_all(&direct, &name).await.len();
        if stored == 30 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(stored, 30, "the dropped writer's writes were finished");
    assert!(errors.lock().unwrap().is_empty());

    let mut finished = table.batch_writer();
    finished.put(&record(1)).await.unwrap();
    finished.flush().await.unwrap();
    tracing::subscriber::with_default(ErrorEvents(errors.clone()), || drop(finished));
    assert!(errors.lock().unwrap().is_empty());
}

/// With no runtime left to finish them, a dropped writer's writes are lost,
/// and that is logged with their count.
#[test]
fn a_writer_dropped_without_a_runtime_logs_the_loss() {
    let errors = Arc::new(std::sync::Mutex::new(Vec::new()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let writer = runtime.block_on(async {
        let table = Table::<Record>::new(shared_client().await.expect("DynamoDB Local"))
            .with_name("bw_no_runtime");
        let mut writer = table.batch_writer();
        for i in 0..5 {
            writer.put(&record(i)).await.unwrap();
        }
        writer
    });
    drop(runtime);
    tracing::subscriber::with_default(ErrorEvents(errors.clone()), || drop(writer));
    let logged = errors.lock().unwrap().clone();
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(
        logged[0].contains("5 writes not confirmed"),
        "{}",
        logged[0]
    );
}
