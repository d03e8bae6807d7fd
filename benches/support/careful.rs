//! The careful hand-written conversions: what one writes after profiling, the
//! practical limit a mapper can reach. Maps are sized up front, numbers are
//! written with `itoa` / `ryu` into one exact-size string each, and reading
//! takes the item by value and moves every string out of it (no clone).

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use dynamo_orm::{AttributeValue, Item};

use crate::shapes::{Address, Large, Line, Profile, Small};
use crate::user::User;

fn int(n: impl itoa::Integer) -> AttributeValue {
    AttributeValue::N(itoa::Buffer::new().format(n).to_owned())
}

fn float(f: f64) -> AttributeValue {
    AttributeValue::N(ryu::Buffer::new().format_finite(f).to_owned())
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

fn take(item: &mut Item, name: &str) -> Result<AttributeValue, String> {
    item.remove(name)
        .ok_or_else(|| format!("{name} is missing"))
}

fn take_s(item: &mut Item, name: &str) -> Result<String, String> {
    match take(item, name)? {
        AttributeValue::S(s) => Ok(s),
        _ => Err(format!("{name} is not a string")),
    }
}

fn take_n<T: FromStr>(item: &mut Item, name: &str) -> Result<T, String> {
    match take(item, name)? {
        AttributeValue::N(n) => n.parse().map_err(|_| format!("{name} is not a number")),
        _ => Err(format!("{name} is not a number")),
    }
}

fn take_bool(item: &mut Item, name: &str) -> Result<bool, String> {
    match take(item, name)? {
        AttributeValue::Bool(b) => Ok(b),
        _ => Err(format!("{name} is not a bool")),
    }
}

fn take_m(item: &mut Item, name: &str) -> Result<Item, String> {
    match take(item, name)? {
        AttributeValue::M(m) => Ok(m),
        _ => Err(format!("{name} is not a map")),
    }
}

fn take_l(item: &mut Item, name: &str) -> Result<Vec<AttributeValue>, String> {
    match take(item, name)? {
        AttributeValue::L(l) => Ok(l),
        _ => Err(format!("{name} is not a list")),
    }
}

// ------------------------------------------------------------------ small

pub fn small_to_item(v: &Small) -> Item {
    let mut item = HashMap::with_capacity(3);
    item.insert("id".to_owned(), s(&v.id));
    item.insert("count".to_owned(), int(v.count));
    item.insert("active".to_owned(), AttributeValue::Bool(v.active));
    item
}

pub fn small_from_item(mut item: Item) -> Result<Small, String> {
    Ok(Small {
        id: take_s(&mut item, "id")?,
        count: take_n(&mut item, "count")?,
        active: take_bool(&mut item, "active")?,
    })
}

// ------------------------------------------------------------------ medium

pub fn user_to_item(u: &User) -> Item {
    let mut item = HashMap::with_capacity(11);
    item.insert("username".to_owned(), s(&u.username));
    item.insert("date_joined".to_owned(), int(u.date_joined));
    item.insert("first_name".to_owned(), s(&u.first_name));
    item.insert("last_name".to_owned(), s(&u.last_name));
    item.insert("friend_count".to_owned(), int(u.friend_count));
    if !u.friends.is_empty() {
        let friends = u.friends.iter().cloned().collect();
        item.insert("friends".to_owned(), AttributeValue::Ss(friends));
    }
    let posts = u.recent_posts.iter().map(|p| s(p)).collect();
    item.insert("recent_posts".to_owned(), AttributeValue::L(posts));
    item.insert("balance".to_owned(), float(u.balance));
    item.insert("active".to_owned(), AttributeValue::Bool(u.active));
    if let Some(nickname) = &u.nickname {
        item.insert("nickname".to_owned(), s(nickname));
    }
    item.insert("version".to_owned(), int(u.version));
    item
}

pub fn user_from_item(mut item: Item) -> Result<User, String> {
    Ok(User {
        username: take_s(&mut item, "username")?,
        date_joined: take_n(&mut item, "date_joined")?,
        first_name: take_s(&mut item, "first_name")?,
        last_name: take_s(&mut item, "last_name")?,
        friend_count: take_n(&mut item, "friend_count")?,
        friends: match item.remove("friends") {
            Some(AttributeValue::Ss(ss)) => ss.into_iter().collect(),
            Some(_) => return Err("friends is not a string set".into()),
            None => HashSet::new(),
        },
        recent_posts: take_l(&mut item, "recent_posts")?
            .into_iter()
            .map(|v| match v {
                AttributeValue::S(s) => Ok(s),
                _ => Err("recent_posts holds a non-string".to_string()),
            })
            .collect::<Result<_, _>>()?,
        balance: take_n(&mut item, "balance")?,
        active: take_bool(&mut item, "active")?,
        nickname: match item.remove("nickname") {
            Some(AttributeValue::S(s)) => Some(s),
            Some(_) => return Err("nickname is not a string".into()),
            None => None,
        },
        version: take_n(&mut item, "version")?,
    })
}

// ------------------------------------------------------------------ large

fn address_to(a: &Address) -> AttributeValue {
    let mut m = HashMap::with_capacity(4);
    m.insert("street".to_owned(), s(&a.street));
    m.insert("city".to_owned(), s(&a.city));
    m.insert("zip".to_owned(), s(&a.zip));
    m.insert("country".to_owned(), s(&a.country));
    AttributeValue::M(m)
}

fn profile_to(p: &Profile) -> AttributeValue {
    let mut m = HashMap::with_capacity(6);
    m.insert("display_name".to_owned(), s(&p.display_name));
    m.insert("bio".to_owned(), s(&p.bio));
    m.insert("age".to_owned(), int(p.age));
    m.insert("rating".to_owned(), float(p.rating));
    m.insert("verified".to_owned(), AttributeValue::Bool(p.verified));
    m.insert("address".to_owned(), address_to(&p.address));
    AttributeValue::M(m)
}

fn line_to(l: &Line) -> AttributeValue {
    let mut m = HashMap::with_capacity(5);
    m.insert("sku".to_owned(), s(&l.sku));
    m.insert("name".to_owned(), s(&l.name));
    m.insert("quantity".to_owned(), int(l.quantity));
    m.insert("unit_price".to_owned(), float(l.unit_price));
    m.insert("gift".to_owned(), AttributeValue::Bool(l.gift));
    AttributeValue::M(m)
}

pub fn large_to_item(l: &Large) -> Item {
    let mut item = HashMap::with_capacity(24);
    item.insert("id".to_owned(), s(&l.id));
    item.insert("profile".to_owned(), profile_to(&l.profile));
    let lines = l.lines.iter().map(line_to).collect();
    item.insert("lines".to_owned(), AttributeValue::L(lines));
    let labels = [
        ("label_01", &l.label_01),
        ("label_02", &l.label_02),
        ("label_03", &l.label_03),
        ("label_04", &l.label_04),
        ("label_05", &l.label_05),
        ("label_06", &l.label_06),
        ("label_07", &l.label_07),
        ("label_08", &l.label_08),
        ("label_09", &l.label_09),
        ("label_10", &l.label_10),
        ("label_11", &l.label_11),
        ("label_12", &l.label_12),
        ("label_13", &l.label_13),
        ("label_14", &l.label_14),
        ("label_15", &l.label_15),
        ("label_16", &l.label_16),
        ("label_17", &l.label_17),
        ("label_18", &l.label_18),
        ("label_19", &l.label_19),
        ("label_20", &l.label_20),
    ];
    for (name, value) in labels {
        item.insert(name.to_owned(), s(value));
    }
    if !l.scores.is_empty() {
        let mut buffer = itoa::Buffer::new();
        let scores = l
            .scores
            .iter()
            .map(|n| buffer.format(*n).to_owned())
            .collect();
        item.insert("scores".to_owned(), AttributeValue::Ns(scores));
    }
    item
}

fn address_from(mut m: Item) -> Result<Address, String> {
    Ok(Address {
        street: take_s(&mut m, "street")?,
        city: take_s(&mut m, "city")?,
        zip: take_s(&mut m, "zip")?,
        country: take_s(&mut m, "country")?,
    })
}

fn profile_from(mut m: Item) -> Result<Profile, String> {
    Ok(Profile {
        display_name: take_s(&mut m, "display_name")?,
        bio: take_s(&mut m, "bio")?,
        age: take_n(&mut m, "age")?,
        rating: take_n(&mut m, "rating")?,
        verified: take_bool(&mut m, "verified")?,
        address: address_from(take_m(&mut m, "address")?)?,
    })
}

fn line_from(v: AttributeValue) -> Result<Line, String> {
    let AttributeValue::M(mut m) = v else {
        return Err("a line is not a map".into());
    };
    Ok(Line {
        sku: take_s(&mut m, "sku")?,
        name: take_s(&mut m, "name")?,
        quantity: take_n(&mut m, "quantity")?,
        unit_price: take_n(&mut m, "unit_price")?,
        gift: take_bool(&mut m, "gift")?,
    })
}

pub fn large_from_item(mut item: Item) -> Result<Large, String> {
    let i = &mut item;
    Ok(Large {
        id: take_s(i, "id")?,
        profile: profile_from(take_m(i, "profile")?)?,
        lines: take_l(i, "lines")?
            .into_iter()
            .map(line_from)
            .collect::<Result<_, _>>()?,
        label_01: take_s(i, "label_01")?,
        label_02: take_s(i, "label_02")?,
        label_03: take_s(i, "label_03")?,
        label_04: take_s(i, "label_04")?,
        label_05: take_s(i, "label_05")?,
        label_06: take_s(i, "label_06")?,
        label_07: take_s(i, "label_07")?,
        label_08: take_s(i, "label_08")?,
        label_09: take_s(i, "label_09")?,
        label_10: take_s(i, "label_10")?,
        label_11: take_s(i, "label_11")?,
        label_12: take_s(i, "label_12")?,
        label_13: take_s(i, "label_13")?,
        label_14: take_s(i, "label_14")?,
        label_15: take_s(i, "label_15")?,
        label_16: take_s(i, "label_16")?,
        label_17: take_s(i, "label_17")?,
        label_18: take_s(i, "label_18")?,
        label_19: take_s(i, "label_19")?,
        label_20: take_s(i, "label_20")?,
        scores: match i.remove("scores") {
            Some(AttributeValue::Ns(ns)) => {
                let mut scores = HashSet::with_capacity(ns.len());
                for n in &ns {
                    scores.insert(n.parse().map_err(|_| format!("bad score {n}"))?);
                }
                scores
            }
            Some(_) => return Err("scores is not a number set".into()),
            None => HashSet::new(),
        },
    })
}
