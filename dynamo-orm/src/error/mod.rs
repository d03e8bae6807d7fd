//! Errors: one enum for operations ([`Error`]) and two for conversions
//! ([`EncodeError`], [`DecodeError`]) that name the attribute path.
//!
//! This is the bottom layer of the crate: it depends on no other module, so
//! every layer above can return its errors.

mod batch;
mod convert;
mod service;

pub use batch::{BatchSummary, UnprocessedWrite};
pub use convert::{
    AttrPath, DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, PathSegment, type_name,
};
pub use service::{ServiceError, TransportError, TransportErrorKind};

use crate::Item;

/// The reason DynamoDB gave for cancelling one action of a transaction.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CancellationReason {
    /// Position of the action in the transaction.
    pub index: usize,
    /// DynamoDB's code (`ConditionalCheckFailed`, `None`, `TransactionConflict`, ...).
    pub code: Option<String>,
    /// DynamoDB's message.
    pub message: Option<String>,
    /// The item as stored, when DynamoDB returned it.
    pub item: Option<Item>,
    /// The action's optimistic-locking check failed: the stored version was
    /// not the one the action expected (`code` is `ConditionalCheckFailed`).
    pub version_conflict: bool,
}

impl CancellationReason {
    /// A reason from DynamoDB's answer.
    ///
    /// ```
    /// use dynamo_orm::error::CancellationReason;
    /// let reason = CancellationReason::new(0, Some("None".into()), None, None);
    /// assert!(!reason.failed());
    /// ```
    pub fn new(
        index: usize,
        code: Option<String>,
        message: Option<String>,
        item: Option<Item>,
    ) -> Self {
        Self {
            index,
            code,
            message,
            item,
            version_conflict: false,
        }
    }

    /// Whether this action is one of the causes (DynamoDB reports `None` for
    /// the actions that were fine).
    ///
    /// ```
    /// use dynamo_orm::error::CancellationReason;
    /// let reason = CancellationReason::new(1, Some("ConditionalCheckFailed".into()), None, None);
    /// assert!(reason.failed());
    /// ```
    pub fn failed(&self) -> bool {
        self.code.as_deref().is_some_and(|c| c != "None")
    }
}

/// The error of every `dynamo-orm` operation.
///
/// Match on the variants for the outcomes a program handles (a failed
/// condition, a version conflict, throttling); [`code`](Self::code),
/// [`request_id`](Self::request_id) and [`is_retryable`](Self::is_retryable)
/// answer the common questions about any of them.
///
/// ```
/// use dynamo_orm::Error;
/// let err = Error::Validation("empty key".into());
/// assert_eq!(err.code(), None);
/// assert!(!err.is_retryable());
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A condition expression failed. Carries the stored item when DynamoDB
    /// returned it (or it was read back).
    #[error("the condition of the request failed{}", if .item.is_some() { " (current item attached)" } else { "" })]
    ConditionFailed {
        /// The item as stored, when there is one.
        item: Option<Box<Item>>,
    },
    /// An optimistic-locking check failed: the stored version is not the one
    /// the caller had.
    #[error(
        "version conflict: expected stored version {expected}, found {}",
        describe_current(.current.as_deref())
    )]
    VersionConflict {
        /// The version the caller's item carried.
        expected: u64,
        /// The item as stored now (`None` when it does not exist).
        current: Option<Box<Item>>,
    },
    /// An operation that needs the item did not find it.
    #[error("item not found")]
    NotFound,
    /// DynamoDB kept throttling after the retries.
    #[error("throttled by DynamoDB: {0}")]
    Throttled(ServiceError),
    /// A transaction was cancelled; one reason per action, in request order.
    #[error("transaction cancelled: {}", reasons.iter().filter(|r| r.failed()).filter_map(|r| r.code.as_deref()).collect::<Vec<_>>().join(", "))]
    TransactionCanceled {
        /// One reason per action of the transaction.
        reasons: Vec<CancellationReason>,
    },
    /// The table (or index) does not exist, or is not yet ACTIVE.
    #[error("table {} not found: {error}", .table.as_deref().unwrap_or("?"))]
    TableNotFound {
        /// The table the request named, when it named one.
        table: Option<String>,
        /// DynamoDB's answer.
        error: ServiceError,
    },
    /// The table is being created, updated or deleted, or already exists.
    #[error("resource in use: {0}")]
    ResourceInUse(ServiceError),
    /// The request was refused before it was sent: it is not valid for DynamoDB.
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
    /// A batch read could not read every key: the keys not read, and every
    /// item that was read, are handed back.
    #[error("batch get incomplete: {} keys not read ({} items read)", unprocessed_keys.len(), read.len())]
    BatchGetIncomplete {
        /// The items that were read (raw; decode with `T::from_item`).
        read: Vec<Item>,
        /// The keys not read (decode with `PrimaryKey::from_key_item`).
        unprocessed_keys: Vec<Item>,
        /// Why: the error of a request that failed, or `None` when DynamoDB
        /// kept returning the keys as unprocessed until the retries ran out.
        #[source]
        cause: Option<Box<Error>>,
    },
    /// A batch writer could not write everything. The writes still not made
    /// are handed back, none dropped: decode them with
    /// [`UnprocessedWrite::decode`](crate::batch::UnprocessedWrite::decode).
    #[error("batch write incomplete: {} write request(s) not written (handed back in the error)", .unprocessed.len())]
    BatchWriteIncomplete {
        /// The writes not made, with their table.
        unprocessed: Vec<UnprocessedWrite>,
        /// What the writer did, up to this error.
        summary: Box<BatchSummary>,
        /// The first request error, when a request failed (rather than
        /// DynamoDB returning items as unprocessed until the retries ran out).
        #[source]
        source: Option<Box<Error>>,
    },
    /// A stored item could not be read into the Rust type. The error names
    /// the item's key and carries its raw attributes when it came from a read.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A value could not be turned into an attribute; nothing was sent.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// DynamoDB refused the request for another reason (its code says why:
    /// `ValidationException`, `AccessDeniedException`, ...).
    #[error("DynamoDB refused the request: {0}")]
    Service(ServiceError),
    /// No usable answer came back: a timeout, a connection failure or a
    /// response that could not be read. A write may or may not have been made.
    #[error("no answer from DynamoDB: {0}")]
    Transport(TransportError),
}

fn describe_current(current: Option<&Item>) -> &'static str {
    if current.is_some() {
        "another version (current item attached)"
    } else {
        "no item"
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// DynamoDB's error code for errors DynamoDB answered with
    /// (`ConditionalCheckFailedException`, `ThrottlingException`,
    /// `ValidationException`, ...); `None` for errors raised before sending
    /// or without an answer.
    ///
    /// ```
    /// use dynamo_orm::Error;
    /// assert_eq!(Error::ConditionFailed { item: None }.code(), Some("ConditionalCheckFailedException"));
    /// assert_eq!(Error::NotFound.code(), None);
    /// ```
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::ConditionFailed { .. } | Error::VersionConflict { .. } => {
                Some("ConditionalCheckFailedException")
            }
            Error::TransactionCanceled { .. } => Some("TransactionCanceledException"),
            Error::Throttled(e)
            | Error::TableNotFound { error: e, .. }
            | Error::ResourceInUse(e)
            | Error::Service(e) => Some(e.code()),
            Error::BatchGetIncomplete { cause: Some(e), .. } => e.code(),
            Error::BatchWriteIncomplete {
                source: Some(e), ..
            } => e.code(),
            _ => None,
        }
    }

    /// The id DynamoDB gave the failed request (for AWS support and logs),
    /// when it answered.
    ///
    /// ```
    /// assert_eq!(dynamo_orm::Error::NotFound.request_id(), None);
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Throttled(e)
            | Error::TableNotFound { error: e, .. }
            | Error::ResourceInUse(e)
            | Error::Service(e) => e.request_id(),
            Error::BatchGetIncomplete { cause: Some(e), .. } => e.request_id(),
            Error::BatchWriteIncomplete {
                source: Some(e), ..
            } => e.request_id(),
            _ => None,
        }
    }

    /// Whether sending the same request again may succeed: throttling,
    /// DynamoDB's server errors, transaction conflicts and requests that got
    /// no answer. (Conditional writes that got no answer may have been made:
    /// a resend can then fail its condition.)
    ///
    /// ```
    /// use dynamo_orm::Error;
    /// assert!(!Error::Validation("bad".into()).is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Throttled(_) | Error::Transport(_) => true,
            Error::Service(e) => e.is_server_error(),
            Error::TransactionCanceled { reasons } => reasons.iter().any(|r| {
                matches!(
                    r.code.as_deref(),
                    Some(
                        "TransactionConflict" | "ThrottlingError" | "ProvisionedThroughputExceeded"
                    )
                )
            }),
            _ => false,
        }
    }
}
