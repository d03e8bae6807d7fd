//! What a batch writer reports: the running totals ([`Progress`], the
//! [`BatchSummary`]) and the typed view of a write it hands back
//! ([`WriteOp`], [`UnprocessedWrite::decode`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{BatchSummary, DecodeError, UnprocessedWrite};
use crate::schema::{DynamoItem, PrimaryKey};

/// The callback of [`on_progress`](super::BatchWriter::on_progress).
pub(super) type ProgressFn = dyn Fn(&Progress) + Send + Sync;

/// The running totals handed to an [`on_progress`](super::BatchWriter::on_progress)
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

/// The writer's counters, shared with its request tasks.
#[derive(Default)]
pub(super) struct Stats {
    pub(super) items_written: Arc<AtomicU64>,
    pub(super) items_failed: AtomicU64,
    pub(super) requests_sent: AtomicU64,
    pub(super) retries: AtomicU64,
    pub(super) throttled: AtomicU64,
    pub(super) server_errors: AtomicU64,
    pub(super) unanswered: AtomicU64,
    pub(super) unprocessed_resent: AtomicU64,
    pub(super) folded: AtomicU64,
    // An f64 stored as its bits (added from every request task); `capacity_reported`
    // tells "nothing reported" from 0.
    capacity: AtomicU64,
    capacity_reported: std::sync::atomic::AtomicBool,
}

impl Stats {
    pub(super) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub(super) fn add_capacity(&self, units: f64) {
        self.capacity_reported.store(true, Ordering::Relaxed);
        let _ = self
            .capacity
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
                Some((f64::from_bits(bits) + units).to_bits())
            });
    }

    pub(super) fn summary(&self) -> BatchSummary {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        BatchSummary {
            items_written: get(&self.items_written),
            items_failed: get(&self.items_failed),
            requests_sent: get(&self.requests_sent),
            retries: get(&self.retries),
            throttled: get(&self.throttled),
            server_errors: get(&self.server_errors),
            requests_unanswered: get(&self.unanswered),
            unprocessed_resent: get(&self.unprocessed_resent),
            folded: get(&self.folded),
            consumed_capacity: self
                .capacity_reported
                .load(Ordering::Relaxed)
                .then(|| f64::from_bits(get(&self.capacity))),
        }
    }

    pub(super) fn progress(&self) -> Progress {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Progress {
            items_written: get(&self.items_written),
            items_failed: get(&self.items_failed),
            requests_sent: get(&self.requests_sent),
            retries: get(&self.retries),
        }
    }
}
