//! The identity of an item's key within one request: DynamoDB refuses a
//! batch or a transaction that names one item twice, and `1`, `1.0` and `1E0`
//! are one number to it.

use std::sync::Arc;

use super::target::KeyNames;
use crate::AttributeValue;
use crate::Item;
use crate::error::{Error, Result};
use crate::limits::check_key_value;
use crate::value::number;

/// A key's identity: table name, then each key attribute's type and canonical value.
pub(crate) type KeyId = Arc<[u8]>;

/// The key identity of an item or key map for `table`; refuses missing,
/// empty and non-scalar key values.
pub(crate) fn key_id(table: &str, keys: &KeyNames, item: &Item) -> Result<KeyId> {
    let mut out = Vec::with_capacity(table.len() + 48);
    out.extend_from_slice(table.as_bytes());
    out.push(0);
    push_key_part(&mut out, &keys.hash, item.get(&keys.hash))?;
    if let Some(range) = &keys.range {
        push_key_part(&mut out, range, item.get(range))?;
    }
    Ok(out.into())
}

fn push_key_part(out: &mut Vec<u8>, name: &str, value: Option<&AttributeValue>) -> Result<()> {
    check_key_value(name, value)?;
    let (tag, bytes): (u8, std::borrow::Cow<'_, [u8]>) = match value {
        Some(AttributeValue::S(s)) => (b'S', s.as_bytes().into()),
        Some(AttributeValue::B(b)) => (b'B', b.as_ref().into()),
        Some(AttributeValue::N(n)) => match number::canonical(n) {
            Some(c) => (b'N', c.into_bytes().into()),
            // Not a number: DynamoDB will refuse it; keep it distinct meanwhile.
            None => (b'n', n.as_bytes().into()),
        },
        Some(other) => {
            return Err(Error::Validation(format!(
                "key attribute `{name}` is of type {}; keys are S, N or B",
                crate::value::type_name(other)
            )));
        }
        None => {
            return Err(Error::Validation(format!(
                "key attribute `{name}` is missing"
            )));
        }
    };
    out.push(tag);
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(&bytes);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(range: bool) -> KeyNames {
        KeyNames {
            hash: "pk".into(),
            range: range.then(|| "sk".into()),
        }
    }

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn key_identity() {
        let k = keys(true);
        let a = item(&[
            ("pk", AttributeValue::S("a".into())),
            ("sk", AttributeValue::N("1".into())),
            ("other", AttributeValue::S("x".into())),
        ]);
        let b = item(&[
            ("pk", AttributeValue::S("a".into())),
            ("sk", AttributeValue::N("1.0".into())),
        ]);
        let c = item(&[
            ("pk", AttributeValue::S("a".into())),
            ("sk", AttributeValue::N("2".into())),
        ]);
        assert_eq!(key_id("t", &k, &a).unwrap(), key_id("t", &k, &b).unwrap());
        assert_ne!(key_id("t", &k, &a).unwrap(), key_id("t", &k, &c).unwrap());
        assert_ne!(key_id("t", &k, &a).unwrap(), key_id("u", &k, &a).unwrap());
        // No ambiguity between a string key and a binary key with the same bytes.
        let s = item(&[("pk", AttributeValue::S("ab".into()))]);
        let bin = item(&[("pk", AttributeValue::B(b"ab".to_vec().into()))]);
        assert_ne!(
            key_id("t", &keys(false), &s).unwrap(),
            key_id("t", &keys(false), &bin).unwrap()
        );
    }

    #[test]
    fn bad_keys_are_refused() {
        let k = keys(true);
        let empty = item(&[
            ("pk", AttributeValue::S(String::new())),
            ("sk", AttributeValue::N("1".into())),
        ]);
        assert!(matches!(key_id("t", &k, &empty), Err(Error::Validation(_))));
        let missing = item(&[("pk", AttributeValue::S("a".into()))]);
        assert!(matches!(
            key_id("t", &k, &missing),
            Err(Error::Validation(_))
        ));
        let boolean = item(&[
            ("pk", AttributeValue::Bool(true)),
            ("sk", AttributeValue::N("1".into())),
        ]);
        assert!(matches!(
            key_id("t", &k, &boolean),
            Err(Error::Validation(_))
        ));
    }
}
