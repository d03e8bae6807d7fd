//! [`ExpressionAttributes`]: the `#n` name and `:v` value placeholders of one request.

use std::collections::HashMap;

use super::path::PathElement;
use crate::{AttributeValue, Error};

/// The placeholders of one request. Its condition, update, key condition,
/// filter and projection all register their names and values here, so the
/// request carries one `ExpressionAttributeNames` map and one
/// `ExpressionAttributeValues` map.
///
/// Every attribute name becomes `#nK` and every value `:vK`: no text a user
/// passes reaches the expression string, so reserved words (`status`, `name`),
/// dots, `#`, `:`, spaces and dashes in names are all safe, and placeholders
/// cannot collide with anything a user passes. Names are deduplicated; values
/// are not (each use gets its own `:vK`).
///
/// ```
/// use dynamo_orm::expr::{ExpressionAttributes, PathElement};
/// use dynamo_orm::AttributeValue;
///
/// let mut attrs = ExpressionAttributes::new();
/// let path = [PathElement::Name("address".into()), PathElement::Name("city".into())];
/// assert_eq!(attrs.path(&path), "#n0.#n1");
/// assert_eq!(attrs.name("address"), "#n0"); // the same name, the same placeholder
/// assert_eq!(attrs.value(AttributeValue::S("Paris".into())), ":v0");
///
/// let (names, values) = attrs.into_parts();
/// let names = names.unwrap();
/// assert_eq!(names["#n0"], "address");
/// assert_eq!(names["#n1"], "city");
/// assert_eq!(values.unwrap()[":v0"], AttributeValue::S("Paris".into()));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ExpressionAttributes {
    /// Attribute name -> its placeholder.
    names: HashMap<String, String>,
    /// Placeholder -> value.
    values: HashMap<String, AttributeValue>,
}

impl ExpressionAttributes {
    /// No placeholders yet.
    ///
    /// ```
    /// let attrs = dynamo_orm::expr::ExpressionAttributes::new();
    /// assert!(attrs.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The placeholder of an attribute name (or map key): `#n0`, `#n1`, ...
    /// The same name always gets the same placeholder.
    ///
    /// ```
    /// let mut attrs = dynamo_orm::expr::ExpressionAttributes::new();
    /// assert_eq!(attrs.name("status"), "#n0");
    /// assert_eq!(attrs.name("a.b"), "#n1");
    /// assert_eq!(attrs.name("status"), "#n0");
    /// ```
    pub fn name(&mut self, name: &str) -> String {
        if let Some(placeholder) = self.names.get(name) {
            return placeholder.clone();
        }
        let placeholder = format!("#n{}", self.names.len());
        self.names.insert(name.to_owned(), placeholder.clone());
        placeholder
    }

    /// A document path with a placeholder for each name: `#n0.#n1[3]`.
    ///
    /// Paths are not checked here; expressions check theirs when they render
    /// (a path must start with a name, and names must not be empty).
    ///
    /// ```
    /// use dynamo_orm::expr::{ExpressionAttributes, PathElement};
    /// let mut attrs = ExpressionAttributes::new();
    /// let path = [
    ///     PathElement::Name("friends".into()),
    ///     PathElement::Index(3),
    ///     PathElement::Name("name".into()),
    /// ];
    /// assert_eq!(attrs.path(&path), "#n0[3].#n1");
    /// ```
    pub fn path(&mut self, path: &[PathElement]) -> String {
        let mut out = String::with_capacity(path.len() * 4);
        for (i, element) in path.iter().enumerate() {
            match element {
                PathElement::Name(name) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(&self.name(name));
                }
                PathElement::Index(index) => {
                    out.push('[');
                    out.push_str(itoa::Buffer::new().format(*index));
                    out.push(']');
                }
            }
        }
        out
    }

    /// The placeholder of a value: `:v0`, `:v1`, ... Each call gets a new one.
    ///
    /// ```
    /// use dynamo_orm::{expr::ExpressionAttributes, AttributeValue};
    /// let mut attrs = ExpressionAttributes::new();
    /// assert_eq!(attrs.value(AttributeValue::N("1".into())), ":v0");
    /// assert_eq!(attrs.value(AttributeValue::N("1".into())), ":v1");
    /// ```
    pub fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    /// A projection expression of top-level attributes: `#n0, #n1`.
    /// Empty for no names (then leave `ProjectionExpression` out of the request).
    ///
    /// ```
    /// let mut attrs = dynamo_orm::expr::ExpressionAttributes::new();
    /// assert_eq!(attrs.projection(&["username", "date"]), "#n0, #n1");
    /// ```
    pub fn projection(&mut self, names: &[&str]) -> String {
        let mut out = String::with_capacity(names.len() * 5);
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&self.name(name));
        }
        out
    }

    /// Whether no name and no value was registered.
    ///
    /// ```
    /// let mut attrs = dynamo_orm::expr::ExpressionAttributes::new();
    /// attrs.name("a");
    /// assert!(!attrs.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.values.is_empty()
    }

    /// The attribute name behind a `#n` placeholder.
    ///
    /// ```
    /// let mut attrs = dynamo_orm::expr::ExpressionAttributes::new();
    /// let p = attrs.name("status");
    /// assert_eq!(attrs.name_of(&p), Some("status"));
    /// ```
    pub fn name_of(&self, placeholder: &str) -> Option<&str> {
        self.names
            .iter()
            .find(|(_, p)| p.as_str() == placeholder)
            .map(|(name, _)| name.as_str())
    }

    /// The value behind a `:v` placeholder.
    ///
    /// ```
    /// use dynamo_orm::{expr::ExpressionAttributes, AttributeValue};
    /// let mut attrs = ExpressionAttributes::new();
    /// let p = attrs.value(AttributeValue::Bool(true));
    /// assert_eq!(attrs.value_of(&p), Some(&AttributeValue::Bool(true)));
    /// ```
    pub fn value_of(&self, placeholder: &str) -> Option<&AttributeValue> {
        self.values.get(placeholder)
    }

    /// The two maps for the request (`ExpressionAttributeNames`,
    /// `ExpressionAttributeValues`), `None` when empty: DynamoDB refuses empty maps.
    ///
    /// ```
    /// let mut attrs = dynamo_orm::expr::ExpressionAttributes::new();
    /// attrs.name("a");
    /// let (names, values) = attrs.into_parts();
    /// assert_eq!(names.unwrap().len(), 1);
    /// assert!(values.is_none());
    /// ```
    #[allow(clippy::type_complexity)]
    pub fn into_parts(
        self,
    ) -> (
        Option<HashMap<String, String>>,
        Option<HashMap<String, AttributeValue>>,
    ) {
        let names = (!self.names.is_empty()).then(|| {
            self.names
                .into_iter()
                .map(|(name, placeholder)| (placeholder, name))
                .collect()
        });
        let values = (!self.values.is_empty()).then_some(self.values);
        (names, values)
    }
}

/// Refuses paths DynamoDB cannot address: empty, starting with an index, or with
/// an empty name.
pub(crate) fn check_path(path: &[PathElement]) -> Result<(), Error> {
    match path.first() {
        None => return Err(Error::Validation("an empty attribute path".to_owned())),
        Some(PathElement::Index(i)) => {
            return Err(Error::Validation(format!(
                "attribute path `[{i}]...` starts with a list index, not a name"
            )));
        }
        Some(PathElement::Name(_)) => {}
    }
    if path
        .iter()
        .any(|e| matches!(e, PathElement::Name(n) if n.is_empty()))
    {
        return Err(Error::Validation(format!(
            "attribute path `{}` has an empty name",
            super::Path::<()>::from_elements(path.to_vec())
        )));
    }
    Ok(())
}

/// Asserts that an expression holds nothing but placeholders, keywords,
/// function names, list indexes and punctuation: no user text.
#[cfg(test)]
pub(crate) fn assert_only_placeholders(expr: &str) {
    const WORDS: &[&str] = &[
        "AND",
        "OR",
        "NOT",
        "BETWEEN",
        "IN",
        "SET",
        "REMOVE",
        "ADD",
        "DELETE",
        "=",
        "<>",
        "<",
        "<=",
        ">",
        ">=",
        "+",
        "-",
        "begins_with",
        "contains",
        "attribute_exists",
        "attribute_not_exists",
        "attribute_type",
        "size",
        "if_not_exists",
        "list_append",
    ];
    for token in expr.split(|c: char| " (),.[]".contains(c)) {
        let placeholder = |prefix: &str| {
            token
                .strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
        };
        let index = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
        assert!(
            token.is_empty()
                || WORDS.contains(&token)
                || placeholder("#n")
                || placeholder(":v")
                || index,
            "`{token}` in `{expr}`"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &'static str) -> PathElement {
        PathElement::Name(s.into())
    }

    #[test]
    fn names_are_deduplicated_and_never_spliced() {
        let mut attrs = ExpressionAttributes::new();
        let hostile = [
            "status",
            "a.b",
            "#n0",
            ":v0",
            "with space",
            "da-sh",
            "x]y",
            "",
        ];
        let placeholders: Vec<String> = hostile.iter().map(|n| attrs.name(n)).collect();
        assert_eq!(
            placeholders,
            ["#n0", "#n1", "#n2", "#n3", "#n4", "#n5", "#n6", "#n7"]
        );
        assert_eq!(attrs.name("#n0"), "#n2");
        assert_eq!(
            attrs.path(&[name("status"), PathElement::Index(0), name("a.b")]),
            "#n0[0].#n1"
        );
        let (names, values) = attrs.into_parts();
        let names = names.unwrap();
        assert_eq!(names.len(), hostile.len());
        for (i, n) in hostile.iter().enumerate() {
            assert_eq!(names[&format!("#n{i}")], *n);
        }
        assert!(values.is_none());
    }

    #[test]
    fn values_and_projection() {
        let mut attrs = ExpressionAttributes::new();
        assert_eq!(attrs.value(AttributeValue::S("x".into())), ":v0");
        assert_eq!(attrs.value(AttributeValue::S("x".into())), ":v1");
        assert_eq!(attrs.projection(&["a", "b", "a"]), "#n0, #n1, #n0");
        assert_eq!(attrs.projection(&[]), "");
        let (names, values) = attrs.into_parts();
        assert_eq!(names.unwrap().len(), 2);
        assert_eq!(values.unwrap().len(), 2);
    }

    #[test]
    fn empty_parts_are_none() {
        assert_eq!(ExpressionAttributes::new().into_parts(), (None, None));
    }

    #[test]
    #[should_panic(expected = "`status`")]
    fn the_placeholder_check_catches_spliced_names() {
        assert_only_placeholders("#n0 = :v0 AND status = :v1");
    }

    #[test]
    fn bad_paths_are_refused() {
        assert!(check_path(&[]).is_err());
        assert!(check_path(&[PathElement::Index(0)]).is_err());
        assert!(check_path(&[name("a"), name("")]).is_err());
        assert!(check_path(&[name("a"), PathElement::Index(0), name("b")]).is_ok());
    }
}

/// What the expression tests of this module share.
#[cfg(test)]
pub(crate) mod testing {
    use super::ExpressionAttributes;
    pub(crate) use super::assert_only_placeholders;
    use crate::AttributeValue;

    /// An expression with its names and values, sorted by placeholder.
    pub(crate) type Rendered = (String, Vec<(String, String)>, Vec<(String, AttributeValue)>);

    pub(crate) fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_owned())
    }

    pub(crate) fn n(v: &str) -> AttributeValue {
        AttributeValue::N(v.to_owned())
    }

    /// A rendered expression and what it registered, sorted by placeholder.
    pub(crate) fn sorted(expr: String, attrs: ExpressionAttributes) -> Rendered {
        let (names, values) = attrs.into_parts();
        let mut names: Vec<_> = names.unwrap_or_default().into_iter().collect();
        let mut values: Vec<_> = values.unwrap_or_default().into_iter().collect();
        names.sort();
        values.sort_by(|a, b| a.0.cmp(&b.0));
        (expr, names, values)
    }

    /// Owned `(placeholder, value)` pairs, to compare with [`sorted`].
    pub(crate) fn pairs<V: Clone>(list: &[(&str, V)]) -> Vec<(String, V)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    /// Owned `(placeholder, name)` pairs, to compare with [`sorted`].
    pub(crate) fn names(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }
}
