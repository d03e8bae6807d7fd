use dynamo_orm::DynamoItem;
use dynamo_orm::expr::Update;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
}

fn main() {
    let _ = Update::new()
        .set(User::FIELDS.email, "new@example.com")
        .set(User::FIELDS.username, "mallory");
}
