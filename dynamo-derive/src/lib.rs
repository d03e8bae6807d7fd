//! Derive macros of [`dynamo-orm`](https://docs.rs/dynamo-orm): `#[derive(DynamoItem)]`
//! for table items and `#[derive(DynamoAttribute)]` for values stored inside them.
//!
//! Do not depend on this crate: use the macros through `dynamo_orm::{DynamoItem,
//! DynamoAttribute}`, which re-exports them at the matching version.
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
/// | `impl DynamoItem for User` | `SCHEMA` (table name, keys, indexes, version and TTL attributes), `key()`, `to_item()` / `from_item()`, `version()` / `set_version()` |
/// | `impl AttributeMap`, `IntoAttribute`, `FromAttribute` | the conversions; reading an owned item is a single pass that moves strings out, and `User` also nests inside other items as a map |
/// | `pub struct UserKey { username, date_joined }` | the primary key (`Debug`, `Clone`, `PartialEq`), with `UserKey::new(..)`, `From<(hash, range)>` (or `From<hash>`) and `PrimaryKey` |
/// | `User::key(hash, range) -> UserKey` | builds a key; a `String` part takes `impl Into<String>`, other parts their own type |
/// | `pub struct UserFields`, `User::FIELDS` | typed attribute paths (`User::FIELDS.email` is a `Field<String>`) for conditions and updates; `HasFields` |
/// | `pub struct ByEmail;` per index | a marker type with `QueryTarget` and `Index` impls, for `.index::<ByEmail>()` |
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
/// | `fields = Ident` | the name of the typed-fields struct (default `{Type}Fields`). |
/// | `crate = "path"` | where the runtime is, when `dynamo_orm` is renamed or re-exported (default `::dynamo_orm`). |
///
/// # Field attributes
///
/// | attribute | meaning |
/// | --- | --- |
/// | `hash_key` | the partition key. Exactly one field has it. |
/// | `range_key` | the sort key; at most one. |
/// | `rename = "name"` | the stored attribute name. |
/// | `skip` | not stored; `Default::default()` when read (the type needs `Default`). |
/// | `default` | a missing or `NULL` attribute reads as `Default::default()` instead of failing. |
/// | `version` | the optimistic-locking version: an integer type (`i8`..`i128`, `u8`..`u128`, `isize`, `usize`); at most one. |
/// | `ttl` | the time-to-live attribute: an integer (seconds since the epoch), `SystemTime`, or an `Option` of those; at most one. |
/// | `with = path::to::module` | converts through `module::to_attribute(&T) -> Result<AttributeValue, EncodeError>` and `module::from_attribute(AttributeValue) -> Result<T, DecodeError>`. The value is always written; a missing attribute is an error unless the field also has `default`. |
/// | `flatten` | the field's type (a `DynamoAttribute` struct) is stored inline: its attributes sit in this item's map under their own names. |
///
/// `None` and empty sets are left out of the item and read back as `None` and the
/// empty set; `NULL` reads as `None`.
///
/// # Checked at compile time
///
/// Each mistake is an error at the offending token, and all of a struct's mistakes
/// are reported together: a missing or second hash key, a second range key; key
/// fields (of the table or an index) of a type DynamoDB cannot key on (`bool`,
/// `Option`, lists other than `Vec<u8>`, maps, sets, tuples, arrays — and any type
/// without `KeyScalar`); `skip`, `flatten`, `default`, `with`, `version` or `ttl` on a
/// key; `skip` or `flatten` combined with other options; `version` or `ttl` on an
/// unsupported type or twice; two fields stored under one name; an empty `rename`;
/// index markers or names used twice; index keys and `include` fields that do not
/// exist or are skipped; an `lsi` with `hash` or without `range`; a `gsi` without
/// `hash`; unknown or repeated keys and malformed values; enums, tuple and unit
/// structs, unions and generic structs. A field type without `IntoAttribute` /
/// `FromAttribute`, or a skipped field without `Default`, is reported at the type.
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
/// `fields`, `projection_of`; field attributes: `rename`, `skip`, `default`,
/// `with`, `flatten` (as on [`DynamoItem`](macro@DynamoItem)). Key, index, table,
/// version and TTL attributes are errors here.
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
/// same type: a field the item lacks, or of another type, fails to compile at the
/// field. `rename` and `rename_all` are errors; `skip` and `default` work as usual.
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
