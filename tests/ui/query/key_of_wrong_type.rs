use dynamo_orm::{DynamoItem, Table};

#[derive(DynamoItem)]
#[dynamo(table = "users", gsi(ByEmail, hash = email))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
}

fn by_email(users: &Table<User>) {
    let _ = users.index::<ByEmail>().query(42u32);
}

fn main() {}
