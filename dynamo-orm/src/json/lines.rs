//! [`dynamodb_json_lines`]: a reader of DynamoDB-JSON lines (one item per
//! line, as table exports and bulk loads use).

use std::io::BufRead;

use serde_json::Value;

use super::JsonError;
use super::dynamodb::item_from_export_value;
use crate::Item;

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
    item_from_export_value(json)
}
