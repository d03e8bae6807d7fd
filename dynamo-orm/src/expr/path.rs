//! Typed attribute paths: [`Field`] (a top-level attribute, `const`) and
//! [`Path`] (any document path: `address.city`, `tags[0]`).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use crate::schema::HasFields;

/// One step of a document path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathElement {
    /// An attribute or map key.
    Name(Cow<'static, str>),
    /// A list index.
    Index(usize),
}

/// A top-level attribute of a struct, typed by the field's Rust type `V`.
/// The derives generate one per field in `Type::FIELDS`.
///
/// ```
/// use dynamo_orm::expr::Field;
/// const AGE: Field<u32> = Field::new("age");
/// assert_eq!(AGE.name(), "age");
/// ```
pub struct Field<V: ?Sized> {
    name: &'static str,
    _value: PhantomData<fn() -> V>,
}

impl<V: ?Sized> Field<V> {
    /// A field stored under `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            _value: PhantomData,
        }
    }

    /// The stored attribute name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// This field as a [`Path`].
    pub fn path(self) -> Path<V> {
        Path::from_elements(vec![PathElement::Name(Cow::Borrowed(self.name))])
    }

    /// The path of a field of the nested struct stored here:
    /// `User::FIELDS.address.at(|a| a.city)` is `address.city`.
    pub fn at<W: ?Sized>(self, pick: impl FnOnce(V::Fields) -> Field<W>) -> Path<W>
    where
        V: HasFields,
    {
        self.path().at(pick)
    }

    /// A list element: `tags[2]`.
    pub fn index<W>(self, index: usize) -> Path<W>
    where
        V: ListLike<Elem = W>,
    {
        self.path().index(index)
    }

    /// A map entry: `prefs.theme`.
    pub fn key<W>(self, key: impl Into<Cow<'static, str>>) -> Path<W>
    where
        V: MapLike<Value = W>,
    {
        self.path().key(key)
    }
}

impl<V: ?Sized> Clone for Field<V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<V: ?Sized> Copy for Field<V> {}
impl<V: ?Sized> fmt::Debug for Field<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({})", self.name)
    }
}

/// A document path to a value of type `V`.
///
/// ```
/// use dynamo_orm::expr::Path;
/// let p: Path<String> = Path::<()>::root("address").key("city");
/// assert_eq!(p.to_string(), "address.city");
/// ```
pub struct Path<V: ?Sized> {
    elements: Vec<PathElement>,
    _value: PhantomData<fn() -> V>,
}

impl<V: ?Sized> Path<V> {
    /// A path from its elements (untyped use: pick `V` yourself).
    pub fn from_elements(elements: Vec<PathElement>) -> Self {
        Self {
            elements,
            _value: PhantomData,
        }
    }

    /// A top-level attribute by name, for code without derived fields.
    pub fn root(name: impl Into<Cow<'static, str>>) -> Self {
        Self::from_elements(vec![PathElement::Name(name.into())])
    }

    /// The elements, outermost first.
    pub fn elements(&self) -> &[PathElement] {
        &self.elements
    }

    /// The elements, outermost first, by value.
    pub fn into_elements(self) -> Vec<PathElement> {
        self.elements
    }

    /// The same path with another value type.
    pub fn cast<W: ?Sized>(self) -> Path<W> {
        Path::from_elements(self.elements)
    }

    /// A field of the nested struct stored here.
    pub fn at<W: ?Sized>(mut self, pick: impl FnOnce(V::Fields) -> Field<W>) -> Path<W>
    where
        V: HasFields,
    {
        let field = pick(V::FIELDS);
        self.elements
            .push(PathElement::Name(Cow::Borrowed(field.name())));
        self.cast()
    }

    /// A list element.
    pub fn index<W>(mut self, index: usize) -> Path<W>
    where
        V: ListLike<Elem = W>,
    {
        self.elements.push(PathElement::Index(index));
        self.cast()
    }

    /// A map entry (any key, typed or not).
    pub fn key<W>(mut self, key: impl Into<Cow<'static, str>>) -> Path<W> {
        self.elements.push(PathElement::Name(key.into()));
        self.cast()
    }
}

impl<V: ?Sized> Clone for Path<V> {
    fn clone(&self) -> Self {
        Self::from_elements(self.elements.clone())
    }
}
impl<V: ?Sized> fmt::Debug for Path<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Path({self})")
    }
}
impl<V: ?Sized> fmt::Display for Path<V> {
    /// For messages only: expressions never splice this text, they use placeholders.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.elements.iter().enumerate() {
            match e {
                PathElement::Name(n) if i == 0 => f.write_str(n)?,
                PathElement::Name(n) => write!(f, ".{n}")?,
                PathElement::Index(idx) => write!(f, "[{idx}]")?,
            }
        }
        Ok(())
    }
}

impl<V: ?Sized> From<Field<V>> for Path<V> {
    fn from(f: Field<V>) -> Self {
        f.path()
    }
}

/// Anything that names a typed attribute path: [`Field`], [`Path`] or `&Path`.
/// Expression builders take it so a derived field and a nested path read the same.
///
/// The value type is an associated type (not a parameter) so the compiler
/// knows it from the argument alone, and literals next to it infer.
///
/// ```
/// use dynamo_orm::expr::{Field, IntoPath, Path};
/// const CITY: Field<String> = Field::new("city");
/// let p: Path<String> = CITY.into_path();
/// assert_eq!(p.to_string(), "city");
/// ```
pub trait IntoPath {
    /// The Rust type of the value at the path.
    type Value: ?Sized;

    /// The path.
    fn into_path(self) -> Path<Self::Value>;
}

impl<V: ?Sized> IntoPath for Field<V> {
    type Value = V;
    #[inline]
    fn into_path(self) -> Path<V> {
        self.path()
    }
}
impl<V: ?Sized> IntoPath for &Field<V> {
    type Value = V;
    #[inline]
    fn into_path(self) -> Path<V> {
        self.path()
    }
}
impl<V: ?Sized> IntoPath for Path<V> {
    type Value = V;
    #[inline]
    fn into_path(self) -> Path<V> {
        self
    }
}
impl<V: ?Sized> IntoPath for &Path<V> {
    type Value = V;
    #[inline]
    fn into_path(self) -> Path<V> {
        self.clone()
    }
}

/// Types stored as lists (`Vec`, `VecDeque`, arrays), for typed `path[i]`.
pub trait ListLike {
    /// The element type.
    type Elem;
}
impl<T> ListLike for Vec<T> {
    type Elem = T;
}
impl<T> ListLike for std::collections::VecDeque<T> {
    type Elem = T;
}
impl<T, const N: usize> ListLike for [T; N] {
    type Elem = T;
}
impl<T: ListLike> ListLike for Option<T> {
    type Elem = T::Elem;
}

/// Types stored as maps, for typed `path.key`.
pub trait MapLike {
    /// The value type.
    type Value;
}
impl<V, S> MapLike for std::collections::HashMap<String, V, S> {
    type Value = V;
}
impl<V> MapLike for std::collections::BTreeMap<String, V> {
    type Value = V;
}
impl<T: MapLike> MapLike for Option<T> {
    type Value = T::Value;
}
