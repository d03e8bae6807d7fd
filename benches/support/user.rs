//! The user of the README, the "medium" shape of the benchmarks, with the conversion
//! a user would write by hand without a mapper: the bar the derive must beat.
//!
//! The hand-written code is deliberately what one writes first, not what one
//! writes after profiling: `HashMap::new()`, `to_string()` for numbers, and
//! reading by cloning out of a borrowed item.
// Shared by both bench binaries; each uses a part of it.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use dynamo_orm::{AttributeValue, DynamoItem, Item};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// username, date_joined, first and last names, friend_count, a string set,
/// a list, an f64, a bool, an `Option` and a version.
#[derive(DynamoItem, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[dynamo(table = "bench_users")]
pub struct User {
    #[dynamo(hash_key)]
    pub username: String,
    #[dynamo(range_key)]
    pub date_joined: i64,
    pub first_name: String,
    pub last_name: String,
    pub friend_count: u32,
    // serde_dynamo writes sets as lists unless told; the derive knows from the type.
    #[serde(with = "serde_dynamo::string_set")]
    pub friends: HashSet<String>,
    pub recent_posts: Vec<String>,
    pub balance: f64,
    pub active: bool,
    // serde_dynamo writes `None` as NULL unless told; the derive leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[dynamo(version)]
    pub version: u64,
}

/// A user with `i` in its key and its data. The float has a fraction so that
/// `ryu` (the derive) and `to_string` (serde_dynamo, the hand-written code)
/// write the same text, which the equality checks rely on.
pub fn user(username: String, date_joined: i64, i: u64) -> User {
    User {
        username,
        date_joined,
        first_name: "John".into(),
        last_name: format!("Doe{i}"),
        friend_count: 5,
        friends: ["alice", "bob", "carol", "dave", "erin"]
            .iter()
            .map(|f| f.to_string())
            .collect(),
        recent_posts: vec![
            format!("post-{i}-1"),
            format!("post-{i}-2"),
            format!("post-{i}-3"),
        ],
        // Exact in binary: prints the same with ryu and `to_string`.
        balance: 1234.5 + (i % 1000) as f64,
        active: i.is_multiple_of(2),
        nickname: Some("johnny".into()),
        version: 3,
    }
}

/// The user the conversion benchmarks convert.
pub fn sample_user() -> User {
    user("johndoe".into(), 1_366_056_668, 42)
}

/// What `to_item` returns when written by hand.
pub fn hand_to_item(u: &User) -> Item {
    let mut item = HashMap::new();
    item.insert(
        "username".to_string(),
        AttributeValue::S(u.username.clone()),
    );
    item.insert(
        "date_joined".to_string(),
        AttributeValue::N(u.date_joined.to_string()),
    );
    item.insert(
        "first_name".to_string(),
        AttributeValue::S(u.first_name.clone()),
    );
    item.insert(
        "last_name".to_string(),
        AttributeValue::S(u.last_name.clone()),
    );
    item.insert(
        "friend_count".to_string(),
        AttributeValue::N(u.friend_count.to_string()),
    );
    if !u.friends.is_empty() {
        item.insert(
            "friends".to_string(),
            AttributeValue::Ss(u.friends.iter().cloned().collect()),
        );
    }
    item.insert(
        "recent_posts".to_string(),
        AttributeValue::L(
            u.recent_posts
                .iter()
                .map(|p| AttributeValue::S(p.clone()))
                .collect(),
        ),
    );
    item.insert(
        "balance".to_string(),
        AttributeValue::N(u.balance.to_string()),
    );
    item.insert("active".to_string(), AttributeValue::Bool(u.active));
    if let Some(nickname) = &u.nickname {
        item.insert("nickname".to_string(), AttributeValue::S(nickname.clone()));
    }
    item.insert(
        "version".to_string(),
        AttributeValue::N(u.version.to_string()),
    );
    item
}

/// What `from_item` is when written by hand.
pub fn hand_from_item(item: &Item) -> Result<User, String> {
    Ok(User {
        username: get_s(item, "username")?,
        date_joined: get_n(item, "date_joined")?,
        first_name: get_s(item, "first_name")?,
        last_name: get_s(item, "last_name")?,
        friend_count: get_n(item, "friend_count")?,
        friends: match item.get("friends") {
            Some(v) => v
                .as_ss()
                .map_err(|_| "friends is not a string set".to_string())?
                .iter()
                .cloned()
                .collect(),
            None => HashSet::new(),
        },
        recent_posts: get_l(item, "recent_posts")?
            .iter()
            .map(|v| {
                v.as_s()
                    .cloned()
                    .map_err(|_| "recent_posts holds a non-string".to_string())
            })
            .collect::<Result<_, _>>()?,
        balance: get_n(item, "balance")?,
        active: get_bool(item, "active")?,
        nickname: match item.get("nickname") {
            Some(v) => Some(
                v.as_s()
                    .cloned()
                    .map_err(|_| "nickname is not a string".to_string())?,
            ),
            None => None,
        },
        version: get_n(item, "version")?,
    })
}

/// A hand-written key for `GetItem`.
pub fn hand_key(username: &str, date_joined: i64) -> Item {
    let mut key = HashMap::new();
    key.insert(
        "username".to_string(),
        AttributeValue::S(username.to_string()),
    );
    key.insert(
        "date_joined".to_string(),
        AttributeValue::N(date_joined.to_string()),
    );
    key
}

pub fn get_s(item: &Item, name: &str) -> Result<String, String> {
    match item.get(name) {
        Some(AttributeValue::S(s)) => Ok(s.clone()),
        _ => Err(format!("{name} is missing or not a string")),
    }
}

pub fn get_n<T: FromStr>(item: &Item, name: &str) -> Result<T, String> {
    match item.get(name) {
        Some(AttributeValue::N(n)) => n.parse().map_err(|_| format!("{name} is not a number")),
        _ => Err(format!("{name} is missing or not a number")),
    }
}

pub fn get_bool(item: &Item, name: &str) -> Result<bool, String> {
    match item.get(name) {
        Some(AttributeValue::Bool(b)) => Ok(*b),
        _ => Err(format!("{name} is missing or not a bool")),
    }
}

pub fn get_l<'a>(item: &'a Item, name: &str) -> Result<&'a Vec<AttributeValue>, String> {
    match item.get(name) {
        Some(AttributeValue::L(l)) => Ok(l),
        _ => Err(format!("{name} is missing or not a list")),
    }
}

/// Checks once, before anything is measured, that the derive, the
/// hand-written code and serde_dynamo agree on `value`: the same item, and
/// the same struct read back from it.
pub fn assert_conversions_agree<T>(
    value: &T,
    hand_to: fn(&T) -> Item,
    hand_from: fn(&Item) -> Result<T, String>,
) where
    T: DynamoItem + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let name = std::any::type_name::<T>();
    let derived = value.to_item().expect("derive to_item");
    assert_eq!(
        derived,
        hand_to(value),
        "{name}: derive vs hand-written item"
    );
    let serde: Item = serde_dynamo::to_item(value).expect("serde_dynamo to_item");
    assert_eq!(derived, serde, "{name}: derive vs serde_dynamo item");
    let back = T::from_item(derived.clone()).expect("derive from_item");
    assert_eq!(&back, value, "{name}: derive from_item");
    let back = hand_from(&derived).expect("hand-written from_item");
    assert_eq!(&back, value, "{name}: hand-written from_item");
    let back: T = serde_dynamo::from_item(derived).expect("serde_dynamo from_item");
    assert_eq!(&back, value, "{name}: serde_dynamo from_item");
}
