use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users", lsi(ByEmail, range = email))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
}

fn main() {}
