//! [`BatchWriter`] and [`MultiBatchWriter`]: buffered `BatchWriteItem` puts and
//! deletes, 25 per request, several requests in flight, unprocessed items and
//! throttling resent with backoff, and whatever still fails handed back.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, ReturnConsumedCapacity, WriteRequest};
use tokio::task::{Id as TaskId, JoinError, JoinSet};
use tracing::Instrument;

use crate::error::{DecodeError, Error, Result};
use crate::limits::{MAX_BATCH_WRITE, check_item_size, check_key_value};
use crate::schema::{DynamoItem, PrimaryKey};
use crate::table::{KeyNames, Table};
use crate::{AttributeValue, Item};

/// Requests a writer keeps in flight unless told otherwise.
const DEFAULT_CONCURRENCY: usize = 4;

/// How a batch writer resends throttled requests and unprocessed items:
/// exponential backoff with full jitter, at most `max_attempts` sends of each
/// write (the first included).
///
/// The `n`-th resend waits a random time between zero and
/// `min(max_delay, base_delay * 2^(n-1))`.
///
/// ```
/// use std::time::Duration;
/// use dynamo_orm::batch::RetryPolicy;
///
/// let patient = RetryPolicy {
///     max_attempts: 15,
///     base_delay: Duration::from_millis(100),
///     max_delay: Duration::from_secs(20),
/// };
/// assert!(patient.delay(3) <= Duration::from_millis(400));
/// assert_eq!(RetryPolicy::default().max_attempts, 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Sends of one write at most, the first included (0 counts as 1).
    pub max_attempts: u32,
    /// The backoff before the first resend, doubled for each further one.
    pub base_delay: Duration,
    /// The longest backoff.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 10 attempts, 50 ms doubling up to 5 s: about 10 s of patience in the worst case.
    fn default() -> Self {
        Self {
            max_attempts: 10,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// The (random) wait before resend number `retry` (1 for the first resend).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use dynamo_orm::batch::RetryPolicy;
    /// let policy = RetryPolicy { max_attempts: 5, base_delay: Duration::from_millis(10), max_delay: Duration::from_millis(50) };
    /// assert!(policy.delay(1) <= Duration::from_millis(10));
    /// assert!(policy.delay(10) <= Duration::from_millis(50));
    /// ```
    pub fn delay(&self, retry: u32) -> Duration {
        crate::sdk::backoff_delay(retry.saturating_sub(1), self.base_delay, self.max_delay)
    }
}

/// What a batch writer did: returned by `flush` and `finish`, carried by
/// [`Error::BatchWriteIncomplete`], and readable at any time with `summary()`.
/// Totals since the writer was created.
///
/// ```no_run
/// # use dynamo_orm::{DynamoItem, Table};
/// # #[derive(DynamoItem)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
/// let mut writer = users.batch_writer();
/// writer.put(&User { username: "john".into() }).await?;
/// let summary = writer.finish().await?;
/// assert_eq!(summary.items_written, 1);
/// println!("{} requests, {} retries, {} capacity units",
///          summary.requests_sent, summary.retries, summary.consumed_capacity);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct BatchSummary {
    /// Write requests DynamoDB took (a put or a delete each, after folding).
    pub items_written: u64,
    /// Write requests handed back in an error (see [`Error::BatchWriteIncomplete`]).
    pub items_failed: u64,
    /// `BatchWriteItem` requests sent, resends included.
    pub requests_sent: u64,
    /// Resends: after a throttling or server error, or for unprocessed items.
    pub retries: u64,
    /// Requests refused with a throttling error.
    pub throttled: u64,
    /// Items DynamoDB returned as unprocessed that were sent again.
    pub unprocessed_resent: u64,
    /// Writes replaced by a later write of the same key before they were sent.
    pub folded: u64,
    /// Write capacity units DynamoDB reported (`ReturnConsumedCapacity::Total`).
    pub consumed_capacity: f64,
}

/// The running totals handed to an [`on_progress`](BatchWriter::on_progress)
/// callback after each response.
///
/// ```no_run
/// # use dynamo_orm::{DynamoItem, Table, batch::Progress};
/// # #[derive(DynamoItem)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// # fn demo(users: Table<User>) {
/// let writer = users.batch_writer().on_progress(|p: &Progress| {
///     eprintln!("{} written, {} failed, {} retries", p.items_written, p.items_failed, p.retries);
/// });
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Write requests DynamoDB took so far.
    pub items_written: u64,
    /// Write requests given up on so far.
    pub items_failed: u64,
    /// `BatchWriteItem` requests sent so far.
    pub requests_sent: u64,
    /// Resends so far.
    pub retries: u64,
}

/// A write a batch writer could not complete, handed back in
/// [`Error::BatchWriteIncomplete`]: the table and the request exactly as it
/// would have been sent. [`decode`](Self::decode) turns it back into a typed
/// item or key.
///
/// A put from a writer built with
/// [`unversioned_writes`](BatchWriter::unversioned_writes) carries the bumped
/// version; putting the decoded item again bumps it once more.
///
/// ```no_run
/// # use dynamo_orm::{DynamoItem, Table, Error, batch::WriteOp};
/// # #[derive(DynamoItem, Debug)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// # async fn demo(users: Table<User>, all: Vec<User>) -> dynamo_orm::Result<()> {
/// let mut writer = users.batch_writer();
/// for user in &all {
///     writer.put(user).await?;
/// }
/// match writer.finish().await {
///     Ok(summary) => println!("{} written", summary.items_written),
///     Err(Error::BatchWriteIncomplete { unprocessed, .. }) => {
///         for write in unprocessed {
///             match write.decode::<User>()? {
///                 WriteOp::Put(user) => eprintln!("not written: {user:?}"),
///                 WriteOp::Delete(key) => eprintln!("not deleted: {key:?}"),
///             }
///         }
///     }
///     Err(other) => return Err(other),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct UnprocessedWrite {
    /// The table name the request was for.
    pub table: String,
    /// The put or delete request.
    pub request: WriteRequest,
}

/// A typed put or delete, decoded from an [`UnprocessedWrite`].
///
/// ```
/// # use dynamo_orm::{DynamoItem, batch::{UnprocessedWrite, WriteOp}, AttributeValue};
/// # use aws_sdk_dynamodb::types::{DeleteRequest, WriteRequest};
/// # #[derive(DynamoItem, Debug)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// let delete = DeleteRequest::builder()
///     .key("username", AttributeValue::S("john".into()))
///     .build()?;
/// let write = UnprocessedWrite {
///     table: "users".into(),
///     request: WriteRequest::builder().delete_request(delete).build(),
/// };
/// assert!(matches!(write.decode::<User>()?, WriteOp::Delete(key) if key == User::key("john")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub enum WriteOp<T: DynamoItem> {
    /// A put of this item.
    Put(T),
    /// A delete of this key.
    Delete(T::Key),
}

impl UnprocessedWrite {
    /// The item of a put request.
    ///
    /// ```
    /// # use dynamo_orm::batch::UnprocessedWrite;
    /// # use aws_sdk_dynamodb::types::WriteRequest;
    /// let write = UnprocessedWrite { table: "t".into(), request: WriteRequest::builder().build() };
    /// assert!(write.item().is_none());
    /// ```
    pub fn item(&self) -> Option<&Item> {
        self.request.put_request().map(PutRequest::item)
    }

    /// The key of a delete request.
    ///
    /// ```
    /// # use dynamo_orm::batch::UnprocessedWrite;
    /// # use aws_sdk_dynamodb::types::WriteRequest;
    /// let write = UnprocessedWrite { table: "t".into(), request: WriteRequest::builder().build() };
    /// assert!(write.delete_key().is_none());
    /// ```
    pub fn delete_key(&self) -> Option<&Item> {
        self.request.delete_request().map(DeleteRequest::key)
    }

    /// The typed put or delete.
    ///
    /// ```
    /// # use dynamo_orm::{DynamoItem, batch::{UnprocessedWrite, WriteOp}};
    /// # #[derive(DynamoItem, Debug)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # fn demo(write: UnprocessedWrite) -> Result<(), dynamo_orm::DecodeError> {
    /// if let WriteOp::Put(user) = write.decode::<User>()? {
    ///     println!("{} was not written", user.username);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn decode<T: DynamoItem>(&self) -> Result<WriteOp<T>, DecodeError> {
        if let Some(item) = self.item() {
            return T::from_item(item.clone()).map(WriteOp::Put);
        }
        if let Some(key) = self.delete_key() {
            return T::Key::from_key_item(key).map(WriteOp::Delete);
        }
        Err(empty_request())
    }

    /// The typed key of the put or delete.
    ///
    /// ```
    /// # use dynamo_orm::{DynamoItem, batch::UnprocessedWrite};
    /// # #[derive(DynamoItem, Debug)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # fn demo(write: UnprocessedWrite) -> Result<(), dynamo_orm::DecodeError> {
    /// let key = write.key::<User>()?;
    /// # Ok(()) }
    /// ```
    pub fn key<T: DynamoItem>(&self) -> Result<T::Key, DecodeError> {
        self.item()
            .or_else(|| self.delete_key())
            .ok_or_else(empty_request)
            .and_then(T::Key::from_key_item)
    }
}

fn empty_request() -> DecodeError {
    DecodeError::invalid(
        "a PutRequest or a DeleteRequest",
        "the write request holds neither",
    )
}

type ProgressFn = dyn Fn(&Progress) + Send + Sync;

/// A key's identity within a writer: table name, then each key attribute's
/// type and canonical value. Numbers are normalised (`1`, `1.0` and `1E0` are
/// one key to DynamoDB, and would be rejected as duplicates in one request).
type KeyId = Arc<[u8]>;

#[derive(Default)]
struct Stats {
    items_written: Arc<AtomicU64>,
    items_failed: AtomicU64,
    requests_sent: AtomicU64,
    retries: AtomicU64,
    throttled: AtomicU64,
    unprocessed_resent: AtomicU64,
    folded: AtomicU64,
    // An f64 stored as its bits: capacity is added from every request task.
    consumed_capacity: AtomicU64,
}

impl Stats {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    fn add_capacity(&self, units: f64) {
        if units == 0.0 {
            return;
        }
        let _ = self
            .consumed_capacity
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
                Some((f64::from_bits(bits) + units).to_bits())
            });
    }

    fn summary(&self) -> BatchSummary {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        BatchSummary {
            items_written: get(&self.items_written),
            items_failed: get(&self.items_failed),
            requests_sent: get(&self.requests_sent),
            retries: get(&self.retries),
            throttled: get(&self.throttled),
            unprocessed_resent: get(&self.unprocessed_resent),
            folded: get(&self.folded),
            consumed_capacity: f64::from_bits(get(&self.consumed_capacity)),
        }
    }

    fn progress(&self) -> Progress {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Progress {
            items_written: get(&self.items_written),
            items_failed: get(&self.items_failed),
            requests_sent: get(&self.requests_sent),
            retries: get(&self.retries),
        }
    }
}

/// What the request tasks share.
#[derive(Clone)]
struct Shared {
    client: Client,
    policy: RetryPolicy,
    stats: Arc<Stats>,
    on_progress: Option<Arc<ProgressFn>>,
}

impl Shared {
    fn report(&self) {
        if let Some(f) = &self.on_progress {
            f(&self.stats.progress());
        }
    }
}

struct Buffered {
    table: Arc<str>,
    key: KeyId,
    request: WriteRequest,
}

/// What one request task ends with.
struct Outcome {
    failed: Vec<UnprocessedWrite>,
    error: Option<Error>,
}

/// The machinery both writers share: buffer, folding, in-flight requests.
struct Engine {
    shared: Arc<Shared>,
    concurrency: usize,
    unversioned: bool,
    buffer: Vec<Buffered>,
    positions: HashMap<KeyId, usize>,
    in_flight: JoinSet<Outcome>,
    in_flight_writes: HashMap<TaskId, Vec<KeyId>>,
    in_flight_keys: HashSet<KeyId>,
    failed: Vec<UnprocessedWrite>,
    first_error: Option<Error>,
    // Errors after the first are only counted: the first one explains the rest.
    other_errors: u64,
}

impl Engine {
    fn new(client: Client) -> Self {
        Self {
            shared: Arc::new(Shared {
                client,
                policy: RetryPolicy::default(),
                stats: Arc::default(),
                on_progress: None,
            }),
            concurrency: DEFAULT_CONCURRENCY,
            unversioned: false,
            buffer: Vec::with_capacity(MAX_BATCH_WRITE),
            positions: HashMap::with_capacity(MAX_BATCH_WRITE),
            in_flight: JoinSet::new(),
            in_flight_writes: HashMap::new(),
            in_flight_keys: HashSet::new(),
            failed: Vec::new(),
            first_error: None,
            other_errors: 0,
        }
    }

    fn update_shared(&mut self, f: impl FnOnce(&mut Shared)) {
        // Tasks in flight keep the settings they started with.
        let mut shared = (*self.shared).clone();
        f(&mut shared);
        self.shared = Arc::new(shared);
    }

    fn summary(&self) -> BatchSummary {
        self.shared.stats.summary()
    }

    /// Checks a put, applies the version policy, and buffers it.
    async fn put(
        &mut self,
        table: &str,
        keys: &KeyNames,
        version_attribute: Option<&str>,
        mut item: Item,
        version: Option<u64>,
    ) -> Result<()> {
        if let Some(attr) = version_attribute {
            if !self.unversioned {
                return Err(versioned_refused(table, attr, "put"));
            }
            let current = match version {
                Some(v) => v,
                None => stored_version(&item, attr)?,
            };
            let next = current.checked_add(1).ok_or_else(|| {
                Error::Validation(format!("version attribute `{attr}` is at u64::MAX"))
            })?;
            item.insert(attr.to_owned(), AttributeValue::N(next.to_string()));
        }
        let key = key_id(table, keys, &item)?;
        check_item_size(&item)?;
        let request = WriteRequest::builder()
            .put_request(
                PutRequest::builder()
                    .set_item(Some(item))
                    .build()
                    .map_err(build_error)?,
            )
            .build();
        self.buffer_write(table, key, request).await
    }

    /// Checks a delete and buffers it.
    async fn delete(
        &mut self,
        table: &str,
        keys: &KeyNames,
        version_attribute: Option<&str>,
        key_item: Item,
    ) -> Result<()> {
        if let (Some(attr), false) = (version_attribute, self.unversioned) {
            return Err(versioned_refused(table, attr, "delete"));
        }
        let key = key_id(table, keys, &key_item)?;
        let request = WriteRequest::builder()
            .delete_request(
                DeleteRequest::builder()
                    .set_key(Some(key_item))
                    .build()
                    .map_err(build_error)?,
            )
            .build();
        self.buffer_write(table, key, request).await
    }

    async fn buffer_write(&mut self, table: &str, key: KeyId, request: WriteRequest) -> Result<()> {
        // Refuse before buffering: without a runtime nothing could be sent.
        runtime()?;
        self.reap();
        if let Some(&pos) = self.positions.get(&key) {
            // DynamoDB refuses two writes of one key in one request; the later wins.
            self.buffer[pos].request = request;
            Stats::add(&self.shared.stats.folded, 1);
        } else {
            let table = match self.buffer.iter().find(|b| &*b.table == table) {
                Some(b) => b.table.clone(),
                None => Arc::from(table),
            };
            self.positions.insert(key.clone(), self.buffer.len());
            self.buffer.push(Buffered {
                table,
                key,
                request,
            });
        }
        if self.buffer.len() >= MAX_BATCH_WRITE {
            self.dispatch().await?;
        }
        Ok(())
    }

    /// Sends the first (up to) 25 buffered writes as one request, once a slot
    /// is free and no request in flight holds one of their keys (so that a
    /// later write of a key never overtakes an earlier one).
    ///
    /// Cancel-safe: the buffer is only taken once the request is spawned.
    async fn dispatch(&mut self) -> Result<()> {
        let handle = runtime()?;
        let n = self.buffer.len().min(MAX_BATCH_WRITE);
        if n == 0 {
            return Ok(());
        }
        while self.in_flight.len() >= self.concurrency
            || self.buffer[..n]
                .iter()
                .any(|b| self.in_flight_keys.contains(&b.key))
        {
            self.join_one().await;
        }
        let batch: Vec<Buffered> = self.buffer.drain(..n).collect();
        self.positions.clear();
        for (i, b) in self.buffer.iter().enumerate() {
            self.positions.insert(b.key.clone(), i);
        }
        let mut requests: HashMap<String, Vec<WriteRequest>> = HashMap::new();
        let mut keys = Vec::with_capacity(batch.len());
        for b in batch {
            requests
                .entry(b.table.to_string())
                .or_default()
                .push(b.request);
            self.in_flight_keys.insert(b.key.clone());
            keys.push(b.key);
        }
        let abort = self
            .in_flight
            .spawn_on(send_batch(self.shared.clone(), requests), &handle);
        self.in_flight_writes.insert(abort.id(), keys);
        Ok(())
    }

    /// Collects finished requests without waiting.
    fn reap(&mut self) {
        while let Some(done) = self.in_flight.try_join_next_with_id() {
            self.complete(done);
        }
    }

    /// Waits for one request in flight to finish.
    async fn join_one(&mut self) {
        if let Some(done) = self.in_flight.join_next_with_id().await {
            self.complete(done);
        }
    }

    fn complete(&mut self, done: Result<(TaskId, Outcome), JoinError>) {
        let id = match &done {
            Ok((id, _)) => *id,
            Err(e) => e.id(),
        };
        let keys = self.in_flight_writes.remove(&id).unwrap_or_default();
        for key in &keys {
            self.in_flight_keys.remove(key);
        }
        match done {
            Ok((_, outcome)) => {
                self.failed.extend(outcome.failed);
                if let Some(e) = outcome.error {
                    self.note_error(e);
                }
            }
            Err(e) => {
                // Only a panic (in a progress callback, say) gets here: the
                // requests went with the task, so say how many are unknown.
                Stats::add(&self.shared.stats.items_failed, keys.len() as u64);
                self.note_error(Error::Sdk(Box::new(std::io::Error::other(format!(
                    "a batch write task failed ({e}); whether its {} writes were made is unknown",
                    keys.len()
                )))));
            }
        }
    }

    fn note_error(&mut self, e: Error) {
        if self.first_error.is_none() {
            self.first_error = Some(e);
        } else {
            self.other_errors += 1;
        }
    }

    async fn flush(&mut self) -> Result<BatchSummary> {
        while !self.buffer.is_empty() {
            self.dispatch().await?;
        }
        while !self.in_flight.is_empty() {
            self.join_one().await;
        }
        let summary = self.summary();
        if self.failed.is_empty() && self.first_error.is_none() {
            return Ok(summary);
        }
        if self.other_errors > 0 {
            tracing::debug!(
                other_errors = self.other_errors,
                "batch write: further request errors after the first"
            );
            self.other_errors = 0;
        }
        Err(Error::BatchWriteIncomplete {
            unprocessed: std::mem::take(&mut self.failed),
            summary: Box::new(summary),
            source: self.first_error.take().map(Box::new),
        })
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let buffered = self.buffer.len();
        let in_flight: usize = self.in_flight_writes.values().map(Vec::len).sum();
        let failed = self.failed.len();
        let total = buffered + in_flight + failed;
        if total > 0 {
            // Requests in flight are aborted with the JoinSet.
            tracing::error!(
                buffered,
                in_flight,
                failed,
                "batch writer dropped with {total} writes not confirmed \
                 ({buffered} never sent, {in_flight} in flight and aborted, \
                 {failed} failed and not reported); call `finish().await` before dropping it"
            );
        }
    }
}

fn runtime() -> Result<tokio::runtime::Handle> {
    tokio::runtime::Handle::try_current().map_err(|_| {
        Error::Validation("the batch writer needs a Tokio runtime to send requests".into())
    })
}

fn build_error(e: aws_sdk_dynamodb::error::BuildError) -> Error {
    Error::Validation(e.to_string())
}

fn versioned_refused(table: &str, attr: &str, op: &str) -> Error {
    Error::Validation(format!(
        "batch {op} refused: items of `{table}` are versioned (attribute `{attr}`), and \
         BatchWriteItem cannot carry the condition that checks the version, so the write would \
         skip optimistic locking. Use the table's single-item {op} for a checked write, or build \
         the writer with `.unversioned_writes()` to write without the check (puts then store \
         the version plus one)"
    ))
}

fn stored_version(item: &Item, attr: &str) -> Result<u64> {
    match item.get(attr) {
        None | Some(AttributeValue::Null(_)) => Ok(0),
        Some(AttributeValue::N(n)) => n.parse().map_err(|_| {
            Error::Validation(format!(
                "version attribute `{attr}` holds {n}, not a non-negative integer"
            ))
        }),
        Some(other) => Err(Error::Validation(format!(
            "version attribute `{attr}` is of type {}, expected N",
            crate::value::type_name(other)
        ))),
    }
}

/// The key identity of an item or key map for `table`; refuses missing,
/// empty and non-scalar key values.
pub(crate) fn key_id(table: &str, keys: &KeyNames, item: &Item) -> Result<KeyId> {
    let mut out = Vec::with_capacity(table.len() + 48);
    out.extend_from_slice(table.as_bytes());
    out.push(0);
    push_key_part(&mut out, &keys.hash, item.get(&keys.hash))?;
    if let Some(range) = &keys.range {
        push_key_part(&mut out, range, item.get(range))?;
    }
    Ok(out.into())
}

fn push_key_part(out: &mut Vec<u8>, name: &str, value: Option<&AttributeValue>) -> Result<()> {
    check_key_value(name, value)?;
    let (tag, bytes): (u8, std::borrow::Cow<'_, [u8]>) = match value {
        Some(AttributeValue::S(s)) => (b'S', s.as_bytes().into()),
        Some(AttributeValue::B(b)) => (b'B', b.as_ref().into()),
        Some(AttributeValue::N(n)) => match canonical_number(n) {
            Some(c) => (b'N', c.into_bytes().into()),
            // Not a number: DynamoDB will refuse it; keep it distinct meanwhile.
            None => (b'n', n.as_bytes().into()),
        },
        Some(other) => {
            return Err(Error::Validation(format!(
                "key attribute `{name}` is of type {}; keys are S, N or B",
                crate::value::type_name(other)
            )));
        }
        None => {
            return Err(Error::Validation(format!(
                "key attribute `{name}` is missing"
            )));
        }
    };
    out.push(tag);
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(&bytes);
    Ok(())
}

/// A number as sign, significant digits and exponent: `"-1.50E+2"` -> `"-15e1"`.
fn canonical_number(n: &str) -> Option<String> {
    let s = n.trim();
    let (negative, s) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i64>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits: String = int.chars().chain(frac.chars()).collect();
    let mut exponent = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some("0".into());
    }
    let trimmed = digits.trim_end_matches('0');
    exponent = exponent.checked_add(i64::try_from(digits.len() - trimmed.len()).ok()?)?;
    Some(format!(
        "{}{trimmed}e{exponent}",
        if negative { "-" } else { "" }
    ))
}

enum Failure {
    Throttled,
    Transient,
    Fatal,
}

/// Throttling and server-side or transport failures are worth resending: a
/// batch put or delete is idempotent. Anything else (validation, missing
/// table, access) would fail again.
fn classify<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> Failure {
    match err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            Failure::Transient
        }
        SdkError::ServiceError(service) => match service.err().code() {
            Some(
                "ProvisionedThroughputExceededException"
                | "ThrottlingException"
                | "RequestLimitExceeded"
                | "Throttling"
                | "TooManyRequestsException",
            ) => Failure::Throttled,
            Some("InternalServerError" | "ServiceUnavailable" | "InternalFailure") => {
                Failure::Transient
            }
            _ if service.raw().status().is_server_error() => Failure::Transient,
            _ => Failure::Fatal,
        },
        _ => Failure::Fatal,
    }
}

fn count(requests: &HashMap<String, Vec<WriteRequest>>) -> usize {
    requests.values().map(Vec::len).sum()
}

fn into_failed(requests: HashMap<String, Vec<WriteRequest>>) -> Vec<UnprocessedWrite> {
    requests
        .into_iter()
        .flat_map(|(table, list)| {
            list.into_iter().map(move |request| UnprocessedWrite {
                table: table.clone(),
                request,
            })
        })
        .collect()
}

/// One request, resent until everything is written or the policy gives up.
async fn send_batch(
    shared: Arc<Shared>,
    mut pending: HashMap<String, Vec<WriteRequest>>,
) -> Outcome {
    let stats = &shared.stats;
    let max_attempts = shared.policy.max_attempts.max(1);
    let mut tables: Vec<&str> = pending.keys().map(String::as_str).collect();
    tables.sort_unstable();
    let tables = tables.join(",");
    let mut attempt = 0;
    loop {
        attempt += 1;
        let items = count(&pending);
        let span = tracing::info_span!(
            "dynamodb.request",
            table = %tables,
            operation = "BatchWriteItem",
            attempt,
            items,
            consumed_capacity = tracing::field::Empty,
        );
        Stats::add(&stats.requests_sent, 1);
        let result = shared
            .client
            .batch_write_item()
            // Kept for a resend after an error: the SDK takes the map.
            .set_request_items(Some(pending.clone()))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .customize()
            // The writer's policy governs resends; the SDK's own retries
            // would multiply the attempts and hide the throttling.
            .config_override(
                aws_sdk_dynamodb::config::Builder::default().retry_config(RetryConfig::disabled()),
            )
            .send()
            .instrument(span.clone())
            .await;
        let error = match result {
            Ok(out) => {
                let capacity: f64 = out
                    .consumed_capacity
                    .iter()
                    .flatten()
                    .filter_map(|c| c.capacity_units)
                    .sum();
                span.record("consumed_capacity", capacity);
                stats.add_capacity(capacity);
                let mut unprocessed = out.unprocessed_items.unwrap_or_default();
                unprocessed.retain(|_, list| !list.is_empty());
                let left = count(&unprocessed);
                Stats::add(&stats.items_written, items.saturating_sub(left) as u64);
                if left == 0 {
                    shared.report();
                    return Outcome {
                        failed: Vec::new(),
                        error: None,
                    };
                }
                if attempt >= max_attempts {
                    Stats::add(&stats.items_failed, left as u64);
                    shared.report();
                    span.in_scope(|| {
                        tracing::warn!(
                            left,
                            "giving up on unprocessed items after {attempt} attempts"
                        )
                    });
                    return Outcome {
                        failed: into_failed(unprocessed),
                        error: None,
                    };
                }
                Stats::add(&stats.unprocessed_resent, left as u64);
                span.in_scope(|| tracing::debug!(left, "resending unprocessed items"));
                pending = unprocessed;
                None
            }
            Err(err) => {
                let failure = classify(&err);
                let error = crate::sdk::map_sdk_error(err);
                match failure {
                    Failure::Throttled => Stats::add(&stats.throttled, 1),
                    Failure::Transient => {}
                    Failure::Fatal => {
                        Stats::add(&stats.items_failed, items as u64);
                        shared.report();
                        return Outcome {
                            failed: into_failed(pending),
                            error: Some(error),
                        };
                    }
                }
                if attempt >= max_attempts {
                    Stats::add(&stats.items_failed, items as u64);
                    shared.report();
                    span.in_scope(|| tracing::warn!(%error, "giving up after {attempt} attempts"));
                    return Outcome {
                        failed: into_failed(pending),
                        error: Some(error),
                    };
                }
                Some(error)
            }
        };
        Stats::add(&stats.retries, 1);
        shared.report();
        let delay = shared.policy.delay(attempt);
        if let Some(error) = error {
            span.in_scope(|| tracing::debug!(%error, ?delay, "resending after an error"));
        }
        tokio::time::sleep(delay).await;
    }
}

macro_rules! settings {
    ($writer:literal) => {
        /// Requests kept in flight at most (default 4; 0 counts as 1). A `put`
        /// or `delete` that fills a request waits for a free slot.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ".concurrency(16);")]
        /// # }
        /// ```
        #[must_use]
        pub fn concurrency(mut self, requests: usize) -> Self {
            self.engine.concurrency = requests.max(1);
            self
        }

        /// How throttled requests and unprocessed items are resent.
        ///
        /// ```no_run
        /// # use std::time::Duration;
        /// # use dynamo_orm::{DynamoItem, Table, batch::{MultiBatchWriter, RetryPolicy}};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ".retry_policy(RetryPolicy {")]
        ///     max_attempts: 20,
        ///     base_delay: Duration::from_millis(100),
        ///     max_delay: Duration::from_secs(30),
        /// });
        /// # }
        /// ```
        #[must_use]
        pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
            self.engine.update_shared(|s| s.policy = policy);
            self
        }

        /// Allows puts and deletes of versioned items (see the type's
        /// documentation): they are written without the version check, and
        /// puts store the item's version plus one.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ".unversioned_writes();")]
        /// # }
        /// ```
        #[must_use]
        pub fn unversioned_writes(mut self) -> Self {
            self.engine.unversioned = true;
            self
        }

        /// Calls `f` with the running totals after each response (from the
        /// request tasks, so it must be quick and `Send + Sync`).
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ".on_progress(|p| eprintln!(\"{} written\", p.items_written));")]
        /// # }
        /// ```
        #[must_use]
        pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
            let f: Arc<ProgressFn> = Arc::new(f);
            self.engine.update_shared(|s| s.on_progress = Some(f));
            self
        }

        /// A counter of the writes DynamoDB took so far, to read from another
        /// task (a progress bar).
        ///
        /// ```no_run
        /// # use std::sync::atomic::Ordering;
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ";")]
        /// let written = writer.progress();
        /// tokio::spawn(async move {
        ///     loop {
        ///         eprintln!("{} written", written.load(Ordering::Relaxed));
        ///         tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        ///     }
        /// });
        /// # }
        /// ```
        pub fn progress(&self) -> Arc<AtomicU64> {
            self.engine.shared.stats.items_written.clone()
        }

        /// The totals so far.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ";")]
        /// assert_eq!(writer.summary().requests_sent, 0);
        /// # }
        /// ```
        pub fn summary(&self) -> BatchSummary {
            self.engine.summary()
        }

        /// Writes buffered and not yet sent.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ";")]
        /// assert_eq!(writer.buffered(), 0);
        /// # }
        /// ```
        pub fn buffered(&self) -> usize {
            self.engine.buffer.len()
        }

        /// Sends everything buffered and waits until every write so far is
        /// done. The writer stays usable.
        ///
        /// # Errors
        /// [`Error::BatchWriteIncomplete`] with every write given up on since
        /// the last flush (each is handed back once), the totals, and the
        /// first request error if there was one.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # async fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
        #[doc = concat!("let mut writer = ", $writer, ";")]
        /// // ... puts and deletes ...
        /// let so_far = writer.flush().await?;
        /// # Ok(()) }
        /// ```
        pub async fn flush(&mut self) -> Result<BatchSummary> {
            self.engine.flush().await
        }

        /// [`flush`](Self::flush) and consume the writer.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # async fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
        #[doc = concat!("let mut writer = ", $writer, ";")]
        /// // ... puts and deletes ...
        /// let summary = writer.finish().await?;
        /// println!("{} written in {} requests", summary.items_written, summary.requests_sent);
        /// # Ok(()) }
        /// ```
        pub async fn finish(mut self) -> Result<BatchSummary> {
            self.engine.flush().await
        }
    };
}

/// Writes many items of one table with `BatchWriteItem`: made by
/// [`Table::batch_writer`].
///
/// * Puts and deletes are buffered and sent 25 per request; two writes of
///   one key before it is sent are folded into one, the later winning
///   (DynamoDB refuses a request that names a key twice), and a write of a
///   key that is in a request still in flight waits for that request, so a
///   later write is never overtaken by an earlier one.
/// * Up to [`concurrency`](Self::concurrency) requests are in flight (4 by
///   default); `put` and `delete` wait for a free slot when they fill a request.
/// * Unprocessed items, throttling errors and server errors are resent with
///   exponential backoff and full jitter, as the [`RetryPolicy`] allows; the
///   SDK client's own retries are switched off for these requests so that
///   attempts are not multiplied.
/// * Nothing is dropped silently: what is still not written is handed back
///   by [`flush`](Self::flush) or [`finish`](Self::finish) in
///   [`Error::BatchWriteIncomplete`] as [`UnprocessedWrite`]s, which decode
///   back into `T` or `T::Key`. Dropping a writer with writes not confirmed
///   logs a `tracing` error with their count (it does not panic).
/// * Items over 400 KB, missing or empty keys and values that cannot be
///   stored are refused by `put`/`delete` before anything is sent; the
///   writer stays usable.
/// * Each request runs in a `tracing` span `dynamodb.request` with the table,
///   operation, attempt and consumed capacity.
///
/// # Versioned items
///
/// A `BatchWriteItem` request cannot carry conditions, so it cannot check an
/// optimistic-locking version. For a type with a version attribute, `put`
/// and `delete` are therefore refused with [`Error::Validation`] unless the
/// writer was built with [`unversioned_writes`](Self::unversioned_writes).
/// With it, the write is made without the check and a put stores the item's
/// version plus one, so readers holding the old version see a conflict on
/// their next checked write. The caller's value is not changed.
///
/// ```no_run
/// use dynamo_orm::{DynamoItem, Table};
///
/// #[derive(DynamoItem)]
/// #[dynamo(table = "users")]
/// struct User {
///     #[dynamo(hash_key)]
///     username: String,
///     visits: u32,
/// }
///
/// # async fn demo(client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
/// let users: Table<User> = Table::new(client);
/// let mut writer = users.batch_writer().concurrency(8);
/// for i in 0..1000 {
///     writer.put(&User { username: format!("user{i}"), visits: 0 }).await?;
/// }
/// writer.delete(User::key("user7")).await?;
/// let summary = writer.finish().await?;
/// println!("{} writes in {} requests", summary.items_written, summary.requests_sent);
/// # Ok(()) }
/// ```
pub struct BatchWriter<T: DynamoItem> {
    table: Table<T>,
    engine: Engine,
}

impl<T: DynamoItem> fmt::Debug for BatchWriter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchWriter")
            .field("table", &self.table.name())
            .field("buffered", &self.engine.buffer.len())
            .field("in_flight", &self.engine.in_flight.len())
            .finish_non_exhaustive()
    }
}

impl<T: DynamoItem> Table<T> {
    /// A [`BatchWriter`] for this table.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let mut writer = users.batch_writer();
    /// writer.put(&User { username: "john".into() }).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub fn batch_writer(&self) -> BatchWriter<T> {
        BatchWriter::new(self)
    }
}

impl<T: DynamoItem> BatchWriter<T> {
    /// A writer for `table`, using its client; the same as [`Table::batch_writer`].
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, batch::BatchWriter};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # fn demo(users: Table<User>) {
    /// let writer = BatchWriter::new(&users);
    /// # }
    /// ```
    pub fn new(table: &Table<T>) -> Self {
        Self {
            table: table.clone(),
            engine: Engine::new(table.client().clone()),
        }
    }

    /// A writer for several tables: see [`MultiBatchWriter`].
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, batch::BatchWriter};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # fn demo(client: aws_sdk_dynamodb::Client) {
    /// let writer = BatchWriter::<User>::multi(client);
    /// # }
    /// ```
    pub fn multi(client: Client) -> MultiBatchWriter {
        MultiBatchWriter::new(client)
    }

    /// The table written to.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # fn demo(users: Table<User>) {
    /// assert_eq!(users.batch_writer().table().name(), "users");
    /// # }
    /// ```
    pub fn table(&self) -> &Table<T> {
        &self.table
    }

    settings!("users.batch_writer()");

    /// Buffers a put of `item`, sending a request when 25 writes are
    /// buffered (waiting for a free slot if `concurrency` requests are in
    /// flight).
    ///
    /// # Errors
    /// Only about this item, and nothing is buffered then: [`Error::Encode`]
    /// for a value DynamoDB cannot store, [`Error::ItemTooLarge`] over 400 KB,
    /// [`Error::Validation`] for an empty key or a versioned item without
    /// [`unversioned_writes`](Self::unversioned_writes) (or when there is no
    /// Tokio runtime to send with). Failures of sending are reported by
    /// [`flush`](Self::flush) and [`finish`](Self::finish).
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let mut writer = users.batch_writer();
    /// writer.put(&User { username: "john".into() }).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub async fn put(&mut self, item: &T) -> Result<()> {
        let map = item.to_item()?;
        let version = item.version()?;
        let inner = &self.table.inner;
        self.engine
            .put(
                &inner.name,
                &inner.keys,
                T::SCHEMA.version_attribute,
                map,
                Some(version),
            )
            .await
    }

    /// Buffers a put of an item already in DynamoDB's form (a loader reading
    /// a dump, say). Checked like [`put`](Self::put); for a versioned table
    /// the version is read from the item's version attribute (absent is 0).
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, Item, AttributeValue};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let mut item = Item::new();
    /// item.insert("username".into(), AttributeValue::S("john".into()));
    /// let mut writer = users.batch_writer();
    /// writer.put_item(item).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub async fn put_item(&mut self, item: Item) -> Result<()> {
        let inner = &self.table.inner;
        self.engine
            .put(
                &inner.name,
                &inner.keys,
                T::SCHEMA.version_attribute,
                item,
                None,
            )
            .await
    }

    /// Buffers a delete of `key` (by value or by reference). A put and a
    /// delete of one key before it is sent fold into the later one.
    ///
    /// # Errors
    /// As [`put`](Self::put), about this key only.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let mut writer = users.batch_writer();
    /// writer.delete(User::key("john")).await?;
    /// let key = User::key("jane");
    /// writer.delete(&key).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&mut self, key: impl Borrow<T::Key>) -> Result<()> {
        let key_item = key.borrow().to_key_item()?;
        let inner = &self.table.inner;
        self.engine
            .delete(
                &inner.name,
                &inner.keys,
                T::SCHEMA.version_attribute,
                key_item,
            )
            .await
    }
}

/// A [`BatchWriter`] for several tables at once: one request may hold writes
/// for several tables. Behaves like [`BatchWriter`] in every other respect
/// (folding, concurrency, retries, versioned items, errors). Requests go
/// through the client given to [`new`](Self::new), whatever client the
/// tables were made with.
///
/// ```no_run
/// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
/// # #[derive(DynamoItem)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// # #[derive(DynamoItem)] #[dynamo(table = "orders")]
/// # struct Order { #[dynamo(hash_key)] id: u64, username: String }
/// # async fn demo(client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
/// let users: Table<User> = Table::new(client.clone());
/// let orders: Table<Order> = Table::new(client.clone());
/// let mut writer = MultiBatchWriter::new(client);
/// writer.put_to(&users, &User { username: "john".into() }).await?;
/// writer.put_to(&orders, &Order { id: 1, username: "john".into() }).await?;
/// writer.delete_from(&orders, Order::key(0)).await?;
/// writer.finish().await?;
/// # Ok(()) }
/// ```
pub struct MultiBatchWriter {
    engine: Engine,
}

impl fmt::Debug for MultiBatchWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultiBatchWriter")
            .field("buffered", &self.engine.buffer.len())
            .field("in_flight", &self.engine.in_flight.len())
            .finish_non_exhaustive()
    }
}

impl MultiBatchWriter {
    /// A writer sending through `client`.
    ///
    /// ```no_run
    /// # use dynamo_orm::batch::MultiBatchWriter;
    /// # fn demo(client: aws_sdk_dynamodb::Client) {
    /// let writer = MultiBatchWriter::new(client).concurrency(8);
    /// # }
    /// ```
    pub fn new(client: Client) -> Self {
        Self {
            engine: Engine::new(client),
        }
    }

    settings!("MultiBatchWriter::new(client)");

    /// Buffers a put of `item` into `table`. As [`BatchWriter::put`].
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
    /// let mut writer = MultiBatchWriter::new(client);
    /// writer.put_to(&users, &User { username: "john".into() }).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub async fn put_to<T: DynamoItem>(&mut self, table: &Table<T>, item: &T) -> Result<()> {
        let map = item.to_item()?;
        let version = item.version()?;
        let inner = &table.inner;
        self.engine
            .put(
                &inner.name,
                &inner.keys,
                T::SCHEMA.version_attribute,
                map,
                Some(version),
            )
            .await
    }

    /// Buffers a delete of `key` from `table`. As [`BatchWriter::delete`].
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
    /// let mut writer = MultiBatchWriter::new(client);
    /// writer.delete_from(&users, User::key("john")).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_from<T: DynamoItem>(
        &mut self,
        table: &Table<T>,
        key: impl Borrow<T::Key>,
    ) -> Result<()> {
        let key_item = key.borrow().to_key_item()?;
        let inner = &table.inner;
        self.engine
            .delete(
                &inner.name,
                &inner.keys,
                T::SCHEMA.version_attribute,
                key_item,
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(range: bool) -> KeyNames {
        KeyNames {
            hash: "pk".into(),
            range: range.then(|| "sk".into()),
        }
    }

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn numbers_are_canonical() {
        let c = |s| canonical_number(s).unwrap();
        assert_eq!(c("1"), c("1.0"));
        assert_eq!(c("1"), c("1E0"));
        assert_eq!(c("150"), c("1.5e2"));
        assert_eq!(c("150"), c("+0150.000"));
        assert_eq!(c("0"), c("-0.00"));
        assert_eq!(c("-0.015"), c("-1.5E-2"));
        assert_ne!(c("15"), c("150"));
        assert_ne!(c("-1"), c("1"));
        assert_eq!(canonical_number("abc"), None);
        assert_eq!(canonical_number("."), None);
        assert_eq!(canonical_number("1e"), None);
    }

    #[test]
    fn key_identity() {
        let k = keys(true);
        let a = item(&[
            ("pk", AttributeValue::S("a".into())),
            ("sk", AttributeValue::N("1".into())),
            ("other", AttributeValue::S("x".into())),
        ]);
        let b = item(&[
            ("pk", AttributeValue::S("a".into())),
            ("sk", AttributeValue::N("1.0".into())),
        ]);
        let c = item(&[
            ("pk", AttributeValue::S("a".into())),
            ("sk", AttributeValue::N("2".into())),
        ]);
        assert_eq!(key_id("t", &k, &a).unwrap(), key_id("t", &k, &b).unwrap());
        assert_ne!(key_id("t", &k, &a).unwrap(), key_id("t", &k, &c).unwrap());
        assert_ne!(key_id("t", &k, &a).unwrap(), key_id("u", &k, &a).unwrap());
        // No ambiguity between a string key and a binary key with the same bytes.
        let s = item(&[("pk", AttributeValue::S("ab".into()))]);
        let bin = item(&[("pk", AttributeValue::B(b"ab".to_vec().into()))]);
        assert_ne!(
            key_id("t", &keys(false), &s).unwrap(),
            key_id("t", &keys(false), &bin).unwrap()
        );
    }

    #[test]
    fn bad_keys_are_refused() {
        let k = keys(true);
        let empty = item(&[
            ("pk", AttributeValue::S(String::new())),
            ("sk", AttributeValue::N("1".into())),
        ]);
        assert!(matches!(key_id("t", &k, &empty), Err(Error::Validation(_))));
        let missing = item(&[("pk", AttributeValue::S("a".into()))]);
        assert!(matches!(
            key_id("t", &k, &missing),
            Err(Error::Validation(_))
        ));
        let boolean = item(&[
            ("pk", AttributeValue::Bool(true)),
            ("sk", AttributeValue::N("1".into())),
        ]);
        assert!(matches!(
            key_id("t", &k, &boolean),
            Err(Error::Validation(_))
        ));
    }

    #[test]
    fn stored_versions() {
        let v = |value: Option<AttributeValue>| {
            let mut i = Item::new();
            if let Some(value) = value {
                i.insert("v".into(), value);
            }
            stored_version(&i, "v")
        };
        assert_eq!(v(None).unwrap(), 0);
        assert_eq!(v(Some(AttributeValue::N("7".into()))).unwrap(), 7);
        assert!(v(Some(AttributeValue::S("7".into()))).is_err());
        assert!(v(Some(AttributeValue::N("-1".into()))).is_err());
    }

    fn offline_client() -> Client {
        use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("k", "s", None, None, "test"))
            .endpoint_url("http://127.0.0.1:9")
            .build();
        Client::from_conf(config)
    }

    fn pk(value: &str) -> Item {
        item(&[("pk", AttributeValue::S(value.into()))])
    }

    #[tokio::test]
    async fn folds_in_the_buffer_and_applies_the_version_policy() {
        let mut engine = Engine::new(offline_client());
        let k = keys(false);
        engine.put("t", &k, None, pk("a"), None).await.unwrap();
        engine.put("t", &k, None, pk("b"), None).await.unwrap();
        engine.delete("t", &k, None, pk("a")).await.unwrap();
        assert_eq!(engine.buffer.len(), 2);
        assert!(engine.buffer[0].request.delete_request().is_some());
        assert_eq!(engine.summary().folded, 1);

        let refused = engine.put("t", &k, Some("v"), pk("c"), Some(3)).await;
        assert!(matches!(refused, Err(Error::Validation(m)) if m.contains("versioned")));
        let refused = engine.delete("t", &k, Some("v"), pk("c")).await;
        assert!(matches!(refused, Err(Error::Validation(_))));
        assert_eq!(engine.buffer.len(), 2);

        engine.unversioned = true;
        engine
            .put("t", &k, Some("v"), pk("c"), Some(3))
            .await
            .unwrap();
        let mut raw = pk("d");
        raw.insert("v".into(), AttributeValue::N("41".into()));
        engine.put("t", &k, Some("v"), raw, None).await.unwrap();
        let version =
            |i: usize| engine.buffer[i].request.put_request().unwrap().item()["v"].clone();
        assert_eq!(version(2), AttributeValue::N("4".into()));
        assert_eq!(version(3), AttributeValue::N("42".into()));
        // Not sent: dropping it logs, and nothing panics.
        engine.buffer.clear();
    }

    #[test]
    fn refuses_without_a_runtime_and_buffers_nothing() {
        let mut engine = Engine::new(offline_client());
        let result =
            futures::executor::block_on(engine.put("t", &keys(false), None, pk("a"), None));
        assert!(matches!(result, Err(Error::Validation(m)) if m.contains("Tokio")));
        assert!(engine.buffer.is_empty());
    }

    #[test]
    fn backoff_is_bounded() {
        let policy = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(40),
        };
        for retry in 1..40 {
            let cap = Duration::from_millis(10)
                .saturating_mul(1 << (retry - 1).min(20))
                .min(Duration::from_millis(40));
            assert!(policy.delay(retry) <= cap);
        }
    }
}
