use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(range_key)]
    tags: Vec<String>,
}

fn main() {}
