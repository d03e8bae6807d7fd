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

#[derive(DynamoTable)]
#[dynamo(table = "audit", gsi(ByActor, hash = actor))]
struct Audit {
    #[dynamo(hash_key)]
    id: String,
    actor: String,
}

#[derive(DynamoItem)]
#[dynamo(table = App, key(hash = "USER#{username}", range = "PROFILE"))]
#[dynamo(index(ByActor, hash = "ACTOR#{username}"))]
struct User {
    username: String,
}

fn main() {}
