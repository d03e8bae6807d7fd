use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(range_key)]
    date_joined: i64,
    #[dynamo(range_key)]
    last_seen: i64,
}

fn main() {}
