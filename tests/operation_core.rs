//! The operation core against DynamoDB Local: `Table<Document>` runs every
//! operation through the same builders as typed tables; `.customize()`
//! reaches the request; errors carry DynamoDB's request id and code; page
//! tokens round-trip and refuse tampering; consumed capacity is asked for only
//! when the caller asks. (Spans are tested in `tests/spans.rs`, alone in their
//! binary: tracing caches per call site whether anyone listens.)

#[path = "support/fault_proxy.rs"]
mod fault_proxy;

mod common;

use std::collections::{HashMap, HashSet};

use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use dynamo_orm::expr::{Path, Update};
use dynamo_orm::local::{client_for, shared, shared_client, unique_table_name};
use dynamo_orm::{
    AttributeValue, Cursor, Document, DynamoAttribute, DynamoItem, Error, Table, TransactGet,
    TransactWrite,
};
use fault_proxy::{FaultConfig, FaultProxy};
use futures::TryStreamExt;

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "events")]
#[dynamo(gsi(ByKind, hash = kind, range = at))]
struct Event {
    #[dynamo(hash_key)]
    user: String,
    #[dynamo(range_key)]
    at: i64,
    kind: String,
    note: Option<String>,
    #[dynamo(version)]
    version: u64,
}

#[derive(DynamoAttribute, Debug, PartialEq)]
#[dynamo(projection_of = Event)]
struct EventKind {
    user: String,
    at: i64,
    kind: String,
}

fn event(user: &str, at: i64, kind: &str) -> Event {
    Event {
        user: user.into(),
        at,
        kind: kind.into(),
        note: None,
        version: 0,
    }
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn doc(pairs: &[(&str, AttributeValue)]) -> Document {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn key(user: &str, at: i64) -> Document {
    doc(&[("user", s(user)), ("at", n(at))])
}

async fn proxy() -> FaultProxy {
    let server = tokio::task::spawn_blocking(shared)
        .await
        .unwrap()
        .expect("DynamoDB Local");
    FaultProxy::start(server.endpoint(), FaultConfig::none(5))
        .await
        .expect("fault proxy")
}

/// Every operation on a `Table<Document>` opened by name, on the same engine
/// as typed tables: reads, projections, conditions and updates on named
/// paths, versioned writes, queries on the table and an index, scans,
/// batches and transactions.
#[tokio::test]
async fn document_tables_run_every_operation() {
    let typed = common::fresh_table::<Event>().await;
    let docs = Table::<Document>::open(typed.client().clone(), typed.name())
        .await
        .unwrap();
    assert_eq!(docs.key_names().hash, "user");
    assert_eq!(docs.key_names().range.as_deref(), Some("at"));

    // put / get (consistent, projected by names) / exists
    for at in 1..=6 {
        let kind = if at % 2 == 0 { "click" } else { "view" };
        docs.put(&doc(&[
            ("user", s("ann")),
            ("at", n(at)),
            ("kind", s(kind)),
        ]))
        .await
        .unwrap();
    }
    let got = docs.get(key("ann", 1)).consistent().await.unwrap().unwrap();
    assert_eq!(got.get::<String>("kind").unwrap().as_deref(), Some("view"));
    let projected = docs
        .get(key("ann", 2))
        .project_names(["kind"])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(projected.len(), 1, "{projected:?}");
    assert!(docs.exists(key("ann", 2)).await.unwrap());
    assert!(!docs.exists(key("ann", 99)).await.unwrap());

    // A condition on a named path, and an update of named paths.
    let refused = docs
        .put(&doc(&[("user", s("ann")), ("at", n(1)), ("kind", s("x"))]))
        .condition(Path::<String>::root("kind").eq("click"))
        .await;
    assert!(matches!(
        refused,
        Err(Error::ConditionFailed { item: Some(_) })
    ));
    docs.update(key("ann", 1))
        .apply(Update::new().set(Path::<String>::root("note"), "first"))
        .condition(Path::<String>::root("kind").eq("view"))
        .await
        .unwrap();
    let missing = docs
        .update(key("ann", 99))
        .apply(Update::new().set(Path::<String>::root("note"), "x"))
        .await;
    assert!(matches!(missing, Err(Error::NotFound)), "{missing:?}");

    // Versioned writes once a version attribute is named.
    let versioned = docs.with_version_attribute("version");
    let mut fresh = doc(&[("user", s("bob")), ("at", n(1)), ("kind", s("view"))]);
    versioned.put(&mut fresh).await.unwrap();
    assert_eq!(fresh.get::<u64>("version").unwrap(), Some(1));
    let mut stale = fresh.clone();
    versioned.put(&mut fresh).await.unwrap();
    assert!(matches!(
        versioned.put(&mut stale).await,
        Err(Error::VersionConflict { expected: 1, .. })
    ));
    let typed_bob = typed.get(Event::key("bob", 1)).await.unwrap().unwrap();
    assert_eq!(
        typed_bob.version, 2,
        "the typed view sees the same versions"
    );

    // Queries: the table with a sort key condition, an index by name.
    let later = docs.query("ann").range_gt(3).reverse().await.unwrap();
    let ats: Vec<i64> = later
        .iter()
        .map(|d| d.get::<i64>("at").unwrap().unwrap())
        .collect();
    assert_eq!(ats, [6, 5, 4]);
    let clicks = docs.query("click").index("ByKind").await.unwrap();
    assert_eq!(clicks.len(), 3);
    assert!(matches!(
        docs.query("click").index("NoSuchIndex").await,
        Err(Error::Validation(_))
    ));
    assert_eq!(docs.query("ann").count().await.unwrap(), 6);

    // Scans: filter, one segment, parallel.
    let views = docs
        .scan()
        .filter(Path::<String>::root("kind").eq("view"))
        .await
        .unwrap();
    assert_eq!(views.len(), 4);
    let mut by_segment = 0;
    for segment in 0..3 {
        by_segment += docs.scan().segment(segment, 3).await.unwrap().len();
    }
    assert_eq!(by_segment, 7);
    let parallel: Vec<Document> = docs
        .scan()
        .parallel(4)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(parallel.len(), 7);

    // Batch get and the batch writer.
    let batch = docs
        .batch_get([key("ann", 1), key("ann", 2), key("nobody", 1)])
        .await
        .unwrap();
    assert_eq!(batch.len(), 2);
    let summary = docs
        .batch_write(async |w| {
            w.put(&doc(&[
                ("user", s("cy")),
                ("at", n(1)),
                ("kind", s("view")),
            ]))
            .await?;
            w.delete(key("ann", 6)).await
        })
        .await
        .unwrap();
    assert_eq!(summary.items_written, 2);
    assert!(!docs.exists(key("ann", 6)).consistent().await.unwrap());

    // Transactions.
    TransactWrite::new(docs.client())
        .put(docs.put(&doc(&[
            ("user", s("dee")),
            ("at", n(1)),
            ("kind", s("view")),
        ])))
        .delete(docs.delete(key("cy", 1)))
        .condition_check(docs.condition_check(key("ann", 1), Path::<String>::root("note").exists()))
        .await
        .unwrap();
    let mut tx = TransactGet::new(docs.client());
    let dee = tx.get(&docs, key("dee", 1));
    let cy = tx.get(&docs, key("cy", 1));
    let mut read = tx.await.unwrap();
    assert!(read.take(dee).unwrap().is_some());
    assert!(read.take(cy).unwrap().is_none());

    // save_changes on documents: only what changed, checked.
    let before = docs.get(key("dee", 1)).consistent().await.unwrap().unwrap();
    let mut after = before.clone();
    after.insert("kind", "click").unwrap();
    assert!(docs.save_changes(&before, &mut after).await.unwrap());
    let mut racing = before.clone();
    racing.insert("kind", "view-again").unwrap();
    assert!(matches!(
        docs.save_changes(&before, &mut racing).await,
        Err(Error::ConditionFailed { item: Some(_) })
    ));
}

/// A typed table reads attributes chosen at run time as documents, and
/// typed projections still work.
#[tokio::test]
async fn typed_tables_project_names_chosen_at_run_time() {
    let t = common::fresh_table::<Event>().await;
    t.put(&event("ann", 1, "view")).await.unwrap();
    let only_kind: Option<Document> = t
        .get(Event::key("ann", 1))
        .project_names(["kind"])
        .await
        .unwrap();
    let only_kind = only_kind.unwrap();
    assert_eq!(only_kind.len(), 1);
    let rows: Vec<Document> = t
        .query("ann")
        .project_names(["kind", "version"])
        .await
        .unwrap();
    // The keys come along, so that a page can be resumed from any item.
    assert_eq!(rows[0].len(), 4, "{:?}", rows[0]);
    let kinds: Vec<EventKind> = t
        .index::<ByKind>()
        .query("view")
        .project::<EventKind>()
        .await
        .unwrap();
    assert_eq!(
        kinds,
        [EventKind {
            user: "ann".into(),
            at: 1,
            kind: "view".into()
        }]
    );
}

/// `.customize()` changes the SDK request that is sent.
#[tokio::test]
async fn customize_reaches_the_request() {
    let proxy = proxy().await;
    let direct = common::fresh_table::<Event>().await;
    let t = Table::<Event>::new(client_for(&proxy.endpoint()).await).with_name(direct.name());
    t.put(&mut event("ann", 1, "view"))
        .customize(|b| {
            b.return_item_collection_metrics(
                aws_sdk_dynamodb::types::ReturnItemCollectionMetrics::Size,
            )
        })
        .await
        .unwrap();
    let puts = proxy.requests_of("PutItem");
    assert_eq!(puts.last().unwrap()["ReturnItemCollectionMetrics"], "SIZE");
    let got = t
        .get(Event::key("ann", 1))
        .customize(|b| b.consistent_read(true))
        .await
        .unwrap();
    assert!(got.is_some());
    assert_eq!(
        proxy.requests_of("GetItem").last().unwrap()["ConsistentRead"],
        true
    );
    // A paged read customizes every request.
    let _: Vec<Event> = t
        .query("ann")
        .page_size(1)
        .customize(|b| b.consistent_read(true))
        .await
        .unwrap();
    let queries = proxy.requests_of("Query");
    assert!(queries.len() >= 2);
    assert!(queries.iter().all(|q| q["ConsistentRead"] == true));
}

/// Errors DynamoDB answers carry its request id and code; the table is named.
#[tokio::test]
async fn errors_carry_the_request_id_and_the_code() {
    let client = shared_client().await.unwrap();
    let missing = Table::<Event>::new(client).with_name(unique_table_name("missing"));
    let err = missing.get(Event::key("a", 1)).await.unwrap_err();
    match &err {
        Error::TableNotFound { table, error } => {
            assert_eq!(table.as_deref(), Some(missing.name()));
            assert_eq!(error.code(), "ResourceNotFoundException");
        }
        other => panic!("expected TableNotFound, got {other:?}"),
    }
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    let id = err.request_id().expect("DynamoDB's request id");
    assert!(!id.is_empty());
    assert!(!err.is_retryable());
}

/// A cursor turns into a URL-safe token and back, resumes exactly where
/// the page stopped, and a tampered or foreign token is refused before
/// anything is sent.
#[tokio::test]
async fn page_tokens_round_trip_and_refuse_tampering() {
    let proxy = proxy().await;
    let direct = common::fresh_table::<Event>().await;
    let t = Table::<Event>::new(client_for(&proxy.endpoint()).await).with_name(direct.name());
    for at in 0..30 {
        t.put(&event(
            "ann",
            at,
            if at % 3 == 0 { "view" } else { "click" },
        ))
        .await
        .unwrap();
    }
    let mut pages = t.query("ann").limit(12).page_size(5).pages();
    let mut seen = Vec::new();
    let mut token = None;
    while let Some(page) = pages.try_next().await.unwrap() {
        for item in page.items {
            seen.push(item.unwrap().at);
        }
        token = page.cursor.map(|c| c.to_token());
    }
    assert_eq!(seen, (0..12).collect::<Vec<_>>());
    let token = token.expect("a limit in mid-table leaves a cursor");
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    let rest: Vec<i64> = t
        .query("ann")
        .start_from(Cursor::from_token(&token).unwrap())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.at)
        .collect();
    assert_eq!(
        rest,
        (12..30).collect::<Vec<_>>(),
        "resumed exactly after item 11"
    );

    // A changed character is caught by the checksum.
    let mut bytes = token.clone().into_bytes();
    let last = bytes.len() - 5;
    bytes[last] = if bytes[last] == b'a' { b'b' } else { b'a' };
    let tampered = String::from_utf8(bytes).unwrap();
    assert!(matches!(
        Cursor::from_token(&tampered),
        Err(Error::Validation(_))
    ));

    // A well-formed token of another key schema is refused before sending.
    let mut foreign = HashMap::new();
    foreign.insert("pk".to_owned(), s("x"));
    let foreign = Cursor::from_item(foreign).to_token();
    let before = proxy.total();
    let refused = t
        .query("ann")
        .start_from(Cursor::from_token(&foreign).unwrap())
        .await;
    assert!(matches!(refused, Err(Error::Validation(_))), "{refused:?}");
    // The table's cursor is not an index's (the index adds its own keys).
    let table_cursor = Cursor::from_token(&token).unwrap();
    let on_index = t
        .index::<ByKind>()
        .query("view")
        .start_from(table_cursor)
        .await;
    assert!(
        matches!(on_index, Err(Error::Validation(_))),
        "{on_index:?}"
    );
    // A number where the key is a string.
    let mut wrong_type = HashMap::new();
    wrong_type.insert("user".to_owned(), n(1));
    wrong_type.insert("at".to_owned(), n(1));
    let refused = t
        .query("ann")
        .start_from(Cursor::from_item(wrong_type))
        .await;
    assert!(matches!(refused, Err(Error::Validation(_))));
    assert_eq!(proxy.total(), before, "nothing was sent");
}

/// Consumed capacity is not asked for unless the caller asks, per table or
/// per request; when asked, outputs, pages and summaries report it.
#[tokio::test]
async fn consumed_capacity_only_when_asked() {
    let proxy = proxy().await;
    let direct = common::fresh_table::<Event>().await;
    let t = Table::<Event>::new(client_for(&proxy.endpoint()).await).with_name(direct.name());

    // Default: no request carries ReturnConsumedCapacity.
    let mut e = event("ann", 1, "view");
    t.put(&mut e).await.unwrap();
    t.get(Event::key("ann", 1)).await.unwrap();
    t.update(Event::key("ann", 1))
        .apply(Update::new().set(Event::FIELDS.note, "n"))
        .expected_version(1)
        .await
        .unwrap();
    let _: Vec<Event> = t.query("ann").await.unwrap();
    let _: Vec<Event> = t.scan().await.unwrap();
    let _: Vec<Event> = t.batch_get([Event::key("ann", 1)]).await.unwrap();
    t.batch_writer()
        .unversioned_writes()
        .run(async |w| w.put(&event("bob", 1, "view")).await)
        .await
        .unwrap();
    t.delete(Event::key("bob", 1))
        .skip_version_check()
        .await
        .unwrap();
    let default_requests = proxy.requests();
    let ops: HashSet<&str> = default_requests.iter().map(|(op, _)| op.as_str()).collect();
    for op in [
        "PutItem",
        "GetItem",
        "UpdateItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "DeleteItem",
    ] {
        assert!(ops.contains(op), "{op} was sent");
    }
    for (op, body) in &default_requests {
        assert!(
            body.get("ReturnConsumedCapacity").is_none(),
            "{op} asked for capacity by default: {body}"
        );
    }

    // Per request.
    let before = proxy.total() as usize;
    let out = t
        .get(Event::key("ann", 1))
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .with_output()
        .await
        .unwrap();
    assert!(out.capacity_units().unwrap() > 0.0);
    assert!(out.request_id.is_some());
    let requests = proxy.requests();
    assert_eq!(requests[before].1["ReturnConsumedCapacity"], "TOTAL");

    // Per table: every request of the handle asks, and reports.
    let metered = t.return_consumed_capacity(ReturnConsumedCapacity::Total);
    let before = proxy.total() as usize;
    let mut e2 = event("cy", 1, "view");
    let put = metered.put(&mut e2).with_output().await.unwrap();
    assert!(put.capacity_units().unwrap() > 0.0);
    let mut pages = metered.query("ann").pages();
    let page = pages.try_next().await.unwrap().unwrap();
    assert!(page.consumed_capacity.unwrap() > 0.0);
    let summary = metered
        .batch_writer()
        .unversioned_writes()
        .run(async |w| w.put(&event("dee", 1, "view")).await)
        .await
        .unwrap();
    assert!(summary.consumed_capacity.unwrap() > 0.0);
    let requests = proxy.requests();
    assert!(requests.len() > before);
    for (op, body) in &requests[before..] {
        assert_eq!(body["ReturnConsumedCapacity"], "TOTAL", "{op}: {body}");
    }
}
