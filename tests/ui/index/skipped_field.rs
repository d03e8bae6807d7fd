use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users", gsi(ByEmail, hash = email))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(skip)]
    email: String,
}

fn main() {}
