//! Numbers at DynamoDB's edges survive a read and a write back: stored raw
//! in DynamoDB Local, read into `f64`, `f32` and `Decimal`, written back
//! through `Table::put`, read again, equal. What a type cannot hold is
//! refused on reading with a clear error, never rounded into a value that
//! the write would then refuse.

mod common;

use std::str::FromStr;

use dynamo_orm::{AttributeValue, DecodeErrorKind, DynamoItem, Error, Item, Table};
use rust_decimal::Decimal;

macro_rules! edge {
    ($name:ident, $t:ty) => {
        #[derive(DynamoItem, Debug, Clone, PartialEq)]
        #[dynamo(table = "edges")]
        struct $name {
            #[dynamo(hash_key)]
            pk: String,
            v: $t,
        }
    };
}
edge!(EdgeF64, f64);
edge!(EdgeF32, f32);
edge!(EdgeDecimal, Decimal);

const MAX: &str = "9.9999999999999999999999999999999999999E+125";
const NEG_MAX: &str = "-9.9999999999999999999999999999999999999E+125";

async fn put_raw<T>(table: &Table<T>, pk: &str, number: &str)
where
    T: DynamoItem,
{
    let item = Item::from([
        ("pk".to_owned(), AttributeValue::S(pk.to_owned())),
        ("v".to_owned(), AttributeValue::N(number.to_owned())),
    ]);
    table
        .client()
        .put_item()
        .table_name(table.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap_or_else(|e| panic!("DynamoDB Local refused {number}: {e:?}"));
}

async fn raw_text<T: DynamoItem>(table: &Table<T>, pk: &str) -> String {
    let out = table
        .client()
        .get_item()
        .table_name(table.name())
        .key("pk", AttributeValue::S(pk.to_owned()))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    out.item.unwrap()["v"].as_n().unwrap().clone()
}

/// Stored raw, read, written back, read again: the same value each time.
async fn round_trip<T>(table: &Table<T>, number: &str) -> T
where
    T: DynamoItem + Clone + PartialEq + std::fmt::Debug,
    T::Key: From<String>,
{
    let pk = format!("p{number}");
    put_raw(table, &pk, number).await;
    let first = table.get(pk.clone()).consistent().await.unwrap().unwrap();
    table
        .put(&first)
        .await
        .unwrap_or_else(|e| panic!("{number} read as {first:?} but not written back: {e}"));
    let second = table.get(pk.clone()).consistent().await.unwrap().unwrap();
    assert_eq!(second, first, "{number}");
    first
}

async fn refused_on_read<T>(table: &Table<T>, number: &str, target: &str)
where
    T: DynamoItem + std::fmt::Debug,
    T::Key: From<String>,
{
    let pk = format!("r{number}");
    put_raw(table, &pk, number).await;
    match table.get(pk).consistent().await {
        Err(Error::Decode(e)) => match e.kind() {
            DecodeErrorKind::InvalidNumber { target: t, .. } => {
                assert_eq!(*t, target, "{number}");
                assert_eq!(e.path().to_string(), "v");
            }
            other => panic!("{number}: {other:?}"),
        },
        other => panic!("{number} should not read into {target}: {other:?}"),
    }
}

#[tokio::test]
async fn f64_edges() {
    let table = common::fresh_table::<EdgeF64>().await;
    let max = round_trip(&table, MAX).await.v;
    assert_eq!(max, 1e126);
    // Written back as the 38 nines, the only text of that double DynamoDB
    // stores (which returns it without the exponent).
    let nines = "9".repeat(38);
    let stored = raw_text(&table, &format!("p{MAX}")).await;
    assert_eq!(stored.trim_end_matches('0'), nines);
    assert_eq!(stored.len(), 126);
    assert_eq!(round_trip(&table, NEG_MAX).await.v, -1e126);
    let stored = raw_text(&table, &format!("p{NEG_MAX}")).await;
    assert_eq!(stored.trim_end_matches('0'), format!("-{nines}"));
    for text in [
        "1E-130",
        "-1E-130",
        "1.7976931348623157E+125",
        "2.2250738585072014E-130",
    ] {
        let v = round_trip(&table, text).await.v;
        assert_eq!(v, f64::from_str(text).unwrap(), "{text}");
    }
    // 38 significant digits read into the nearest double, which writes back.
    let v = round_trip(&table, "1.2345678901234567890123456789012345678")
        .await
        .v;
    assert_eq!(v, 1.2345678901234567);

    // What truly cannot be stored is refused on writing.
    let above = f64::from_bits(1e126f64.to_bits() + 1);
    let err = table
        .put(&EdgeF64 {
            pk: "above".into(),
            v: above,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err:?}");
}

#[tokio::test]
async fn f32_edges() {
    let table = common::fresh_table::<EdgeF32>().await;
    // DynamoDB's extremes are beyond an f32: refused, not turned into infinity or zero.
    refused_on_read(&table, MAX, "f32").await;
    refused_on_read(&table, NEG_MAX, "f32").await;
    // An f32's own extremes round-trip exactly.
    for v in [
        f32::MAX,
        f32::MIN,
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        -f32::from_bits(1),
    ] {
        let text = format!("{v:e}");
        assert_eq!(
            round_trip(&table, &text).await.v.to_bits(),
            v.to_bits(),
            "{text}"
        );
    }
}

#[tokio::test]
async fn decimal_edges() {
    let table = common::fresh_table::<EdgeDecimal>().await;
    refused_on_read(&table, MAX, "Decimal").await;
    refused_on_read(&table, "1E-130", "Decimal").await;
    for d in [
        Decimal::MAX,
        Decimal::MIN,
        Decimal::from_str("0.0000000000000000000000000001").unwrap(),
        Decimal::from_str("-7.9228162514264337593543950335").unwrap(),
    ] {
        assert_eq!(round_trip(&table, &d.to_string()).await.v, d, "{d}");
    }
    // Scientific notation (another client's) reads exactly.
    assert_eq!(
        round_trip(&table, "1.25E+3").await.v,
        Decimal::from_str("1250").unwrap()
    );
}
