//! Re-exports and helpers for the derive macros' generated code. Not public API:
//! it changes with the macros, which the runtime pins at an exact version.
pub use crate::document::Document;
pub use crate::error::{DecodeError, EncodeError};
pub use crate::expr::{AttrKind, ExactKind, Field, Key, ListKind, Plain, Skipped};
pub use crate::key::KeyArg;
pub use crate::schema::{
    AllAttributes, Billing, CollectionEntity, CollectionSchema, DynamoItem, Entities, Entity,
    EntityIndex, EntityOf, EntitySchema, HasFields, Index, IndexKey, IndexKind, IndexOf,
    IndexSchema, ItemKind, KeyArgs, KeyAttribute, KeyRole, KeyTemplate, NoRange, NoSort,
    PartitionOf, Primary, PrimaryKey, Projection, ProjectionOf, QueryTarget, ReadableFrom,
    ScalarType, SortArgs, TableDef, TableIndex, TableSchema, TemplateField, TemplatePart,
    TemplateScalar, TemplatedKey, TimeToLive, VersionNumber,
};
pub use crate::value::{AttributeMap, FromAttribute, IntoAttribute, KeyScalar, SetElement};
pub use crate::{AttributeValue, Item};
pub use core::convert::{From, Into, TryFrom};
pub use core::default::Default;
pub use core::option::Option::{self, None, Some};
pub use core::result::Result::{self, Err, Ok};
pub use std::collections::HashMap;
pub use std::string::String;
pub use std::vec::Vec;

// Nested struct values, counted per thread: a recursive type (`struct Node {
// child: Option<Box<Node>> }`) a thousand levels deep is refused with an
// error instead of exhausting the stack. Conversions never await, so a
// thread-local count is the conversion's own.
thread_local! {
    static NESTED_STRUCTS: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
}

/// Leaves one level of nesting when dropped (also when unwinding).
struct NestingGuard;

impl NestingGuard {
    /// Enters a nested struct value; `None` beyond DynamoDB's nesting limit.
    #[inline]
    fn enter() -> Option<Self> {
        NESTED_STRUCTS.with(|depth| {
            let d = depth.get();
            // A nested struct value is a map at level 2 or deeper (the item is 1).
            if d + 1 >= crate::limits::MAX_NESTING_DEPTH {
                return None;
            }
            depth.set(d + 1);
            Some(NestingGuard)
        })
    }
}

impl Drop for NestingGuard {
    #[inline]
    fn drop(&mut self) {
        NESTED_STRUCTS.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

/// A derived struct as a nested `M` value, refusing nesting deeper than
/// DynamoDB stores (with `EncodeErrorKind::TooDeep`).
#[inline]
pub fn encode_nested<T: AttributeMap>(v: &T) -> Result<AttributeValue, EncodeError> {
    let Some(_guard) = NestingGuard::enter() else {
        return Err(crate::value::check::too_deep());
    };
    Ok(AttributeValue::M(v.to_map()?))
}

/// A derived struct from a nested `M` value, refusing nesting deeper than
/// DynamoDB stores (with `DecodeErrorKind::TooDeep`).
#[inline]
pub fn decode_nested<T: AttributeMap>(v: AttributeValue) -> Result<T, DecodeError> {
    let map = match v {
        AttributeValue::M(map) => map,
        other => return Err(DecodeError::type_mismatch("M", &other)),
    };
    let Some(_guard) = NestingGuard::enter() else {
        crate::value::discard(AttributeValue::M(map));
        return Err(DecodeError::new(crate::error::DecodeErrorKind::TooDeep {
            limit: crate::limits::MAX_NESTING_DEPTH,
        }));
    };
    T::from_map(map)
}

/// Reads a field that may be missing.
#[inline]
pub fn read_field<T: FromAttribute>(
    value: Option<AttributeValue>,
    name: &str,
) -> Result<T, DecodeError> {
    match value {
        Some(v) => T::from_attribute(v).map_err(|e| e.in_field(name)),
        None => T::from_absent().ok_or_else(|| DecodeError::missing(name)),
    }
}

/// Reads a `#[dynamo(default)]` field: missing (or NULL) gives `Default`.
#[inline]
pub fn read_field_or_default<T: FromAttribute + Default>(
    value: Option<AttributeValue>,
    name: &str,
) -> Result<T, DecodeError> {
    match value {
        Some(AttributeValue::Null(_)) | None => Ok(T::default()),
        Some(v) => T::from_attribute(v).map_err(|e| e.in_field(name)),
    }
}

/// Reads a `#[dynamo(with = module)]` field through `module::from_attribute`.
#[inline]
pub fn read_with<T, F, A, R>(
    value: Option<AttributeValue>,
    name: &str,
    from: F,
) -> Result<T, DecodeError>
where
    F: FnOnce(A) -> R,
    T: WithFrom<A, R>,
{
    match value {
        Some(v) => T::ret(from(T::arg(v))).map_err(|e| e.in_field(name)),
        None => Err(DecodeError::missing(name)),
    }
}

/// Reads a `#[dynamo(with = module, default)]` field: missing (or NULL) gives `Default`.
#[inline]
pub fn read_with_or_default<T, F, A, R>(
    value: Option<AttributeValue>,
    name: &str,
    from: F,
) -> Result<T, DecodeError>
where
    F: FnOnce(A) -> R,
    T: WithFrom<A, R> + Default,
{
    match value {
        Some(AttributeValue::Null(_)) | None => Ok(T::default()),
        Some(v) => T::ret(from(T::arg(v))).map_err(|e| e.in_field(name)),
    }
}

/// Writes a `#[dynamo(with = module)]` field through `module::to_attribute`
/// (always: the module decides what an absent value is).
#[inline]
pub fn write_with<'v, T, F, A, R>(
    item: &mut Item,
    name: &'static str,
    value: &'v T,
    to: F,
) -> Result<(), EncodeError>
where
    T: ?Sized + WithTo<'v, A, R>,
    F: FnOnce(A) -> R,
{
    let value = T::ret(to(T::arg(value))).map_err(|e| e.in_field(name))?;
    insert_new(item, name, value)
}

/// The signature `module::to_attribute` must have for a field of type `Self`.
///
/// `write_with` takes the function as any `FnOnce(A) -> R` and checks `A` and
/// `R` here, so a wrong signature is reported with this message (stating the
/// expected one) rather than as a closure signature mismatch.
#[diagnostic::on_unimplemented(
    message = "`to_attribute` of a `with` module must be `fn to_attribute(&{Self}) -> Result<AttributeValue, EncodeError>`",
    label = "this module's `to_attribute` is `fn({A}) -> {R}`",
    note = "`#[dynamo(with = module)]` converts a field of type `T` with `module::to_attribute(&T) -> Result<AttributeValue, EncodeError>` and `module::from_attribute(AttributeValue) -> Result<T, DecodeError>`"
)]
pub trait WithTo<'v, A, R> {
    /// The argument, from a reference to the field.
    fn arg(value: &'v Self) -> A;
    /// The result.
    fn ret(result: R) -> Result<AttributeValue, EncodeError>;
}

impl<'v, T: ?Sized> WithTo<'v, &'v T, Result<AttributeValue, EncodeError>> for T {
    #[inline]
    fn arg(value: &'v T) -> &'v T {
        value
    }
    #[inline]
    fn ret(result: Result<AttributeValue, EncodeError>) -> Result<AttributeValue, EncodeError> {
        result
    }
}

/// A second impl, for functions that cannot return: with two impls, the
/// compiler waits for the function's own signature to pick `A` and `R`
/// instead of forcing the expected ones on it (which reports a closure
/// signature mismatch, not the message above).
impl<T: ?Sized> WithTo<'_, (), Unmatched> for T {
    fn arg(_: &Self) {}
    fn ret(result: Unmatched) -> Result<AttributeValue, EncodeError> {
        match result {}
    }
}

/// The signature `module::from_attribute` must have for a field of type `Self`
/// (see [`WithTo`]).
#[diagnostic::on_unimplemented(
    message = "`from_attribute` of a `with` module must be `fn from_attribute(AttributeValue) -> Result<{Self}, DecodeError>`",
    label = "this module's `from_attribute` is `fn({A}) -> {R}`",
    note = "`#[dynamo(with = module)]` converts a field of type `T` with `module::to_attribute(&T) -> Result<AttributeValue, EncodeError>` and `module::from_attribute(AttributeValue) -> Result<T, DecodeError>`"
)]
pub trait WithFrom<A, R>: Sized {
    /// The argument.
    fn arg(value: AttributeValue) -> A;
    /// The result.
    fn ret(result: R) -> Result<Self, DecodeError>;
}

impl<T> WithFrom<AttributeValue, Result<T, DecodeError>> for T {
    #[inline]
    fn arg(value: AttributeValue) -> AttributeValue {
        value
    }
    #[inline]
    fn ret(result: Result<T, DecodeError>) -> Result<T, DecodeError> {
        result
    }
}

/// See the second impl of [`WithTo`].
impl<T> WithFrom<(), Unmatched> for T {
    fn arg(_: AttributeValue) {}
    fn ret(result: Unmatched) -> Result<T, DecodeError> {
        match result {}
    }
}

/// A type without values, for the second impls of [`WithTo`] and [`WithFrom`].
pub enum Unmatched {}

/// Writes a key attribute (keys are never left out).
#[inline]
pub fn write_key<T: IntoAttribute + ?Sized>(
    item: &mut Item,
    name: &'static str,
    value: &T,
) -> Result<(), EncodeError> {
    item.insert(
        String::from(name),
        value.to_attribute().map_err(|e| e.in_field(name))?,
    );
    Ok(())
}

/// Reads a key attribute from a borrowed item (the key is copied out, the item kept).
#[inline]
pub fn read_key<T: FromAttribute>(item: &Item, name: &str) -> Result<T, DecodeError> {
    match item.get(name) {
        Some(v) => T::from_attribute(v.clone()).map_err(|e| e.in_field(name)),
        None => Err(DecodeError::missing(name)),
    }
}

/// Reads the `#[dynamo(version)]` field: a missing (or `NULL`) attribute is
/// version 0, as items written by other libraries have none; a stored version
/// that is negative, not a whole number or too large for the field is an
/// error naming the attribute (never 0, never truncated).
///
/// The functions are the field type's `VersionNumber` ones, passed in so the
/// derive names the trait only through `<T as VersionNumber>::...` paths.
#[inline]
pub fn read_version<V: FromAttribute>(
    value: Option<AttributeValue>,
    name: &str,
    from_version: fn(u64) -> Option<V>,
    to_version: fn(V) -> Option<u64>,
) -> Result<V, DecodeError> {
    let version = match value {
        None | Some(AttributeValue::Null(_)) => 0,
        Some(v) => {
            let stored = V::from_attribute(v).map_err(|e| e.in_field(name))?;
            to_version(stored).ok_or_else(|| {
                DecodeError::invalid("a version of 0 or more", "a negative number").in_field(name)
            })?
        }
    };
    // Back from the `u64` (the type is `Copy`, this avoids asking it here).
    from_version(version).ok_or_else(|| DecodeError::missing(name))
}

/// `DynamoItem::version` of a type with a version field: its value as a `u64`
/// (`None` when negative).
#[inline]
pub fn version_of(version: Option<u64>, name: &'static str) -> Result<u64, EncodeError> {
    version.ok_or_else(|| EncodeError::invalid("a version cannot be negative").in_field(name))
}

/// `DynamoItem::set_version` of a type with a version field: `version` in the
/// field's type (`None` when it does not fit, `max` being the largest that does).
#[inline]
pub fn version_in<V>(
    value: Option<V>,
    version: u64,
    max: u64,
    name: &'static str,
) -> Result<V, EncodeError> {
    value.ok_or_else(|| {
        EncodeError::invalid(format!(
            "version {version} does not fit the field's type (at most {max})"
        ))
        .in_field(name)
    })
}

/// Checks that the `#[dynamo(ttl)]` field's type is a time to live.
pub const fn assert_time_to_live<T: TimeToLive + ?Sized>() {}

/// The error of a unit enum read from a string that names no variant.
#[cold]
pub fn unknown_variant(expected: &'static str, found: &str) -> DecodeError {
    DecodeError::invalid(expected, format!("unknown variant {found:?}"))
}

/// A string set (`SS`) of unit enum values.
pub fn encode_string_set<'a, T: 'a>(
    items: impl ExactSizeIterator<Item = &'a T>,
    name: fn(&T) -> &'static str,
) -> Result<AttributeValue, EncodeError> {
    let mut set = Vec::with_capacity(items.len());
    for v in items {
        set.push(String::from(name(v)));
    }
    Ok(AttributeValue::Ss(set))
}

/// Unit enum values from a string set (`SS`; `NULL` is the empty set).
pub fn decode_string_set<T, C: Default + Extend<T>>(
    value: AttributeValue,
    parse: fn(String) -> Result<T, DecodeError>,
) -> Result<C, DecodeError> {
    match value {
        AttributeValue::Ss(list) => {
            // Into a Vec first: one `extend` with an exact size hint lets a
            // hash set allocate once instead of growing and rehashing.
            let mut members = Vec::with_capacity(list.len());
            for (i, s) in list.into_iter().enumerate() {
                members.push(parse(s).map_err(|e| e.at_index(i))?);
            }
            Ok(crate::value::collect_set(members))
        }
        AttributeValue::Null(_) => Ok(C::default()),
        other => Err(DecodeError::type_mismatch("SS", &other)),
    }
}

/// The table's hash key type, read through `DynamoItem::HashKey` so that a
/// type without `KeyScalar` is reported once, at the associated type.
pub const fn hash_scalar_type<T: DynamoItem>() -> ScalarType {
    <T::HashKey as KeyScalar>::SCALAR_TYPE
}

/// An index's hash key type, read through `QueryTarget::Hash` (see [`hash_scalar_type`]).
pub const fn index_hash_scalar_type<Q: QueryTarget>() -> ScalarType {
    <Q::Hash as KeyScalar>::SCALAR_TYPE
}

/// Writes a field unless it is absent (`None`, empty set). Always inlined,
/// like `insert_new`: the attribute name stays a literal.
#[inline(always)]
pub fn write_field<T: IntoAttribute + ?Sized>(
    item: &mut Item,
    name: &'static str,
    value: &T,
) -> Result<(), EncodeError> {
    if !value.is_absent() {
        let value = value.to_attribute().map_err(|e| e.in_field(name))?;
        insert_new(item, name, value)?;
    }
    Ok(())
}

/// Inserts an attribute the struct writes, refusing to replace one already in
/// the map. The derive refuses two fields of one name at compile time, flattened
/// structs included; this catches what it cannot see (a hand-written
/// `AttributeMap`, a map filled before `write_attributes`).
// Always inlined into the generated code: there `name` is a literal, so
// `String::from(name)` copies a known number of bytes without a `memcpy` call
// (whose size dispatch mispredicts); measured with callgrind's branch
// simulation on a three-field struct.
#[inline(always)]
fn insert_new(
    item: &mut Item,
    name: &'static str,
    value: AttributeValue,
) -> Result<(), EncodeError> {
    // `insert` and a check of what it replaced hash once, as `entry` does, at
    // less cost; on a clash (rare) the value held before is put back.
    match item.insert(String::from(name), value) {
        None => Ok(()),
        Some(held) => Err(written_twice(item, name, held)),
    }
}

#[cold]
fn written_twice(item: &mut Item, name: &str, held: AttributeValue) -> EncodeError {
    item.insert(String::from(name), held);
    EncodeError::invalid(
        "the item already holds an attribute of this name (a flattened struct writes it too); \
         each attribute is written once",
    )
    .in_field(name)
}

/// A struct stored inline in another with `#[dynamo(flatten)]`: every struct
/// deriving `DynamoAttribute` or `DynamoItem`.
///
/// The derive reaches a flattened type only through this trait (its fields,
/// names, reads and writes), each use spanned at the field's type, so a type
/// that is not a derived struct is one error there.
#[diagnostic::on_unimplemented(
    message = "`flatten` needs a struct deriving `DynamoAttribute`; `{Self}` is not one",
    label = "not a struct deriving `DynamoAttribute`",
    note = "a flattened field's attributes are stored inline, beside the item's own: derive `DynamoAttribute` on the type, or remove `flatten` to store the field as one attribute"
)]
pub trait Flatten: Sized {
    /// The typed paths of its fields (`{Type}Fields`).
    type Fields: Copy + 'static;
    /// Their value.
    const FIELDS: Self::Fields;
    /// [`AttributeMap::ATTRIBUTE_NAMES`].
    const ATTRIBUTE_NAMES: &'static [&'static str];
    /// [`AttributeMap::write_attributes`].
    fn write_attributes(&self, item: &mut Item) -> Result<(), EncodeError>;
    /// [`AttributeMap::read_attributes`].
    fn read_attributes(item: &mut Item) -> Result<Self, DecodeError>;
}

/// The names of `parts`, one after the other; `N` is their total count.
pub const fn concat_names<const N: usize>(parts: &[&[&'static str]]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut at = 0;
    let mut part = 0;
    while part < parts.len() {
        let mut i = 0;
        while i < parts[part].len() {
            out[at] = parts[part][i];
            at += 1;
            i += 1;
        }
        part += 1;
    }
    out
}

/// The index in `first` of the first name that `second` holds too.
pub const fn first_shared(first: &[&str], second: &[&str]) -> Option<usize> {
    let mut i = 0;
    while i < first.len() {
        let mut j = 0;
        while j < second.len() {
            if str_eq(first[i], second[j]) {
                return Some(i);
            }
            j += 1;
        }
        i += 1;
    }
    None
}

/// Whether two strings are equal, in const context.
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A message assembled in const context, where `format!` is not available,
/// for the derive's compile-time checks (`panic!("{}", message.as_str())`).
pub struct ConstMessage {
    bytes: [u8; 1024],
    len: usize,
}

impl ConstMessage {
    /// An empty message.
    pub const fn new() -> Self {
        ConstMessage {
            bytes: [0; 1024],
            len: 0,
        }
    }

    /// The message with `text` appended (whole, or not at all when full).
    pub const fn push(mut self, text: &str) -> Self {
        let text = text.as_bytes();
        if self.len + text.len() > self.bytes.len() {
            return self;
        }
        let mut i = 0;
        while i < text.len() {
            self.bytes[self.len + i] = text[i];
            i += 1;
        }
        self.len += text.len();
        self
    }

    /// The text.
    pub const fn as_str(&self) -> &str {
        match core::str::from_utf8(self.bytes.split_at(self.len).0) {
            Ok(text) => text,
            Err(_) => "",
        }
    }
}

impl Default for ConstMessage {
    fn default() -> Self {
        Self::new()
    }
}

// ---------------------------------------------------------------- single-table

/// `DynamoItem::to_item` of an entity: its fields, its discriminator and
/// every key attribute its templates render.
#[inline]
pub fn entity_to_item<T: Entity>(entity: &T) -> Result<Item, EncodeError> {
    let mut item = entity.to_map()?;
    T::ENTITY.write_keys(&mut item)?;
    Ok(item)
}

/// `DynamoItem::from_item` of an entity: the discriminator first (another
/// entity's item is an error naming its key), then the fields (key
/// attributes and the discriminator are not fields, and are passed over).
#[inline]
pub fn entity_from_item<T: Entity>(item: Item) -> Result<T, DecodeError> {
    T::ENTITY.check(&item)?;
    T::from_map(item)
}

/// The table key of an entity's key struct, from its fields (by attribute name).
#[inline]
pub fn entity_key_item(schema: &EntitySchema, args: &Item) -> Result<Item, EncodeError> {
    schema.key_item(args)
}

/// The fields (by attribute name) of an entity's key, parsed from the table key.
#[inline]
pub fn entity_key_fields(schema: &EntitySchema, key: &Item) -> Result<Item, DecodeError> {
    schema.parse_key(key)
}

/// The name of an optional key attribute (`""` without one).
pub const fn range_name(key: Option<KeyAttribute>) -> &'static str {
    match key {
        Some(key) => key.name,
        None => "",
    }
}

/// Whether two key types are the same, in const context.
pub const fn same_scalar(a: ScalarType, b: ScalarType) -> bool {
    matches!(
        (a, b),
        (ScalarType::S, ScalarType::S)
            | (ScalarType::N, ScalarType::N)
            | (ScalarType::B, ScalarType::B)
    )
}

const fn scalar_words(t: ScalarType) -> &'static str {
    match t {
        ScalarType::S => "a string (S)",
        ScalarType::N => "a number (N)",
        ScalarType::B => "binary (B)",
    }
}

/// Why a key template does not fit the key attribute it fills (`owner` is
/// "table `App`" or "index `Gsi1`"), or `None` when it does.
pub const fn key_template_error(
    template: Option<&KeyTemplate>,
    attribute: Option<KeyAttribute>,
    role: &str,
    owner: &str,
) -> Option<ConstMessage> {
    match (template, attribute) {
        (None, None) => None,
        (Some(template), Some(key)) => {
            let renders = template.output_type();
            if same_scalar(renders, key.scalar_type) {
                return None;
            }
            Some(
                ConstMessage::new()
                    .push("the ")
                    .push(role)
                    .push(" key template \"")
                    .push(template.text)
                    .push("\" renders ")
                    .push(scalar_words(renders))
                    .push(", but the ")
                    .push(role)
                    .push(" key `")
                    .push(key.name)
                    .push("` of ")
                    .push(owner)
                    .push(" is ")
                    .push(scalar_words(key.scalar_type))
                    .push(": a template with constant text renders a string, a template that is one field renders that field's type; change the template or the key's type"),
            )
        }
        (Some(template), None) => Some(
            ConstMessage::new()
                .push(owner)
                .push(" has no ")
                .push(role)
                .push(" key, so the template \"")
                .push(template.text)
                .push("\" has nothing to fill: remove `")
                .push(role)
                .push(" = \"...\"`"),
        ),
        (None, Some(key)) => Some(
            ConstMessage::new()
                .push(owner)
                .push(" has a ")
                .push(role)
                .push(" key `")
                .push(key.name)
                .push("`: give it a template, `")
                .push(role)
                .push(" = \"...\"`"),
        ),
    }
}

/// Why an entity's `index(..)` does not fit the index's kind, or `None`.
pub const fn index_kind_error(
    kind: IndexKind,
    has_hash: bool,
    marker: &str,
) -> Option<ConstMessage> {
    match (kind, has_hash) {
        (IndexKind::Global, false) => Some(
            ConstMessage::new()
                .push("index `")
                .push(marker)
                .push("` is global: give its partition key template, `hash = \"...\"`"),
        ),
        (IndexKind::Local, true) => {
            Some(ConstMessage::new().push("index `").push(marker).push(
                "` is local: it shares the table's partition key, so remove `hash = \"...\"`",
            ))
        }
        _ => None,
    }
}

/// Checks that `I` is an index of table `T`.
pub const fn assert_index_of<I: IndexOf<T>, T>() {}

/// Checks that `E` is an entity of table `T`.
pub const fn assert_entity_of<E: EntityOf<T>, T>() {}

/// Checks that a field's type can be part of a key template.
pub const fn assert_template_field<T: TemplateField + ?Sized>() {}

/// Checks the type of a `DynamoEntities` enum's `other` variant.
pub const fn assert_other_variant<T: OtherVariant + ?Sized>() {}

/// What a `#[dynamo(other)]` variant holds: a [`Document`].
#[diagnostic::on_unimplemented(
    message = "an `other` variant holds a `Document`, not `{Self}`",
    label = "expected `Document`",
    note = "`#[dynamo(other)] Other(Document)` keeps the items of entities no variant reads, as documents"
)]
pub trait OtherVariant {}

impl OtherVariant for Document {}

/// The position, in a collection's entities, of the entity `item` holds;
/// `None` for an unknown one (or none).
#[inline]
pub fn collection_entity(schema: &CollectionSchema, item: &Item) -> Option<usize> {
    match item.get(schema.discriminator) {
        Some(AttributeValue::S(name)) => schema.entities.iter().position(|e| e.name == name),
        _ => None,
    }
}

/// The error of an item no variant of a collection reads, naming its key.
#[cold]
pub fn unknown_entity(schema: &CollectionSchema, item: &Item, table: &TableSchema) -> DecodeError {
    let keeps = CollectionSchema {
        keeps_others: false,
        ..*schema
    };
    match keeps.entity_of(item, table) {
        Err(e) => e,
        // Not reached (the entity is unknown); an error all the same.
        Ok(_) => DecodeError::new(crate::error::DecodeErrorKind::UnknownEntity {
            collection: schema.name,
            found: None,
        }),
    }
}

/// The table key attributes of a document (an `other` variant's key).
pub fn document_key(document: &Document, table: &TableSchema) -> Result<Item, EncodeError> {
    let names = core::iter::once(table.hash_key.name).chain(table.range_key.map(|k| k.name));
    let mut key = Item::with_capacity(2);
    for name in names {
        match document.as_item().get(name) {
            Some(value) => {
                key.insert(String::from(name), value.clone());
            }
            None => {
                return Err(
                    EncodeError::invalid("the document has no such key attribute").in_field(name),
                );
            }
        }
    }
    Ok(key)
}

/// Refuses to write a versioned variant's entity through its enum's table.
#[cold]
pub fn versioned_variant(entity: &str, collection: &str) -> EncodeError {
    EncodeError::invalid(format!(
        "`{entity}` is versioned: write it through `Table<{entity}>`, which checks and bumps its \
         version (a `Table<{collection}>` write would skip that check)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attribute_written_twice_is_refused_and_keeps_the_name() {
        let mut item = Item::new();
        insert_new(&mut item, "username", AttributeValue::S("alice".into())).unwrap();
        let err = insert_new(&mut item, "username", AttributeValue::S("mallory".into()))
            .expect_err("a second write of one name is refused");
        assert_eq!(err.path().to_string(), "username");
        assert_eq!(item["username"], AttributeValue::S("alice".into()));
    }
}
