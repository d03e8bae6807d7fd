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
use crate::schema::ScalarType;
use crate::{AttributeValue, Item};

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

    /// Reads the attributes, removing them from `item`.
    fn read_attributes(item: &mut Item) -> Result<Self, DecodeError>;

    /// Reads from an owned map; derived code overrides this with a single pass.
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

// ---------------------------------------------------------------- helpers

#[inline]
fn out_of_range(text: String) -> EncodeError {
    EncodeError::new(EncodeErrorKind::NumberOutOfRange(text))
}

/// Parses a DynamoDB number into an integer type. DynamoDB returns normalised
/// integers, but numbers written by other clients may carry an exponent or
/// trailing zeros (`1E+2`, `100.0`): those are accepted when they are whole.
fn parse_int<T: std::str::FromStr>(s: &str, target: &'static str) -> Result<T, DecodeError> {
    if let Ok(v) = s.parse::<T>() {
        return Ok(v);
    }
    normalize_integer(s)
        .and_then(|n| n.parse::<T>().ok())
        .ok_or_else(|| {
            DecodeError::new(DecodeErrorKind::InvalidNumber {
                value: s.to_owned(),
                target,
            })
        })
}

/// `"1.5E+1"` -> `"15"`; `None` when the number is not whole or not a number.
fn normalize_integer(s: &str) -> Option<String> {
    let s = s.trim();
    let (neg, s) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i64>().ok()?),
        None => (s, 0),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part
        .bytes()
        .chain(frac_part.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut digits: String = int_part.chars().chain(frac_part.chars()).collect();
    if digits.bytes().all(|b| b == b'0') {
        // Zero whatever the exponent (`0E+999` is still zero).
        return Some("0".to_owned());
    }
    // Position of the decimal point after applying the exponent. Checked: the
    // exponent comes from stored data and may be as large as `i64::MAX`.
    let point = i64::try_from(int_part.len()).ok()?.checked_add(exp)?;
    if point < 0 {
        return None;
    }
    let point = usize::try_from(point).ok()?;
    if point > 400 {
        return None;
    }
    if point >= digits.len() {
        digits.extend(std::iter::repeat_n('0', point - digits.len()));
    } else if !digits[point..].bytes().all(|b| b == b'0') {
        return None;
    } else {
        digits.truncate(point);
    }
    let trimmed = digits.trim_start_matches('0');
    let body = if trimmed.is_empty() { "0" } else { trimmed };
    Some(if neg && body != "0" {
        format!("-{body}")
    } else {
        body.to_owned()
    })
}

/// DynamoDB numbers hold at most 38 significant digits.
fn check_significant_digits(text: &str) -> Result<(), EncodeError> {
    let digits = text.trim_start_matches('-').trim_end_matches('0');
    if digits.len() > 38 {
        return Err(out_of_range(text.to_owned()));
    }
    Ok(())
}

/// The DynamoDB number text of a finite float within DynamoDB's range.
fn float_text(v: f64, text: &str) -> Result<String, EncodeError> {
    if !v.is_finite() {
        return Err(EncodeError::new(EncodeErrorKind::NonFiniteNumber));
    }
    let abs = v.abs();
    if abs != 0.0 && !(1e-130..1e126).contains(&abs) {
        return Err(out_of_range(text.to_owned()));
    }
    Ok(text.to_owned())
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
                parse_int(text, stringify!($t))
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
                check_significant_digits(&text)?;
                Ok(text)
            }
            #[inline]
            fn __from_number(text: &str) -> Result<Self, DecodeError> {
                parse_int(text, stringify!($t))
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
        parse_int(text, "u8")
    }
}

macro_rules! float {
    ($($t:ty),*) => {$(
        impl Number for $t {
            #[inline]
            fn __to_number(&self) -> Result<String, EncodeError> {
                let mut buf = ryu::Buffer::new();
                let text = if self.is_finite() { buf.format_finite(*self) } else { "" };
                float_text(f64::from(*self), text)
            }
            #[inline]
            fn __from_number(text: &str) -> Result<Self, DecodeError> {
                text.trim().parse::<$t>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
                    DecodeError::new(DecodeErrorKind::InvalidNumber {
                        value: text.to_owned(),
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
            AttributeValue::Ss(list) => {
                let mut out = C::default();
                out.extend(list);
                Ok(out)
            }
            AttributeValue::Null(_) => Ok(C::default()),
            other => Err(DecodeError::type_mismatch("SS", &other)),
        }
    }
}

fn decode_binary_set<T, C: Default + Extend<T>>(
    value: AttributeValue,
    f: impl Fn(Blob) -> T,
) -> Result<C, DecodeError> {
    match value {
        AttributeValue::Bs(list) => {
            let mut out = C::default();
            out.extend(list.into_iter().map(f));
            Ok(out)
        }
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
            let mut out = C::default();
            for (i, n) in list.iter().enumerate() {
                out.extend(std::iter::once(
                    T::__from_number(n).map_err(|e| e.at_index(i))?,
                ));
            }
            Ok(out)
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

impl IntoAttribute for AttributeValue {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
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
        let nanos = d.subsec_nanos();
        if nanos != 0 {
            let frac = format!("{nanos:09}");
            text.push('.');
            text.push_str(frac.trim_end_matches('0'));
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
        let nanos: u32 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<9}").parse().map_err(|_| bad())?
        };
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
    fn normalizes_whole_numbers() {
        assert_eq!(normalize_integer("1E+2").as_deref(), Some("100"));
        assert_eq!(normalize_integer("1.50e1").as_deref(), Some("15"));
        assert_eq!(normalize_integer("1.55e1"), None);
        assert_eq!(normalize_integer("1e9223372036854775807"), None);
        assert_eq!(normalize_integer("0E+999999").as_deref(), Some("0"));
        assert_eq!(normalize_integer("-0.0e-5").as_deref(), Some("0"));
        assert_eq!(normalize_integer("1.5e1").as_deref(), Some("15"));
        assert_eq!(normalize_integer("-100.000").as_deref(), Some("-100"));
        assert_eq!(normalize_integer("0.0").as_deref(), Some("0"));
        assert_eq!(normalize_integer("1.5"), None);
        assert_eq!(normalize_integer("abc"), None);
        assert_eq!(normalize_integer("1e999999"), None);
        assert_eq!(i64::__from_number("1E+2").unwrap(), 100);
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

#[cfg(feature = "chrono")]
mod chrono;
#[cfg(feature = "rust_decimal")]
mod decimal;
#[cfg(feature = "json")]
pub(crate) mod json;
#[cfg(feature = "time")]
mod time;
#[cfg(feature = "uuid")]
mod uuid;
