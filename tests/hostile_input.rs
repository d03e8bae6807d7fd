//! Acceptance tests of the issue "Hostile and careless input", one test per
//! rule, against DynamoDB Local behind the fault proxy, whose request log
//! proves that a refused call sent nothing.
//!
//! Written before the redesign: several of them fail on the code they were
//! written against, by design. Deep decoding has its own file
//! (`deep_decode.rs`): a stack overflow aborts the whole test binary.

#[path = "support/fault_proxy.rs"]
mod fault_proxy;

mod common;

use std::collections::{HashMap, HashSet};
use std::future::IntoFuture;
use std::time::{Duration, Instant};

use dynamo_orm::expr::Update;
use dynamo_orm::local::{client_for, shared};
use dynamo_orm::{AttributeValue, DynamoAttribute, DynamoItem, Error, Item, Table, TransactGet};
use fault_proxy::{FaultConfig, FaultProxy};

// ------------------------------------------------------------------ items

/// Unversioned, hash key only.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "tags")]
struct Tag {
    #[dynamo(hash_key)]
    name: String,
    count: u64,
}

/// A typed recursive value. (`Option<Box<Node>>` would be the natural
/// shape, but `Box<T>` has no attribute conversion; `Vec` is the
/// indirection, so each node is two levels: its map and its list.)
#[derive(DynamoAttribute, Debug, Clone, PartialEq)]
struct Node {
    name: String,
    children: Vec<Node>,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "trees")]
struct Tree {
    #[dynamo(hash_key)]
    id: String,
    root: Node,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "json_docs")]
struct JsonDoc {
    #[dynamo(hash_key)]
    id: String,
    doc: serde_json::Value,
}

/// The raw escape hatch.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "raw_docs")]
struct RawDoc {
    #[dynamo(hash_key)]
    id: String,
    raw: AttributeValue,
}

/// Many numbers with a fraction.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "number_items")]
struct Halves {
    #[dynamo(hash_key)]
    id: String,
    nums: Vec<f64>,
}

/// Many numbers with trailing zeros (same key as `Halves`, same table).
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "number_items")]
struct Millions {
    #[dynamo(hash_key)]
    id: String,
    nums: Vec<u64>,
}

// ------------------------------------------------------------------ helpers

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

async fn proxy() -> FaultProxy {
    let server = tokio::task::spawn_blocking(shared)
        .await
        .unwrap()
        .expect("DynamoDB Local");
    FaultProxy::start(server.endpoint(), FaultConfig::none(2))
        .await
        .expect("fault proxy")
}

/// A fresh table of `T`, as a handle on the server directly and one through
/// a proxy, with the proxy.
async fn proxied<T: DynamoItem>() -> (Table<T>, Table<T>, FaultProxy) {
    let direct = common::fresh_table::<T>().await;
    let proxy = proxy().await;
    let via = Table::<T>::new(client_for(&proxy.endpoint()).await).with_name(direct.name());
    (direct, via, proxy)
}

/// A plain `PutItem` on the server directly; DynamoDB's answer.
async fn raw_put<T>(table: &Table<T>, item: Item) -> Result<(), String> {
    table
        .client()
        .put_item()
        .table_name(table.name())
        .set_item(Some(item))
        .send()
        .await
        .map(drop)
        .map_err(|e| {
            let e = aws_sdk_dynamodb::Error::from(e);
            format!("{e}: {e:?}")
        })
}

/// The checks of one rule that failed, reported together.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn check(&mut self, ok: bool, what: impl Into<String>) {
        if !ok {
            self.0.push(what.into());
        }
    }

    fn assert_none(self) {
        assert!(
            self.0.is_empty(),
            "{} check(s) failed:\n- {}",
            self.0.len(),
            self.0.join("\n- ")
        );
    }
}

/// Runs a call and records whether it failed and sent nothing.
async fn refused_unsent<R: std::fmt::Debug>(
    failures: &mut Failures,
    proxy: &FaultProxy,
    what: &str,
    call: impl std::future::IntoFuture<Output = Result<R, Error>>,
) {
    let before = proxy.total();
    let result = call.into_future().await;
    let sent = proxy.total() - before;
    failures.check(result.is_err(), format!("{what}: not refused: {result:?}"));
    failures.check(
        sent == 0,
        format!("{what}: {sent} request(s) sent (result {})", short(&result)),
    );
}

/// A value's `Debug`, cut to a readable length.
fn short(value: &impl std::fmt::Debug) -> String {
    let text = format!("{value:?}");
    match text.char_indices().nth(160) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

// ------------------------------------------------------------------ rule 1

// Rule 1 (a flattened field cannot overwrite the key) is a compile error:
// tests/ui/flatten/hash_key_vs_flattened.rs, outer_vs_flattened.rs and
// two_flattened.rs. The run-time guard for names known only at run time is
// tested in tests/derive_behaviour.rs.

// ------------------------------------------------------------------ rule 2

/// Rule 2: an invalid table name is refused by every operation, before
/// anything is sent, not only by `create`.
#[tokio::test]
async fn invalid_table_names_are_refused_by_every_operation() {
    let proxy = proxy().await;
    let client = client_for(&proxy.endpoint()).await;
    let base = Table::<Tag>::new(client);
    let long = "a".repeat(256);
    let tag = Tag {
        name: "a".into(),
        count: 1,
    };
    let mut failures = Failures::default();
    for name in ["a b", "ab", long.as_str(), "tablé"] {
        let t = base.with_name(name);
        let shown = if name.len() > 20 { "256 × a" } else { name };
        let label = |op: &str| format!("table {shown:?}: {op}");
        refused_unsent(
            &mut failures,
            &proxy,
            &label("get"),
            t.get(Tag::key("a")).into_future(),
        )
        .await;
        refused_unsent(
            &mut failures,
            &proxy,
            &label("put"),
            t.put(&tag).into_future(),
        )
        .await;
        refused_unsent(
            &mut failures,
            &proxy,
            &label("delete"),
            t.delete(Tag::key("a")).into_future(),
        )
        .await;
        refused_unsent(
            &mut failures,
            &proxy,
            &label("update"),
            t.update(Tag::key("a"))
                .apply(Update::new().set(Tag::FIELDS.count, 2u64))
                .into_future(),
        )
        .await;
        refused_unsent(&mut failures, &proxy, &label("query"), t.query("a").all()).await;
        refused_unsent(&mut failures, &proxy, &label("scan"), t.scan().all()).await;
        refused_unsent(
            &mut failures,
            &proxy,
            &label("batch_get"),
            t.batch_get([Tag::key("a"), Tag::key("b")]).into_future(),
        )
        .await;
        refused_unsent(&mut failures, &proxy, &label("batch writer"), async {
            let mut writer = t.batch_writer();
            let put = writer.put(&tag).await;
            let finish = writer.finish().await;
            match (put, finish) {
                (Err(e), _) | (Ok(()), Err(e)) => Err(e),
                (Ok(()), Ok(summary)) => Ok(summary),
            }
        })
        .await;
    }
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 3

fn node_chain(nodes: usize) -> Node {
    let mut node = Node {
        name: "leaf".into(),
        children: Vec::new(),
    };
    for i in 1..nodes {
        node = Node {
            name: format!("n{i}"),
            children: vec![node],
        };
    }
    node
}

fn json_chain(depth: usize) -> serde_json::Value {
    let mut v = serde_json::json!("leaf");
    for _ in 0..depth {
        v = serde_json::json!({ "c": v });
    }
    v
}

/// The item `{id, <name>: value}` built by hand: what a client that does not
/// check would send.
fn raw_item(id: &str, name: &str, value: AttributeValue) -> Item {
    Item::from([("id".to_owned(), s(id)), (name.to_owned(), value)])
}

/// A node chain as raw attributes (what `node_chain` encodes to).
fn raw_node_chain(nodes: usize) -> AttributeValue {
    let node = |name: String, children: Vec<AttributeValue>| {
        AttributeValue::M(HashMap::from([
            ("name".to_owned(), AttributeValue::S(name)),
            ("children".to_owned(), AttributeValue::L(children)),
        ]))
    };
    let mut v = node("leaf".into(), Vec::new());
    for i in 1..nodes {
        v = node(format!("n{i}"), vec![v]);
    }
    v
}

fn map_chain(depth: usize) -> AttributeValue {
    let mut v = s("leaf");
    for _ in 0..depth {
        v = AttributeValue::M(HashMap::from([("c".to_owned(), v)]));
    }
    v
}

/// Rule 3: values nested deeper than DynamoDB's 32 levels are refused before
/// sending, whether they come from a typed recursive struct, a JSON value or
/// a raw attribute value. (DynamoDB Local refuses 32 nested maps under an
/// attribute and takes 31; these are 40 deep, and the shallow ones 10.)
#[tokio::test]
async fn nesting_deeper_than_32_levels_is_refused_before_sending() {
    let mut failures = Failures::default();

    let (direct, via, proxy) = proxied::<Tree>().await;
    let deep = Tree {
        id: "deep".into(),
        root: node_chain(20),
    };
    let shallow = Tree {
        id: "shallow".into(),
        root: node_chain(5),
    };
    let premise = raw_put(&direct, raw_item("deep", "root", raw_node_chain(20))).await;
    assert!(premise.is_err(), "DynamoDB Local took the deep tree");
    refused_unsent(
        &mut failures,
        &proxy,
        "typed tree, 40 levels",
        via.put(&deep),
    )
    .await;
    let result = via.put(&shallow).await;
    failures.check(result.is_ok(), format!("typed tree, 10 levels: {result:?}"));

    let (direct, via, proxy) = proxied::<JsonDoc>().await;
    let deep = JsonDoc {
        id: "deep".into(),
        doc: json_chain(40),
    };
    let shallow = JsonDoc {
        id: "shallow".into(),
        doc: json_chain(10),
    };
    // A JSON object {"c": ..} is the map {c: ..}.
    let premise = raw_put(&direct, raw_item("deep", "doc", map_chain(40))).await;
    assert!(premise.is_err(), "DynamoDB Local took the deep JSON value");
    refused_unsent(
        &mut failures,
        &proxy,
        "JSON value, 40 levels",
        via.put(&deep),
    )
    .await;
    let result = via.put(&shallow).await;
    failures.check(result.is_ok(), format!("JSON value, 10 levels: {result:?}"));

    let (direct, via, proxy) = proxied::<RawDoc>().await;
    let deep = RawDoc {
        id: "deep".into(),
        raw: map_chain(40),
    };
    let shallow = RawDoc {
        id: "shallow".into(),
        raw: map_chain(10),
    };
    let premise = raw_put(&direct, raw_item("deep", "raw", map_chain(40))).await;
    assert!(premise.is_err(), "DynamoDB Local took the deep raw value");
    refused_unsent(
        &mut failures,
        &proxy,
        "raw value, 40 levels",
        via.put(&deep),
    )
    .await;
    let result = via.put(&shallow).await;
    failures.check(result.is_ok(), format!("raw value, 10 levels: {result:?}"));

    failures.assert_none();
}

// ------------------------------------------------------------------ rule 4

/// Rule 4: a raw `AttributeValue` field is validated like a typed one: values
/// DynamoDB refuses are an `Encode` (or `Validation`) error before sending.
#[tokio::test]
async fn raw_attribute_values_are_validated_before_sending() {
    let (direct, via, proxy) = proxied::<RawDoc>().await;
    let bad = [
        ("NaN", AttributeValue::N("NaN".into())),
        ("39 digits", AttributeValue::N("1".repeat(39))),
        ("empty SS", AttributeValue::Ss(Vec::new())),
        (
            "SS with a duplicate",
            AttributeValue::Ss(vec!["a".into(), "a".into()]),
        ),
        (
            "NS with 1 and 1.0",
            AttributeValue::Ns(vec!["1".into(), "1.0".into()]),
        ),
        (
            "map key over 64 KB",
            AttributeValue::M(HashMap::from([("k".repeat(65 * 1024), s("x"))])),
        ),
    ];
    let mut failures = Failures::default();
    for (what, raw) in bad {
        let premise = raw_put(&direct, raw_item("r", "raw", raw.clone())).await;
        let doc = RawDoc {
            id: "r".into(),
            raw,
        };
        assert!(premise.is_err(), "DynamoDB Local took {what}");
        let before = proxy.total();
        let result = via.put(&doc).await;
        let sent = proxy.total() - before;
        failures.check(
            matches!(result, Err(Error::Encode(_) | Error::Validation(_))) && sent == 0,
            format!("{what}: {}, {sent} request(s) sent", short(&result)),
        );
    }
    // A valid raw value still goes through.
    let fine = RawDoc {
        id: "fine".into(),
        raw: AttributeValue::Ns(vec!["1".into(), "2.5".into()]),
    };
    let result = via.put(&fine).await;
    failures.check(result.is_ok(), format!("a valid NS: {result:?}"));
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 5

/// Rule 5: duplicate keys in `batch_get` are folded (one request, two keys);
/// a `TransactGet` naming one key twice is refused before sending or folded,
/// never sent for DynamoDB to refuse.
#[tokio::test]
async fn duplicate_keys_in_batch_get_and_transact_get() {
    let (direct, via, proxy) = proxied::<Tag>().await;
    for name in ["k", "k2"] {
        direct
            .put(&Tag {
                name: name.into(),
                count: 1,
            })
            .await
            .unwrap();
    }
    let mut failures = Failures::default();

    let found = via
        .batch_get([Tag::key("k"), Tag::key("k"), Tag::key("k2")])
        .await;
    let names: HashSet<String> = found
        .as_ref()
        .map(|v| v.iter().map(|t| t.name.clone()).collect())
        .unwrap_or_default();
    failures.check(
        found.as_ref().is_ok_and(|v| v.len() == 2) && names.len() == 2,
        format!("batch_get([k, k, k2]): {found:?}"),
    );
    let requests = proxy.requests_of("BatchGetItem");
    let keys_sent: Vec<usize> = requests
        .iter()
        .map(|b| {
            b["RequestItems"][via.name()]["Keys"]
                .as_array()
                .map_or(0, Vec::len)
        })
        .collect();
    failures.check(
        keys_sent == vec![2],
        format!("batch_get([k, k, k2]) sent requests with these key counts: {keys_sent:?}"),
    );

    let mut tx = TransactGet::new(via.client());
    let first = tx.get(&via, Tag::key("k"));
    let second = tx.get(&via, Tag::key("k"));
    let before = proxy.count("TransactGetItems");
    let result = tx.await;
    let sent = proxy.count("TransactGetItems") - before;
    match result {
        Ok(mut got) => {
            let a = got.take(first);
            let b = got.take(second);
            failures.check(
                matches!((&a, &b), (Ok(Some(x)), Ok(Some(y))) if x.name == "k" && y.name == "k"),
                format!("TransactGet of one key twice, folded: handles gave {a:?} and {b:?}"),
            );
        }
        Err(e) => failures.check(
            sent == 0,
            format!("TransactGet of one key twice was sent ({sent} request(s)) and failed: {e:?}"),
        ),
    }
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 6

/// Just over the limit as DynamoDB Local counts it: `1.5` costs 3 bytes
/// (`01|50` in base 100, digits paired from the decimal point), we count 2.
/// 10 + 4 × 102,398 = 409,602 > 409,600.
const HALVES_OVER: usize = 102_398;
/// At the limit as DynamoDB Local counts it: `1000000` costs 2 bytes
/// (`01` and an exponent), we count 5. 10 + 3 × 136,530 = 409,600.
const MILLIONS_AT: usize = 136_530;

fn halves(n: usize) -> Halves {
    Halves {
        id: "h".into(),
        nums: vec![1.5; n],
    }
}

fn millions(n: usize) -> Millions {
    Millions {
        id: "m".into(),
        nums: vec![1_000_000; n],
    }
}

/// Rule 6: an item's size counts numbers as DynamoDB does. An item of `1.5`s
/// that DynamoDB Local refuses as too large is refused before sending; an
/// item of `1000000`s that it takes is not refused.
#[tokio::test]
async fn item_size_counts_numbers_as_dynamodb_does() {
    let (direct, via, proxy) = proxied::<Halves>().await;
    let millions_direct = Table::<Millions>::new(direct.client().clone()).with_name(direct.name());
    let millions_via = Table::<Millions>::new(via.client().clone()).with_name(via.name());

    // The premises, on DynamoDB Local directly.
    let over = raw_put(&direct, halves(HALVES_OVER).to_item().unwrap()).await;
    assert!(
        over.as_ref().is_err_and(|e| e.contains("size")),
        "DynamoDB Local took {HALVES_OVER} halves: {over:?}"
    );
    raw_put(&direct, halves(HALVES_OVER - 1).to_item().unwrap())
        .await
        .expect("DynamoDB Local takes one half fewer");
    raw_put(&millions_direct, millions(MILLIONS_AT).to_item().unwrap())
        .await
        .expect("DynamoDB Local takes the millions");
    let over = raw_put(
        &millions_direct,
        millions(MILLIONS_AT + 1).to_item().unwrap(),
    )
    .await;
    assert!(
        over.as_ref().is_err_and(|e| e.contains("size")),
        "DynamoDB Local took {} millions: {over:?}",
        MILLIONS_AT + 1
    );

    let mut failures = Failures::default();
    let before = proxy.total();
    let result = via.put(&halves(HALVES_OVER)).await;
    let sent = proxy.total() - before;
    failures.check(
        matches!(result, Err(Error::ItemTooLarge { .. })) && sent == 0,
        format!(
            "{HALVES_OVER} × 1.5 (over the limit): {:?}, {sent} request(s) sent",
            result.map(drop)
        ),
    );
    let result = via.put(&halves(HALVES_OVER - 1)).await;
    failures.check(
        result.is_ok(),
        format!("{} × 1.5 (within): {:?}", HALVES_OVER - 1, result.map(drop)),
    );
    let result = millions_via.put(&millions(MILLIONS_AT)).await;
    failures.check(
        result.is_ok(),
        format!(
            "{MILLIONS_AT} × 1000000 (at the limit): {:?}",
            result.map(drop)
        ),
    );
    let before = proxy.total();
    let result = millions_via.put(&millions(MILLIONS_AT + 1)).await;
    let sent = proxy.total() - before;
    failures.check(
        matches!(result, Err(Error::ItemTooLarge { .. })) && sent == 0,
        format!(
            "{} × 1000000 (over): {:?}, {sent} request(s) sent",
            MILLIONS_AT + 1,
            result.map(drop)
        ),
    );
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 7

/// Rule 7: a batch writer against a server that does not answer gives up in
/// bounded time (under 15 s with the default policy) and hands back every
/// write. Today it takes about 50 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_writer_gives_up_on_a_dead_server_in_bounded_time() {
    const N: usize = 500;
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = client_for(&format!("http://127.0.0.1:{port}")).await;
    let table = Table::<Tag>::new(client).with_name("dead_server_table");
    let started = Instant::now();
    let run = tokio::time::timeout(Duration::from_secs(15), async {
        // Once the writer gives up, each put hands its write straight back
        // (with anything else not written): collect them all.
        let mut handed_back = Vec::new();
        let mut writer = table.batch_writer();
        for i in 0..N {
            let put = writer
                .put(&Tag {
                    name: format!("t{i:03}"),
                    count: i as u64,
                })
                .await;
            match put {
                Ok(()) => {}
                Err(Error::BatchWriteIncomplete { unprocessed, .. }) => {
                    handed_back.extend(unprocessed)
                }
                Err(other) => return Err(other),
            }
        }
        match writer.finish().await {
            Err(Error::BatchWriteIncomplete {
                unprocessed,
                summary,
                ..
            }) => {
                handed_back.extend(unprocessed);
                Ok((handed_back, summary))
            }
            other => panic!("expected BatchWriteIncomplete, got {other:?}"),
        }
    })
    .await;
    let elapsed = started.elapsed();
    let Ok(result) = run else {
        panic!("the batch writer had not given up after {elapsed:?}");
    };
    let (unprocessed, summary) = result.expect("only BatchWriteIncomplete errors");
    let names: HashSet<String> = unprocessed
        .iter()
        .map(|w| w.key::<Tag>().unwrap().name)
        .collect();
    assert_eq!(unprocessed.len(), N, "writes handed back");
    assert_eq!(names.len(), N, "distinct writes handed back");
    assert!(
        summary.requests_unanswered > 0,
        "the summary says requests got no answer: {summary:?}"
    );
    assert_eq!(summary.items_written, 0);
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
}
