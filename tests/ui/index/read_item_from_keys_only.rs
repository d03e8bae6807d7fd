use dynamo_orm::{DynamoItem, ReadableFrom};

#[derive(DynamoItem)]
#[dynamo(table = "users", gsi(ByEmail, hash = email, projection = keys_only))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
    city: String,
    nickname: Option<String>,
}

fn readable<P: ReadableFrom<I>, I>() {}

fn main() {
    readable::<User, ByEmail>();
}
