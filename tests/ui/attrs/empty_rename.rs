use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(rename = "")]
    email: String,
}

fn main() {}
