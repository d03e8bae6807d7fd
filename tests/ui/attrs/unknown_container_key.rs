use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(tabel = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
}

fn main() {}
