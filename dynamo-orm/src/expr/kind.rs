//! Attribute kinds: how expressions check, at compile time, that a value fits
//! the attribute it is compared with or written to.
//!
//! Every Rust type that can be stored names its *kind* through [`AttrKind`]:
//! `String`, `&str`, `char` and `Uuid` are [`StrKind`]; every integer and float,
//! `Decimal` and `SystemTime` are [`NumKind`]; `Vec<u8>` and `Blob` are [`BinKind`];
//! `Option<T>`, `Box<T>` and `&T` are `T`'s kind; sets are [`SetKind`], lists
//! [`ListKind`], maps [`MapKind`]; a type of your own is its own [`ExactKind`].
//! A value fits an attribute when both have the same kind ([`ValueOf`]), so a
//! `u32` field compares with `30` (an `i32`: DynamoDB has one number type) and
//! a `String` field with `"john"`, while a number field refuses a string:
//!
//! ```compile_fail,E0277
//! use dynamo_orm::expr::Field;
//! const AGE: Field<u32> = Field::new("age");
//! let _ = AGE.eq("thirty"); // a string is not a number
//! ```
//!
//! The operators that only some DynamoDB types support are limited the same
//! way: `begins_with` to strings and binaries ([`Prefixable`]), `contains` to
//! strings, sets and lists ([`Containable`]), `<`/`between` to scalars
//! ([`Comparable`]), `size` to sized types ([`Sizable`]), `ADD` to numbers and
//! sets ([`AddOperand`]), `DELETE` to sets ([`SetOperand`]), `list_append` to lists
//! ([`ListOperand`]).
//!
//! ```compile_fail,E0277
//! use dynamo_orm::expr::Field;
//! const AGE: Field<u32> = Field::new("age");
//! let _ = AGE.begins_with(3); // begins_with needs a string or binary attribute
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::SystemTime;

use aws_sdk_dynamodb::primitives::Blob;

use super::path::{Path, PathElement};
use crate::AttributeValue;
use crate::error::EncodeError;
use crate::value::{IntoAttribute, type_name};

/// Maps a Rust type to the kind of DynamoDB value it is stored as.
///
/// Implemented for the library's types. `#[derive(DynamoAttribute)]` and
/// `#[derive(DynamoItem)]` implement it for your structs and unit enums as their
/// own [`ExactKind`]. By hand, for a type that should compare like a builtin
/// (a newtype stored as a string, say), pick that kind:
///
/// ```
/// use dynamo_orm::expr::{AttrKind, ExpressionAttributes, Field, ListKind, StrKind};
/// use dynamo_orm::{AttributeValue, EncodeError, IntoAttribute};
///
/// struct Email(String);
/// impl IntoAttribute for Email {
///     fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
///         self.0.to_attribute()
///     }
/// }
/// impl AttrKind for Email {
///     type Kind = StrKind;
///     type ListOf = ListKind<StrKind>;
/// }
///
/// const EMAIL: Field<Email> = Field::new("email");
/// let cond = EMAIL.begins_with("john@"); // a string kind: begins_with and plain strings work
/// assert_eq!(cond.render(&mut ExpressionAttributes::new())?, "begins_with(#n0, :v0)");
/// # Ok::<(), dynamo_orm::Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no attribute kind, so expressions cannot type-check values for it",
    label = "no `AttrKind` for this type",
    note = "derive `DynamoAttribute` (structs, unit enums) or implement `dynamo_orm::expr::AttrKind`; for an untyped path, use `.path().cast::<T>()` with the stored type"
)]
pub trait AttrKind {
    /// The kind of a value of this type: [`StrKind`], [`NumKind`], [`ExactKind<Self>`], ...
    type Kind;
    /// The kind of a list of this type (`Vec<Self>`, `[Self; N]`): `ListKind<Self::Kind>`
    /// for every type except `u8`, whose lists are stored as binary ([`BinKind`]).
    type ListOf;
}

/// A value that fits an attribute of kind `K`: every type whose [`AttrKind::Kind`] is `K`.
///
/// ```
/// use dynamo_orm::expr::{NumKind, StrKind, ValueOf};
/// fn number<T: ValueOf<NumKind>>(_: T) {}
/// fn string<T: ValueOf<StrKind>>(_: T) {}
/// number(30);
/// number(2.5f32);
/// string("john");
/// string(String::from("john"));
/// string(&Some('x'));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not fit an attribute of kind `{K}`",
    label = "expected a value of kind `{K}`",
    note = "a value must be stored as the same DynamoDB type as the attribute: strings with strings, numbers with numbers, a struct with the same struct"
)]
pub trait ValueOf<K>: IntoAttribute {}

impl<T, K> ValueOf<K> for T
where
    T: AttrKind + IntoAttribute + ?Sized,
    T::Kind: SameKind<K>,
{
}

/// Kind equality, as a trait so a mismatch reads as a type error about kinds.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a value of kind `{Self}` does not fit an attribute of kind `{K}`",
    label = "this value is stored as `{Self}`, the attribute holds `{K}`",
    note = "a value must be stored as the same DynamoDB type as the attribute: strings with strings, numbers with numbers, a struct with the same struct"
)]
pub trait SameKind<K> {}
impl<K> SameKind<K> for K {}

// ---------------------------------------------------------------- kinds

/// Strings (`S`): `String`, `&str`, `char`, `Cow<str>`, `Uuid`, dates.
#[derive(Debug)]
pub enum StrKind {}

/// Numbers (`N`): integers, floats, `Decimal`, `SystemTime`.
#[derive(Debug)]
pub enum NumKind {}

/// Binaries (`B`): `Vec<u8>`, `[u8; N]`, `Blob`, `Bytes`.
#[derive(Debug)]
pub enum BinKind {}

/// Booleans (`BOOL`).
#[derive(Debug)]
pub enum BoolKind {}

/// `NULL` (`()`).
#[derive(Debug)]
pub enum NullKind {}

/// Raw values (`AttributeValue`, `serde_json::Value`): any DynamoDB type, every
/// operator allowed, values must be raw too.
#[derive(Debug)]
pub enum AnyKind {}

/// Sets (`SS`, `NS`, `BS`) of elements of kind `E`.
#[derive(Debug)]
pub struct SetKind<E>(PhantomData<fn() -> E>);

/// Lists (`L`) of elements of kind `E`.
#[derive(Debug)]
pub struct ListKind<E>(PhantomData<fn() -> E>);

/// Maps (`M`) with string keys and values of kind `E`.
#[derive(Debug)]
pub struct MapKind<E>(PhantomData<fn() -> E>);

/// A type of your own (a struct stored as a map, a unit enum stored as a
/// string): only values of exactly `T` fit.
#[derive(Debug)]
pub struct ExactKind<T: ?Sized>(PhantomData<fn() -> Box<T>>);

// ---------------------------------------------------------------- builtin impls

macro_rules! kind {
    ($kind:ty => $($t:ty),* $(,)?) => {$(
        impl AttrKind for $t {
            type Kind = $kind;
            type ListOf = ListKind<$kind>;
        }
    )*};
}

kind!(StrKind => String, str, char, Cow<'_, str>);
kind!(NumKind => i8, i16, i32, i64, i128, isize, u16, u32, u64, u128, usize, f32, f64, SystemTime);
kind!(BinKind => Blob);
kind!(BoolKind => bool);
kind!(NullKind => ());
kind!(AnyKind => AttributeValue);

// `Vec<u8>` and `[u8; N]` are stored as binary, not as lists of numbers.
impl AttrKind for u8 {
    type Kind = NumKind;
    type ListOf = BinKind;
}

#[cfg(feature = "bytes")]
kind!(BinKind => bytes::Bytes);
#[cfg(feature = "uuid")]
kind!(StrKind => uuid::Uuid);
#[cfg(feature = "rust_decimal")]
kind!(NumKind => rust_decimal::Decimal);
#[cfg(feature = "json")]
kind!(AnyKind => serde_json::Value);
#[cfg(feature = "chrono")]
kind!(StrKind => chrono::NaiveDate, chrono::NaiveDateTime, chrono::NaiveTime);
#[cfg(feature = "chrono")]
impl<Tz: chrono::TimeZone> AttrKind for chrono::DateTime<Tz> {
    type Kind = StrKind;
    type ListOf = ListKind<StrKind>;
}
#[cfg(feature = "time")]
kind!(StrKind => time::OffsetDateTime, time::PrimitiveDateTime, time::Date, time::Time);

// Wrappers are their content's kind. Their lists are always `L`: only `u8`
// itself turns a list into a binary.
macro_rules! transparent {
    ($($w:ident),*) => {$(
        impl<T: AttrKind + ?Sized> AttrKind for $w<T> {
            type Kind = T::Kind;
            type ListOf = ListKind<T::Kind>;
        }
    )*};
}
transparent!(Box, Arc);

impl<T: AttrKind + ?Sized> AttrKind for &T {
    type Kind = T::Kind;
    type ListOf = ListKind<T::Kind>;
}
impl<T: AttrKind> AttrKind for Option<T> {
    type Kind = T::Kind;
    type ListOf = ListKind<T::Kind>;
}

impl<T: AttrKind> AttrKind for Vec<T> {
    type Kind = T::ListOf;
    type ListOf = ListKind<T::ListOf>;
}
impl<T: AttrKind> AttrKind for [T] {
    type Kind = T::ListOf;
    type ListOf = ListKind<T::ListOf>;
}
impl<T: AttrKind, const N: usize> AttrKind for [T; N] {
    type Kind = T::ListOf;
    type ListOf = ListKind<T::ListOf>;
}
impl<T: AttrKind> AttrKind for VecDeque<T> {
    type Kind = ListKind<T::Kind>;
    type ListOf = ListKind<ListKind<T::Kind>>;
}

impl<T: AttrKind, S> AttrKind for HashSet<T, S> {
    type Kind = SetKind<T::Kind>;
    type ListOf = ListKind<SetKind<T::Kind>>;
}
impl<T: AttrKind> AttrKind for BTreeSet<T> {
    type Kind = SetKind<T::Kind>;
    type ListOf = ListKind<SetKind<T::Kind>>;
}
impl<V: AttrKind, S> AttrKind for HashMap<String, V, S> {
    type Kind = MapKind<V::Kind>;
    type ListOf = ListKind<MapKind<V::Kind>>;
}
impl<V: AttrKind> AttrKind for BTreeMap<String, V> {
    type Kind = MapKind<V::Kind>;
    type ListOf = ListKind<MapKind<V::Kind>>;
}

// ---------------------------------------------------------------- capabilities

/// Kinds that `<`, `<=`, `>`, `>=` and `BETWEEN` can order: strings, numbers,
/// binaries (and raw values).
#[diagnostic::on_unimplemented(
    message = "attributes of kind `{Self}` cannot be ordered",
    label = "`<`, `<=`, `>`, `>=` and `between` need a string, number or binary attribute",
    note = "DynamoDB orders strings, numbers and binaries only"
)]
pub trait Comparable {}
impl Comparable for StrKind {}
impl Comparable for NumKind {}
impl Comparable for BinKind {}
impl Comparable for AnyKind {}

/// Kinds that `begins_with` applies to: strings and binaries (and raw values).
#[diagnostic::on_unimplemented(
    message = "`begins_with` does not apply to attributes of kind `{Self}`",
    label = "`begins_with` needs a string or binary attribute"
)]
pub trait Prefixable {}
impl Prefixable for StrKind {}
impl Prefixable for BinKind {}
impl Prefixable for AnyKind {}

/// Kinds that `contains` applies to, and the kind of its operand: a substring
/// for strings, an element for sets and lists.
#[diagnostic::on_unimplemented(
    message = "`contains` does not apply to attributes of kind `{Self}`",
    label = "`contains` needs a string, set or list attribute"
)]
pub trait Containable {
    /// The operand's kind.
    type Elem;
}
impl Containable for StrKind {
    type Elem = StrKind;
}
impl<E> Containable for SetKind<E> {
    type Elem = E;
}
impl<E> Containable for ListKind<E> {
    type Elem = E;
}
impl Containable for AnyKind {
    type Elem = AnyKind;
}

/// Kinds that have a `size`: strings, binaries, sets, lists, maps, your own types.
#[diagnostic::on_unimplemented(
    message = "`size` does not apply to attributes of kind `{Self}`",
    label = "`size` needs a string, binary, set, list or map attribute"
)]
pub trait Sizable {}
impl Sizable for StrKind {}
impl Sizable for BinKind {}
impl Sizable for AnyKind {}
impl<E> Sizable for SetKind<E> {}
impl<E> Sizable for ListKind<E> {}
impl<E> Sizable for MapKind<E> {}
impl<T: ?Sized> Sizable for ExactKind<T> {}

/// Kinds that arithmetic (`SET #a = #a + :v`) applies to: numbers (and raw values).
#[diagnostic::on_unimplemented(
    message = "arithmetic does not apply to attributes of kind `{Self}`",
    label = "`increment` and `decrement` need a number attribute"
)]
pub trait Numeric {}
impl Numeric for NumKind {}
impl Numeric for AnyKind {}

// ---------------------------------------------------------------- operands

/// Why an operand could not be turned into an attribute value. Kept inside
/// conditions and updates, reported when they are rendered.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq)]
pub enum OperandError {
    /// The value's conversion failed (NaN, out-of-range number).
    Encode(EncodeError),
    /// The value cannot be used there (an empty set).
    Invalid(String),
}

impl OperandError {
    /// Names the attribute the operand belongs to.
    pub(crate) fn at_path(self, path: &[PathElement]) -> Self {
        match self {
            OperandError::Encode(mut e) => {
                for element in path.iter().rev() {
                    e = match element {
                        PathElement::Name(name) => e.in_field(name),
                        PathElement::Index(index) => e.at_index(*index),
                    };
                }
                OperandError::Encode(e)
            }
            OperandError::Invalid(message) => OperandError::Invalid(format!(
                "attribute `{}`: {message}",
                Path::<()>::from_elements(path.to_vec())
            )),
        }
    }
}

impl From<EncodeError> for OperandError {
    fn from(e: EncodeError) -> Self {
        OperandError::Encode(e)
    }
}

impl From<OperandError> for crate::Error {
    fn from(e: OperandError) -> Self {
        match e {
            OperandError::Encode(e) => crate::Error::Encode(e),
            OperandError::Invalid(msg) => crate::Error::Validation(msg),
        }
    }
}

/// An operand, encoded when the expression is built.
pub(crate) type Encoded = Result<AttributeValue, OperandError>;

/// The operand of `ADD` for an attribute of kind `K`: a number for a number
/// attribute, elements (any iterable: an array, a `Vec`, a set) for a set.
///
/// ```
/// use dynamo_orm::expr::{AddOperand, NumKind, SetKind, StrKind};
/// fn add<K, T: AddOperand<K>>(_: T) {}
/// add::<NumKind, _>(1);
/// add::<SetKind<StrKind>, _>(["red", "blue"]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be added to an attribute of kind `{K}`",
    label = "`add` takes a number for a number attribute, or elements for a set",
    note = "DynamoDB's ADD applies to numbers and sets only"
)]
pub trait AddOperand<K> {
    #[doc(hidden)]
    fn __encode_add(self) -> Encoded;
}
impl<T: ValueOf<NumKind>> AddOperand<NumKind> for T {
    fn __encode_add(self) -> Encoded {
        Ok(self.to_attribute()?)
    }
}
impl<E, I> AddOperand<SetKind<E>> for I
where
    I: IntoIterator,
    I::Item: ValueOf<E>,
{
    fn __encode_add(self) -> Encoded {
        encode_set(self)
    }
}
impl<T: ValueOf<AnyKind>> AddOperand<AnyKind> for T {
    fn __encode_add(self) -> Encoded {
        Ok(self.to_attribute()?)
    }
}

/// The operand of `DELETE` for a set attribute of kind `K`: the elements to
/// take out (any iterable).
///
/// ```
/// use dynamo_orm::expr::{NumKind, SetKind, SetOperand};
/// fn delete<K, T: SetOperand<K>>(_: T) {}
/// delete::<SetKind<NumKind>, _>(vec![1, 2]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be taken out of an attribute of kind `{K}`",
    label = "`delete` takes elements of a set attribute",
    note = "DynamoDB's DELETE applies to sets only"
)]
pub trait SetOperand<K> {
    #[doc(hidden)]
    fn __encode_set(self) -> Encoded;
}
impl<E, I> SetOperand<SetKind<E>> for I
where
    I: IntoIterator,
    I::Item: ValueOf<E>,
{
    fn __encode_set(self) -> Encoded {
        encode_set(self)
    }
}
impl<T: ValueOf<AnyKind>> SetOperand<AnyKind> for T {
    fn __encode_set(self) -> Encoded {
        Ok(self.to_attribute()?)
    }
}

/// The operand of `list_append` for a list attribute of kind `K`: the elements
/// to add (any iterable).
///
/// ```
/// use dynamo_orm::expr::{ListKind, ListOperand, StrKind};
/// fn append<K, T: ListOperand<K>>(_: T) {}
/// append::<ListKind<StrKind>, _>(["a", "b"]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be appended to an attribute of kind `{K}`",
    label = "`list_append` takes elements of a list attribute"
)]
pub trait ListOperand<K> {
    #[doc(hidden)]
    fn __encode_list(self) -> Encoded;
}
impl<E, I> ListOperand<ListKind<E>> for I
where
    I: IntoIterator,
    I::Item: ValueOf<E>,
{
    fn __encode_list(self) -> Encoded {
        let mut list = Vec::new();
        for (i, v) in self.into_iter().enumerate() {
            list.push(v.to_attribute().map_err(|e| e.at_index(i))?);
        }
        Ok(AttributeValue::L(list))
    }
}
impl<T: ValueOf<AnyKind>> ListOperand<AnyKind> for T {
    fn __encode_list(self) -> Encoded {
        Ok(self.to_attribute()?)
    }
}

/// Builds a DynamoDB set from elements: `SS`, `NS` or `BS` after their encoding,
/// duplicates dropped (DynamoDB refuses them). Empty and mixed sets are refused.
fn encode_set<I>(items: I) -> Encoded
where
    I: IntoIterator,
    I::Item: IntoAttribute,
{
    let mut strings: Vec<String> = Vec::new();
    let mut numbers: Vec<String> = Vec::new();
    let mut binaries: Vec<Blob> = Vec::new();
    let mut seen_text: HashSet<(bool, String)> = HashSet::new();
    let mut seen_bytes: HashSet<Vec<u8>> = HashSet::new();
    for (i, item) in items.into_iter().enumerate() {
        match item.to_attribute().map_err(|e| e.at_index(i))? {
            AttributeValue::S(s) => {
                if seen_text.insert((false, s.clone())) {
                    strings.push(s);
                }
            }
            AttributeValue::N(n) => {
                if seen_text.insert((true, n.clone())) {
                    numbers.push(n);
                }
            }
            AttributeValue::B(b) => {
                if seen_bytes.insert(b.as_ref().to_vec()) {
                    binaries.push(b);
                }
            }
            other => {
                return Err(OperandError::Invalid(format!(
                    "a set holds strings, numbers or binaries, not {}",
                    type_name(&other)
                )));
            }
        }
    }
    match (strings.is_empty(), numbers.is_empty(), binaries.is_empty()) {
        (false, true, true) => Ok(AttributeValue::Ss(strings)),
        (true, false, true) => Ok(AttributeValue::Ns(numbers)),
        (true, true, false) => Ok(AttributeValue::Bs(binaries)),
        (true, true, true) => Err(OperandError::Invalid(
            "an empty set: DynamoDB has no empty sets".to_owned(),
        )),
        _ => Err(OperandError::Invalid(
            "a set mixes strings, numbers and binaries".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of<K, T: ValueOf<K>>(_: T) {}

    #[test]
    fn builtin_kinds() {
        kind_of::<StrKind, _>("x");
        kind_of::<StrKind, _>(String::new());
        kind_of::<StrKind, _>('x');
        kind_of::<StrKind, _>(Some("x"));
        kind_of::<StrKind, _>(Box::<str>::from("x"));
        kind_of::<NumKind, _>(1);
        kind_of::<NumKind, _>(1u8);
        kind_of::<NumKind, _>(1.5);
        kind_of::<NumKind, _>(SystemTime::UNIX_EPOCH);
        kind_of::<BinKind, _>(vec![1u8]);
        kind_of::<BinKind, _>([1u8, 2]);
        kind_of::<BinKind, _>(Blob::new(vec![1]));
        kind_of::<ListKind<NumKind>, _>(vec![1u16]);
        kind_of::<ListKind<NumKind>, _>(vec![1]);
        kind_of::<ListKind<BinKind>, _>(vec![vec![1u8]]);
        kind_of::<ListKind<StrKind>, _>(VecDeque::from(["a"]));
        kind_of::<ListKind<NumKind>, _>(VecDeque::from([1u8]));
        kind_of::<SetKind<StrKind>, _>(HashSet::from(["a".to_owned()]));
        kind_of::<MapKind<NumKind>, _>(BTreeMap::from([("a".to_owned(), 1)]));
        kind_of::<BoolKind, _>(true);
        kind_of::<NullKind, _>(());
        kind_of::<AnyKind, _>(AttributeValue::Null(true));
    }

    #[test]
    fn sets_are_typed_by_their_encoding() {
        assert_eq!(
            encode_set(["b", "a", "b"]),
            Ok(AttributeValue::Ss(vec!["b".into(), "a".into()]))
        );
        assert_eq!(
            encode_set([1, 2]),
            Ok(AttributeValue::Ns(vec!["1".into(), "2".into()]))
        );
        assert_eq!(
            encode_set([vec![1u8], vec![1u8]]),
            Ok(AttributeValue::Bs(vec![Blob::new(vec![1])]))
        );
        assert!(matches!(
            encode_set(Vec::<i32>::new()),
            Err(OperandError::Invalid(_))
        ));
        assert!(matches!(encode_set([true]), Err(OperandError::Invalid(_))));
        assert!(matches!(
            encode_set([AttributeValue::S("a".into()), AttributeValue::N("1".into())]),
            Err(OperandError::Invalid(_))
        ));
        match encode_set([1.0, f64::NAN]) {
            Err(OperandError::Encode(e)) => assert_eq!(e.path().to_string(), "[1]"),
            other => panic!("{other:?}"),
        }
    }
}
