//! Key templates of single-table entities: `"USER#{username}"` rendered from
//! an item's attributes and parsed back into them.
//!
//! # The separator rule
//!
//! In a rendered key, every value is written with `\` and the first character
//! of each literal part that follows a field escaped by a preceding `\`: that
//! character is where a value ends, so inside a value it is always escaped.
//! Under `"{a}#b_{b}"`, `{a: "x#b_y", b: "z"}` renders `x\#b_y#b_z` and
//! `{a: "x", b: "y#b_z"}` renders `x#b_y\#b_z`: two records never share a
//! key, and every key parses back into the values it was rendered from. Under
//! `"USER#{username}"` nothing but `\` is escaped (no literal follows the
//! field), so keys stay readable.
//! Case is kept as written (`Carol` and `carol` are two keys). Strings are
//! written as they are, numbers as their DynamoDB text (`42`, `-7`), without
//! padding: a range condition on a numeric part compares text.

use crate::AttributeValue;
use crate::Item;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::value::{KeyScalar, ScalarType};

/// One part of a [`KeyTemplate`]: text kept as written, or a field's value.
///
/// ```
/// use dynamo_orm::schema::{KeyTemplate, TemplatePart};
/// use dynamo_orm::ScalarType;
/// const USER: KeyTemplate = KeyTemplate {
///     text: "USER#{username}",
///     parts: &[
///         TemplatePart::Literal("USER#"),
///         TemplatePart::Field { attribute: "username", scalar: ScalarType::S },
///     ],
/// };
/// assert_eq!(USER.inputs().collect::<Vec<_>>(), ["username"]);
/// assert!(!USER.is_constant());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplatePart {
    /// Constant text (`USER#`).
    Literal(&'static str),
    /// A field's value, by the attribute name it is stored under.
    Field {
        /// The field's attribute name.
        attribute: &'static str,
        /// Its DynamoDB type (`S` or `N`).
        scalar: ScalarType,
    },
}

/// A key template as `#[dynamo(key(hash = "USER#{username}"))]` declares it:
/// literal parts and fields, checked at compile time (every field exists and
/// is a [`TemplateScalar`], no two fields are adjacent).
///
/// ```
/// use dynamo_orm::schema::{KeyTemplate, TemplatePart};
/// use dynamo_orm::{AttributeValue, Item, ScalarType};
///
/// const LINE: KeyTemplate = KeyTemplate {
///     text: "ORDER#{order_id}#LINE#{line}",
///     parts: &[
///         TemplatePart::Literal("ORDER#"),
///         TemplatePart::Field { attribute: "order_id", scalar: ScalarType::S },
///         TemplatePart::Literal("#LINE#"),
///         TemplatePart::Field { attribute: "line", scalar: ScalarType::N },
///     ],
/// };
/// let item: Item = [
///     ("order_id".to_string(), AttributeValue::S("o#1".into())),
///     ("line".to_string(), AttributeValue::N("2".into())),
/// ]
/// .into();
/// let key = LINE.render(|name| item.get(name))?.unwrap();
/// // `#` starts the literal after `{order_id}`: escaped inside the value.
/// assert_eq!(key, AttributeValue::S(r"ORDER#o\#1#LINE#2".into()));
///
/// let mut fields = Item::new();
/// LINE.parse(&key, &mut fields)?;
/// assert_eq!(fields, item);
/// assert_eq!(LINE.prefix(), "ORDER#");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyTemplate {
    /// The template as written, for messages.
    pub text: &'static str,
    /// Its parts, in order.
    pub parts: &'static [TemplatePart],
}

impl KeyTemplate {
    /// The type of the rendered key: the field's own type for a template that
    /// is one field and nothing else, `S` otherwise.
    pub const fn output_type(&self) -> ScalarType {
        match self.parts {
            [TemplatePart::Field { scalar, .. }] => *scalar,
            _ => ScalarType::S,
        }
    }

    /// Whether the template has no field (every item renders the same key).
    pub const fn is_constant(&self) -> bool {
        let mut i = 0;
        while i < self.parts.len() {
            if let TemplatePart::Field { .. } = self.parts[i] {
                return false;
            }
            i += 1;
        }
        true
    }

    /// The literal text before the first field (`"ORDER#"` of
    /// `"ORDER#{order_id}"`), empty when the template starts with a field.
    pub const fn prefix(&self) -> &'static str {
        match self.parts {
            [TemplatePart::Literal(text), ..] => text,
            _ => "",
        }
    }

    /// The attribute names of its fields, in order.
    pub fn inputs(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.parts.iter().filter_map(|part| match part {
            TemplatePart::Field { attribute, .. } => Some(*attribute),
            TemplatePart::Literal(_) => None,
        })
    }

    /// Whether `c` must be escaped in a value: `\\`, or the first character
    /// of a literal part that follows a field (see the module docs).
    fn is_special(&self, c: char) -> bool {
        c == '\\'
            || self.parts.windows(2).any(|pair| match pair {
                [TemplatePart::Field { .. }, TemplatePart::Literal(text)] => text.starts_with(c),
                _ => false,
            })
    }

    /// The key rendered from the fields' attribute values (`lookup` gives the
    /// value stored under an attribute name); `None` when a field is absent
    /// (missing or `NULL`), which leaves a sparse index key out.
    ///
    /// # Errors
    /// A field value that is neither a string nor a number.
    pub fn render<'v>(
        &self,
        lookup: impl Fn(&str) -> Option<&'v AttributeValue>,
    ) -> Result<Option<AttributeValue>, EncodeError> {
        let value = |attribute: &str| match lookup(attribute) {
            None | Some(AttributeValue::Null(_)) => None,
            Some(value) => Some(value),
        };
        if let [TemplatePart::Field { attribute, .. }] = self.parts {
            return match value(attribute) {
                None => Ok(None),
                Some(v @ (AttributeValue::S(_) | AttributeValue::N(_))) => Ok(Some(v.clone())),
                Some(other) => Err(not_a_template_value(self, attribute, other)),
            };
        }
        let mut out = String::with_capacity(32);
        for part in self.parts {
            match part {
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Field { attribute, .. } => {
                    let text = match value(attribute) {
                        None => return Ok(None),
                        Some(AttributeValue::S(s)) => s.as_str(),
                        Some(AttributeValue::N(n)) => n.as_str(),
                        Some(other) => return Err(not_a_template_value(self, attribute, other)),
                    };
                    for c in text.chars() {
                        if self.is_special(c) {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                }
            }
        }
        Ok(Some(AttributeValue::S(out)))
    }

    /// Reads a rendered key back into its fields' attribute values, added to
    /// `out` under their attribute names.
    ///
    /// # Errors
    /// A key this template cannot have rendered (another prefix, a dangling
    /// escape, a number part that is not a number).
    pub fn parse(&self, key: &AttributeValue, out: &mut Item) -> Result<(), DecodeError> {
        if let [TemplatePart::Field { attribute, scalar }] = self.parts {
            let matches = matches!(
                (scalar, key),
                (ScalarType::S, AttributeValue::S(_)) | (ScalarType::N, AttributeValue::N(_))
            );
            if !matches {
                return Err(DecodeError::type_mismatch(scalar.as_str(), key));
            }
            out.insert((*attribute).to_owned(), key.clone());
            return Ok(());
        }
        let AttributeValue::S(text) = key else {
            return Err(DecodeError::type_mismatch("S", key));
        };
        let mismatch = || {
            DecodeError::invalid(
                "a key rendered from its template",
                format!("{text:?} does not match the template {:?}", self.text),
            )
        };
        let mut rest = text.as_str();
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                TemplatePart::Literal(literal) => {
                    rest = rest.strip_prefix(literal).ok_or_else(mismatch)?;
                }
                TemplatePart::Field { attribute, scalar } => {
                    // The value ends where the next literal starts: its
                    // characters are escaped inside values.
                    let stop = match self.parts.get(i + 1) {
                        Some(TemplatePart::Literal(next)) => next.chars().next(),
                        _ => None,
                    };
                    let mut value = String::with_capacity(rest.len());
                    let mut chars = rest.char_indices();
                    let mut end = rest.len();
                    while let Some((at, c)) = chars.next() {
                        if c == '\\' {
                            let (_, escaped) = chars.next().ok_or_else(mismatch)?;
                            value.push(escaped);
                        } else if Some(c) == stop {
                            end = at;
                            break;
                        } else if self.is_special(c) {
                            // An unescaped literal character that does not
                            // start the next literal: not a rendered key.
                            return Err(mismatch());
                        } else {
                            value.push(c);
                        }
                    }
                    rest = &rest[end..];
                    let value = match scalar {
                        ScalarType::N => {
                            if crate::value::number::parse(&value).is_none() {
                                return Err(DecodeError::new(DecodeErrorKind::InvalidNumber {
                                    value,
                                    target: "a number part of a key",
                                })
                                .in_field(attribute));
                            }
                            AttributeValue::N(value)
                        }
                        ScalarType::S | ScalarType::B => AttributeValue::S(value),
                    };
                    out.insert((*attribute).to_owned(), value);
                }
            }
        }
        if rest.is_empty() {
            Ok(())
        } else {
            Err(mismatch())
        }
    }
}

#[cold]
fn not_a_template_value(
    template: &KeyTemplate,
    attribute: &str,
    value: &AttributeValue,
) -> EncodeError {
    EncodeError::invalid(format!(
        "the key template {:?} takes strings and numbers; `{attribute}` holds {}",
        template.text,
        crate::value::type_name(value)
    ))
    .in_field(attribute)
}

/// A type whose values can be part of a key template (`"USER#{username}"`):
/// strings and integers, unit enums deriving `DynamoAttribute`, UUIDs, dates
/// and times, `SystemTime`. Floats are not (NaN, and `1e3` / `1000` would be
/// two keys for one number), nor binary values, nor `Decimal` (`1.5` / `1.50`);
/// store integer cents or a string instead.
///
/// ```
/// use dynamo_orm::schema::TemplateScalar;
/// fn scalar<T: TemplateScalar>() {}
/// scalar::<String>();
/// scalar::<u64>();
/// ```
///
/// ```compile_fail,E0277
/// # use dynamo_orm::schema::TemplateScalar;
/// # fn scalar<T: TemplateScalar>() {}
/// scalar::<f64>(); // floats cannot be part of a key template
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be part of a key template",
    label = "key template fields must be strings or integers",
    note = "a key template renders strings (String, unit enums, Uuid, dates) and integers; floats, Decimal, binary values, bool, lists, maps and sets cannot be part of one: store the value as a string or an integer, or leave the field out of the template"
)]
pub trait TemplateScalar: KeyScalar + Send + Sync {}

/// The type of a field used in a key template: a [`TemplateScalar`], or an
/// `Option` of one in a secondary index template (a sparse index: `None`
/// leaves the item out of the index).
///
/// ```
/// use dynamo_orm::schema::TemplateField;
/// fn field<T: TemplateField>() {}
/// field::<String>();
/// field::<Option<i64>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be part of a key template",
    label = "key template fields must be strings or integers, or an `Option` of one in an index template",
    note = "a key template renders strings (String, unit enums, Uuid, dates) and integers; floats, Decimal, binary values, bool, lists, maps and sets cannot be part of one"
)]
pub trait TemplateField {
    /// The scalar type: `Self`, or `K` for `Option<K>`.
    type Scalar: TemplateScalar;
}

impl<K: TemplateScalar> TemplateField for K {
    type Scalar = K;
}

impl<K: TemplateScalar> TemplateField for Option<K> {
    type Scalar = K;
}

macro_rules! template_scalar {
    ($($t:ty),* $(,)?) => {$(
        impl TemplateScalar for $t {}
    )*};
}
template_scalar!(
    String,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    std::time::SystemTime,
);

#[cfg(feature = "uuid")]
impl TemplateScalar for uuid::Uuid {}
#[cfg(feature = "chrono")]
template_scalar!(
    chrono::DateTime<chrono::Utc>,
    chrono::DateTime<chrono::FixedOffset>,
    chrono::NaiveDateTime,
    chrono::NaiveDate,
);
#[cfg(feature = "time")]
template_scalar!(time::OffsetDateTime, time::Date);

#[cfg(test)]
mod tests {
    use super::*;

    const AB: KeyTemplate = KeyTemplate {
        text: "{a}#b_{b}",
        parts: &[
            TemplatePart::Field {
                attribute: "a",
                scalar: ScalarType::S,
            },
            TemplatePart::Literal("#b_"),
            TemplatePart::Field {
                attribute: "b",
                scalar: ScalarType::S,
            },
        ],
    };

    const NUM: KeyTemplate = KeyTemplate {
        text: "N-{n}-{s}",
        parts: &[
            TemplatePart::Literal("N-"),
            TemplatePart::Field {
                attribute: "n",
                scalar: ScalarType::N,
            },
            TemplatePart::Literal("-"),
            TemplatePart::Field {
                attribute: "s",
                scalar: ScalarType::S,
            },
        ],
    };

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_owned())
    }

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn round_trip(template: &KeyTemplate, fields: &Item) -> AttributeValue {
        let key = template.render(|n| fields.get(n)).unwrap().unwrap();
        let mut back = Item::new();
        template.parse(&key, &mut back).unwrap();
        assert_eq!(&back, fields, "{key:?}");
        key
    }

    #[test]
    fn separators_in_values_never_merge_two_records() {
        let one = item(&[("a", s("x#b_y")), ("b", s("z"))]);
        let two = item(&[("a", s("x")), ("b", s("y#b_z"))]);
        let k1 = round_trip(&AB, &one);
        let k2 = round_trip(&AB, &two);
        assert_ne!(k1, k2);
        assert_eq!(k1, s(r"x\#b_y#b_z"));
        assert_eq!(k2, s(r"x#b_y\#b_z"));
        // Backslashes themselves are escaped.
        round_trip(&AB, &item(&[("a", s(r"\")), ("b", s(r"\#"))]));
        round_trip(&AB, &item(&[("a", s("")), ("b", s(""))]));
    }

    #[test]
    fn numbers_and_case() {
        let key = round_trip(
            &NUM,
            &item(&[("n", AttributeValue::N("-5".into())), ("s", s("Carol"))]),
        );
        assert_eq!(key, s(r"N-\-5-Carol"));
        // Literal text before the first field is never escaped in values.
        let plain = round_trip(
            &NUM,
            &item(&[("n", AttributeValue::N("1".into())), ("s", s("N-x"))]),
        );
        assert_eq!(plain, s(r"N-1-N\-x"));
        let lower = round_trip(
            &NUM,
            &item(&[("n", AttributeValue::N("5".into())), ("s", s("carol"))]),
        );
        assert_ne!(key, lower);
        let mut out = Item::new();
        assert!(NUM.parse(&s("N-x-a"), &mut out).is_err());
    }

    #[test]
    fn absent_fields_render_nothing() {
        let fields = item(&[("a", s("x")), ("b", AttributeValue::Null(true))]);
        assert_eq!(AB.render(|n| fields.get(n)).unwrap(), None);
        assert_eq!(AB.render(|_| None).unwrap(), None);
        let bad = item(&[("a", AttributeValue::Bool(true)), ("b", s("x"))]);
        assert!(AB.render(|n| bad.get(n)).is_err());
    }

    #[test]
    fn foreign_keys_do_not_parse() {
        let mut out = Item::new();
        for key in ["x", "x#b_", r"x\", "x#b_y#b_z", r"x#b_y\"] {
            let result = AB.parse(&s(key), &mut out);
            if key == "x#b_" {
                assert!(result.is_ok());
                continue;
            }
            assert!(result.is_err(), "{key}");
        }
        assert!(AB.parse(&AttributeValue::N("1".into()), &mut out).is_err());
    }

    #[test]
    fn shapes() {
        assert_eq!(AB.prefix(), "");
        assert_eq!(NUM.prefix(), "N-");
        assert_eq!(AB.output_type(), ScalarType::S);
        assert!(!AB.is_constant());
        assert_eq!(AB.inputs().collect::<Vec<_>>(), ["a", "b"]);
        const LONE: KeyTemplate = KeyTemplate {
            text: "{n}",
            parts: &[TemplatePart::Field {
                attribute: "n",
                scalar: ScalarType::N,
            }],
        };
        assert_eq!(LONE.output_type(), ScalarType::N);
        let fields = item(&[("n", AttributeValue::N("7".into()))]);
        assert_eq!(round_trip(&LONE, &fields), AttributeValue::N("7".into()));
    }
}
