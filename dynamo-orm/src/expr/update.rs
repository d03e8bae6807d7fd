//! [`Update`]: update expressions (`SET`, `REMOVE`, `ADD`, `DELETE`) from typed paths.

use std::borrow::Cow;

use super::condition::encode_at;
use super::kind::{AddOperand, AttrKind, Encoded, ListOperand, Numeric, SetOperand, ValueOf};
use super::path::{IntoPath, Path, PathElement, UpdatePath};
use super::placeholders::{ExpressionAttributes, check_path};
use crate::{AttributeValue, Error};

/// An update expression: the actions of one `UpdateItem`, grouped into
/// `SET ... REMOVE ... ADD ... DELETE ...` when rendered.
///
/// Values are typed like conditions (a number attribute takes numbers), and
/// `add` only applies to numbers and sets, `delete` to sets, `list_append` to
/// lists, `increment` to numbers. DynamoDB refuses two actions on one attribute,
/// or on an attribute and a part of it (`address` and `address.city`): such
/// updates are refused by [`render`](Self::render) before anything is sent.
///
/// ```
/// use std::collections::HashSet;
/// use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
///
/// const NAME: Field<String> = Field::new("name");
/// const LOGINS: Field<u64> = Field::new("logins");
/// const NICKNAME: Field<Option<String>> = Field::new("nickname");
/// const ROLES: Field<HashSet<String>> = Field::new("roles");
///
/// let update = Update::new()
///     .set(NAME, "John")
///     .increment(LOGINS, 1)
///     .remove(NICKNAME)
///     .add(ROLES, ["admin"]);
/// let mut attrs = ExpressionAttributes::new();
/// assert_eq!(
///     update.render(&mut attrs)?,
///     "SET #n0 = :v0, #n1 = #n1 + :v1 REMOVE #n2 ADD #n3 :v2"
/// );
/// # Ok::<(), dynamo_orm::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[must_use = "an update does nothing until it is rendered into a request"]
pub struct Update {
    actions: Vec<Action>,
}

#[derive(Debug, Clone, PartialEq)]
enum Action {
    Set(Vec<PathElement>, SetValue),
    Remove(Vec<PathElement>),
    Add(Vec<PathElement>, Encoded),
    Delete(Vec<PathElement>, Encoded),
}

#[derive(Debug, Clone, PartialEq)]
enum SetValue {
    Value(Encoded),
    IfNotExists(Encoded),
    Path(Vec<PathElement>),
    Plus(Encoded),
    Minus(Encoded),
    Append(Encoded),
    Prepend(Encoded),
}

impl Action {
    fn target(&self) -> &[PathElement] {
        match self {
            Action::Set(path, _)
            | Action::Remove(path)
            | Action::Add(path, _)
            | Action::Delete(path, _) => path,
        }
    }
}

/// What an [`Update`] does to one top-level attribute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Touch<'a> {
    /// Nothing.
    Untouched,
    /// `SET name = value`.
    Set(&'a AttributeValue),
    /// `REMOVE name` (a field set to `None`).
    Removed,
    /// Anything else (`ADD`, an increment, a nested path), described.
    Other(&'static str),
}

/// The kind of the value at path `P`.
type KindOf<P> = <<P as IntoPath>::Value as AttrKind>::Kind;

impl Update {
    /// An update without actions (rendering it is refused: add some first).
    ///
    /// ```
    /// assert!(dynamo_orm::expr::Update::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    fn push(mut self, action: Action) -> Self {
        self.actions.push(action);
        self
    }

    fn set_value(
        self,
        path: Vec<PathElement>,
        make: impl FnOnce(Encoded) -> SetValue,
        value: Encoded,
    ) -> Self {
        let value = value.map_err(|e| e.at_path(&path));
        self.push(Action::Set(path, make(value)))
    }

    /// `SET path = value`. A value that a struct field would leave out of the
    /// item (`None`, an empty set) removes the attribute instead (`REMOVE path`),
    /// so the stored item reads back like the one written.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// const NAME: Field<String> = Field::new("name");
    /// const NICKNAME: Field<Option<String>> = Field::new("nickname");
    /// let update = Update::new().set(NAME, "John").set(NICKNAME, None::<String>);
    /// assert_eq!(update.render(&mut ExpressionAttributes::new())?, "SET #n0 = :v0 REMOVE #n1");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn set<P, T>(self, path: P, value: T) -> Self
    where
        P: UpdatePath,
        P::Value: AttrKind,
        T: ValueOf<KindOf<P>>,
    {
        let path = path.into_path().into_elements();
        if value.is_absent() {
            return self.push(Action::Remove(path));
        }
        let value = encode_at(&path, &value);
        self.push(Action::Set(path, SetValue::Value(value)))
    }

    /// `SET path = if_not_exists(path, value)`: writes `value` only when the
    /// attribute is missing (a default, a creation date).
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// const CREATED: Field<i64> = Field::new("created");
    /// let update = Update::new().set_if_not_exists(CREATED, 1_700_000_000);
    /// assert_eq!(
    ///     update.render(&mut ExpressionAttributes::new())?,
    ///     "SET #n0 = if_not_exists(#n0, :v0)"
    /// );
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn set_if_not_exists<P, T>(self, path: P, value: T) -> Self
    where
        P: UpdatePath,
        P::Value: AttrKind,
        T: ValueOf<KindOf<P>>,
    {
        let path = path.into_path().into_elements();
        let value = encode_at(&path, &value);
        self.push(Action::Set(path, SetValue::IfNotExists(value)))
    }

    /// `SET path = other`: copies another attribute of the same kind.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// const NAME: Field<String> = Field::new("name");
    /// const PREVIOUS_NAME: Field<Option<String>> = Field::new("previous_name");
    /// let update = Update::new().set_path(PREVIOUS_NAME, NAME);
    /// assert_eq!(update.render(&mut ExpressionAttributes::new())?, "SET #n0 = #n1");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn set_path<P, Q>(self, path: P, other: Q) -> Self
    where
        P: UpdatePath,
        P::Value: AttrKind,
        Q: IntoPath,
        Q::Value: AttrKind<Kind = KindOf<P>>,
    {
        let path = path.into_path().into_elements();
        let other = other.into_path().into_elements();
        self.push(Action::Set(path, SetValue::Path(other)))
    }

    /// `SET path = path + n`. DynamoDB refuses it when the attribute is
    /// missing; [`add`](Self::add) counts a missing number as 0.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// const SCORE: Field<f64> = Field::new("score");
    /// let update = Update::new().increment(SCORE, 0.5);
    /// assert_eq!(update.render(&mut ExpressionAttributes::new())?, "SET #n0 = #n0 + :v0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn increment<P, T>(self, path: P, n: T) -> Self
    where
        P: UpdatePath,
        P::Value: AttrKind,
        KindOf<P>: Numeric,
        T: ValueOf<super::kind::NumKind>,
    {
        let path = path.into_path().into_elements();
        let n = encode_at(&path, &n);
        self.push(Action::Set(path, SetValue::Plus(n)))
    }

    /// `SET path = path - n`. DynamoDB refuses it when the attribute is missing.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// const STOCK: Field<u32> = Field::new("stock");
    /// let update = Update::new().decrement(STOCK, 1);
    /// assert_eq!(update.render(&mut ExpressionAttributes::new())?, "SET #n0 = #n0 - :v0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn decrement<P, T>(self, path: P, n: T) -> Self
    where
        P: UpdatePath,
        P::Value: AttrKind,
        KindOf<P>: Numeric,
        T: ValueOf<super::kind::NumKind>,
    {
        let path = path.into_path().into_elements();
        let n = encode_at(&path, &n);
        self.push(Action::Set(path, SetValue::Minus(n)))
    }

    /// `SET path = list_append(if_not_exists(path, []), values)`: adds elements
    /// at the end of a list, creating it when missing.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// const TAGS: Field<Vec<String>> = Field::new("tags");
    /// let update = Update::new().list_append(TAGS, ["new"]);
    /// assert_eq!(
    ///     update.render(&mut ExpressionAttributes::new())?,
    ///     "SET #n0 = list_append(if_not_exists(#n0, :v0), :v1)"
    /// );
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn list_append<P, I>(self, path: P, values: I) -> Self
    where
        P: UpdatePath,
        P::Value: AttrKind,
        I: ListOperand<KindOf<P>>,
    {
        let path = path.into_path().into_elements();
        self.set_value(path, SetValue::Append, values.__encode_list())
    }

    /// `SET path = list_append(values, if_not_exists(path, []))`: adds elements
    /// at the start of a list, creating it when missing.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// const TAGS: Field<Vec<String>> = Field::new("tags");
    /// let update = Update::new().list_prepend(TAGS, ["first"]);
    /// assert_eq!(
    ///     update.render(&mut ExpressionAttributes::new())?,
    ///     "SET #n0 = list_append(:v0, if_not_exists(#n0, :v1))"
    /// );
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn list_prepend<P, I>(self, path: P, values: I) -> Self
    where
        P: UpdatePath,
        P::Value: AttrKind,
        I: ListOperand<KindOf<P>>,
    {
        let path = path.into_path().into_elements();
        self.set_value(path, SetValue::Prepend, values.__encode_list())
    }

    /// `REMOVE path`: deletes the attribute (or list element, or map entry).
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// const TAGS: Field<Vec<String>> = Field::new("tags");
    /// let update = Update::new().remove(TAGS.index(0));
    /// assert_eq!(update.render(&mut ExpressionAttributes::new())?, "REMOVE #n0[0]");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn remove<P: UpdatePath>(self, path: P) -> Self {
        self.push(Action::Remove(path.into_path().into_elements()))
    }

    /// `ADD path value`: adds a number to a number attribute (a missing one
    /// counts as 0), or elements to a set (a missing one is created).
    ///
    /// ```
    /// # use std::collections::BTreeSet;
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// const VISITS: Field<u64> = Field::new("visits");
    /// const LUCKY: Field<BTreeSet<i32>> = Field::new("lucky");
    /// let update = Update::new().add(VISITS, 1).add(LUCKY, [7, 13]);
    /// assert_eq!(update.render(&mut ExpressionAttributes::new())?, "ADD #n0 :v0, #n1 :v1");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn add<P, T>(self, path: P, value: T) -> Self
    where
        P: UpdatePath,
        P::Value: AttrKind,
        T: AddOperand<KindOf<P>>,
    {
        let path = path.into_path().into_elements();
        let value = value.__encode_add().map_err(|e| e.at_path(&path));
        self.push(Action::Add(path, value))
    }

    /// `DELETE path values`: takes elements out of a set.
    ///
    /// ```
    /// # use std::collections::HashSet;
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// const ROLES: Field<HashSet<String>> = Field::new("roles");
    /// let update = Update::new().delete(ROLES, ["admin", "owner"]);
    /// assert_eq!(update.render(&mut ExpressionAttributes::new())?, "DELETE #n0 :v0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn delete<P, T>(self, path: P, values: T) -> Self
    where
        P: UpdatePath,
        P::Value: AttrKind,
        T: SetOperand<KindOf<P>>,
    {
        let path = path.into_path().into_elements();
        let values = values.__encode_set().map_err(|e| e.at_path(&path));
        self.push(Action::Delete(path, values))
    }

    /// `SET name = value` on a top-level attribute, untyped: for code that
    /// works on raw items (partial saves, version attributes). The value is
    /// written as is, `NULL` included.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Update};
    /// use dynamo_orm::AttributeValue;
    /// let update = Update::new().set_raw("version", AttributeValue::N("2".into()));
    /// assert_eq!(update.render(&mut ExpressionAttributes::new())?, "SET #n0 = :v0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn set_raw(self, name: impl Into<Cow<'static, str>>, value: AttributeValue) -> Self {
        let path = vec![PathElement::Name(name.into())];
        self.push(Action::Set(path, SetValue::Value(Ok(value))))
    }

    /// `SET name = name + n` on a top-level attribute, untyped (`n` should be an `N`).
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Update};
    /// use dynamo_orm::AttributeValue;
    /// let update = Update::new().increment_raw("version", AttributeValue::N("1".into()));
    /// assert_eq!(update.render(&mut ExpressionAttributes::new())?, "SET #n0 = #n0 + :v0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn increment_raw(self, name: impl Into<Cow<'static, str>>, n: AttributeValue) -> Self {
        let path = vec![PathElement::Name(name.into())];
        self.push(Action::Set(path, SetValue::Plus(Ok(n))))
    }

    /// `REMOVE name` on a top-level attribute, by name.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Update};
    /// let update = Update::new().remove_raw(String::from("nickname"));
    /// assert_eq!(update.render(&mut ExpressionAttributes::new())?, "REMOVE #n0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn remove_raw(self, name: impl Into<Cow<'static, str>>) -> Self {
        self.push(Action::Remove(vec![PathElement::Name(name.into())]))
    }

    /// The actions of both updates, `self`'s first.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// const NAME: Field<String> = Field::new("name");
    /// const VERSION: Field<u64> = Field::new("version");
    /// let update = Update::new().set(NAME, "John").merge(Update::new().add(VERSION, 1));
    /// assert_eq!(update.render(&mut ExpressionAttributes::new())?, "SET #n0 = :v0 ADD #n1 :v1");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn merge(mut self, other: Update) -> Self {
        self.actions.extend(other.actions);
        self
    }

    /// Whether there is no action.
    ///
    /// ```
    /// # use dynamo_orm::expr::{Field, Update};
    /// const NAME: Field<String> = Field::new("name");
    /// assert!(!Update::new().remove(NAME).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// Whether an action targets `path`, a part of it, or a parent of it
    /// (to check before merging in an action of your own).
    ///
    /// ```
    /// # use dynamo_orm::expr::{Field, Path, Update};
    /// const ADDRESS: Field<std::collections::HashMap<String, String>> = Field::new("address");
    /// let update = Update::new().set(ADDRESS.key("city"), "Paris");
    /// assert!(update.touches(ADDRESS));
    /// assert!(!update.touches(Path::<String>::root("name")));
    /// ```
    pub fn touches<P: IntoPath>(&self, path: P) -> bool {
        let path = path.into_path().into_elements();
        self.actions.iter().any(|a| overlap(a.target(), &path))
    }

    /// What this update does to the top-level attribute `name`, for the
    /// operation core (keeping derived attributes such as index keys in step).
    pub(crate) fn touch(&self, name: &str) -> Touch<'_> {
        let mut found = Touch::Untouched;
        for action in &self.actions {
            // An action on `name` or inside it (`name.x`, `name[0]`).
            match action.target().first() {
                Some(PathElement::Name(first)) if first == name => {}
                _ => continue,
            }
            let this = match action {
                _ if action.target().len() != 1 => Touch::Other("a change inside it"),
                Action::Set(_, SetValue::Value(Ok(value))) => Touch::Set(value),
                Action::Set(_, SetValue::Value(Err(_))) => Touch::Other("a value that is refused"),
                Action::Set(_, SetValue::IfNotExists(_)) => Touch::Other("`set_if_not_exists`"),
                Action::Set(_, SetValue::Path(_)) => Touch::Other("`set_path`"),
                Action::Set(_, SetValue::Plus(_)) => Touch::Other("`increment`"),
                Action::Set(_, SetValue::Minus(_)) => Touch::Other("`decrement`"),
                Action::Set(_, SetValue::Append(_) | SetValue::Prepend(_)) => {
                    Touch::Other("a list append")
                }
                Action::Remove(_) => Touch::Removed,
                Action::Add(..) => Touch::Other("`add`"),
                Action::Delete(..) => Touch::Other("`delete`"),
            };
            // Two actions on one attribute are refused when rendered; report
            // the first that is not a plain value.
            found = match (found, this) {
                (Touch::Untouched, this) => this,
                (other @ Touch::Other(_), _) => other,
                (_, this) => this,
            };
        }
        found
    }

    /// The expression, registering its names and values in `attrs`.
    ///
    /// Fails, before registering anything, with [`Error::Validation`] for an
    /// update without actions, two actions on overlapping paths, an invalid path
    /// or an empty set, and with [`Error::Encode`] for a value that could not
    /// be encoded (NaN).
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field, Update};
    /// # use dynamo_orm::Error;
    /// const NAME: Field<String> = Field::new("name");
    /// let update = Update::new().set(NAME, "John").remove(NAME);
    /// assert!(matches!(
    ///     update.render(&mut ExpressionAttributes::new()),
    ///     Err(Error::Validation(_))
    /// ));
    /// ```
    pub fn render(&self, attrs: &mut ExpressionAttributes) -> Result<String, Error> {
        self.check()?;
        let mut sets = Vec::new();
        let mut removes = Vec::new();
        let mut adds = Vec::new();
        let mut deletes = Vec::new();
        for action in &self.actions {
            match action {
                Action::Set(..) => sets.push(action),
                Action::Remove(_) => removes.push(action),
                Action::Add(..) => adds.push(action),
                Action::Delete(..) => deletes.push(action),
            }
        }
        let mut out = String::new();
        for (keyword, group) in [
            ("SET ", sets),
            ("REMOVE ", removes),
            ("ADD ", adds),
            ("DELETE ", deletes),
        ] {
            if group.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(keyword);
            for (i, action) in group.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_action(action, attrs, &mut out);
            }
        }
        Ok(out)
    }

    fn check(&self) -> Result<(), Error> {
        if self.actions.is_empty() {
            return Err(Error::Validation("an update without actions".to_owned()));
        }
        for action in &self.actions {
            check_path(action.target())?;
            match action {
                Action::Set(_, value) => match value {
                    SetValue::Path(other) => check_path(other)?,
                    SetValue::Value(v)
                    | SetValue::IfNotExists(v)
                    | SetValue::Plus(v)
                    | SetValue::Minus(v)
                    | SetValue::Append(v)
                    | SetValue::Prepend(v) => check_value(v)?,
                },
                Action::Remove(_) => {}
                Action::Add(_, v) | Action::Delete(_, v) => check_value(v)?,
            }
        }
        for (i, a) in self.actions.iter().enumerate() {
            for b in &self.actions[i + 1..] {
                if overlap(a.target(), b.target()) {
                    return Err(Error::Validation(format!(
                        "update actions on overlapping paths `{}` and `{}`: DynamoDB refuses two \
                         actions on one attribute, or on an attribute and a part of it",
                        display(a.target()),
                        display(b.target()),
                    )));
                }
            }
        }
        Ok(())
    }
}

fn check_value(value: &Encoded) -> Result<(), Error> {
    match value {
        Ok(_) => Ok(()),
        Err(e) => Err(e.clone().into()),
    }
}

/// One path equals the other or is a prefix of it (`a` and `a.b`, `a` and `a[0]`).
fn overlap(a: &[PathElement], b: &[PathElement]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

fn display(path: &[PathElement]) -> Path<()> {
    Path::from_elements(path.to_vec())
}

fn value(v: &Encoded, attrs: &mut ExpressionAttributes) -> String {
    match v {
        Ok(v) => attrs.value(v.clone()),
        // Unreachable after `check`; write nothing rather than panic.
        Err(_) => String::new(),
    }
}

fn write_action(action: &Action, attrs: &mut ExpressionAttributes, out: &mut String) {
    match action {
        Action::Set(path, set) => {
            let target = attrs.path(path);
            out.push_str(&target);
            out.push_str(" = ");
            match set {
                SetValue::Value(v) => out.push_str(&value(v, attrs)),
                SetValue::IfNotExists(v) => {
                    let v = value(v, attrs);
                    out.push_str(&format!("if_not_exists({target}, {v})"));
                }
                SetValue::Path(other) => out.push_str(&attrs.path(other)),
                SetValue::Plus(v) => {
                    let v = value(v, attrs);
                    out.push_str(&format!("{target} + {v}"));
                }
                SetValue::Minus(v) => {
                    let v = value(v, attrs);
                    out.push_str(&format!("{target} - {v}"));
                }
                SetValue::Append(v) => {
                    let empty = attrs.value(AttributeValue::L(Vec::new()));
                    let v = value(v, attrs);
                    out.push_str(&format!(
                        "list_append(if_not_exists({target}, {empty}), {v})"
                    ));
                }
                SetValue::Prepend(v) => {
                    let v = value(v, attrs);
                    let empty = attrs.value(AttributeValue::L(Vec::new()));
                    out.push_str(&format!(
                        "list_append({v}, if_not_exists({target}, {empty}))"
                    ));
                }
            }
        }
        Action::Remove(path) => out.push_str(&attrs.path(path)),
        Action::Add(path, v) | Action::Delete(path, v) => {
            out.push_str(&attrs.path(path));
            out.push(' ');
            out.push_str(&value(v, attrs));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap, HashSet};

    use super::*;
    use crate::expr::Field;
    use crate::expr::placeholders::testing::{
        Rendered, assert_only_placeholders, n, names, pairs, s, sorted,
    };

    const NAME: Field<String> = Field::new("name");
    const AGE: Field<u32> = Field::new("age");
    const SCORE: Field<f64> = Field::new("score");
    const NICKNAME: Field<Option<String>> = Field::new("nickname");
    const TAGS: Field<Vec<String>> = Field::new("tags");
    const ROLES: Field<HashSet<String>> = Field::new("roles");
    const LUCKY: Field<BTreeSet<u8>> = Field::new("lucky");
    const ADDRESS: Field<HashMap<String, String>> = Field::new("address");

    fn render(update: &Update) -> Rendered {
        let mut attrs = ExpressionAttributes::new();
        let expr = update.render(&mut attrs).unwrap();
        assert_only_placeholders(&expr);
        sorted(expr, attrs)
    }

    fn refused(update: Update) -> Error {
        let mut attrs = ExpressionAttributes::new();
        let err = update.render(&mut attrs).unwrap_err();
        assert!(attrs.is_empty(), "nothing registered for a refused update");
        err
    }

    #[test]
    fn set() {
        let (e, ns, vs) = render(&Update::new().set(NAME, "John").set(AGE, 30));
        assert_eq!(e, "SET #n0 = :v0, #n1 = :v1");
        assert_eq!(ns, names(&[("#n0", "name"), ("#n1", "age")]));
        assert_eq!(vs, pairs(&[(":v0", s("John")), (":v1", n("30"))]));
    }

    #[test]
    fn absent_values_remove() {
        let update = Update::new()
            .set(NICKNAME, None::<String>)
            .set(ROLES, HashSet::<String>::new())
            .set(NAME, "x");
        let (e, ns, vs) = render(&update);
        assert_eq!(e, "SET #n0 = :v0 REMOVE #n1, #n2");
        assert_eq!(
            ns,
            names(&[("#n0", "name"), ("#n1", "nickname"), ("#n2", "roles")])
        );
        assert_eq!(vs, pairs(&[(":v0", s("x"))]));
        let (e, _, vs) = render(&Update::new().set(NICKNAME, Some("jo")));
        assert_eq!(e, "SET #n0 = :v0");
        assert_eq!(vs, pairs(&[(":v0", s("jo"))]));
    }

    #[test]
    fn set_if_not_exists_and_set_path() {
        let (e, _, vs) = render(&Update::new().set_if_not_exists(AGE, 1));
        assert_eq!(e, "SET #n0 = if_not_exists(#n0, :v0)");
        assert_eq!(vs, pairs(&[(":v0", n("1"))]));
        let (e, ns, vs) = render(&Update::new().set_path(NICKNAME, NAME));
        assert_eq!(e, "SET #n0 = #n1");
        assert_eq!(ns, names(&[("#n0", "nickname"), ("#n1", "name")]));
        assert!(vs.is_empty());
    }

    #[test]
    fn arithmetic() {
        let (e, _, vs) = render(&Update::new().increment(AGE, 2).decrement(SCORE, 0.5));
        assert_eq!(e, "SET #n0 = #n0 + :v0, #n1 = #n1 - :v1");
        assert_eq!(vs, pairs(&[(":v0", n("2")), (":v1", n("0.5"))]));
    }

    #[test]
    fn lists() {
        let (e, _, vs) = render(&Update::new().list_append(TAGS, ["a", "b"]));
        assert_eq!(e, "SET #n0 = list_append(if_not_exists(#n0, :v0), :v1)");
        assert_eq!(
            vs,
            pairs(&[
                (":v0", AttributeValue::L(vec![])),
                (":v1", AttributeValue::L(vec![s("a"), s("b")])),
            ])
        );
        let (e, _, vs) = render(&Update::new().list_prepend(TAGS, vec![String::from("z")]));
        assert_eq!(e, "SET #n0 = list_append(:v0, if_not_exists(#n0, :v1))");
        assert_eq!(
            vs,
            pairs(&[
                (":v0", AttributeValue::L(vec![s("z")])),
                (":v1", AttributeValue::L(vec![])),
            ])
        );
        // A list of small numbers stays a list, not a binary.
        const SMALL: Field<Vec<u16>> = Field::new("small");
        let (_, _, vs) = render(&Update::new().list_append(SMALL, [1, 2]));
        assert_eq!(vs[1].1, AttributeValue::L(vec![n("1"), n("2")]));
    }

    #[test]
    fn remove() {
        let (e, ns, vs) = render(&Update::new().remove(NICKNAME).remove(TAGS.index(3)));
        assert_eq!(e, "REMOVE #n0, #n1[3]");
        assert_eq!(ns, names(&[("#n0", "nickname"), ("#n1", "tags")]));
        assert!(vs.is_empty());
    }

    #[test]
    fn add_and_delete() {
        let update = Update::new()
            .add(AGE, 1)
            .add(ROLES, ["admin", "admin", "dev"])
            .add(LUCKY, [7u8, 13]);
        let (e, _, vs) = render(&update);
        assert_eq!(e, "ADD #n0 :v0, #n1 :v1, #n2 :v2");
        assert_eq!(
            vs,
            pairs(&[
                (":v0", n("1")),
                (
                    ":v1",
                    AttributeValue::Ss(vec!["admin".into(), "dev".into()])
                ),
                (":v2", AttributeValue::Ns(vec!["7".into(), "13".into()])),
            ])
        );
        let owned: HashSet<String> = HashSet::from(["x".to_owned()]);
        let (e, _, vs) = render(&Update::new().delete(ROLES, &owned).delete(LUCKY, vec![7]));
        assert_eq!(e, "DELETE #n0 :v0, #n1 :v1");
        assert_eq!(
            vs,
            pairs(&[
                (":v0", AttributeValue::Ss(vec!["x".into()])),
                (":v1", AttributeValue::Ns(vec!["7".into()])),
            ])
        );
    }

    #[test]
    fn clauses_are_grouped_in_order() {
        let update = Update::new()
            .delete(ROLES, ["a"])
            .add(AGE, 1)
            .remove(NICKNAME)
            .set(NAME, "n")
            .remove(TAGS)
            .increment(SCORE, 1);
        let (e, ns, _) = render(&update);
        assert_eq!(
            e,
            "SET #n0 = :v0, #n1 = #n1 + :v1 REMOVE #n2, #n3 ADD #n4 :v2 DELETE #n5 :v3"
        );
        assert_eq!(
            ns,
            names(&[
                ("#n0", "name"),
                ("#n1", "score"),
                ("#n2", "nickname"),
                ("#n3", "tags"),
                ("#n4", "age"),
                ("#n5", "roles"),
            ])
        );
    }

    #[test]
    fn nested_and_hostile_paths() {
        let city: Path<String> = ADDRESS.key("city");
        let weird: Path<String> = Path::<()>::root("a.b").key("#c:d - e");
        let (e, ns, _) = render(
            &Update::new()
                .set(&city, "Paris")
                .set(weird, "x")
                .remove(Path::<String>::root("status")),
        );
        assert_eq!(e, "SET #n0.#n1 = :v0, #n2.#n3 = :v1 REMOVE #n4");
        assert_eq!(
            ns,
            names(&[
                ("#n0", "address"),
                ("#n1", "city"),
                ("#n2", "a.b"),
                ("#n3", "#c:d - e"),
                ("#n4", "status"),
            ])
        );
    }

    #[test]
    fn merge() {
        let a = Update::new().set(NAME, "a");
        let b = Update::new().remove(NICKNAME).set(AGE, 3);
        let (e, _, _) = render(&a.clone().merge(b));
        assert_eq!(e, "SET #n0 = :v0, #n1 = :v1 REMOVE #n2");
        assert!(matches!(refused(a.clone().merge(a)), Error::Validation(_)));
    }

    #[test]
    fn overlapping_paths_are_refused() {
        let tag0: Path<String> = TAGS.index(0);
        let city: Path<String> = ADDRESS.key("city");
        for update in [
            Update::new().set(NAME, "a").set(NAME, "b"),
            Update::new().set(NAME, "a").remove(NAME),
            Update::new().add(AGE, 1).increment(AGE, 1),
            Update::new().remove(TAGS).set(&tag0, "x"),
            Update::new().set(&city, "x").remove(ADDRESS),
            Update::new().add(ROLES, ["a"]).delete(ROLES, ["b"]),
        ] {
            match refused(update) {
                Error::Validation(msg) => assert!(msg.contains("overlapping"), "{msg}"),
                other => panic!("{other:?}"),
            }
        }
        // Siblings do not overlap.
        let tag1: Path<String> = TAGS.index(1);
        let zip: Path<String> = ADDRESS.key("zip");
        let (e, _, _) = render(
            &Update::new()
                .set(&tag0, "a")
                .remove(tag1)
                .set(&city, "c")
                .set(zip, "z"),
        );
        assert_eq!(
            e,
            "SET #n0[0] = :v0, #n1.#n2 = :v1, #n1.#n3 = :v2 REMOVE #n0[1]"
        );
        // Reading a path that is also written is allowed.
        let (e, _, _) = render(&Update::new().set_path(NICKNAME, NAME).set(AGE, 1));
        assert_eq!(e, "SET #n0 = #n1, #n2 = :v0");
        assert!(Update::new().set(&city, "c").touches(ADDRESS));
        assert!(!Update::new().set(&city, "c").touches(NAME));
    }

    #[test]
    fn touch_reports_what_an_update_does_to_an_attribute() {
        let update = Update::new()
            .set(NAME, "a")
            .set(NICKNAME, None::<String>)
            .add(AGE, 1)
            .set(ADDRESS.key("city"), "c");
        assert_eq!(update.touch("name"), Touch::Set(&s("a")));
        assert_eq!(update.touch("nickname"), Touch::Removed);
        assert_eq!(update.touch("age"), Touch::Other("`add`"));
        assert_eq!(update.touch("address"), Touch::Other("a change inside it"));
        assert_eq!(update.touch("score"), Touch::Untouched);
        let update = Update::new().increment(SCORE, 1).set_if_not_exists(AGE, 3);
        assert_eq!(update.touch("score"), Touch::Other("`increment`"));
        assert_eq!(update.touch("age"), Touch::Other("`set_if_not_exists`"));
    }

    #[test]
    fn empty_update_is_refused() {
        assert!(matches!(refused(Update::new()), Error::Validation(_)));
    }

    #[test]
    fn bad_values_are_refused() {
        match refused(Update::new().set(NAME, "x").set(SCORE, f64::NAN)) {
            Error::Encode(e) => assert_eq!(e.path().to_string(), "score"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            refused(Update::new().increment(SCORE, f64::INFINITY)),
            Error::Encode(_)
        ));
        const FLOATS: Field<Vec<f64>> = Field::new("floats");
        match refused(Update::new().list_append(FLOATS, [1.0, f64::NAN])) {
            Error::Encode(e) => assert_eq!(e.path().to_string(), "floats[1]"),
            other => panic!("{other:?}"),
        }
        match refused(Update::new().delete(ROLES, Vec::<String>::new())) {
            Error::Validation(msg) => assert!(msg.contains("roles") && msg.contains("empty set")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            refused(Update::new().add(ROLES, [""; 0])),
            Error::Validation(_)
        ));
        let no_path: Path<String> = Path::from_elements(Vec::new());
        assert!(matches!(
            refused(Update::new().remove(no_path)),
            Error::Validation(_)
        ));
    }

    #[test]
    fn raw_names() {
        let update = Update::new()
            .set_raw(String::from("a.b"), s("x"))
            .increment_raw("version", n("1"))
            .remove_raw("status")
            .set_raw("nothing", AttributeValue::Null(true));
        let (e, ns, vs) = render(&update);
        assert_eq!(e, "SET #n0 = :v0, #n1 = #n1 + :v1, #n2 = :v2 REMOVE #n3");
        assert_eq!(
            ns,
            names(&[
                ("#n0", "a.b"),
                ("#n1", "version"),
                ("#n2", "nothing"),
                ("#n3", "status"),
            ])
        );
        assert_eq!(vs[2].1, AttributeValue::Null(true));
        let clash = Update::new()
            .set(AGE, 1)
            .merge(Update::new().increment_raw("age", n("1")));
        assert!(matches!(refused(clash), Error::Validation(_)));
    }

    #[test]
    fn raw_values() {
        let raw: Path<AttributeValue> = Path::root("payload");
        let update = Update::new()
            .set(&raw, AttributeValue::Bool(true))
            .add(Path::<AttributeValue>::root("n"), n("1"))
            .delete(
                Path::<AttributeValue>::root("ss"),
                AttributeValue::Ss(vec!["a".into()]),
            );
        let (e, _, _) = render(&update);
        assert_eq!(e, "SET #n0 = :v0 ADD #n1 :v1 DELETE #n2 :v2");
    }
}
