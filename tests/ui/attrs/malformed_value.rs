use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = 5)]
struct User {
    #[dynamo(hash_key)]
    username: String,
}

fn main() {}
