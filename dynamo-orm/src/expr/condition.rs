//! [`Condition`]: condition expressions and filters, built from typed paths.
//!
//! ```
//! use dynamo_orm::expr::{Condition, ExpressionAttributes, Field};
//!
//! const AGE: Field<u32> = Field::new("age");
//! const NAME: Field<String> = Field::new("name");
//! const NICKNAME: Field<Option<String>> = Field::new("nickname");
//!
//! let cond = (AGE.ge(18) & NAME.begins_with("jo")) | !NICKNAME.exists();
//! let mut attrs = ExpressionAttributes::new();
//! assert_eq!(
//!     cond.render(&mut attrs)?,
//!     "(#n0 >= :v0 AND begins_with(#n1, :v1)) OR NOT attribute_exists(#n2)"
//! );
//! # Ok::<(), dynamo_orm::Error>(())
//! ```

use std::fmt::Write as _;
use std::ops::{BitAnd, BitOr, Not};

use super::kind::{
    AttrKind, Comparable, Containable, Encoded, NumKind, OperandError, Prefixable, Sizable, ValueOf,
};
use super::path::{Field, IntoPath, Path, PathElement, StoredKind};
use super::placeholders::{ExpressionAttributes, check_path};
use crate::value::IntoAttribute;
use crate::{AttributeValue, Error};

/// DynamoDB allows at most 100 operands in an `IN` list.
const MAX_IN_OPERANDS: usize = 100;

/// A condition expression (also used as a filter): a tree of comparisons and
/// functions on attribute paths, combined with `AND`, `OR` and `NOT`.
///
/// Build it from the typed fields (`User::FIELDS.age.gt(30)`) and combine with
/// `&`, `|`, `!` or [`and`](Self::and), [`or`](Self::or), [`not`](Self::not),
/// [`Condition::all`], [`Condition::any`]. Values are encoded when the
/// condition is built; a value DynamoDB cannot store (NaN) is kept as an error
/// and reported by [`render`](Self::render) as [`Error::Encode`].
///
/// ```
/// use dynamo_orm::expr::{Condition, ExpressionAttributes, Field};
/// const AGE: Field<u32> = Field::new("age");
/// const STATUS: Field<String> = Field::new("status"); // a reserved word: fine
///
/// let cond = Condition::all([AGE.between(18, 65), STATUS.is_in(["active", "new"])]);
/// let mut attrs = ExpressionAttributes::new();
/// assert_eq!(
///     cond.render(&mut attrs)?,
///     "#n0 BETWEEN :v0 AND :v1 AND #n1 IN (:v2, :v3)"
/// );
/// # Ok::<(), dynamo_orm::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a condition does nothing until it is rendered into a request"]
pub struct Condition {
    node: Node,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Compare(Operand, CmpOp, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    Exists(Vec<PathElement>),
    NotExists(Vec<PathElement>),
    /// `begins_with`, `contains`, `attribute_type`: `name(path, operand)`.
    Function(&'static str, Vec<PathElement>, Operand),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Path(Vec<PathElement>),
    Size(Vec<PathElement>),
    Value(Encoded),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// Where a node is written, for parenthesization.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Top,
    And,
    Or,
    Not,
}

/// A DynamoDB type, for [`Path::has_type`] (`attribute_type`).
///
/// ```
/// use dynamo_orm::expr::AttrType;
/// assert_eq!(AttrType::Ss.as_str(), "SS");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttrType {
    /// String.
    S,
    /// String set.
    Ss,
    /// Number.
    N,
    /// Number set.
    Ns,
    /// Binary.
    B,
    /// Binary set.
    Bs,
    /// Boolean.
    Bool,
    /// Null.
    Null,
    /// List.
    L,
    /// Map.
    M,
}

impl AttrType {
    /// The type code DynamoDB uses: `"S"`, `"SS"`, `"N"`, `"NS"`, `"B"`, `"BS"`,
    /// `"BOOL"`, `"NULL"`, `"L"`, `"M"`.
    ///
    /// ```
    /// assert_eq!(dynamo_orm::expr::AttrType::Bool.as_str(), "BOOL");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            AttrType::S => "S",
            AttrType::Ss => "SS",
            AttrType::N => "N",
            AttrType::Ns => "NS",
            AttrType::B => "B",
            AttrType::Bs => "BS",
            AttrType::Bool => "BOOL",
            AttrType::Null => "NULL",
            AttrType::L => "L",
            AttrType::M => "M",
        }
    }
}

/// Encodes a value compared with (or written to) `path`; errors name the path.
pub(crate) fn encode_at<T: IntoAttribute + ?Sized>(path: &[PathElement], value: &T) -> Encoded {
    value
        .to_attribute()
        .map_err(|e| OperandError::Encode(e).at_path(path))
}

impl Condition {
    fn new(node: Node) -> Self {
        Self { node }
    }

    fn compare(path: &[PathElement], op: CmpOp, right: Operand) -> Self {
        Self::new(Node::Compare(Operand::Path(path.to_vec()), op, right))
    }

    /// Both conditions: `a AND b` (same as `a & b`).
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
    /// const A: Field<i32> = Field::new("a");
    /// const B: Field<i32> = Field::new("b");
    /// let cond = A.eq(1).and(B.eq(2));
    /// assert_eq!(cond.render(&mut ExpressionAttributes::new())?, "#n0 = :v0 AND #n1 = :v1");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn and(self, other: Condition) -> Condition {
        let mut items = match self.node {
            Node::And(items) => items,
            node => vec![node],
        };
        match other.node {
            Node::And(more) => items.extend(more),
            node => items.push(node),
        }
        Self::new(Node::And(items))
    }

    /// Either condition: `a OR b` (same as `a | b`).
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
    /// const A: Field<i32> = Field::new("a");
    /// let cond = A.eq(1).or(A.eq(2));
    /// assert_eq!(cond.render(&mut ExpressionAttributes::new())?, "#n0 = :v0 OR #n0 = :v1");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn or(self, other: Condition) -> Condition {
        let mut items = match self.node {
            Node::Or(items) => items,
            node => vec![node],
        };
        match other.node {
            Node::Or(more) => items.extend(more),
            node => items.push(node),
        }
        Self::new(Node::Or(items))
    }

    /// The negation: `NOT a` (same as `!a`). Negating twice gives back `a`.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
    /// const A: Field<i32> = Field::new("a");
    /// let cond = A.eq(1).not();
    /// assert_eq!(cond.render(&mut ExpressionAttributes::new())?, "NOT (#n0 = :v0)");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    #[allow(clippy::should_implement_trait)] // it is implemented too; this one needs no import
    pub fn not(self) -> Condition {
        match self.node {
            Node::Not(inner) => Self::new(*inner),
            node => Self::new(Node::Not(Box::new(node))),
        }
    }

    /// All of the conditions (`AND`). One condition is itself; none is refused
    /// when rendered alone (DynamoDB has no `true`), and disappears when
    /// combined with `and`.
    ///
    /// ```
    /// # use dynamo_orm::expr::{Condition, ExpressionAttributes, Field};
    /// const A: Field<i32> = Field::new("a");
    /// let cond = Condition::all((1..=3).map(|i| A.ne(i)));
    /// assert_eq!(
    ///     cond.render(&mut ExpressionAttributes::new())?,
    ///     "#n0 <> :v0 AND #n0 <> :v1 AND #n0 <> :v2"
    /// );
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn all(conditions: impl IntoIterator<Item = Condition>) -> Condition {
        conditions
            .into_iter()
            .fold(Self::new(Node::And(Vec::new())), Condition::and)
            .simplified()
    }

    /// Any of the conditions (`OR`). One condition is itself; none is refused
    /// when rendered alone (DynamoDB has no `false`), and disappears when
    /// combined with `or`.
    ///
    /// ```
    /// # use dynamo_orm::expr::{Condition, ExpressionAttributes, Field};
    /// const A: Field<i32> = Field::new("a");
    /// const B: Field<i32> = Field::new("b");
    /// let cond = Condition::any([A.eq(1), B.eq(2) & A.eq(3)]);
    /// assert_eq!(
    ///     cond.render(&mut ExpressionAttributes::new())?,
    ///     "#n0 = :v0 OR (#n1 = :v1 AND #n0 = :v2)"
    /// );
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn any(conditions: impl IntoIterator<Item = Condition>) -> Condition {
        conditions
            .into_iter()
            .fold(Self::new(Node::Or(Vec::new())), Condition::or)
            .simplified()
    }

    fn simplified(self) -> Condition {
        match self.node {
            Node::And(mut items) | Node::Or(mut items) if items.len() == 1 => {
                Self::new(items.remove(0))
            }
            node => Self::new(node),
        }
    }

    /// The expression, registering its names and values in `attrs`.
    ///
    /// Fails, before registering anything, with [`Error::Encode`] for a value
    /// that could not be encoded (NaN), and with [`Error::Validation`] for an
    /// `IN` without values or with more than 100, an empty `all`/`any`, or an
    /// invalid path.
    ///
    /// ```
    /// use dynamo_orm::expr::{ExpressionAttributes, Field};
    /// const SCORE: Field<f64> = Field::new("score");
    /// let mut attrs = ExpressionAttributes::new();
    /// assert_eq!(SCORE.lt(0.5).render(&mut attrs)?, "#n0 < :v0");
    /// assert!(matches!(
    ///     SCORE.lt(f64::NAN).render(&mut attrs),
    ///     Err(dynamo_orm::Error::Encode(_))
    /// ));
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn render(&self, attrs: &mut ExpressionAttributes) -> Result<String, Error> {
        check(&self.node)?;
        let mut out = String::new();
        write_node(&self.node, attrs, &mut out, Context::Top);
        Ok(out)
    }
}

impl BitAnd for Condition {
    type Output = Condition;
    /// `a & b` is [`a.and(b)`](Condition::and).
    fn bitand(self, rhs: Condition) -> Condition {
        self.and(rhs)
    }
}

impl BitOr for Condition {
    type Output = Condition;
    /// `a | b` is [`a.or(b)`](Condition::or).
    fn bitor(self, rhs: Condition) -> Condition {
        self.or(rhs)
    }
}

impl Not for Condition {
    type Output = Condition;
    /// `!a` is [`a.not()`](Condition::not).
    fn not(self) -> Condition {
        Condition::not(self)
    }
}

// ---------------------------------------------------------------- checking

fn check(node: &Node) -> Result<(), Error> {
    match node {
        Node::Compare(left, _, right) => {
            check_operand(left)?;
            check_operand(right)
        }
        Node::Between(operand, low, high) => {
            check_operand(operand)?;
            check_operand(low)?;
            check_operand(high)
        }
        Node::In(operand, values) => {
            check_operand(operand)?;
            if values.is_empty() || values.len() > MAX_IN_OPERANDS {
                return Err(Error::Validation(format!(
                    "IN takes 1 to {MAX_IN_OPERANDS} values, not {}",
                    values.len()
                )));
            }
            values.iter().try_for_each(check_operand)
        }
        Node::Exists(path) | Node::NotExists(path) => check_path(path),
        Node::Function(_, path, operand) => {
            check_path(path)?;
            check_operand(operand)
        }
        Node::And(items) | Node::Or(items) if items.is_empty() => Err(Error::Validation(
            "a condition combines no conditions (an empty `all` or `any`)".to_owned(),
        )),
        Node::And(items) | Node::Or(items) => items.iter().try_for_each(check),
        Node::Not(inner) => check(inner),
    }
}

fn check_operand(operand: &Operand) -> Result<(), Error> {
    match operand {
        Operand::Path(path) | Operand::Size(path) => check_path(path),
        Operand::Value(Ok(_)) => Ok(()),
        Operand::Value(Err(e)) => Err(e.clone().into()),
    }
}

// ---------------------------------------------------------------- writing

fn write_node(node: &Node, attrs: &mut ExpressionAttributes, out: &mut String, ctx: Context) {
    match node {
        Node::Compare(left, op, right) => {
            let paren = ctx == Context::Not;
            open(out, paren);
            write_operand(left, attrs, out);
            let _ = write!(out, " {} ", op.as_str());
            write_operand(right, attrs, out);
            close(out, paren);
        }
        Node::Between(operand, low, high) => {
            let paren = ctx == Context::Not;
            open(out, paren);
            write_operand(operand, attrs, out);
            out.push_str(" BETWEEN ");
            write_operand(low, attrs, out);
            out.push_str(" AND ");
            write_operand(high, attrs, out);
            close(out, paren);
        }
        Node::In(operand, values) => {
            let paren = ctx == Context::Not;
            open(out, paren);
            write_operand(operand, attrs, out);
            out.push_str(" IN (");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_operand(v, attrs, out);
            }
            out.push(')');
            close(out, paren);
        }
        Node::Exists(path) => {
            out.push_str("attribute_exists(");
            out.push_str(&attrs.path(path));
            out.push(')');
        }
        Node::NotExists(path) => {
            out.push_str("attribute_not_exists(");
            out.push_str(&attrs.path(path));
            out.push(')');
        }
        Node::Function(name, path, operand) => {
            out.push_str(name);
            out.push('(');
            out.push_str(&attrs.path(path));
            out.push_str(", ");
            write_operand(operand, attrs, out);
            out.push(')');
        }
        Node::And(items) | Node::Or(items) if items.len() == 1 => {
            write_node(&items[0], attrs, out, ctx);
        }
        Node::And(items) => {
            let paren = matches!(ctx, Context::Or | Context::Not);
            write_list(items, " AND ", Context::And, paren, attrs, out);
        }
        Node::Or(items) => {
            let paren = matches!(ctx, Context::And | Context::Not);
            write_list(items, " OR ", Context::Or, paren, attrs, out);
        }
        Node::Not(inner) => {
            out.push_str("NOT ");
            write_node(inner, attrs, out, Context::Not);
        }
    }
}

fn write_list(
    items: &[Node],
    separator: &str,
    ctx: Context,
    paren: bool,
    attrs: &mut ExpressionAttributes,
    out: &mut String,
) {
    open(out, paren);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        write_node(item, attrs, out, ctx);
    }
    close(out, paren);
}

fn open(out: &mut String, paren: bool) {
    if paren {
        out.push('(');
    }
}

fn close(out: &mut String, paren: bool) {
    if paren {
        out.push(')');
    }
}

fn write_operand(operand: &Operand, attrs: &mut ExpressionAttributes, out: &mut String) {
    match operand {
        Operand::Path(path) => out.push_str(&attrs.path(path)),
        Operand::Size(path) => {
            out.push_str("size(");
            out.push_str(&attrs.path(path));
            out.push(')');
        }
        Operand::Value(Ok(value)) => out.push_str(&attrs.value(value.clone())),
        // Unreachable after `check`; write nothing rather than panic.
        Operand::Value(Err(_)) => {}
    }
}

// ---------------------------------------------------------------- builders

/// The size of an attribute (`size(path)`): string length, binary length, or
/// element count of a set, list or map. Compare it with numbers.
///
/// ```
/// use dynamo_orm::expr::{ExpressionAttributes, Field};
/// const TAGS: Field<Vec<String>> = Field::new("tags");
/// let cond = TAGS.size().gt(2);
/// assert_eq!(cond.render(&mut ExpressionAttributes::new())?, "size(#n0) > :v0");
/// # Ok::<(), dynamo_orm::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Size {
    path: Vec<PathElement>,
}

impl Size {
    fn compare<T: ValueOf<NumKind>>(&self, op: CmpOp, n: T) -> Condition {
        Condition::new(Node::Compare(
            Operand::Size(self.path.clone()),
            op,
            Operand::Value(encode_at(&self.path, &n)),
        ))
    }

    /// `size(path) = n`.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
    /// const NAME: Field<String> = Field::new("name");
    /// assert_eq!(NAME.size().eq(4).render(&mut ExpressionAttributes::new())?, "size(#n0) = :v0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn eq<T: ValueOf<NumKind>>(&self, n: T) -> Condition {
        self.compare(CmpOp::Eq, n)
    }

    /// `size(path) <> n`.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
    /// const NAME: Field<String> = Field::new("name");
    /// assert_eq!(NAME.size().ne(4).render(&mut ExpressionAttributes::new())?, "size(#n0) <> :v0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn ne<T: ValueOf<NumKind>>(&self, n: T) -> Condition {
        self.compare(CmpOp::Ne, n)
    }

    /// `size(path) < n`.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
    /// const NAME: Field<String> = Field::new("name");
    /// assert_eq!(NAME.size().lt(4).render(&mut ExpressionAttributes::new())?, "size(#n0) < :v0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn lt<T: ValueOf<NumKind>>(&self, n: T) -> Condition {
        self.compare(CmpOp::Lt, n)
    }

    /// `size(path) <= n`.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
    /// const NAME: Field<String> = Field::new("name");
    /// assert_eq!(NAME.size().le(4).render(&mut ExpressionAttributes::new())?, "size(#n0) <= :v0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn le<T: ValueOf<NumKind>>(&self, n: T) -> Condition {
        self.compare(CmpOp::Le, n)
    }

    /// `size(path) > n`.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
    /// const NAME: Field<String> = Field::new("name");
    /// assert_eq!(NAME.size().gt(4).render(&mut ExpressionAttributes::new())?, "size(#n0) > :v0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn gt<T: ValueOf<NumKind>>(&self, n: T) -> Condition {
        self.compare(CmpOp::Gt, n)
    }

    /// `size(path) >= n`.
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
    /// const NAME: Field<String> = Field::new("name");
    /// assert_eq!(NAME.size().ge(4).render(&mut ExpressionAttributes::new())?, "size(#n0) >= :v0");
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn ge<T: ValueOf<NumKind>>(&self, n: T) -> Condition {
        self.compare(CmpOp::Ge, n)
    }

    /// `size(path) BETWEEN low AND high` (inclusive).
    ///
    /// ```
    /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
    /// const NAME: Field<String> = Field::new("name");
    /// assert_eq!(
    ///     NAME.size().between(1, 8).render(&mut ExpressionAttributes::new())?,
    ///     "size(#n0) BETWEEN :v0 AND :v1"
    /// );
    /// # Ok::<(), dynamo_orm::Error>(())
    /// ```
    pub fn between<A: ValueOf<NumKind>, B: ValueOf<NumKind>>(&self, low: A, high: B) -> Condition {
        Condition::new(Node::Between(
            Operand::Size(self.path.clone()),
            Operand::Value(encode_at(&self.path, &low)),
            Operand::Value(encode_at(&self.path, &high)),
        ))
    }
}

/// The condition builders of [`Field`] and [`Path`]: one definition for
/// both, so a field and a nested path read the same. `by_value` for `Field`
/// (it is `Copy`), `by_ref` for `Path`.
macro_rules! condition_builders {
    (by_value) => {
        condition_builders!(@methods [] self);
    };
    (by_ref) => {
        condition_builders!(@methods [&] self);
    };
    (@methods [$($amp:tt)?] $this:ident) => {
            /// `field = value`.
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const NAME: Field<String> = Field::new("name");
            /// assert_eq!(NAME.eq("john").render(&mut ExpressionAttributes::new())?, "#n0 = :v0");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn eq<T: ValueOf<V::Kind>>($($amp)? $this, value: T) -> Condition
            where
                V: AttrKind,
            {
                compare_value($this.__elements().as_ref(), CmpOp::Eq, value)
            }

            /// `field <> value`.
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const NAME: Field<String> = Field::new("name");
            /// assert_eq!(NAME.ne("john").render(&mut ExpressionAttributes::new())?, "#n0 <> :v0");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn ne<T: ValueOf<V::Kind>>($($amp)? $this, value: T) -> Condition
            where
                V: AttrKind,
            {
                compare_value($this.__elements().as_ref(), CmpOp::Ne, value)
            }

            /// `field < value` (strings, numbers and binaries).
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const AGE: Field<u32> = Field::new("age");
            /// assert_eq!(AGE.lt(30).render(&mut ExpressionAttributes::new())?, "#n0 < :v0");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn lt<T: ValueOf<V::Kind>>($($amp)? $this, value: T) -> Condition
            where
                V: AttrKind,
                V::Kind: Comparable,
            {
                compare_value($this.__elements().as_ref(), CmpOp::Lt, value)
            }

            /// `field <= value` (strings, numbers and binaries).
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const AGE: Field<u32> = Field::new("age");
            /// assert_eq!(AGE.le(30).render(&mut ExpressionAttributes::new())?, "#n0 <= :v0");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn le<T: ValueOf<V::Kind>>($($amp)? $this, value: T) -> Condition
            where
                V: AttrKind,
                V::Kind: Comparable,
            {
                compare_value($this.__elements().as_ref(), CmpOp::Le, value)
            }

            /// `field > value` (strings, numbers and binaries).
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const AGE: Field<u32> = Field::new("age");
            /// assert_eq!(AGE.gt(30).render(&mut ExpressionAttributes::new())?, "#n0 > :v0");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn gt<T: ValueOf<V::Kind>>($($amp)? $this, value: T) -> Condition
            where
                V: AttrKind,
                V::Kind: Comparable,
            {
                compare_value($this.__elements().as_ref(), CmpOp::Gt, value)
            }

            /// `field >= value` (strings, numbers and binaries).
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const AGE: Field<u32> = Field::new("age");
            /// assert_eq!(AGE.ge(30).render(&mut ExpressionAttributes::new())?, "#n0 >= :v0");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn ge<T: ValueOf<V::Kind>>($($amp)? $this, value: T) -> Condition
            where
                V: AttrKind,
                V::Kind: Comparable,
            {
                compare_value($this.__elements().as_ref(), CmpOp::Ge, value)
            }

            /// `field BETWEEN low AND high` (inclusive; strings, numbers and binaries).
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const AGE: Field<u32> = Field::new("age");
            /// assert_eq!(
            ///     AGE.between(18, 65).render(&mut ExpressionAttributes::new())?,
            ///     "#n0 BETWEEN :v0 AND :v1"
            /// );
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn between<A, B>($($amp)? $this, low: A, high: B) -> Condition
            where
                V: AttrKind,
                V::Kind: Comparable,
                A: ValueOf<V::Kind>,
                B: ValueOf<V::Kind>,
            {
                between($this.__elements().as_ref(), &low, &high)
            }

            /// `field IN (v1, v2, ...)`, 1 to 100 values (checked when rendered).
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const AGE: Field<u32> = Field::new("age");
            /// assert_eq!(
            ///     AGE.is_in([18, 21]).render(&mut ExpressionAttributes::new())?,
            ///     "#n0 IN (:v0, :v1)"
            /// );
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn is_in<I>($($amp)? $this, values: I) -> Condition
            where
                V: AttrKind,
                I: IntoIterator,
                I::Item: ValueOf<V::Kind>,
            {
                is_in($this.__elements().as_ref(), values)
            }

            /// `begins_with(field, prefix)` (strings and binaries).
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const NAME: Field<String> = Field::new("name");
            /// assert_eq!(
            ///     NAME.begins_with("jo").render(&mut ExpressionAttributes::new())?,
            ///     "begins_with(#n0, :v0)"
            /// );
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn begins_with<T: ValueOf<V::Kind>>($($amp)? $this, prefix: T) -> Condition
            where
                V: AttrKind,
                V::Kind: Prefixable,
            {
                function("begins_with", $this.__elements().as_ref(), &prefix)
            }

            /// `contains(field, value)`: a substring of a string, an element of a set or list.
            ///
            /// ```
            /// # use std::collections::HashSet;
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const ROLES: Field<HashSet<String>> = Field::new("roles");
            /// assert_eq!(
            ///     ROLES.contains("admin").render(&mut ExpressionAttributes::new())?,
            ///     "contains(#n0, :v0)"
            /// );
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn contains<T>($($amp)? $this, value: T) -> Condition
            where
                V: AttrKind,
                V::Kind: Containable,
                T: ValueOf<<V::Kind as Containable>::Elem>,
            {
                function("contains", $this.__elements().as_ref(), &value)
            }

            /// `attribute_exists(field)`.
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const NAME: Field<String> = Field::new("name");
            /// assert_eq!(
            ///     NAME.exists().render(&mut ExpressionAttributes::new())?,
            ///     "attribute_exists(#n0)"
            /// );
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn exists($($amp)? $this) -> Condition
            where
                V: AttrKind,
            {
                Condition::new(Node::Exists($this.__elements().as_ref().to_vec()))
            }

            /// `attribute_not_exists(field)`.
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const NAME: Field<String> = Field::new("name");
            /// assert_eq!(
            ///     NAME.not_exists().render(&mut ExpressionAttributes::new())?,
            ///     "attribute_not_exists(#n0)"
            /// );
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn not_exists($($amp)? $this) -> Condition
            where
                V: AttrKind,
            {
                Condition::new(Node::NotExists($this.__elements().as_ref().to_vec()))
            }

            /// `attribute_type(field, type)`.
            ///
            /// ```
            /// # use dynamo_orm::expr::{AttrType, ExpressionAttributes, Field};
            /// const NICKNAME: Field<Option<String>> = Field::new("nickname");
            /// assert_eq!(
            ///     NICKNAME.has_type(AttrType::Null).render(&mut ExpressionAttributes::new())?,
            ///     "attribute_type(#n0, :v0)"
            /// );
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn has_type($($amp)? $this, ty: AttrType) -> Condition
            where
                V: AttrKind,
            {
                has_type($this.__elements().as_ref(), ty)
            }

            /// `size(field)`, to compare with numbers.
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const NAME: Field<String> = Field::new("name");
            /// assert_eq!(
            ///     NAME.size().between(2, 20).render(&mut ExpressionAttributes::new())?,
            ///     "size(#n0) BETWEEN :v0 AND :v1"
            /// );
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn size($($amp)? $this) -> Size
            where
                V: AttrKind,
                V::Kind: Sizable,
            {
                Size {
                        path: $this.__elements().as_ref().to_vec(),
                    }
            }

            /// `field = other` for another attribute of the same kind.
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const NAME: Field<String> = Field::new("name");
            /// const NICKNAME: Field<Option<String>> = Field::new("nickname");
            /// assert_eq!(NAME.eq_path(NICKNAME).render(&mut ExpressionAttributes::new())?, "#n0 = #n1");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn eq_path<P>($($amp)? $this, other: P) -> Condition
            where
                V: AttrKind,
                P: IntoPath,
                P::Value: AttrKind<Kind = V::Kind>,
            {
                compare_path($this.__elements().as_ref(), CmpOp::Eq, other)
            }

            /// `field <> other` for another attribute of the same kind.
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const NAME: Field<String> = Field::new("name");
            /// const NICKNAME: Field<Option<String>> = Field::new("nickname");
            /// assert_eq!(NAME.ne_path(NICKNAME).render(&mut ExpressionAttributes::new())?, "#n0 <> #n1");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn ne_path<P>($($amp)? $this, other: P) -> Condition
            where
                V: AttrKind,
                P: IntoPath,
                P::Value: AttrKind<Kind = V::Kind>,
            {
                compare_path($this.__elements().as_ref(), CmpOp::Ne, other)
            }

            /// `field < other` for another attribute of the same (ordered) kind.
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const USED: Field<u64> = Field::new("used");
            /// const LIMIT: Field<u64> = Field::new("limit");
            /// assert_eq!(USED.lt_path(LIMIT).render(&mut ExpressionAttributes::new())?, "#n0 < #n1");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn lt_path<P>($($amp)? $this, other: P) -> Condition
            where
                V: AttrKind,
                V::Kind: Comparable,
                P: IntoPath,
                P::Value: AttrKind<Kind = V::Kind>,
            {
                compare_path($this.__elements().as_ref(), CmpOp::Lt, other)
            }

            /// `field <= other` for another attribute of the same (ordered) kind.
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const USED: Field<u64> = Field::new("used");
            /// const LIMIT: Field<u64> = Field::new("limit");
            /// assert_eq!(USED.le_path(LIMIT).render(&mut ExpressionAttributes::new())?, "#n0 <= #n1");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn le_path<P>($($amp)? $this, other: P) -> Condition
            where
                V: AttrKind,
                V::Kind: Comparable,
                P: IntoPath,
                P::Value: AttrKind<Kind = V::Kind>,
            {
                compare_path($this.__elements().as_ref(), CmpOp::Le, other)
            }

            /// `field > other` for another attribute of the same (ordered) kind.
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const USED: Field<u64> = Field::new("used");
            /// const LIMIT: Field<u64> = Field::new("limit");
            /// assert_eq!(USED.gt_path(LIMIT).render(&mut ExpressionAttributes::new())?, "#n0 > #n1");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn gt_path<P>($($amp)? $this, other: P) -> Condition
            where
                V: AttrKind,
                V::Kind: Comparable,
                P: IntoPath,
                P::Value: AttrKind<Kind = V::Kind>,
            {
                compare_path($this.__elements().as_ref(), CmpOp::Gt, other)
            }

            /// `field >= other` for another attribute of the same (ordered) kind.
            ///
            /// ```
            /// # use dynamo_orm::expr::{ExpressionAttributes, Field};
            /// const USED: Field<u64> = Field::new("used");
            /// const LIMIT: Field<u64> = Field::new("limit");
            /// assert_eq!(USED.ge_path(LIMIT).render(&mut ExpressionAttributes::new())?, "#n0 >= #n1");
            /// # Ok::<(), dynamo_orm::Error>(())
            /// ```
            pub fn ge_path<P>($($amp)? $this, other: P) -> Condition
            where
                V: AttrKind,
                V::Kind: Comparable,
                P: IntoPath,
                P::Value: AttrKind<Kind = V::Kind>,
            {
                compare_path($this.__elements().as_ref(), CmpOp::Ge, other)
            }
    };
}

fn compare_value<T: IntoAttribute>(path: &[PathElement], op: CmpOp, value: T) -> Condition {
    let right = Operand::Value(encode_at(path, &value));
    Condition::compare(path, op, right)
}

fn compare_path<P: IntoPath>(path: &[PathElement], op: CmpOp, other: P) -> Condition {
    let right = Operand::Path(other.into_path().into_elements());
    Condition::compare(path, op, right)
}

fn between<A: IntoAttribute, B: IntoAttribute>(
    path: &[PathElement],
    low: &A,
    high: &B,
) -> Condition {
    Condition::new(Node::Between(
        Operand::Path(path.to_vec()),
        Operand::Value(encode_at(path, low)),
        Operand::Value(encode_at(path, high)),
    ))
}

fn is_in<I>(path: &[PathElement], values: I) -> Condition
where
    I: IntoIterator,
    I::Item: IntoAttribute,
{
    let values = values
        .into_iter()
        .map(|v| Operand::Value(encode_at(path, &v)))
        .collect();
    Condition::new(Node::In(Operand::Path(path.to_vec()), values))
}

fn function<T: IntoAttribute>(name: &'static str, path: &[PathElement], operand: &T) -> Condition {
    let operand = Operand::Value(encode_at(path, operand));
    Condition::new(Node::Function(name, path.to_vec(), operand))
}

fn has_type(path: &[PathElement], ty: AttrType) -> Condition {
    let operand = Operand::Value(Ok(AttributeValue::S(ty.as_str().to_owned())));
    Condition::new(Node::Function("attribute_type", path.to_vec(), operand))
}

/// The condition builders on a document path (`address.city`, `tags[0]`):
/// the same as on a [`Field`].
impl<V: ?Sized> Path<V> {
    fn __elements(&self) -> &[PathElement] {
        self.elements()
    }

    condition_builders!(by_ref);
}

/// The condition builders on a top-level attribute.
impl<V: ?Sized, K: StoredKind> Field<V, K> {
    fn __elements(&self) -> [PathElement; 1] {
        [PathElement::Name(std::borrow::Cow::Borrowed(self.name()))]
    }

    condition_builders!(by_value);
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use super::*;
    use crate::EncodeError;
    use crate::expr::placeholders::testing::{
        Rendered, assert_only_placeholders, n, names, pairs as values, s, sorted,
    };
    use crate::expr::{ExactKind, ListKind};

    const AGE: Field<u32> = Field::new("age");
    const NAME: Field<String> = Field::new("name");
    const NICKNAME: Field<Option<String>> = Field::new("nickname");
    const TAGS: Field<Vec<String>> = Field::new("tags");
    const ROLES: Field<BTreeSet<String>> = Field::new("roles");
    const DATA: Field<Vec<u8>> = Field::new("data");
    const SCORE: Field<f64> = Field::new("score");
    const PREFS: Field<HashMap<String, i64>> = Field::new("prefs");

    fn render(cond: &Condition) -> Rendered {
        let mut attrs = ExpressionAttributes::new();
        let expr = cond.render(&mut attrs).unwrap();
        sorted(expr, attrs)
    }

    fn expr(cond: &Condition) -> String {
        render(cond).0
    }

    #[test]
    fn comparisons() {
        for (cond, op) in [
            (AGE.eq(30), "="),
            (AGE.ne(30), "<>"),
            (AGE.lt(30), "<"),
            (AGE.le(30), "<="),
            (AGE.gt(30), ">"),
            (AGE.ge(30), ">="),
        ] {
            let (e, ns, vs) = render(&cond);
            assert_eq!(e, format!("#n0 {op} :v0"));
            assert_eq!(ns, names(&[("#n0", "age")]));
            assert_eq!(vs, values(&[(":v0", n("30"))]));
        }
        assert_eq!(render(&NAME.eq("john")).2, values(&[(":v0", s("john"))]));
        assert_eq!(
            render(&NAME.gt(String::from("m"))).2,
            values(&[(":v0", s("m"))])
        );
        assert_eq!(render(&SCORE.le(2.5)).2, values(&[(":v0", n("2.5"))]));
        // Option fields take the inner type's values.
        assert_eq!(render(&NICKNAME.eq("jo")).2, values(&[(":v0", s("jo"))]));
    }

    #[test]
    fn between_and_in() {
        let (e, ns, vs) = render(&AGE.between(18, 65));
        assert_eq!(e, "#n0 BETWEEN :v0 AND :v1");
        assert_eq!(ns, names(&[("#n0", "age")]));
        assert_eq!(vs, values(&[(":v0", n("18")), (":v1", n("65"))]));

        let (e, _, vs) = render(&NAME.is_in(["a", "b", "c"]));
        assert_eq!(e, "#n0 IN (:v0, :v1, :v2)");
        assert_eq!(
            vs,
            values(&[(":v0", s("a")), (":v1", s("b")), (":v2", s("c"))])
        );
        assert_eq!(expr(&AGE.is_in([1])), "#n0 IN (:v0)");
    }

    #[test]
    fn in_takes_1_to_100_values() {
        let mut attrs = ExpressionAttributes::new();
        for count in [0, 101] {
            let err = AGE.is_in(0..count).render(&mut attrs).unwrap_err();
            assert!(matches!(err, Error::Validation(_)), "{count}: {err}");
        }
        assert!(
            attrs.is_empty(),
            "nothing registered for refused conditions"
        );
        let e = AGE.is_in(0..100).render(&mut attrs).unwrap();
        assert!(
            e.starts_with("#n0 IN (:v0, :v1, ") && e.ends_with(":v99)"),
            "{e}"
        );
    }

    #[test]
    fn functions() {
        let (e, ns, vs) = render(&NAME.begins_with("jo"));
        assert_eq!(e, "begins_with(#n0, :v0)");
        assert_eq!(ns, names(&[("#n0", "name")]));
        assert_eq!(vs, values(&[(":v0", s("jo"))]));

        let (e, _, vs) = render(&DATA.begins_with(vec![1u8, 2]));
        assert_eq!(e, "begins_with(#n0, :v0)");
        assert_eq!(vs, values(&[(":v0", AttributeValue::B(vec![1, 2].into()))]));

        assert_eq!(render(&NAME.contains("oh")).2, values(&[(":v0", s("oh"))]));
        assert_eq!(
            render(&TAGS.contains("rust")).2,
            values(&[(":v0", s("rust"))])
        );
        let (e, _, vs) = render(&ROLES.contains("admin"));
        assert_eq!(e, "contains(#n0, :v0)");
        assert_eq!(vs, values(&[(":v0", s("admin"))]));

        let (e, ns, vs) = render(&NAME.exists());
        assert_eq!(
            (e.as_str(), ns.len(), vs.len()),
            ("attribute_exists(#n0)", 1, 0)
        );
        assert_eq!(expr(&NAME.not_exists()), "attribute_not_exists(#n0)");

        for (ty, code) in [
            (AttrType::S, "S"),
            (AttrType::Ss, "SS"),
            (AttrType::N, "N"),
            (AttrType::Ns, "NS"),
            (AttrType::B, "B"),
            (AttrType::Bs, "BS"),
            (AttrType::Bool, "BOOL"),
            (AttrType::Null, "NULL"),
            (AttrType::L, "L"),
            (AttrType::M, "M"),
        ] {
            let (e, _, vs) = render(&NICKNAME.has_type(ty));
            assert_eq!(e, "attribute_type(#n0, :v0)");
            assert_eq!(vs, values(&[(":v0", s(code))]));
        }
    }

    #[test]
    fn size() {
        for (cond, op) in [
            (TAGS.size().eq(1), "="),
            (TAGS.size().ne(1), "<>"),
            (TAGS.size().lt(1), "<"),
            (TAGS.size().le(1), "<="),
            (TAGS.size().gt(1), ">"),
            (TAGS.size().ge(1), ">="),
        ] {
            let (e, _, vs) = render(&cond);
            assert_eq!(e, format!("size(#n0) {op} :v0"));
            assert_eq!(vs, values(&[(":v0", n("1"))]));
        }
        assert_eq!(
            expr(&NAME.size().between(1, 3)),
            "size(#n0) BETWEEN :v0 AND :v1"
        );
        assert_eq!(expr(&PREFS.size().gt(0)), "size(#n0) > :v0");
        assert_eq!(expr(&DATA.size().gt(0)), "size(#n0) > :v0");
    }

    #[test]
    fn path_to_path() {
        const USED: Field<u64> = Field::new("used");
        const LIMIT: Field<u32> = Field::new("limit");
        for (cond, op) in [
            (USED.eq_path(LIMIT), "="),
            (USED.ne_path(LIMIT), "<>"),
            (USED.lt_path(LIMIT), "<"),
            (USED.le_path(LIMIT), "<="),
            (USED.gt_path(LIMIT), ">"),
            (USED.ge_path(LIMIT), ">="),
        ] {
            let (e, ns, vs) = render(&cond);
            assert_eq!(e, format!("#n0 {op} #n1"));
            assert_eq!(ns, names(&[("#n0", "used"), ("#n1", "limit")]));
            assert!(vs.is_empty());
        }
        let other: Path<String> = Path::<()>::root("address").key("city");
        assert_eq!(expr(&NAME.eq_path(&other)), "#n0 = #n1.#n2");
    }

    #[test]
    fn nested_paths() {
        let city: Path<String> = Path::<()>::root("address").key("city");
        let (e, ns, _) = render(&city.eq("Paris"));
        assert_eq!(e, "#n0.#n1 = :v0");
        assert_eq!(ns, names(&[("#n0", "address"), ("#n1", "city")]));

        let (e, ns, _) = render(&TAGS.index(0).eq("first"));
        assert_eq!(e, "#n0[0] = :v0");
        assert_eq!(ns, names(&[("#n0", "tags")]));

        #[derive(Clone, Copy)]
        struct FriendFields {
            name: Field<String>,
        }
        struct Friend;
        impl crate::HasFields for Friend {
            type Fields = FriendFields;
            const FIELDS: FriendFields = FriendFields {
                name: Field::new("name"),
            };
        }
        const FRIENDS: Field<Vec<Friend>> = Field::new("friends");
        let (e, ns, _) = render(&FRIENDS.index(2).at(|f| f.name).begins_with("A"));
        assert_eq!(e, "begins_with(#n0[2].#n1, :v0)");
        assert_eq!(ns, names(&[("#n0", "friends"), ("#n1", "name")]));

        let theme: Path<i64> = PREFS.key("theme");
        assert_eq!(expr(&theme.gt(1)), "#n0.#n1 > :v0");
    }

    #[test]
    fn hostile_names_only_reach_the_name_map() {
        let hostile = [
            "status",
            "name",
            "a.b",
            "#n0",
            ":v0",
            "with space",
            "da-sh",
            "x[0]",
            "(",
            "AND",
            "size",
            "é",
        ];
        let cond = Condition::all(hostile.iter().map(|h| {
            let p: Path<String> = Path::root(*h);
            p.eq(*h) | p.key::<String>(*h).begins_with("x")
        }));
        let (e, ns, vs) = render(&cond);
        assert_only_placeholders(&e);
        let mapped: Vec<&str> = ns.iter().map(|(_, n)| n.as_str()).collect();
        for h in hostile {
            assert!(mapped.contains(&h), "{h}");
        }
        assert_eq!(ns.len(), hostile.len(), "one placeholder per distinct name");
        assert_eq!(vs.len(), hostile.len() * 2);
    }

    #[test]
    fn repeated_names_share_a_placeholder() {
        let (e, ns, vs) = render(&(AGE.gt(1) & AGE.lt(9) & NAME.exists() & AGE.ne(5)));
        assert_eq!(
            e,
            "#n0 > :v0 AND #n0 < :v1 AND attribute_exists(#n1) AND #n0 <> :v2"
        );
        assert_eq!(ns, names(&[("#n0", "age"), ("#n1", "name")]));
        assert_eq!(vs.len(), 3);
    }

    #[test]
    fn combinators_and_parentheses() {
        let a = || AGE.eq(1);
        let b = || NAME.exists();
        let c = || SCORE.between(1, 2);
        assert_eq!(expr(&(a() & b())), "#n0 = :v0 AND attribute_exists(#n1)");
        assert_eq!(expr(&a().and(b())), expr(&(a() & b())));
        assert_eq!(expr(&(a() | b())), "#n0 = :v0 OR attribute_exists(#n1)");
        assert_eq!(expr(&a().or(b())), expr(&(a() | b())));
        assert_eq!(expr(&!a()), "NOT (#n0 = :v0)");
        assert_eq!(expr(&a().not()), "NOT (#n0 = :v0)");
        assert_eq!(expr(&!b()), "NOT attribute_exists(#n0)");
        assert_eq!(expr(&!!a()), "#n0 = :v0");
        assert_eq!(expr(&!c()), "NOT (#n0 BETWEEN :v0 AND :v1)");
        assert_eq!(expr(&!AGE.is_in([1])), "NOT (#n0 IN (:v0))");
        // AND binds tighter than OR: OR under AND needs parentheses.
        assert_eq!(
            expr(&((a() | b()) & c())),
            "(#n0 = :v0 OR attribute_exists(#n1)) AND #n2 BETWEEN :v1 AND :v2"
        );
        assert_eq!(
            expr(&(a() | (b() & c()))),
            "#n0 = :v0 OR (attribute_exists(#n1) AND #n2 BETWEEN :v1 AND :v2)"
        );
        assert_eq!(
            expr(&!(a() & b())),
            "NOT (#n0 = :v0 AND attribute_exists(#n1))"
        );
        assert_eq!(
            expr(&(!(a() | b()) & c())),
            "NOT (#n0 = :v0 OR attribute_exists(#n1)) AND #n2 BETWEEN :v1 AND :v2"
        );
        // Chains flatten.
        assert_eq!(
            expr(&(a() & b() & c())),
            "#n0 = :v0 AND attribute_exists(#n1) AND #n2 BETWEEN :v1 AND :v2"
        );
        assert_eq!(
            expr(&(a() | (b() | c()))),
            "#n0 = :v0 OR attribute_exists(#n1) OR #n2 BETWEEN :v1 AND :v2"
        );
        assert_eq!(
            expr(&((a() & b()) | (c() & a()))),
            "(#n0 = :v0 AND attribute_exists(#n1)) OR (#n2 BETWEEN :v1 AND :v2 AND #n0 = :v3)"
        );
    }

    #[test]
    fn all_and_any() {
        assert_eq!(expr(&Condition::all([AGE.eq(1)])), "#n0 = :v0");
        assert_eq!(expr(&Condition::any([AGE.eq(1)])), "#n0 = :v0");
        assert_eq!(
            expr(&Condition::any([AGE.eq(1), AGE.eq(2)])),
            "#n0 = :v0 OR #n0 = :v1"
        );
        assert_eq!(
            expr(&Condition::all([
                Condition::any([AGE.eq(1), AGE.eq(2)]),
                NAME.exists()
            ])),
            "(#n0 = :v0 OR #n0 = :v1) AND attribute_exists(#n1)"
        );
        // Empty ones are neutral in their own combinator, refused alone.
        assert_eq!(expr(&(Condition::all([]) & AGE.eq(1))), "#n0 = :v0");
        assert_eq!(expr(&(Condition::any([]) | AGE.eq(1))), "#n0 = :v0");
        let mut attrs = ExpressionAttributes::new();
        for cond in [
            Condition::all([]),
            Condition::any([]),
            !Condition::all([]),
            Condition::all([]) | AGE.eq(1),
        ] {
            assert!(matches!(cond.render(&mut attrs), Err(Error::Validation(_))));
        }
        assert!(attrs.is_empty());
    }

    #[test]
    fn encode_errors_surface_at_render() {
        let mut attrs = ExpressionAttributes::new();
        let cond = NAME.exists() & SCORE.gt(f64::NAN);
        match cond.render(&mut attrs) {
            Err(Error::Encode(e)) => {
                assert_eq!(e.path().to_string(), "score");
                assert_eq!(e.kind(), &crate::EncodeErrorKind::NonFiniteNumber);
            }
            other => panic!("{other:?}"),
        }
        assert!(attrs.is_empty(), "nothing registered");

        let nested: Path<f64> = Path::<()>::root("stats").key("avg");
        let err = nested
            .is_in([1.0, f64::INFINITY])
            .render(&mut attrs)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "attribute `stats.avg`: NaN and infinities cannot be stored"
        );
        assert!(matches!(
            SCORE.between(0.0, f64::NEG_INFINITY).render(&mut attrs),
            Err(Error::Encode(_))
        ));
        assert!(matches!(
            Condition::any([AGE.eq(1), !SCORE.eq(f64::NAN)]).render(&mut attrs),
            Err(Error::Encode(_))
        ));
    }

    #[test]
    fn invalid_paths_are_refused() {
        let mut attrs = ExpressionAttributes::new();
        let empty: Path<String> = Path::from_elements(Vec::new());
        let index_first: Path<String> = Path::from_elements(vec![PathElement::Index(0)]);
        let empty_name: Path<String> = Path::root("");
        for cond in [
            empty.eq("x"),
            index_first.exists(),
            empty_name.begins_with("x"),
        ] {
            assert!(matches!(cond.render(&mut attrs), Err(Error::Validation(_))));
        }
        assert!(attrs.is_empty());
    }

    #[test]
    fn user_types_compare_with_themselves() {
        #[derive(Clone)]
        struct Address {
            city: String,
        }
        impl IntoAttribute for Address {
            fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
                Ok(AttributeValue::M(HashMap::from([(
                    "city".to_owned(),
                    self.city.to_attribute()?,
                )])))
            }
        }
        // What the derives generate.
        impl AttrKind for Address {
            type Kind = ExactKind<Address>;
            type ListOf = ListKind<ExactKind<Address>>;
        }
        const ADDRESS: Field<Address> = Field::new("address");
        const OLD: Field<Vec<Address>> = Field::new("old_addresses");
        let paris = Address {
            city: "Paris".into(),
        };
        assert_eq!(expr(&ADDRESS.eq(&paris)), "#n0 = :v0");
        assert_eq!(expr(&ADDRESS.is_in([paris.clone()])), "#n0 IN (:v0)");
        assert_eq!(expr(&OLD.contains(paris.clone())), "contains(#n0, :v0)");
        assert_eq!(expr(&ADDRESS.size().gt(0)), "size(#n0) > :v0");
        assert_eq!(expr(&ADDRESS.eq(Some(paris))), "#n0 = :v0");
    }

    #[test]
    fn raw_values() {
        let raw: Path<AttributeValue> = Path::root("payload");
        assert_eq!(expr(&raw.eq(n("1"))), "#n0 = :v0");
        assert_eq!(expr(&raw.begins_with(s("x"))), "begins_with(#n0, :v0)");
        assert_eq!(expr(&raw.contains(s("x"))), "contains(#n0, :v0)");
        assert_eq!(expr(&raw.size().gt(1)), "size(#n0) > :v0");
    }
}
