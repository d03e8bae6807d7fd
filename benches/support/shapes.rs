//! The small and large shapes of the conversion benchmarks (the medium one is
//! the README's user, in `user.rs`), each with a naive hand-written conversion.

use std::collections::{HashMap, HashSet};

use dynamo_orm::{AttributeValue, DynamoAttribute, DynamoItem, Item};
use serde::{Deserialize, Serialize};

use crate::user::{get_bool, get_l, get_n, get_s};

// ------------------------------------------------------------------ small

/// Three scalar fields.
#[derive(DynamoItem, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[dynamo(table = "bench_small")]
pub struct Small {
    #[dynamo(hash_key)]
    pub id: String,
    pub count: u64,
    pub active: bool,
}

pub fn sample_small() -> Small {
    Small {
        id: "order-0001".into(),
        count: 1_366_056_668,
        active: true,
    }
}

pub fn hand_small_to_item(s: &Small) -> Item {
    let mut item = HashMap::new();
    item.insert("id".to_string(), AttributeValue::S(s.id.clone()));
    item.insert("count".to_string(), AttributeValue::N(s.count.to_string()));
    item.insert("active".to_string(), AttributeValue::Bool(s.active));
    item
}

pub fn hand_small_from_item(item: &Item) -> Result<Small, String> {
    Ok(Small {
        id: get_s(item, "id")?,
        count: get_n(item, "count")?,
        active: get_bool(item, "active")?,
    })
}

// ------------------------------------------------------------------ large

/// A map nested in the profile map.
#[derive(DynamoAttribute, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub zip: String,
    pub country: String,
}

/// The nested struct map.
#[derive(DynamoAttribute, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Profile {
    pub display_name: String,
    pub bio: String,
    pub age: u32,
    pub rating: f64,
    pub verified: bool,
    pub address: Address,
}

/// One of the 50 nested structs of the list.
#[derive(DynamoAttribute, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Line {
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    pub unit_price: f64,
    pub gift: bool,
}

/// A nested struct map, a list of 50 nested structs, 20 strings and a number set.
#[derive(DynamoItem, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[dynamo(table = "bench_large")]
pub struct Large {
    #[dynamo(hash_key)]
    pub id: String,
    pub profile: Profile,
    pub lines: Vec<Line>,
    pub label_01: String,
    pub label_02: String,
    pub label_03: String,
    pub label_04: String,
    pub label_05: String,
    pub label_06: String,
    pub label_07: String,
    pub label_08: String,
    pub label_09: String,
    pub label_10: String,
    pub label_11: String,
    pub label_12: String,
    pub label_13: String,
    pub label_14: String,
    pub label_15: String,
    pub label_16: String,
    pub label_17: String,
    pub label_18: String,
    pub label_19: String,
    pub label_20: String,
    #[serde(with = "serde_dynamo::number_set")]
    pub scores: HashSet<i64>,
}

pub fn sample_large() -> Large {
    let label = |i: u32| format!("label number {i} of the large item");
    Large {
        id: "large-0001".into(),
        profile: Profile {
            display_name: "John Doe".into(),
            bio: "Writes benchmarks and reads flame graphs.".into(),
            age: 42,
            rating: 4.75,
            verified: true,
            address: Address {
                street: "1 Main Street".into(),
                city: "Springfield".into(),
                zip: "12345".into(),
                country: "US".into(),
            },
        },
        lines: (0..50u32)
            .map(|i| Line {
                sku: format!("SKU-{i:05}"),
                name: format!("Item number {i}"),
                quantity: i % 7 + 1,
                // Exact in binary: prints the same with ryu and `to_string`.
                unit_price: 9.25 + f64::from(i) * 0.5,
                gift: i % 3 == 0,
            })
            .collect(),
        label_01: label(1),
        label_02: label(2),
        label_03: label(3),
        label_04: label(4),
        label_05: label(5),
        label_06: label(6),
        label_07: label(7),
        label_08: label(8),
        label_09: label(9),
        label_10: label(10),
        label_11: label(11),
        label_12: label(12),
        label_13: label(13),
        label_14: label(14),
        label_15: label(15),
        label_16: label(16),
        label_17: label(17),
        label_18: label(18),
        label_19: label(19),
        label_20: label(20),
        scores: (0..20i64).map(|i| i * 1_000 + 7).collect(),
    }
}

fn hand_address_to(a: &Address) -> AttributeValue {
    let mut m = HashMap::new();
    m.insert("street".to_string(), AttributeValue::S(a.street.clone()));
    m.insert("city".to_string(), AttributeValue::S(a.city.clone()));
    m.insert("zip".to_string(), AttributeValue::S(a.zip.clone()));
    m.insert("country".to_string(), AttributeValue::S(a.country.clone()));
    AttributeValue::M(m)
}

fn hand_profile_to(p: &Profile) -> AttributeValue {
    let mut m = HashMap::new();
    m.insert(
        "display_name".to_string(),
        AttributeValue::S(p.display_name.clone()),
    );
    m.insert("bio".to_string(), AttributeValue::S(p.bio.clone()));
    m.insert("age".to_string(), AttributeValue::N(p.age.to_string()));
    m.insert(
        "rating".to_string(),
        AttributeValue::N(p.rating.to_string()),
    );
    m.insert("verified".to_string(), AttributeValue::Bool(p.verified));
    m.insert("address".to_string(), hand_address_to(&p.address));
    AttributeValue::M(m)
}

fn hand_line_to(l: &Line) -> AttributeValue {
    let mut m = HashMap::new();
    m.insert("sku".to_string(), AttributeValue::S(l.sku.clone()));
    m.insert("name".to_string(), AttributeValue::S(l.name.clone()));
    m.insert(
        "quantity".to_string(),
        AttributeValue::N(l.quantity.to_string()),
    );
    m.insert(
        "unit_price".to_string(),
        AttributeValue::N(l.unit_price.to_string()),
    );
    m.insert("gift".to_string(), AttributeValue::Bool(l.gift));
    AttributeValue::M(m)
}

pub fn hand_large_to_item(l: &Large) -> Item {
    let mut item = HashMap::new();
    item.insert("id".to_string(), AttributeValue::S(l.id.clone()));
    item.insert("profile".to_string(), hand_profile_to(&l.profile));
    item.insert(
        "lines".to_string(),
        AttributeValue::L(l.lines.iter().map(hand_line_to).collect()),
    );
    item.insert(
        "label_01".to_string(),
        AttributeValue::S(l.label_01.clone()),
    );
    item.insert(
        "label_02".to_string(),
        AttributeValue::S(l.label_02.clone()),
    );
    item.insert(
        "label_03".to_string(),
        AttributeValue::S(l.label_03.clone()),
    );
    item.insert(
        "label_04".to_string(),
        AttributeValue::S(l.label_04.clone()),
    );
    item.insert(
        "label_05".to_string(),
        AttributeValue::S(l.label_05.clone()),
    );
    item.insert(
        "label_06".to_string(),
        AttributeValue::S(l.label_06.clone()),
    );
    item.insert(
        "label_07".to_string(),
        AttributeValue::S(l.label_07.clone()),
    );
    item.insert(
        "label_08".to_string(),
        AttributeValue::S(l.label_08.clone()),
    );
    item.insert(
        "label_09".to_string(),
        AttributeValue::S(l.label_09.clone()),
    );
    item.insert(
        "label_10".to_string(),
        AttributeValue::S(l.label_10.clone()),
    );
    item.insert(
        "label_11".to_string(),
        AttributeValue::S(l.label_11.clone()),
    );
    item.insert(
        "label_12".to_string(),
        AttributeValue::S(l.label_12.clone()),
    );
    item.insert(
        "label_13".to_string(),
        AttributeValue::S(l.label_13.clone()),
    );
    item.insert(
        "label_14".to_string(),
        AttributeValue::S(l.label_14.clone()),
    );
    item.insert(
        "label_15".to_string(),
        AttributeValue::S(l.label_15.clone()),
    );
    item.insert(
        "label_16".to_string(),
        AttributeValue::S(l.label_16.clone()),
    );
    item.insert(
        "label_17".to_string(),
        AttributeValue::S(l.label_17.clone()),
    );
    item.insert(
        "label_18".to_string(),
        AttributeValue::S(l.label_18.clone()),
    );
    item.insert(
        "label_19".to_string(),
        AttributeValue::S(l.label_19.clone()),
    );
    item.insert(
        "label_20".to_string(),
        AttributeValue::S(l.label_20.clone()),
    );
    if !l.scores.is_empty() {
        item.insert(
            "scores".to_string(),
            AttributeValue::Ns(l.scores.iter().map(|n| n.to_string()).collect()),
        );
    }
    item
}

fn get_m<'a>(item: &'a Item, name: &str) -> Result<&'a Item, String> {
    match item.get(name) {
        Some(AttributeValue::M(m)) => Ok(m),
        _ => Err(format!("{name} is missing or not a map")),
    }
}

fn hand_address_from(m: &Item) -> Result<Address, String> {
    Ok(Address {
        street: get_s(m, "street")?,
        city: get_s(m, "city")?,
        zip: get_s(m, "zip")?,
        country: get_s(m, "country")?,
    })
}

fn hand_profile_from(m: &Item) -> Result<Profile, String> {
    Ok(Profile {
        display_name: get_s(m, "display_name")?,
        bio: get_s(m, "bio")?,
        age: get_n(m, "age")?,
        rating: get_n(m, "rating")?,
        verified: get_bool(m, "verified")?,
        address: hand_address_from(get_m(m, "address")?)?,
    })
}

fn hand_line_from(v: &AttributeValue) -> Result<Line, String> {
    let m = v.as_m().map_err(|_| "a line is not a map".to_string())?;
    Ok(Line {
        sku: get_s(m, "sku")?,
        name: get_s(m, "name")?,
        quantity: get_n(m, "quantity")?,
        unit_price: get_n(m, "unit_price")?,
        gift: get_bool(m, "gift")?,
    })
}

pub fn hand_large_from_item(item: &Item) -> Result<Large, String> {
    Ok(Large {
        id: get_s(item, "id")?,
        profile: hand_profile_from(get_m(item, "profile")?)?,
        lines: get_l(item, "lines")?
            .iter()
            .map(hand_line_from)
            .collect::<Result<_, _>>()?,
        label_01: get_s(item, "label_01")?,
        label_02: get_s(item, "label_02")?,
        label_03: get_s(item, "label_03")?,
        label_04: get_s(item, "label_04")?,
        label_05: get_s(item, "label_05")?,
        label_06: get_s(item, "label_06")?,
        label_07: get_s(item, "label_07")?,
        label_08: get_s(item, "label_08")?,
        label_09: get_s(item, "label_09")?,
        label_10: get_s(item, "label_10")?,
        label_11: get_s(item, "label_11")?,
        label_12: get_s(item, "label_12")?,
        label_13: get_s(item, "label_13")?,
        label_14: get_s(item, "label_14")?,
        label_15: get_s(item, "label_15")?,
        label_16: get_s(item, "label_16")?,
        label_17: get_s(item, "label_17")?,
        label_18: get_s(item, "label_18")?,
        label_19: get_s(item, "label_19")?,
        label_20: get_s(item, "label_20")?,
        scores: match item.get("scores") {
            Some(AttributeValue::Ns(ns)) => ns
                .iter()
                .map(|n| n.parse().map_err(|_| format!("bad score {n}")))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("scores is not a number set".into()),
            None => HashSet::new(),
        },
    })
}
