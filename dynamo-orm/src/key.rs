//! Arguments for key values: the key's own type, or a borrowed form of it
//! (`&str` for `String`, `&[u8]` for `Vec<u8>`).
//!
//! A trait with one blanket impl (rather than `Into`) keeps integer literals
//! inferring: `.range_eq(6)` on a `u32` sort key picks `u32`, where
//! `impl Into<u32>` would fall back to `i32` and fail.

/// A value usable where a key of type `K` is expected.
///
/// ```
/// use dynamo_orm::KeyArg;
/// fn takes<K, A: KeyArg<K>>(a: A) -> K { a.into_key() }
/// let n: u32 = takes(6);
/// let s: String = takes("john");
/// assert_eq!((n, s.as_str()), (6, "john"));
/// ```
pub trait KeyArg<K> {
    /// The key value.
    fn into_key(self) -> K;
}

impl<K> KeyArg<K> for K {
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
