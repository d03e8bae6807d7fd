//! DynamoDB-JSON, the typed wire form (`{"name": {"S": "x"}}`) the AWS CLI,
//! the console and table exports use, to and from [`Item`]; also the export
//! form of a line, `{"Item": {...}}`.

use aws_sdk_dynamodb::primitives::Blob;
use aws_smithy_types::base64;
use serde_json::{Map, Value};

use super::{JsonError, json_kind};
use crate::error::PathSegment;
use crate::value::check::{MAX_NESTING_DEPTH, check_name};
use crate::value::json::discard_json;
use crate::value::{TOP_LEVEL, check_value, number, type_name};
use crate::{AttributeValue, Item};

// ---------------------------------------------------------------- reading

const TAGS: &str = "S, N, B, BOOL, NULL, L, M, SS, NS, BS";

fn wrong(path: &[PathSegment], tag: &str, wants: &str, found: &Value) -> JsonError {
    JsonError::at(
        path,
        format!("{tag} must hold {wants}, found {}", json_kind(found)),
    )
}

fn string(path: &[PathSegment], tag: &str, value: Value) -> Result<String, JsonError> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(wrong(path, tag, "a string", &other)),
    }
}

fn number(path: &[PathSegment], tag: &str, value: Value) -> Result<String, JsonError> {
    let text = string(path, tag, value)?;
    match number::validate(&text) {
        Ok(_) => Ok(text),
        Err(problem) => Err(JsonError::at(
            path,
            format!(
                "{tag} holds {:?}, which DynamoDB cannot store: {}",
                number::truncated(&text),
                problem.describe()
            ),
        )),
    }
}

fn binary(path: &[PathSegment], tag: &str, value: Value) -> Result<Blob, JsonError> {
    let text = string(path, tag, value)?;
    // The text is not echoed: a binary attribute can be hundreds of kilobytes.
    base64::decode(&text).map(Blob::new).map_err(|_| {
        JsonError::at(
            path,
            format!(
                "{tag} must hold standard base64 with padding (found {} characters that are not)",
                text.len()
            ),
        )
    })
}

fn array(path: &[PathSegment], tag: &str, value: Value) -> Result<Vec<Value>, JsonError> {
    match value {
        Value::Array(list) => Ok(list),
        other => Err(wrong(path, tag, "an array", &other)),
    }
}

/// The elements of a set, each read with `read` (errors at `path[i]`).
fn set<T>(
    path: &mut Vec<PathSegment>,
    tag: &str,
    value: Value,
    read: impl Fn(&[PathSegment], &str, Value) -> Result<T, JsonError>,
) -> Result<Vec<T>, JsonError> {
    let list = array(path, tag, value)?;
    let mut out = Vec::with_capacity(list.len());
    for (i, v) in list.into_iter().enumerate() {
        path.push(PathSegment::Index(i));
        let element = read(path, tag, v);
        path.pop();
        out.push(element?);
    }
    Ok(out)
}

/// A set, once read: not empty, no member twice (as DynamoDB requires).
fn checked_set(set: AttributeValue, path: &[PathSegment]) -> Result<AttributeValue, JsonError> {
    check_value(&set).map_err(|e| JsonError::encode_at(path, &e))?;
    Ok(set)
}

fn too_deep(path: &[PathSegment]) -> JsonError {
    JsonError::at(
        path,
        format!("nested deeper than DynamoDB's {MAX_NESTING_DEPTH} levels"),
    )
}

/// One tagged value, `{"S": "x"}`, at nesting `level` (2 for a top-level
/// attribute: the item is level 1). `path` is the attribute's path, kept as a
/// stack so that only an error pays for a copy of it.
fn read_value(
    value: Value,
    path: &mut Vec<PathSegment>,
    level: usize,
) -> Result<AttributeValue, JsonError> {
    let map = match value {
        Value::Object(map) => map,
        other => {
            return Err(JsonError::at(
                path,
                format!(
                    "expected a typed value such as {{\"S\": \"text\"}}, found {}",
                    json_kind(&other)
                ),
            ));
        }
    };
    if map.len() != 1 {
        let tags: Vec<&str> = map.keys().map(String::as_str).collect();
        return Err(JsonError::at(
            path,
            format!(
                "a typed value has exactly one type tag ({TAGS}), found {}: {tags:?}",
                map.len()
            ),
        ));
    }
    let Some((tag, inner)) = map.into_iter().next() else {
        return Err(JsonError::at(path, "empty typed value"));
    };
    Ok(match tag.as_str() {
        "S" => AttributeValue::S(string(path, "S", inner)?),
        "N" => AttributeValue::N(number(path, "N", inner)?),
        "B" => AttributeValue::B(binary(path, "B", inner)?),
        "BOOL" => match inner {
            Value::Bool(b) => AttributeValue::Bool(b),
            other => return Err(wrong(path, "BOOL", "true or false", &other)),
        },
        "NULL" => match inner {
            Value::Bool(b) => AttributeValue::Null(b),
            other => return Err(wrong(path, "NULL", "true", &other)),
        },
        "L" | "M" if level > MAX_NESTING_DEPTH => {
            discard_json(inner);
            return Err(too_deep(path));
        }
        "L" => {
            let list = array(path, "L", inner)?;
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.into_iter().enumerate() {
                path.push(PathSegment::Index(i));
                let element = read_value(v, path, level + 1);
                path.pop();
                out.push(element?);
            }
            AttributeValue::L(out)
        }
        "M" => match inner {
            Value::Object(map) => AttributeValue::M(read_map(map, path, level + 1)?),
            other => return Err(wrong(path, "M", "an object", &other)),
        },
        "SS" => checked_set(AttributeValue::Ss(set(path, "SS", inner, string)?), path)?,
        "NS" => checked_set(AttributeValue::Ns(set(path, "NS", inner, number)?), path)?,
        "BS" => checked_set(AttributeValue::Bs(set(path, "BS", inner, binary)?), path)?,
        other => {
            return Err(JsonError::at(
                path,
                format!("unknown type tag {other:?}, expected one of {TAGS}"),
            ));
        }
    })
}

/// A map whose values are at nesting `level` (2 for an item's attributes).
pub(super) fn read_map(
    map: Map<String, Value>,
    path: &mut Vec<PathSegment>,
    level: usize,
) -> Result<Item, JsonError> {
    let mut item = Item::with_capacity(map.len());
    for (name, v) in map {
        check_name(&name).map_err(|e| JsonError::encode_at(path, &e))?;
        path.push(PathSegment::Name(name));
        let value = read_value(v, path, level);
        let Some(PathSegment::Name(name)) = path.pop() else {
            // The stack is balanced: what was pushed above comes back.
            return Err(JsonError::at(
                path,
                "internal error: attribute path out of step",
            ));
        };
        item.insert(name, value?);
    }
    Ok(item)
}

/// An item from an already parsed DynamoDB-JSON object.
///
/// ```
/// use dynamo_orm::json::item_from_dynamodb_value;
/// use serde_json::json;
///
/// let item = item_from_dynamodb_value(json!({"ok": {"BOOL": true}}))?;
/// assert_eq!(item["ok"], dynamo_orm::AttributeValue::Bool(true));
/// # Ok::<(), dynamo_orm::json::JsonError>(())
/// ```
pub fn item_from_dynamodb_value(json: Value) -> Result<Item, JsonError> {
    match json {
        Value::Object(map) => read_map(map, &mut Vec::new(), TOP_LEVEL),
        other => Err(JsonError::new(format!(
            "an item is a JSON object, found {}",
            json_kind(&other)
        ))),
    }
}

/// An attribute value from an already parsed DynamoDB-JSON value (`{"S": "x"}`).
///
/// ```
/// use dynamo_orm::{json::value_from_dynamodb_value, AttributeValue};
/// use serde_json::json;
///
/// let v = value_from_dynamodb_value(json!({"L": [{"N": "1"}, {"NULL": true}]}))?;
/// assert_eq!(v, AttributeValue::L(vec![AttributeValue::N("1".into()), AttributeValue::Null(true)]));
/// # Ok::<(), dynamo_orm::json::JsonError>(())
/// ```
pub fn value_from_dynamodb_value(json: Value) -> Result<AttributeValue, JsonError> {
    read_value(json, &mut Vec::new(), TOP_LEVEL)
}

fn parse_text(text: &str) -> Result<Value, JsonError> {
    serde_json::from_str::<Value>(text).map_err(|e| JsonError::syntax(&e))
}

/// Reads an item from DynamoDB-JSON text:
/// `{"name": {"S": "x"}, "n": {"N": "1"}, "b": {"B": "AAE="}, ...}`.
///
/// Everything DynamoDB would refuse is refused here, naming the attribute:
/// numbers it cannot store (38 significant digits, magnitude 1E-130 to
/// 9.99…E+125), empty sets and sets holding a member twice, empty map keys,
/// and lists and maps nested deeper than 32 levels (the item is level 1).
/// Binaries must be standard base64 with padding.
///
/// ```
/// use dynamo_orm::{json::item_from_dynamodb_json, AttributeValue};
///
/// let item = item_from_dynamodb_json(r#"{"id": {"S": "1"}, "raw": {"B": "AAE="}, "x": {"NULL": true}}"#)?;
/// assert_eq!(item["raw"], AttributeValue::B(vec![0, 1].into()));
/// assert_eq!(item["x"], AttributeValue::Null(true));
///
/// let err = item_from_dynamodb_json(r#"{"n": {"N": "12abc"}}"#).unwrap_err();
/// assert_eq!(err.path().to_string(), "n");
/// # Ok::<(), dynamo_orm::json::JsonError>(())
/// ```
pub fn item_from_dynamodb_json(text: &str) -> Result<Item, JsonError> {
    item_from_dynamodb_value(parse_text(text)?)
}

/// Reads one attribute value from DynamoDB-JSON text (`{"N": "42"}`).
///
/// ```
/// use dynamo_orm::{json::value_from_dynamodb_json, AttributeValue};
/// assert_eq!(value_from_dynamodb_json(r#"{"N": "42"}"#)?, AttributeValue::N("42".into()));
/// assert!(value_from_dynamodb_json(r#"{"N": 42}"#).is_err()); // numbers travel as strings
/// # Ok::<(), dynamo_orm::json::JsonError>(())
/// ```
pub fn value_from_dynamodb_json(text: &str) -> Result<AttributeValue, JsonError> {
    value_from_dynamodb_value(parse_text(text)?)
}

// ---------------------------------------------------------------- writing

/// Writes `s` as a JSON string literal.
fn write_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            c if c < ' ' => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push_str(escape);
        }
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn write_list<T>(out: &mut String, items: &[T], mut write: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
    out.push(']');
}

fn write_base64(out: &mut String, blob: &Blob) {
    out.push('"');
    out.push_str(&base64::encode(blob.as_ref()));
    out.push('"');
}

fn write_map(out: &mut String, map: &Item) {
    // Sorted names: the same item always gives the same text (diffs, tests).
    let mut entries: Vec<(&String, &AttributeValue)> = map.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.push('{');
    for (i, (name, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, name);
        out.push(':');
        write_value(out, value);
    }
    out.push('}');
}

fn write_value(out: &mut String, value: &AttributeValue) {
    let tag = match type_name(value) {
        // A type newer than this SDK knows: it cannot be written back faithfully.
        "unknown" => "NULL",
        tag => tag,
    };
    out.push_str("{\"");
    out.push_str(tag);
    out.push_str("\":");
    match value {
        AttributeValue::S(s) | AttributeValue::N(s) => write_string(out, s),
        AttributeValue::B(b) => write_base64(out, b),
        AttributeValue::Bool(b) | AttributeValue::Null(b) => {
            out.push_str(if *b { "true" } else { "false" });
        }
        AttributeValue::L(list) => write_list(out, list, write_value),
        AttributeValue::M(map) => write_map(out, map),
        AttributeValue::Ss(list) | AttributeValue::Ns(list) => {
            write_list(out, list, |o, s| write_string(o, s));
        }
        AttributeValue::Bs(list) => write_list(out, list, write_base64),
        _ => out.push_str("true"),
    }
    out.push('}');
}

/// Writes an item as compact, single-line DynamoDB-JSON, attribute names
/// sorted (map entries too), binaries in standard base64 with padding.
/// A value of a type this SDK version does not know is written as `NULL`.
///
/// ```
/// use dynamo_orm::{json::item_to_dynamodb_json, AttributeValue, Item};
///
/// let mut item = Item::new();
/// item.insert("b".into(), AttributeValue::Bs(vec![vec![0xff].into()]));
/// item.insert("a".into(), AttributeValue::S("line\nbreak \"quoted\"".into()));
/// assert_eq!(
///     item_to_dynamodb_json(&item),
///     r#"{"a":{"S":"line\nbreak \"quoted\""},"b":{"BS":["/w=="]}}"#
/// );
/// ```
pub fn item_to_dynamodb_json(item: &Item) -> String {
    let mut out = String::new();
    write_map(&mut out, item);
    out
}

/// Writes one attribute value as DynamoDB-JSON (`{"N":"42"}`).
///
/// ```
/// use dynamo_orm::{json::value_to_dynamodb_json, AttributeValue};
/// let v = AttributeValue::L(vec![AttributeValue::Bool(true), AttributeValue::N("1".into())]);
/// assert_eq!(value_to_dynamodb_json(&v), r#"{"L":[{"BOOL":true},{"N":"1"}]}"#);
/// ```
pub fn value_to_dynamodb_json(value: &AttributeValue) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

// ---------------------------------------------------------------- export lines

/// One item from a line of a DynamoDB table export: the item itself, or the
/// export form `{"Item": {...}}`.
pub(super) fn item_from_export_value(json: Value) -> Result<Item, JsonError> {
    let Value::Object(mut map) = json else {
        return Err(JsonError::new(format!(
            "a line holds one item, a JSON object; found {}",
            json_kind(&json)
        )));
    };
    // `{"Item": {...}}` is the export form, unless it is an item whose one
    // attribute is named `Item` (its value then has a single type tag).
    if map.len() == 1
        && let Some(Value::Object(inner)) = map.get("Item")
    {
        if !is_typed_value(inner) {
            return item_from_dynamodb_value(map.remove("Item").unwrap_or_default());
        }
        // Still maybe an export line whose item has a single attribute
        // named like a type tag (`{"Item": {"S": {"S": "x"}}}`): tried
        // second, and the first reading's error is the one reported.
        let inner = inner.clone();
        return read_map(map, &mut Vec::new(), TOP_LEVEL)
            .or_else(|first| read_map(inner, &mut Vec::new(), TOP_LEVEL).map_err(|_| first));
    }
    read_map(map, &mut Vec::new(), TOP_LEVEL)
}

fn is_typed_value(map: &Map<String, Value>) -> bool {
    const KNOWN: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"];
    map.len() == 1 && map.keys().all(|k| KNOWN.contains(&k.as_str()))
}
