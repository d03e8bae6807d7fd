//! The static schema a `#[derive(DynamoItem)]` produces: table name, keys,
//! indexes, version and TTL attributes, and the traits that tie a Rust type to it.
//!
//! For single-table design, [`entity`] holds a table declared once
//! ([`TableDef`]), its entity types ([`Entity`]) and enums of them
//! ([`Entities`]); [`template`] renders and parses their key templates.

pub mod entity;
pub mod template;

pub use entity::{
    AllAttributes, CollectionEntity, CollectionSchema, DEFAULT_DISCRIMINATOR, Entities, Entity,
    EntityIndex, EntityOf, EntitySchema, IndexOf, ItemKind, KeyArgs, KeyRole, NoSort, PartitionOf,
    Primary, SortArgs, TableDef, TableIndex, TemplatedKey,
};
pub use template::{KeyTemplate, TemplateField, TemplatePart, TemplateScalar};

use crate::Item;
use crate::document::Document;
use crate::error::{DecodeError, EncodeError};
pub use crate::value::ScalarType;
use crate::value::{AttributeMap, KeyScalar};

/// A key attribute: its stored name and type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyAttribute {
    /// The attribute name in the table.
    pub name: &'static str,
    /// Its DynamoDB type.
    pub scalar_type: ScalarType,
}

/// Which attributes an index copies from the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Projection {
    /// Every attribute.
    All,
    /// Only the table's and the index's keys.
    KeysOnly,
    /// The keys plus these attributes.
    Include(&'static [&'static str]),
}

/// Local (same partition key, other sort key) or global secondary index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    /// A global secondary index.
    Global,
    /// A local secondary index.
    Local,
}

/// A secondary index as declared with `#[dynamo(gsi(...))]` or `#[dynamo(lsi(...))]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IndexSchema {
    /// The index name in DynamoDB.
    pub name: &'static str,
    /// Global or local.
    pub kind: IndexKind,
    /// The index's partition key.
    pub hash_key: KeyAttribute,
    /// The index's sort key.
    pub range_key: Option<KeyAttribute>,
    /// What the index copies.
    pub projection: Projection,
}

/// How a table is billed when [`create`](crate::Table::create) makes it.
///
/// ```
/// use dynamo_orm::{Billing, DynamoTable, TableDef};
/// #[derive(DynamoTable)]
/// #[dynamo(table = "app", provisioned(read = 5, write = 2))]
/// struct App { #[dynamo(hash_key)] pk: String }
/// assert_eq!(App::SCHEMA.billing, Billing::Provisioned { read: 5, write: 2 });
/// assert_eq!(Billing::default(), Billing::OnDemand);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Billing {
    /// On demand (`PAY_PER_REQUEST`): the default.
    #[default]
    OnDemand,
    /// Provisioned capacity, for the table and each global index
    /// (`#[dynamo(provisioned(read = 5, write = 5))]`).
    Provisioned {
        /// Read capacity units.
        read: i64,
        /// Write capacity units.
        write: i64,
    },
}

/// The schema of a table, derived from a struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableSchema {
    /// The table name (before any prefix a [`Table`](crate::Table) adds).
    pub table_name: &'static str,
    /// The partition key.
    pub hash_key: KeyAttribute,
    /// The sort key.
    pub range_key: Option<KeyAttribute>,
    /// Secondary indexes.
    pub indexes: &'static [IndexSchema],
    /// The optimistic-locking version attribute.
    pub version_attribute: Option<&'static str>,
    /// The time-to-live attribute.
    pub ttl_attribute: Option<&'static str>,
    /// How `create` bills the table.
    pub billing: Billing,
}

impl TableSchema {
    /// The index of that name.
    pub fn index(&self, name: &str) -> Option<&'static IndexSchema> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// Every key attribute of the table and its indexes, each once, in order of appearance.
    pub fn key_attributes(&self) -> Vec<KeyAttribute> {
        let mut out: Vec<KeyAttribute> = Vec::new();
        let all = std::iter::once(self.hash_key).chain(self.range_key).chain(
            self.indexes
                .iter()
                .flat_map(|i| std::iter::once(i.hash_key).chain(i.range_key)),
        );
        for k in all {
            if !out.iter().any(|o| o.name == k.name) {
                out.push(k);
            }
        }
        out
    }
}

/// A typed primary key of a [`DynamoItem`]: the generated `{Type}Key` struct.
pub trait PrimaryKey: Clone + std::fmt::Debug + Send + Sync + 'static {
    /// The key as an attribute map (`{hash: .., range: ..}`).
    fn to_key_item(&self) -> Result<Item, EncodeError>;
    /// Reads the key attributes from an item (other attributes are ignored).
    fn from_key_item(item: &Item) -> Result<Self, DecodeError>;
}

/// A struct that is a table item. Derive it with `#[derive(DynamoItem)]`.
///
/// ```
/// use dynamo_orm::{DynamoItem, AttributeValue};
///
/// #[derive(DynamoItem, Debug, PartialEq)]
/// #[dynamo(table = "users")]
/// struct User {
///     #[dynamo(hash_key)]
///     username: String,
///     #[dynamo(range_key)]
///     date_joined: i64,
///     first_name: String,
/// }
///
/// let user = User { username: "john".into(), date_joined: 1366056668, first_name: "John".into() };
/// let item = user.to_item().unwrap();
/// assert_eq!(item["username"], AttributeValue::S("john".into()));
/// assert_eq!(User::SCHEMA.table_name, "users");
/// assert_eq!(user.key(), User::key("john", 1366056668));
/// assert_eq!(User::from_item(item).unwrap(), user);
/// ```
pub trait DynamoItem: AttributeMap + Send + Sync + 'static {
    /// The typed primary key.
    type Key: PrimaryKey;
    /// The partition key field's type.
    type HashKey: KeyScalar + Send + Sync;
    /// The sort key field's type, or [`NoRange`].
    type RangeKey: Send + Sync;

    /// The table schema.
    const SCHEMA: TableSchema;

    /// This item's key (key fields cloned).
    fn key(&self) -> Self::Key;

    /// The item as DynamoDB stores it. Fails only for values DynamoDB cannot
    /// hold (NaN, out-of-range numbers), before anything is sent.
    #[inline]
    fn to_item(&self) -> Result<Item, EncodeError> {
        self.to_map()
    }

    /// Reads an item, moving strings and binaries out of it.
    #[inline]
    fn from_item(item: Item) -> Result<Self, DecodeError> {
        Self::from_map(item)
    }

    /// The largest version the version field's type holds (`u8::MAX` for a
    /// `u8` field), `u64::MAX` when the type has none: a write refuses, before
    /// sending, a next version above it.
    const VERSION_MAX: u64 = u64::MAX;

    /// The optimistic-locking version: 0 for a new item, or when the type has
    /// none (an item read without a version attribute has version 0). Fails
    /// when the field holds a negative number.
    #[inline]
    fn version(&self) -> Result<u64, EncodeError> {
        Ok(0)
    }

    /// Stores a new version in the item (after a successful versioned write).
    /// Fails, storing nothing, when `version` does not fit the field's type
    /// (above [`VERSION_MAX`](Self::VERSION_MAX)); does nothing when the type
    /// has no version field.
    #[inline]
    fn set_version(&mut self, version: u64) -> Result<(), EncodeError> {
        let _ = version;
        Ok(())
    }

    /// A single type, an entity of a shared table, or an enum of a table's
    /// entities: what the operation core adds to its writes.
    #[doc(hidden)]
    const __KIND: ItemKind = ItemKind::Single;

    /// The entity of this item: its type's, or its variant's for an enum of
    /// entities; `None` for a single type.
    #[doc(hidden)]
    #[inline]
    fn __entity(&self) -> Option<&'static EntitySchema> {
        match Self::__KIND {
            ItemKind::Entity(schema) => Some(schema),
            ItemKind::Single | ItemKind::Collection(_) => None,
        }
    }

    /// Refuses to write this item through its table (an enum variant whose
    /// entity is versioned: its table checks the version).
    #[doc(hidden)]
    #[inline]
    fn __check_writable(&self) -> Result<(), EncodeError> {
        Ok(())
    }
}

/// An integer type that can hold an optimistic-locking version
/// (`#[dynamo(version)]`): every integer type (or an alias of one).
///
/// ```
/// use dynamo_orm::schema::VersionNumber;
/// assert_eq!(7u8.to_version(), Some(7));
/// assert_eq!((-1i32).to_version(), None);
/// assert_eq!(u8::from_version(256), None);
/// assert_eq!(<u8 as VersionNumber>::MAX, 255);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a version",
    label = "the `version` field needs an integer type",
    note = "a version is an integer: `u64`, `i32`, ... (`i8`..`i128`, `u8`..`u128`, `isize`, `usize`), or an alias of one"
)]
pub trait VersionNumber: Copy {
    /// The largest version this type holds, as a `u64` (`u64::MAX` for wider types).
    const MAX: u64;
    /// The version as a `u64`; `None` when negative (or above `u64::MAX`).
    fn to_version(self) -> Option<u64>;
    /// `version` in this type; `None` when it does not fit.
    fn from_version(version: u64) -> Option<Self>;
}

macro_rules! version_number {
    ($($t:ty),*) => {$(
        impl VersionNumber for $t {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            const MAX: u64 = if <$t>::MAX as u128 > u64::MAX as u128 {
                u64::MAX
            } else {
                <$t>::MAX as u64
            };
            #[inline]
            fn to_version(self) -> Option<u64> {
                u64::try_from(self).ok()
            }
            #[inline]
            fn from_version(version: u64) -> Option<Self> {
                Self::try_from(version).ok()
            }
        }
    )*};
}
version_number!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

/// A type that can hold an item's time to live (`#[dynamo(ttl)]`): seconds
/// since the Unix epoch, as DynamoDB reads them. Integers, `SystemTime`, and
/// an `Option` of those.
///
/// ```
/// use std::time::SystemTime;
/// use dynamo_orm::schema::TimeToLive;
/// fn ttl<T: TimeToLive>() {}
/// ttl::<i64>();
/// ttl::<Option<SystemTime>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a time to live",
    label = "the `ttl` field needs a time",
    note = "DynamoDB reads a time to live as seconds since the Unix epoch: use an integer, `SystemTime`, or an `Option` of those"
)]
pub trait TimeToLive {}

macro_rules! time_to_live {
    ($($t:ty),*) => {$(
        impl TimeToLive for $t {}
        impl TimeToLive for Option<$t> {}
    )*};
}
time_to_live!(
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    std::time::SystemTime
);

/// The type of a secondary index key field: a [`KeyScalar`], or an `Option`
/// of one for a sparse index (an item whose key is `None` has no such
/// attribute, so it is not in the index).
///
/// ```
/// use dynamo_orm::schema::IndexKey;
/// fn scalar<K: IndexKey<Scalar = String>>() {}
/// scalar::<String>();
/// scalar::<Option<String>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB index key attribute",
    label = "index keys must be strings, numbers or binary, or an `Option` of one",
    note = "DynamoDB keys are scalars: S (String, Uuid, dates, unit enums), N (integers, floats, Decimal) or B (Vec<u8>, [u8; N], Bytes); an `Option` of one makes a sparse index, which leaves out the items whose key is `None`"
)]
pub trait IndexKey {
    /// The key's scalar type: `Self`, or `K` for `Option<K>`.
    type Scalar: KeyScalar + Send + Sync;
}

impl<K: KeyScalar + Send + Sync> IndexKey for K {
    type Scalar = K;
}

impl<K: KeyScalar + Send + Sync> IndexKey for Option<K> {
    type Scalar = K;
}

/// A key shape that can be queried: the table's primary key ([`PrimaryIndex`])
/// or a secondary index (the marker types `#[dynamo(gsi(Name, ...))]` generates).
pub trait QueryTarget: Send + Sync + 'static {
    /// The item type this index belongs to.
    type Item: DynamoItem;
    /// The partition key's Rust type.
    type Hash: KeyScalar + Send + Sync;
    /// The sort key's Rust type, or [`NoRange`].
    type Range: Send + Sync;
    /// The index name, `None` for the table itself.
    const INDEX_NAME: Option<&'static str>;
    /// The partition key attribute.
    const HASH_KEY: KeyAttribute;
    /// The sort key attribute.
    const RANGE_KEY: Option<KeyAttribute>;
    /// Whether the index is global (consistent reads are refused on global indexes).
    const GLOBAL: bool;
}

/// A secondary index (marker type generated by the derive).
pub trait Index: QueryTarget {
    /// The index schema.
    const SCHEMA: IndexSchema;
}

/// The `Range` of a [`QueryTarget`] without a sort key: sort key conditions
/// do not compile on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoRange {}

/// A sort key type: every [`KeyScalar`]. The `Range` of a table or index
/// without a sort key is [`NoRange`], which is not one, so sort key conditions
/// (`range_eq`, `range_between`, ...) do not compile there.
///
/// ```
/// use dynamo_orm::schema::SortKey;
/// fn sort_key<R: SortKey>() {}
/// sort_key::<i64>();
/// sort_key::<String>();
/// ```
///
/// ```compile_fail,E0277
/// # use dynamo_orm::schema::SortKey;
/// # fn sort_key<R: SortKey>() {}
/// sort_key::<dynamo_orm::NoRange>(); // this table (or index) has no sort key
/// ```
#[diagnostic::on_unimplemented(
    message = "this table (or index) has no sort key",
    label = "a sort key condition needs a sort key",
    note = "remove the `range_*` condition, or query a table or index that has a sort key (`#[dynamo(range_key)]`, or `range = field` in `gsi(...)` / `lsi(...)`)"
)]
pub trait SortKey: KeyScalar {}

impl<T: KeyScalar> SortKey for T {}

/// The table's own primary key as a [`QueryTarget`].
pub struct PrimaryIndex<T>(std::marker::PhantomData<fn() -> T>);

/// Types with typed attribute paths (`User::FIELDS.address`), generated by the derives.
pub trait HasFields {
    /// The generated `{Type}Fields` struct.
    type Fields: Copy;
    /// Its value.
    const FIELDS: Self::Fields;
}

/// A type that a read from `I` (the table, [`PrimaryIndex`], or a secondary
/// index marker) can produce: the index holds every attribute it needs.
///
/// - `T` from its table;
/// - `T` from a secondary index with projection `all`, or whose projected
///   attributes (the table's keys, the index's keys and the `include` list)
///   cover every *required* field of `T`: every stored field except `Option`s,
///   `default`s, sets (they read empty), the version (it reads 0) — a `flatten`
///   or `with` field is required. The derive implements it per index;
/// - a `#[dynamo(projection_of = T)]` struct from any of `T`'s indexes;
/// - a [`Document`] from anything.
///
/// ```
/// use dynamo_orm::{DynamoItem, PrimaryIndex, ReadableFrom};
///
/// #[derive(DynamoItem)]
/// #[dynamo(table = "users", gsi(ByEmail, hash = email, projection = keys_only))]
/// #[dynamo(gsi(ByCity, hash = city, projection = include(email)))]
/// struct User {
///     #[dynamo(hash_key)]
///     username: String,
///     email: String,
///     city: String,
///     bio: Option<String>,
/// }
///
/// fn readable<P: ReadableFrom<I>, I>() {}
/// readable::<User, PrimaryIndex<User>>();
/// readable::<User, ByCity>(); // keys + email: every required field
/// ```
///
/// ```compile_fail,E0277
/// # use dynamo_orm::{DynamoItem, ReadableFrom};
/// # #[derive(DynamoItem)]
/// # #[dynamo(table = "users", gsi(ByEmail, hash = email, projection = keys_only))]
/// # struct User { #[dynamo(hash_key)] username: String, email: String, city: String }
/// # fn readable<P: ReadableFrom<I>, I>() {}
/// readable::<User, ByEmail>(); // `city` is not in the index
/// ```
#[diagnostic::on_unimplemented(
    message = "index `{I}` does not project every attribute `{Self}` needs",
    label = "`{Self}` cannot be read from `{I}`",
    note = "read a projection: `.project::<P>()` before `.query(..)` / `.scan()`, with a `#[dynamo(projection_of = ...)]` struct of the attributes the index holds (or `Document`, to count or to read attributes by name); or project more into the index (`projection = all`, or `include(...)` the missing fields)"
)]
pub trait ReadableFrom<I> {}

impl<T: DynamoItem> ReadableFrom<PrimaryIndex<T>> for T {}

impl<I> ReadableFrom<I> for Document {}

/// What a read of a table of `T` can return: `T` itself, a struct that reads
/// a subset of `T`'s attributes (`#[dynamo(projection_of = T)]`), or a
/// [`Document`].
pub trait ProjectionOf<T>: AttributeMap + Send + 'static {
    /// Whether it reads every attribute (no projection expression is sent).
    #[doc(hidden)]
    const __FULL: bool = false;
    /// Reads a stored item.
    #[doc(hidden)]
    #[inline]
    fn __decode(item: Item) -> Result<Self, DecodeError> {
        Self::from_map(item)
    }
}

/// `T` projects itself: every attribute, read with `T::from_item`.
impl<T: DynamoItem> ProjectionOf<T> for T {
    const __FULL: bool = true;

    #[inline]
    fn __decode(item: Item) -> Result<Self, DecodeError> {
        T::from_item(item)
    }
}

/// Any table reads as documents (every attribute unless names are chosen).
impl<T> ProjectionOf<T> for crate::document::Document {
    const __FULL: bool = true;

    #[inline]
    fn __decode(item: Item) -> Result<Self, DecodeError> {
        Ok(Self::from(item))
    }
}

impl<T: DynamoItem> QueryTarget for PrimaryIndex<T> {
    type Item = T;
    type Hash = T::HashKey;
    type Range = T::RangeKey;
    const INDEX_NAME: Option<&'static str> = None;
    const HASH_KEY: KeyAttribute = T::SCHEMA.hash_key;
    const RANGE_KEY: Option<KeyAttribute> = T::SCHEMA.range_key;
    const GLOBAL: bool = false;
}

impl<T: HasFields> HasFields for Option<T> {
    type Fields = T::Fields;
    const FIELDS: Self::Fields = T::FIELDS;
}
impl<T: HasFields> HasFields for Box<T> {
    type Fields = T::Fields;
    const FIELDS: Self::Fields = T::FIELDS;
}
