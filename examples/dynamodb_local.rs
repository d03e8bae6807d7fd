//! Starts DynamoDB Local (installing it into the cache if needed) and prints
//! its endpoint; `--check` stops it again at once, `--serve` keeps it running
//! until Ctrl-C so other programs can use it through `DYNAMODB_ENDPOINT`.
//!
//! ```text
//! cargo run --example dynamodb_local -- --serve
//! ```

use dynamo_orm::local::DynamoDbLocal;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let serve = std::env::args().any(|a| a == "--serve");
    let server = DynamoDbLocal::start()?;
    let client = server.client().await;
    let tables = client.list_tables().send().await?;
    println!(
        "DynamoDB Local answers at {} ({} tables)",
        server.endpoint(),
        tables.table_names().len()
    );
    if serve {
        println!("export DYNAMODB_ENDPOINT={}", server.endpoint());
        tokio::signal::ctrl_c().await?;
    }
    Ok(())
}
