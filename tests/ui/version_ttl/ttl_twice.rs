use dynamo_orm::DynamoItem;

use std::time::SystemTime;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(ttl)]
    expires_at: i64,
    #[dynamo(ttl)]
    purge_at: Option<SystemTime>,
}

fn main() {}
