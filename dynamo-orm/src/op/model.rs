//! [`Model`]: what a [`Table<T>`](crate::Table) holds — a derived item type or a
//! [`Document`] — as the operation core sees it: how to encode and decode it,
//! name its key, and read and bump its version.
//!
//! Typed tables and `Table<Document>` run the same builders; only this trait
//! differs between them.

use crate::document::Document;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Error, Result};
use crate::expr::{Condition, Update};
use crate::limits::check_key_value;
use crate::op::entity;
use crate::op::target::KeyNames;
use crate::schema::{DynamoItem, ItemKind, PrimaryKey, ProjectionOf};
use crate::{AttributeValue, Item};

mod sealed {
    pub trait Sealed {}
    impl<T: crate::schema::DynamoItem> Sealed for T {}
    impl Sealed for crate::document::Document {}
}

/// What a [`Table<T>`](crate::Table) holds: a type deriving
/// [`DynamoItem`] (a single type, an entity of a shared
/// table, or an enum of a table's entities), or [`Document`] for tables
/// without a Rust schema. Implemented by the library; the methods are the
/// operation core's.
///
/// ```
/// use dynamo_orm::{Document, DynamoItem, Model};
/// # #[derive(DynamoItem)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// fn holds<T: Model>() {}
/// holds::<User>();
/// holds::<Document>();
/// ```
pub trait Model: sealed::Sealed + ProjectionOf<Self> + Send + Sync + Sized + 'static {
    /// What `get`, `delete` and `update` take to name one item: the derived
    /// `{Type}Key`, or a `Document` holding the key attributes.
    type Key: Clone + Send + Sync + 'static;

    #[doc(hidden)]
    fn __encode(&self) -> Result<Item, EncodeError>;

    /// The key attributes of `key`, refused when one is missing or empty.
    #[doc(hidden)]
    fn __key_item(key: &Self::Key, keys: &KeyNames) -> Result<Item>;

    /// This item's key.
    #[doc(hidden)]
    fn __key_of(&self, keys: &KeyNames) -> Result<Self::Key>;

    /// The item's version, read from `attribute` (the table's version
    /// attribute); `None` when the table has none.
    #[doc(hidden)]
    fn __version(&self, attribute: Option<&str>) -> Result<Option<u64>>;

    /// Stores a new version in the item after a successful versioned write.
    #[doc(hidden)]
    fn __set_version(&mut self, attribute: &str, version: u64) -> Result<()>;

    /// The largest version the item can hold.
    #[doc(hidden)]
    fn __version_max() -> u64;

    /// The top-level attributes the type can write (for an overwrite, the
    /// ones to remove when the item leaves them out); empty when unknown.
    #[doc(hidden)]
    fn __attribute_names(_out: &mut Vec<&'static str>) {}

    /// What an update of the item at `key` adds to keep derived attributes
    /// in step (an entity's index keys and, for an upsert, its discriminator
    /// and key fields), and the condition it adds; an error for an update
    /// that cannot keep them in step.
    #[doc(hidden)]
    fn __derived_update(
        _update: &Update,
        _key: &Item,
        _upsert: bool,
    ) -> Result<(Update, Option<Condition>)> {
        Ok((Update::new(), None))
    }

    /// The condition a put of this item adds: an entity's item replaces
    /// nothing but an item of its own entity (or none).
    #[doc(hidden)]
    fn __write_condition(&self) -> Option<Condition> {
        None
    }

    /// The condition a delete by key adds: an entity's delete removes
    /// nothing but an item of its own entity.
    #[doc(hidden)]
    fn __key_write_condition() -> Option<Condition> {
        None
    }

    /// The filter every read of this type's table adds: an entity's
    /// discriminator, so a scan or query of `Table<Order>` reads orders only.
    #[doc(hidden)]
    fn __read_filter() -> Option<Condition> {
        None
    }

    /// The key attributes of a delete by key, refused when the delete would
    /// skip a version check the table cannot see (an enum of entities, one of
    /// which is versioned).
    #[doc(hidden)]
    fn __delete_key(key: &Self::Key, keys: &KeyNames) -> Result<Item> {
        Self::__key_item(key, keys)
    }
}

/// `filter` with the filter every read of `T`'s table adds (an entity's
/// discriminator) in front of it.
pub(crate) fn with_read_filter<T: Model>(filter: Option<Condition>) -> Option<Condition> {
    match (T::__read_filter(), filter) {
        (Some(own), Some(caller)) => Some(own & caller),
        (own, caller) => own.or(caller),
    }
}

/// Refuses a key whose key attributes are missing or empty.
pub(crate) fn check_key(item: &Item, keys: &KeyNames) -> Result<()> {
    for name in keys.iter() {
        check_key_value(name, item.get(name))?;
    }
    Ok(())
}

impl<T: DynamoItem> Model for T {
    type Key = T::Key;

    #[inline]
    fn __encode(&self) -> Result<Item, EncodeError> {
        self.to_item()
    }

    #[inline]
    fn __key_item(key: &T::Key, keys: &KeyNames) -> Result<Item> {
        let item = key.to_key_item()?;
        check_key(&item, keys)?;
        Ok(item)
    }

    #[inline]
    fn __key_of(&self, _keys: &KeyNames) -> Result<T::Key> {
        Ok(self.key())
    }

    #[inline]
    fn __version(&self, _attribute: Option<&str>) -> Result<Option<u64>> {
        // Every write of a whole item reads its version first: this is where
        // an enum of entities refuses a versioned variant.
        self.__check_writable()?;
        match T::SCHEMA.version_attribute {
            Some(_) => Ok(Some(item_version(self)?)),
            None => Ok(None),
        }
    }

    #[inline]
    fn __set_version(&mut self, _attribute: &str, version: u64) -> Result<()> {
        set_item_version(self, version)
    }

    fn __version_max() -> u64 {
        version_max::<T>()
    }

    fn __attribute_names(out: &mut Vec<&'static str>) {
        T::attribute_names(out);
        if let ItemKind::Entity(schema) = T::__KIND {
            schema.written_names(out);
        }
    }

    fn __derived_update(
        update: &Update,
        key: &Item,
        upsert: bool,
    ) -> Result<(Update, Option<Condition>)> {
        match T::__KIND {
            ItemKind::Single => Ok((Update::new(), None)),
            ItemKind::Entity(schema) => entity::derived_update(schema, update, key, upsert),
            ItemKind::Collection(collection) => Err(entity::collection_update(collection)),
        }
    }

    fn __write_condition(&self) -> Option<Condition> {
        self.__entity().map(entity::write_condition)
    }

    fn __key_write_condition() -> Option<Condition> {
        match T::__KIND {
            ItemKind::Entity(schema) => Some(entity::write_condition(schema)),
            ItemKind::Single | ItemKind::Collection(_) => None,
        }
    }

    fn __read_filter() -> Option<Condition> {
        match T::__KIND {
            ItemKind::Entity(schema) => Some(entity::read_filter(schema)),
            ItemKind::Single | ItemKind::Collection(_) => None,
        }
    }

    fn __delete_key(key: &T::Key, keys: &KeyNames) -> Result<Item> {
        if let ItemKind::Collection(collection) = T::__KIND {
            entity::collection_delete(collection)?;
        }
        Self::__key_item(key, keys)
    }
}

impl Model for Document {
    type Key = Document;

    fn __encode(&self) -> Result<Item, EncodeError> {
        Ok(self.as_item().clone())
    }

    fn __key_item(key: &Document, keys: &KeyNames) -> Result<Item> {
        let mut item = Item::with_capacity(2);
        for name in keys.iter() {
            let value = key.as_item().get(name);
            check_key_value(name, value)?;
            if let Some(v) = value {
                item.insert(name.to_owned(), v.clone());
            }
        }
        Ok(item)
    }

    fn __key_of(&self, keys: &KeyNames) -> Result<Document> {
        Self::__key_item(self, keys).map(Document::from)
    }

    fn __version(&self, attribute: Option<&str>) -> Result<Option<u64>> {
        let Some(attribute) = attribute else {
            return Ok(None);
        };
        match self.as_item().get(attribute) {
            None | Some(AttributeValue::Null(_)) => Ok(Some(0)),
            Some(AttributeValue::N(n)) => n.parse::<u64>().map(Some).map_err(|_| {
                Error::Decode(
                    DecodeError::new(DecodeErrorKind::InvalidNumber {
                        value: n.clone(),
                        target: "a version (a whole number from 0)",
                    })
                    .in_field(attribute),
                )
            }),
            Some(other) => Err(Error::Decode(
                DecodeError::type_mismatch("N", other).in_field(attribute),
            )),
        }
    }

    fn __set_version(&mut self, attribute: &str, version: u64) -> Result<()> {
        let item: &mut Item = self;
        item.insert(
            attribute.to_owned(),
            AttributeValue::N(itoa::Buffer::new().format(version).to_owned()),
        );
        Ok(())
    }

    fn __version_max() -> u64 {
        u64::MAX
    }
}

// The version accessors of derived items, in one place.
fn item_version<T: DynamoItem>(item: &T) -> Result<u64> {
    Ok(item.version()?)
}

fn set_item_version<T: DynamoItem>(item: &mut T, version: u64) -> Result<()> {
    Ok(item.set_version(version)?)
}

fn version_max<T: DynamoItem>() -> u64 {
    T::VERSION_MAX
}
