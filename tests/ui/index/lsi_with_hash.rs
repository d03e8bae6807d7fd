use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users", lsi(ByEmail, hash = username, range = email))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(range_key)]
    date_joined: i64,
    email: String,
}

fn main() {}
