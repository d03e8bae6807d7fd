use dynamo_orm::{DynamoItem, DynamoTable, Table};

#[derive(DynamoTable)]
#[dynamo(table = "app", gsi(Emails, hash = email_pk, projection = keys_only))]
struct App {
    #[dynamo(hash_key)]
    pk: String,
    email_pk: String,
}

#[derive(DynamoItem)]
#[dynamo(table = App, key(hash = "USER#{username}"))]
#[dynamo(index(Emails, hash = "EMAIL#{email}"))]
struct User {
    username: String,
    email: String,
    bio: String,
}

async fn demo(users: Table<User>) {
    let _ = users.query_index::<Emails>("ann@example.com").await;
}

fn main() {}
