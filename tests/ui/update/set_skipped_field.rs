use dynamo_orm::DynamoItem;
use dynamo_orm::expr::Update;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(skip)]
    cache: Option<String>,
}

fn main() {
    let _ = Update::new().set(User::FIELDS.cache, "x");
}
