//! Decoding fuzz test: random `AttributeValue` trees, valid and hostile
//! (every type, malformed and out-of-range numbers, wrong types, nesting far
//! deeper than DynamoDB's 32 levels, huge strings, duplicate set members),
//! fed to `from_item` / `from_attribute` of derived types (flat, nested,
//! with sets, maps, unit enums, options, recursive), `Document`,
//! `serde_json::Value`, the checks of raw values and items, and the
//! DynamoDB-JSON parser (also on corrupted text). None may panic or
//! overflow the stack, and errors about an item name the attribute path.
//!
//! Each property runs `DYNAMO_ORM_FUZZ_CASES` cases (default 256, which
//! keeps this file to a few seconds in a debug build). For a long run:
//!
//! ```text
//! DYNAMO_ORM_FUZZ_CASES=1000000 cargo test --release --test decode_fuzz
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use aws_sdk_dynamodb::primitives::Blob;
use dynamo_orm::json::{item_from_dynamodb_json, item_to_dynamodb_json, item_to_json};
use dynamo_orm::limits::check_item;
use dynamo_orm::value::check_value;
use dynamo_orm::{
    AttributeValue, Document, DynamoAttribute, DynamoItem, FromAttribute, IntoAttribute, Item,
};
use proptest::collection::{hash_map, vec};
use proptest::prelude::*;
use proptest::test_runner::Config;

fn config() -> Config {
    let cases = std::env::var("DYNAMO_ORM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        // Failures are reported with the shrunk case; no regression files.
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------- target types

#[derive(DynamoAttribute, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Color {
    Red,
    Green,
    #[dynamo(rename = "BLUE")]
    Blue,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "flat")]
struct Flat {
    #[dynamo(hash_key)]
    id: String,
    n: i64,
    small: u8,
    big: u128,
    f: f64,
    g: f32,
    ok: bool,
    bytes: Vec<u8>,
    nick: Option<String>,
    when: std::time::SystemTime,
    #[dynamo(default)]
    count: u32,
}

#[derive(DynamoAttribute, Debug, Clone, PartialEq)]
struct Address {
    city: String,
    zip: Option<u32>,
    tags: Vec<String>,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "nested")]
struct Nested {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(range_key)]
    at: i64,
    address: Address,
    past: Vec<Address>,
    by_name: HashMap<String, Address>,
    scores: BTreeMap<String, Vec<Option<i32>>>,
    extra: Option<Box<Address>>,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "sets")]
struct Sets {
    #[dynamo(hash_key)]
    id: String,
    ss: HashSet<String>,
    ns: BTreeSet<i64>,
    us: HashSet<u16>,
    bs: HashSet<Vec<u8>>,
    color: Color,
    colors: HashSet<Color>,
    maybe: Option<Color>,
    json: serde_json::Value,
    decimal: Option<rust_decimal::Decimal>,
    raw: Option<AttributeValue>,
}

#[derive(DynamoAttribute, Debug, Clone, PartialEq)]
struct Node {
    value: u32,
    children: Vec<Node>,
    next: Option<Box<Node>>,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "trees")]
struct Tree {
    #[dynamo(hash_key)]
    id: String,
    root: Node,
}

/// Attribute names of the target types, so that random items hit real
/// fields (with right and wrong types) as well as unknown ones.
const NAMES: &[&str] = &[
    "id", "n", "small", "big", "f", "g", "ok", "bytes", "nick", "when", "count", "at", "address",
    "past", "by_name", "scores", "extra", "city", "zip", "tags", "ss", "ns", "us", "bs", "color",
    "colors", "maybe", "json", "decimal", "raw", "root", "value", "children", "next", "",
];

// ---------------------------------------------------------------- strategies

/// Number texts: valid ones of every form, and what DynamoDB refuses.
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<i64>().prop_map(|v| v.to_string()),
        2 => any::<u128>().prop_map(|v| v.to_string()),
        2 => any::<f64>().prop_map(|v| v.to_string()),
        2 => ("-?[0-9]{0,40}\\.?[0-9]{0,40}", "([eE][+-]?[0-9]{1,12})?")
            .prop_map(|(m, e)| format!("{m}{e}")),
        1 => prop::sample::select(vec![
            "NaN", "-inf", "Infinity", "", "-", ".", "--1", "+-1", " 1", "1 ", "0x10", "1_000",
            "1e", "1e+", "1e999999999999", "0E+99999999999999999999", "1E+126", "1E-131",
            "9.9999999999999999999999999999999999999E+125", "1E-130", "-0", "1.", ".5", "+5",
            "123456789012345678901234567890123456789", "٣",
        ])
        .prop_map(str::to_owned),
        1 => (1usize..1200).prop_map(|n| "7".repeat(n)),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(NAMES).prop_map(str::to_owned),
        2 => "\\PC{0,6}",
        1 => Just("k".repeat(70_000)),
    ]
}

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "\\PC{0,12}",
        2 => prop::sample::select(vec!["Red", "Green", "BLUE", "Blue", "", "null"]).prop_map(str::to_owned),
        2 => "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,15}[Z+0-9:]{0,6}",
        1 => (0usize..300_000).prop_map(|n| "x".repeat(n)),
    ]
}

fn leaf() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        3 => string().prop_map(AttributeValue::S),
        4 => number_text().prop_map(AttributeValue::N),
        1 => vec(any::<u8>(), 0..16).prop_map(|b| AttributeValue::B(Blob::new(b))),
        1 => any::<bool>().prop_map(AttributeValue::Bool),
        1 => any::<bool>().prop_map(AttributeValue::Null),
        // Sets, with duplicates and empty ones.
        1 => vec(string(), 0..4).prop_map(AttributeValue::Ss),
        2 => vec(number_text(), 0..4).prop_map(AttributeValue::Ns),
        1 => vec(vec(any::<u8>(), 0..3).prop_map(Blob::new), 0..4).prop_map(AttributeValue::Bs),
    ]
}

/// `levels` lists and maps around `value` (cheap: one allocation a level).
fn wrap(mut value: AttributeValue, levels: usize, key: &str) -> AttributeValue {
    for i in 0..levels {
        value = if i % 3 == 0 {
            AttributeValue::L(vec![value])
        } else {
            AttributeValue::M(Item::from([(key.to_owned(), value)]))
        };
    }
    value
}

fn attribute_value() -> impl Strategy<Value = AttributeValue> {
    let tree = leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(AttributeValue::L),
            hash_map(name(), inner, 0..6).prop_map(AttributeValue::M),
        ]
    });
    prop_oneof![
        8 => tree,
        // Far deeper than DynamoDB's limit, with real field names on the way.
        1 => (leaf(), 0usize..1500, prop::sample::select(vec!["next", "children", "k", "root"]))
            .prop_map(|(v, levels, key)| wrap(v, levels, key)),
    ]
}

fn item() -> impl Strategy<Value = Item> {
    hash_map(name(), attribute_value(), 0..10)
}

// ---------------------------------------------------------------- checks

/// A decode of a whole item either succeeds or names where it failed.
fn decodes_or_names_path<T: DynamoItem>(item: &Item) -> Result<(), TestCaseError> {
    if let Err(e) = T::from_item(item.clone()) {
        prop_assert!(!e.path().is_empty(), "no path in {e}");
        prop_assert!(!e.to_string().is_empty());
    }
    Ok(())
}

/// Written back, a decoded value is what DynamoDB stores (or a clear error).
fn round_trips<T: DynamoItem + PartialEq + std::fmt::Debug>(
    item: &Item,
) -> Result<(), TestCaseError> {
    if let Ok(value) = T::from_item(item.clone())
        && let Ok(written) = value.to_item()
    {
        let again = T::from_item(written).ok();
        prop_assert_eq!(again.as_ref(), Some(&value));
    }
    Ok(())
}

/// Runs `f` on a 2 MiB stack, as spawned threads have by default.
fn on_small_stack(
    f: impl FnOnce() -> Result<(), TestCaseError> + Send,
) -> Result<(), TestCaseError> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn_scoped(scope, f)
            .map_err(|e| TestCaseError::fail(e.to_string()))?
            .join()
            .map_err(|_| TestCaseError::fail("panicked"))?
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn derived_types_never_panic(item in item()) {
        on_small_stack(|| {
            decodes_or_names_path::<Flat>(&item)?;
            decodes_or_names_path::<Nested>(&item)?;
            decodes_or_names_path::<Sets>(&item)?;
            decodes_or_names_path::<Tree>(&item)?;
            round_trips::<Flat>(&item)?;
            round_trips::<Nested>(&item)?;
            round_trips::<Tree>(&item)?;
            for value in item.values() {
                let _ = Node::from_attribute(value.clone());
                let _ = Address::from_attribute(value.clone());
                let _ = Color::from_attribute(value.clone());
                let _ = Vec::<Option<HashSet<u64>>>::from_attribute(value.clone());
                let _ = HashMap::<String, BTreeSet<String>>::from_attribute(value.clone());
                let _ = <[i8; 2]>::from_attribute(value.clone());
                let _ = std::time::SystemTime::from_attribute(value.clone());
                let _ = chrono::DateTime::<chrono::Utc>::from_attribute(value.clone());
                let _ = dynamo_orm::value::pynamodb::utc_datetime::from_attribute(value.clone());
                let _ = uuid::Uuid::from_attribute(value.clone());
                let _ = time::OffsetDateTime::from_attribute(value.clone());
            }
            Ok(())
        })?;
    }

    #[test]
    fn schemaless_conversions_never_panic(item in item()) {
        on_small_stack(|| {
            let doc = Document::from(item.clone());
            for name in item.keys() {
                let _ = doc.get::<serde_json::Value>(name);
                let _ = doc.get::<Document>(name);
                let _ = doc.get::<f64>(name);
            }
            let _ = Document::try_from_item(item.clone());
            let _ = serde_json::Value::from_attribute(AttributeValue::M(item.clone()));
            if let Err(e) = item_to_json(&item) {
                prop_assert!(!e.path().is_empty(), "no path in {e}");
            }
            match check_item(&item) {
                Err(dynamo_orm::Error::Encode(e)) => {
                    // Names are checked before their values: only an empty or
                    // overlong top-level name is an error about the item.
                    prop_assert!(
                        !e.path().is_empty()
                            || item.keys().any(|k| k.is_empty() || k.len() > 65_535),
                        "no path in {e}"
                    );
                }
                Err(dynamo_orm::Error::ItemTooLarge { .. }) | Ok(_) => {}
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
            for value in item.values() {
                let checked = check_value(value);
                let converted = value.to_attribute();
                prop_assert_eq!(checked.as_ref().err(), converted.as_ref().err());
                if checked.is_ok() {
                    // What the check accepts, a conversion back reads the same.
                    let back = AttributeValue::from_attribute(value.clone()).ok();
                    prop_assert_eq!(back.as_ref(), Some(value));
                }
            }
            Ok(())
        })?;
    }

    #[test]
    fn dynamodb_json_never_panics(item in item(), cut in any::<prop::sample::Index>(), byte in any::<u8>()) {
        on_small_stack(|| {
            let text = item_to_dynamodb_json(&item);
            let valid = item
                .iter()
                .all(|(k, v)| !k.is_empty() && k.len() <= 65_535 && check_value(v).is_ok());
            match item_from_dynamodb_json(&text) {
                Ok(read) => prop_assert_eq!(read, item.clone()),
                Err(e) => {
                    prop_assert!(!valid || text.len() > 100_000, "a valid item was refused: {e}");
                    prop_assert!(!e.message().is_empty());
                }
            }
            // Corrupted: one byte replaced, or the text cut short.
            let mut bytes = text.clone().into_bytes();
            if !bytes.is_empty() {
                let i = cut.index(bytes.len());
                bytes[i] = byte;
                if let Ok(corrupt) = std::str::from_utf8(&bytes) {
                    let _ = item_from_dynamodb_json(corrupt);
                }
                let mut end = cut.index(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                prop_assert!(item_from_dynamodb_json(&text[..end]).is_err());
            }
            Ok(())
        })?;
    }
}
