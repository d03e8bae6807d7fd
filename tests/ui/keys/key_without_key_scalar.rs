use dynamo_orm::{DynamoAttribute, DynamoItem};

/// Stored as a map, so it cannot be a key.
#[derive(DynamoAttribute, Debug, Clone, PartialEq)]
struct UserId {
    region: String,
    serial: u64,
}

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    id: UserId,
}

fn main() {}
