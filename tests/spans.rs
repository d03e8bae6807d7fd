//! One span per request with the OpenTelemetry fields for DynamoDB, one per
//! transaction around its request. Alone in its test binary: tracing caches,
//! per call site and process-wide, whether a subscriber listens, and other
//! tests running on other threads would race with the one set here.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use dynamo_orm::expr::Update;
use dynamo_orm::local::unique_table_name;
use dynamo_orm::{DynamoItem, TransactWrite};

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

fn event(user: &str, at: i64, kind: &str) -> Event {
    Event {
        user: user.into(),
        at,
        kind: kind.into(),
        note: None,
        version: 0,
    }
}

#[derive(Debug, Clone, Default)]
struct SpanRecord {
    name: String,
    parent: Option<u64>,
    fields: HashMap<String, String>,
}

/// A subscriber that keeps every span with its fields and parent.
#[derive(Clone, Default)]
struct Spans {
    spans: Arc<Mutex<Vec<SpanRecord>>>,
    stack: Arc<Mutex<Vec<u64>>>,
}

struct Fields<'a>(&'a mut HashMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl tracing::Subscriber for Spans {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target().starts_with("dynamo_orm")
    }
    fn new_span(&self, attrs: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut record = SpanRecord {
            name: attrs.metadata().name().to_owned(),
            parent: if attrs.is_contextual() {
                self.stack.lock().unwrap().last().copied()
            } else {
                attrs.parent().map(tracing::span::Id::into_u64)
            },
            ..SpanRecord::default()
        };
        attrs.record(&mut Fields(&mut record.fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push(record);
        tracing::span::Id::from_u64(spans.len() as u64)
    }
    fn record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        if let Some(span) = spans.get_mut(id.into_u64() as usize - 1) {
            values.record(&mut Fields(&mut span.fields));
        }
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, id: &tracing::span::Id) {
        self.stack.lock().unwrap().push(id.into_u64());
    }
    fn exit(&self, _: &tracing::span::Id) {
        self.stack.lock().unwrap().pop();
    }
}

/// One span per request with the OpenTelemetry fields for DynamoDB, and one
/// span per transaction around its request.
#[test]
fn one_span_per_request_with_the_documented_fields() {
    let spans = Spans::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = tracing::subscriber::set_default(spans.clone());
    // Other tests of this binary may have hit the span call sites before this
    // subscriber existed, when their interest was cached as "never".
    tracing::callsite::rebuild_interest_cache();
    let table_name = runtime.block_on(async {
        let t = common::fresh_table::<Event>().await;
        spans.spans.lock().unwrap().clear();
        let mut e = event("ann", 1, "view");
        t.put(&mut e).await.unwrap();
        let _ = t.get(Event::key("ann", 1)).consistent().await.unwrap();
        let _: Vec<Event> = t.index::<ByKind>().query("view").await.unwrap();
        let _ = t
            .get(Event::key("ann", 1))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .await;
        TransactWrite::new(t.client())
            .update(
                t.update(Event::key("ann", 1))
                    .apply(Update::new().set(Event::FIELDS.note, "x"))
                    .expected_version(1),
            )
            .await
            .unwrap();
        let missing = t.with_name(unique_table_name("gone"));
        let _ = missing.get(Event::key("ann", 1)).await;
        t.name().to_owned()
    });
    let spans = spans.spans.lock().unwrap().clone();
    let requests: Vec<&SpanRecord> = spans
        .iter()
        .filter(|s| s.name == "dynamodb.request")
        .collect();
    let ops: Vec<&str> = requests
        .iter()
        .map(|s| s.fields["db.operation.name"].as_str())
        .collect();
    assert_eq!(
        ops,
        [
            "PutItem",
            "GetItem",
            "Query",
            "GetItem",
            "TransactWriteItems",
            "GetItem"
        ],
        "one span per request"
    );
    for span in &requests {
        assert_eq!(span.fields["db.system.name"], "aws.dynamodb");
        assert_eq!(span.fields["otel.kind"], "client");
        assert_eq!(span.fields["rpc.service"], "DynamoDB");
        assert_eq!(span.fields["rpc.method"], span.fields["db.operation.name"]);
        assert!(span.fields.contains_key("aws.dynamodb.table_names"));
    }
    let put = requests[0];
    assert_eq!(put.fields["aws.dynamodb.table_names"], table_name);
    assert_eq!(put.fields["otel.name"], format!("PutItem {table_name}"));
    assert!(
        put.fields.contains_key("aws.request_id"),
        "{:?}",
        put.fields
    );
    assert!(
        !put.fields.contains_key("aws.dynamodb.consumed_capacity"),
        "not asked for"
    );
    assert_eq!(requests[1].fields["aws.dynamodb.consistent_read"], "true");
    assert_eq!(requests[2].fields["aws.dynamodb.index_name"], "ByKind");
    assert_eq!(requests[2].fields["aws.dynamodb.count"], "1");
    assert!(requests[3].fields["aws.dynamodb.consumed_capacity"].contains("CapacityUnits"));
    let transaction = spans
        .iter()
        .position(|s| s.name == "dynamodb.batch")
        .unwrap_or_else(|| panic!("a span around the transaction: {spans:#?}"));
    assert_eq!(
        spans[transaction].fields["db.operation.name"],
        "TransactWriteItems"
    );
    assert_eq!(
        requests[4].parent,
        Some(transaction as u64 + 1),
        "the request is inside it"
    );
    assert_eq!(
        requests[5].fields["error.type"],
        "ResourceNotFoundException"
    );
}
