//! Table lifecycle against DynamoDB Local: create from the derived schema,
//! describe, verify_schema (and drift detection), throughput, count, delete.

mod common;

use aws_sdk_dynamodb::types::{IndexStatus, ProjectionType, TableStatus};
use dynamo_orm::local::{shared_client, unique_table_name};
use dynamo_orm::{
    DynamoItem, IndexKind, Projection, ScalarType, SchemaDifference, Table, Throughput,
};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "users")]
#[dynamo(gsi(EverythingIndex, hash = account_type, range = date_joined, projection = all))]
#[dynamo(gsi(ByZip, hash = zip, projection = include(first_name, last_name)))]
#[dynamo(lsi(MostRecent, range = last_login, projection = keys_only))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(range_key)]
    date_joined: i64,
    first_name: String,
    last_name: String,
    account_type: String,
    zip: u32,
    last_login: i64,
    #[dynamo(ttl)]
    expires: Option<std::time::SystemTime>,
}

#[tokio::test]
async fn create_builds_keys_indexes_projections_and_ttl() {
    let table = common::fresh_table::<User>().await;
    let desc = table.describe().await.unwrap();
    assert_eq!(desc.table_status(), Some(&TableStatus::Active));
    let keys: Vec<_> = desc
        .key_schema()
        .iter()
        .map(|k| (k.attribute_name(), k.key_type().as_str()))
        .collect();
    assert_eq!(keys, vec![("username", "HASH"), ("date_joined", "RANGE")]);
    // Each key attribute defined once, index keys included.
    let mut defs: Vec<_> = desc
        .attribute_definitions()
        .iter()
        .map(|d| {
            (
                d.attribute_name().to_owned(),
                d.attribute_type().as_str().to_owned(),
            )
        })
        .collect();
    defs.sort();
    assert_eq!(
        defs,
        vec![
            ("account_type".into(), "S".into()),
            ("date_joined".into(), "N".into()),
            ("last_login".into(), "N".into()),
            ("username".into(), "S".into()),
            ("zip".into(), "N".into()),
        ]
    );
    let gsis = desc.global_secondary_indexes();
    assert_eq!(gsis.len(), 2);
    assert!(
        gsis.iter()
            .all(|g| g.index_status() == Some(&IndexStatus::Active))
    );
    let by_zip = gsis
        .iter()
        .find(|g| g.index_name() == Some("ByZip"))
        .unwrap();
    let proj = by_zip.projection().unwrap();
    assert_eq!(proj.projection_type(), Some(&ProjectionType::Include));
    let mut included = proj.non_key_attributes().to_vec();
    included.sort();
    assert_eq!(included, vec!["first_name", "last_name"]);
    let lsi = &desc.local_secondary_indexes()[0];
    assert_eq!(lsi.index_name(), Some("MostRecent"));
    assert_eq!(
        lsi.projection().unwrap().projection_type(),
        Some(&ProjectionType::KeysOnly)
    );
    assert!(table.verify_schema().await.unwrap().is_empty());
    assert_eq!(User::SCHEMA.index("ByZip").unwrap().kind, IndexKind::Global);
    assert_eq!(User::SCHEMA.hash_key.scalar_type, ScalarType::S);
    assert_eq!(
        User::SCHEMA.index("ByZip").unwrap().projection,
        Projection::Include(&["first_name", "last_name"])
    );
}

/// The same table name, declared differently: drift must be reported.
#[derive(DynamoItem)]
#[dynamo(table = "users")]
#[dynamo(gsi(EverythingV2, hash = account_type, name = "EverythingIndex", projection = keys_only))]
#[dynamo(gsi(NewIndex, hash = email))]
struct UserV2 {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(range_key)]
    date_joined: String,
    account_type: String,
    email: String,
}

#[tokio::test]
async fn verify_schema_reports_every_difference() {
    let table = common::fresh_table::<User>().await;
    let drifted: Table<UserV2> = Table::new(table.client().clone()).with_name(table.name());
    let diffs = drifted.verify_schema().await.unwrap();
    assert!(diffs.contains(&SchemaDifference::AttributeType {
        name: "date_joined".into(),
        expected: ScalarType::S,
        found: Some("N".into()),
    }));
    assert!(diffs.contains(&SchemaDifference::MissingIndex {
        name: "NewIndex".into()
    }));
    assert!(diffs.contains(&SchemaDifference::UnexpectedIndex {
        name: "ByZip".into()
    }));
    assert!(diffs.contains(&SchemaDifference::UnexpectedIndex {
        name: "MostRecent".into()
    }));
    assert!(diffs.iter().any(|d| matches!(d,
        SchemaDifference::KeySchema { index: Some(i), .. } if i == "EverythingIndex")));
    assert!(diffs.iter().any(|d| matches!(d,
        SchemaDifference::Projection { name, expected, found } if name == "EverythingIndex" && expected == "KEYS_ONLY" && found == "ALL")));
    let missing: Table<User> = table.with_name(unique_table_name("nope"));
    assert_eq!(
        missing.verify_schema().await.unwrap(),
        vec![SchemaDifference::TableMissing]
    );
}

#[tokio::test]
async fn provisioned_create_update_throughput_count_and_delete() {
    let client = shared_client().await.unwrap();
    let table: Table<User> = Table::new(client).with_name(unique_table_name("prov"));
    table
        .create()
        .provisioned(Throughput::new(5, 5))
        .index_throughput("ByZip", Throughput::new(2, 3))
        .await
        .unwrap();
    let desc = table.describe().await.unwrap();
    let tp = desc.provisioned_throughput().unwrap();
    assert_eq!(
        (tp.read_capacity_units(), tp.write_capacity_units()),
        (Some(5), Some(5))
    );
    let zip = desc
        .global_secondary_indexes()
        .iter()
        .find(|g| g.index_name() == Some("ByZip"))
        .unwrap();
    let ztp = zip.provisioned_throughput().unwrap();
    assert_eq!(
        (ztp.read_capacity_units(), ztp.write_capacity_units()),
        (Some(2), Some(3))
    );

    table
        .update_throughput(Throughput::new(7, 8), &[("ByZip", Throughput::new(4, 4))])
        .await
        .unwrap();
    let tp = table
        .describe()
        .await
        .unwrap()
        .provisioned_throughput()
        .cloned()
        .unwrap();
    assert_eq!(
        (tp.read_capacity_units(), tp.write_capacity_units()),
        (Some(7), Some(8))
    );

    assert_eq!(table.item_count().await.unwrap(), 0);
    assert!(!table.create_if_not_exists().await.unwrap());
    table.delete_table().await.unwrap();
    assert!(table.try_describe().await.unwrap().is_none());
    assert!(table.create_if_not_exists().await.unwrap());
}

#[tokio::test]
async fn prefix_and_invalid_names() {
    let client = shared_client().await.unwrap();
    let table: Table<User> = Table::new(client);
    assert_eq!(table.name(), "users");
    assert_eq!(table.with_prefix("dev_").name(), "dev_users");
    let bad = table.with_name("bad name!");
    let err = bad.create().await.unwrap_err();
    assert!(matches!(err, dynamo_orm::Error::Validation(_)), "{err:?}");
}
