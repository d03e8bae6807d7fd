//! Errors: one enum for operations ([`Error`]) and two for conversions
//! ([`EncodeError`], [`DecodeError`]) that name the attribute path.

use std::fmt;

use crate::Item;

/// One step of an attribute path: a map key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// A map key or top-level attribute name.
    Name(String),
    /// A list index.
    Index(usize),
}

/// The path of an attribute inside an item, such as `address.city` or `friends[2]`.
///
/// ```
/// use dynamo_orm::{AttrPath, PathSegment};
/// let path = AttrPath::from_segments(vec![
///     PathSegment::Name("friends".into()),
///     PathSegment::Index(2),
///     PathSegment::Name("name".into()),
/// ]);
/// assert_eq!(path.to_string(), "friends[2].name");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttrPath {
    // Stored innermost first: errors are built at the leaf and gain their
    // parents while they travel up, so pushing at the end is the cheap way.
    reversed: Vec<PathSegment>,
}

impl AttrPath {
    /// A path from its segments, outermost first.
    pub fn from_segments(mut segments: Vec<PathSegment>) -> Self {
        segments.reverse();
        Self { reversed: segments }
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> impl Iterator<Item = &PathSegment> {
        self.reversed.iter().rev()
    }

    /// Whether the path names no attribute (the error is about the whole item).
    pub fn is_empty(&self) -> bool {
        self.reversed.is_empty()
    }

    fn push_parent(&mut self, segment: PathSegment) {
        self.reversed.push(segment);
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reversed.is_empty() {
            return f.write_str("<item>");
        }
        for (i, seg) in self.segments().enumerate() {
            match seg {
                PathSegment::Name(name) if i == 0 => f.write_str(name)?,
                PathSegment::Name(name) => write!(f, ".{name}")?,
                PathSegment::Index(idx) => write!(f, "[{idx}]")?,
            }
        }
        Ok(())
    }
}

/// What went wrong while reading an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// A required attribute is not in the item.
    Missing,
    /// The attribute has another DynamoDB type than the field needs.
    TypeMismatch {
        /// The DynamoDB type the field reads (`S`, `N`, `M`, ...).
        expected: &'static str,
        /// The DynamoDB type the item holds.
        found: &'static str,
    },
    /// A number that does not fit the field's type.
    InvalidNumber {
        /// The number as stored.
        value: String,
        /// The Rust type it had to fit.
        target: &'static str,
    },
    /// A value of the right DynamoDB type that the field's type rejects
    /// (an unknown enum variant, a malformed UUID or date).
    InvalidValue {
        /// What the field expected.
        expected: &'static str,
        /// Why the value was refused.
        message: String,
    },
}

/// A stored item could not be turned into a Rust value.
///
/// It names the attribute path, what was expected and what was found:
///
/// ```
/// use dynamo_orm::{FromAttribute, AttributeValue};
/// let err = i64::from_attribute(AttributeValue::S("x".into())).unwrap_err();
/// assert_eq!(err.expected(), Some("N"));
/// assert_eq!(err.found(), Some("S"));
/// assert_eq!(err.in_field("age").to_string(), "attribute `age`: expected N, found S");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    path: AttrPath,
    kind: DecodeErrorKind,
}

impl DecodeError {
    /// An error of the given kind at the current (innermost) position.
    pub fn new(kind: DecodeErrorKind) -> Self {
        Self {
            path: AttrPath::default(),
            kind,
        }
    }

    /// The attribute is missing.
    pub fn missing(name: &str) -> Self {
        Self::new(DecodeErrorKind::Missing).in_field(name)
    }

    /// The value has another DynamoDB type than expected.
    pub fn type_mismatch(expected: &'static str, found: &crate::AttributeValue) -> Self {
        Self::new(DecodeErrorKind::TypeMismatch {
            expected,
            found: crate::value::type_name(found),
        })
    }

    /// A custom error for user conversions (`#[dynamo(with = ...)]`, manual `FromAttribute`).
    pub fn invalid(expected: &'static str, message: impl fmt::Display) -> Self {
        Self::new(DecodeErrorKind::InvalidValue {
            expected,
            message: message.to_string(),
        })
    }

    /// Adds a parent map key to the path.
    #[must_use]
    pub fn in_field(mut self, name: &str) -> Self {
        self.path.push_parent(PathSegment::Name(name.to_owned()));
        self
    }

    /// Adds a parent list index to the path.
    #[must_use]
    pub fn at_index(mut self, index: usize) -> Self {
        self.path.push_parent(PathSegment::Index(index));
        self
    }

    /// Where the error happened.
    pub fn path(&self) -> &AttrPath {
        &self.path
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }

    /// The expected DynamoDB type, for a type mismatch.
    pub fn expected(&self) -> Option<&'static str> {
        match &self.kind {
            DecodeErrorKind::TypeMismatch { expected, .. } => Some(expected),
            _ => None,
        }
    }

    /// The DynamoDB type found, for a type mismatch.
    pub fn found(&self) -> Option<&'static str> {
        match &self.kind {
            DecodeErrorKind::TypeMismatch { found, .. } => Some(found),
            _ => None,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "attribute `{}`: ", self.path)?;
        match &self.kind {
            DecodeErrorKind::Missing => f.write_str("missing required attribute"),
            DecodeErrorKind::TypeMismatch { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            DecodeErrorKind::InvalidNumber { value, target } => {
                write!(f, "number {value} does not fit {target}")
            }
            DecodeErrorKind::InvalidValue { expected, message } => {
                write!(f, "expected {expected}: {message}")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// What went wrong while turning a value into an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeErrorKind {
    /// NaN or an infinity: DynamoDB numbers are finite.
    NonFiniteNumber,
    /// A number DynamoDB cannot hold (more than 38 significant digits, or outside
    /// 1e-130..1e126 in magnitude).
    NumberOutOfRange(String),
    /// A custom conversion refused the value.
    Invalid(String),
}

/// A value could not be turned into a DynamoDB attribute; nothing was sent.
///
/// ```
/// use dynamo_orm::IntoAttribute;
/// let err = f64::NAN.to_attribute().unwrap_err();
/// assert_eq!(err.in_field("score").to_string(), "attribute `score`: NaN and infinities cannot be stored");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    path: AttrPath,
    kind: EncodeErrorKind,
}

impl EncodeError {
    /// An error of the given kind at the current (innermost) position.
    pub fn new(kind: EncodeErrorKind) -> Self {
        Self {
            path: AttrPath::default(),
            kind,
        }
    }

    /// A custom error for user conversions.
    pub fn invalid(message: impl fmt::Display) -> Self {
        Self::new(EncodeErrorKind::Invalid(message.to_string()))
    }

    /// Adds a parent map key to the path.
    #[must_use]
    pub fn in_field(mut self, name: &str) -> Self {
        self.path.push_parent(PathSegment::Name(name.to_owned()));
        self
    }

    /// Adds a parent list index to the path.
    #[must_use]
    pub fn at_index(mut self, index: usize) -> Self {
        self.path.push_parent(PathSegment::Index(index));
        self
    }

    /// Where the error happened.
    pub fn path(&self) -> &AttrPath {
        &self.path
    }

    /// What went wrong.
    pub fn kind(&self) -> &EncodeErrorKind {
        &self.kind
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "attribute `{}`: ", self.path)?;
        match &self.kind {
            EncodeErrorKind::NonFiniteNumber => f.write_str("NaN and infinities cannot be stored"),
            EncodeErrorKind::NumberOutOfRange(n) => {
                write!(f, "number {n} is outside what DynamoDB can store")
            }
            EncodeErrorKind::Invalid(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for EncodeError {}

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
