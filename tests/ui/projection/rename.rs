use dynamo_orm::{DynamoAttribute, DynamoItem};

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    friend_count: u32,
}

#[derive(DynamoAttribute)]
#[dynamo(projection_of = User)]
struct Summary {
    #[dynamo(rename = "name")]
    username: String,
}

fn main() {}
