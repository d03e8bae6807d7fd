//! Errors: one enum for operations ([`Error`]) and two for conversions
//! ([`EncodeError`], [`DecodeError`]) that name the attribute path.

mod convert;

pub use convert::{
    AttrPath, DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, PathSegment, type_name,
};

use crate::Item;

/// The reason DynamoDB gave for cancelling one item of a transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct CancellationReason {
    /// Position of the item in the transaction.
    pub index: usize,
    /// DynamoDB's code (`ConditionalCheckFailed`, `None`, `TransactionConflict`, ...).
    pub code: Option<String>,
    /// DynamoDB's message.
    pub message: Option<String>,
    /// The item as stored, when DynamoDB returned it.
    pub item: Option<Item>,
}

/// The error of every `dynamo-orm` operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A condition expression failed. Carries the stored item when DynamoDB returned it.
    #[error("the condition of the request failed{}", if .item.is_some() { " (current item attached)" } else { "" })]
    ConditionFailed {
        /// The item as stored, when DynamoDB returned it.
        item: Option<Box<Item>>,
    },
    /// An optimistic-locking check failed: the stored version is not the one the caller had.
    #[error(
        "version conflict: expected stored version {expected}, the item changed or does not exist"
    )]
    VersionConflict {
        /// The version the caller's item carried.
        expected: u64,
        /// The item as stored now (`None` when it no longer exists).
        current: Option<Box<Item>>,
    },
    /// An operation that needs the item did not find it.
    #[error("item not found")]
    NotFound,
    /// DynamoDB kept throttling after the configured retries.
    #[error("throttled by DynamoDB: {0}")]
    Throttled(String),
    /// A transaction was cancelled; one reason per item, in request order.
    #[error("transaction cancelled: {}", reasons.iter().filter_map(|r| r.code.as_deref()).filter(|c| *c != "None").collect::<Vec<_>>().join(", "))]
    TransactionCanceled {
        /// One reason per item of the transaction.
        reasons: Vec<CancellationReason>,
    },
    /// The request was refused before it was sent (or by DynamoDB's validation).
    #[error("invalid request: {0}")]
    Validation(String),
    /// An item is over DynamoDB's 400 KB limit; it was not sent.
    #[error("item of {size} bytes is over DynamoDB's limit of {limit} bytes")]
    ItemTooLarge {
        /// The item's size as DynamoDB counts it.
        size: usize,
        /// The limit (409,600 bytes).
        limit: usize,
    },
    /// A batch read ran out of retries with keys still unread.
    #[error("batch get incomplete: {} keys not read after retries ({} items read)", unprocessed_keys.len(), read.len())]
    BatchGetIncomplete {
        /// The items that were read (raw; decode with `T::from_item`).
        read: Vec<Item>,
        /// The keys not read (decode with `PrimaryKey::from_key_item`).
        unprocessed_keys: Vec<Item>,
        /// The last error, when the final attempt failed outright (throttling).
        cause: Option<Box<Error>>,
    },
    /// A batch writer could not write everything. The writes still not made
    /// after the retries are handed back, none dropped: decode them with
    /// [`UnprocessedWrite::decode`](crate::batch::UnprocessedWrite::decode).
    #[error("batch write incomplete: {} write request(s) not written (handed back in the error)", .unprocessed.len())]
    BatchWriteIncomplete {
        /// The writes not made, with their table.
        unprocessed: Vec<crate::batch::UnprocessedWrite>,
        /// What the writer did, up to this error.
        summary: Box<crate::batch::BatchSummary>,
        /// The first request error, when a request failed (rather than
        /// DynamoDB returning items as unprocessed until the retries ran out).
        #[source]
        source: Option<Box<Error>>,
    },
    /// A stored item could not be read into the Rust type.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A value could not be turned into an attribute.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// Any other error from the AWS SDK.
    #[error("DynamoDB request failed: {0}")]
    Sdk(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
