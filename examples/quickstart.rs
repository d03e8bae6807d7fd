//! Quickstart: a `users` table as a Rust struct.
//!
//! Starts DynamoDB Local by itself (or uses `DYNAMODB_ENDPOINT`), creates the
//! table from the derived schema, writes a few users, reads them back and
//! queries an index.
//!
//! ```text
//! cargo run --example quickstart
//! ```

use std::collections::HashSet;

use dynamo_orm::local::DynamoDbLocal;
use dynamo_orm::{Document, DynamoItem, Table};

/// A user, keyed by name and sign-up time.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "users")]
#[dynamo(gsi(ByAccountType, hash = account_type, range = date_joined, projection = keys_only))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(range_key)]
    date_joined: i64,
    first_name: String,
    last_name: String,
    account_type: String,
    friend_count: u32,
    friends: HashSet<String>,
    #[dynamo(version)]
    version: u64,
}

impl User {
    fn new(username: &str, first: &str, last: &str, joined: i64, account: &str) -> Self {
        Self {
            username: username.into(),
            date_joined: joined,
            first_name: first.into(),
            last_name: last.into(),
            account_type: account.into(),
            friend_count: 0,
            friends: HashSet::new(),
            version: 0,
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = DynamoDbLocal::start()?;
    println!("DynamoDB at {}", server.endpoint());
    let users: Table<User> = Table::new(server.client().await);
    users.create_if_not_exists().await?;

    let mut john = User::new("johndoe", "John", "Doe", 1366056668, "standard_user");
    john.friends.insert("alice".into());
    john.friend_count = 1;
    users.put(&mut john).await?; // version-checked create: stored version 1
    let mut jane = User::new("jane", "Jane", "Doe", 1366057000, "super_user");
    users.put(&mut jane).await?;
    println!(
        "wrote {} (version {}) and {}",
        john.username, john.version, jane.username
    );

    let read = users
        .get(User::key("johndoe", 1366056668))
        .consistent()
        .await?
        .ok_or("johndoe not found")?;
    println!("read back: {read:?}");
    assert_eq!(read, john);

    // The index holds only keys: count through a document projection.
    let supers = users
        .index::<ByAccountType>()
        .project::<Document>()
        .query("super_user")
        .count()
        .await?;
    println!("super users: {supers}");

    let everyone = users.scan().all().await?;
    println!("{} users in table {}", everyone.len(), users.name());
    Ok(())
}
