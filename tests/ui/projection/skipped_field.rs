use dynamo_orm::{DynamoAttribute, DynamoItem};

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
    #[dynamo(skip)]
    cache: Option<String>,
}

#[derive(DynamoAttribute)]
#[dynamo(projection_of = User)]
struct Summary {
    username: String,
    cache: Option<String>,
}

fn main() {}
