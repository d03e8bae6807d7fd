use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users", key(hash = "USER#{username}"))]
struct User {
    #[dynamo(hash_key)]
    username: String,
}

fn main() {}
