use dynamo_orm::DynamoItem;

/// No `Default`: a skipped field must be able to make one.
struct Connection {
    port: u16,
}

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(skip)]
    connection: Connection,
}

fn main() {}
