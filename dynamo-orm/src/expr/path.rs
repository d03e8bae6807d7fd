//! Typed attribute paths: [`Field`] (a top-level attribute, `const`) and
//! [`Path`] (any document path: `address.city`, `tags[0]`); [`UpdatePath`],
//! the paths an update may write (not key attributes).

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
/// `A` says whether an update may change the attribute: [`Plain`] (the
/// default) for most, [`Key`] for the table's key attributes, which conditions
/// read like any other but updates refuse (see [`UpdatePath`]).
///
/// ```
/// use dynamo_orm::expr::Field;
/// const AGE: Field<u32> = Field::new("age");
/// assert_eq!(AGE.name(), "age");
/// ```
pub struct Field<V: ?Sized, A = Plain> {
    name: &'static str,
    _value: PhantomData<fn() -> V>,
    _kind: PhantomData<fn() -> A>,
}

/// The attribute kind of a [`Field`] an update may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plain {}

/// The attribute kind of a [`Field`] that is a key of the table: conditions
/// read it, updates cannot change it.
///
/// ```
/// use dynamo_orm::expr::{Field, Key};
/// const USERNAME: Field<String, Key> = Field::new("username");
/// let _ = USERNAME.eq("john"); // conditions read keys like any attribute
/// ```
///
/// ```compile_fail,E0277
/// use dynamo_orm::expr::{Field, Key, Update};
/// const USERNAME: Field<String, Key> = Field::new("username");
/// let _ = Update::new().set(USERNAME, "mallory"); // an update cannot change a key
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {}

/// The attribute kind of the entry a derived `{Type}Fields` has for a
/// `#[dynamo(skip)]` field: not stored, so conditions and updates refuse it.
/// It is there so that a projection naming the field is told it is skipped.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Skipped {}

/// The kinds of [`Field`]s that name a stored attribute: [`Plain`] and [`Key`].
/// The condition builders take those.
pub trait StoredKind {}
impl StoredKind for Plain {}
impl StoredKind for Key {}

mod sealed {
    /// Never implemented: the bound of the update impls of a skipped field,
    /// whose message is the error.
    #[diagnostic::on_unimplemented(
        message = "a skipped field is not stored: an update cannot write it",
        label = "a `#[dynamo(skip)]` field",
        note = "store the field (remove its `#[dynamo(skip)]`), or write the attribute by name with `Update::set_raw`"
    )]
    pub trait NotSkipped {}
}

impl<V: ?Sized, A> Field<V, A> {
    /// A field stored under `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            _value: PhantomData,
            _kind: PhantomData,
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
    pub fn at<W: ?Sized, B>(self, pick: impl FnOnce(V::Fields) -> Field<W, B>) -> Path<W>
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

impl<V: ?Sized, A> Clone for Field<V, A> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<V: ?Sized, A> Copy for Field<V, A> {}
impl<V: ?Sized, A> fmt::Debug for Field<V, A> {
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
    pub fn at<W: ?Sized, B>(mut self, pick: impl FnOnce(V::Fields) -> Field<W, B>) -> Path<W>
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

impl<V: ?Sized, A> From<Field<V, A>> for Path<V> {
    fn from(f: Field<V, A>) -> Self {
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

impl<V: ?Sized, A> IntoPath for Field<V, A> {
    type Value = V;
    #[inline]
    fn into_path(self) -> Path<V> {
        self.path()
    }
}
impl<V: ?Sized, A> IntoPath for &Field<V, A> {
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

/// A path an update may write: a [`Path`], or a [`Field`] that is not a key
/// attribute. The update builders ([`Update::set`](super::Update::set),
/// `remove`, `add`, ...) take it, so an update of a key does not compile (nor
/// of a skipped field's entry, refused through a bound with its own message).
///
/// ```
/// use dynamo_orm::expr::{Field, Path, Update};
/// const NAME: Field<String> = Field::new("name");
/// let city: Path<String> = Path::<()>::root("address").key("city");
/// let _ = Update::new().set(NAME, "John").set(city, "Paris");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a key attribute: an update cannot change a key",
    label = "a key attribute of the table",
    note = "DynamoDB refuses to update a key attribute: write a new item with the new key and delete the old one"
)]
pub trait UpdatePath: IntoPath {}

impl<V: ?Sized> UpdatePath for Field<V, Plain> {}
impl<V: ?Sized> UpdatePath for &Field<V, Plain> {}
impl<V: ?Sized + sealed::NotSkipped> UpdatePath for Field<V, Skipped> {}
impl<V: ?Sized + sealed::NotSkipped> UpdatePath for &Field<V, Skipped> {}
impl<V: ?Sized> UpdatePath for Path<V> {}
impl<V: ?Sized> UpdatePath for &Path<V> {}

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
