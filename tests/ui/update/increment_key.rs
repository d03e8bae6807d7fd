use dynamo_orm::DynamoItem;
use dynamo_orm::expr::Update;

#[derive(DynamoItem)]
#[dynamo(table = "counters")]
struct Counter {
    #[dynamo(hash_key)]
    id: u64,
    hits: u64,
}

fn main() {
    let _ = Update::new().add(Counter::FIELDS.hits, 1).increment(Counter::FIELDS.id, 1);
}
