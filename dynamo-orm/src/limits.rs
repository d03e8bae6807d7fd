//! DynamoDB's limits, checked before a request is sent.
//!
//! Item sizes are counted the way DynamoDB counts them (measured against
//! DynamoDB Local at the 409,600-byte boundary):
//!
//! | part | bytes |
//! |---|---|
//! | attribute name, map key | its UTF-8 length |
//! | `S` | UTF-8 length |
//! | `B` | length |
//! | `N` | 1 + one per pair of digits, paired from the decimal point without leading and trailing zero pairs; +1 when negative; zero is 1 |
//! | `BOOL`, `NULL` | 1 |
//! | `SS`, `NS`, `BS` | the sum of the members |
//! | `L` | 3 + per element 1 + its size |
//! | `M` | 3 + per entry 1 + key + value size |

use crate::error::{EncodeError, Error};
use crate::value::check::{check_name, empty_set, too_deep};
use crate::value::number;
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
pub use crate::value::check::{MAX_NAME_LENGTH, MAX_NESTING_DEPTH};

/// The size DynamoDB counts for an item (see the table in the [module
/// docs](self)): names plus values, numbers in base 100, 3 bytes of overhead
/// per list or map and 1 per element.
///
/// ```
/// use dynamo_orm::{limits::item_size, AttributeValue, Item};
/// let mut item = Item::new();
/// item.insert("name".into(), AttributeValue::S("john".into()));
/// item.insert("n".into(), AttributeValue::N("1000000".into())); // one base-100 digit + 1
/// item.insert("x".into(), AttributeValue::N("-1.5".into())); // two digits + 1 + 1 for the sign
/// assert_eq!(item_size(&item), 8 + 3 + 5);
/// ```
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + value_size(v)).sum()
}

/// The size DynamoDB counts for one attribute value, without its name.
///
/// ```
/// use dynamo_orm::{limits::value_size, AttributeValue};
/// assert_eq!(value_size(&AttributeValue::N("1.5".into())), 3);
/// assert_eq!(value_size(&AttributeValue::L(vec![AttributeValue::Bool(true)])), 3 + 1 + 1);
/// ```
pub fn value_size(v: &AttributeValue) -> usize {
    match v {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number::size(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::Ss(l) => l.iter().map(String::len).sum(),
        AttributeValue::Ns(l) => l.iter().map(|n| number::size(n)).sum(),
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

/// Checks an item before it is written, in one walk: its size (returned)
/// against the 400 KB limit, its nesting against [`MAX_NESTING_DEPTH`],
/// attribute names and map keys (not empty, at most 64 KB), numbers (what
/// DynamoDB stores: see [`check_value`](crate::value::check_value)) and sets
/// (not empty). Duplicate set members are left to
/// [`check_value`](crate::value::check_value), where raw values enter.
///
/// ```
/// use dynamo_orm::{limits::check_item, AttributeValue, Error, Item};
///
/// let mut item = Item::new();
/// item.insert("id".into(), AttributeValue::S("1".into()));
/// assert_eq!(check_item(&item)?, 3);
///
/// item.insert("big".into(), AttributeValue::S("x".repeat(400 * 1024)));
/// assert!(matches!(check_item(&item), Err(Error::ItemTooLarge { .. })));
///
/// let mut deep = AttributeValue::S("x".into());
/// for _ in 0..32 {
///     deep = AttributeValue::L(vec![deep]);
/// }
/// let item = Item::from([("deep".to_owned(), deep)]);
/// let Err(Error::Encode(err)) = check_item(&item) else { panic!() };
/// assert!(err.path().to_string().starts_with("deep[0][0]"));
/// # Ok::<(), Error>(())
/// ```
pub fn check_item(item: &Item) -> Result<usize, Error> {
    let mut size = 0;
    for (name, value) in item {
        check_name(name)?;
        size += name.len() + checked_size(value, 2).map_err(|e| e.in_field(name))?;
    }
    if size > MAX_ITEM_SIZE {
        return Err(Error::ItemTooLarge {
            size,
            limit: MAX_ITEM_SIZE,
        });
    }
    Ok(size)
}

/// Refuses an item [`check_item`] refuses.
///
/// ```
/// use dynamo_orm::{limits::check_item_size, AttributeValue, Item};
/// let item = Item::from([("n".to_owned(), AttributeValue::N("1".into()))]);
/// assert!(check_item_size(&item).is_ok());
/// ```
pub fn check_item_size(item: &Item) -> Result<(), Error> {
    check_item(item).map(drop)
}

/// The size of a value at nesting `level` (a top-level attribute's value is
/// at level 2), refusing what DynamoDB would refuse.
fn checked_size(v: &AttributeValue, level: usize) -> Result<usize, EncodeError> {
    Ok(match v {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number::check(n)?.size(),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::Ss(l) => {
            if l.is_empty() {
                return Err(empty_set("SS"));
            }
            l.iter().map(String::len).sum()
        }
        AttributeValue::Ns(l) => {
            if l.is_empty() {
                return Err(empty_set("NS"));
            }
            let mut size = 0;
            for (i, n) in l.iter().enumerate() {
                size += number::check(n).map_err(|e| e.at_index(i))?.size();
            }
            size
        }
        AttributeValue::Bs(l) => {
            if l.is_empty() {
                return Err(empty_set("BS"));
            }
            l.iter().map(|b| b.as_ref().len()).sum()
        }
        AttributeValue::L(l) => {
            if level > MAX_NESTING_DEPTH {
                return Err(too_deep());
            }
            let mut size = 3 + l.len();
            for (i, v) in l.iter().enumerate() {
                size += checked_size(v, level + 1).map_err(|e| e.at_index(i))?;
            }
            size
        }
        AttributeValue::M(m) => {
            if level > MAX_NESTING_DEPTH {
                return Err(too_deep());
            }
            let mut size = 3 + m.len();
            for (k, v) in m {
                check_name(k)?;
                size += k.len() + checked_size(v, level + 1).map_err(|e| e.in_field(k))?;
            }
            size
        }
        _ => return Err(crate::value::unknown_type()),
    })
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
    use aws_sdk_dynamodb::primitives::Blob;

    use super::*;
    use crate::error::EncodeErrorKind;

    fn one(name: &str, v: AttributeValue) -> Item {
        Item::from([(name.to_owned(), v)])
    }

    fn s(x: &str) -> AttributeValue {
        AttributeValue::S(x.to_owned())
    }

    /// Sizes DynamoDB Local counts, measured at the 409,600-byte limit.
    #[test]
    fn sizes_as_dynamodb_counts_them() {
        let n = |t: &str| AttributeValue::N(t.to_owned());
        let cases: Vec<(AttributeValue, usize)> = vec![
            (s(""), 0),
            (s("é"), 2),
            (s("😀"), 4),
            (n("1.5"), 3),
            (n("1000000"), 2),
            (n("-1"), 3),
            (AttributeValue::B(Blob::new(vec![1; 10])), 10),
            (AttributeValue::Bool(false), 1),
            (AttributeValue::Null(true), 1),
            (
                AttributeValue::Ss(vec!["a".into(), "bb".into(), "ccc".into()]),
                6,
            ),
            (AttributeValue::Ns(vec!["1.5".into(), "1000000".into()]), 5),
            (
                AttributeValue::Bs(vec![Blob::new(vec![1]), Blob::new(vec![2, 2])]),
                3,
            ),
            (AttributeValue::L(vec![]), 3),
            (AttributeValue::L(vec![s("a"), s("b")]), 7),
            (AttributeValue::L(vec![n("1")]), 6),
            (AttributeValue::L(vec![AttributeValue::L(vec![])]), 7),
            (AttributeValue::M(Item::new()), 3),
            (AttributeValue::M(one("ab", s("c"))), 7),
            (AttributeValue::M(one("é", s("b"))), 7),
            (
                AttributeValue::M(Item::from([("a".into(), s("b")), ("c".into(), s("d"))])),
                9,
            ),
            (
                AttributeValue::M(one("a", AttributeValue::M(Item::new()))),
                8,
            ),
        ];
        for (value, want) in cases {
            assert_eq!(value_size(&value), want, "{value:?}");
            let item = one("é", value.clone());
            assert_eq!(item_size(&item), 2 + want, "{value:?}");
            assert_eq!(check_item(&item).unwrap(), 2 + want, "{value:?}");
        }
    }

    #[test]
    fn the_limit_is_inclusive() {
        let mut item = one("pk", s("k"));
        item.insert("f".into(), s(&"x".repeat(MAX_ITEM_SIZE - 4)));
        assert_eq!(check_item(&item).unwrap(), MAX_ITEM_SIZE);
        item.insert("f".into(), s(&"x".repeat(MAX_ITEM_SIZE - 3)));
        let Err(Error::ItemTooLarge { size, limit }) = check_item(&item) else {
            panic!("over the limit");
        };
        assert_eq!((size, limit), (MAX_ITEM_SIZE + 1, MAX_ITEM_SIZE));
        assert!(check_item_size(&item).is_err());
    }

    fn nested(containers: usize, map: bool) -> AttributeValue {
        let mut v = s("x");
        for _ in 0..containers {
            v = if map {
                AttributeValue::M(one("a", v))
            } else {
                AttributeValue::L(vec![v])
            };
        }
        v
    }

    fn encode_error(item: &Item) -> EncodeError {
        match check_item(item) {
            Err(Error::Encode(e)) => e,
            other => panic!("expected an encode error, got {other:?}"),
        }
    }

    /// DynamoDB Local stores 31 lists or maps one inside the other in an
    /// attribute, and refuses 32 (also when the innermost is empty).
    #[test]
    fn nesting_limit() {
        for map in [false, true] {
            assert!(check_item(&one("a", nested(31, map))).is_ok());
            let err = encode_error(&one("a", nested(32, map)));
            assert_eq!(err.kind(), &EncodeErrorKind::TooDeep { limit: 32 });
            let path = err.path().to_string();
            assert_eq!(
                path.matches(if map { ".a" } else { "[0]" }).count(),
                31,
                "{path}"
            );
        }
        let mut v = AttributeValue::M(Item::new());
        for _ in 0..31 {
            v = AttributeValue::M(one("a", v));
        }
        assert!(check_item(&one("a", v)).is_err());
        // A thousand levels: refused without walking them all.
        assert!(check_item(&one("a", nested(1000, true))).is_err());
    }

    #[test]
    fn refuses_what_dynamodb_refuses() {
        let cases: Vec<(Item, &str)> = vec![
            (one("", s("x")), "<item>"),
            (one("a", AttributeValue::M(one("", s("x")))), "a"),
            (one(&"k".repeat(MAX_NAME_LENGTH + 1), s("x")), "<item>"),
            (one("a", AttributeValue::N("NaN".into())), "a"),
            (
                one(
                    "a",
                    AttributeValue::L(vec![AttributeValue::N("1e126".into())]),
                ),
                "a[0]",
            ),
            (
                one("a", AttributeValue::Ns(vec!["1".into(), "x".into()])),
                "a[1]",
            ),
            (one("a", AttributeValue::Ss(vec![])), "a"),
            (one("a", AttributeValue::Ns(vec![])), "a"),
            (one("a", AttributeValue::Bs(vec![])), "a"),
        ];
        for (item, path) in cases {
            let err = encode_error(&item);
            assert_eq!(err.path().to_string(), path, "{err}");
        }
        assert!(check_item(&one(&"k".repeat(MAX_NAME_LENGTH), s("x"))).is_ok());
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
