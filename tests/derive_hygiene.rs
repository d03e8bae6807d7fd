//! The derives' output names everything by absolute path: it compiles, without
//! a warning, in a module that shadows the prelude (serde's `test_gen.rs`).

mod hygiene {
    #![deny(warnings)]
    #![allow(non_camel_case_types)]

    // Each shadows a prelude (or primitive) name the generated code must not rely on.
    #[allow(dead_code)]
    struct Result;
    #[allow(dead_code)]
    struct Ok;
    #[allow(dead_code)]
    struct Err;
    #[allow(dead_code)]
    struct Some;
    #[allow(dead_code)]
    struct None;
    #[allow(dead_code)]
    struct Option;
    #[allow(dead_code)]
    struct String;
    #[allow(dead_code)]
    struct HashMap;
    #[allow(dead_code)]
    struct Vec;
    #[allow(dead_code)]
    struct Default;
    #[allow(dead_code)]
    struct Clone;
    #[allow(dead_code)]
    struct From;
    #[allow(dead_code)]
    struct Into;
    #[allow(dead_code)]
    struct TryFrom;
    #[allow(dead_code)]
    struct str;
    #[allow(dead_code)]
    struct u64;
    #[allow(dead_code)]
    struct usize;
    #[allow(dead_code)]
    struct bool;
    #[allow(dead_code)]
    mod dynamo_orm {}
    #[allow(dead_code)]
    mod core {}

    use ::dynamo_orm::{DynamoAttribute, DynamoEntities, DynamoItem, DynamoTable};

    /// Stored upper-case.
    pub mod shout {
        // The `with` contract is `fn(&T)`, here `&String`.
        #[allow(clippy::ptr_arg)]
        pub fn to_attribute(
            value: &::std::string::String,
        ) -> ::std::result::Result<::dynamo_orm::AttributeValue, ::dynamo_orm::EncodeError>
        {
            ::std::result::Result::Ok(::dynamo_orm::AttributeValue::S(value.to_uppercase()))
        }

        pub fn from_attribute(
            value: ::dynamo_orm::AttributeValue,
        ) -> ::std::result::Result<::std::string::String, ::dynamo_orm::DecodeError> {
            match value {
                ::dynamo_orm::AttributeValue::S(text) => {
                    ::std::result::Result::Ok(text.to_lowercase())
                }
                other => ::std::result::Result::Err(::dynamo_orm::DecodeError::type_mismatch(
                    "S", &other,
                )),
            }
        }
    }

    #[derive(DynamoAttribute, Debug, PartialEq, Eq, Hash, ::core::clone::Clone, Copy)]
    pub enum Kind {
        Small,
        #[dynamo(rename = "big")]
        Large,
    }

    #[derive(DynamoAttribute, Debug, PartialEq, ::core::clone::Clone)]
    #[dynamo(rename_all = "camelCase")]
    pub struct Meta {
        pub created_by: ::std::string::String,
        pub labels: ::std::vec::Vec<::std::string::String>,
        pub extra: ::std::collections::HashMap<::std::string::String, i64>,
    }

    #[derive(DynamoAttribute, Debug, PartialEq)]
    #[dynamo(projection_of = Thing)]
    pub struct ThingName {
        pub id: ::std::string::String,
        pub name: ::std::string::String,
    }

    #[derive(DynamoItem, Debug, PartialEq, ::core::clone::Clone)]
    #[dynamo(table = "things")]
    #[dynamo(gsi(ByKind, hash = kind, range = size, projection = include(name)))]
    #[dynamo(lsi(BySize, range = size))]
    pub struct Thing {
        #[dynamo(hash_key)]
        pub id: ::std::string::String,
        #[dynamo(range_key)]
        pub sort: ::core::primitive::u64,
        pub kind: Kind,
        pub size: ::core::primitive::u32,
        pub name: ::std::string::String,
        pub nickname: ::std::option::Option<::std::string::String>,
        pub blob: ::std::vec::Vec<::core::primitive::u8>,
        #[dynamo(flatten)]
        pub meta: Meta,
        #[dynamo(with = shout)]
        pub motto: ::std::string::String,
        #[dynamo(default)]
        pub count: ::core::primitive::i32,
        #[dynamo(skip)]
        pub scratch: ::std::vec::Vec<::core::primitive::u8>,
        #[dynamo(version)]
        pub version: ::core::primitive::u64,
        #[dynamo(ttl)]
        pub expires: ::std::option::Option<::std::time::SystemTime>,
    }

    /// Generic: the inferred bounds and the hand-written companion impls.
    #[derive(DynamoItem, Debug, PartialEq)]
    #[dynamo(table = "crates", gsi(ByLabel, hash = label))]
    pub struct Crate<T> {
        #[dynamo(hash_key)]
        pub id: ::std::string::String,
        pub label: ::std::string::String,
        pub content: T,
        #[dynamo(skip)]
        pub cached: ::std::option::Option<T>,
    }

    /// Single-table design: a table, entities with templates, an enum of them.
    #[derive(DynamoTable)]
    #[dynamo(table = "shared", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
    pub struct Shared {
        #[dynamo(hash_key)]
        pub pk: ::std::string::String,
        #[dynamo(range_key)]
        pub sk: ::std::string::String,
        pub gsi1pk: ::std::string::String,
        pub gsi1sk: ::std::string::String,
    }

    #[derive(DynamoItem, Debug, PartialEq, ::core::clone::Clone)]
    #[dynamo(table = Shared, key(hash = "BOX#{owner}", range = "ITEM#{id}#{kind}"))]
    #[dynamo(index(Gsi1, hash = "KIND#{kind}", range = "W#{weight}"))]
    pub struct Boxed {
        pub owner: ::std::string::String,
        pub id: ::core::primitive::u64,
        pub kind: Kind,
        pub weight: ::std::option::Option<::core::primitive::u32>,
        #[dynamo(version)]
        pub version: ::core::primitive::u64,
    }

    #[derive(DynamoEntities, Debug, PartialEq, ::core::clone::Clone)]
    #[dynamo(table = Shared)]
    pub enum SharedItem {
        Boxed(Boxed),
        #[dynamo(other)]
        Other(::dynamo_orm::Document),
    }

    pub fn thing() -> Thing {
        Thing {
            id: "a".into(),
            sort: 1,
            kind: Kind::Large,
            size: 3,
            name: "anvil".into(),
            nickname: ::std::option::Option::None,
            blob: ::std::vec![1, 2, 3],
            meta: Meta {
                created_by: "me".into(),
                labels: ::std::vec!["x".into()],
                extra: ::std::collections::HashMap::new(),
            },
            motto: "heavy".into(),
            count: 2,
            scratch: ::std::vec::Vec::new(),
            version: 1,
            expires: ::std::option::Option::None,
        }
    }
}

use dynamo_orm::{AttributeMap, AttributeValue, DynamoItem, Index};
use hygiene::{ByKind, BySize, Thing, ThingName, thing};

#[test]
fn round_trips_in_a_hostile_scope() {
    let original = thing();
    let item = original.to_item().unwrap();
    assert_eq!(item["motto"], AttributeValue::S("HEAVY".into()));
    assert_eq!(item["kind"], AttributeValue::S("big".into()));
    assert_eq!(item["createdBy"], AttributeValue::S("me".into()));
    assert_eq!(item["blob"], AttributeValue::B(vec![1, 2, 3].into()));
    assert_eq!(Thing::from_item(item.clone()).unwrap(), original);
    assert_eq!(original.key(), Thing::key("a", 1));
    assert_eq!(original.version(), Ok(1));
    assert_eq!(
        ByKind::SCHEMA.projection,
        dynamo_orm::Projection::Include(&["name"])
    );
    assert_eq!(BySize::SCHEMA.hash_key.name, "id");
    let name = ThingName::from_map(item).unwrap();
    assert_eq!(name.name, "anvil");

    let boxed = hygiene::Crate {
        id: "c".into(),
        label: "tools".into(),
        content: 7u8,
        cached: None,
    };
    let item = boxed.to_item().unwrap();
    assert_eq!(hygiene::Crate::<u8>::from_item(item).unwrap(), boxed);
    assert_eq!(hygiene::ByLabel::<u8>::SCHEMA.hash_key.name, "label");

    let boxed = hygiene::Boxed {
        owner: "o".into(),
        id: 3,
        kind: hygiene::Kind::Small,
        weight: Some(7),
        version: 1,
    };
    let item = boxed.to_item().unwrap();
    assert_eq!(item["sk"], AttributeValue::S("ITEM#3#Small".into()));
    assert_eq!(item["gsi1sk"], AttributeValue::S("W#7".into()));
    assert_eq!(hygiene::Boxed::from_item(item.clone()).unwrap(), boxed);
    assert_eq!(
        hygiene::SharedItem::from_item(item).unwrap(),
        hygiene::SharedItem::Boxed(boxed)
    );
}
