use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users", gsi(ByEmail, hash = e_mail))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
}

fn main() {}
