use dynamo_orm::{DynamoItem, DynamoTable};

#[derive(DynamoTable)]
#[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
struct App {
    #[dynamo(hash_key)]
    pk: String,
    #[dynamo(range_key)]
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
}

#[derive(DynamoItem)]
#[dynamo(table = App, key(hash = "USER#{username}", range = "PROFILE"))]
#[dynamo(gsi(ByEmail, hash = email))]
struct User {
    username: String,
    email: String,
}

fn main() {}
