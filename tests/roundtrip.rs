//! Property tests: every supported type survives `to_attribute` →
//! `from_attribute` unchanged, DynamoDB-JSON text survives a write and a
//! read, and decode errors name the path, the expected and the found type.
//!
//! No derive here on purpose: these pin the conversions the derive builds on.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Debug;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::primitives::Blob;
use dynamo_orm::json::{
    dynamodb_json_lines, item_from_dynamodb_json, item_from_json, item_to_dynamodb_json,
    item_to_json, value_from_dynamodb_json, value_to_dynamodb_json,
};
use dynamo_orm::value::check_value;
use dynamo_orm::{
    AttributeMap, AttributeValue, DecodeError, DecodeErrorKind, Document, EncodeErrorKind,
    FromAttribute, IntoAttribute, Item,
};
use proptest::collection::{btree_map, btree_set, hash_map, hash_set, vec, vec_deque};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

// ---------------------------------------------------------------- helpers

/// Encodes and decodes, failing the case (not panicking) on either error.
fn round_trip<T: IntoAttribute + FromAttribute + Debug>(value: &T) -> Result<T, TestCaseError> {
    let av = value
        .to_attribute()
        .map_err(|e| TestCaseError::fail(format!("encoding {value:?}: {e}")))?;
    T::from_attribute(av.clone())
        .map_err(|e| TestCaseError::fail(format!("decoding {av:?} (from {value:?}): {e}")))
}

macro_rules! assert_round_trip {
    ($value:expr) => {{
        let value = $value;
        let back = round_trip(&value)?;
        prop_assert_eq!(back, value);
    }};
}

fn significant_digits(text: &str) -> usize {
    text.trim_start_matches('-').trim_end_matches('0').len()
}

// ---------------------------------------------------------------- integers

macro_rules! integers {
    ($($name:ident: $t:ty),* $(,)?) => {
        proptest! {$(
            #[test]
            fn $name(v in any::<$t>()) {
                let av = v.to_attribute().unwrap();
                prop_assert_eq!(&av, &AttributeValue::N(v.to_string()));
                prop_assert_eq!(<$t>::from_attribute(av).unwrap(), v);
            }
        )*}
    };
}

integers!(
    i8_full_range: i8,
    i16_full_range: i16,
    i32_full_range: i32,
    i64_full_range: i64,
    isize_full_range: isize,
    u8_full_range: u8,
    u16_full_range: u16,
    u32_full_range: u32,
    u64_full_range: u64,
    usize_full_range: usize,
);

#[test]
fn integer_extremes() {
    macro_rules! extremes {
        ($($t:ty),*) => {$(
            for v in [<$t>::MIN, <$t>::MAX, 0 as $t] {
                assert_eq!(<$t>::from_attribute(v.to_attribute().unwrap()).unwrap(), v);
            }
        )*};
    }
    extremes!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
}

/// The largest integer with 38 digits.
const MAX_38: i128 = 99_999_999_999_999_999_999_999_999_999_999_999_999;

proptest! {
    #[test]
    fn i128_within_38_digits(v in -MAX_38..=MAX_38) {
        assert_round_trip!(v);
    }

    #[test]
    fn u128_within_38_digits(v in 0..=MAX_38 as u128) {
        assert_round_trip!(v);
    }

    #[test]
    fn i128_beyond_38_digits_is_refused(
        v in (MAX_38 + 1..=i128::MAX).prop_filter("39 significant digits", |v| v % 10 != 0),
        negative in any::<bool>(),
    ) {
        let v = if negative { -v } else { v };
        let err = v.to_attribute().unwrap_err();
        prop_assert!(matches!(err.kind(), EncodeErrorKind::NumberOutOfRange(t) if *t == v.to_string()));
    }

    #[test]
    fn u128_beyond_38_digits_is_refused(
        v in (MAX_38 as u128 + 1..=u128::MAX).prop_filter("39 significant digits", |v| v % 10 != 0),
    ) {
        prop_assert!(v.to_attribute().is_err());
    }

    /// Over the whole range: stored exactly when DynamoDB can hold it
    /// (trailing zeros do not count: 10^38 is one significant digit).
    #[test]
    fn i128_any(v in any::<i128>()) {
        match v.to_attribute() {
            Ok(av) => {
                prop_assert!(significant_digits(&v.to_string()) <= 38);
                prop_assert_eq!(i128::from_attribute(av).unwrap(), v);
            }
            Err(_) => prop_assert!(significant_digits(&v.to_string()) > 38),
        }
    }
}

// ---------------------------------------------------------------- floats

fn in_dynamodb_range(abs: f64) -> bool {
    abs == 0.0 || (1e-130..1e126).contains(&abs)
}

proptest! {
    #[test]
    fn f64_bit_exact_or_refused(v in proptest::num::f64::ANY) {
        let storable = v.is_finite() && in_dynamodb_range(v.abs());
        match v.to_attribute() {
            Ok(av) => {
                prop_assert!(storable, "{v:e} should be refused");
                let back = f64::from_attribute(av).unwrap();
                prop_assert_eq!(back.to_bits(), v.to_bits());
            }
            Err(e) => {
                prop_assert!(!storable, "{v:e} refused: {e}");
                let expected = if v.is_finite() {
                    matches!(e.kind(), EncodeErrorKind::NumberOutOfRange(_))
                } else {
                    matches!(e.kind(), EncodeErrorKind::NonFiniteNumber)
                };
                prop_assert!(expected, "{v:e}: {e:?}");
            }
        }
    }

    #[test]
    fn f64_normal_values_round_trip(
        v in (proptest::num::f64::NORMAL | proptest::num::f64::ZERO)
            .prop_filter("DynamoDB range", |v| in_dynamodb_range(v.abs())),
    ) {
        let back = round_trip(&v)?;
        prop_assert_eq!(back.to_bits(), v.to_bits());
    }

    /// Every finite f32 is inside DynamoDB's range.
    #[test]
    fn f32_bit_exact_or_refused(v in proptest::num::f32::ANY) {
        match v.to_attribute() {
            Ok(av) => {
                prop_assert!(v.is_finite());
                prop_assert_eq!(f32::from_attribute(av).unwrap().to_bits(), v.to_bits());
            }
            Err(e) => {
                prop_assert!(!v.is_finite(), "{v:e} refused: {e}");
                prop_assert!(matches!(e.kind(), EncodeErrorKind::NonFiniteNumber));
            }
        }
    }
}

#[test]
fn nan_and_infinities_are_refused() {
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -f64::NAN] {
        let err = v.to_attribute().unwrap_err();
        assert_eq!(err.kind(), &EncodeErrorKind::NonFiniteNumber);
    }
    for v in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        assert_eq!(
            v.to_attribute().unwrap_err().kind(),
            &EncodeErrorKind::NonFiniteNumber
        );
    }
    // Nor are they read back from text another client wrote.
    for text in ["NaN", "inf", "-Infinity", "1e400"] {
        assert!(
            f64::from_attribute(AttributeValue::N(text.into())).is_err(),
            "{text}"
        );
    }
}

// ---------------------------------------------------------------- strings, bool, binary

proptest! {
    #[test]
    fn strings(v in any::<String>()) {
        prop_assert_eq!(v.to_attribute().unwrap(), AttributeValue::S(v.clone()));
        assert_round_trip!(v);
    }

    #[test]
    fn chars(v in any::<char>()) {
        assert_round_trip!(v);
    }

    #[test]
    fn bools(v in any::<bool>()) {
        assert_round_trip!(v);
    }

    #[test]
    fn byte_vectors_are_binary(v in vec(any::<u8>(), 0..64)) {
        prop_assert_eq!(v.to_attribute().unwrap(), AttributeValue::B(Blob::new(v.clone())));
        assert_round_trip!(v);
    }

    #[test]
    fn bytes(v in vec(any::<u8>(), 0..64)) {
        assert_round_trip!(bytes::Bytes::from(v));
    }

    #[test]
    fn blobs(v in vec(any::<u8>(), 0..64)) {
        assert_round_trip!(Blob::new(v));
    }
}

// ---------------------------------------------------------------- sets

fn check_empty_set<T>() -> Result<(), TestCaseError>
where
    T: IntoAttribute + FromAttribute + Default + PartialEq + Debug,
{
    let empty = T::default();
    prop_assert!(empty.is_absent(), "an empty set is left out of items");
    // Inside lists and maps it is NULL, which reads back empty.
    prop_assert_eq!(empty.to_attribute().unwrap(), AttributeValue::Null(true));
    prop_assert_eq!(
        T::from_attribute(AttributeValue::Null(true)).unwrap(),
        T::default()
    );
    prop_assert_eq!(T::from_absent(), Some(T::default()));
    Ok(())
}

proptest! {
    #[test]
    fn string_sets(h in hash_set(any::<String>(), 0..8), b in btree_set(any::<String>(), 0..8)) {
        if !h.is_empty() {
            prop_assert!(matches!(h.to_attribute().unwrap(), AttributeValue::Ss(ref l) if l.len() == h.len()));
        }
        assert_round_trip!(h);
        assert_round_trip!(b);
    }

    #[test]
    fn number_sets(h in hash_set(any::<i64>(), 0..8), b in btree_set(any::<i64>(), 0..8)) {
        if !b.is_empty() {
            prop_assert!(matches!(b.to_attribute().unwrap(), AttributeValue::Ns(_)));
        }
        assert_round_trip!(h);
        assert_round_trip!(b);
    }

    #[test]
    fn binary_sets(
        h in hash_set(vec(any::<u8>(), 0..16), 0..8),
        b in btree_set(vec(any::<u8>(), 0..16), 0..8),
    ) {
        if !h.is_empty() {
            prop_assert!(matches!(h.to_attribute().unwrap(), AttributeValue::Bs(_)));
        }
        assert_round_trip!(h);
        assert_round_trip!(b);
    }
}

#[test]
fn empty_sets_are_absent_and_read_back_empty() -> Result<(), TestCaseError> {
    check_empty_set::<HashSet<String>>()?;
    check_empty_set::<BTreeSet<String>>()?;
    check_empty_set::<HashSet<i64>>()?;
    check_empty_set::<BTreeSet<i64>>()?;
    check_empty_set::<HashSet<Vec<u8>>>()?;
    check_empty_set::<BTreeSet<Vec<u8>>>()?;
    check_empty_set::<HashSet<uuid::Uuid>>()?;
    check_empty_set::<BTreeSet<rust_decimal::Decimal>>()?;
    Ok(())
}

// ---------------------------------------------------------------- lists, maps, options

proptest! {
    #[test]
    fn lists(a in vec(any::<i32>(), 0..16), b in vec(any::<String>(), 0..8), c in vec(vec(any::<u8>(), 0..4), 0..4)) {
        prop_assert!(matches!(a.to_attribute().unwrap(), AttributeValue::L(ref l) if l.len() == a.len()));
        assert_round_trip!(a);
        assert_round_trip!(b);
        assert_round_trip!(c);
    }

    #[test]
    fn deques(a in vec_deque(any::<i64>(), 0..16), b in vec_deque(any::<Option<String>>(), 0..8)) {
        assert_round_trip!(a);
        assert_round_trip!(b);
    }

    #[test]
    fn maps(
        a in hash_map(any::<String>(), any::<i64>(), 0..8),
        b in btree_map(any::<String>(), any::<String>(), 0..8),
        // `None` values and empty sets inside a map are kept (as NULL).
        c in btree_map(any::<String>(), any::<Option<u16>>(), 0..8),
        d in hash_map(any::<String>(), hash_set(any::<String>(), 0..3), 0..6),
    ) {
        assert_round_trip!(a);
        assert_round_trip!(b);
        assert_round_trip!(c);
        assert_round_trip!(d);
    }

    #[test]
    fn options(v in any::<Option<String>>(), n in any::<Option<i64>>()) {
        prop_assert_eq!(v.is_absent(), v.is_none());
        assert_round_trip!(v);
        assert_round_trip!(n);
    }

    #[test]
    fn none_inside_a_list_is_null(v in vec(any::<Option<i32>>(), 0..16)) {
        let av = v.to_attribute().unwrap();
        let AttributeValue::L(list) = &av else {
            return Err(TestCaseError::fail(format!("not a list: {av:?}")));
        };
        for (element, original) in list.iter().zip(&v) {
            prop_assert_eq!(original.is_none(), element == &AttributeValue::Null(true));
        }
        assert_round_trip!(v);
    }

    #[test]
    fn nested(v in vec(
        proptest::option::of(hash_map(any::<String>(), vec(any::<i32>(), 0..4), 0..4)),
        0..6,
    )) {
        let v: Vec<Option<HashMap<String, Vec<i32>>>> = v;
        assert_round_trip!(v);
    }
}

#[test]
fn option_none_reads_from_absent() {
    assert_eq!(Option::<String>::from_absent(), Some(None));
    assert_eq!(String::from_absent(), None);
    assert_eq!(
        Option::<String>::from_attribute(AttributeValue::Null(true)).unwrap(),
        None
    );
}

// ---------------------------------------------------------------- time

fn system_time() -> impl Strategy<Value = SystemTime> {
    (any::<bool>(), 0u64..=10_000_000_000, 0u32..1_000_000_000).prop_map(|(before, secs, nanos)| {
        let d = Duration::new(secs, nanos);
        if before {
            UNIX_EPOCH - d
        } else {
            UNIX_EPOCH + d
        }
    })
}

/// 0000-01-02 to 9999-12-30 UTC: a day inside what RFC 3339 holds, so any
/// offset keeps the local date inside it too.
const FIRST_SECOND: i64 = -62_167_219_200 + 86_400;
const LAST_SECOND: i64 = 253_402_300_799 - 86_400;

fn chrono_utc() -> impl Strategy<Value = chrono::DateTime<chrono::Utc>> {
    (FIRST_SECOND..=LAST_SECOND, 0u32..1_000_000_000)
        .prop_filter_map("in range", |(s, n)| chrono::DateTime::from_timestamp(s, n))
}

fn offset_minutes() -> impl Strategy<Value = i32> {
    -(23 * 60 + 59)..=(23 * 60 + 59)
}

fn text(av: AttributeValue) -> String {
    match av {
        AttributeValue::S(s) => s,
        other => panic!("not a string: {other:?}"),
    }
}

proptest! {
    #[test]
    fn system_times(t in system_time()) {
        assert_round_trip!(t);
    }

    #[test]
    fn chrono_utc_round_trips_and_sorts(a in chrono_utc(), b in chrono_utc()) {
        assert_round_trip!(a);
        let (ta, tb) = (text(a.to_attribute().unwrap()), text(b.to_attribute().unwrap()));
        prop_assert_eq!(ta.len(), 30);
        prop_assert_eq!(a.cmp(&b), ta.cmp(&tb), "{} vs {}", ta, tb);
    }

    #[test]
    fn chrono_fixed_offset(t in chrono_utc(), u in chrono_utc(), minutes in offset_minutes()) {
        let offset = chrono::FixedOffset::east_opt(minutes * 60).unwrap();
        let (a, b) = (t.with_timezone(&offset), u.with_timezone(&offset));
        let back = round_trip(&a)?;
        prop_assert_eq!(back, a);
        prop_assert_eq!(back.offset(), a.offset());
        // Same offset: text order is time order.
        let (ta, tb) = (text(a.to_attribute().unwrap()), text(b.to_attribute().unwrap()));
        prop_assert_eq!(a.cmp(&b), ta.cmp(&tb));
    }

    #[test]
    fn chrono_naive(t in chrono_utc(), u in chrono_utc()) {
        let (a, b) = (t.naive_utc(), u.naive_utc());
        assert_round_trip!(a);
        assert_round_trip!(a.date());
        let (ta, tb) = (text(a.to_attribute().unwrap()), text(b.to_attribute().unwrap()));
        prop_assert_eq!(a.cmp(&b), ta.cmp(&tb));
        let (da, db) = (text(a.date().to_attribute().unwrap()), text(b.date().to_attribute().unwrap()));
        prop_assert_eq!(a.date().cmp(&b.date()), da.cmp(&db));
    }

    #[test]
    fn time_offset_date_time(secs in FIRST_SECOND..=LAST_SECOND, nanos in 0i128..1_000_000_000, minutes in offset_minutes()) {
        let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(secs) * 1_000_000_000 + nanos).unwrap();
        assert_round_trip!(t);
        let offset = time::UtcOffset::from_whole_seconds(minutes * 60).unwrap();
        let local = t.to_offset(offset);
        let back = round_trip(&local)?;
        prop_assert_eq!(back, local);
        prop_assert_eq!(back.offset(), local.offset());
        assert_round_trip!(local.date());
    }

    #[test]
    fn time_utc_sorts(a in FIRST_SECOND..=LAST_SECOND, b in FIRST_SECOND..=LAST_SECOND, n in 0i128..1_000_000_000) {
        let a = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(a) * 1_000_000_000 + n).unwrap();
        let b = time::OffsetDateTime::from_unix_timestamp(b).unwrap();
        let (ta, tb) = (text(a.to_attribute().unwrap()), text(b.to_attribute().unwrap()));
        prop_assert_eq!(a.cmp(&b), ta.cmp(&tb));
    }
}

// ---------------------------------------------------------------- uuid, decimal

fn decimal() -> impl Strategy<Value = rust_decimal::Decimal> {
    const MAX_MANTISSA: i128 = (1 << 96) - 1;
    (-MAX_MANTISSA..=MAX_MANTISSA, 0u32..=28).prop_filter_map("representable", |(m, scale)| {
        rust_decimal::Decimal::try_from_i128_with_scale(m, scale).ok()
    })
}

proptest! {
    #[test]
    fn uuids(v in any::<u128>(), set in hash_set(any::<u128>(), 0..6)) {
        let id = uuid::Uuid::from_u128(v);
        prop_assert_eq!(id.to_attribute().unwrap(), AttributeValue::S(id.hyphenated().to_string()));
        assert_round_trip!(id);
        let set: HashSet<uuid::Uuid> = set.into_iter().map(uuid::Uuid::from_u128).collect();
        assert_round_trip!(set);
    }

    #[test]
    fn decimals_exact(d in decimal(), set in btree_set(decimal(), 0..6)) {
        let back = round_trip(&d)?;
        prop_assert_eq!(back, d);
        if !d.is_zero() {
            // The exact text, trailing zeros and all.
            prop_assert_eq!(back.scale(), d.scale());
            prop_assert_eq!(d.to_attribute().unwrap(), AttributeValue::N(d.to_string()));
        }
        assert_round_trip!(set);
    }
}

// ---------------------------------------------------------------- serde_json::Value

fn json_float() -> impl Strategy<Value = f64> {
    (proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL)
        .prop_filter("a fraction, in DynamoDB's range", |f| {
            f.fract() != 0.0 && in_dynamodb_range(f.abs())
        })
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            btree_map(name(), inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn json_trees(v in json_value()) {
        assert_round_trip!(v.clone());
        if let serde_json::Value::Object(map) = &v {
            assert_round_trip!(map.clone());
            // And through the plain-JSON item functions.
            let item = item_from_json(v.clone()).unwrap();
            prop_assert_eq!(item_to_json(&item).unwrap(), v);
        }
    }

    #[test]
    fn json_floats_with_a_fraction(f in json_float()) {
        assert_round_trip!(serde_json::Value::from(f));
    }
}

// ---------------------------------------------------------------- raw attribute values

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|v| v.to_string()),
        "-?(0|[1-9][0-9]{0,9})\\.[0-9]{1,12}",
        // Up to 38 significant digits, scaled anywhere in 1e-130..1e126.
        ("-?[1-9][0-9]{0,37}", -129i32..=88).prop_map(|(m, e)| format!("{m}E{e:+}")),
    ]
}

/// An attribute name or map key DynamoDB accepts (not empty).
fn name() -> impl Strategy<Value = String> {
    any::<String>().prop_filter("names are not empty", |s| !s.is_empty())
}

/// Valid values only: the JSON readers refuse what DynamoDB would (empty
/// names, sets with a member twice; `1` and `1.0` are one `NS` member).
fn attribute_value() -> impl Strategy<Value = AttributeValue> {
    let leaf = prop_oneof![
        any::<String>().prop_map(AttributeValue::S),
        number_text().prop_map(AttributeValue::N),
        vec(any::<u8>(), 0..32).prop_map(|b| AttributeValue::B(Blob::new(b))),
        any::<bool>().prop_map(AttributeValue::Bool),
        Just(AttributeValue::Null(true)),
        hash_set(any::<String>(), 1..4).prop_map(|s| AttributeValue::Ss(s.into_iter().collect())),
        vec(number_text(), 1..4)
            .prop_map(AttributeValue::Ns)
            .prop_filter("distinct numbers", |ns| check_value(ns).is_ok()),
        hash_set(vec(any::<u8>(), 0..8), 1..4)
            .prop_map(|s| AttributeValue::Bs(s.into_iter().map(Blob::new).collect())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(AttributeValue::L),
            hash_map(name(), inner, 0..6).prop_map(AttributeValue::M),
        ]
    })
}

fn item() -> impl Strategy<Value = Item> {
    hash_map(name(), attribute_value(), 0..8)
}

proptest! {
    #[test]
    fn documents(item in item()) {
        let doc = Document::from(item.clone());
        assert_round_trip!(doc.clone());
        prop_assert_eq!(Document::from_map(doc.to_map().unwrap()).unwrap(), doc.clone());
        for (name, value) in &item {
            prop_assert_eq!(doc.get::<AttributeValue>(name).unwrap(), Some(value.clone()));
        }
        prop_assert_eq!(doc.into_item(), item);
    }

    #[test]
    fn dynamodb_json_items(item in item()) {
        let text = item_to_dynamodb_json(&item);
        prop_assert!(!text.contains('\n'));
        prop_assert_eq!(item_from_dynamodb_json(&text).unwrap(), item);
    }

    #[test]
    fn dynamodb_json_values(v in attribute_value()) {
        prop_assert_eq!(value_from_dynamodb_json(&value_to_dynamodb_json(&v)).unwrap(), v);
    }

    #[test]
    fn dynamodb_json_lines_both_forms(items in vec(item(), 0..6), export in vec(any::<bool>(), 6)) {
        let mut file = String::new();
        for (i, item) in items.iter().enumerate() {
            let text = item_to_dynamodb_json(item);
            if export[i] {
                file.push_str(&format!("{{\"Item\":{text}}}\n"));
            } else {
                file.push_str(&text);
                file.push_str("\n\n");
            }
        }
        let read: Vec<Item> = dynamodb_json_lines(file.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(read, items);
    }
}

// ---------------------------------------------------------------- decode errors

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.to_owned())
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

fn m(entries: impl IntoIterator<Item = (&'static str, AttributeValue)>) -> AttributeValue {
    AttributeValue::M(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn mismatch(err: &DecodeError) -> (String, Option<&'static str>, Option<&'static str>) {
    (err.path().to_string(), err.expected(), err.found())
}

#[test]
fn bad_list_element_names_its_index() {
    let err =
        Vec::<i32>::from_attribute(AttributeValue::L(vec![n("1"), n("2"), s("x")])).unwrap_err();
    assert_eq!(mismatch(&err), ("[2]".to_owned(), Some("N"), Some("S")));
    assert_eq!(
        err.in_field("scores").to_string(),
        "attribute `scores[2]`: expected N, found S"
    );

    let err = VecDeque::<String>::from_attribute(AttributeValue::L(vec![
        s("a"),
        AttributeValue::Bool(true),
    ]))
    .unwrap_err();
    assert_eq!(mismatch(&err), ("[1]".to_owned(), Some("S"), Some("BOOL")));
}

#[test]
fn bad_map_entry_names_its_key() {
    let err =
        HashMap::<String, i64>::from_attribute(m([("a", n("1")), ("k", s("x"))])).unwrap_err();
    assert_eq!(mismatch(&err), ("k".to_owned(), Some("N"), Some("S")));
    let err = BTreeMap::<String, bool>::from_attribute(m([("k", AttributeValue::Null(true))]))
        .unwrap_err();
    assert_eq!(mismatch(&err), ("k".to_owned(), Some("BOOL"), Some("NULL")));
}

#[test]
fn nested_paths() {
    let value = AttributeValue::L(vec![
        AttributeValue::Null(true),
        m([("k", AttributeValue::L(vec![n("1"), m([])]))]),
    ]);
    let err = Vec::<Option<HashMap<String, Vec<i32>>>>::from_attribute(value).unwrap_err();
    assert_eq!(
        mismatch(&err),
        ("[1].k[1]".to_owned(), Some("N"), Some("M"))
    );
    assert_eq!(
        err.in_field("friends").to_string(),
        "attribute `friends[1].k[1]`: expected N, found M"
    );
}

#[test]
fn numbers_that_do_not_fit() {
    let err = Vec::<u8>::from_attribute(AttributeValue::L(vec![n("1")])).unwrap_err();
    assert_eq!(mismatch(&err), ("<item>".to_owned(), Some("B"), Some("L")));
    let err = Vec::<u16>::from_attribute(AttributeValue::L(vec![n("1"), n("70000")])).unwrap_err();
    assert_eq!(err.path().to_string(), "[1]");
    assert_eq!(
        err.kind(),
        &DecodeErrorKind::InvalidNumber {
            value: "70000".into(),
            target: "u16"
        }
    );
    let err = HashSet::<i64>::from_attribute(AttributeValue::Ns(vec!["1".into(), "1.5".into()]))
        .unwrap_err();
    assert_eq!(err.path().to_string(), "[1]");
    assert!(matches!(
        err.kind(),
        DecodeErrorKind::InvalidNumber { target: "i64", .. }
    ));
    let err = u64::from_attribute(n("-1")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "attribute `<item>`: number -1 does not fit u64"
    );
}

#[test]
fn type_mismatches_name_both_types() {
    let cases: Vec<(DecodeError, &str, &str)> = vec![
        (i64::from_attribute(s("1")).unwrap_err(), "N", "S"),
        (String::from_attribute(n("1")).unwrap_err(), "S", "N"),
        (bool::from_attribute(s("true")).unwrap_err(), "BOOL", "S"),
        (Vec::<i32>::from_attribute(m([])).unwrap_err(), "L", "M"),
        (
            HashMap::<String, i32>::from_attribute(AttributeValue::L(vec![])).unwrap_err(),
            "M",
            "L",
        ),
        (
            HashSet::<String>::from_attribute(AttributeValue::L(vec![])).unwrap_err(),
            "SS",
            "L",
        ),
        (
            BTreeSet::<i64>::from_attribute(AttributeValue::Ss(vec![])).unwrap_err(),
            "NS",
            "SS",
        ),
        (
            HashSet::<Vec<u8>>::from_attribute(AttributeValue::Ns(vec![])).unwrap_err(),
            "BS",
            "NS",
        ),
        (Blob::from_attribute(s("x")).unwrap_err(), "B", "S"),
        (SystemTime::from_attribute(s("x")).unwrap_err(), "N", "S"),
        (uuid::Uuid::from_attribute(n("1")).unwrap_err(), "S", "N"),
        (
            rust_decimal::Decimal::from_attribute(s("1")).unwrap_err(),
            "N",
            "S",
        ),
        (
            chrono::NaiveDate::from_attribute(AttributeValue::Bool(true)).unwrap_err(),
            "S",
            "BOOL",
        ),
        (
            Document::from_attribute(AttributeValue::L(vec![])).unwrap_err(),
            "M",
            "L",
        ),
    ];
    for (err, expected, found) in cases {
        assert_eq!(
            (err.expected(), err.found()),
            (Some(expected), Some(found)),
            "{err}"
        );
        assert!(err.path().is_empty());
    }
}

#[test]
fn invalid_values_say_what_was_expected() {
    let err = uuid::Uuid::from_attribute(s("not-a-uuid")).unwrap_err();
    assert!(matches!(
        err.kind(),
        DecodeErrorKind::InvalidValue {
            expected: "a UUID",
            ..
        }
    ));
    let err = char::from_attribute(s("ab")).unwrap_err();
    assert!(matches!(err.kind(), DecodeErrorKind::InvalidValue { .. }));
    let err = Vec::<chrono::DateTime<chrono::Utc>>::from_attribute(AttributeValue::L(vec![
        s("2013-04-15T19:31:08.000000000Z"),
        s("2013-04-15"),
    ]))
    .unwrap_err();
    assert_eq!(err.path().to_string(), "[1]");
    let err =
        serde_json::Value::from_attribute(m([("raw", AttributeValue::B(Blob::new(vec![1])))]))
            .unwrap_err();
    assert_eq!(err.path().to_string(), "raw");
}
