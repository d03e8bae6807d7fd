//! Key condition expressions for `Query`: the partition key's value and an
//! optional [`SortKeyCondition`].

use super::placeholders::ExpressionAttributes;
use crate::AttributeValue;

/// What a query asks of the sort key. The values are already encoded; the
/// query builder types them from the index's sort key type.
///
/// ```
/// use dynamo_orm::expr::SortKeyCondition;
/// use dynamo_orm::AttributeValue;
/// let c = SortKeyCondition::BeginsWith(AttributeValue::S("2024-".into()));
/// assert_eq!(c.operator(), "begins_with");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum SortKeyCondition {
    /// `sort = v`.
    Eq(AttributeValue),
    /// `sort < v`.
    Lt(AttributeValue),
    /// `sort <= v`.
    Le(AttributeValue),
    /// `sort > v`.
    Gt(AttributeValue),
    /// `sort >= v`.
    Ge(AttributeValue),
    /// `sort BETWEEN low AND high` (inclusive).
    Between(AttributeValue, AttributeValue),
    /// `begins_with(sort, prefix)` (string and binary sort keys).
    BeginsWith(AttributeValue),
}

impl SortKeyCondition {
    /// The operator as DynamoDB writes it (`"="`, `"<"`, `"BETWEEN"`, `"begins_with"`, ...),
    /// for logs and messages.
    ///
    /// ```
    /// use dynamo_orm::{expr::SortKeyCondition, AttributeValue};
    /// assert_eq!(SortKeyCondition::Le(AttributeValue::N("1".into())).operator(), "<=");
    /// ```
    pub fn operator(&self) -> &'static str {
        match self {
            SortKeyCondition::Eq(_) => "=",
            SortKeyCondition::Lt(_) => "<",
            SortKeyCondition::Le(_) => "<=",
            SortKeyCondition::Gt(_) => ">",
            SortKeyCondition::Ge(_) => ">=",
            SortKeyCondition::Between(..) => "BETWEEN",
            SortKeyCondition::BeginsWith(_) => "begins_with",
        }
    }
}

/// The `KeyConditionExpression` of a query: `#n0 = :v0`, plus
/// `AND <sort key condition>` when there is one. Names and values go through
/// `attrs` like every other expression of the request.
///
/// ```
/// use dynamo_orm::expr::{render_key_condition, ExpressionAttributes, SortKeyCondition};
/// use dynamo_orm::AttributeValue;
///
/// let mut attrs = ExpressionAttributes::new();
/// let range = SortKeyCondition::Between(
///     AttributeValue::N("1366056668".into()),
///     AttributeValue::N("1366056680".into()),
/// );
/// let expr = render_key_condition(
///     "username",
///     AttributeValue::S("johndoe".into()),
///     Some(("date_joined", &range)),
///     &mut attrs,
/// );
/// assert_eq!(expr, "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
/// ```
pub fn render_key_condition(
    hash_name: &str,
    hash: AttributeValue,
    range: Option<(&str, &SortKeyCondition)>,
    attrs: &mut ExpressionAttributes,
) -> String {
    let hash_name = attrs.name(hash_name);
    let hash = attrs.value(hash);
    let mut out = format!("{hash_name} = {hash}");
    if let Some((range_name, condition)) = range {
        let name = attrs.name(range_name);
        out.push_str(" AND ");
        match condition {
            SortKeyCondition::Eq(v)
            | SortKeyCondition::Lt(v)
            | SortKeyCondition::Le(v)
            | SortKeyCondition::Gt(v)
            | SortKeyCondition::Ge(v) => {
                let v = attrs.value(v.clone());
                out.push_str(&format!("{name} {} {v}", condition.operator()));
            }
            SortKeyCondition::Between(low, high) => {
                let low = attrs.value(low.clone());
                let high = attrs.value(high.clone());
                out.push_str(&format!("{name} BETWEEN {low} AND {high}"));
            }
            SortKeyCondition::BeginsWith(prefix) => {
                let prefix = attrs.value(prefix.clone());
                out.push_str(&format!("begins_with({name}, {prefix})"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::placeholders::assert_only_placeholders;

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_owned())
    }

    #[test]
    fn hash_only() {
        let mut attrs = ExpressionAttributes::new();
        let e = render_key_condition("user", s("john"), None, &mut attrs);
        assert_eq!(e, "#n0 = :v0");
        let (names, values) = attrs.into_parts();
        assert_eq!(names.unwrap()["#n0"], "user");
        assert_eq!(values.unwrap()[":v0"], s("john"));
    }

    #[test]
    fn every_sort_key_condition() {
        let cases = [
            (SortKeyCondition::Eq(s("a")), "#n0 = :v0 AND #n1 = :v1"),
            (SortKeyCondition::Lt(s("a")), "#n0 = :v0 AND #n1 < :v1"),
            (SortKeyCondition::Le(s("a")), "#n0 = :v0 AND #n1 <= :v1"),
            (SortKeyCondition::Gt(s("a")), "#n0 = :v0 AND #n1 > :v1"),
            (SortKeyCondition::Ge(s("a")), "#n0 = :v0 AND #n1 >= :v1"),
            (
                SortKeyCondition::Between(s("a"), s("b")),
                "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2",
            ),
            (
                SortKeyCondition::BeginsWith(s("a")),
                "#n0 = :v0 AND begins_with(#n1, :v1)",
            ),
        ];
        for (cond, expected) in cases {
            let mut attrs = ExpressionAttributes::new();
            // Reserved words and punctuation in key names are fine.
            let e =
                render_key_condition("status", s("h"), Some(("date.joined", &cond)), &mut attrs);
            assert_eq!(e, expected);
            assert_only_placeholders(&e);
            assert_eq!(attrs.name_of("#n0"), Some("status"));
            assert_eq!(attrs.name_of("#n1"), Some("date.joined"));
            assert_eq!(attrs.value_of(":v0"), Some(&s("h")));
            assert_eq!(attrs.value_of(":v1"), Some(&s("a")));
        }
    }

    #[test]
    fn shares_placeholders_with_the_rest_of_the_request() {
        let mut attrs = ExpressionAttributes::new();
        attrs.name("date");
        attrs.value(s("x"));
        let cond = SortKeyCondition::Ge(AttributeValue::N("1".into()));
        let e = render_key_condition("user", s("u"), Some(("date", &cond)), &mut attrs);
        assert_eq!(e, "#n1 = :v1 AND #n0 >= :v2");
    }
}
