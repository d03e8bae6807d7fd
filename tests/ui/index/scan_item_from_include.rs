use dynamo_orm::{DynamoItem, Table};

#[derive(DynamoItem)]
#[dynamo(table = "users", gsi(ByCity, hash = city, projection = include(email)))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    email: String,
    city: String,
    bio: String,
}

async fn read(users: Table<User>) {
    let _ = users.index::<ByCity>().scan().stream();
}

fn main() {
    let _ = read;
}
