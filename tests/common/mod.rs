//! Shared helpers for the integration tests: a fresh table per test on the
//! binary's shared DynamoDB Local.
#![allow(dead_code)]

use dynamo_orm::local::{shared_client, unique_table_name};
use dynamo_orm::{DynamoItem, Table};

/// A created, empty table of `T` with a unique name.
pub async fn fresh_table<T: DynamoItem>() -> Table<T> {
    let client = shared_client().await.expect("DynamoDB Local");
    let table = Table::<T>::new(client).with_name(unique_table_name(T::SCHEMA.table_name));
    table.create().await.expect("create table");
    table
}
