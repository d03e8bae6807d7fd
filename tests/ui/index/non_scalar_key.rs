use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users", gsi(ByTag, hash = tags))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    tags: Vec<String>,
}

fn main() {}
