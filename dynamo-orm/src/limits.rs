//! DynamoDB's limits, checked before a request is sent.

use crate::error::Error;
use crate::{AttributeValue, Item};

/// The largest item DynamoDB stores: 400 KB.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;
/// Items in one `BatchWriteItem` request.
pub const MAX_BATCH_WRITE: usize = 25;
/// Keys in one `BatchGetItem` request.
pub const MAX_BATCH_GET: usize = 100;
/// Items in one transaction.
pub const MAX_TRANSACTION_ITEMS: usize = 100;
/// Values in one `IN` list.
pub const MAX_IN_VALUES: usize = 100;

/// The size DynamoDB counts for an item: attribute names plus values
/// (strings and binaries by length, numbers by digits, 3 bytes of overhead per
/// list or map and 1 per element).
///
/// ```
/// use dynamo_orm::{limits::item_size, AttributeValue, Item};
/// let mut item = Item::new();
/// item.insert("name".into(), AttributeValue::S("john".into()));
/// assert_eq!(item_size(&item), 8);
/// ```
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + value_size(v)).sum()
}

fn number_size(n: &str) -> usize {
    let digits = n.bytes().filter(u8::is_ascii_digit).count();
    digits.div_ceil(2) + 1
}

fn value_size(v: &AttributeValue) -> usize {
    match v {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::Ss(l) => l.iter().map(String::len).sum(),
        AttributeValue::Ns(l) => l.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(l) => l.iter().map(|b| b.as_ref().len()).sum(),
        AttributeValue::L(l) => 3 + l.iter().map(|v| 1 + value_size(v)).sum::<usize>(),
        AttributeValue::M(m) => {
            3 + m
                .iter()
                .map(|(k, v)| 1 + k.len() + value_size(v))
                .sum::<usize>()
        }
        _ => 0,
    }
}

/// Refuses an item over 400 KB before it is sent.
pub fn check_item_size(item: &Item) -> Result<(), Error> {
    let size = item_size(item);
    if size > MAX_ITEM_SIZE {
        return Err(Error::ItemTooLarge {
            size,
            limit: MAX_ITEM_SIZE,
        });
    }
    Ok(())
}

/// Refuses empty string or binary key values, which DynamoDB rejects.
pub fn check_key_value(name: &str, value: Option<&AttributeValue>) -> Result<(), Error> {
    match value {
        None => Err(Error::Validation(format!(
            "key attribute `{name}` is missing"
        ))),
        Some(AttributeValue::S(s)) if s.is_empty() => Err(Error::Validation(format!(
            "key attribute `{name}` is an empty string; DynamoDB keys cannot be empty"
        ))),
        Some(AttributeValue::B(b)) if b.as_ref().is_empty() => Err(Error::Validation(format!(
            "key attribute `{name}` is empty binary; DynamoDB keys cannot be empty"
        ))),
        Some(_) => Ok(()),
    }
}

/// Refuses a table or index name DynamoDB would reject: 3 to 255 characters
/// of `A-Z a-z 0-9 _ - .`.
pub fn check_table_name(name: &str) -> Result<(), Error> {
    let ok = (3..=255).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(Error::Validation(format!(
            "invalid table name {name:?}: use 3 to 255 characters of A-Z, a-z, 0-9, '_', '-', '.'"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        let mut item = Item::new();
        item.insert("n".into(), AttributeValue::N("12345".into()));
        assert_eq!(item_size(&item), 1 + 4);
        item.insert("big".into(), AttributeValue::S("x".repeat(MAX_ITEM_SIZE)));
        assert!(matches!(
            check_item_size(&item),
            Err(Error::ItemTooLarge { .. })
        ));
    }

    #[test]
    fn names_and_keys() {
        assert!(check_table_name("users").is_ok());
        assert!(check_table_name("ab").is_err());
        assert!(check_table_name("users table").is_err());
        assert!(check_key_value("k", Some(&AttributeValue::S(String::new()))).is_err());
        assert!(check_key_value("k", None).is_err());
        assert!(check_key_value("k", Some(&AttributeValue::N("1".into()))).is_ok());
    }
}
