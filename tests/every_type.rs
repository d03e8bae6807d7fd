//! One struct holding every mapped type, written to and read back from a real
//! DynamoDB Local: what the server stores must read back equal, including the
//! edge values (extremes, empty collections, NULL, nested paths).

mod common;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::primitives::Blob;
use dynamo_orm::{AttributeValue, DynamoAttribute, DynamoItem};

#[derive(DynamoAttribute, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[dynamo(rename_all = "kebab-case")]
enum Level {
    Low,
    VeryHigh,
}

#[derive(DynamoAttribute, Debug, Clone, PartialEq, Default)]
struct Inner {
    label: String,
    weight: Option<f32>,
}

#[derive(DynamoAttribute, Debug, Clone, PartialEq, Default)]
struct Audit {
    created_by: String,
    revision: u16,
}

mod upper {
    use dynamo_orm::{AttributeValue, DecodeError, EncodeError};
    #[allow(clippy::ptr_arg)] // the `with` contract passes `&FieldType`
    pub fn to_attribute(v: &String) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::S(v.to_uppercase()))
    }
    pub fn from_attribute(v: AttributeValue) -> Result<String, DecodeError> {
        match v {
            AttributeValue::S(s) => Ok(s.to_lowercase()),
            other => Err(DecodeError::type_mismatch("S", &other)),
        }
    }
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "every_type", rename_all = "camelCase")]
struct Everything {
    #[dynamo(hash_key)]
    id: uuid::Uuid,
    #[dynamo(range_key)]
    at: chrono::DateTime<chrono::Utc>,
    text: String,
    cow: Cow<'static, str>,
    letter: char,
    i8_: i8,
    i16_: i16,
    i32_: i32,
    i64_: i64,
    i128_: i128,
    isize_: isize,
    u8_: u8,
    u16_: u16,
    u32_: u32,
    u64_: u64,
    u128_: u128,
    usize_: usize,
    f32_: f32,
    f64_: f64,
    tiny: f64,
    flag: bool,
    bytes: Vec<u8>,
    bytes_crate: bytes::Bytes,
    blob: Blob,
    strings: HashSet<String>,
    ordered_strings: BTreeSet<String>,
    numbers: HashSet<i64>,
    big_numbers: BTreeSet<u128>,
    binaries: BTreeSet<Vec<u8>>,
    levels: BTreeSet<Level>,
    empty_set: HashSet<String>,
    list: Vec<i32>,
    deque: VecDeque<String>,
    array: [u8; 3],
    nested_list: Vec<Option<HashMap<String, Vec<i32>>>>,
    map: HashMap<String, f64>,
    btree: BTreeMap<String, Inner>,
    maybe: Option<String>,
    maybe_none: Option<String>,
    level: Level,
    inner: Inner,
    inners: Vec<Inner>,
    system_time: SystemTime,
    date: chrono::NaiveDate,
    offset_time: time::OffsetDateTime,
    decimal: rust_decimal::Decimal,
    decimals: HashSet<rust_decimal::Decimal>,
    json: serde_json::Value,
    raw: AttributeValue,
    #[dynamo(with = upper)]
    shouted: String,
    #[dynamo(rename = "x-legacy name")]
    renamed: u32,
    #[dynamo(default)]
    defaulted: Vec<String>,
    #[dynamo(skip)]
    skipped: u64,
    #[dynamo(flatten)]
    audit: Audit,
    #[dynamo(ttl)]
    expires: Option<SystemTime>,
    #[dynamo(version)]
    version: u32,
}

fn sample() -> Everything {
    Everything {
        id: uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
        at: chrono::DateTime::from_timestamp(1366056668, 123_456_789).unwrap(),
        text: "héllo wörld ✓ \u{1F980}".into(),
        cow: Cow::Borrowed("borrowed"),
        letter: 'ß',
        i8_: i8::MIN,
        i16_: i16::MIN,
        i32_: i32::MIN,
        i64_: i64::MIN,
        i128_: -(10i128.pow(37)) - 12345,
        isize_: isize::MAX,
        u8_: u8::MAX,
        u16_: u16::MAX,
        u32_: u32::MAX,
        u64_: u64::MAX,
        u128_: 10u128.pow(38) - 1,
        usize_: usize::MAX,
        f32_: 0.1,
        f64_: std::f64::consts::PI,
        tiny: 1.5e-120,
        flag: true,
        bytes: vec![0, 1, 2, 255],
        bytes_crate: bytes::Bytes::from_static(b"\x00bytes"),
        blob: Blob::new(vec![9, 8, 7]),
        strings: ["a".to_string(), "b".to_string()].into(),
        ordered_strings: ["x".to_string(), "y".to_string()].into(),
        numbers: [-1, 0, i64::MAX].into(),
        big_numbers: [0, 10u128.pow(30)].into(),
        binaries: [vec![1u8], vec![2, 3]].into(),
        levels: [Level::Low, Level::VeryHigh].into(),
        empty_set: HashSet::new(),
        list: vec![1, -2, 3],
        deque: ["front".to_string(), "back".to_string()].into(),
        array: [4, 5, 6],
        nested_list: vec![
            None,
            Some([("k".to_string(), vec![1, 2])].into()),
            Some(HashMap::new()),
        ],
        map: [("e".to_string(), 2.5), ("neg".to_string(), -0.5)].into(),
        btree: [(
            "first".to_string(),
            Inner {
                label: "one".into(),
                weight: Some(1.25),
            },
        )]
        .into(),
        maybe: Some("here".into()),
        maybe_none: None,
        level: Level::VeryHigh,
        inner: Inner {
            label: "in".into(),
            weight: None,
        },
        inners: vec![
            Inner::default(),
            Inner {
                label: "second".into(),
                weight: Some(-2.5),
            },
        ],
        system_time: UNIX_EPOCH + Duration::new(1_366_056_668, 500_000_000),
        date: chrono::NaiveDate::from_ymd_opt(2013, 4, 15).unwrap(),
        offset_time: time::OffsetDateTime::from_unix_timestamp_nanos(1_366_056_668_000_000_001)
            .unwrap(),
        decimal: "12345678901234567890.123456789".parse().unwrap(),
        decimals: ["1.5".parse().unwrap(), "-2".parse().unwrap()].into(),
        json: serde_json::json!({"a": [1, "two", null, true, {"b": 2.5}], "c": -7}),
        raw: AttributeValue::Ns(vec!["1".into(), "2".into()]),
        shouted: "quiet".into(),
        renamed: 7,
        defaulted: vec!["d".into()],
        skipped: 0,
        audit: Audit {
            created_by: "me".into(),
            revision: 3,
        },
        expires: Some(UNIX_EPOCH + Duration::from_secs(2_000_000_000)),
        version: 0,
    }
}

#[tokio::test]
async fn every_type_round_trips_through_dynamodb_local() {
    let table = common::fresh_table::<Everything>().await;
    let mut item = sample();
    table.put(&mut item).await.unwrap();
    assert_eq!(item.version, 1);
    let key = item.key();
    let stored = table.get(key.clone()).consistent().await.unwrap().unwrap();
    assert_eq!(stored, item);

    // What the server holds, raw: the stored forms the README promises.
    let raw = table
        .client()
        .get_item()
        .table_name(table.name())
        .set_key(Some(dynamo_orm::PrimaryKey::to_key_item(&key).unwrap()))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(
        raw["u128"],
        AttributeValue::N("99999999999999999999999999999999999999".into())
    );
    assert_eq!(raw["shouted"], AttributeValue::S("QUIET".into()));
    assert_eq!(raw["level"], AttributeValue::S("very-high".into()));
    assert_eq!(raw["systemTime"], AttributeValue::N("1366056668.5".into()));
    assert_eq!(
        raw["at"],
        AttributeValue::S("2013-04-15T20:11:08.123456789Z".into())
    );
    assert!(matches!(raw["bytes"], AttributeValue::B(_)));
    assert!(matches!(raw["levels"], AttributeValue::Ss(_)));
    assert!(matches!(raw["binaries"], AttributeValue::Bs(_)));
    assert!(matches!(raw["decimals"], AttributeValue::Ns(_)));
    assert!(matches!(raw["json"], AttributeValue::M(_)));
    assert!(raw.contains_key("x-legacy name"));
    assert!(
        raw.contains_key("created_by"),
        "flattened fields sit at the top level, named by their own struct"
    );
    assert!(!raw.contains_key("emptySet"), "empty sets are left out");
    assert!(!raw.contains_key("maybeNone"), "None is left out");
    assert!(!raw.contains_key("skipped"));
    assert_eq!(raw["version"], AttributeValue::N("1".into()));

    // A stored NULL reads as None; a missing #[dynamo(default)] reads as Default.
    table
        .client()
        .update_item()
        .table_name(table.name())
        .set_key(Some(dynamo_orm::PrimaryKey::to_key_item(&key).unwrap()))
        .update_expression("SET #m = :null REMOVE #d")
        .expression_attribute_names("#m", "maybe")
        .expression_attribute_names("#d", "defaulted")
        .expression_attribute_values(":null", AttributeValue::Null(true))
        .send()
        .await
        .unwrap();
    let again = table.get(key).consistent().await.unwrap().unwrap();
    assert_eq!(again.maybe, None);
    assert!(again.defaulted.is_empty());
}
