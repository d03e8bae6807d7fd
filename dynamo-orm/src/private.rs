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
pub fn read_with<T>(
    value: Option<AttributeValue>,
    name: &str,
    from: impl FnOnce(AttributeValue) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    match value {
        Some(v) => from(v).map_err(|e| e.in_field(name)),
        None => Err(DecodeError::missing(name)),
    }
}

/// Reads a `#[dynamo(with = module, default)]` field: missing (or NULL) gives `Default`.
#[inline]
pub fn read_with_or_default<T: Default>(
    value: Option<AttributeValue>,
    name: &str,
    from: impl FnOnce(AttributeValue) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    match value {
        Some(AttributeValue::Null(_)) | None => Ok(T::default()),
        Some(v) => from(v).map_err(|e| e.in_field(name)),
    }
}

/// Writes a `#[dynamo(with = module)]` field through `module::to_attribute`
/// (always: the module decides what an absent value is).
#[inline]
pub fn write_with<T: ?Sized>(
    item: &mut Item,
    name: &'static str,
    value: &T,
    to: impl FnOnce(&T) -> Result<AttributeValue, EncodeError>,
) -> Result<(), EncodeError> {
    item.insert(String::from(name), to(value).map_err(|e| e.in_field(name))?);
    Ok(())
}

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
