//! [`JsonError`]: JSON text that is not a valid item, with its line and attribute path.

use std::fmt;

use crate::error::{AttrPath, DecodeError, EncodeError, PathSegment};

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
    pub(super) line: Option<usize>,
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
    pub(super) fn new(message: impl Into<String>) -> Self {
        Self {
            line: None,
            path: AttrPath::default(),
            message: message.into(),
        }
    }

    pub(super) fn at(path: &[PathSegment], message: impl Into<String>) -> Self {
        Self {
            line: None,
            path: AttrPath::from_segments(path.to_vec()),
            message: message.into(),
        }
    }

    pub(super) fn syntax(e: &serde_json::Error) -> Self {
        let text = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let message = text.strip_suffix(&position).unwrap_or(&text);
        Self {
            line: Some(e.line()).filter(|l| *l > 0),
            path: AttrPath::default(),
            message: format!("invalid JSON at column {}: {message}", e.column()),
        }
    }

    pub(super) fn from_decode(e: &DecodeError) -> Self {
        // The conversion error's own text, without its `attribute `...`: ` prefix.
        let text = e.to_string();
        let prefix = format!("attribute `{}`: ", e.path());
        Self {
            line: None,
            path: e.path().clone(),
            message: text.strip_prefix(&prefix).unwrap_or(&text).to_owned(),
        }
    }

    /// A conversion error of the value at `path`, whose own path continues `path`.
    pub(super) fn encode_at(path: &[PathSegment], e: &EncodeError) -> Self {
        let mut segments = path.to_vec();
        segments.extend(e.path().segments().cloned());
        Self {
            path: AttrPath::from_segments(segments),
            ..Self::from_encode(e)
        }
    }

    pub(super) fn from_encode(e: &EncodeError) -> Self {
        let text = e.to_string();
        let prefix = format!("attribute `{}`: ", e.path());
        Self {
            line: None,
            path: e.path().clone(),
            message: text.strip_prefix(&prefix).unwrap_or(&text).to_owned(),
        }
    }

    pub(super) fn on_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// The line of the input (1-based), when known: every error of
    /// [`dynamodb_json_lines`](super::dynamodb_json_lines) has one, and so do syntax errors.
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
