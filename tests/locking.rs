//! Optimistic locking against DynamoDB Local: version rules on put, update,
//! delete and transactions, and `modify` under contention.

mod common;

use std::sync::Arc;
use std::time::Duration;

use dynamo_orm::expr::Update;
use dynamo_orm::{AttributeValue, DynamoItem, Error, Table, TransactWrite};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "counters")]
struct Counter {
    #[dynamo(hash_key)]
    id: String,
    value: u64,
    note: String,
    #[dynamo(version)]
    version: u64,
}

fn counter(id: &str) -> Counter {
    Counter {
        id: id.into(),
        value: 0,
        note: String::new(),
        version: 0,
    }
}

#[tokio::test]
async fn put_creates_then_checks_and_bumps_the_version() {
    let t = common::fresh_table::<Counter>().await;
    let mut c = counter("a");
    let out = t.put(&mut c).await.unwrap();
    assert_eq!((out.version, c.version), (1, 1));
    // A second "create" of the same key (version 0) conflicts.
    let err = t.put(&counter("a")).await.unwrap_err();
    match err {
        Error::VersionConflict {
            expected: 0,
            current: Some(current),
        } => {
            assert_eq!(current["version"], AttributeValue::N("1".into()));
        }
        other => panic!("expected VersionConflict, got {other:?}"),
    }
    c.value = 5;
    t.save(&mut c).await.unwrap();
    assert_eq!(c.version, 2);
    // A stale copy conflicts and carries the stored item.
    let mut stale = c.clone();
    stale.version = 1;
    stale.value = 99;
    let err = t.put(&mut stale).await.unwrap_err();
    match err {
        Error::VersionConflict {
            expected: 1,
            current: Some(current),
        } => {
            let stored = Counter::from_item(*current).unwrap();
            assert_eq!((stored.value, stored.version), (5, 2));
        }
        other => panic!("expected VersionConflict, got {other:?}"),
    }
    assert_eq!(
        stale.version, 1,
        "a failed write leaves the caller's version alone"
    );
    // Explicit opt-out: the data wins, and the stored version still goes up
    // (2 -> 3), so a client holding version 2 now conflicts.
    t.put(&mut stale).overwrite().await.unwrap();
    assert_eq!(stale.version, 3);
    let stored = t
        .get(Counter::key("a"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.value, stored.version), (99, 3));
    assert!(matches!(
        t.put(&mut c).await,
        Err(Error::VersionConflict { expected: 2, .. })
    ));
}

#[tokio::test]
async fn user_conditions_and_the_version_combine_with_and() {
    let t = common::fresh_table::<Counter>().await;
    let mut c = counter("b");
    t.put(&mut c).await.unwrap();
    let f = Counter::FIELDS;
    // Right version, failing user condition: ConditionFailed, not a version conflict.
    let err = t.put(&mut c).condition(f.value.gt(10)).await.unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    t.put(&mut c).condition(f.value.eq(0)).await.unwrap();
    assert_eq!(c.version, 2);
}

#[tokio::test]
async fn update_and_delete_check_versions() {
    let t = common::fresh_table::<Counter>().await;
    let mut c = counter("c");
    t.put(&mut c).await.unwrap();
    let f = Counter::FIELDS;
    // A versioned update must say which version it expects, or opt out.
    let err = t
        .update(Counter::key("c"))
        .apply(Update::new().increment(f.value, 1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    let out = t
        .update(Counter::key("c"))
        .apply(Update::new().increment(f.value, 1))
        .expected_version(1)
        .return_new()
        .await
        .unwrap();
    assert_eq!(out.version, 2);
    assert_eq!(out.item.unwrap().value, 1);
    let err = t
        .update(Counter::key("c"))
        .apply(Update::new().increment(f.value, 1))
        .expected_version(1)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::VersionConflict {
                expected: 1,
                current: Some(_)
            }
        ),
        "{err:?}"
    );
    let out = t
        .update(Counter::key("c"))
        .apply(Update::new().set(f.note, "forced"))
        .skip_version_check()
        .await
        .unwrap();
    assert_eq!(out.version, 3);

    // Delete of a loaded item checks its version.
    let stale = c.clone(); // version 1
    let err = t.delete_item(&stale).await.unwrap_err();
    assert!(
        matches!(err, Error::VersionConflict { expected: 1, .. }),
        "{err:?}"
    );
    assert!(matches!(
        t.delete(Counter::key("c")).await,
        Err(Error::Validation(_))
    ));
    let fresh = t
        .get(Counter::key("c"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    t.delete_item(&fresh).await.unwrap();
    assert!(
        t.get(Counter::key("c"))
            .consistent()
            .await
            .unwrap()
            .is_none()
    );
    // Deleting something that is gone, with a version, conflicts with no current item.
    let err = t.delete_item(&fresh).await.unwrap_err();
    assert!(
        matches!(err, Error::VersionConflict { current: None, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn transactions_follow_the_version_rules() {
    let t = common::fresh_table::<Counter>().await;
    let mut a = counter("ta");
    let mut b = counter("tb");
    TransactWrite::new(t.client())
        .put(t.put(&mut a))
        .put(t.put(&mut b))
        .await
        .unwrap();
    assert_eq!((a.version, b.version), (1, 1));
    let mut stale = a.clone();
    stale.version = 0;
    let err = TransactWrite::new(t.client())
        .put(t.put(&mut stale))
        .update(
            t.update(Counter::key("tb"))
                .apply(Update::new().set(Counter::FIELDS.note, "x"))
                .expected_version(1),
        )
        .await
        .unwrap_err();
    match err {
        Error::TransactionCanceled { reasons } => {
            assert_eq!(reasons.len(), 2);
            assert_eq!(reasons[0].code.as_deref(), Some("ConditionalCheckFailed"));
            assert!(reasons[0].item.is_some(), "the stored item comes back");
            assert!(reasons[0].version_conflict, "the version check failed");
            assert_eq!(reasons[1].code.as_deref(), Some("None"));
            assert!(!reasons[1].version_conflict);
        }
        other => panic!("expected TransactionCanceled, got {other:?}"),
    }
    // Nothing of the cancelled transaction was applied.
    let b_now = t
        .get(Counter::key("tb"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!((b_now.note.as_str(), b_now.version), ("", 1));
    TransactWrite::new(t.client())
        .update(
            t.update(Counter::key("tb"))
                .apply(Update::new().set(Counter::FIELDS.note, "x"))
                .expected_version(1),
        )
        .delete(t.delete_item(&a))
        .await
        .unwrap();
    assert!(
        t.get(Counter::key("ta"))
            .consistent()
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        t.get(Counter::key("tb"))
            .consistent()
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );
    // Limits are checked before sending.
    let mut many = TransactWrite::new(t.client());
    for i in 0..101 {
        many = many.condition_check(t.condition_check(
            Counter::key(format!("k{i}")),
            Counter::FIELDS.value.exists(),
        ));
    }
    assert!(matches!(many.await, Err(Error::Validation(_))));
    let twice = TransactWrite::new(t.client())
        .condition_check(t.condition_check(Counter::key("tb"), Counter::FIELDS.value.exists()))
        .condition_check(t.condition_check(Counter::key("tb"), Counter::FIELDS.value.exists()));
    assert!(matches!(twice.await, Err(Error::Validation(_))));
}

async fn hammer(
    t: &Table<Counter>,
    id: &str,
    tasks: usize,
    per_task: usize,
    checked: bool,
) -> Counter {
    let mut c = counter(id);
    t.put(&mut c).await.unwrap();
    let t = Arc::new(t.clone());
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let t = t.clone();
        let id = id.to_owned();
        handles.push(tokio::spawn(async move {
            for _ in 0..per_task {
                let mut m = t
                    .modify(Counter::key(id.clone()), |c| c.value += 1)
                    .max_attempts(10_000)
                    .backoff(Duration::from_millis(1), Duration::from_millis(50));
                if !checked {
                    m = m.skip_version_check();
                }
                m.await.unwrap();
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    t.get(Counter::key(id)).consistent().await.unwrap().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn modify_under_contention_loses_nothing() {
    let t = common::fresh_table::<Counter>().await;
    let c = hammer(&t, "hot", 16, 50, true).await;
    assert_eq!(c.value, 800);
    assert_eq!(c.version, 801);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_the_version_check_updates_are_lost() {
    let t = common::fresh_table::<Counter>().await;
    let c = hammer(&t, "hot", 16, 50, false).await;
    assert!(
        c.value < 800,
        "16 racing writers without a check lost nothing: {}",
        c.value
    );
}

#[tokio::test]
async fn modify_needs_an_item_and_a_version() {
    let t = common::fresh_table::<Counter>().await;
    let err = t
        .modify(Counter::key("none"), |c| c.value += 1)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound), "{err:?}");
}
