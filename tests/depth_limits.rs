//! Values nested a thousand levels deep are refused with an error that names
//! the path, never a stack overflow: `serde_json::Value` both ways, raw
//! `AttributeValue`s, DynamoDB-JSON text and values, and recursive derived
//! structs both ways. Each test runs on a thread with an explicit 2 MiB
//! stack (the default of spawned threads), where unbounded recursion of a
//! debug build over a thousand levels would overflow.

use dynamo_orm::json::{item_from_dynamodb_json, item_from_dynamodb_value, item_from_json};
use dynamo_orm::value::check_value;
use dynamo_orm::{
    AttributeValue, DecodeErrorKind, Document, DynamoAttribute, DynamoItem, EncodeErrorKind,
    FromAttribute, IntoAttribute, Item,
};
use serde_json::{Map, Value, json};

const DEEP: usize = 1000;

/// Runs `f` on a thread with a 2 MiB stack; a stack overflow would abort the
/// process, failing the test binary.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

const TOO_DEEP_E: EncodeErrorKind = EncodeErrorKind::TooDeep { limit: 32 };
const TOO_DEEP_D: DecodeErrorKind = DecodeErrorKind::TooDeep { limit: 32 };

/// An object of one entry, built directly: `json!` would serialize (deep
/// copy, recursively) a value it embeds.
fn object(key: &str, v: Value) -> Value {
    Value::Object(Map::from_iter([(key.to_owned(), v)]))
}

fn deep_json(levels: usize) -> Value {
    let mut v = json!("leaf");
    for i in 0..levels {
        v = if i % 2 == 0 {
            Value::Array(vec![v])
        } else {
            object("k", v)
        };
    }
    v
}

fn deep_attribute(levels: usize) -> AttributeValue {
    let mut v = AttributeValue::S("leaf".into());
    for i in 0..levels {
        v = if i % 2 == 0 {
            AttributeValue::L(vec![v])
        } else {
            AttributeValue::M(Item::from([("k".to_owned(), v)]))
        };
    }
    v
}

#[test]
fn json_values() {
    on_small_stack(|| {
        let deep = deep_json(DEEP);
        let err = deep.to_attribute().unwrap_err();
        assert_eq!(err.kind(), &TOO_DEEP_E);
        assert!(err.path().to_string().starts_with("k[0].k[0]"), "{err}");

        let err = item_from_json(object("a", deep)).unwrap_err();
        assert!(err.message().contains("32 levels"), "{err}");
        assert!(err.path().to_string().starts_with("a.k[0]"), "{err}");

        let err = Value::from_attribute(deep_attribute(DEEP)).unwrap_err();
        assert_eq!(err.kind(), &TOO_DEEP_D);
        assert_eq!(err.path().segments().count(), 31);

        // As deep as DynamoDB stores: fine both ways.
        let ok = deep_json(31);
        assert_eq!(
            Value::from_attribute(ok.to_attribute().unwrap()).unwrap(),
            ok
        );
    });
}

#[test]
fn raw_attribute_values() {
    on_small_stack(|| {
        let deep = deep_attribute(DEEP);
        let err = check_value(&deep).unwrap_err();
        assert_eq!(err.kind(), &TOO_DEEP_E);
        assert_eq!(deep.to_attribute().unwrap_err(), err);

        let mut doc = Document::new();
        let err = doc.insert("a", deep.clone()).unwrap_err();
        assert!(err.path().to_string().starts_with("a.k[0].k"), "{err}");
        let item = Item::from([("a".to_owned(), deep)]);
        assert!(Document::try_from_item(item.clone()).is_err());
        assert!(matches!(
            dynamo_orm::limits::check_item(&item),
            Err(dynamo_orm::Error::Encode(_))
        ));
    });
}

#[test]
fn dynamodb_json() {
    on_small_stack(|| {
        // serde_json itself stops parsing text nested past 128 levels.
        let mut text = String::from(r#"{"S": "leaf"}"#);
        for _ in 0..DEEP {
            text = format!(r#"{{"L": [{text}]}}"#);
        }
        let err = item_from_dynamodb_json(&format!(r#"{{"a": {text}}}"#)).unwrap_err();
        assert!(err.message().contains("recursion limit"), "{err}");

        // 40 lists in text serde_json parses: refused by the depth limit.
        let mut text = String::from(r#"{"S": "leaf"}"#);
        for _ in 0..40 {
            text = format!(r#"{{"L": [{text}]}}"#);
        }
        let err = item_from_dynamodb_json(&format!(r#"{{"a": {text}}}"#)).unwrap_err();
        assert_eq!(
            err.message(),
            "nested deeper than DynamoDB's 32 levels",
            "{err}"
        );
        assert_eq!(err.path().segments().count(), 32, "{err}");

        // A parsed value is not limited by serde_json: ours is the limit.
        let mut value = json!({"S": "leaf"});
        for _ in 0..DEEP {
            value = object("L", Value::Array(vec![value]));
        }
        let err = item_from_dynamodb_value(object("a", value)).unwrap_err();
        assert!(err.message().contains("32 levels"), "{err}");
    });
}

/// A recursive type, as a user would write one.
#[derive(DynamoAttribute, Debug, Clone, PartialEq)]
struct Node {
    value: u32,
    child: Option<Box<Node>>,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "trees")]
struct Tree {
    #[dynamo(hash_key)]
    id: String,
    root: Node,
}

fn chain(levels: usize) -> Node {
    let mut node = Node {
        value: 0,
        child: None,
    };
    for value in 1..levels as u32 {
        node = Node {
            value,
            child: Some(Box::new(node)),
        };
    }
    node
}

fn raw_chain(levels: usize) -> AttributeValue {
    let mut v = AttributeValue::M(Item::from([(
        "value".to_owned(),
        AttributeValue::N("0".into()),
    )]));
    for _ in 1..levels {
        v = AttributeValue::M(Item::from([
            ("value".to_owned(), AttributeValue::N("1".into())),
            ("child".to_owned(), v),
        ]));
    }
    v
}

#[test]
fn recursive_derived_structs() {
    on_small_stack(|| {
        let tree = Tree {
            id: "t".into(),
            root: chain(DEEP),
        };
        let err = tree.to_item().unwrap_err();
        assert_eq!(err.kind(), &TOO_DEEP_E);
        assert!(
            err.path().to_string().starts_with("root.child.child"),
            "{err}"
        );

        let item = Item::from([
            ("id".to_owned(), AttributeValue::S("t".into())),
            ("root".to_owned(), raw_chain(DEEP)),
        ]);
        let err = Tree::from_item(item).unwrap_err();
        assert_eq!(err.kind(), &TOO_DEEP_D);
        assert!(
            err.path().to_string().starts_with("root.child.child"),
            "{err}"
        );

        // 31 nested structs (the root's map at level 2, the last at 32) are
        // what DynamoDB stores: they convert both ways.
        let tree = Tree {
            id: "t".into(),
            root: chain(31),
        };
        let item = tree.to_item().unwrap();
        dynamo_orm::limits::check_item(&item).unwrap();
        assert_eq!(Tree::from_item(item).unwrap(), tree);
        let deeper = Tree {
            id: "t".into(),
            root: chain(32),
        };
        assert!(deeper.to_item().is_err());
        // The guard is released after an error: the next conversion starts at 0.
        assert_eq!(Tree::from_item(tree.to_item().unwrap()).unwrap(), tree);
    });
}
