use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
#[dynamo(gsi(ByContact, hash = email))]
#[dynamo(gsi(ByContact, hash = phone))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
    phone: String,
}

fn main() {}
