use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users", rename_all = "bogus")]
struct User {
    #[dynamo(hash_key)]
    username: String,
}

fn main() {}
