//! JSON text for items: DynamoDB-JSON, the typed wire form the AWS CLI, the
//! console and table exports use, and plain JSON with the native mapping of
//! `serde_json::Value` (see the `FromAttribute` implementation for `Value`).
//!
//! DynamoDB-JSON tags every value with its type, so it holds every item
//! exactly (binary as base64, number text as stored):
//!
//! ```
//! use dynamo_orm::json::{item_from_dynamodb_json, item_to_dynamodb_json};
//! use dynamo_orm::AttributeValue;
//!
//! let text = r#"{"name": {"S": "john"}, "age": {"N": "42"}, "tags": {"SS": ["a", "b"]}}"#;
//! let item = item_from_dynamodb_json(text)?;
//! assert_eq!(item["age"], AttributeValue::N("42".into()));
//! // Written compactly, attribute names in order.
//! assert_eq!(
//!     item_to_dynamodb_json(&item),
//!     r#"{"age":{"N":"42"},"name":{"S":"john"},"tags":{"SS":["a","b"]}}"#
//! );
//! # Ok::<(), dynamo_orm::json::JsonError>(())
//! ```
//!
//! Plain JSON is what an application usually holds; it cannot carry binary
//! values or sets (sets read as arrays):
//!
//! ```
//! use dynamo_orm::json::{item_from_json, item_to_json};
//! use serde_json::json;
//!
//! let item = item_from_json(json!({"name": "john", "address": {"city": "Paris"}}))?;
//! assert_eq!(item_to_json(&item)?, json!({"name": "john", "address": {"city": "Paris"}}));
//! # Ok::<(), dynamo_orm::json::JsonError>(())
//! ```

use std::fmt;
use std::io::BufRead;

use aws_sdk_dynamodb::primitives::Blob;
use aws_smithy_types::base64;
use serde_json::{Map, Value};

use crate::error::{AttrPath, DecodeError, EncodeError, PathSegment};
use crate::value::json::{dynamodb_number_problem, item_from_json_object, json_object_ref};
use crate::value::type_name;
use crate::{AttributeValue, Item};

// ---------------------------------------------------------------- error

/// JSON text that is not a valid item (or an item with no JSON form). Names
/// the line (for multi-line input) and the attribute path when they are known.
///
/// ```
/// use dynamo_orm::json::item_from_dynamodb_json;
///
/// let err = item_from_dynamodb_json(r#"{"tags": {"L": [{"S": "a"}, {"S": 1}]}}"#).unwrap_err();
/// assert_eq!(err.path().to_string(), "tags[1]");
/// assert_eq!(err.to_string(), "attribute `tags[1]`: S must hold a string, found a number");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", Described(self))]
pub struct JsonError {
    line: Option<usize>,
    path: AttrPath,
    message: String,
}

struct Described<'a>(&'a JsonError);

impl fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        match (e.line, e.path.is_empty()) {
            (Some(line), false) => write!(f, "line {line}, attribute `{}`: ", e.path)?,
            (Some(line), true) => write!(f, "line {line}: ")?,
            (None, false) => write!(f, "attribute `{}`: ", e.path)?,
            (None, true) => {}
        }
        f.write_str(&e.message)
    }
}

impl JsonError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            line: None,
            path: AttrPath::default(),
            message: message.into(),
        }
    }

    fn at(path: &[PathSegment], message: impl Into<String>) -> Self {
        Self {
            line: None,
            path: AttrPath::from_segments(path.to_vec()),
            message: message.into(),
        }
    }

    fn syntax(e: &serde_json::Error) -> Self {
        let text = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let message = text.strip_suffix(&position).unwrap_or(&text);
        Self {
            line: Some(e.line()).filter(|l| *l > 0),
            path: AttrPath::default(),
            message: format!("invalid JSON at column {}: {message}", e.column()),
        }
    }

    fn from_decode(e: &DecodeError) -> Self {
        // The conversion error's own text, without its `attribute `...`: ` prefix.
        let text = e.to_string();
        let prefix = format!("attribute `{}`: ", e.path());
        Self {
            line: None,
            path: e.path().clone(),
            message: text.strip_prefix(&prefix).unwrap_or(&text).to_owned(),
        }
    }

    fn from_encode(e: &EncodeError) -> Self {
        let text = e.to_string();
        let prefix = format!("attribute `{}`: ", e.path());
        Self {
            line: None,
            path: e.path().clone(),
            message: text.strip_prefix(&prefix).unwrap_or(&text).to_owned(),
        }
    }

    fn on_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// The line of the input (1-based), when known: every error of
    /// [`dynamodb_json_lines`] has one, and so do syntax errors.
    ///
    /// ```
    /// let err = dynamo_orm::json::item_from_dynamodb_json("{\n  \"a\": }").unwrap_err();
    /// assert_eq!(err.line(), Some(2));
    /// ```
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The attribute path of the offending value (empty when the error is
    /// about the whole text or item).
    ///
    /// ```
    /// let err = dynamo_orm::json::item_from_dynamodb_json(r#"{"a": {"M": {"b": {}}}}"#).unwrap_err();
    /// assert_eq!(err.path().to_string(), "a.b");
    /// ```
    pub fn path(&self) -> &AttrPath {
        &self.path
    }

    /// What is wrong, without the line and path.
    ///
    /// ```
    /// let err = dynamo_orm::json::item_from_dynamodb_json(r#"{"a": {"X": 1}}"#).unwrap_err();
    /// assert!(err.message().starts_with("unknown type tag \"X\""));
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

// ---------------------------------------------------------------- DynamoDB-JSON, reading

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

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
    match dynamodb_number_problem(&text) {
        None => Ok(text),
        Some(problem) => Err(JsonError::at(
            path,
            format!("{tag} holds {text:?}, which DynamoDB cannot store: {problem}"),
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

/// One tagged value, `{"S": "x"}`. `path` is the attribute's path, kept as a
/// stack so that only an error pays for a copy of it.
fn read_value(value: Value, path: &mut Vec<PathSegment>) -> Result<AttributeValue, JsonError> {
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
        "L" => {
            let list = array(path, "L", inner)?;
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.into_iter().enumerate() {
                path.push(PathSegment::Index(i));
                let element = read_value(v, path);
                path.pop();
                out.push(element?);
            }
            AttributeValue::L(out)
        }
        "M" => match inner {
            Value::Object(map) => AttributeValue::M(read_map(map, path)?),
            other => return Err(wrong(path, "M", "an object", &other)),
        },
        "SS" => AttributeValue::Ss(set(path, "SS", inner, string)?),
        "NS" => AttributeValue::Ns(set(path, "NS", inner, number)?),
        "BS" => AttributeValue::Bs(set(path, "BS", inner, binary)?),
        other => {
            return Err(JsonError::at(
                path,
                format!("unknown type tag {other:?}, expected one of {TAGS}"),
            ));
        }
    })
}

fn read_map(map: Map<String, Value>, path: &mut Vec<PathSegment>) -> Result<Item, JsonError> {
    let mut item = Item::with_capacity(map.len());
    for (name, v) in map {
        path.push(PathSegment::Name(name));
        let value = read_value(v, path);
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
        Value::Object(map) => read_map(map, &mut Vec::new()),
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
    read_value(json, &mut Vec::new())
}

fn parse_text(text: &str) -> Result<Value, JsonError> {
    serde_json::from_str::<Value>(text).map_err(|e| JsonError::syntax(&e))
}

/// Reads an item from DynamoDB-JSON text:
/// `{"name": {"S": "x"}, "n": {"N": "1"}, "b": {"B": "AAE="}, ...}`.
///
/// Numbers are checked against what DynamoDB stores (38 significant digits,
/// magnitude 1e-130..1e126) and binaries must be standard base64 with
/// padding. Empty sets are accepted here although DynamoDB refuses to store
/// them.
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

// ---------------------------------------------------------------- DynamoDB-JSON, writing

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

// ---------------------------------------------------------------- JSON lines

/// Reads DynamoDB-JSON lines: one item per line, either the item itself or
/// the DynamoDB S3 export form `{"Item": {...}}`. Blank lines are skipped.
/// Each error names its line (1-based) and the iterator goes on with the next
/// line; it ends after an I/O error.
///
/// ```
/// use dynamo_orm::json::dynamodb_json_lines;
///
/// let file = concat!(
///     r#"{"id": {"S": "1"}}"#, "\n",
///     "\n",
///     r#"{"Item": {"id": {"S": "2"}}}"#, "\n",
///     r#"{"id": {"S": 3}}"#, "\n",
/// );
/// let results: Vec<_> = dynamodb_json_lines(file.as_bytes()).collect();
/// assert_eq!(results.len(), 3);
/// assert_eq!(results[1].as_ref().unwrap()["id"].as_s().unwrap(), "2");
/// let err = results[2].as_ref().unwrap_err();
/// assert_eq!(err.line(), Some(4));
/// assert_eq!(err.to_string(), "line 4, attribute `id`: S must hold a string, found a number");
/// ```
pub fn dynamodb_json_lines<R: BufRead>(reader: R) -> DynamoDbJsonLines<R> {
    DynamoDbJsonLines {
        reader,
        line: 0,
        buf: Vec::new(),
        done: false,
    }
}

/// The iterator of [`dynamodb_json_lines`].
///
/// ```
/// use dynamo_orm::json::{dynamodb_json_lines, DynamoDbJsonLines};
/// let lines: DynamoDbJsonLines<&[u8]> = dynamodb_json_lines(&b""[..]);
/// assert_eq!(lines.count(), 0);
/// ```
#[derive(Debug)]
pub struct DynamoDbJsonLines<R> {
    reader: R,
    line: usize,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> Iterator for DynamoDbJsonLines<R> {
    type Item = Result<Item, JsonError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line += 1;
                    let mut text = self.buf.trim_ascii();
                    if self.line == 1 {
                        text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text);
                    }
                    if text.is_empty() {
                        continue;
                    }
                    return Some(read_line(text).map_err(|e| e.on_line(self.line)));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(
                        JsonError::new(format!("read failed: {e}")).on_line(self.line + 1)
                    ));
                }
            }
        }
        None
    }
}

fn read_line(text: &[u8]) -> Result<Item, JsonError> {
    let json = serde_json::from_slice::<Value>(text).map_err(|e| {
        let mut err = JsonError::syntax(&e);
        err.line = None;
        err
    })?;
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
        return read_map(map, &mut Vec::new())
            .or_else(|first| read_map(inner, &mut Vec::new()).map_err(|_| first));
    }
    read_map(map, &mut Vec::new())
}

fn is_typed_value(map: &Map<String, Value>) -> bool {
    const KNOWN: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"];
    map.len() == 1 && map.keys().all(|k| KNOWN.contains(&k.as_str()))
}

// ---------------------------------------------------------------- plain JSON

/// An item from a plain JSON object, with the native mapping: objects are
/// `M`, arrays `L`, numbers `N` (refused beyond what DynamoDB stores), `null`
/// is `NULL` (kept, not dropped).
///
/// ```
/// use dynamo_orm::{json::item_from_json, AttributeValue};
/// use serde_json::json;
///
/// let item = item_from_json(json!({"id": "1", "scores": [1, 2.5], "gone": null}))?;
/// assert_eq!(item["scores"], AttributeValue::L(vec![AttributeValue::N("1".into()), AttributeValue::N("2.5".into())]));
/// assert_eq!(item["gone"], AttributeValue::Null(true));
///
/// let err = item_from_json(json!({"x": [1e300]})).unwrap_err();
/// assert_eq!(err.path().to_string(), "x[0]");
/// assert!(item_from_json(json!([1])).is_err());
/// # Ok::<(), dynamo_orm::json::JsonError>(())
/// ```
pub fn item_from_json(json: Value) -> Result<Item, JsonError> {
    match json {
        Value::Object(map) => item_from_json_object(map).map_err(|e| JsonError::from_encode(&e)),
        other => Err(JsonError::new(format!(
            "an item is a JSON object, found {}",
            json_kind(&other)
        ))),
    }
}

/// A plain JSON object from an item, with the native mapping. String and
/// number sets become arrays. Fails for binary values (`B`, `BS`) and for
/// numbers that no `i64`, `u64` or `f64` holds exactly: plain JSON has no
/// lossless form for them (use [`item_to_dynamodb_json`]).
///
/// ```
/// use dynamo_orm::{json::item_to_json, AttributeValue, Item};
/// use serde_json::json;
///
/// let mut item = Item::new();
/// item.insert("tags".into(), AttributeValue::Ss(vec!["a".into()]));
/// item.insert("n".into(), AttributeValue::N("0.5".into()));
/// assert_eq!(item_to_json(&item)?, json!({"tags": ["a"], "n": 0.5}));
///
/// item.insert("raw".into(), AttributeValue::B(vec![1].into()));
/// assert_eq!(item_to_json(&item).unwrap_err().path().to_string(), "raw");
/// # Ok::<(), dynamo_orm::json::JsonError>(())
/// ```
pub fn item_to_json(item: &Item) -> Result<Value, JsonError> {
    json_object_ref(item)
        .map(Value::Object)
        .map_err(|e| JsonError::from_decode(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn av_s(s: &str) -> AttributeValue {
        AttributeValue::S(s.to_owned())
    }

    #[test]
    fn every_type_round_trips() {
        let text = r#"{
            "s": {"S": "x\u0001\"\\/é😀"},
            "n": {"N": "-1.5E+3"},
            "b": {"B": "AAECAwQ="},
            "ok": {"BOOL": true},
            "x": {"NULL": true},
            "l": {"L": [{"S": "a"}, {"L": []}, {"M": {}}]},
            "m": {"M": {"inner": {"M": {"n": {"N": "0"}}}}},
            "ss": {"SS": ["a", "b"]},
            "ns": {"NS": ["1", "2.5"]},
            "bs": {"BS": ["", "AA==", "AAE=", "AAEC"]}
        }"#;
        let item = item_from_dynamodb_json(text).unwrap();
        assert_eq!(item["s"], av_s("x\u{1}\"\\/é😀"));
        assert_eq!(item["b"], AttributeValue::B(Blob::new(vec![0, 1, 2, 3, 4])));
        assert_eq!(
            item["bs"],
            AttributeValue::Bs(vec![
                Blob::new(vec![]),
                Blob::new(vec![0]),
                Blob::new(vec![0, 1]),
                Blob::new(vec![0, 1, 2]),
            ])
        );
        let written = item_to_dynamodb_json(&item);
        assert!(!written.contains('\n'));
        assert!(
            written.contains(r#""s":{"S":"x\u0001\"\\/é😀"}"#),
            "{written}"
        );
        assert_eq!(item_from_dynamodb_json(&written).unwrap(), item);
        // The same text as serde_json would write for the same tree.
        let tree: Value = serde_json::from_str(&written).unwrap();
        assert_eq!(serde_json::to_string(&tree).unwrap(), written);
    }

    #[test]
    fn escapes_every_control_character() {
        let all: String = (0u8..0x20)
            .map(char::from)
            .chain(['\u{7f}', '\u{2028}'])
            .collect();
        let json = value_to_dynamodb_json(&av_s(&all));
        let tree: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(tree["S"], Value::String(all.clone()));
        assert_eq!(value_from_dynamodb_json(&json).unwrap(), av_s(&all));
    }

    fn err(text: &str) -> JsonError {
        item_from_dynamodb_json(text).unwrap_err()
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        let cases = [
            ("", ""),
            ("{", ""),
            ("[]", ""),
            ("null", ""),
            ("\"x\"", ""),
            (r#"{"a": 1}"#, "a"),
            (r#"{"a": {}}"#, "a"),
            (r#"{"a": {"S": "x", "N": "1"}}"#, "a"),
            (r#"{"a": {"s": "x"}}"#, "a"),
            (r#"{"a": {"X": 1}}"#, "a"),
            (r#"{"a": {"S": 1}}"#, "a"),
            (r#"{"a": {"S": null}}"#, "a"),
            (r#"{"a": {"N": 1}}"#, "a"),
            (r#"{"a": {"N": "1e126"}}"#, "a"),
            (r#"{"a": {"N": "NaN"}}"#, "a"),
            (r#"{"a": {"N": ""}}"#, "a"),
            (r#"{"a": {"B": "!!!!"}}"#, "a"),
            (r#"{"a": {"B": "AAE"}}"#, "a"),
            (r#"{"a": {"B": "AB=="}}"#, "a"),
            (r#"{"a": {"B": "AA==\n"}}"#, "a"),
            (r#"{"a": {"B": 5}}"#, "a"),
            (r#"{"a": {"BOOL": "true"}}"#, "a"),
            (r#"{"a": {"NULL": 1}}"#, "a"),
            (r#"{"a": {"L": {}}}"#, "a"),
            (r#"{"a": {"L": [1]}}"#, "a[0]"),
            (r#"{"a": {"M": []}}"#, "a"),
            (
                r#"{"a": {"M": {"b": {"L": [{"N": "1"}, {"BS": ["A"]}]}}}}"#,
                "a.b[1][0]",
            ),
            (r#"{"a": {"SS": "x"}}"#, "a"),
            (r#"{"a": {"SS": ["x", 1]}}"#, "a[1]"),
            (r#"{"a": {"NS": ["1", "x"]}}"#, "a[1]"),
            (r#"{"a": {"BS": [null]}}"#, "a[0]"),
        ];
        for (text, path) in cases {
            let e = err(text);
            assert_eq!(
                e.path().to_string(),
                if path.is_empty() { "<item>" } else { path },
                "{text}: {e}"
            );
            assert!(!e.message().is_empty());
        }
        assert_eq!(
            err(r#"{"a": {"X": 1}}"#).to_string(),
            "attribute `a`: unknown type tag \"X\", expected one of S, N, B, BOOL, NULL, L, M, SS, NS, BS"
        );
        assert_eq!(
            err(r#"{"a": {"S": 1}}"#).message(),
            "S must hold a string, found a number"
        );
        assert!(err(r#"{"a": {"B": "!!!!"}}"#).message().contains("base64"));
        let syntax = err("{\"a\":\n  {\"S\": }");
        assert_eq!(syntax.line(), Some(2));
        assert!(
            syntax
                .to_string()
                .starts_with("line 2: invalid JSON at column 9: "),
            "{syntax}"
        );
    }

    #[test]
    fn lines_reader() {
        let input = concat!(
            "\u{feff}{\"a\": {\"N\": \"1\"}}\r\n",
            "   \n",
            "{\"Item\": {\"a\": {\"N\": \"2\"}}}\n",
            "[1]\n",
            "{\"Item\": {\"S\": \"an attribute named Item\"}}\n",
            "not json\n",
            "{\"a\": {\"B\": \"%%\"}}\n",
            "{\"Item\": {\"S\": {\"S\": \"x\"}}}\n",
            "{\"a\": {\"N\": \"3\"}}",
        );
        let results: Vec<Result<Item, JsonError>> = dynamodb_json_lines(input.as_bytes()).collect();
        assert_eq!(results.len(), 8);
        assert_eq!(
            results[0].as_ref().unwrap()["a"],
            AttributeValue::N("1".into())
        );
        assert_eq!(
            results[1].as_ref().unwrap()["a"],
            AttributeValue::N("2".into())
        );
        let e = results[2].as_ref().unwrap_err();
        assert_eq!(e.line(), Some(4));
        assert!(e.message().contains("found an array"));
        assert_eq!(
            results[3].as_ref().unwrap()["Item"],
            av_s("an attribute named Item")
        );
        let e = results[4].as_ref().unwrap_err();
        assert_eq!(e.line(), Some(6));
        assert!(
            e.to_string()
                .starts_with("line 6: invalid JSON at column 2"),
            "{e}"
        );
        let e = results[5].as_ref().unwrap_err();
        assert_eq!((e.line(), e.path().to_string()), (Some(7), "a".to_owned()));
        assert_eq!(results[6].as_ref().unwrap()["S"], av_s("x"));
        assert_eq!(
            results[7].as_ref().unwrap()["a"],
            AttributeValue::N("3".into())
        );
    }

    #[test]
    fn lines_reader_goes_on_after_bad_utf8() {
        let mut input = b"{\"a\": {\"S\": \"\xff\"}}\n".to_vec();
        input.extend_from_slice(b"{\"a\": {\"S\": \"ok\"}}\n");
        let results: Vec<_> = dynamodb_json_lines(&input[..]).collect();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].as_ref().unwrap_err().line(), Some(1));
        assert_eq!(results[1].as_ref().unwrap()["a"], av_s("ok"));
    }

    #[test]
    fn lines_reader_stops_after_io_error() {
        struct Failing;
        impl std::io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk on fire"))
            }
        }
        let results: Vec<_> = dynamodb_json_lines(std::io::BufReader::new(Failing)).collect();
        assert_eq!(results.len(), 1);
        let e = results[0].as_ref().unwrap_err();
        assert_eq!(e.to_string(), "line 1: read failed: disk on fire");
    }

    #[test]
    fn plain_json() {
        let json = serde_json::json!({"a": [1, "x", null, {"b": true}], "n": -0.5});
        let item = item_from_json(json.clone()).unwrap();
        assert_eq!(item_to_json(&item).unwrap(), json);
        let mut bad = item.clone();
        bad.insert(
            "big".into(),
            AttributeValue::N("123456789012345678901234567890".into()),
        );
        let e = item_to_json(&bad).unwrap_err();
        assert_eq!(e.path().to_string(), "big");
        assert!(
            e.message()
                .starts_with("number 123456789012345678901234567890 does not fit"),
            "{e}"
        );
        let e = item_from_json(serde_json::json!({"a": {"b": [0, 1e-200]}})).unwrap_err();
        assert_eq!(e.path().to_string(), "a.b[1]");
        assert!(
            e.message().ends_with("is outside what DynamoDB can store"),
            "{e}"
        );
        assert!(item_from_json(Value::Null).is_err());
    }
}
