use dynamo_orm::{DynamoAttribute, DynamoItem};

#[derive(DynamoAttribute)]
struct Address {
    city: String,
}

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(flatten, rename = "addr")]
    address: Address,
}

fn main() {}
