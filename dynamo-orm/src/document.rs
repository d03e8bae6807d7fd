//! [`Document`]: an item without a Rust schema, read and written attribute by
//! attribute with the same conversions as derived types.

use std::collections::hash_map;
use std::ops::{Deref, DerefMut};

use crate::error::{DecodeError, EncodeError};
use crate::value::check::check_name;
use crate::value::{AttributeMap, FromAttribute, IntoAttribute, check_value};
use crate::{AttributeValue, Item};

/// An owned attribute map with typed accessors: for tables without a Rust
/// type, for data whose shape varies, or for attributes a struct does not name.
///
/// Values go in through [`IntoAttribute`] and come out through
/// [`FromAttribute`], so a `Document` stores exactly what a derived struct with
/// those field types would.
///
/// ```
/// use dynamo_orm::{AttributeValue, Document};
///
/// let mut doc = Document::new();
/// doc.insert("username", "john")?
///     .insert("friend_count", 3u32)?
///     .insert("nickname", None::<String>)?; // absent values are left out
/// assert_eq!(doc.len(), 2);
/// assert_eq!(doc["friend_count"], AttributeValue::N("3".into()));
///
/// let count: Option<u32> = doc.get("friend_count")?;
/// assert_eq!(count, Some(3));
/// assert_eq!(doc.get::<String>("nickname")?, None);
/// assert!(doc.get::<String>("friend_count").is_err()); // an N is not a String
///
/// let name: Option<String> = doc.take("username")?;
/// assert_eq!(name.as_deref(), Some("john"));
/// assert!(!doc.contains("username"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document(Item);

impl Document {
    /// An empty document.
    ///
    /// ```
    /// assert!(dynamo_orm::Document::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty document with room for `capacity` attributes.
    ///
    /// ```
    /// let doc = dynamo_orm::Document::with_capacity(8);
    /// assert!(doc.capacity() >= 8);
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        Self(Item::with_capacity(capacity))
    }

    /// Reads an attribute as `T`, cloning the one value it reads. `Ok(None)`
    /// when the attribute is missing; an error (naming the attribute) when it
    /// does not convert.
    ///
    /// ```
    /// use dynamo_orm::{AttributeValue, Document};
    /// let doc = Document::from_iter([("age".to_owned(), AttributeValue::N("42".into()))]);
    /// assert_eq!(doc.get::<u8>("age")?, Some(42));
    /// assert_eq!(doc.get::<u8>("height")?, None);
    /// let err = doc.get::<String>("age").unwrap_err();
    /// assert_eq!(err.to_string(), "attribute `age`: expected S, found N");
    /// # Ok::<(), dynamo_orm::DecodeError>(())
    /// ```
    pub fn get<T: FromAttribute>(&self, name: &str) -> Result<Option<T>, DecodeError> {
        match self.0.get(name) {
            Some(value) => T::from_attribute(value.clone())
                .map(Some)
                .map_err(|e| e.in_field(name)),
            None => Ok(None),
        }
    }

    /// Removes an attribute and reads it as `T`, moving its strings and
    /// binaries out. `Ok(None)` when it is missing. The attribute is removed
    /// even when it does not convert.
    ///
    /// ```
    /// use dynamo_orm::Document;
    /// let mut doc = Document::new();
    /// doc.insert("tags", vec!["a", "b"])?;
    /// let tags: Option<Vec<String>> = doc.take("tags")?;
    /// assert_eq!(tags, Some(vec!["a".to_owned(), "b".to_owned()]));
    /// assert!(doc.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn take<T: FromAttribute>(&mut self, name: &str) -> Result<Option<T>, DecodeError> {
        match self.0.remove(name) {
            Some(value) => T::from_attribute(value)
                .map(Some)
                .map_err(|e| e.in_field(name)),
            None => Ok(None),
        }
    }

    /// Sets an attribute, replacing any previous value. A value a struct field
    /// would leave out of the item (`None`, an empty set) removes the
    /// attribute instead. Fails, leaving the document unchanged, for values
    /// DynamoDB cannot store (NaN, out-of-range numbers; for a raw
    /// [`AttributeValue`], anything [`check_value`] refuses) and for an empty
    /// name or one over 64 KB. Returns `self` for chaining.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// use dynamo_orm::{AttributeValue, Document};
    ///
    /// let mut doc = Document::new();
    /// doc.insert("score", 1.5)?.insert("tags", HashSet::from(["x".to_owned()]))?;
    /// assert_eq!(doc["tags"], AttributeValue::Ss(vec!["x".into()]));
    /// doc.insert("tags", HashSet::<String>::new())?; // empty: removed
    /// assert!(!doc.contains("tags"));
    /// assert!(doc.insert("score", f64::NAN).is_err());
    /// assert_eq!(doc.get::<f64>("score")?, Some(1.5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert<T: IntoAttribute>(
        &mut self,
        name: impl Into<String>,
        value: T,
    ) -> Result<&mut Self, EncodeError> {
        let name = name.into();
        check_name(&name)?;
        if value.is_absent() {
            self.0.remove(&name);
        } else {
            let value = value.to_attribute().map_err(|e| e.in_field(&name))?;
            self.0.insert(name, value);
        }
        Ok(self)
    }

    /// A document of a raw item, checked as [`insert`](Self::insert) checks
    /// each attribute: names of 1 to 65,535 bytes and values that
    /// [`check_value`] accepts. The error names the offending attribute.
    /// (`Document::from(item)` wraps an item without checking, for items read
    /// from DynamoDB.)
    ///
    /// ```
    /// use dynamo_orm::{AttributeValue, Document, Item};
    ///
    /// let mut item = Item::new();
    /// item.insert("n".into(), AttributeValue::N("42".into()));
    /// let doc = Document::try_from_item(item.clone())?;
    /// assert_eq!(doc.get::<u8>("n")?, Some(42));
    ///
    /// item.insert("tags".into(), AttributeValue::Ss(vec![]));
    /// let err = Document::try_from_item(item).unwrap_err();
    /// assert_eq!(err.path().to_string(), "tags");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_from_item(item: Item) -> Result<Self, EncodeError> {
        for (name, value) in &item {
            check_name(name)?;
            check_value(value).map_err(|e| e.in_field(name))?;
        }
        Ok(Self(item))
    }

    /// Removes an attribute, returning its raw value.
    ///
    /// ```
    /// use dynamo_orm::{AttributeValue, Document};
    /// let mut doc = Document::new();
    /// doc.insert("ok", true)?;
    /// assert_eq!(doc.remove("ok"), Some(AttributeValue::Bool(true)));
    /// assert_eq!(doc.remove("ok"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(&mut self, name: &str) -> Option<AttributeValue> {
        self.0.remove(name)
    }

    /// Whether the attribute is present (possibly as `NULL`).
    ///
    /// ```
    /// use dynamo_orm::{AttributeValue, Document};
    /// let doc = Document::from_iter([("x".to_owned(), AttributeValue::Null(true))]);
    /// assert!(doc.contains("x"));
    /// assert!(!doc.contains("y"));
    /// ```
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The number of attributes.
    ///
    /// ```
    /// use dynamo_orm::Document;
    /// let mut doc = Document::new();
    /// doc.insert("a", 1)?.insert("b", 2)?;
    /// assert_eq!(doc.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no attributes.
    ///
    /// ```
    /// assert!(dynamo_orm::Document::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The attributes and their raw values, in no particular order.
    ///
    /// ```
    /// use dynamo_orm::Document;
    /// let mut doc = Document::new();
    /// doc.insert("a", 1)?.insert("b", 2)?;
    /// let mut names: Vec<&String> = doc.iter().map(|(name, _)| name).collect();
    /// names.sort();
    /// assert_eq!(names, ["a", "b"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter(&self) -> hash_map::Iter<'_, String, AttributeValue> {
        self.0.iter()
    }

    /// The underlying item.
    ///
    /// ```
    /// use dynamo_orm::{Document, Item};
    /// let mut doc = Document::new();
    /// doc.insert("a", "x")?;
    /// let item: Item = doc.into_item();
    /// assert_eq!(item.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_item(self) -> Item {
        self.0
    }

    /// The underlying item, borrowed.
    ///
    /// ```
    /// use dynamo_orm::Document;
    /// let doc = Document::new();
    /// assert!(doc.as_item().is_empty());
    /// ```
    pub fn as_item(&self) -> &Item {
        &self.0
    }
}

/// Wraps an item; nothing is checked or copied (see
/// [`Document::try_from_item`] for raw input; writes check every item).
///
/// ```
/// use dynamo_orm::{AttributeValue, Document, Item};
/// let mut item = Item::new();
/// item.insert("id".into(), AttributeValue::S("1".into()));
/// let doc = Document::from(item);
/// assert_eq!(doc.get::<String>("id")?.as_deref(), Some("1"));
/// # Ok::<(), dynamo_orm::DecodeError>(())
/// ```
impl From<Item> for Document {
    fn from(item: Item) -> Self {
        Self(item)
    }
}

/// ```
/// use dynamo_orm::{Document, Item};
/// let item: Item = Document::new().into();
/// assert!(item.is_empty());
/// ```
impl From<Document> for Item {
    fn from(doc: Document) -> Self {
        doc.0
    }
}

/// Read access to the [`Item`] and its `HashMap` methods. `Document`'s own
/// [`get`](Document::get), [`insert`](Document::insert) and
/// [`remove`](Document::remove) come first; reach the map's through
/// [`as_item`](Document::as_item) or `*doc`.
///
/// ```
/// use dynamo_orm::{AttributeValue, Document};
/// let mut doc = Document::new();
/// doc.insert("a", 1)?;
/// assert_eq!(doc.as_item().get("a"), Some(&AttributeValue::N("1".into())));
/// assert!(doc.keys().any(|k| k == "a"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl Deref for Document {
    type Target = Item;

    fn deref(&self) -> &Item {
        &self.0
    }
}

/// Raw write access: a document checks no invariant, so the map is free to edit.
///
/// ```
/// use dynamo_orm::{AttributeValue, Document};
/// let mut doc = Document::new();
/// doc.entry("n".into()).or_insert(AttributeValue::N("0".into()));
/// assert_eq!(doc.get::<i32>("n")?, Some(0));
/// # Ok::<(), dynamo_orm::DecodeError>(())
/// ```
impl DerefMut for Document {
    fn deref_mut(&mut self) -> &mut Item {
        &mut self.0
    }
}

impl FromIterator<(String, AttributeValue)> for Document {
    fn from_iter<I: IntoIterator<Item = (String, AttributeValue)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl Extend<(String, AttributeValue)> for Document {
    fn extend<I: IntoIterator<Item = (String, AttributeValue)>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl IntoIterator for Document {
    type Item = (String, AttributeValue);
    type IntoIter = hash_map::IntoIter<String, AttributeValue>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Document {
    type Item = (&'a String, &'a AttributeValue);
    type IntoIter = hash_map::Iter<'a, String, AttributeValue>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Every attribute of the item is the document's.
///
/// ```
/// use dynamo_orm::{AttributeMap, AttributeValue, Document, Item};
/// let mut item = Item::new();
/// item.insert("a".into(), AttributeValue::Bool(true));
/// let doc = Document::read_attributes(&mut item)?;
/// assert!(item.is_empty());
/// assert_eq!(doc.to_map()?, Document::from_map(doc.clone().into_item())?.into_item());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl AttributeMap for Document {
    /// Unknown until run time; used only as a capacity hint.
    const ATTRIBUTE_COUNT: usize = 0;
    /// None: a document has no static attribute names.
    const ATTRIBUTE_NAMES: &'static [&'static str] = &[];

    fn write_attributes(&self, item: &mut Item) -> Result<(), EncodeError> {
        item.extend(self.0.iter().map(|(k, v)| (k.clone(), v.clone())));
        Ok(())
    }

    fn read_attributes(item: &mut Item) -> Result<Self, DecodeError> {
        Ok(Self(std::mem::take(item)))
    }

    fn from_map(item: Item) -> Result<Self, DecodeError> {
        Ok(Self(item))
    }

    fn to_map(&self) -> Result<Item, EncodeError> {
        Ok(self.0.clone())
    }

    /// None: a document has no static attribute names.
    fn attribute_names(_out: &mut Vec<&'static str>) {}
}

/// A nested document is an `M`.
///
/// ```
/// use dynamo_orm::{AttributeValue, Document, FromAttribute, IntoAttribute};
/// let mut address = Document::new();
/// address.insert("city", "Paris")?;
/// let av = address.to_attribute()?;
/// assert!(matches!(av, AttributeValue::M(_)));
/// assert_eq!(Document::from_attribute(av)?, address);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl IntoAttribute for Document {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::M(self.0.clone()))
    }
}
impl FromAttribute for Document {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::M(map) => Ok(Self(map)),
            other => Err(DecodeError::type_mismatch("M", &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn typed_accessors() {
        let mut doc = Document::new();
        doc.insert("name", String::from("john"))
            .unwrap()
            .insert("friends", vec![Some(1i64), None])
            .unwrap()
            .insert("tags", BTreeSet::from(["b", "a"].map(String::from)))
            .unwrap()
            .insert(String::from("bin"), vec![1u8, 2])
            .unwrap();
        assert_eq!(doc.len(), 4);
        assert_eq!(
            doc.get::<Vec<Option<i64>>>("friends").unwrap(),
            Some(vec![Some(1), None])
        );
        assert_eq!(doc.get::<Vec<u8>>("bin").unwrap(), Some(vec![1, 2]));
        assert_eq!(
            doc.get::<BTreeSet<String>>("tags").unwrap(),
            Some(BTreeSet::from(["a", "b"].map(String::from)))
        );
        // Reading does not consume.
        assert!(doc.contains("name"));
        assert_eq!(doc.take::<String>("name").unwrap().as_deref(), Some("john"));
        assert_eq!(doc.take::<String>("name").unwrap(), None);
    }

    #[test]
    fn errors_name_the_attribute() {
        let mut doc = Document::new();
        doc.insert("l", vec![1, 2, 3]).unwrap();
        if let Some(AttributeValue::L(list)) = doc.get_mut("l") {
            list[2] = AttributeValue::S("x".into());
        }
        let err = doc.get::<Vec<i32>>("l").unwrap_err();
        assert_eq!(err.path().to_string(), "l[2]");
        assert_eq!((err.expected(), err.found()), (Some("N"), Some("S")));
        let err = doc.take::<Vec<i32>>("l").unwrap_err();
        assert_eq!(err.path().to_string(), "l[2]");
        assert!(!doc.contains("l"));

        let err = doc.insert("f", vec![1.0, f64::INFINITY]).unwrap_err();
        assert_eq!(err.path().to_string(), "f[1]");
        assert!(doc.is_empty());
    }

    #[test]
    fn absent_values_remove() {
        let mut doc = Document::new();
        doc.insert("x", Some(1)).unwrap();
        assert!(doc.contains("x"));
        doc.insert("x", None::<i32>).unwrap();
        assert!(!doc.contains("x"));
    }

    #[test]
    fn map_and_attribute_conversions() {
        let mut doc = Document::new();
        doc.insert("a", 1).unwrap();
        let mut item = Item::new();
        item.insert("other".into(), AttributeValue::Bool(false));
        doc.write_attributes(&mut item).unwrap();
        assert_eq!(item.len(), 2);
        let read = Document::from_map(item.clone()).unwrap();
        assert_eq!(read.len(), 2);
        let mut names = Vec::new();
        Document::attribute_names(&mut names);
        assert!(names.is_empty());

        let err = Document::from_attribute(AttributeValue::L(vec![])).unwrap_err();
        assert_eq!((err.expected(), err.found()), (Some("M"), Some("L")));
        let nested = Document::from_attribute(doc.to_attribute().unwrap()).unwrap();
        assert_eq!(nested, doc);

        let mut count = 0;
        for (name, value) in &read {
            assert!(read.contains(name));
            assert!(matches!(
                value,
                AttributeValue::N(_) | AttributeValue::Bool(_)
            ));
            count += 1;
        }
        assert_eq!(count, 2);
        let mut extended = Document::new();
        extended.extend(read.clone());
        assert_eq!(extended, read);
        assert_eq!(Item::from(read.clone()), read.into_item());
    }

    #[test]
    fn raw_values_are_checked() {
        let mut doc = Document::new();
        let err = doc
            .insert(
                "l",
                AttributeValue::L(vec![AttributeValue::N("1e999".into())]),
            )
            .unwrap_err();
        assert_eq!(err.path().to_string(), "l[0]");
        assert!(doc.is_empty());
        let dup = AttributeValue::Ns(vec!["1".into(), "1.0".into()]);
        assert!(doc.insert("ns", dup.clone()).is_err());
        let err = Document::try_from_item(Item::from([("ns".to_owned(), dup)])).unwrap_err();
        assert_eq!(err.path().to_string(), "ns[1]");
        assert!(
            Document::try_from_item(Item::from([(String::new(), AttributeValue::Bool(true))]))
                .is_err()
        );
        assert!(doc.insert("k".repeat(65_536), 1).is_err());
    }
}
