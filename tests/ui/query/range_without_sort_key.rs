use dynamo_orm::{DynamoItem, Table};

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    score: u32,
}

fn recent(users: &Table<User>) {
    let _ = users.query("john").range_ge(10);
}

fn main() {}
