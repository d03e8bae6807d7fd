//! Re-exports and helpers for the derive macros' generated code. Not public API:
//! it changes with the macros, which the runtime pins at an exact version.
pub use crate::error::{DecodeError, EncodeError};
pub use crate::expr::{AttrKind, ExactKind, Field, ListKind};
pub use crate::schema::{
    DynamoItem, HasFields, Index, IndexKind, IndexSchema, KeyAttribute, NoRange, PrimaryKey,
    Projection, ProjectionOf, QueryTarget, ScalarType, TableSchema,
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
    item.insert(String::from(name), value);
    Ok(())
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
            let mut out = C::default();
            for (i, s) in list.into_iter().enumerate() {
                out.extend(Some(parse(s).map_err(|e| e.at_index(i))?));
            }
            Ok(out)
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

/// Writes a field unless it is absent (`None`, empty set).
#[inline]
pub fn write_field<T: IntoAttribute + ?Sized>(
    item: &mut Item,
    name: &'static str,
    value: &T,
) -> Result<(), EncodeError> {
    if !value.is_absent() {
        item.insert(
            String::from(name),
            value.to_attribute().map_err(|e| e.in_field(name))?,
        );
    }
    Ok(())
}
