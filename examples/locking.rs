//! Optimistic locking: a conflict, then `modify` absorbing contention.
//!
//! ```text
//! cargo run --example locking
//! ```

use dynamo_orm::local::DynamoDbLocal;
use dynamo_orm::{DynamoItem, Error, Table};

#[derive(DynamoItem, Debug, Clone)]
#[dynamo(table = "accounts")]
struct Account {
    #[dynamo(hash_key)]
    id: String,
    balance: i64,
    #[dynamo(version)]
    version: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = DynamoDbLocal::start()?;
    let accounts: Table<Account> = Table::new(server.client().await).with_prefix("example_");
    accounts.create_if_not_exists().await?;

    let mut acct = Account {
        id: "alice".into(),
        balance: 100,
        version: 0,
    };
    accounts.put(&mut acct).await?;
    println!("created alice with version {}", acct.version);

    // Two readers load the same version; the first save wins.
    let mut first = accounts
        .get(Account::key("alice"))
        .consistent()
        .await?
        .ok_or("missing")?;
    let mut second = first.clone();
    first.balance -= 30;
    accounts.save(&mut first).await?;
    second.balance -= 50;
    match accounts.save(&mut second).await {
        Err(Error::VersionConflict { expected, current }) => {
            let current = current.map(|c| Account::from_item(*c)).transpose()?;
            println!("second save refused: it had version {expected}, the table has {current:?}");
        }
        other => println!("unexpected: {other:?}"),
    }

    // modify: read, change, save with the check, retry on conflict.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let accounts = accounts.clone();
            tokio::spawn(async move {
                accounts
                    .modify(Account::key("alice"), |a| a.balance += 1)
                    .max_attempts(100)
                    .await
            })
        })
        .collect();
    for t in tasks {
        t.await??;
    }
    let done = accounts
        .get(Account::key("alice"))
        .consistent()
        .await?
        .ok_or("missing")?;
    println!(
        "after 8 concurrent +1: balance {} (expected 78), version {}",
        done.balance, done.version
    );
    accounts.delete_table().await?;
    Ok(())
}
