//! A users scenario, typed: a users table with a local index on the
//! last login and a global index by account type; create, put, batch write,
//! get, query (table and indexes), conditional and partial saves, scans,
//! a transaction, and clean-up.
//!
//! ```text
//! cargo run --example users
//! ```

use std::collections::HashSet;

use dynamo_orm::expr::Update;
use dynamo_orm::local::DynamoDbLocal;
use dynamo_orm::{Document, DynamoAttribute, DynamoItem, Error, Table, TransactWrite};
use futures::TryStreamExt;

#[derive(DynamoAttribute, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[dynamo(rename_all = "snake_case")]
enum AccountType {
    StandardUser,
    SuperUser,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "users")]
#[dynamo(lsi(MostRecentIndex, range = last_login, projection = keys_only))]
#[dynamo(gsi(EverythingIndex, hash = account_type, range = date_joined))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(range_key)]
    date_joined: i64,
    first_name: String,
    last_name: String,
    friend_count: u32,
    friends: HashSet<String>,
    account_type: AccountType,
    last_login: i64,
    #[dynamo(version)]
    version: u64,
}

/// Just the names, read with a projection.
#[derive(DynamoAttribute, Debug)]
#[dynamo(projection_of = User)]
struct Name {
    username: String,
    first_name: String,
    last_name: String,
}

fn user(name: &str, first: &str, last: &str, joined: i64, friends: &[&str]) -> User {
    User {
        username: name.into(),
        date_joined: joined,
        first_name: first.into(),
        last_name: last.into(),
        friend_count: u32::try_from(friends.len()).unwrap_or(u32::MAX),
        friends: friends.iter().map(|f| f.to_string()).collect(),
        account_type: AccountType::StandardUser,
        last_login: joined,
        version: 0,
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = DynamoDbLocal::start()?;
    let users: Table<User> = Table::new(server.client().await).with_prefix("example_");
    users.create_if_not_exists().await?;
    let drift = users.verify_schema().await?;
    println!("table {} ready; schema drift: {drift:?}", users.name());

    // Writes: one version-checked put, then a batch.
    let mut john = user(
        "johndoe",
        "John",
        "Doe",
        1366056668,
        &["alice", "bob", "jane"],
    );
    users.put(&mut john).await?;
    let mut batch = users.batch_writer().unversioned_writes();
    batch
        .put(&user("jane", "Jane", "Doe", 1366056789, &["johndoe"]))
        .await?;
    batch
        .put(&user(
            "alice",
            "Alice",
            "Expert",
            1366056800,
            &["johndoe", "jane"],
        ))
        .await?;
    let summary = batch.finish().await?;
    println!(
        "batch wrote {} items in {} requests",
        summary.items_written, summary.requests_sent
    );

    // Reads.
    let john_again = users
        .get(User::key("johndoe", 1366056668))
        .consistent()
        .await?;
    println!("get: {john_again:?}");
    let name: Option<Name> = users
        .get(User::key("jane", 1366056789))
        .project::<Name>()
        .await?;
    println!("projection: {name:?}");

    // Queries: table, LSI, GSI.
    let recent = users
        .query("jane")
        .range_gt(1366050000)
        .consistent()
        .count()
        .await?;
    println!("jane joined after 1366050000: {recent}");
    let lsi = users
        .index::<MostRecentIndex>()
        .project::<Document>() // a keys-only index: count its documents
        .query("johndoe")
        .consistent()
        .count()
        .await?;
    println!("MostRecentIndex for johndoe: {lsi}");
    let standard: Vec<User> = users
        .index::<EverythingIndex>()
        .query(AccountType::StandardUser)
        .range_between(1366056000, 1366057000)
        .all()
        .await?;
    println!(
        "standard users who joined in the window: {}",
        standard.len()
    );

    // A stale save is refused; modify retries for us.
    let mut stale = john.clone();
    stale.version = 0;
    match users.put(&mut stale).await {
        Err(Error::VersionConflict { expected, .. }) => {
            println!("stale write refused (had version {expected})")
        }
        other => println!("unexpected: {other:?}"),
    }
    let promoted = users
        .modify(User::key("johndoe", 1366056668), |u| {
            u.account_type = AccountType::SuperUser
        })
        .await?;
    println!("promoted johndoe, now version {}", promoted.version);

    // Partial save: only the changed attribute is sent.
    let mut changed = promoted.clone();
    changed.last_login = 1366060000;
    users.save_changes(&promoted, &mut changed).await?;

    // Conditional update with typed paths.
    let f = User::FIELDS;
    users
        .update(User::key("jane", 1366056789))
        .apply(
            Update::new()
                .increment(f.friend_count, 1)
                .add(f.friends, HashSet::from(["alice".to_string()])),
        )
        .condition(f.friends.contains("johndoe"))
        .skip_version_check()
        .await?;

    // A transaction across two items.
    let alice = users
        .get(User::key("alice", 1366056800))
        .consistent()
        .await?
        .ok_or("alice")?;
    TransactWrite::new(users.client())
        .update(
            users
                .update(User::key("alice", 1366056800))
                .apply(Update::new().set(f.last_name, "Smith"))
                .expected_version(alice.version),
        )
        .condition_check(users.condition_check(User::key("jane", 1366056789), f.friend_count.ge(2)))
        .await?;

    // Scans: streaming, and a parallel scan split into two segments.
    let mut stream = std::pin::pin!(users.scan().stream());
    while let Some(u) = stream.try_next().await? {
        println!(
            "scan: {} {} ({:?}, v{})",
            u.first_name, u.last_name, u.account_type, u.version
        );
    }
    for segment in 0..2 {
        let n = users.scan().segment(segment, 2).count().await?;
        println!("segment {segment}/2: {n} items");
    }

    users.delete_table().await?;
    Ok(())
}
