//! Arguments for key values: the key's own type, or a borrowed form of it
//! (`&str` for `String`, `&[u8]` for `Vec<u8>`).
//!
//! A trait with one blanket impl (rather than `Into`) keeps integer literals
//! inferring: `.range_eq(6)` on a `u32` sort key picks `u32`, where
//! `impl Into<u32>` would fall back to `i32` and fail.

use crate::schema::{NoRange, ScalarType};
use crate::value::KeyScalar;

/// A value usable where a key of type `K` is expected.
///
/// A key value of the wrong type does not compile, and the error names both:
///
/// ```compile_fail,E0277
/// use dynamo_orm::KeyArg;
/// fn takes<K, A: KeyArg<K>>(a: A) -> K { a.into_key() }
/// let s: String = takes(6u32); // `u32` is not a key value of type `String`
/// ```
///
/// ```
/// use dynamo_orm::KeyArg;
/// fn takes<K, A: KeyArg<K>>(a: A) -> K { a.into_key() }
/// let n: u32 = takes(6);
/// let s: String = takes("john");
/// assert_eq!((n, s.as_str()), (6, "john"));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key value of type `{K}`",
    label = "expected a `{K}` key value",
    note = "a key value is the key field's own type `{K}`, or a borrowed form of it (`&str` for `String`, `&[u8]` for `Vec<u8>`)"
)]
pub trait KeyArg<K> {
    /// The key value.
    fn into_key(self) -> K;
}

impl<K: KeyScalar> KeyArg<K> for K {
    #[inline]
    fn into_key(self) -> K {
        self
    }
}

impl KeyArg<String> for &str {
    #[inline]
    fn into_key(self) -> String {
        self.to_owned()
    }
}

impl KeyArg<String> for &String {
    #[inline]
    fn into_key(self) -> String {
        self.clone()
    }
}

impl KeyArg<Vec<u8>> for &[u8] {
    #[inline]
    fn into_key(self) -> Vec<u8> {
        self.to_vec()
    }
}

/// A fixed-size byte array is a binary key (`B`), like `Vec<u8>`: a 16-byte
/// id, a hash.
///
/// ```
/// use dynamo_orm::{KeyScalar, ScalarType};
/// assert_eq!(<[u8; 16] as KeyScalar>::SCALAR_TYPE, ScalarType::B);
/// ```
impl<const N: usize> KeyScalar for [u8; N] {
    const SCALAR_TYPE: ScalarType = ScalarType::B;
}

/// Any value is accepted where there is no sort key, so that a range condition
/// on a table or index without one is a single error, about the missing sort
/// key ([`SortKey`](crate::schema::SortKey)), rather than a second one about
/// the argument. Never called: those conditions do not compile.
impl<T> KeyArg<NoRange> for T {
    fn into_key(self) -> NoRange {
        unreachable!("`NoRange` has no values")
    }
}
