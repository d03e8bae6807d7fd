//! Single-table design: a table declared once ([`TableDef`], derived with
//! `#[derive(DynamoTable)]`), the entity types stored in it ([`Entity`],
//! `#[derive(DynamoItem)]` with `table = App`) with their key templates, and
//! enums of a table's entities ([`Entities`], `#[derive(DynamoEntities)]`).
//!
//! Every entity item carries a discriminator attribute (its entity name) and
//! its key attributes rendered from its fields ([`KeyTemplate`]); a read
//! checks the discriminator before anything else.

use super::template::KeyTemplate;
use super::{DynamoItem, IndexSchema, PrimaryKey, TableSchema};
use crate::AttributeValue;
use crate::Item;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::value::KeyScalar;

/// The discriminator attribute's name unless the table names another
/// (`#[dynamo(discriminator = "...")]` on a `DynamoTable`).
///
/// ```
/// use dynamo_orm::{DynamoTable, TableDef, schema::DEFAULT_DISCRIMINATOR};
/// # #[derive(DynamoTable)] #[dynamo(table = "app")]
/// # struct App { #[dynamo(hash_key)] pk: String }
/// assert_eq!(App::DISCRIMINATOR, DEFAULT_DISCRIMINATOR);
/// ```
pub const DEFAULT_DISCRIMINATOR: &str = "_type";

/// A table shared by several entity types, declared once with
/// `#[derive(DynamoTable)]` on a struct whose fields are the key attributes.
///
/// ```
/// use dynamo_orm::{DynamoTable, TableDef, ScalarType};
///
/// #[derive(DynamoTable)]
/// #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// struct App {
///     #[dynamo(hash_key)]
///     pk: String,
///     #[dynamo(range_key)]
///     sk: String,
///     gsi1pk: String,
///     gsi1sk: String,
/// }
///
/// assert_eq!(App::SCHEMA.table_name, "app");
/// assert_eq!(App::DISCRIMINATOR, "_type");
/// assert_eq!(App::SCHEMA.indexes[0].hash_key.scalar_type, ScalarType::S);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a table declared with `#[derive(DynamoTable)]`",
    label = "not a declared table",
    note = "an entity names its table with `#[dynamo(table = App)]`, where `App` derives `DynamoTable`; a plain table name is a string: `#[dynamo(table = \"users\")]`"
)]
pub trait TableDef: Send + Sync + 'static {
    /// The table: name, keys, indexes, billing.
    const SCHEMA: TableSchema;
    /// The attribute holding each item's entity name.
    const DISCRIMINATOR: &'static str;
    /// The attribute names the table writes on every entity item: its key
    /// attributes, its indexes' and the discriminator. An entity field may
    /// not be stored under one of them.
    const RESERVED: &'static [&'static str];
    /// The raw key (`{Table}Key`, the key attributes as stored).
    type Key: PrimaryKey;
    /// The partition key's Rust type.
    type HashKey: KeyScalar + Send + Sync;
    /// The sort key's Rust type, or [`NoRange`](super::NoRange).
    type RangeKey: Send + Sync;
}

/// An index of a declared table: the marker types `gsi(Gsi1, ...)` and
/// `lsi(...)` of a `#[derive(DynamoTable)]` generate.
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)]
/// # #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String, gsi1pk: String, gsi1sk: String }
/// # #[derive(DynamoItem, Debug, PartialEq)]
/// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
/// # struct Order { username: String, order_id: String, status: String }
/// use dynamo_orm::{IndexKind, TableIndex};
/// assert_eq!(Gsi1::SCHEMA.name, "Gsi1");
/// assert_eq!(Gsi1::SCHEMA.kind, IndexKind::Global);
/// assert_eq!(Gsi1::SCHEMA.hash_key.name, "gsi1pk");
/// ```
pub trait TableIndex: Send + Sync + 'static {
    /// The table it belongs to.
    type Table: TableDef;
    /// The index.
    const SCHEMA: IndexSchema;
}

/// The key of a table itself, as an index of entity templates:
/// `EntityIndex<Primary>` holds an entity's `key(hash = .., range = ..)`.
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)]
/// # #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String, gsi1pk: String, gsi1sk: String }
/// # #[derive(DynamoItem, Debug, PartialEq)]
/// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
/// # struct Order { username: String, order_id: String, status: String }
/// use dynamo_orm::{EntityIndex, Primary};
/// assert_eq!(<Order as EntityIndex<Primary>>::HASH.attribute, "pk");
/// assert_eq!(<Order as EntityIndex<Primary>>::INDEX_NAME, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primary {}

/// `Self` is an index of table `T` (generated for each index marker).
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)]
/// # #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String, gsi1pk: String, gsi1sk: String }
/// # #[derive(DynamoItem, Debug, PartialEq)]
/// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
/// # struct Order { username: String, order_id: String, status: String }
/// fn index_of<I: dynamo_orm::IndexOf<App>>() {}
/// index_of::<Gsi1>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an index of table `{T}`",
    label = "not declared on `{T}`",
    note = "an entity's `index(Marker, ...)` names an index marker of its own table: declare it there with `#[dynamo(gsi(Marker, hash = .., range = ..))]`"
)]
pub trait IndexOf<T> {}

/// An index that holds every attribute of the items in it (`projection =
/// all`, the default), so whole entities can be read from it.
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)]
/// # #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String, gsi1pk: String, gsi1sk: String }
/// # #[derive(DynamoItem, Debug, PartialEq)]
/// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
/// # struct Order { username: String, order_id: String, status: String }
/// fn whole<I: dynamo_orm::AllAttributes>() {}
/// whole::<Gsi1>(); // `projection = all`, the default
/// ```
#[diagnostic::on_unimplemented(
    message = "index `{Self}` does not project every attribute, so whole entities cannot be read from it",
    label = "`{Self}` projects only some attributes",
    note = "declare the index with `projection = all` on the table, or read it as documents: `Table::<Document>::for_table::<..>(client).query(..).index(..)`"
)]
pub trait AllAttributes {}

/// The role of a templated key attribute.
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)]
/// # #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String, gsi1pk: String, gsi1sk: String }
/// # #[derive(DynamoItem, Debug, PartialEq)]
/// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
/// # struct Order { username: String, order_id: String, status: String }
/// use dynamo_orm::{Entity, schema::KeyRole};
/// assert_eq!(Order::ENTITY.keys[1].role, KeyRole::Sort);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRole {
    /// A partition (hash) key.
    Partition,
    /// A sort (range) key.
    Sort,
}

/// One key attribute of an entity: where it is stored and its template.
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)]
/// # #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String, gsi1pk: String, gsi1sk: String }
/// # #[derive(DynamoItem, Debug, PartialEq)]
/// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
/// # struct Order { username: String, order_id: String, status: String }
/// use dynamo_orm::Entity;
/// let gsi1pk = Order::ENTITY.keys[2];
/// assert_eq!((gsi1pk.attribute, gsi1pk.index), ("gsi1pk", Some("Gsi1")));
/// assert_eq!(gsi1pk.template.text, "STATUS#{status}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TemplatedKey {
    /// The key attribute's name in the table (`pk`, `gsi1sk`).
    pub attribute: &'static str,
    /// The index it keys, `None` for the table's own key.
    pub index: Option<&'static str>,
    /// Partition or sort key.
    pub role: KeyRole,
    /// How its value is made from the entity's fields.
    pub template: KeyTemplate,
}

/// What the derive generates for an entity: its name, the discriminator
/// attribute and every templated key attribute.
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)]
/// # #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String, gsi1pk: String, gsi1sk: String }
/// # #[derive(DynamoItem, Debug, PartialEq)]
/// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
/// # struct Order { username: String, order_id: String, status: String }
/// use dynamo_orm::{Entity, Item, AttributeValue};
/// let schema = Order::ENTITY;
/// assert_eq!((schema.name, schema.discriminator), ("Order", "_type"));
/// let mut item: Item = [
///     ("username".to_string(), AttributeValue::S("ann".into())),
///     ("order_id".to_string(), AttributeValue::S("o1".into())),
///     ("status".to_string(), AttributeValue::S("placed".into())),
/// ].into();
/// schema.write_keys(&mut item)?;
/// assert_eq!(item["gsi1pk"], AttributeValue::S("STATUS#placed".into()));
/// schema.check(&item)?;
/// assert_eq!(schema.parse_key(&item)?["order_id"], AttributeValue::S("o1".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntitySchema {
    /// The entity name stored in the discriminator (`"Order"`).
    pub name: &'static str,
    /// The discriminator attribute.
    pub discriminator: &'static str,
    /// The table's key attributes first (hash, then range), then the indexes'.
    pub keys: &'static [TemplatedKey],
}

impl EntitySchema {
    /// The templated keys of the table itself.
    pub fn primary(&self) -> impl Iterator<Item = &TemplatedKey> {
        self.keys.iter().filter(|k| k.index.is_none())
    }

    /// The attribute names this entity writes besides its fields: the
    /// discriminator and every templated key.
    pub fn written_names(&self, out: &mut Vec<&'static str>) {
        out.push(self.discriminator);
        out.extend(self.keys.iter().map(|k| k.attribute));
    }

    /// Adds the discriminator and every key attribute to an item holding the
    /// entity's fields. An index key whose fields are absent (`None`) is left
    /// out, so the item is not in that index.
    ///
    /// # Errors
    /// A table key whose field is absent, or a field value that is not a
    /// string or a number.
    pub fn write_keys(&self, item: &mut Item) -> Result<(), EncodeError> {
        let mut rendered: Vec<(&'static str, AttributeValue)> = Vec::with_capacity(self.keys.len());
        for key in self.keys {
            match key.template.render(|name| item.get(name))? {
                Some(value) => rendered.push((key.attribute, value)),
                None if key.index.is_none() => {
                    return Err(EncodeError::invalid(format!(
                        "the key template {:?} of `{}` has an absent field",
                        key.template.text, self.name
                    ))
                    .in_field(key.attribute));
                }
                None => {}
            }
        }
        item.insert(
            self.discriminator.to_owned(),
            AttributeValue::S(self.name.to_owned()),
        );
        for (attribute, value) in rendered {
            item.insert(attribute.to_owned(), value);
        }
        Ok(())
    }

    /// The table key attributes rendered from the key's fields (`args`, by
    /// attribute name).
    ///
    /// # Errors
    /// As [`write_keys`](Self::write_keys).
    pub fn key_item(&self, args: &Item) -> Result<Item, EncodeError> {
        let mut out = Item::with_capacity(2);
        for key in self.primary() {
            match key.template.render(|name| args.get(name))? {
                Some(value) => {
                    out.insert(key.attribute.to_owned(), value);
                }
                None => {
                    return Err(EncodeError::invalid(format!(
                        "the key template {:?} of `{}` has an absent field",
                        key.template.text, self.name
                    ))
                    .in_field(key.attribute));
                }
            }
        }
        Ok(out)
    }

    /// The key's fields (by attribute name) parsed from the table key
    /// attributes of `key`.
    ///
    /// # Errors
    /// A missing key attribute, or one this entity's templates cannot have
    /// rendered.
    pub fn parse_key(&self, key: &Item) -> Result<Item, DecodeError> {
        let mut args = Item::with_capacity(2);
        for k in self.primary() {
            let value = key
                .get(k.attribute)
                .ok_or_else(|| DecodeError::missing(k.attribute))?;
            k.template
                .parse(value, &mut args)
                .map_err(|e| e.in_field(k.attribute))?;
        }
        Ok(args)
    }

    /// Refuses an item whose discriminator is not this entity's, naming the
    /// item's key and the entity it holds.
    ///
    /// # Errors
    /// [`DecodeErrorKind::WrongEntity`].
    pub fn check(&self, item: &Item) -> Result<(), DecodeError> {
        match item.get(self.discriminator) {
            Some(AttributeValue::S(found)) if found == self.name => Ok(()),
            found => Err(wrong_entity(
                self.discriminator,
                self.name,
                found,
                item,
                self,
            )),
        }
    }
}

/// The key attributes of `item` (the table's, as the entity's templates name
/// them), for messages.
fn key_attributes(item: &Item, keys: impl Iterator<Item = &'static str>) -> Item {
    keys.filter_map(|name| item.get(name).map(|v| (name.to_owned(), v.clone())))
        .collect()
}

#[cold]
fn wrong_entity(
    discriminator: &str,
    expected: &'static str,
    found: Option<&AttributeValue>,
    item: &Item,
    schema: &EntitySchema,
) -> DecodeError {
    let key = key_attributes(item, schema.primary().map(|k| k.attribute));
    DecodeError::new(DecodeErrorKind::WrongEntity {
        expected,
        found: found_entity(found),
    })
    .in_field(discriminator)
    .with_key(key)
}

fn found_entity(found: Option<&AttributeValue>) -> Option<String> {
    match found {
        Some(AttributeValue::S(name)) => Some(name.clone()),
        Some(other) => Some(format!("<{}>", crate::value::type_name(other))),
        None => None,
    }
}

/// An entity type of a shared table: `#[derive(DynamoItem)]` with
/// `#[dynamo(table = App, entity = "Order")]` and key templates.
///
/// ```
/// use dynamo_orm::{DynamoItem, DynamoTable, Entity};
///
/// #[derive(DynamoTable)]
/// #[dynamo(table = "app")]
/// struct App {
///     #[dynamo(hash_key)]
///     pk: String,
///     #[dynamo(range_key)]
///     sk: String,
/// }
///
/// #[derive(DynamoItem, Debug, PartialEq)]
/// #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// struct Order {
///     username: String,
///     order_id: String,
///     total: u64,
/// }
///
/// let order = Order { username: "alice".into(), order_id: "o1".into(), total: 3 };
/// let item = order.to_item()?;
/// assert_eq!(item["pk"].as_s().unwrap(), "USER#alice");
/// assert_eq!(item["sk"].as_s().unwrap(), "ORDER#o1");
/// assert_eq!(item["_type"].as_s().unwrap(), "Order");
/// assert_eq!(Order::ENTITY.name, "Order");
/// assert_eq!(Order::from_item(item)?, order);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Entity: DynamoItem {
    /// The table it is stored in (a [`TableDef`]).
    type Table;
    /// Its name, discriminator and key templates.
    const ENTITY: EntitySchema;
}

/// `Self` is an entity of table `T` (generated for each entity).
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)]
/// # #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String, gsi1pk: String, gsi1sk: String }
/// # #[derive(DynamoItem, Debug, PartialEq)]
/// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
/// # struct Order { username: String, order_id: String, status: String }
/// fn entity_of<E: dynamo_orm::EntityOf<App>>() {}
/// entity_of::<Order>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an entity of table `{T}`",
    label = "not stored in `{T}`",
    note = "a `DynamoEntities` enum holds entities of its own table: each variant's type derives `DynamoItem` with `#[dynamo(table = {T})]` (or the variant is `#[dynamo(other)] Other(Document)`)"
)]
pub trait EntityOf<T> {}

/// The key templates of entity `Self` on index `I` (a table index marker,
/// or [`Primary`] for the table's own key), and the generated structs of the
/// fields a query gives: `Partition` (the partition key template's fields)
/// and `Sort` (the sort key template's).
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)]
/// # #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String, gsi1pk: String, gsi1sk: String }
/// # #[derive(DynamoItem, Debug, PartialEq)]
/// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
/// # struct Order { username: String, order_id: String, status: String }
/// use dynamo_orm::EntityIndex;
/// assert_eq!(<Order as EntityIndex<Gsi1>>::INDEX_NAME, Some("Gsi1"));
/// assert_eq!(<Order as EntityIndex<Gsi1>>::HASH.template.text, "STATUS#{status}");
/// let partition: <Order as EntityIndex<Gsi1>>::Partition = "placed".into();
/// assert_eq!(partition, OrderGsi1Partition { status: "placed".into() });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no key templates for index `{I}`",
    label = "no `index({I}, ...)` on `{Self}`",
    note = "give the entity its keys on that index: `#[dynamo(index({I}, hash = \"...\", range = \"...\"))]`"
)]
pub trait EntityIndex<I>: Entity {
    /// The fields of the partition key template (`{Entity}Partition`,
    /// `{Entity}{Index}Partition`).
    type Partition: KeyArgs;
    /// The fields of the sort key template, or [`NoSort`].
    type Sort: KeyArgs;
    /// The index name, `None` for the table itself.
    const INDEX_NAME: Option<&'static str>;
    /// Whether the index is global (no consistent reads).
    const GLOBAL: bool;
    /// The partition key attribute and template.
    const HASH: TemplatedKey;
    /// The sort key attribute and template.
    const RANGE: Option<TemplatedKey>;
}

/// The generated structs of template fields (`OrderPartition`, `OrderSort`):
/// what a query's partition or sort key is rendered from.
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)]
/// # #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String, gsi1pk: String, gsi1sk: String }
/// # #[derive(DynamoItem, Debug, PartialEq)]
/// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
/// # struct Order { username: String, order_id: String, status: String }
/// use dynamo_orm::{AttributeValue, Item, KeyArgs};
/// fn args<A: KeyArgs>(_: &A) {}
/// args(&Order::partition("ann"));
/// args(&OrderSort::from("o1"));
/// ```
pub trait KeyArgs: Send + 'static {
    /// Writes the fields, by attribute name, into `out`.
    #[doc(hidden)]
    fn __write_args(&self, out: &mut Item) -> Result<(), EncodeError>;
}

/// A partition of entity `Self::Entity` on index `I`: what
/// `query_collection` and `query_collection_index` take.
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)]
/// # #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String, gsi1pk: String, gsi1sk: String }
/// # #[derive(DynamoItem, Debug, PartialEq)]
/// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
/// # struct Order { username: String, order_id: String, status: String }
/// use dynamo_orm::{PartitionOf, Primary};
/// fn partition<P: PartitionOf<Primary, Entity = Order>>(_: P) {}
/// partition(Order::partition("ann"));
/// ```
pub trait PartitionOf<I>: KeyArgs {
    /// The entity whose template it fills.
    type Entity: EntityIndex<I, Partition = Self>;
}

/// The fields of a sort key template (every generated `Sort` struct). A sort
/// key condition on an index without a sort key template ([`NoSort`]) does
/// not compile:
///
/// ```compile_fail,E0277
/// # use dynamo_orm::{DynamoItem, DynamoTable, Table};
/// # #[derive(DynamoTable)] #[dynamo(table = "app")]
/// # struct App { #[dynamo(hash_key)] pk: String }
/// #[derive(DynamoItem)]
/// #[dynamo(table = App, key(hash = "USER#{username}"))]
/// struct User { username: String }
/// # fn demo(users: Table<User>) {
/// let _ = users.query_partition("ann").sk_eq("x"); // the table has no sort key
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "this index has no sort key template",
    label = "a sort key condition needs a sort key",
    note = "remove the `sk_*` condition, or give the entity a sort key template on this index (`range = \"...\"`)"
)]
pub trait SortArgs: KeyArgs {
    /// `Self`: what the sort key conditions (`sk_eq`, `sk_between`, ...)
    /// convert their argument into. Named through this trait so that, on an
    /// index without a sort key template ([`NoSort`]), a condition is one
    /// error about the missing template.
    type Fields: KeyArgs;
}

/// The `Sort` of an index without a sort key template: sort key conditions
/// do not compile on it.
///
/// ```
/// # use dynamo_orm::{DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)] #[dynamo(table = "app")]
/// # struct App { #[dynamo(hash_key)] pk: String }
/// #[derive(DynamoItem)]
/// #[dynamo(table = App, key(hash = "USER#{username}"))]
/// struct User { username: String }
/// fn no_sort<T: dynamo_orm::EntityIndex<dynamo_orm::Primary, Sort = dynamo_orm::NoSort>>() {}
/// no_sort::<User>();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoSort {}

impl KeyArgs for NoSort {
    fn __write_args(&self, _out: &mut Item) -> Result<(), EncodeError> {
        match *self {}
    }
}

/// An enum of a table's entities (`#[derive(DynamoEntities)]`): reads any
/// item of the table, by its discriminator.
///
/// ```
/// # use dynamo_orm::{DynamoEntities, DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)] #[dynamo(table = "app")]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
/// # #[derive(DynamoItem)] #[dynamo(table = App, key(hash = "USER#{username}", range = "PROFILE"))]
/// # struct User { username: String, #[dynamo(version)] version: u64 }
/// # #[derive(DynamoItem)] #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # struct Order { username: String, order_id: String }
/// #[derive(DynamoEntities)]
/// #[dynamo(table = App)]
/// enum AppItem { User(User), Order(Order) }
/// use dynamo_orm::Entities;
/// let names: Vec<&str> = AppItem::COLLECTION.entities.iter().map(|e| e.name).collect();
/// assert_eq!(names, ["User", "Order"]);
/// let groups: AppItemGroups = Default::default();
/// assert!(groups.user.is_empty() && groups.order.is_empty());
/// ```
pub trait Entities: DynamoItem {
    /// The table (a [`TableDef`]).
    type Table;
    /// The generated struct of one `Vec` per variant (`{Enum}Groups`).
    type Groups: Default + Extend<Self> + Send + 'static;
    /// Its variants' entities.
    const COLLECTION: CollectionSchema;
}

/// One entity of a [`CollectionSchema`].
///
/// ```
/// # use dynamo_orm::{DynamoEntities, DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)] #[dynamo(table = "app")]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
/// # #[derive(DynamoItem)] #[dynamo(table = App, key(hash = "USER#{username}", range = "PROFILE"))]
/// # struct User { username: String, #[dynamo(version)] version: u64 }
/// # #[derive(DynamoItem)] #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # struct Order { username: String, order_id: String }
/// #[derive(DynamoEntities)]
/// #[dynamo(table = App)]
/// enum AppItem { User(User), Order(Order) }
/// use dynamo_orm::Entities;
/// let user = AppItem::COLLECTION.entities[0];
/// assert_eq!((user.name, user.version_attribute), ("User", Some("version")));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CollectionEntity {
    /// The entity name.
    pub name: &'static str,
    /// Its version attribute, when it has one.
    pub version_attribute: Option<&'static str>,
}

/// What the derive generates for a `DynamoEntities` enum.
///
/// ```
/// # use dynamo_orm::{DynamoEntities, DynamoItem, DynamoTable};
/// # #[derive(DynamoTable)] #[dynamo(table = "app")]
/// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
/// # #[derive(DynamoItem)] #[dynamo(table = App, key(hash = "USER#{username}", range = "PROFILE"))]
/// # struct User { username: String, #[dynamo(version)] version: u64 }
/// # #[derive(DynamoItem)] #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// # struct Order { username: String, order_id: String }
/// #[derive(DynamoEntities)]
/// #[dynamo(table = App)]
/// enum AppItem { User(User), Order(Order) }
/// use dynamo_orm::{Entities, AttributeValue, Item};
/// let schema = AppItem::COLLECTION;
/// assert_eq!(schema.versioned().map(|e| e.name), Some("User"));
/// let item: Item = [("_type".to_string(), AttributeValue::S("Order".into()))].into();
/// assert_eq!(schema.entity_of(&item, &<App as dynamo_orm::TableDef>::SCHEMA)?, Some("Order"));
/// # Ok::<(), dynamo_orm::DecodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CollectionSchema {
    /// The enum's name.
    pub name: &'static str,
    /// The discriminator attribute.
    pub discriminator: &'static str,
    /// The entities of its variants.
    pub entities: &'static [CollectionEntity],
    /// Whether an `other` variant keeps items of unknown entities.
    pub keeps_others: bool,
}

impl CollectionSchema {
    /// The entity name stored in `item`.
    ///
    /// # Errors
    /// [`DecodeErrorKind::UnknownEntity`] naming the item's key (`keys`) when the
    /// item has no entity name, or one of no variant and no `other` variant.
    pub fn entity_of<'i>(
        &self,
        item: &'i Item,
        keys: &TableSchema,
    ) -> Result<Option<&'i str>, DecodeError> {
        let found = item.get(self.discriminator);
        if let Some(AttributeValue::S(name)) = found
            && self.entities.iter().any(|e| e.name == name)
        {
            return Ok(Some(name));
        }
        if self.keeps_others {
            return Ok(None);
        }
        let key = key_attributes(
            item,
            std::iter::once(keys.hash_key.name).chain(keys.range_key.map(|k| k.name)),
        );
        Err(DecodeError::new(DecodeErrorKind::UnknownEntity {
            collection: self.name,
            found: found_entity(found),
        })
        .in_field(self.discriminator)
        .with_key(key))
    }

    /// The first entity with a version attribute.
    pub fn versioned(&self) -> Option<&CollectionEntity> {
        self.entities.iter().find(|e| e.version_attribute.is_some())
    }
}

/// What a [`DynamoItem`] is, for the operation core: a single type, an
/// entity of a shared table, or an enum of a table's entities.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum ItemKind {
    /// One struct, one table.
    Single,
    /// An entity of a shared table.
    Entity(&'static EntitySchema),
    /// An enum of a table's entities.
    Collection(&'static CollectionSchema),
}
