use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users", gsi(ByEmail, hash = email, projection = include(name, nickname)))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
    name: String,
}

fn main() {}
