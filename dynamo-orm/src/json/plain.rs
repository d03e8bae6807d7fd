//! Plain JSON to and from [`Item`], with the native mapping of
//! `serde_json::Value` (objects are `M`, arrays `L`, numbers `N`).

use serde_json::Value;

use super::{JsonError, json_kind};
use crate::Item;
use crate::value::TOP_LEVEL;
use crate::value::json::{item_from_json_object, json_object_ref};

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
        Value::Object(map) => {
            item_from_json_object(map, TOP_LEVEL).map_err(|e| JsonError::from_encode(&e))
        }
        other => Err(JsonError::new(format!(
            "an item is a JSON object, found {}",
            json_kind(&other)
        ))),
    }
}

/// A plain JSON object from an item, with the native mapping. String and
/// number sets become arrays. Fails for binary values (`B`, `BS`) and for
/// numbers that no `i64`, `u64` or `f64` holds exactly: plain JSON has no
/// lossless form for them (use [`item_to_dynamodb_json`](super::item_to_dynamodb_json)).
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
    json_object_ref(item, TOP_LEVEL)
        .map(Value::Object)
        .map_err(|e| JsonError::from_decode(&e))
}
