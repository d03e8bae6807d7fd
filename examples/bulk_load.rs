//! Bulk-loads a JSON-lines file into DynamoDB through the batch writer, with a
//! progress bar, and prints what the writer did.
//!
//! ```text
//! cargo run --example bulk_load                 # generates a sample file first
//! cargo run --example bulk_load -- movies.jsonl
//! ```
//!
//! Each line is one item, either in DynamoDB-JSON (`{"year": {"N": "2013"},
//! "title": {"S": "Rush"}}`, as the AWS CLI and table exports write it) or in
//! plain JSON (`{"year": 2013, "title": "Rush"}`); the first line decides.
//! The items go in unchanged (every attribute of the line is kept); the
//! `Movie` struct only names the table and its key.
//!
//! DynamoDB Local is started for the run (or `DYNAMODB_ENDPOINT` is used).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use aws_sdk_dynamodb::types::Select;
use dynamo_orm::json::{dynamodb_json_lines, item_from_json};
use dynamo_orm::local::DynamoDbLocal;
use dynamo_orm::{DynamoItem, Error, Item, Table};
use indicatif::{ProgressBar, ProgressStyle};

/// The table's schema. Lines may hold more attributes than these.
#[derive(DynamoItem, Debug)]
#[dynamo(table = "movies")]
struct Movie {
    #[dynamo(hash_key)]
    year: u32,
    #[dynamo(range_key)]
    title: String,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mut sample_dir = None;
    let path = match std::env::args_os().nth(1) {
        Some(p) => PathBuf::from(p),
        None => {
            let dir = std::env::temp_dir().join(format!("bulk_load-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            let path = dir.join("movies.jsonl");
            write_sample(&path, 10_000)?;
            println!(
                "no file given: wrote a sample of 10,000 items to {}",
                path.display()
            );
            sample_dir = Some(dir);
            path
        }
    };
    let lines = count_lines(&path)?;

    let server = DynamoDbLocal::start()?;
    let movies: Table<Movie> = Table::new(server.client().await);
    movies.create_if_not_exists().await?;

    let bar = ProgressBar::new(lines);
    bar.set_style(ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {pos}/{len} items ({per_sec}, eta {eta})",
    )?);
    let shown = bar.clone();
    let mut writer = movies
        .batch_writer()
        .concurrency(8)
        .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
        .on_progress(move |p| shown.set_position(p.items_written));

    let started = Instant::now();
    let mut refused = 0u64;
    for (n, item) in read_items(&path)?.enumerate() {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                bar.suspend(|| eprintln!("skipped: {e}"));
                refused += 1;
                continue;
            }
        };
        // Refusals (an item over 400 KB, a missing key) are about this line only.
        if let Err(e) = writer.put_item(item).await {
            bar.suspend(|| eprintln!("item {}: refused: {e}", n + 1));
            refused += 1;
        }
    }
    let result = writer.finish().await;
    bar.finish();

    let summary = match result {
        Ok(summary) => summary,
        Err(Error::BatchWriteIncomplete {
            unprocessed,
            summary,
            source,
        }) => {
            eprintln!(
                "{} items could not be written{}",
                unprocessed.len(),
                source.map(|e| format!(" ({e})")).unwrap_or_default()
            );
            *summary
        }
        Err(e) => return Err(e.into()),
    };
    let elapsed = started.elapsed();
    println!(
        "{} items written in {:.2?} ({:.0} items/s), {} refused",
        summary.items_written,
        elapsed,
        summary.items_written as f64 / elapsed.as_secs_f64(),
        refused
    );
    println!(
        "{} requests, {} retries ({} throttled, {} unprocessed items resent), {} failed, \
         {:.1} write capacity units",
        summary.requests_sent,
        summary.retries,
        summary.throttled,
        summary.unprocessed_resent,
        summary.items_failed,
        summary.consumed_capacity.unwrap_or(0.0)
    );
    println!("the table now holds {} items", count_items(&movies).await?);
    if let Some(dir) = sample_dir {
        std::fs::remove_dir_all(dir)?;
    }
    Ok(())
}

/// An exact count, by a `Select::Count` scan.
async fn count_items(movies: &Table<Movie>) -> Result<u64, BoxError> {
    let mut total = 0;
    let mut start = None;
    loop {
        let page = movies
            .client()
            .scan()
            .table_name(movies.name())
            .select(Select::Count)
            .set_exclusive_start_key(start)
            .send()
            .await?;
        total += page.count as u64;
        start = page.last_evaluated_key;
        if start.is_none() {
            return Ok(total);
        }
    }
}

/// The items of the file, in DynamoDB-JSON or plain JSON as its first line is.
fn read_items(path: &Path) -> Result<Box<dyn Iterator<Item = Result<Item, BoxError>>>, BoxError> {
    let first = BufReader::new(File::open(path)?)
        .lines()
        .map_while(Result::ok)
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let reader = BufReader::new(File::open(path)?);
    if looks_like_dynamodb_json(&first) {
        return Ok(Box::new(
            dynamodb_json_lines(reader).map(|r| r.map_err(BoxError::from)),
        ));
    }
    Ok(Box::new(
        reader
            .lines()
            .enumerate()
            .filter(|(_, l)| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
            .map(|(i, line)| {
                let parsed = line
                    .map_err(BoxError::from)
                    .and_then(|l| Ok(serde_json::from_str(&l)?))
                    .and_then(|value| Ok(item_from_json(value)?));
                parsed.map_err(|e| format!("line {}: {e}", i + 1).into())
            }),
    ))
}

/// Whether every attribute of a line is a one-key object with a type tag.
fn looks_like_dynamodb_json(line: &str) -> bool {
    const TAGS: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"];
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(line) else {
        return false;
    };
    !map.is_empty()
        && map.values().all(|v| {
            v.as_object()
                .is_some_and(|o| o.len() == 1 && o.keys().all(|k| TAGS.contains(&k.as_str())))
        })
}

fn count_lines(path: &Path) -> std::io::Result<u64> {
    let mut n = 0;
    for line in BufReader::new(File::open(path)?).lines() {
        if !line?.trim().is_empty() {
            n += 1;
        }
    }
    Ok(n)
}

/// A sample in DynamoDB-JSON: movies with a nested `info` map.
fn write_sample(path: &Path, items: u32) -> std::io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    for i in 0..items {
        let year = 1950 + i % 75;
        let line = serde_json::json!({
            "year": {"N": year.to_string()},
            "title": {"S": format!("Movie number {i}")},
            "info": {"M": {
                "rating": {"N": format!("{}.{}", i % 10, i % 7)},
                "genres": {"SS": ["Drama", if i % 2 == 0 { "Comedy" } else { "Action" }]},
                "plot": {"S": format!("A story told {} times.", i % 13 + 1)},
            }},
        });
        writeln!(out, "{line}")?;
    }
    out.flush()
}
