use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
#[dynamo(gsi(ByEmail, hash = email, name = "contact"))]
#[dynamo(gsi(ByPhone, hash = phone, name = "contact"))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
    phone: String,
}

fn main() {}
