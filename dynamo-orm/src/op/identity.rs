//! The identity of an item's key within one request: DynamoDB refuses a
//! batch or a transaction that names one item twice, and `1`, `1.0` and `1E0`
//! are one number to it.

use std::sync::Arc;

use super::target::KeyNames;
use crate::AttributeValue;
use crate::Item;
use crate::error::{Error, Result};
use crate::limits::check_key_value;

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
        Some(AttributeValue::N(n)) => match canonical_number(n) {
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

/// A number as sign, significant digits and exponent: `"-1.50E+2"` -> `"-15e1"`.
pub(crate) fn canonical_number(n: &str) -> Option<String> {
    let s = n.trim();
    let (negative, s) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i64>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits: String = int.chars().chain(frac.chars()).collect();
    let mut exponent = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some("0".into());
    }
    let trimmed = digits.trim_end_matches('0');
    exponent = exponent.checked_add(i64::try_from(digits.len() - trimmed.len()).ok()?)?;
    Some(format!(
        "{}{trimmed}e{exponent}",
        if negative { "-" } else { "" }
    ))
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
    fn numbers_are_canonical() {
        let c = |s| canonical_number(s).unwrap();
        assert_eq!(c("1"), c("1.0"));
        assert_eq!(c("1"), c("1E0"));
        assert_eq!(c("150"), c("1.5e2"));
        assert_eq!(c("150"), c("+0150.000"));
        assert_eq!(c("0"), c("-0.00"));
        assert_eq!(c("-0.015"), c("-1.5E-2"));
        assert_ne!(c("15"), c("150"));
        assert_ne!(c("-1"), c("1"));
        assert_eq!(canonical_number("abc"), None);
        assert_eq!(canonical_number("."), None);
        assert_eq!(canonical_number("1e"), None);
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
