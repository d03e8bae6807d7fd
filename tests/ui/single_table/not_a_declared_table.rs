use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "app")]
struct App {
    #[dynamo(hash_key)]
    pk: String,
}

#[derive(DynamoItem)]
#[dynamo(table = App, key(hash = "USER#{username}"))]
struct User {
    username: String,
}

fn main() {}
