use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "user accounts")]
struct User {
    #[dynamo(hash_key)]
    username: String,
}

fn main() {}
