use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(hash_key)]
    email: String,
}

fn main() {}
