use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    username: String,
    #[dynamo(range_key)]
    date_joined: i64,
}

fn main() {}
