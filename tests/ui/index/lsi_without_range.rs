use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users", lsi(ByDate))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(range_key)]
    date_joined: i64,
}

fn main() {}
