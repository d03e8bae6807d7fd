use dynamo_orm::DynamoItem;

use std::collections::HashMap;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    attributes: HashMap<String, String>,
}

fn main() {}
