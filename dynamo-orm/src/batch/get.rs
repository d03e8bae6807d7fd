//! `BatchGetItem` for any number of keys.

use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::KeysAndAttributes;
use futures::stream::{self, StreamExt, TryStreamExt};
use tracing::Instrument;

use super::{RetryPolicy, key_id};
use crate::Item;
use crate::error::{Error, Result};
use crate::expr::ExpressionAttributes;
use crate::items::{key_item, log_capacity, span};
use crate::lifecycle::build_err;
use crate::query::projection;
use crate::schema::{DynamoItem, ProjectionOf};
use crate::sdk::{is_retryable, map_sdk_error};
use crate::table::Table;

/// A batch read; see [`Table::batch_get`].
#[must_use = "a request does nothing until it is sent"]
pub struct BatchGet<'a, T, P = T> {
    table: &'a Table<T>,
    keys: Result<Vec<Item>>,
    consistent: bool,
    retry: RetryPolicy,
    concurrency: usize,
    _projection: PhantomData<fn() -> P>,
}

impl<T: DynamoItem> Table<T> {
    /// Reads many items by key: 100 keys a request, duplicate keys folded,
    /// unprocessed keys re-requested with backoff up to the [`RetryPolicy`],
    /// then [`Error::BatchGetIncomplete`] carrying the keys not read (and the
    /// items that were). Items are returned in no particular order; keys
    /// without an item are simply absent.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let found: Vec<User> = users.batch_get(["alice", "bob", "carol"].map(User::key)).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn batch_get<K: Into<T::Key>>(&self, keys: impl IntoIterator<Item = K>) -> BatchGet<'_, T> {
        let names = self.key_names().clone();
        let keys = (|| {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            for k in keys {
                let item = key_item(self, &k.into())?;
                if seen.insert(key_id(self.name(), &names, &item)?) {
                    out.push(item);
                }
            }
            Ok(out)
        })();
        BatchGet {
            table: self,
            keys,
            consistent: false,
            retry: RetryPolicy::default(),
            concurrency: 4,
            _projection: PhantomData,
        }
    }
}

impl<'a, T: DynamoItem, P: ProjectionOf<T>> BatchGet<'a, T, P> {
    /// Strongly consistent reads.
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// How unprocessed keys and throttling are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Requests in flight at once (default 4).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Reads only the attributes of `Q`.
    pub fn project<Q: ProjectionOf<T>>(self) -> BatchGet<'a, T, Q> {
        BatchGet {
            table: self.table,
            keys: self.keys,
            consistent: self.consistent,
            retry: self.retry,
            concurrency: self.concurrency,
            _projection: PhantomData,
        }
    }

    /// Sends the requests.
    pub async fn send(self) -> Result<Vec<P>> {
        let keys = self.keys?;
        let table = self.table;
        let projection = projection::<T, P>();
        let retry = self.retry;
        let consistent = self.consistent;
        let chunks: Vec<Vec<Item>> = keys
            .chunks(crate::limits::MAX_BATCH_GET)
            .map(<[Item]>::to_vec)
            .collect();
        let results: Vec<ChunkResult> = stream::iter(chunks)
            .map(|chunk| read_chunk(table, chunk, projection.as_deref(), consistent, retry))
            .buffer_unordered(self.concurrency)
            .try_collect()
            .await?;
        let mut read = Vec::new();
        let mut unprocessed = Vec::new();
        let mut last_error = None;
        for r in results {
            read.extend(r.items);
            unprocessed.extend(r.unprocessed);
            if r.error.is_some() {
                last_error = r.error;
            }
        }
        if !unprocessed.is_empty() {
            return Err(Error::BatchGetIncomplete {
                read,
                unprocessed_keys: unprocessed,
                cause: last_error.map(Box::new),
            });
        }
        read.into_iter()
            .map(|i| P::from_map(i).map_err(Error::from))
            .collect()
    }
}

struct ChunkResult {
    items: Vec<Item>,
    unprocessed: Vec<Item>,
    error: Option<Error>,
}

async fn read_chunk<T>(
    table: &Table<T>,
    mut keys: Vec<Item>,
    projection: Option<&[&'static str]>,
    consistent: bool,
    retry: RetryPolicy,
) -> Result<ChunkResult> {
    let mut attrs = ExpressionAttributes::new();
    let projection = projection.map(|p| attrs.projection(p));
    let (names, _) = attrs.into_parts();
    let mut items = Vec::with_capacity(keys.len());
    let mut attempt = 0;
    loop {
        attempt += 1;
        let request = KeysAndAttributes::builder()
            .set_keys(Some(std::mem::take(&mut keys)))
            .consistent_read(consistent)
            .set_projection_expression(projection.clone())
            .set_expression_attribute_names(names.clone())
            .build()
            .map_err(build_err)?;
        let sent_keys = request.keys().to_vec();
        let result = table
            .client()
            .batch_get_item()
            .request_items(table.name(), request)
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
            .send()
            .instrument(span(table.name(), "BatchGetItem"))
            .await
            .map_err(map_sdk_error);
        let error = match result {
            Ok(mut out) => {
                for c in out.consumed_capacity() {
                    log_capacity(Some(c));
                }
                if let Some(mut responses) = out.responses.take() {
                    items.extend(responses.remove(table.name()).unwrap_or_default());
                }
                keys = unprocessed_keys(out.unprocessed_keys.take(), table.name());
                None
            }
            Err(e) if is_retryable(&e) => {
                keys = sent_keys;
                Some(e)
            }
            Err(e) => return Err(e),
        };
        if keys.is_empty() {
            return Ok(ChunkResult {
                items,
                unprocessed: Vec::new(),
                error: None,
            });
        }
        if attempt >= retry.max_attempts {
            return Ok(ChunkResult {
                items,
                unprocessed: keys,
                error,
            });
        }
        let delay = retry.delay(attempt);
        tracing::debug!(
            attempt,
            unprocessed = keys.len(),
            ?delay,
            "BatchGetItem resend"
        );
        tokio::time::sleep(delay).await;
    }
}

fn unprocessed_keys(
    unprocessed: Option<HashMap<String, KeysAndAttributes>>,
    table: &str,
) -> Vec<Item> {
    unprocessed
        .and_then(|mut m| m.remove(table))
        .map(|k| k.keys)
        .unwrap_or_default()
}
