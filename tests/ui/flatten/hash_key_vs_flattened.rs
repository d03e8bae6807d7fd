use dynamo_orm::{DynamoAttribute, DynamoItem};

#[derive(DynamoAttribute)]
struct Shadow {
    username: String,
}

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(flatten)]
    shadow: Shadow,
}

fn main() {}
