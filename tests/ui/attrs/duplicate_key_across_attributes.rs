use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
#[dynamo(table = "people")]
struct User {
    #[dynamo(hash_key)]
    username: String,
}

fn main() {}
