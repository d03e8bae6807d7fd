//! Rule 3 of the issue "Hostile and careless input", decoding half: reading a
//! value nested far deeper than DynamoDB's 32 levels is an error, not a stack
//! overflow. In its own file because a stack overflow aborts the whole test
//! binary, taking every other test of the binary with it.

use std::collections::HashMap;

use dynamo_orm::{AttributeValue, DynamoItem, Error, Item};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "json_docs")]
struct JsonDoc {
    #[dynamo(hash_key)]
    id: String,
    doc: serde_json::Value,
}

/// `{"c": {"c": ... "leaf" ...}}`, `depth` maps deep, built without recursion.
fn map_chain(depth: usize) -> AttributeValue {
    let mut v = AttributeValue::S("leaf".into());
    for _ in 0..depth {
        v = AttributeValue::M(HashMap::from([("c".to_owned(), v)]));
    }
    v
}

/// An item whose JSON attribute is 1,000 maps deep decodes to an error on a
/// thread with a 2 MiB stack (a thread's default), instead of overflowing it.
#[test]
fn decoding_a_thousand_levels_is_an_error_not_a_stack_overflow() {
    let mut item = Item::new();
    item.insert("id".into(), AttributeValue::S("deep".into()));
    item.insert("doc".into(), map_chain(1_000));
    let decoder = std::thread::Builder::new()
        .name("decode 1000 levels".into())
        .stack_size(2 * 1024 * 1024)
        .spawn(move || match JsonDoc::from_item(item) {
            Ok(_) => Err("decoded".to_owned()),
            Err(e) => Ok(Error::from(e).to_string()),
        })
        .expect("spawn the decoding thread");
    // A stack overflow aborts the process before this returns.
    let outcome = decoder.join().expect("the decoding thread panicked");
    match outcome {
        Ok(message) => eprintln!("refused: {message}"),
        Err(what) => panic!("an item 1,000 levels deep was {what}, not refused"),
    }
}
