//! Derive macros of [`dynamo-orm`](https://docs.rs/dynamo-orm): `#[derive(DynamoItem)]`
//! for table items and `#[derive(DynamoAttribute)]` for values stored inside them;
//! for single-table design, `#[derive(DynamoTable)]` declares a shared table,
//! `#[derive(DynamoItem)]` with `table = App` makes an entity of it, and
//! `#[derive(DynamoEntities)]` an enum of its entities.
//!
//! Do not depend on this crate: use the macros through `dynamo_orm::{DynamoItem,
//! DynamoAttribute, DynamoTable, DynamoEntities}`, which re-exports them at the
//! matching version.
//!
//! The macro works in four stages, one file each: `attr` parses `#[dynamo(...)]`,
//! `ast` builds the typed model, `check` applies the cross-field rules (reporting
//! every mistake at once, each at its own token) and `expand` writes the code,
//! one module per generated artifact. On error, each artifact emits a
//! placeholder beside the errors so that one mistake gives one error.

mod ast;
mod attr;
mod case;
mod check;
mod ctxt;
mod expand;
mod template;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Stores a struct as a DynamoDB item: its table schema, a typed key, typed
/// attribute paths, index markers and single-pass conversions.
///
/// ```
/// use std::collections::HashSet;
/// use dynamo_orm::{AttributeValue, DynamoAttribute, DynamoItem, Index, PrimaryKey};
///
/// #[derive(DynamoAttribute, Debug, Clone, PartialEq)]
/// struct Address {
///     city: String,
///     zip: Option<String>,
/// }
///
/// #[derive(DynamoItem, Debug, Clone, PartialEq)]
/// #[dynamo(table = "users", rename_all = "camelCase")]
/// #[dynamo(gsi(ByEmail, hash = email, projection = keys_only))]
/// #[dynamo(lsi(ByScore, range = score, name = "score-index"))]
/// struct User {
///     #[dynamo(hash_key)]
///     username: String,
///     #[dynamo(range_key)]
///     date_joined: i64,
///     email: String,
///     score: u32,
///     address: Option<Address>,
///     tags: HashSet<String>,
///     #[dynamo(rename = "nick")]
///     nickname: Option<String>,
///     #[dynamo(default)]
///     login_count: u64,
///     #[dynamo(version)]
///     version: u64,
///     #[dynamo(skip)]
///     session: Option<String>,
/// }
///
/// let user = User {
///     username: "john".into(),
///     date_joined: 1366056668,
///     email: "john@example.com".into(),
///     score: 7,
///     address: Some(Address { city: "Oslo".into(), zip: None }),
///     tags: HashSet::new(),
///     nickname: None,
///     login_count: 0,
///     version: 1,
///     session: None,
/// };
/// let item = user.to_item()?;
/// assert_eq!(item["dateJoined"], AttributeValue::N("1366056668".into()));
/// assert!(!item.contains_key("nick") && !item.contains_key("tags")); // absent values are left out
/// assert_eq!(User::from_item(item)?, user);
///
/// assert_eq!(User::SCHEMA.table_name, "users");
/// assert_eq!(User::SCHEMA.version_attribute, Some("version"));
/// assert_eq!(ByScore::SCHEMA.name, "score-index");
/// assert_eq!(user.key(), User::key("john", 1366056668));
/// assert_eq!(user.key().to_key_item()?.len(), 2);
/// assert_eq!(User::FIELDS.address.at(|a| a.city).to_string(), "address.city");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # What it generates
///
/// For `struct User` (`pub` items get the struct's visibility):
///
/// | item | what it is |
/// | --- | --- |
/// | `impl DynamoItem for User` | `SCHEMA` (table name, keys, indexes, version and TTL attributes), `key()`, `to_item()` / `from_item()`, `version()` / `set_version()` / `VERSION_MAX` |
/// | `impl AttributeMap`, `IntoAttribute`, `FromAttribute` | the conversions; reading an owned item is a single pass that moves strings out, and `User` also nests inside other items as a map. `ATTRIBUTE_NAMES` lists the stored names, flattened ones included. A write never replaces an attribute already in the map: it fails, naming it |
/// | `pub struct UserKey { username, date_joined }` | the primary key (`Debug`, `Clone`, `PartialEq`, and `Eq` + `Hash` when every key type has them: not for an `f64` key), with `UserKey::new(..)`, `From<(hash, range)>` (or `From<hash>`) and `PrimaryKey` |
/// | `User::key(hash, range) -> UserKey` | builds a key; a `String` part takes `impl Into<String>`, other parts their own type. Renamed with `key_fn = ...` when the type has a `key` method of its own |
/// | `pub struct UserFields`, `User::FIELDS` | typed attribute paths (`User::FIELDS.email` is a `Field<String>`) for conditions and updates; the table's key fields are `Field<V, Key>`, which conditions read and updates refuse; `HasFields` |
/// | `pub struct ByEmail;` per index | a marker type with `QueryTarget` and `Index` impls, for `.index::<ByEmail>()`; `User: ReadableFrom<ByEmail>` when the index projects every attribute `User` needs (see [`ReadableFrom`](https://docs.rs/dynamo-orm/latest/dynamo_orm/schema/trait.ReadableFrom.html)) |
///
/// The impls sit in a `const _: () = { ... };` block and name everything by absolute
/// path, so shadowed prelude names (`Result`, `Option`, `String`, ...) do not matter.
///
/// # Struct attributes
///
/// Written `#[dynamo(...)]` on the struct; may be split over several attributes.
///
/// | attribute | meaning |
/// | --- | --- |
/// | `table = "name"` | the table name. **Default: the type name in snake_case** (`UserProfile` → `user_profile`, `HTTPLog` → `http_log`). Must be 3 to 255 characters of `A-Z a-z 0-9 _ . -`, checked at compile time. |
/// | `rename_all = "..."` | stored names of the fields: `"camelCase"`, `"snake_case"`, `"PascalCase"`, `"SCREAMING_SNAKE_CASE"`, `"kebab-case"`, `"lowercase"`, `"UPPERCASE"`. A field's `rename` wins. |
/// | `gsi(Marker, hash = field, range = field, name = "...", projection = ...)` | a global secondary index. `hash` is required, `range` optional; `name` defaults to the marker's name; `projection` is `all` (default), `keys_only` or `include(field, ...)`. Fields are named by their Rust name. |
/// | `lsi(Marker, range = field, name = "...", projection = ...)` | a local secondary index: the table's hash key with another range key. The table needs a range key. |
/// | `key = Ident` | the name of the key struct (default `{Type}Key`). |
/// | `key_fn = ident` | the name of the key constructor `User::key(hash, range)` (default `key`), for a type with a `key` method of its own (which would otherwise be defined twice, E0592). |
/// | `fields = Ident` | the name of the typed-fields struct (default `{Type}Fields`). |
/// | `bound = "T: Trait, ..."` | on a generic struct, the where-predicates of the conversion impls instead of the inferred ones (see below). |
/// | `crate = "path"` | where the runtime is, when `dynamo_orm` is renamed or re-exported (default `::dynamo_orm`). |
///
/// An index key may be an `Option` of a key type (a *sparse* index): an item whose
/// key is `None` has no such attribute, so it is not in the index; the marker's
/// `Hash` / `Range` type is the inner type. The table's own keys cannot be `Option`s.
///
/// A type of your own named like a companion (`UserKey` beside `struct User`) is a
/// name defined twice (rustc's E0428, at `struct User`): pick other names with
/// `key = ...` and `fields = ...`.
///
/// # Field attributes
///
/// | attribute | meaning |
/// | --- | --- |
/// | `hash_key` | the partition key. Exactly one field has it. Its type implements `KeyScalar`: a string, a number or binary (`Vec<u8>`, `[u8; N]`, `Bytes`), a unit enum, a UUID or a date. |
/// | `range_key` | the sort key; at most one; a `KeyScalar` too. |
/// | `rename = "name"` | the stored attribute name. |
/// | `skip` | not stored; `Default::default()` when read (the type needs `Default`). |
/// | `default` | a missing or `NULL` attribute reads as `Default::default()` instead of failing. |
/// | `version` | the optimistic-locking version: any integer type, or an alias of one (`VersionNumber`); at most one. A missing or `NULL` attribute reads as version 0 (items written by other tools have none); a stored version that is negative, not whole or too large for the type is a decode error naming the attribute. `set_version` refuses a version the type cannot hold (`VERSION_MAX`). |
/// | `ttl` | the time-to-live attribute: an integer (seconds since the epoch), `SystemTime`, or an `Option` of those (`TimeToLive`); at most one. |
/// | `with = path::to::module` | converts through `module::to_attribute(&T) -> Result<AttributeValue, EncodeError>` and `module::from_attribute(AttributeValue) -> Result<T, DecodeError>`; a function of another signature is an error at the module that states the expected one. The value is always written; a missing attribute is an error unless the field also has `default`. |
/// | `flatten` | the field's type (a struct deriving `DynamoAttribute`) is stored inline: its attributes sit in this item's map under their own names. Every stored name must stay unique: a flattened struct that stores an attribute under the name of another field (the keys included) or of another flattened struct is a compile error naming both. |
///
/// `None` and empty sets are left out of the item and read back as `None` and the
/// empty set; `NULL` reads as `None`.
///
/// # Generic structs
///
/// `struct Envelope<T> { #[dynamo(hash_key)] id: String, body: T }` derives like a
/// concrete struct. Like serde, each type parameter that a stored field uses gets
/// `T: IntoAttribute + FromAttribute + AttrKind` on the conversion impls (and
/// `Send + Sync + 'static` on `DynamoItem`), and a skipped field's type `Default`;
/// `#[dynamo(bound = "T: ...")]` replaces those bounds when a field needs others (a
/// `HashSet<T>` needs `T: SetElement`). `Envelope::<T>::SCHEMA` is one table for
/// every `T`; the key struct is not generic, `EnvelopeFields<T>` and the index
/// markers (`ByKind<T>`) are. The keys, index keys, `flatten`, `version` and `ttl`
/// fields need concrete types; lifetime parameters are not supported.
///
/// ```
/// use dynamo_orm::{DynamoAttribute, DynamoItem};
///
/// #[derive(DynamoAttribute, Debug, PartialEq)]
/// struct Address {
///     city: String,
/// }
///
/// #[derive(DynamoItem, Debug, PartialEq)]
/// #[dynamo(table = "envelopes")]
/// struct Envelope<T> {
///     #[dynamo(hash_key)]
///     id: String,
///     body: T,
/// }
///
/// let letter = Envelope { id: "e1".into(), body: Address { city: "Oslo".into() } };
/// assert_eq!(Envelope::from_item(letter.to_item()?)?, letter);
/// let number = Envelope { id: "e2".into(), body: 7u32 };
/// assert_eq!(Envelope::from_item(number.to_item()?)?, number);
/// assert_eq!(Envelope::<u32>::key("e2"), EnvelopeKey::new("e2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Checked at compile time
///
/// Each mistake is one error at the offending token, and all of a struct's mistakes
/// are reported together: a missing or second hash key, a second range key; key
/// fields of a type DynamoDB cannot key on (`bool`, maps, sets, tuples, an `Option`
/// table key are refused by name; any other type without `KeyScalar` — or
/// `IndexKey` for an index key — at the type); `skip`, `flatten`, `default`,
/// `with`, `version` or `ttl` on a key; `skip` or `flatten` combined with other
/// options; `version` or `ttl` twice, or on a type without `VersionNumber` /
/// `TimeToLive` (at the type); `flatten` on a type that is not a derived struct (at
/// the type); two fields stored under one name, flattened structs included; an
/// empty `rename`; index markers or names used twice; index keys and `include`
/// fields that do not exist or are skipped; an `lsi` with `hash` or without
/// `range`; a `gsi` without `hash`; a `with` module function of the wrong
/// signature; unknown or repeated keys and malformed values; enums, tuple and unit
/// structs, unions, lifetime parameters and the generic fields listed above. A
/// field type without `IntoAttribute` / `FromAttribute`, or a skipped field without
/// `Default`, is reported at the type.
///
/// # Entities of a shared table (single-table design)
///
/// With `table = App`, a type (not a string) deriving [`DynamoTable`](macro@DynamoTable),
/// the struct is an *entity* of that table: its keys are rendered from
/// templates over its fields instead of being fields themselves.
///
/// ```
/// use dynamo_orm::{AttributeValue, DynamoAttribute, DynamoItem, DynamoTable};
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
/// #[derive(DynamoAttribute, Debug, Clone, Copy, PartialEq)]
/// enum Status { Placed, Shipped }
///
/// #[derive(DynamoItem, Debug, PartialEq)]
/// #[dynamo(table = App, entity = "Order")]
/// #[dynamo(key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{created_at}#{order_id}"))]
/// struct Order {
///     username: String,
///     order_id: String,
///     status: Status,
///     created_at: i64,
/// }
///
/// let order = Order { username: "alice".into(), order_id: "o1".into(), status: Status::Placed, created_at: 7 };
/// let item = order.to_item()?;
/// assert_eq!(item["pk"], AttributeValue::S("USER#alice".into()));
/// assert_eq!(item["gsi1sk"], AttributeValue::S("7#o1".into()));
/// assert_eq!(item["_type"], AttributeValue::S("Order".into()));
/// assert_eq!(order.key(), Order::key("alice", "o1"));
/// assert_eq!(Order::from_item(item)?, order);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// | attribute | meaning |
/// | --- | --- |
/// | `table = App` | the shared table (a type deriving `DynamoTable`): `SCHEMA` is its table, with this entity's own `version` and `ttl` attributes |
/// | `entity = "Order"` | the name stored in the table's discriminator attribute. **Default: the type name** |
/// | `key(hash = "USER#{username}", range = "ORDER#{order_id}")` | the templates of the table's keys. `range` is required exactly when the table has a sort key, and must start with constant text (a partition query selects the entity by it) |
/// | `index(Gsi1, hash = "...", range = "...")` | the templates of an index of the table (its marker type); `hash` is omitted for a local index. A field of an index template may be an `Option`: `None` leaves that key attribute out, so the item is not in the index (a sparse index) |
///
/// A template is constant text and `{field}`s (Rust field names). A field is
/// rendered as its stored string or number; in the value, `\` and the first
/// character of each literal part that follows a field are escaped with `\`,
/// so two records never render one key, and a key parses back into its fields.
/// Case is kept. Fields used in templates must be strings, integers, unit
/// enums, UUIDs or dates (`TemplateScalar`); a template with constant text is
/// a string key, a template that is one field has that field's type.
///
/// Generated, beside what a plain item gets:
///
/// | item | what it is |
/// | --- | --- |
/// | `OrderKey { username, order_id }`, `Order::key(..)` | the fields of the table key's templates: what `get`, `delete` and `update` take; `to_key_item` renders `pk` / `sk`, `from_key_item` parses them back. These fields are `Field<V, Key>` in `Order::FIELDS` (not updatable) |
/// | `impl Entity`, `impl EntityIndex<Primary>` and `EntityIndex<Gsi1>` per index | the templates, for the runtime's writes, reads and queries |
/// | `OrderPartition`, `OrderSort` | the fields of the table key's hash and range templates, for `query_partition(..)` and `sk_between(..)`; `From` a value, a tuple, or `()` for a constant template. `Order::partition(..)` builds one |
/// | `OrderGsi1Partition`, `OrderGsi1Sort` per index | the same for `query_index::<Gsi1>(..)` |
///
/// `to_item` writes the fields, the discriminator and every key attribute;
/// `from_item` checks the discriminator first (another entity's item is an
/// error naming its key and entity). An update of a field keeps the key
/// attributes made of it in step (see `Table::update`).
///
/// Checked at compile time, each at its token: a template that is empty, has
/// unbalanced braces, an empty `{}` or two fields with no text between them;
/// a field that does not exist (with a suggestion), is `skip`ped or
/// `flatten`ed, uses `with`, is the `version`, is an `Option` in the table
/// key, or has a type that cannot be part of a template; a table sort key
/// template without constant prefix; a template whose type (string or
/// number) is not the key attribute's; a missing or extra `range`; an index
/// marker of another table, or a `hash` on a local index (or none on a global
/// one); `hash_key`, `range_key`, `gsi` or `lsi` on an entity (the table
/// declares keys and indexes); a field stored under one of the table's key
/// attribute names or its discriminator; `table` not a declared table;
/// `key(..)`, `index(..)` or `entity` without a shared table.
#[proc_macro_derive(DynamoItem, attributes(dynamo))]
pub fn derive_dynamo_item(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_item(&input)
        .unwrap_or_else(|error| expand::fallback_item(&input, error))
        .into()
}

/// Stores a struct as a map (`M`) or a unit-only enum as a string (`S`) inside an item.
///
/// # On a struct with named fields
///
/// Generates `AttributeMap`, `IntoAttribute`, `FromAttribute`, and typed attribute
/// paths (`{Type}Fields`, `{Type}::FIELDS`, `HasFields`), so the struct can be a
/// field (`address: Address`), a list element (`Vec<Address>`), a `flatten`ed part
/// of an item, or a projection. Struct attributes: `rename_all`, `crate`,
/// `fields`, `bound`, `projection_of`; field attributes: `rename`, `skip`,
/// `default`, `with`, `flatten` (as on [`DynamoItem`](macro@DynamoItem), generic
/// structs included). Key, index, table, version and TTL attributes are errors here.
///
/// ```
/// use dynamo_orm::{AttributeMap, DynamoAttribute, DynamoItem, FromAttribute, IntoAttribute};
///
/// #[derive(DynamoAttribute, Debug, PartialEq)]
/// #[dynamo(rename_all = "camelCase")]
/// struct Address {
///     street_name: String,
///     city: String,
/// }
///
/// let address = Address { street_name: "Main St".into(), city: "Oslo".into() };
/// let value = address.to_attribute()?;
/// assert_eq!(Address::from_attribute(value)?, address);
/// assert_eq!(Address::FIELDS.street_name.name(), "streetName");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ## `projection_of = Item`
///
/// Reads a subset of an item's attributes (for index queries with a narrow
/// projection, or to read less). Each field takes its stored name from the item's
/// field of the same name (`<Item as HasFields>::FIELDS.field`), and must have the
/// same type: a field the item lacks, skips or stores with another type fails to
/// compile at the field. `rename` and `rename_all` are errors; `skip` and
/// `default` work as usual. A projection reads from any of the item's indexes
/// (`ReadableFrom`). It cannot be generic.
///
/// ```
/// use dynamo_orm::{AttributeMap, DynamoAttribute, DynamoItem};
///
/// #[derive(DynamoItem)]
/// #[dynamo(table = "users")]
/// struct User {
///     #[dynamo(hash_key)]
///     username: String,
///     #[dynamo(rename = "mail")]
///     email: String,
///     bio: String,
/// }
///
/// #[derive(DynamoAttribute, Debug)]
/// #[dynamo(projection_of = User)]
/// struct Contact {
///     username: String,
///     email: String,
/// }
///
/// let user = User { username: "ann".into(), email: "ann@example.com".into(), bio: "...".into() };
/// let contact = Contact::from_map(user.to_item()?)?;
/// assert_eq!(contact.email, "ann@example.com");
/// assert_eq!(Contact::FIELDS.email.name(), "mail");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # On an enum of unit variants
///
/// Stores each variant as a string: its name, after `#[dynamo(rename = "...")]` on
/// the variant or `rename_all` on the enum. Generates `IntoAttribute`,
/// `FromAttribute` (an unknown string is a decode error listing the variants),
/// `KeyScalar` (so the enum can be a key) and `SetElement` (so `HashSet<Enum>` is
/// a string set). Variants with data are errors.
///
/// ```
/// use dynamo_orm::{AttributeValue, DynamoAttribute, FromAttribute, IntoAttribute};
///
/// #[derive(DynamoAttribute, Debug, PartialEq, Eq, Hash)]
/// #[dynamo(rename_all = "snake_case")]
/// enum Role {
///     Admin,
///     PowerUser,
///     #[dynamo(rename = "ro")]
///     ReadOnly,
/// }
///
/// assert_eq!(Role::PowerUser.to_attribute()?, AttributeValue::S("power_user".into()));
/// assert_eq!(Role::from_attribute(AttributeValue::S("ro".into()))?, Role::ReadOnly);
/// assert!(Role::from_attribute(AttributeValue::S("root".into())).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[proc_macro_derive(DynamoAttribute, attributes(dynamo))]
pub fn derive_dynamo_attribute(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_attribute(&input)
        .unwrap_or_else(|error| expand::fallback_attribute(&input, error))
        .into()
}

/// Declares a table shared by several entity types (single-table design): its
/// name, key attributes with their types, indexes, billing and discriminator.
///
/// The struct's fields are the key attributes of the table and of its
/// indexes, named as stored (`rename` is allowed); `hash_key` and
/// `range_key` mark the table's keys. The struct itself is never built.
///
/// ```
/// use dynamo_orm::{DynamoTable, Projection, TableDef, TableIndex};
///
/// #[derive(DynamoTable)]
/// #[dynamo(table = "app", discriminator = "_type")]
/// #[dynamo(gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
/// #[dynamo(gsi(OpenOrders, hash = open_pk, range = open_sk, projection = keys_only))]
/// #[dynamo(provisioned(read = 5, write = 5))]
/// struct App {
///     #[dynamo(hash_key)]
///     pk: String,
///     #[dynamo(range_key)]
///     sk: String,
///     gsi1pk: String,
///     gsi1sk: String,
///     open_pk: String,
///     open_sk: String,
/// }
///
/// assert_eq!(App::SCHEMA.table_name, "app");
/// assert_eq!(App::DISCRIMINATOR, "_type");
/// assert_eq!(OpenOrders::SCHEMA.projection, Projection::KeysOnly);
/// assert_eq!(App::key("USER#alice", "PROFILE"), AppKey::new("USER#alice", "PROFILE"));
/// ```
///
/// `Table::<Document>::for_table::<App>(client)` is a handle on the table
/// (`create()`, `verify_schema()`, queries of an index by name); each
/// entity's `Table<Entity>` addresses it too.
///
/// | attribute | meaning |
/// | --- | --- |
/// | `table = "app"` | the table name. **Default: the type name in snake_case** |
/// | `discriminator = "_type"` | the attribute holding each item's entity name. **Default: `_type`** |
/// | `gsi(Marker, hash = f, range = g, name = "...", projection = ...)`, `lsi(...)` | indexes, as on `DynamoItem`; `include(a, b)` names entity attributes as stored |
/// | `provisioned(read = 5, write = 5)` | provisioned billing for `create()` (table and global indexes). **Default: on demand** |
/// | `key = Name`, `key_fn = name`, `crate = "path"` | as on `DynamoItem` |
///
/// Generates `impl TableDef` (`SCHEMA`, `DISCRIMINATOR`, the key types),
/// `AppKey` (the raw key, `App::key(pk, sk)`), and per index a marker type
/// with `TableIndex`, `IndexOf<App>` and, when it projects every attribute,
/// `AllAttributes` (whole entities can then be read from it). Every field must
/// key the table or an index; index keys are not `Option`s (an entity makes
/// an index sparse). Other field attributes are errors.
#[proc_macro_derive(DynamoTable, attributes(dynamo))]
pub fn derive_dynamo_table(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_table(&input)
        .unwrap_or_else(|error| expand::fallback_table(&input, error))
        .into()
}

/// An enum of a shared table's entities (single-table design): reads any
/// item of the table by its discriminator, for queries that return several
/// entities (a user with their orders).
///
/// ```
/// use dynamo_orm::{Document, DynamoEntities, DynamoItem, DynamoTable};
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
/// #[dynamo(table = App, key(hash = "USER#{username}", range = "PROFILE"))]
/// struct User { username: String }
///
/// #[derive(DynamoItem, Debug, PartialEq)]
/// #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
/// struct Order { username: String, order_id: String }
///
/// #[derive(DynamoEntities, Debug, PartialEq)]
/// #[dynamo(table = App)]
/// enum AppItem {
///     User(User),
///     Order(Order),
///     #[dynamo(other)]
///     Other(Document),
/// }
///
/// let order = Order { username: "alice".into(), order_id: "o1".into() };
/// let item = order.to_item()?;
/// assert_eq!(AppItem::from_item(item)?, AppItem::Order(order));
/// let groups = AppItemGroups::from_iter([AppItem::User(User { username: "alice".into() })]);
/// assert_eq!(groups.user.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Each variant holds one entity of the table (`#[dynamo(table = App)]` on
/// the enum names it); `#[dynamo(other)] Other(Document)` keeps items of
/// entities no variant reads (and items without an entity name) as
/// documents, where without it they are errors naming their key and entity.
///
/// Generates `impl DynamoItem` (so `Table<AppItem>` works: `get`, scans,
/// `query_collection(User::partition("alice"))`, `query_collection_index`),
/// `impl Entities`, `AppItemKey` (an enum of the entities' keys, `From`
/// each, plus `Raw(AppKey)`), `AppItemGroups` (one `Vec` per variant, field
/// names in snake_case, with `Default`, `Extend` and `FromIterator`, for
/// `query.grouped()`), and `From<Entity> for AppItem`.
///
/// Writes through `Table<AppItem>` keep every entity's rules: a put writes
/// the variant's own item; a versioned variant is refused (write it through
/// `Table<Entity>`, which checks its version), updates are refused (an
/// entity's table keeps its index keys in step), and deletes by key are
/// refused when a variant is versioned.
///
/// Checked at compile time: a variant whose type is not an entity of the
/// table (at the type), two variants of one entity name, an `other` variant
/// that is not a `Document`, a second `other`, variants that are not one
/// entity each, a variant named `Raw`, generic enums.
#[proc_macro_derive(DynamoEntities, attributes(dynamo))]
pub fn derive_dynamo_entities(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_entities(&input)
        .unwrap_or_else(|error| expand::fallback_entities(&input, error))
        .into()
}
