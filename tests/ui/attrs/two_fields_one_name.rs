use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
    #[dynamo(rename = "email")]
    contact: String,
}

fn main() {}
