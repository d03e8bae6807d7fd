use dynamo_orm::{DynamoItem, DynamoTable};

#[derive(DynamoTable)]
#[dynamo(table = "counters")]
struct Counters {
    #[dynamo(hash_key)]
    pk: u64,
}

#[derive(DynamoItem)]
#[dynamo(table = Counters, key(hash = "COUNTER#{id}"))]
struct Counter {
    id: u64,
    value: i64,
}

fn main() {}
