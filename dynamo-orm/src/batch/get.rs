//! `BatchGetItem` for any number of keys.

use std::collections::HashSet;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use aws_sdk_dynamodb::types::{ConsumedCapacity, KeysAndAttributes, ReturnConsumedCapacity};
use futures::stream::{self, StreamExt};
use tracing::Instrument;

use crate::Item;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::expr::ExpressionAttributes;
use crate::op::call::{self, BatchGetItemOp};
use crate::op::identity::key_id;
use crate::op::model::Model;
use crate::op::output::{BoxFuture, Executable, Output, runnable};
use crate::op::read::projection;
use crate::op::retry::{Retry, RetryPolicy, retry_kind};
use crate::op::span;
use crate::op::target::Target;
use crate::op::write::build_error;
use crate::schema::ProjectionOf;
use crate::table::Table;

/// A batch read; see [`Table::batch_get`]. Run with `.await`.
#[must_use = "a request does nothing until it is awaited"]
pub struct BatchGet<'a, T, P = T> {
    table: &'a Table<T>,
    keys: Result<Vec<Item>>,
    consistent: bool,
    retry: RetryPolicy,
    concurrency: usize,
    names: Option<Vec<String>>,
    capacity: Option<ReturnConsumedCapacity>,
    _projection: PhantomData<fn() -> P>,
}

impl<T: Model> Table<T> {
    /// Reads many items by key: 100 keys a request, up to 4 requests in
    /// flight. A key given twice is read once (DynamoDB refuses a request that
    /// names a key twice). Unprocessed keys, throttling, server errors and
    /// requests without an answer are resent as the [`RetryPolicy`] allows
    /// (the SDK's own retries are off for these requests, so attempts are not
    /// multiplied).
    ///
    /// Items come back in no particular order; keys without an item are
    /// simply absent. When some keys cannot be read, the error is
    /// [`Error::BatchGetIncomplete`] carrying every item that was read and
    /// every key that was not, whatever the cause.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let found: Vec<User> = users.batch_get(["alice", "bob", "carol"].map(User::key)).await?;
    /// # Ok(()) }
    /// ```
    pub fn batch_get<K: Into<T::Key>>(&self, keys: impl IntoIterator<Item = K>) -> BatchGet<'_, T> {
        let target = &self.target;
        let keys = (|| {
            target.check()?;
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            for k in keys {
                let item = T::__key_item(&k.into(), &target.keys)?;
                if seen.insert(key_id(&target.name, &target.keys, &item)?) {
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
            names: None,
            capacity: None,
            _projection: PhantomData,
        }
    }
}

impl<'a, T: Model, P: ProjectionOf<T>> BatchGet<'a, T, P> {
    /// Strongly consistent reads.
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// How unprocessed keys, throttling and failed requests are resent.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Same as [`retry_policy`](Self::retry_policy).
    #[deprecated(note = "renamed `retry_policy`, as on the batch writer")]
    pub fn retry(self, policy: RetryPolicy) -> Self {
        self.retry_policy(policy)
    }

    /// Requests in flight at once (default 4).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Asks DynamoDB to report the capacity the requests consume.
    pub fn return_consumed_capacity(mut self, capacity: ReturnConsumedCapacity) -> Self {
        self.capacity = Some(capacity);
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
            names: None,
            capacity: self.capacity,
            _projection: PhantomData,
        }
    }

    /// Reads only these attributes, chosen at run time, as [`Document`]s.
    pub fn project_names<N: Into<String>>(
        self,
        names: impl IntoIterator<Item = N>,
    ) -> BatchGet<'a, T, Document> {
        BatchGet {
            table: self.table,
            keys: self.keys,
            consistent: self.consistent,
            retry: self.retry,
            concurrency: self.concurrency,
            names: Some(names.into_iter().map(Into::into).collect()),
            capacity: self.capacity,
            _projection: PhantomData,
        }
    }

    /// Sends the requests (the same as `.await`).
    #[deprecated(note = "`.await` the batch read")]
    pub async fn send(self) -> Result<Vec<P>> {
        self.run().await.map(|o| o.value)
    }

    async fn run(self) -> Result<Output<Vec<P>>> {
        let keys = self.keys?;
        let target = self.table.target.clone();
        let mut names: Vec<String> = match (&self.names, projection::<T, P>()) {
            (Some(names), _) => names.clone(),
            (None, Some(typed)) => typed.into_iter().map(|n| n.into_owned()).collect(),
            (None, None) => Vec::new(),
        };
        let projected = self.names.is_some() || !P::__FULL;
        if projected {
            // The keys too: an item is matched to its key by them.
            for key in target.keys.iter() {
                if !names.iter().any(|n| n == key) {
                    names.push(key.to_owned());
                }
            }
        }
        let request = Arc::new(Request {
            target: target.clone(),
            names: projected.then_some(names),
            consistent: self.consistent,
            retry: self.retry,
            capacity: self.capacity.or_else(|| target.capacity.clone()),
            stop: AtomicBool::new(false),
        });
        let outer = span::batch("BatchGetItem", &target.name);
        let chunks: Vec<Vec<Item>> = keys
            .chunks(crate::limits::MAX_BATCH_GET)
            .map(<[Item]>::to_vec)
            .collect();
        let results: Vec<Chunk> = stream::iter(chunks)
            .map(|chunk| {
                let request = request.clone();
                async move { request.read(chunk).await }
            })
            .buffer_unordered(self.concurrency)
            .collect()
            .instrument(outer)
            .await;
        let mut read = Vec::new();
        let mut unprocessed = Vec::new();
        let mut capacity = Vec::new();
        let mut first_error = None;
        for chunk in results {
            read.extend(chunk.items);
            unprocessed.extend(chunk.unprocessed);
            capacity.extend(chunk.capacity);
            if first_error.is_none() {
                first_error = chunk.error;
            }
        }
        if !unprocessed.is_empty() || first_error.is_some() {
            return Err(Error::BatchGetIncomplete {
                read,
                unprocessed_keys: unprocessed,
                cause: first_error.map(Box::new),
            });
        }
        let values = read
            .into_iter()
            .map(|item| {
                let key = crate::op::write::key_of(&item, &target.keys);
                P::__decode(item).map_err(|e| Error::Decode(e.with_key(key)))
            })
            .collect::<Result<Vec<P>>>()?;
        Ok(Output {
            consumed_capacity: capacity,
            ..Output::new(values)
        })
    }
}

struct Request {
    target: Arc<Target>,
    names: Option<Vec<String>>,
    consistent: bool,
    retry: RetryPolicy,
    capacity: Option<ReturnConsumedCapacity>,
    /// Set after a request failed for good: the others stop and hand their
    /// keys back.
    stop: AtomicBool,
}

struct Chunk {
    items: Vec<Item>,
    unprocessed: Vec<Item>,
    capacity: Vec<ConsumedCapacity>,
    error: Option<Error>,
}

impl Request {
    async fn read(&self, mut keys: Vec<Item>) -> Chunk {
        let mut out = Chunk {
            items: Vec::with_capacity(keys.len()),
            unprocessed: Vec::new(),
            capacity: Vec::new(),
            error: None,
        };
        let target = &self.target;
        let table = target.name.as_str();
        let (projection, names) = match &self.names {
            Some(names) => {
                let mut attrs = ExpressionAttributes::new();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                let projection = attrs.projection(&names);
                (Some(projection), attrs.into_parts().0)
            }
            None => (None, None),
        };
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            if self.stop.load(Ordering::Relaxed) {
                out.unprocessed = keys;
                return out;
            }
            attempts += 1;
            let request = match KeysAndAttributes::builder()
                .set_keys(Some(keys.clone()))
                .set_consistent_read(self.consistent.then_some(true))
                .set_projection_expression(projection.clone())
                .set_expression_attribute_names(names.clone())
                .build()
            {
                Ok(r) => r,
                Err(e) => {
                    out.unprocessed = keys;
                    out.error = Some(build_error(e));
                    return out;
                }
            };
            let builder = target
                .batch_client()
                .batch_get_item()
                .request_items(table, request)
                .set_return_consumed_capacity(self.capacity.clone());
            let span = call::request_span::<BatchGetItemOp>(table);
            if !span.is_disabled() {
                span.record("dynamo_orm.attempt", attempts);
            }
            let retry = match call::send::<BatchGetItemOp>(span, builder, None, Some(table)).await {
                Ok(answer) => {
                    out.capacity.extend(answer.capacity);
                    let mut output = answer.output;
                    if let Some(mut responses) = output.responses.take() {
                        out.items
                            .extend(responses.remove(table).unwrap_or_default());
                    }
                    keys = output
                        .unprocessed_keys
                        .take()
                        .and_then(|mut m| m.remove(table))
                        .map(|k| k.keys)
                        .unwrap_or_default();
                    if keys.is_empty() {
                        return out;
                    }
                    None
                }
                Err(e) => {
                    if retry_kind(&e) == Retry::Never {
                        self.stop.store(true, Ordering::Relaxed);
                        out.unprocessed = keys;
                        out.error = Some(e);
                        return out;
                    }
                    Some(e)
                }
            };
            if !self.retry.allows(attempts, started.elapsed()) {
                out.unprocessed = keys;
                out.error = retry;
                return out;
            }
            let delay = self.retry.delay(attempts);
            tracing::debug!(
                attempts,
                unprocessed = keys.len(),
                ?delay,
                "BatchGetItem resend"
            );
            tokio::time::sleep(delay).await;
        }
    }
}

impl<'a, T: Model, P: ProjectionOf<T>> Executable<'a> for BatchGet<'a, T, P> {
    type Value = Vec<P>;
    fn execute(self) -> BoxFuture<'a, Result<Output<Vec<P>>>> {
        Box::pin(self.run())
    }
}
runnable!(BatchGet<'a, T, P> where T: Model, P: ProjectionOf<T>);
