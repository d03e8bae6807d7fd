use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "u", rename_all = "Title Case")]
#[dynamo(gsi(ByEmail, hash = mail))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(hash_key)]
    email: String,
    #[dynamo(version)]
    version: f64,
    #[dynamo(nickname = "nick")]
    nickname: Option<String>,
    #[dynamo(skip, rename = "cache")]
    cache: Option<String>,
}

fn main() {}
