//! Attribute conversions: [`IntoAttribute`] and [`FromAttribute`] for Rust types,
//! [`AttributeMap`] for structs stored as maps, and [`KeyScalar`] for key types.
//!
//! The mapping is type-driven; the README has the table. Numbers are written
//! with `itoa`/`ryu` (exact, shortest round-trip), strings move out of owned
//! items when reading, and `Vec<u8>` is binary (`B`) rather than a list.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, Hash};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::primitives::Blob;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind};
use crate::{AttributeValue, Item};
use check::{MAX_NESTING_DEPTH, check_name, empty_set, too_deep};

pub use crate::error::type_name;

/// Turns a Rust value into a DynamoDB attribute value.
///
/// Implemented for the types in the README's mapping table; derive
/// `DynamoAttribute` for your own structs and unit enums, or implement it by hand:
///
/// ```
/// use dynamo_orm::{AttributeValue, EncodeError, IntoAttribute};
/// struct Cents(i64);
/// impl IntoAttribute for Cents {
///     fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
///         self.0.to_attribute()
///     }
/// }
/// assert_eq!(Cents(250).to_attribute().unwrap(), AttributeValue::N("250".into()));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored as a DynamoDB attribute",
    label = "no `IntoAttribute` conversion for this type",
    note = "derive `DynamoAttribute` (structs, unit enums) or `DynamoItem` for your own types, implement `dynamo_orm::IntoAttribute`, or use `#[dynamo(with = module)]` on the field"
)]
pub trait IntoAttribute {
    /// The attribute value. Fails for values DynamoDB cannot store (NaN, out-of-range numbers).
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError>;

    /// Whether a struct field holding this value is left out of the item
    /// (`None`, empty sets: DynamoDB rejects empty sets).
    #[inline]
    fn is_absent(&self) -> bool {
        false
    }

    #[doc(hidden)]
    #[inline]
    fn __slice_to_attribute(slice: &[Self]) -> Result<AttributeValue, EncodeError>
    where
        Self: Sized,
    {
        let mut list = Vec::with_capacity(slice.len());
        for (i, v) in slice.iter().enumerate() {
            list.push(v.to_attribute().map_err(|e| e.at_index(i))?);
        }
        Ok(AttributeValue::L(list))
    }
}

/// Reads a Rust value from a DynamoDB attribute value, taking ownership so
/// strings and binaries move instead of being copied.
///
/// ```
/// use dynamo_orm::{AttributeValue, FromAttribute};
/// let n = u32::from_attribute(AttributeValue::N("42".into())).unwrap();
/// assert_eq!(n, 42);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a DynamoDB attribute",
    label = "no `FromAttribute` conversion for this type",
    note = "derive `DynamoAttribute` (structs, unit enums) or `DynamoItem` for your own types, implement `dynamo_orm::FromAttribute`, or use `#[dynamo(with = module)]` on the field"
)]
pub trait FromAttribute: Sized {
    /// Reads the value.
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError>;

    /// The value of a struct field whose attribute is missing from the item,
    /// or `None` when the attribute is required. `Option` gives `None`, sets give
    /// the empty set.
    #[inline]
    fn from_absent() -> Option<Self> {
        None
    }

    #[doc(hidden)]
    #[inline]
    fn __vec_from_attribute(value: AttributeValue) -> Result<Vec<Self>, DecodeError> {
        match value {
            AttributeValue::L(list) => {
                let mut out = Vec::with_capacity(list.len());
                for (i, v) in list.into_iter().enumerate() {
                    out.push(Self::from_attribute(v).map_err(|e| e.at_index(i))?);
                }
                Ok(out)
            }
            other => Err(DecodeError::type_mismatch("L", &other)),
        }
    }
}

/// A type whose values can be a DynamoDB key attribute (a scalar: `S`, `N` or `B`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB key attribute",
    label = "key attributes must be strings, numbers or binary",
    note = "DynamoDB keys are scalars: S (String, Uuid, dates, unit enums), N (integers, floats, Decimal) or B (Vec<u8>, [u8; N], Bytes); bool, lists, maps and sets cannot be keys, and only a secondary index key can be an `Option` (a sparse index)"
)]
pub trait KeyScalar: IntoAttribute + FromAttribute {
    /// The key's DynamoDB type.
    const SCALAR_TYPE: ScalarType;
}

/// A struct stored as a map of attributes: the top level of an item, a nested
/// `M` value, or the inline part of a `#[dynamo(flatten)]` field. Derived.
pub trait AttributeMap: Sized {
    /// How many attributes it writes at most (for `HashMap::with_capacity`).
    const ATTRIBUTE_COUNT: usize;

    /// Writes the attributes into `item`.
    fn write_attributes(&self, item: &mut Item) -> Result<(), EncodeError>;

    /// Reads the attributes, removing them from `item` (a flattened struct
    /// reads its part of its parent's map this way). By default: takes the
    /// attributes named in [`ATTRIBUTE_NAMES`](Self::ATTRIBUTE_NAMES) out of
    /// `item` and reads them with [`from_map`](Self::from_map).
    #[inline]
    fn read_attributes(item: &mut Item) -> Result<Self, DecodeError> {
        let mut own = Item::with_capacity(Self::ATTRIBUTE_NAMES.len());
        for name in Self::ATTRIBUTE_NAMES {
            if let Some((key, value)) = item.remove_entry(*name) {
                own.insert(key, value);
            }
        }
        Self::from_map(own)
    }

    /// Reads from an owned map; derived code overrides this with a single
    /// pass. By default it calls [`read_attributes`](Self::read_attributes):
    /// an implementation overrides at least one of the two.
    #[inline]
    fn from_map(mut item: Item) -> Result<Self, DecodeError> {
        Self::read_attributes(&mut item)
    }

    /// The map.
    #[inline]
    fn to_map(&self) -> Result<Item, EncodeError> {
        let mut item = HashMap::with_capacity(Self::ATTRIBUTE_COUNT);
        self.write_attributes(&mut item)?;
        Ok(item)
    }

    /// The top-level attribute names it writes, in field order: a flattened
    /// struct's names in its place. Empty when they are only known at run time
    /// ([`Document`](crate::Document)).
    const ATTRIBUTE_NAMES: &'static [&'static str];

    /// Appends [`ATTRIBUTE_NAMES`](Self::ATTRIBUTE_NAMES) to `out`.
    #[inline]
    fn attribute_names(out: &mut Vec<&'static str>) {
        out.extend_from_slice(Self::ATTRIBUTE_NAMES);
    }
}

// ---------------------------------------------------------------- numbers

/// Numbers: integers, floats (and `Decimal` behind its feature). Used for `N`
/// attributes and number sets.
pub trait Number: Sized {
    #[doc(hidden)]
    fn __to_number(&self) -> Result<String, EncodeError>;
    #[doc(hidden)]
    fn __from_number(text: &str) -> Result<Self, DecodeError>;
}

macro_rules! small_int {
    ($($t:ty),*) => {$(
        impl Number for $t {
            #[inline]
            fn __to_number(&self) -> Result<String, EncodeError> {
                Ok(itoa::Buffer::new().format(*self).to_owned())
            }
            #[inline]
            fn __from_number(text: &str) -> Result<Self, DecodeError> {
                number::parse_integer(text, stringify!($t))
            }
        }
    )*};
}
small_int!(i8, i16, i32, i64, isize, u16, u32, u64, usize);

macro_rules! big_int {
    ($($t:ty),*) => {$(
        impl Number for $t {
            #[inline]
            fn __to_number(&self) -> Result<String, EncodeError> {
                let text = itoa::Buffer::new().format(*self).to_owned();
                number::check(&text)?;
                Ok(text)
            }
            #[inline]
            fn __from_number(text: &str) -> Result<Self, DecodeError> {
                number::parse_integer(text, stringify!($t))
            }
        }
    )*};
}
big_int!(i128, u128);

impl Number for u8 {
    #[inline]
    fn __to_number(&self) -> Result<String, EncodeError> {
        Ok(itoa::Buffer::new().format(*self).to_owned())
    }
    #[inline]
    fn __from_number(text: &str) -> Result<Self, DecodeError> {
        number::parse_integer(text, "u8")
    }
}

macro_rules! float {
    ($($t:ty),*) => {$(
        impl Number for $t {
            #[inline]
            fn __to_number(&self) -> Result<String, EncodeError> {
                let mut buf = ryu::Buffer::new();
                let text = if self.is_finite() { buf.format_finite(*self) } else { "" };
                number::float_text(f64::from(*self), text)
            }
            #[inline]
            fn __from_number(text: &str) -> Result<Self, DecodeError> {
                text.parse::<$t>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
                    DecodeError::new(DecodeErrorKind::InvalidNumber {
                        value: number::truncated(text),
                        target: stringify!($t),
                    })
                })
            }
        }
    )*};
}
float!(f32, f64);

macro_rules! number_attribute {
    ($($t:ty),*) => {$(
        impl IntoAttribute for $t {
            #[inline]
            fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
                Ok(AttributeValue::N(self.__to_number()?))
            }
        }
        impl FromAttribute for $t {
            #[inline]
            fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
                match value {
                    AttributeValue::N(text) => Self::__from_number(&text),
                    other => Err(DecodeError::type_mismatch("N", &other)),
                }
            }
        }
        impl KeyScalar for $t {
            const SCALAR_TYPE: ScalarType = ScalarType::N;
        }
    )*};
}
number_attribute!(
    i8, i16, i32, i64, i128, isize, u16, u32, u64, u128, usize, f32, f64
);

// u8 alone: a `Vec<u8>` is binary, so its slice and vec conversions are overridden.
impl IntoAttribute for u8 {
    #[inline]
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::N(self.__to_number()?))
    }
    #[inline]
    fn __slice_to_attribute(slice: &[Self]) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::B(Blob::new(slice.to_vec())))
    }
}
impl FromAttribute for u8 {
    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::N(text) => Self::__from_number(&text),
            other => Err(DecodeError::type_mismatch("N", &other)),
        }
    }
    #[inline]
    fn __vec_from_attribute(value: AttributeValue) -> Result<Vec<Self>, DecodeError> {
        match value {
            AttributeValue::B(blob) => Ok(blob.into_inner()),
            other => Err(DecodeError::type_mismatch("B", &other)),
        }
    }
}
impl KeyScalar for u8 {
    const SCALAR_TYPE: ScalarType = ScalarType::N;
}

// ---------------------------------------------------------------- strings, bool

impl IntoAttribute for String {
    #[inline]
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::S(self.clone()))
    }
}
impl FromAttribute for String {
    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::S(s) => Ok(s),
            other => Err(DecodeError::type_mismatch("S", &other)),
        }
    }
}
impl KeyScalar for String {
    const SCALAR_TYPE: ScalarType = ScalarType::S;
}

impl IntoAttribute for str {
    #[inline]
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::S(self.to_owned()))
    }
}

impl IntoAttribute for Cow<'_, str> {
    #[inline]
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::S(self.as_ref().to_owned()))
    }
}
impl FromAttribute for Cow<'static, str> {
    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        String::from_attribute(value).map(Cow::Owned)
    }
}

impl IntoAttribute for char {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::S(self.to_string()))
    }
}
impl FromAttribute for char {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let s = String::from_attribute(value)?;
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(c),
            _ => Err(DecodeError::invalid("a single character", format!("{s:?}"))),
        }
    }
}

impl IntoAttribute for bool {
    #[inline]
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::Bool(*self))
    }
}
impl FromAttribute for bool {
    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::Bool(b) => Ok(b),
            other => Err(DecodeError::type_mismatch("BOOL", &other)),
        }
    }
}

// ---------------------------------------------------------------- binary

impl IntoAttribute for Blob {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::B(self.clone()))
    }
}
impl FromAttribute for Blob {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::B(b) => Ok(b),
            other => Err(DecodeError::type_mismatch("B", &other)),
        }
    }
}
impl KeyScalar for Blob {
    const SCALAR_TYPE: ScalarType = ScalarType::B;
}
impl KeyScalar for Vec<u8> {
    const SCALAR_TYPE: ScalarType = ScalarType::B;
}

#[cfg(feature = "bytes")]
mod bytes_impl {
    use super::*;
    impl IntoAttribute for bytes::Bytes {
        fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
            Ok(AttributeValue::B(Blob::new(self.to_vec())))
        }
    }
    impl FromAttribute for bytes::Bytes {
        fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
            Blob::from_attribute(value).map(|b| bytes::Bytes::from(b.into_inner()))
        }
    }
    impl KeyScalar for bytes::Bytes {
        const SCALAR_TYPE: ScalarType = ScalarType::B;
    }
    impl SetElement for bytes::Bytes {
        fn __encode_set<'a>(
            items: impl ExactSizeIterator<Item = &'a Self>,
        ) -> Result<AttributeValue, EncodeError> {
            Ok(AttributeValue::Bs(
                items.map(|b| Blob::new(b.to_vec())).collect(),
            ))
        }
        fn __decode_set<C: Default + Extend<Self>>(
            value: AttributeValue,
        ) -> Result<C, DecodeError> {
            decode_binary_set(value, |b| bytes::Bytes::from(b.into_inner()))
        }
    }
}

// ---------------------------------------------------------------- wrappers

impl<T: IntoAttribute + ?Sized> IntoAttribute for &T {
    #[inline]
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        (**self).to_attribute()
    }
    #[inline]
    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

macro_rules! smart_pointer {
    ($($p:ident),*) => {$(
        impl<T: IntoAttribute + ?Sized> IntoAttribute for $p<T> {
            #[inline]
            fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
                (**self).to_attribute()
            }
            #[inline]
            fn is_absent(&self) -> bool {
                (**self).is_absent()
            }
        }
        impl<T: FromAttribute> FromAttribute for $p<T> {
            #[inline]
            fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
                T::from_attribute(value).map($p::new)
            }
            #[inline]
            fn from_absent() -> Option<Self> {
                T::from_absent().map($p::new)
            }
        }
    )*};
}
smart_pointer!(Box, Arc);

impl<T: IntoAttribute> IntoAttribute for Option<T> {
    /// `None` inside a list or map is `NULL`; as a struct field it is left out.
    #[inline]
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        match self {
            Some(v) => v.to_attribute(),
            None => Ok(AttributeValue::Null(true)),
        }
    }
    #[inline]
    fn is_absent(&self) -> bool {
        match self {
            Some(v) => v.is_absent(),
            None => true,
        }
    }
}
impl<T: FromAttribute> FromAttribute for Option<T> {
    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::Null(_) => Ok(None),
            other => T::from_attribute(other).map(Some),
        }
    }
    #[inline]
    fn from_absent() -> Option<Self> {
        Some(None)
    }
}

// ---------------------------------------------------------------- lists

impl<T: IntoAttribute> IntoAttribute for Vec<T> {
    #[inline]
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        T::__slice_to_attribute(self)
    }
}
impl<T: FromAttribute> FromAttribute for Vec<T> {
    #[inline]
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        T::__vec_from_attribute(value)
    }
}
impl<T: IntoAttribute> IntoAttribute for [T] {
    #[inline]
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        T::__slice_to_attribute(self)
    }
}
impl<T: IntoAttribute, const N: usize> IntoAttribute for [T; N] {
    #[inline]
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        T::__slice_to_attribute(self)
    }
}

/// Read like a `Vec<T>` (a list, or binary for `[u8; N]`) of exactly `N` elements.
impl<T: FromAttribute, const N: usize> FromAttribute for [T; N] {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let items = T::__vec_from_attribute(value)?;
        let len = items.len();
        <[T; N]>::try_from(items).map_err(|_| {
            DecodeError::invalid(
                "a fixed-size array",
                format!("expected {N} elements, found {len}"),
            )
        })
    }
}

impl<T: IntoAttribute> IntoAttribute for VecDeque<T> {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        let mut list = Vec::with_capacity(self.len());
        for (i, v) in self.iter().enumerate() {
            list.push(v.to_attribute().map_err(|e| e.at_index(i))?);
        }
        Ok(AttributeValue::L(list))
    }
}
impl<T: FromAttribute> FromAttribute for VecDeque<T> {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::L(list) => {
                let mut out = VecDeque::with_capacity(list.len());
                for (i, v) in list.into_iter().enumerate() {
                    out.push_back(T::from_attribute(v).map_err(|e| e.at_index(i))?);
                }
                Ok(out)
            }
            other => Err(DecodeError::type_mismatch("L", &other)),
        }
    }
}

// ---------------------------------------------------------------- maps

fn encode_map<'a, V: IntoAttribute + 'a>(
    len: usize,
    entries: impl Iterator<Item = (&'a String, &'a V)>,
) -> Result<AttributeValue, EncodeError> {
    // Unlike struct fields, map entries are never left out: a missing key would
    // not read back as the entry the map held (`{"a": None}` must stay `{"a": None}`),
    // so `None` and empty sets are written as `NULL`.
    let mut map = HashMap::with_capacity(len);
    for (k, v) in entries {
        map.insert(k.clone(), v.to_attribute().map_err(|e| e.in_field(k))?);
    }
    Ok(AttributeValue::M(map))
}

fn decode_map<V: FromAttribute, C: Extend<(String, V)>>(
    value: AttributeValue,
    make: impl FnOnce(usize) -> C,
) -> Result<C, DecodeError> {
    match value {
        AttributeValue::M(map) => {
            let mut out = make(map.len());
            for (k, v) in map {
                let v = V::from_attribute(v).map_err(|e| e.in_field(&k))?;
                out.extend(std::iter::once((k, v)));
            }
            Ok(out)
        }
        other => Err(DecodeError::type_mismatch("M", &other)),
    }
}

impl<V: IntoAttribute, S: BuildHasher> IntoAttribute for HashMap<String, V, S> {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        encode_map(self.len(), self.iter())
    }
}
impl<V: FromAttribute, S: BuildHasher + Default> FromAttribute for HashMap<String, V, S> {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        decode_map(value, |n| {
            HashMap::with_capacity_and_hasher(n, S::default())
        })
    }
}
impl<V: IntoAttribute> IntoAttribute for BTreeMap<String, V> {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        encode_map(self.len(), self.iter())
    }
}
impl<V: FromAttribute> FromAttribute for BTreeMap<String, V> {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        decode_map(value, |_| BTreeMap::new())
    }
}

// ---------------------------------------------------------------- sets

/// A type that can be a member of a DynamoDB set: strings (`SS`), numbers
/// (`NS`) or binaries (`BS`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a member of a DynamoDB set",
    label = "not a set member",
    note = "DynamoDB sets hold strings (SS), integers or decimals (NS) and binaries (BS); floats are not set members because they do not compare exactly: use `rust_decimal::Decimal` (feature `rust_decimal`) for fractional numbers, or a `Vec` (a list) for other values"
)]
pub trait SetElement: Sized {
    #[doc(hidden)]
    fn __encode_set<'a>(
        items: impl ExactSizeIterator<Item = &'a Self>,
    ) -> Result<AttributeValue, EncodeError>
    where
        Self: 'a;
    #[doc(hidden)]
    fn __decode_set<C: Default + Extend<Self>>(value: AttributeValue) -> Result<C, DecodeError>;
}

impl SetElement for String {
    fn __encode_set<'a>(
        items: impl ExactSizeIterator<Item = &'a Self>,
    ) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::Ss(items.cloned().collect()))
    }
    fn __decode_set<C: Default + Extend<Self>>(value: AttributeValue) -> Result<C, DecodeError> {
        match value {
            AttributeValue::Ss(list) => Ok(collect_set(list)),
            AttributeValue::Null(_) => Ok(C::default()),
            other => Err(DecodeError::type_mismatch("SS", &other)),
        }
    }
}

/// A set collection from its members in one `extend`, which sizes a hash
/// set once from the exact length instead of growing it member by member.
#[inline]
pub(crate) fn collect_set<T, C: Default + Extend<T>>(members: impl IntoIterator<Item = T>) -> C {
    let mut out = C::default();
    out.extend(members);
    out
}

fn decode_binary_set<T, C: Default + Extend<T>>(
    value: AttributeValue,
    f: impl Fn(Blob) -> T,
) -> Result<C, DecodeError> {
    match value {
        AttributeValue::Bs(list) => Ok(collect_set(list.into_iter().map(f))),
        AttributeValue::Null(_) => Ok(C::default()),
        other => Err(DecodeError::type_mismatch("BS", &other)),
    }
}

impl SetElement for Vec<u8> {
    fn __encode_set<'a>(
        items: impl ExactSizeIterator<Item = &'a Self>,
    ) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::Bs(
            items.map(|b| Blob::new(b.clone())).collect(),
        ))
    }
    fn __decode_set<C: Default + Extend<Self>>(value: AttributeValue) -> Result<C, DecodeError> {
        decode_binary_set(value, Blob::into_inner)
    }
}

impl SetElement for Blob {
    fn __encode_set<'a>(
        items: impl ExactSizeIterator<Item = &'a Self>,
    ) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::Bs(items.cloned().collect()))
    }
    fn __decode_set<C: Default + Extend<Self>>(value: AttributeValue) -> Result<C, DecodeError> {
        decode_binary_set(value, |b| b)
    }
}

macro_rules! number_set {
    ($($t:ty),*) => {$(
        impl SetElement for $t {
            fn __encode_set<'a>(
                items: impl ExactSizeIterator<Item = &'a Self>,
            ) -> Result<AttributeValue, EncodeError> {
                let mut out = Vec::with_capacity(items.len());
                for n in items {
                    out.push(n.__to_number()?);
                }
                Ok(AttributeValue::Ns(out))
            }
            fn __decode_set<C: Default + Extend<Self>>(value: AttributeValue) -> Result<C, DecodeError> {
                decode_number_set(value)
            }
        }
    )*};
}
number_set!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

fn decode_number_set<T: Number, C: Default + Extend<T>>(
    value: AttributeValue,
) -> Result<C, DecodeError> {
    match value {
        AttributeValue::Ns(list) => {
            // Into a Vec first: one `extend` with an exact size hint lets a
            // hash set allocate once instead of growing and rehashing.
            let mut members = Vec::with_capacity(list.len());
            for (i, n) in list.iter().enumerate() {
                members.push(T::__from_number(n).map_err(|e| e.at_index(i))?);
            }
            Ok(collect_set(members))
        }
        AttributeValue::Null(_) => Ok(C::default()),
        other => Err(DecodeError::type_mismatch("NS", &other)),
    }
}

impl<T: SetElement + Eq + Hash, S: BuildHasher> IntoAttribute for HashSet<T, S> {
    /// An empty set is `NULL` inside lists and maps (DynamoDB has no empty
    /// sets); as a struct field it is left out.
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        if self.is_empty() {
            return Ok(AttributeValue::Null(true));
        }
        T::__encode_set(self.iter())
    }
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<T: SetElement + Eq + Hash, S: BuildHasher + Default> FromAttribute for HashSet<T, S> {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        T::__decode_set(value)
    }
    fn from_absent() -> Option<Self> {
        Some(Self::default())
    }
}
impl<T: SetElement + Ord> IntoAttribute for BTreeSet<T> {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        if self.is_empty() {
            return Ok(AttributeValue::Null(true));
        }
        T::__encode_set(self.iter())
    }
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<T: SetElement + Ord> FromAttribute for BTreeSet<T> {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        T::__decode_set(value)
    }
    fn from_absent() -> Option<Self> {
        Some(Self::default())
    }
}

// ---------------------------------------------------------------- raw values

/// Checks a raw attribute value the way typed values are checked, with the
/// same [`EncodeErrorKind`]s and the path of the offending part: numbers
/// DynamoDB stores (finite, at most 38 significant digits, magnitude 1E-130
/// to 9.99…E+125), sets neither empty nor holding a member twice (`NS`
/// members compare by value: `1` and `1.0` are one member), map keys of 1 to
/// 65,535 bytes, and lists and maps nested no deeper than DynamoDB stores,
/// taking `value` as a top-level attribute's value (the item is level 1, so
/// 31 lists or maps fit inside it). Deeper nesting around the value is
/// checked when its item is written ([`limits::check_item`](crate::limits::check_item)).
///
/// ```
/// use dynamo_orm::{value::check_value, AttributeValue, EncodeErrorKind};
///
/// assert!(check_value(&AttributeValue::N("1.5E+3".into())).is_ok());
///
/// let err = check_value(&AttributeValue::N("NaN".into())).unwrap_err();
/// assert_eq!(err.kind(), &EncodeErrorKind::NonFiniteNumber);
///
/// let set = AttributeValue::Ns(vec!["1".into(), "2".into(), "1.0".into()]);
/// let err = check_value(&set).unwrap_err();
/// assert!(matches!(err.kind(), EncodeErrorKind::DuplicateSetMember(_)));
/// assert_eq!(err.path().to_string(), "[2]");
///
/// let list = AttributeValue::L(vec![AttributeValue::Ss(vec![])]);
/// assert_eq!(check_value(&list).unwrap_err().to_string(),
///     "attribute `[0]`: an empty SS cannot be stored: DynamoDB has no empty sets");
/// ```
pub fn check_value(value: &AttributeValue) -> Result<(), EncodeError> {
    check_at(value, TOP_LEVEL)
}

/// The level a raw or JSON value is taken to be at: a top-level attribute's
/// (DynamoDB counts the item as level 1).
pub(crate) const TOP_LEVEL: usize = 2;

fn check_at(value: &AttributeValue, level: usize) -> Result<(), EncodeError> {
    match value {
        AttributeValue::S(_)
        | AttributeValue::B(_)
        | AttributeValue::Bool(_)
        | AttributeValue::Null(_) => Ok(()),
        AttributeValue::N(n) => number::check(n).map(drop),
        AttributeValue::Ss(list) => check_unique("SS", list.iter().map(String::as_str), |s| {
            format!("{:?}", number::truncated(s))
        }),
        AttributeValue::Bs(list) => check_unique("BS", list.iter().map(Blob::as_ref), |b| {
            format!("a binary of {} bytes", b.len())
        }),
        AttributeValue::Ns(list) => check_number_set(list),
        AttributeValue::L(list) => {
            if level > MAX_NESTING_DEPTH {
                return Err(too_deep());
            }
            for (i, v) in list.iter().enumerate() {
                check_at(v, level + 1).map_err(|e| e.at_index(i))?;
            }
            Ok(())
        }
        AttributeValue::M(map) => {
            if level > MAX_NESTING_DEPTH {
                return Err(too_deep());
            }
            for (k, v) in map {
                check_name(k)?;
                check_at(v, level + 1).map_err(|e| e.in_field(k))?;
            }
            Ok(())
        }
        _ => Err(unknown_type()),
    }
}

/// Drops a value without recursion: what a depth limit refused may be
/// nested deeper than a recursive drop has stack for.
pub(crate) fn discard(value: AttributeValue) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            AttributeValue::L(list) => stack.extend(list),
            AttributeValue::M(map) => stack.extend(map.into_values()),
            _ => {}
        }
    }
}

/// The error of a value of a type newer than this SDK version knows.
#[cold]
pub(crate) fn unknown_type() -> EncodeError {
    EncodeError::invalid("a value of a type this SDK version does not know cannot be written")
}

fn check_unique<'a, T: Hash + Eq + ?Sized + 'a>(
    tag: &'static str,
    members: impl ExactSizeIterator<Item = &'a T>,
    show: impl Fn(&T) -> String,
) -> Result<(), EncodeError> {
    if members.len() == 0 {
        return Err(empty_set(tag));
    }
    let mut seen = HashSet::with_capacity(members.len());
    for (i, member) in members.enumerate() {
        if !seen.insert(member) {
            return Err(
                EncodeError::new(EncodeErrorKind::DuplicateSetMember(show(member))).at_index(i),
            );
        }
    }
    Ok(())
}

fn check_number_set(list: &[String]) -> Result<(), EncodeError> {
    if list.is_empty() {
        return Err(empty_set("NS"));
    }
    let mut parsed = Vec::with_capacity(list.len());
    for (i, text) in list.iter().enumerate() {
        parsed.push((number::check(text).map_err(|e| e.at_index(i))?, i));
    }
    // By value: `1` and `1.0` are one member to DynamoDB.
    parsed.sort_unstable_by(|a, b| a.0.identity_cmp(&b.0).then(a.1.cmp(&b.1)));
    for pair in parsed.windows(2) {
        if let [(a, _), (b, i)] = pair
            && a == b
        {
            let text = list.get(*i).map_or("", String::as_str);
            return Err(
                EncodeError::new(EncodeErrorKind::DuplicateSetMember(number::truncated(text)))
                    .at_index(*i),
            );
        }
    }
    Ok(())
}

/// A raw value is checked as typed values are ([`check_value`]) before it
/// is cloned: `N("NaN")` or an empty set is refused here, with the path.
impl IntoAttribute for AttributeValue {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        check_value(self)?;
        Ok(self.clone())
    }
}
impl FromAttribute for AttributeValue {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        Ok(value)
    }
}

impl IntoAttribute for () {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::Null(true))
    }
}

// ---------------------------------------------------------------- time

/// `SystemTime` is stored as `N`, seconds since the Unix epoch, with a
/// fraction only when there are sub-second parts (lossless, and the format
/// DynamoDB's TTL reads).
impl IntoAttribute for SystemTime {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        let (neg, d) = match self.duration_since(UNIX_EPOCH) {
            Ok(d) => (false, d),
            Err(e) => (true, e.duration()),
        };
        let mut text = String::with_capacity(24);
        if neg {
            text.push('-');
        }
        text.push_str(itoa::Buffer::new().format(d.as_secs()));
        let mut nanos = d.subsec_nanos();
        if nanos != 0 {
            // Nine digits without a `format!` allocation, trailing zeros dropped.
            let mut digits = [b'0'; 9];
            for digit in digits.iter_mut().rev() {
                *digit = b'0' + (nanos % 10) as u8;
                nanos /= 10;
            }
            let len = 9 - digits.iter().rev().take_while(|&&b| b == b'0').count();
            text.push('.');
            text.extend(digits.iter().take(len).map(|&b| char::from(b)));
        }
        Ok(AttributeValue::N(text))
    }
}
impl FromAttribute for SystemTime {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = match value {
            AttributeValue::N(t) => t,
            other => return Err(DecodeError::type_mismatch("N", &other)),
        };
        let bad = || {
            DecodeError::new(DecodeErrorKind::InvalidNumber {
                value: text.clone(),
                target: "SystemTime",
            })
        };
        let (neg, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (secs, frac) = body.split_once('.').unwrap_or((body, ""));
        let secs: u64 = secs.parse().map_err(|_| bad())?;
        if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        // The fraction's digits, scaled to nanoseconds without an allocation.
        let nanos = frac
            .bytes()
            .chain(std::iter::repeat(b'0'))
            .take(9)
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
        let d = Duration::new(secs, nanos);
        let t = if neg {
            UNIX_EPOCH.checked_sub(d)
        } else {
            UNIX_EPOCH.checked_add(d)
        };
        t.ok_or_else(bad)
    }
}
impl KeyScalar for SystemTime {
    const SCALAR_TYPE: ScalarType = ScalarType::N;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whole_numbers_in_any_form() {
        assert_eq!(i64::__from_number("1E+2").unwrap(), 100);
        assert_eq!(u8::__from_number("2.55e2").unwrap(), 255);
        assert!(u8::__from_number("2.56e2").is_err());
        assert!(i32::__from_number("1.5").is_err());
        assert_eq!(
            u128::__from_number("3.40282366920938463463374607431768211455E+38").unwrap(),
            u128::MAX
        );
        assert!(f64::__from_number("NaN").is_err());
        assert!(f64::__from_number(" 1").is_err());
        assert!(f32::__from_number("9.9999999999999999999999999999999999999E+125").is_err());
    }

    #[test]
    fn edge_doubles_are_written_so_they_can_be_stored() {
        let max = AttributeValue::N(number::MAX_MAGNITUDE.into());
        let v = f64::from_attribute(max.clone()).unwrap();
        assert_eq!(v.to_attribute().unwrap(), max);
        let neg = (-v).to_attribute().unwrap();
        assert_eq!(f64::from_attribute(neg.clone()).unwrap(), -v);
        check_value(&neg).unwrap();
        let min = f64::from_attribute(AttributeValue::N("1E-130".into())).unwrap();
        check_value(&min.to_attribute().unwrap()).unwrap();
        check_value(&(-min).to_attribute().unwrap()).unwrap();
    }

    fn kind(v: AttributeValue) -> EncodeErrorKind {
        let err = check_value(&v).unwrap_err();
        assert_eq!(v.to_attribute().unwrap_err(), err);
        err.kind().clone()
    }

    #[test]
    fn raw_values_are_checked_like_typed_ones() {
        let n = |t: &str| AttributeValue::N(t.into());
        assert_eq!(kind(n("NaN")), EncodeErrorKind::NonFiniteNumber);
        assert_eq!(kind(n("-inf")), EncodeErrorKind::NonFiniteNumber);
        assert!(matches!(
            kind(n("1e126")),
            EncodeErrorKind::NumberOutOfRange(_)
        ));
        assert!(matches!(
            kind(n(&"7".repeat(39))),
            EncodeErrorKind::NumberOutOfRange(_)
        ));
        assert!(matches!(kind(n("--1")), EncodeErrorKind::InvalidNumber(_)));
        assert!(matches!(kind(n("")), EncodeErrorKind::InvalidNumber(_)));
        assert_eq!(
            kind(AttributeValue::Ss(vec![])),
            EncodeErrorKind::EmptySet("SS")
        );
        assert_eq!(
            kind(AttributeValue::Ns(vec![])),
            EncodeErrorKind::EmptySet("NS")
        );
        assert_eq!(
            kind(AttributeValue::Bs(vec![])),
            EncodeErrorKind::EmptySet("BS")
        );
        assert_eq!(
            kind(AttributeValue::Ss(vec!["a".into(), "a".into()])),
            EncodeErrorKind::DuplicateSetMember("\"a\"".into())
        );
        assert!(matches!(
            kind(AttributeValue::Bs(vec![
                Blob::new(vec![1]),
                Blob::new(vec![1])
            ])),
            EncodeErrorKind::DuplicateSetMember(_)
        ));
        for dup in [
            ["1", "1.0"],
            ["100", "1E+2"],
            ["-0.5", "-5e-1"],
            ["0", "-0.0"],
        ] {
            let set = AttributeValue::Ns(dup.iter().map(|t| (*t).to_owned()).collect());
            assert!(
                matches!(kind(set), EncodeErrorKind::DuplicateSetMember(_)),
                "{dup:?}"
            );
        }
        let set = AttributeValue::Ns(vec!["1".into(), "x".into()]);
        assert_eq!(check_value(&set).unwrap_err().path().to_string(), "[1]");
        assert!(
            check_value(&AttributeValue::Ns(vec![
                "1".into(),
                "-1".into(),
                "10".into()
            ]))
            .is_ok()
        );
        assert!(check_value(&AttributeValue::Ss(vec!["a".into(), "A".into()])).is_ok());
        // Map keys: 1 to 65,535 bytes.
        let key = |k: String| AttributeValue::M(Item::from([(k, AttributeValue::Bool(true))]));
        assert!(matches!(
            kind(key(String::new())),
            EncodeErrorKind::InvalidName(_)
        ));
        assert!(matches!(
            kind(key("k".repeat(65_536))),
            EncodeErrorKind::InvalidName(_)
        ));
        assert!(check_value(&key("k".repeat(65_535))).is_ok());
    }

    #[test]
    fn raw_nesting_is_limited() {
        let nested = |levels: usize| {
            let mut v = AttributeValue::Null(true);
            for i in 0..levels {
                v = if i % 2 == 0 {
                    AttributeValue::L(vec![v])
                } else {
                    AttributeValue::M(Item::from([("m".to_owned(), v)]))
                };
            }
            v
        };
        assert!(check_value(&nested(31)).is_ok());
        let err = check_value(&nested(32)).unwrap_err();
        assert_eq!(err.kind(), &EncodeErrorKind::TooDeep { limit: 32 });
        assert_eq!(err.path().segments().count(), 31);
        // A thousand levels are refused at level 33, without recursing further.
        assert_eq!(kind(nested(1000)), EncodeErrorKind::TooDeep { limit: 32 });
    }

    #[test]
    fn sets_decode_in_one_pass() {
        let ns = AttributeValue::Ns((0..100).map(|i| i.to_string()).collect());
        let set = HashSet::<u32>::from_attribute(ns).unwrap();
        assert_eq!(set.len(), 100);
        let err = HashSet::<u8>::from_attribute(AttributeValue::Ns(vec!["1".into(), "300".into()]))
            .unwrap_err();
        assert_eq!(err.path().to_string(), "[1]");
        let ss = AttributeValue::Ss(vec!["a".into(), "b".into()]);
        assert_eq!(BTreeSet::<String>::from_attribute(ss).unwrap().len(), 2);
    }

    #[test]
    fn refuses_non_finite_and_out_of_range() {
        assert!(f64::NAN.to_attribute().is_err());
        assert!(f64::INFINITY.to_attribute().is_err());
        assert!(f32::NEG_INFINITY.to_attribute().is_err());
        assert!(1e200f64.to_attribute().is_err());
        assert!(1e-200f64.to_attribute().is_err());
        assert_eq!(
            0.0f64.to_attribute().unwrap(),
            AttributeValue::N("0.0".into())
        );
        assert!(u128::MAX.to_attribute().is_err());
        assert!(10u128.pow(38).to_attribute().is_ok());
    }

    #[test]
    fn system_time_round_trips() {
        for t in [
            UNIX_EPOCH + Duration::new(1_366_056_668, 0),
            UNIX_EPOCH + Duration::new(1_366_056_668, 120_000_000),
            UNIX_EPOCH - Duration::new(5, 1),
        ] {
            let av = t.to_attribute().unwrap();
            assert_eq!(SystemTime::from_attribute(av).unwrap(), t);
        }
        assert_eq!(
            (UNIX_EPOCH + Duration::new(10, 500_000_000))
                .to_attribute()
                .unwrap(),
            AttributeValue::N("10.5".into())
        );
    }
}

mod scalar;
pub use scalar::ScalarType;

pub(crate) mod check;
#[cfg(feature = "chrono")]
mod chrono;
#[cfg(feature = "rust_decimal")]
mod decimal;
#[cfg(feature = "json")]
pub(crate) mod json;
pub(crate) mod number;
#[cfg(feature = "chrono")]
pub mod pynamodb;
#[cfg(feature = "time")]
mod time;
#[cfg(feature = "uuid")]
mod uuid;
