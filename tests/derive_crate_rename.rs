//! `#[dynamo(crate = "...")]`: the derives reach the runtime through another path,
//! for a renamed dependency or a re-export from a facade crate.

mod db {
    /// A facade re-exporting the runtime under another name.
    pub use ::dynamo_orm as orm;
}

use db::orm as renamed;

use renamed::{
    AttributeMap, AttributeValue, DynamoAttribute, DynamoEntities, DynamoItem, DynamoTable, Index,
    TableDef,
};

#[derive(DynamoAttribute, Debug, PartialEq, Clone, Copy, Eq, Hash)]
#[dynamo(crate = "renamed")]
enum Color {
    Red,
    Blue,
}

#[derive(DynamoAttribute, Debug, PartialEq)]
#[dynamo(crate = "crate::db::orm")]
struct Paint {
    color: Color,
    litres: f64,
}

#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(crate = "renamed", table = "cans")]
#[dynamo(gsi(ByColor, hash = color))]
struct Can {
    #[dynamo(hash_key)]
    id: u32,
    color: Color,
    paint: Paint,
}

#[test]
fn derives_through_a_renamed_crate() {
    let can = Can {
        id: 7,
        color: Color::Blue,
        paint: Paint {
            color: Color::Red,
            litres: 0.5,
        },
    };
    let item = can.to_item().unwrap();
    assert_eq!(item["color"], AttributeValue::S("Blue".into()));
    assert_eq!(Can::from_item(item).unwrap(), can);
    assert_eq!(Can::SCHEMA.table_name, "cans");
    assert_eq!(ByColor::SCHEMA.hash_key.name, "color");
    assert_eq!(Can::key(7), can.key());
    assert_eq!(Paint::ATTRIBUTE_COUNT, 2);
    assert_eq!(
        Can::FIELDS.paint.at(|p| p.litres).to_string(),
        "paint.litres"
    );
}

#[derive(DynamoAttribute, Debug, PartialEq)]
#[dynamo(crate = "renamed")]
struct Label {
    maker: String,
}

/// Every generated helper (flatten checks, version, TTL, sparse index, generic
/// bounds, skipped entries) goes through the path too.
#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(crate = "renamed", table = "shelves")]
#[dynamo(gsi(ByAisle, hash = aisle, projection = keys_only))]
struct Shelf<T> {
    #[dynamo(hash_key)]
    id: u32,
    aisle: Option<String>,
    content: T,
    #[dynamo(flatten)]
    label: Label,
    #[dynamo(version)]
    version: u16,
    #[dynamo(ttl)]
    expires: Option<u64>,
    #[dynamo(skip)]
    scratch: u8,
}

#[derive(DynamoAttribute, Debug, PartialEq)]
#[dynamo(crate = "renamed", projection_of = Shelf<u8>)]
struct ShelfId {
    id: u32,
    version: u16,
}

#[test]
fn every_helper_through_a_renamed_crate() {
    let shelf = Shelf {
        id: 1,
        aisle: None,
        content: 9u8,
        label: Label {
            maker: "acme".into(),
        },
        version: 2,
        expires: Some(1_700_000_000),
        scratch: 0,
    };
    let item = shelf.to_item().unwrap();
    assert!(!item.contains_key("aisle"));
    assert_eq!(item["maker"], AttributeValue::S("acme".into()));
    assert_eq!(Shelf::<u8>::from_item(item.clone()).unwrap(), shelf);
    assert_eq!(shelf.version(), Ok(2));
    assert_eq!(Shelf::<u8>::VERSION_MAX, u64::from(u16::MAX));
    assert_eq!(ByAisle::<u8>::SCHEMA.hash_key.name, "aisle");
    assert_eq!(
        ShelfId::from_map(item).unwrap(),
        ShelfId { id: 1, version: 2 }
    );
}

// The path is resolved where the struct is, so a relative one works too.
#[allow(dead_code)]
mod nested {
    #[derive(super::DynamoItem)]
    #[dynamo(crate = "super::renamed", table = "shadowed")]
    struct Shadowed {
        #[dynamo(hash_key)]
        id: String,
    }
}

/// Single-table design through the path: the table, an entity, an enum.
#[derive(DynamoTable)]
#[dynamo(crate = "renamed", table = "shared", gsi(Gsi1, hash = gsi1pk))]
struct Shared {
    #[dynamo(hash_key)]
    pk: String,
    #[dynamo(range_key)]
    sk: String,
    gsi1pk: String,
}

#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(crate = "renamed", table = Shared, key(hash = "CAN#{id}", range = "LABEL"))]
#[dynamo(index(Gsi1, hash = "COLOR#{color}"))]
struct CanLabel {
    id: u32,
    color: Color,
}

#[derive(DynamoEntities, Debug, PartialEq)]
#[dynamo(crate = "renamed", table = Shared)]
enum SharedItem {
    CanLabel(CanLabel),
}

#[test]
fn single_table_through_a_renamed_crate() {
    let label = CanLabel {
        id: 7,
        color: Color::Red,
    };
    let item = label.to_item().unwrap();
    assert_eq!(item["pk"], AttributeValue::S("CAN#7".into()));
    assert_eq!(item["gsi1pk"], AttributeValue::S("COLOR#Red".into()));
    assert_eq!(Shared::SCHEMA.table_name, "shared");
    assert_eq!(
        SharedItem::from_item(item).unwrap(),
        SharedItem::CanLabel(label)
    );
}
