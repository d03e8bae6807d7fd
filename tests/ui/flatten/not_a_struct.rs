use std::collections::HashMap;

use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(flatten)]
    extra: HashMap<String, String>,
}

fn main() {}
