use dynamo_orm::{DynamoItem, Table};

#[derive(DynamoItem)]
#[dynamo(table = "users", gsi(ByEmail, hash = email, projection = keys_only))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
    city: String,
}

async fn read(users: Table<User>) {
    let _: Vec<User> = users.index::<ByEmail>().query("ann@example.com").await.unwrap();
}

fn main() {
    let _ = read;
}
