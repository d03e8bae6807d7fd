use std::collections::HashSet;

use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "readings")]
struct Reading {
    #[dynamo(hash_key)]
    sensor: String,
    values: HashSet<u64>,
    ratios: Vec<f64>,
    thresholds: HashSet<f64>,
}

fn main() {}
