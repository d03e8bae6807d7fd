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
//!
//! Arrays and objects nested deeper than DynamoDB stores (31 inside an
//! attribute: the item is level 1) are refused both ways with an error
//! naming the path, however deep the value is. Object keys must be 1 to
//! 65,535 bytes.

use serde_json::{Map, Number, Value};

use super::{FromAttribute, IntoAttribute, discard, number};
use crate::AttributeValue;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::value::check::{MAX_NESTING_DEPTH, check_name, too_deep};

// ---------------------------------------------------------------- numbers

fn invalid_number(text: &str) -> DecodeError {
    DecodeError::new(DecodeErrorKind::InvalidNumber {
        value: number::truncated(text),
        target: "a JSON number (i64, u64 or f64)",
    })
}

/// The JSON number of a stored number text, exactly.
pub(crate) fn json_number(text: &str) -> Result<Number, DecodeError> {
    let parsed = number::parse(text).ok_or_else(|| invalid_number(text))?;
    if parsed.is_integer() {
        if parsed.is_negative() {
            if let Some(n) = parsed.to_integer::<i64>() {
                return Ok(n.into());
            }
        } else if let Some(n) = parsed.to_integer::<u64>() {
            return Ok(n.into());
        }
    }
    // Not an integer that fits: an f64, if it is written back as the same
    // number (the largest storable double is written as the 38-nines text).
    let float = text.parse::<f64>().ok().filter(|f| f.is_finite());
    float
        .filter(|f| {
            let mut buf = ryu::Buffer::new();
            number::float_text(*f, buf.format_finite(*f))
                .is_ok_and(|written| number::parse(&written) == Some(parsed))
        })
        .and_then(Number::from_f64)
        .ok_or_else(|| invalid_number(text))
}

fn number_attribute(n: &Number) -> Result<AttributeValue, EncodeError> {
    if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
        // As a typed f64 is written (the largest storable double included).
        return number::float_text(f, ryu::Buffer::new().format_finite(f)).map(AttributeValue::N);
    }
    let text = n.to_string();
    number::check(&text)?;
    Ok(AttributeValue::N(text))
}

// ---------------------------------------------------------------- conversions
//
// Every recursion carries the nesting level of the value it converts, in
// DynamoDB's count (the item is level 1, a top-level attribute's value level
// 2), and refuses lists and maps deeper than DynamoDB stores: a hostile value
// a thousand levels deep is an error, not a stack overflow.

/// Drops a JSON value without recursion: what a depth limit refused may be
/// nested deeper than a recursive drop has stack for.
pub(crate) fn discard_json(value: Value) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(list) => stack.extend(list),
            Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

fn decode_too_deep() -> DecodeError {
    DecodeError::new(DecodeErrorKind::TooDeep {
        limit: MAX_NESTING_DEPTH,
    })
}

/// The attribute value of an owned JSON value, moving strings out of it
/// (for `json::item_from_json`).
pub(crate) fn attribute_from_json(
    value: Value,
    level: usize,
) -> Result<AttributeValue, EncodeError> {
    Ok(match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(b),
        Value::Number(n) => number_attribute(&n)?,
        Value::String(s) => AttributeValue::S(s),
        Value::Array(list) => {
            if level > MAX_NESTING_DEPTH {
                discard_json(Value::Array(list));
                return Err(too_deep());
            }
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.into_iter().enumerate() {
                out.push(attribute_from_json(v, level + 1).map_err(|e| e.at_index(i))?);
            }
            AttributeValue::L(out)
        }
        Value::Object(map) => {
            if level > MAX_NESTING_DEPTH {
                discard_json(Value::Object(map));
                return Err(too_deep());
            }
            AttributeValue::M(item_from_json_object(map, level + 1)?)
        }
    })
}

/// The attribute map of an owned JSON object whose values are at `level`
/// (2 for an item's attributes).
pub(crate) fn item_from_json_object(
    map: Map<String, Value>,
    level: usize,
) -> Result<crate::Item, EncodeError> {
    let mut out = crate::Item::with_capacity(map.len());
    for (k, v) in map {
        check_name(&k)?;
        let v = attribute_from_json(v, level).map_err(|e| e.in_field(&k))?;
        out.insert(k, v);
    }
    Ok(out)
}

fn encode_value(value: &Value, level: usize) -> Result<AttributeValue, EncodeError> {
    Ok(match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(n) => number_attribute(n)?,
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Array(list) => {
            if level > MAX_NESTING_DEPTH {
                return Err(too_deep());
            }
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                out.push(encode_value(v, level + 1).map_err(|e| e.at_index(i))?);
            }
            AttributeValue::L(out)
        }
        Value::Object(map) => object_attribute(map, level)?,
    })
}

fn object_attribute(map: &Map<String, Value>, level: usize) -> Result<AttributeValue, EncodeError> {
    if level > MAX_NESTING_DEPTH {
        return Err(too_deep());
    }
    let mut out = std::collections::HashMap::with_capacity(map.len());
    for (k, v) in map {
        check_name(k)?;
        out.insert(
            k.clone(),
            encode_value(v, level + 1).map_err(|e| e.in_field(k))?,
        );
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
fn json_from_attribute(value: AttributeValue, level: usize) -> Result<Value, DecodeError> {
    Ok(match value {
        AttributeValue::S(s) => Value::String(s),
        AttributeValue::N(n) => Value::Number(json_number(&n)?),
        AttributeValue::Bool(b) => Value::Bool(b),
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::L(list) => {
            if level > MAX_NESTING_DEPTH {
                discard(AttributeValue::L(list));
                return Err(decode_too_deep());
            }
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.into_iter().enumerate() {
                out.push(json_from_attribute(v, level + 1).map_err(|e| e.at_index(i))?);
            }
            Value::Array(out)
        }
        AttributeValue::M(map) => {
            if level > MAX_NESTING_DEPTH {
                discard(AttributeValue::M(map));
                return Err(decode_too_deep());
            }
            Value::Object(json_object(map, level + 1)?)
        }
        AttributeValue::Ss(list) => Value::Array(list.into_iter().map(Value::String).collect()),
        AttributeValue::Ns(list) => Value::Array(json_numbers(&list)?),
        AttributeValue::B(_) | AttributeValue::Bs(_) => return Err(binary_error()),
        other => return Err(DecodeError::type_mismatch("a JSON-compatible type", &other)),
    })
}

fn json_object(map: crate::Item, level: usize) -> Result<Map<String, Value>, DecodeError> {
    let mut out = Map::new();
    for (k, v) in map {
        let v = json_from_attribute(v, level).map_err(|e| e.in_field(&k))?;
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

/// The JSON value of a borrowed attribute at `level` (for `json::item_to_json`).
pub(crate) fn json_from_attribute_ref(
    value: &AttributeValue,
    level: usize,
) -> Result<Value, DecodeError> {
    Ok(match value {
        AttributeValue::S(s) => Value::String(s.clone()),
        AttributeValue::N(n) => Value::Number(json_number(n)?),
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::L(list) => {
            if level > MAX_NESTING_DEPTH {
                return Err(decode_too_deep());
            }
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                out.push(json_from_attribute_ref(v, level + 1).map_err(|e| e.at_index(i))?);
            }
            Value::Array(out)
        }
        AttributeValue::M(map) => {
            if level > MAX_NESTING_DEPTH {
                return Err(decode_too_deep());
            }
            Value::Object(json_object_ref(map, level + 1)?)
        }
        AttributeValue::Ss(list) => Value::Array(list.iter().cloned().map(Value::String).collect()),
        AttributeValue::Ns(list) => Value::Array(json_numbers(list)?),
        AttributeValue::B(_) | AttributeValue::Bs(_) => return Err(binary_error()),
        other => return Err(DecodeError::type_mismatch("a JSON-compatible type", other)),
    })
}

/// The JSON object of a borrowed attribute map whose values are at `level`
/// (2 for an item's attributes).
pub(crate) fn json_object_ref(
    map: &crate::Item,
    level: usize,
) -> Result<Map<String, Value>, DecodeError> {
    let mut out = Map::new();
    for (k, v) in map {
        out.insert(
            k.clone(),
            json_from_attribute_ref(v, level).map_err(|e| e.in_field(k))?,
        );
    }
    Ok(out)
}

/// The level a converted value is taken to be at: a top-level attribute's
/// (DynamoDB counts the item as level 1). Deeper nesting around it is checked
/// when the item is written.
pub(crate) const TOP_LEVEL: usize = 2;

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
        encode_value(self, TOP_LEVEL)
    }
}
impl FromAttribute for Value {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        json_from_attribute(value, TOP_LEVEL)
    }
}

/// A JSON object is an `M`.
impl IntoAttribute for Map<String, Value> {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        object_attribute(self, TOP_LEVEL)
    }
}
/// Reads an `M` only.
impl FromAttribute for Map<String, Value> {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::M(map) => json_object(map, TOP_LEVEL + 1),
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
        assert_eq!(json_from_attribute_ref(&av, TOP_LEVEL).unwrap(), doc);
        let map = Map::<String, Value>::from_attribute(av).unwrap();
        assert_eq!(Value::Object(map.clone()), doc);
        assert_eq!(
            Value::from_attribute(map.to_attribute().unwrap()).unwrap(),
            doc
        );
        assert_eq!(
            attribute_from_json(doc.clone(), TOP_LEVEL).unwrap(),
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
        assert_eq!(
            json_from_attribute_ref(&ss, TOP_LEVEL).unwrap(),
            json!(["a", "b"])
        );
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
        assert_eq!(json_from_attribute_ref(&bin, TOP_LEVEL).unwrap_err(), err);
        let bs = AttributeValue::Bs(vec![Blob::new(vec![1])]);
        assert!(Value::from_attribute(bs).is_err());
        let err = Map::<String, Value>::from_attribute(AttributeValue::S("x".into())).unwrap_err();
        assert_eq!((err.expected(), err.found()), (Some("M"), Some("S")));

        let big = json!({"k": [1, 1e200]});
        let err = big.to_attribute().unwrap_err();
        assert_eq!(err.path().to_string(), "k[1]");
        assert!(
            matches!(err.kind(), crate::EncodeErrorKind::NumberOutOfRange(t) if t.starts_with("1e"))
        );
        assert_eq!(attribute_from_json(big, TOP_LEVEL).unwrap_err(), err);
    }

    fn nested_json(levels: usize) -> Value {
        let mut v = json!(1);
        for i in 0..levels {
            v = if i % 2 == 0 {
                json!([v])
            } else {
                json!({ "k": v })
            };
        }
        v
    }

    fn nested_attribute(levels: usize) -> AttributeValue {
        let mut v = n("1");
        for _ in 0..levels {
            v = AttributeValue::L(vec![v]);
        }
        v
    }

    #[test]
    fn depth_is_limited_both_ways() {
        // 31 lists or maps inside an attribute are what DynamoDB stores.
        let ok = nested_json(31);
        let av = ok.to_attribute().unwrap();
        assert_eq!(Value::from_attribute(av.clone()).unwrap(), ok);
        assert_eq!(json_from_attribute_ref(&av, TOP_LEVEL).unwrap(), ok);
        assert_eq!(attribute_from_json(ok, TOP_LEVEL).unwrap(), av);

        let deep = nested_json(32);
        let err = deep.to_attribute().unwrap_err();
        assert_eq!(err.kind(), &crate::EncodeErrorKind::TooDeep { limit: 32 });
        assert!(err.path().to_string().starts_with("k[0].k[0]"), "{err}");
        assert_eq!(attribute_from_json(deep, TOP_LEVEL).unwrap_err(), err);

        let deep = nested_attribute(32);
        let err = Value::from_attribute(deep.clone()).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::TooDeep { limit: 32 });
        assert_eq!(err.path().segments().count(), 31);
        assert_eq!(json_from_attribute_ref(&deep, TOP_LEVEL).unwrap_err(), err);
        assert!(Value::from_attribute(nested_attribute(31)).is_ok());
    }

    #[test]
    fn empty_keys_and_edge_numbers() {
        let err = json!({"a": {"": 1}}).to_attribute().unwrap_err();
        assert_eq!(err.path().to_string(), "a");
        assert!(matches!(err.kind(), crate::EncodeErrorKind::InvalidName(_)));
        // The largest storable double is written so that it can be stored.
        let max = json!(1e126).to_attribute().unwrap();
        assert_eq!(max, n("9.9999999999999999999999999999999999999E+125"));
        assert_eq!(Value::from_attribute(max).unwrap(), json!(1e126));
    }
}
