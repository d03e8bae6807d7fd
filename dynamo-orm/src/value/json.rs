//! `serde_json::Value` and `serde_json::Map`, stored as native attribute values:
//! a JSON object is an `M`, an array an `L`, a number an `N`, so the stored
//! item can be queried and updated attribute by attribute (unlike a JSON text
//! in an `S`).
//!
//! | JSON     | written as | read from            |
//! |----------|------------|----------------------|
//! | `null`   | `NULL`     | `NULL`               |
//! | bool     | `BOOL`     | `BOOL`               |
//! | number   | `N`        | `N`                  |
//! | string   | `S`        | `S`                  |
//! | array    | `L`        | `L`, `SS`, `NS`      |
//! | object   | `M`        | `M`                  |
//!
//! Numbers are written as the exact text of the JSON number (refused when
//! DynamoDB cannot store it: more than 38 significant digits, or a magnitude
//! outside 1e-130..1e126). A stored number is read back exactly as an `i64`,
//! `u64` or `f64`: when none of them holds it (the `f64` must print back as the
//! same number) it is an error, never a silent rounding. Binary values (`B`,
//! `BS`) have no JSON form and are an error. An `f64` with no fraction (`3.0`)
//! reads back as the integer `3`, as DynamoDB itself stores it.

use serde_json::{Map, Number, Value};

use super::{FromAttribute, IntoAttribute};
use crate::AttributeValue;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind};

// ---------------------------------------------------------------- number text

/// The value of a decimal number text: `±0.DIGITS × 10^exponent`, with
/// `digits` free of leading and trailing zeros (empty for zero, which is never
/// negative). Two texts of the same number have the same `DecimalText`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecimalText {
    pub(crate) negative: bool,
    pub(crate) digits: String,
    pub(crate) exponent: i64,
}

impl DecimalText {
    /// Whether the number has no fraction.
    fn is_integer(&self) -> bool {
        usize::try_from(self.exponent).is_ok_and(|e| e >= self.digits.len())
    }
}

/// Parses `[+-]digits[.digits][(e|E)[+-]digits]` (either digit run of the
/// mantissa may be empty, not both). `None` for anything else, including
/// `NaN`, `Infinity` and exponents that do not fit an `i64`.
pub(crate) fn parse_decimal(text: &str) -> Option<DecimalText> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (m, e.parse::<i64>().ok()?)
        }
        None => (rest, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty()
        || !int_part
            .bytes()
            .chain(frac_part.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let all = format!("{int_part}{frac_part}");
    let significant = all.trim_start_matches('0');
    let leading_zeros = all.len() - significant.len();
    let digits = significant.trim_end_matches('0');
    if digits.is_empty() {
        return Some(DecimalText {
            negative: false,
            digits: String::new(),
            exponent: 0,
        });
    }
    let exponent = i64::try_from(int_part.len())
        .ok()?
        .checked_sub(i64::try_from(leading_zeros).ok()?)?
        .checked_add(exponent)?;
    Some(DecimalText {
        negative,
        digits: digits.to_owned(),
        exponent,
    })
}

/// Why DynamoDB would refuse this number text, if it would.
pub(crate) fn dynamodb_number_problem(text: &str) -> Option<&'static str> {
    let Some(d) = parse_decimal(text) else {
        return Some("not a decimal number");
    };
    if d.digits.len() > 38 {
        return Some("more than 38 significant digits");
    }
    // 0.DIGITS × 10^e lies in [1e-130, 1e126) exactly when -129 <= e <= 126.
    if !d.digits.is_empty() && !(-129..=126).contains(&d.exponent) {
        return Some("magnitude outside 1e-130..1e126");
    }
    None
}

fn invalid_number(text: &str) -> DecodeError {
    DecodeError::new(DecodeErrorKind::InvalidNumber {
        value: text.to_owned(),
        target: "a JSON number (i64, u64 or f64)",
    })
}

/// The JSON number of a stored number text, exactly.
pub(crate) fn json_number(text: &str) -> Result<Number, DecodeError> {
    let decimal = parse_decimal(text.trim()).ok_or_else(|| invalid_number(text))?;
    if decimal.is_integer() && decimal.exponent <= 20 {
        let zeros = usize::try_from(decimal.exponent).unwrap_or(0) - decimal.digits.len();
        let magnitude = format!("{}{}", decimal.digits, "0".repeat(zeros));
        let magnitude = if magnitude.is_empty() {
            "0"
        } else {
            &magnitude
        };
        if decimal.negative {
            if let Ok(n) = format!("-{magnitude}").parse::<i64>() {
                return Ok(n.into());
            }
        } else if let Ok(n) = magnitude.parse::<u64>() {
            return Ok(n.into());
        }
    }
    // Not an integer that fits: an f64, if it prints back as the same number.
    let float = text.trim().parse::<f64>().ok().filter(|f| f.is_finite());
    float
        .filter(|f| parse_decimal(ryu::Buffer::new().format_finite(*f)).as_ref() == Some(&decimal))
        .and_then(Number::from_f64)
        .ok_or_else(|| invalid_number(text))
}

fn number_attribute(n: &Number) -> Result<AttributeValue, EncodeError> {
    let text = n.to_string();
    match dynamodb_number_problem(&text) {
        None => Ok(AttributeValue::N(text)),
        Some(_) => Err(EncodeError::new(EncodeErrorKind::NumberOutOfRange(text))),
    }
}

// ---------------------------------------------------------------- conversions

/// The attribute value of an owned JSON value, moving strings out of it
/// (for `json::item_from_json`).
pub(crate) fn attribute_from_json(value: Value) -> Result<AttributeValue, EncodeError> {
    Ok(match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(b),
        Value::Number(n) => number_attribute(&n)?,
        Value::String(s) => AttributeValue::S(s),
        Value::Array(list) => {
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.into_iter().enumerate() {
                out.push(attribute_from_json(v).map_err(|e| e.at_index(i))?);
            }
            AttributeValue::L(out)
        }
        Value::Object(map) => AttributeValue::M(item_from_json_object(map)?),
    })
}

/// The attribute map of an owned JSON object.
pub(crate) fn item_from_json_object(map: Map<String, Value>) -> Result<crate::Item, EncodeError> {
    let mut out = crate::Item::with_capacity(map.len());
    for (k, v) in map {
        let v = attribute_from_json(v).map_err(|e| e.in_field(&k))?;
        out.insert(k, v);
    }
    Ok(out)
}

fn object_attribute(map: &Map<String, Value>) -> Result<AttributeValue, EncodeError> {
    let mut out = std::collections::HashMap::with_capacity(map.len());
    for (k, v) in map {
        out.insert(k.clone(), v.to_attribute().map_err(|e| e.in_field(k))?);
    }
    Ok(AttributeValue::M(out))
}

fn binary_error() -> DecodeError {
    DecodeError::invalid(
        "a JSON value",
        "binary attributes (B, BS) have no JSON form",
    )
}

/// The JSON value of an owned attribute, moving strings out of it.
fn json_from_attribute(value: AttributeValue) -> Result<Value, DecodeError> {
    Ok(match value {
        AttributeValue::S(s) => Value::String(s),
        AttributeValue::N(n) => Value::Number(json_number(&n)?),
        AttributeValue::Bool(b) => Value::Bool(b),
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::L(list) => {
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.into_iter().enumerate() {
                out.push(json_from_attribute(v).map_err(|e| e.at_index(i))?);
            }
            Value::Array(out)
        }
        AttributeValue::M(map) => Value::Object(json_object(map)?),
        AttributeValue::Ss(list) => Value::Array(list.into_iter().map(Value::String).collect()),
        AttributeValue::Ns(list) => Value::Array(json_numbers(&list)?),
        AttributeValue::B(_) | AttributeValue::Bs(_) => return Err(binary_error()),
        other => return Err(DecodeError::type_mismatch("a JSON-compatible type", &other)),
    })
}

fn json_object(map: crate::Item) -> Result<Map<String, Value>, DecodeError> {
    let mut out = Map::new();
    for (k, v) in map {
        let v = json_from_attribute(v).map_err(|e| e.in_field(&k))?;
        out.insert(k, v);
    }
    Ok(out)
}

fn json_numbers(list: &[String]) -> Result<Vec<Value>, DecodeError> {
    list.iter()
        .enumerate()
        .map(|(i, n)| json_number(n).map(Value::Number).map_err(|e| e.at_index(i)))
        .collect()
}

/// The JSON value of a borrowed attribute (for `json::item_to_json`).
pub(crate) fn json_from_attribute_ref(value: &AttributeValue) -> Result<Value, DecodeError> {
    Ok(match value {
        AttributeValue::S(s) => Value::String(s.clone()),
        AttributeValue::N(n) => Value::Number(json_number(n)?),
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::L(list) => {
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                out.push(json_from_attribute_ref(v).map_err(|e| e.at_index(i))?);
            }
            Value::Array(out)
        }
        AttributeValue::M(map) => Value::Object(json_object_ref(map)?),
        AttributeValue::Ss(list) => Value::Array(list.iter().cloned().map(Value::String).collect()),
        AttributeValue::Ns(list) => Value::Array(json_numbers(list)?),
        AttributeValue::B(_) | AttributeValue::Bs(_) => return Err(binary_error()),
        other => return Err(DecodeError::type_mismatch("a JSON-compatible type", other)),
    })
}

/// The JSON object of a borrowed attribute map.
pub(crate) fn json_object_ref(map: &crate::Item) -> Result<Map<String, Value>, DecodeError> {
    let mut out = Map::new();
    for (k, v) in map {
        out.insert(
            k.clone(),
            json_from_attribute_ref(v).map_err(|e| e.in_field(k))?,
        );
    }
    Ok(out)
}

/// The native attribute value of a JSON value (see the table above).
///
/// ```
/// use dynamo_orm::{AttributeValue, FromAttribute, IntoAttribute};
/// use serde_json::{json, Value};
///
/// let doc = json!({"name": "john", "tags": ["a", 1], "age": 42, "ok": true, "x": null});
/// let av = doc.to_attribute().unwrap();
/// let map = av.as_m().unwrap();
/// assert_eq!(map["age"], AttributeValue::N("42".into()));
/// assert_eq!(map["x"], AttributeValue::Null(true));
/// assert_eq!(Value::from_attribute(av).unwrap(), doc);
/// ```
impl IntoAttribute for Value {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        Ok(match self {
            Value::Null => AttributeValue::Null(true),
            Value::Bool(b) => AttributeValue::Bool(*b),
            Value::Number(n) => number_attribute(n)?,
            Value::String(s) => AttributeValue::S(s.clone()),
            Value::Array(list) => {
                let mut out = Vec::with_capacity(list.len());
                for (i, v) in list.iter().enumerate() {
                    out.push(v.to_attribute().map_err(|e| e.at_index(i))?);
                }
                AttributeValue::L(out)
            }
            Value::Object(map) => object_attribute(map)?,
        })
    }
}
impl FromAttribute for Value {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        json_from_attribute(value)
    }
}

/// A JSON object is an `M`.
impl IntoAttribute for Map<String, Value> {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        object_attribute(self)
    }
}
/// Reads an `M` only.
impl FromAttribute for Map<String, Value> {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::M(map) => json_object(map),
            other => Err(DecodeError::type_mismatch("M", &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_dynamodb::primitives::Blob;
    use serde_json::json;

    use super::*;

    fn n(text: &str) -> AttributeValue {
        AttributeValue::N(text.to_owned())
    }

    #[test]
    fn decimal_text_is_canonical() {
        let d = |t: &str| parse_decimal(t).unwrap();
        assert_eq!(d("100"), d("1e2"));
        assert_eq!(d("1.50"), d("0.15E+1"));
        assert_eq!(d("-0.0"), d("0"));
        assert_eq!(
            d("0.001"),
            DecimalText {
                negative: false,
                digits: "1".into(),
                exponent: -2
            }
        );
        assert_eq!(
            d("-12.5e3"),
            DecimalText {
                negative: true,
                digits: "125".into(),
                exponent: 5
            }
        );
        for bad in [
            "",
            "-",
            ".",
            "e1",
            "1e",
            "1e+",
            "1.2.3",
            "1e1.5",
            "NaN",
            "inf",
            "0x10",
            " 1",
            "1e99999999999999999999",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn dynamodb_number_limits() {
        assert_eq!(dynamodb_number_problem("1e-130"), None);
        assert_eq!(
            dynamodb_number_problem("9.9999999999999999999999999999999999999E+125"),
            None
        );
        assert!(dynamodb_number_problem("1e126").is_some());
        assert!(dynamodb_number_problem("9.9e-131").is_some());
        assert!(dynamodb_number_problem("123456789012345678901234567890123456789").is_some());
        assert_eq!(
            dynamodb_number_problem("1234567890123456789012345678901234567800000"),
            None
        );
        assert_eq!(dynamodb_number_problem("0e999999"), None);
        assert!(dynamodb_number_problem("x").is_some());
    }

    #[test]
    fn numbers_read_back_exactly() {
        assert_eq!(json_number("42").unwrap(), Number::from(42u64));
        assert_eq!(json_number("-42").unwrap(), Number::from(-42i64));
        assert_eq!(json_number("1E+2").unwrap(), Number::from(100u64));
        assert_eq!(
            json_number("18446744073709551615").unwrap(),
            Number::from(u64::MAX)
        );
        assert_eq!(
            json_number("-9223372036854775808").unwrap(),
            Number::from(i64::MIN)
        );
        assert_eq!(json_number("0.1").unwrap(), Number::from_f64(0.1).unwrap());
        assert_eq!(
            json_number("-2.5e-7").unwrap(),
            Number::from_f64(-2.5e-7).unwrap()
        );
        assert_eq!(
            json_number("1e30").unwrap(),
            Number::from_f64(1e30).unwrap()
        );
        // Precision an f64 does not have.
        for bad in [
            "0.10000000000000000001",
            "18446744073709551616",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "x",
            "",
        ] {
            let err = json_number(bad).unwrap_err();
            assert!(
                matches!(err.kind(), DecodeErrorKind::InvalidNumber { .. }),
                "{bad}"
            );
        }
    }

    #[test]
    fn native_mapping_both_ways() {
        let doc = json!({
            "s": "x", "i": -3, "u": 18446744073709551615u64, "f": 0.25, "b": false, "n": null,
            "l": [1, "two", [3.5], {"k": null}], "m": {"inner": {"deep": [true]}}, "empty": {}, "none": []
        });
        let av = doc.to_attribute().unwrap();
        let m = av.as_m().unwrap();
        assert_eq!(m["f"], n("0.25"));
        assert_eq!(m["u"], n("18446744073709551615"));
        assert_eq!(m["none"], AttributeValue::L(vec![]));
        assert_eq!(Value::from_attribute(av.clone()).unwrap(), doc);
        assert_eq!(json_from_attribute_ref(&av).unwrap(), doc);
        let map = Map::<String, Value>::from_attribute(av).unwrap();
        assert_eq!(Value::Object(map.clone()), doc);
        assert_eq!(
            Value::from_attribute(map.to_attribute().unwrap()).unwrap(),
            doc
        );
        assert_eq!(
            attribute_from_json(doc.clone()).unwrap(),
            doc.to_attribute().unwrap()
        );
    }

    #[test]
    fn sets_read_as_arrays() {
        let ss = AttributeValue::Ss(vec!["a".into(), "b".into()]);
        assert_eq!(
            Value::from_attribute(ss.clone()).unwrap(),
            json!(["a", "b"])
        );
        assert_eq!(json_from_attribute_ref(&ss).unwrap(), json!(["a", "b"]));
        let ns = AttributeValue::Ns(vec!["1".into(), "-2.5".into()]);
        assert_eq!(Value::from_attribute(ns).unwrap(), json!([1, -2.5]));
        let err = Value::from_attribute(AttributeValue::Ns(vec!["1".into(), "1e-400".into()]))
            .unwrap_err();
        assert_eq!(err.path().to_string(), "[1]");
    }

    #[test]
    fn errors_name_the_path() {
        let bin = AttributeValue::M(
            [(
                "a".to_owned(),
                AttributeValue::L(vec![n("1"), AttributeValue::B(Blob::new(vec![1]))]),
            )]
            .into_iter()
            .collect(),
        );
        let err = Value::from_attribute(bin.clone()).unwrap_err();
        assert_eq!(err.path().to_string(), "a[1]");
        assert!(matches!(err.kind(), DecodeErrorKind::InvalidValue { .. }));
        assert_eq!(json_from_attribute_ref(&bin).unwrap_err(), err);
        let bs = AttributeValue::Bs(vec![Blob::new(vec![1])]);
        assert!(Value::from_attribute(bs).is_err());
        let err = Map::<String, Value>::from_attribute(AttributeValue::S("x".into())).unwrap_err();
        assert_eq!((err.expected(), err.found()), (Some("M"), Some("S")));

        let big = json!({"k": [1, 1e200]});
        let err = big.to_attribute().unwrap_err();
        assert_eq!(err.path().to_string(), "k[1]");
        assert!(matches!(err.kind(), EncodeErrorKind::NumberOutOfRange(t) if t.starts_with("1e")));
        assert_eq!(attribute_from_json(big).unwrap_err(), err);
    }
}
