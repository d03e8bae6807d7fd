use dynamo_orm::{DynamoAttribute, DynamoItem};

#[derive(DynamoAttribute)]
struct Contact {
    email: String,
    phone: Option<String>,
}

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
    #[dynamo(flatten)]
    contact: Contact,
}

fn main() {}
