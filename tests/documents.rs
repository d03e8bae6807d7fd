//! Schema-less documents and JSON against DynamoDB Local: `Table<Document>`
//! opened by name (keys from DescribeTable), raw items written by one API and
//! read by another, DynamoDB-JSON lines (a common loader format).

mod common;

use dynamo_orm::expr::{Path, SortKeyCondition};
use dynamo_orm::json::{dynamodb_json_lines, item_from_json, item_to_dynamodb_json, item_to_json};
use dynamo_orm::{AttributeValue, Document, DynamoItem, Table};
use futures::TryStreamExt;

/// A GPS tracker table, written as raw items by a script.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "gpstrack")]
struct Fix {
    #[dynamo(hash_key)]
    user: String,
    #[dynamo(range_key)]
    epochtime: f64,
    lat: f64,
    log: f64,
}

#[tokio::test]
async fn document_table_learns_keys_and_round_trips() {
    let typed = common::fresh_table::<Fix>().await;
    let docs = Table::<Document>::open(typed.client().clone(), typed.name())
        .await
        .unwrap();
    assert_eq!(docs.key_names().hash, "user");
    assert_eq!(docs.key_names().range.as_deref(), Some("epochtime"));

    // An update by another program: a raw item with N strings.
    for (i, t) in [1366056668.25f64, 1366056669.5, 1366056670.75]
        .iter()
        .enumerate()
    {
        let mut doc = Document::new();
        doc.insert("user", "john").unwrap();
        doc.insert("epochtime", *t).unwrap();
        doc.insert("lat", 48.85 + i as f64).unwrap();
        doc.insert("log", 2.35).unwrap();
        docs.put(&doc).await.unwrap();
    }
    // Written schema-less, read typed.
    let fixes = typed.query("john").all().await.unwrap();
    assert_eq!(fixes.len(), 3);
    assert_eq!(fixes[0].epochtime, 1366056668.25);
    assert_eq!(fixes[2].lat, 50.85);

    let mut key = Document::new();
    key.insert("user", "john").unwrap();
    key.insert("epochtime", 1366056669.5f64).unwrap();
    let got = docs.get(key.clone()).await.unwrap().unwrap();
    assert_eq!(got.get::<f64>("lat").unwrap(), Some(49.85));
    assert_eq!(got.get::<String>("user").unwrap().as_deref(), Some("john"));
    assert!(
        got.get::<String>("lat").is_err(),
        "typed accessor checks the type"
    );

    let later = docs
        .query(AttributeValue::S("john".into()))
        .range_condition(SortKeyCondition::Gt(AttributeValue::N("1366056669".into())))
        .reverse()
        .all()
        .await
        .unwrap();
    assert_eq!(later.len(), 2);
    assert_eq!(
        later[0].get::<f64>("epochtime").unwrap(),
        Some(1366056670.75)
    );
    let filtered = docs
        .query(AttributeValue::S("john".into()))
        .filter(Path::<f64>::root("lat").gt(49.0))
        .all()
        .await
        .unwrap();
    assert_eq!(filtered.len(), 2);

    docs.delete(key.clone()).await.unwrap();
    assert!(docs.get(key).await.unwrap().is_none());
    let all: Vec<Document> = docs.scan().stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 2);

    // A key without its attributes is refused before sending.
    assert!(docs.get(Document::new()).await.is_err());
    assert!(
        Table::<Document>::open(typed.client().clone(), "no_such_table_xyz")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn dynamodb_json_lines_load_and_export() {
    let typed = common::fresh_table::<Fix>().await;
    let docs = Table::<Document>::open(typed.client().clone(), typed.name())
        .await
        .unwrap();
    let text = r#"{"user": {"S": "amy"}, "epochtime": {"N": "1"}, "lat": {"N": "1.5"}, "log": {"N": "-2"}}

{"Item": {"user": {"S": "amy"}, "epochtime": {"N": "2"}, "lat": {"N": "3"}, "log": {"N": "4"}}}
"#;
    let mut n = 0;
    for item in dynamodb_json_lines(text.as_bytes()) {
        docs.put(&Document::from(item.unwrap())).await.unwrap();
        n += 1;
    }
    assert_eq!(n, 2);
    let fixes = typed.query("amy").all().await.unwrap();
    assert_eq!(
        fixes.iter().map(|f| f.lat).collect::<Vec<_>>(),
        vec![1.5, 3.0]
    );

    let bad = "{\"user\": {\"S\": \"x\"}}\n{\"user\": {\"Q\": 1}}\n";
    let errors: Vec<_> = dynamodb_json_lines(bad.as_bytes())
        .filter_map(Result::err)
        .collect();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().contains("line 2"), "{}", errors[0]);

    // Export: DynamoDB-JSON and plain JSON of a stored item.
    let item = typed
        .get(Fix::key("amy", 2.0))
        .await
        .unwrap()
        .unwrap()
        .to_item()
        .unwrap();
    let wire: serde_json::Value = serde_json::from_str(&item_to_dynamodb_json(&item)).unwrap();
    assert_eq!(wire["lat"], serde_json::json!({"N": "3.0"}));
    let plain = item_to_json(&item).unwrap();
    assert_eq!(plain["user"], serde_json::json!("amy"));
    assert_eq!(
        item_from_json(plain).unwrap()["user"],
        AttributeValue::S("amy".into())
    );
}
