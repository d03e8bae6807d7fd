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

mod dynamodb;
mod error;
mod lines;
mod plain;

use serde_json::Value;

pub use dynamodb::{
    item_from_dynamodb_json, item_from_dynamodb_value, item_to_dynamodb_json,
    value_from_dynamodb_json, value_from_dynamodb_value, value_to_dynamodb_json,
};
pub use error::JsonError;
pub use lines::{DynamoDbJsonLines, dynamodb_json_lines};
pub use plain::{item_from_json, item_to_json};

/// What a JSON value is, for messages ("a number", "an array").
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

#[cfg(test)]
mod tests {
    use aws_sdk_dynamodb::primitives::Blob;

    use super::*;
    use crate::{AttributeValue, Item};

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
