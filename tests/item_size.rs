//! Item sizes as DynamoDB counts them, proven at the 409,600-byte boundary
//! against DynamoDB Local: for number-heavy items (and every other type), an
//! item of exactly the limit is written by `Table::put`, and one byte more
//! is refused by us before sending (`Error::ItemTooLarge`) and by DynamoDB
//! Local when the same item is sent raw with the SDK. If our count were one
//! byte high, the second raw write would succeed; one byte low, the first
//! put would fail. The nesting limit is proven the same way.

mod common;

use aws_sdk_dynamodb::primitives::Blob;
use dynamo_orm::limits::{MAX_ITEM_SIZE, check_item, item_size};
use dynamo_orm::{AttributeValue, DynamoItem, EncodeErrorKind, Error, Item, Table};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "sized")]
struct Sized {
    #[dynamo(hash_key)]
    pk: String,
    payload: AttributeValue,
    filler: String,
}

fn n(text: impl Into<String>) -> AttributeValue {
    AttributeValue::N(text.into())
}

fn list(values: impl IntoIterator<Item = AttributeValue>) -> AttributeValue {
    AttributeValue::L(values.into_iter().collect())
}

/// Payloads whose numbers the naive count (one byte per two digits of the
/// text, plus one) gets wrong: fractions with an odd integer part (`1.5` is
/// three bytes, not two), round numbers (`1000000` is two, not five),
/// negatives (a byte more), and the extremes.
fn payloads() -> Vec<(&'static str, AttributeValue)> {
    let fractions = list((0..2000).map(|i| n(format!("{i}.5"))));
    let round = list((0..2000).map(|i| n(format!("{}000000", i + 1))));
    let negatives = list((1..2000).map(|i| n(format!("-{i}.25"))));
    let small = list((1..1500).map(|i| n(format!("0.00{i}"))));
    let exponents = list((1..=120).flat_map(|e| {
        [
            n(format!("1E+{e}")),
            n(format!("-1.5E-{e}")),
            n(format!("12345678901234567890123456789012345678E-{e}")),
        ]
    }));
    let extremes = list([
        n("9.9999999999999999999999999999999999999E+125"),
        n("-9.9999999999999999999999999999999999999E+125"),
        n("1E-130"),
        n("-1E-130"),
        n("0"),
        n("-0.000"),
        n("1.2345678901234567890123456789012345678"),
    ]);
    let number_set = AttributeValue::Ns((1..1500).map(|i| format!("{i}.05")).collect());
    let nested = AttributeValue::M(
        (0..300)
            .map(|i| {
                (
                    format!("k{i}"),
                    AttributeValue::M(Item::from([
                        ("a".to_owned(), n(format!("{i}.5"))),
                        ("é".to_owned(), list([n("100"), n("-1")])),
                    ])),
                )
            })
            .collect(),
    );
    let every_type = AttributeValue::M(Item::from([
        ("s".to_owned(), AttributeValue::S("héllo 😀".into())),
        ("b".to_owned(), AttributeValue::B(Blob::new(vec![0; 100]))),
        ("t".to_owned(), AttributeValue::Bool(true)),
        ("z".to_owned(), AttributeValue::Null(true)),
        (
            "ss".to_owned(),
            AttributeValue::Ss(vec!["a".into(), "bb".into(), "ééé".into()]),
        ),
        (
            "bs".to_owned(),
            AttributeValue::Bs(vec![Blob::new(vec![1]), Blob::new(vec![2, 2])]),
        ),
        (
            "l".to_owned(),
            list([list([]), AttributeValue::M(Item::new())]),
        ),
        ("名前".to_owned(), AttributeValue::S(String::new())),
    ]));
    vec![
        ("fractions", fractions),
        ("round numbers", round),
        ("negatives", negatives),
        ("small fractions", small),
        ("exponents", exponents),
        ("extremes", extremes),
        ("number set", number_set),
        ("nested maps", nested),
        ("every type", every_type),
    ]
}

/// A `Sized` of `size` bytes, as we count them.
fn sized(pk: &str, payload: &AttributeValue, size: usize) -> Sized {
    let mut value = Sized {
        pk: pk.to_owned(),
        payload: payload.clone(),
        filler: String::new(),
    };
    let base = item_size(&value.to_item().unwrap());
    value.filler = "x".repeat(size - base);
    value
}

async fn raw_put(table: &Table<Sized>, item: Item) -> Result<(), String> {
    table
        .client()
        .put_item()
        .table_name(table.name())
        .set_item(Some(item))
        .send()
        .await
        .map(drop)
        .map_err(|e| format!("{:?}", e.into_service_error()))
}

#[tokio::test]
async fn the_limit_is_exact_for_every_kind_of_value() {
    let table = common::fresh_table::<Sized>().await;
    for (i, (label, payload)) in payloads().into_iter().enumerate() {
        let pk = format!("item-{i}");
        // Exactly at the limit: both we and DynamoDB Local accept it.
        let at_limit = sized(&pk, &payload, MAX_ITEM_SIZE);
        let item = at_limit.to_item().unwrap();
        assert_eq!(check_item(&item).unwrap(), MAX_ITEM_SIZE, "{label}");
        table
            .put(&at_limit)
            .await
            .unwrap_or_else(|e| panic!("{label}: an item of exactly the limit was refused: {e}"));
        let stored = table.get(pk.clone()).consistent().await.unwrap();
        assert_eq!(stored.as_ref(), Some(&at_limit), "{label}");

        // One byte over: refused by us before sending...
        let over = sized(&pk, &payload, MAX_ITEM_SIZE + 1);
        match table.put(&over).await {
            Err(Error::ItemTooLarge { size, limit }) => {
                assert_eq!((size, limit), (MAX_ITEM_SIZE + 1, MAX_ITEM_SIZE), "{label}");
            }
            other => panic!("{label}: expected ItemTooLarge, got {other:?}"),
        }
        // ...and by DynamoDB Local when sent raw.
        let err = raw_put(&table, over.to_item().unwrap())
            .await
            .expect_err(label);
        assert!(err.contains("Item size has exceeded"), "{label}: {err}");
    }
}

fn nested(containers: usize) -> AttributeValue {
    let mut v = AttributeValue::S("x".into());
    for i in 0..containers {
        v = if i % 2 == 0 {
            list([v])
        } else {
            AttributeValue::M(Item::from([("m".to_owned(), v)]))
        };
    }
    v
}

/// DynamoDB counts the item as level 1: an attribute holds 31 lists or maps
/// one inside the other, not 32.
#[tokio::test]
async fn the_nesting_limit_is_dynamodbs() {
    let table = common::fresh_table::<Sized>().await;
    let deepest = Sized {
        pk: "deep".into(),
        payload: nested(31),
        filler: String::new(),
    };
    table.put(&deepest).await.unwrap();
    assert_eq!(
        table.get("deep".to_owned()).consistent().await.unwrap(),
        Some(deepest)
    );

    // Built raw (a typed payload would be refused on conversion already).
    let mut item = Item::from([("pk".to_owned(), AttributeValue::S("deeper".into()))]);
    item.insert("payload".into(), nested(32));
    match check_item(&item) {
        Err(Error::Encode(e)) => {
            assert_eq!(e.kind(), &EncodeErrorKind::TooDeep { limit: 32 });
            assert!(e.path().to_string().starts_with("payload.m[0].m"), "{e}");
        }
        other => panic!("expected TooDeep, got {other:?}"),
    }
    let err = raw_put(&table, item).await.unwrap_err();
    assert!(err.contains("Nesting Levels have exceeded"), "{err}");

    let too_deep = Sized {
        pk: "deeper".into(),
        payload: nested(32),
        filler: String::new(),
    };
    match table.put(&too_deep).await {
        Err(Error::Encode(e)) => assert_eq!(e.kind(), &EncodeErrorKind::TooDeep { limit: 32 }),
        other => panic!("expected TooDeep, got {other:?}"),
    }
}
