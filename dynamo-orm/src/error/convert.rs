//! The errors of conversions: [`EncodeError`] and [`DecodeError`], which name
//! the attribute path ([`AttrPath`]) where a value could not be converted.

use std::fmt;

use crate::AttributeValue;

/// The DynamoDB type code of a value (`S`, `N`, `B`, `BOOL`, `NULL`, `L`, `M`, `SS`, `NS`, `BS`).
///
/// ```
/// use dynamo_orm::{value::type_name, AttributeValue};
/// assert_eq!(type_name(&AttributeValue::Bool(true)), "BOOL");
/// ```
pub fn type_name(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "S",
        AttributeValue::N(_) => "N",
        AttributeValue::B(_) => "B",
        AttributeValue::Bool(_) => "BOOL",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::L(_) => "L",
        AttributeValue::M(_) => "M",
        AttributeValue::Ss(_) => "SS",
        AttributeValue::Ns(_) => "NS",
        AttributeValue::Bs(_) => "BS",
        _ => "unknown",
    }
}

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
    /// Lists, maps or nested structs deeper than DynamoDB stores (the item
    /// is level 1): a value no DynamoDB table can hold, refused before its
    /// depth could exhaust the stack.
    TooDeep {
        /// The deepest level DynamoDB stores (32).
        limit: usize,
    },
    /// An item of a shared table holds another entity than the one read (its
    /// discriminator names `found`, or nothing).
    WrongEntity {
        /// The entity read (`Order`).
        expected: &'static str,
        /// The entity the item holds; `None` when it holds no entity name.
        found: Option<String>,
    },
    /// An item of a shared table holds an entity that no variant of the
    /// `DynamoEntities` enum reads (and the enum has no `other` variant).
    UnknownEntity {
        /// The enum read (`AppItem`).
        collection: &'static str,
        /// The entity the item holds; `None` when it holds no entity name.
        found: Option<String>,
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
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    path: AttrPath,
    kind: DecodeErrorKind,
    /// The item being read, when the error came from reading a stored item:
    /// its key and its raw attributes (for repair jobs).
    item: Option<Box<ItemContext>>,
}

#[derive(Debug, Clone, PartialEq)]
struct ItemContext {
    key: crate::Item,
    raw: Option<crate::Item>,
}

impl DecodeError {
    /// An error of the given kind at the current (innermost) position.
    pub fn new(kind: DecodeErrorKind) -> Self {
        Self {
            path: AttrPath::default(),
            kind,
            item: None,
        }
    }

    /// The attribute is missing.
    pub fn missing(name: &str) -> Self {
        Self::new(DecodeErrorKind::Missing).in_field(name)
    }

    /// The value has another DynamoDB type than expected.
    pub fn type_mismatch(expected: &'static str, found: &AttributeValue) -> Self {
        Self::new(DecodeErrorKind::TypeMismatch {
            expected,
            found: type_name(found),
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

    /// The same error, naming the key of the stored item it came from.
    ///
    /// ```
    /// use dynamo_orm::{AttributeValue, DecodeError, Item};
    /// let key: Item = [("id".to_string(), AttributeValue::S("a".into()))].into();
    /// let err = DecodeError::missing("name").with_key(key);
    /// assert_eq!(err.to_string(), "item {id: \"a\"}: attribute `name`: missing required attribute");
    /// assert!(err.raw_item().is_none());
    /// ```
    #[must_use]
    pub fn with_key(mut self, key: crate::Item) -> Self {
        match &mut self.item {
            Some(context) => context.key = key,
            None => self.item = Some(Box::new(ItemContext { key, raw: None })),
        }
        self
    }

    /// The same error, naming the stored item it came from: its key
    /// attributes and all of its raw attributes (for repair jobs).
    ///
    /// ```
    /// use dynamo_orm::{AttributeValue, DecodeError, Item};
    /// let key: Item = [("id".to_string(), AttributeValue::S("a".into()))].into();
    /// let mut raw = key.clone();
    /// raw.insert("age".into(), AttributeValue::S("x".into()));
    /// let err = DecodeError::missing("name").with_item(key, raw);
    /// assert_eq!(err.raw_item().unwrap().len(), 2);
    /// ```
    #[must_use]
    pub fn with_item(mut self, key: crate::Item, raw: crate::Item) -> Self {
        self.item = Some(Box::new(ItemContext {
            key,
            raw: Some(raw),
        }));
        self
    }

    /// The key attributes of the stored item that could not be read.
    pub fn key(&self) -> Option<&crate::Item> {
        self.item.as_ref().map(|c| &c.key)
    }

    /// All raw attributes of the stored item that could not be read, when
    /// they were kept (`keep_raw_on_error()` on reads).
    pub fn raw_item(&self) -> Option<&crate::Item> {
        self.item.as_ref().and_then(|c| c.raw.as_ref())
    }

    /// Takes the raw item out of the error.
    pub fn into_raw_item(self) -> Option<crate::Item> {
        self.item.and_then(|c| c.raw)
    }
}

/// `{id: "a", n: 3}`: a key's scalars, in name order, for messages.
pub(crate) fn display_key(key: &crate::Item, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    use crate::AttributeValue;
    let mut names: Vec<&String> = key.keys().collect();
    names.sort();
    f.write_str("{")?;
    for (i, name) in names.into_iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        match &key[name] {
            AttributeValue::S(s) => write!(f, "{name}: {s:?}")?,
            AttributeValue::N(n) => write!(f, "{name}: {n}")?,
            AttributeValue::B(b) => write!(f, "{name}: <{} bytes>", b.as_ref().len())?,
            other => write!(f, "{name}: <{}>", type_name(other))?,
        }
    }
    f.write_str("}")
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(context) = &self.item {
            f.write_str("item ")?;
            display_key(&context.key, f)?;
            f.write_str(": ")?;
        }
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
            DecodeErrorKind::TooDeep { limit } => {
                write!(f, "nested deeper than DynamoDB's {limit} levels")
            }
            DecodeErrorKind::WrongEntity { expected, found } => match found {
                Some(found) => write!(f, "the item's entity is `{found}`, not `{expected}`"),
                None => write!(f, "the item has no entity name; expected `{expected}`"),
            },
            DecodeErrorKind::UnknownEntity { collection, found } => match found {
                Some(found) => write!(
                    f,
                    "the item's entity is `{found}`, which no variant of `{collection}` reads"
                ),
                None => write!(
                    f,
                    "the item has no entity name, so no variant of `{collection}` reads it"
                ),
            },
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
    /// A number text that is not a decimal number (`abc`, `1e`, ` 1`).
    InvalidNumber(String),
    /// An empty set (`SS`, `NS` or `BS`): DynamoDB has no empty sets.
    EmptySet(&'static str),
    /// A set holding one member twice (for `NS`, two texts of one number,
    /// such as `1` and `1.0`). Holds the member, shortened when long.
    DuplicateSetMember(String),
    /// An attribute name or map key DynamoDB refuses (empty, or over 64 KB);
    /// says why.
    InvalidName(String),
    /// Lists, maps or nested structs deeper than DynamoDB stores (the item
    /// is level 1).
    TooDeep {
        /// The deepest level DynamoDB stores (32).
        limit: usize,
    },
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
    // Boxed: every conversion returns `Result<_, EncodeError>`, and a
    // pointer-sized error keeps that result as small as its value (a
    // `Result<Item, EncodeError>` is the size of an `Item`).
    inner: Box<EncodeErrorInner>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct EncodeErrorInner {
    path: AttrPath,
    kind: EncodeErrorKind,
}

impl EncodeError {
    /// An error of the given kind at the current (innermost) position.
    #[cold]
    pub fn new(kind: EncodeErrorKind) -> Self {
        Self {
            inner: Box::new(EncodeErrorInner {
                path: AttrPath::default(),
                kind,
            }),
        }
    }

    /// A custom error for user conversions.
    pub fn invalid(message: impl fmt::Display) -> Self {
        Self::new(EncodeErrorKind::Invalid(message.to_string()))
    }

    /// Adds a parent map key to the path.
    #[must_use]
    pub fn in_field(mut self, name: &str) -> Self {
        self.inner
            .path
            .push_parent(PathSegment::Name(name.to_owned()));
        self
    }

    /// Adds a parent list index to the path.
    #[must_use]
    pub fn at_index(mut self, index: usize) -> Self {
        self.inner.path.push_parent(PathSegment::Index(index));
        self
    }

    /// Where the error happened.
    pub fn path(&self) -> &AttrPath {
        &self.inner.path
    }

    /// What went wrong.
    pub fn kind(&self) -> &EncodeErrorKind {
        &self.inner.kind
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "attribute `{}`: ", self.inner.path)?;
        match &self.inner.kind {
            EncodeErrorKind::NonFiniteNumber => f.write_str("NaN and infinities cannot be stored"),
            EncodeErrorKind::NumberOutOfRange(n) => {
                write!(f, "number {n} is outside what DynamoDB can store")
            }
            EncodeErrorKind::Invalid(msg) => f.write_str(msg),
            EncodeErrorKind::InvalidNumber(n) => write!(f, "{n:?} is not a number"),
            EncodeErrorKind::EmptySet(tag) => {
                write!(
                    f,
                    "an empty {tag} cannot be stored: DynamoDB has no empty sets"
                )
            }
            EncodeErrorKind::DuplicateSetMember(member) => {
                write!(
                    f,
                    "the set holds {member} twice; DynamoDB refuses duplicates"
                )
            }
            EncodeErrorKind::InvalidName(why) => f.write_str(why),
            EncodeErrorKind::TooDeep { limit } => {
                write!(f, "nested deeper than DynamoDB's {limit} levels")
            }
        }
    }
}

impl std::error::Error for EncodeError {}
