use dynamo_orm::{DynamoEntities, DynamoItem, DynamoTable};

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
struct User {
    username: String,
}

#[derive(DynamoItem)]
#[dynamo(table = App, entity = "User", key(hash = "USER#{username}", range = "ADMIN"))]
struct Admin {
    username: String,
}

#[derive(DynamoEntities)]
#[dynamo(table = App)]
enum AppItem {
    User(User),
    Admin(Admin),
}

fn main() {}
