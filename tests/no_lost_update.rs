//! Acceptance tests of the issue "No lost update, no lost item", one test per
//! rule, against DynamoDB Local (through the fault proxy where a test counts
//! or inspects requests, or needs a fault).
//!
//! Written before the redesign: several of them fail on the code they were
//! written against, by design. Data "another library wrote" is written with
//! raw SDK calls.

#[path = "support/fault_proxy.rs"]
mod fault_proxy;

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{Select, TimeToLiveStatus};
use dynamo_orm::expr::Update;
use dynamo_orm::local::{client_for, shared, shared_client, unique_table_name};
use dynamo_orm::{AttributeValue, DynamoItem, Error, Item, PrimaryKey, Table};
use fault_proxy::{FaultConfig, FaultProxy, InjectedError, Occurrence};
use futures::StreamExt;

// ------------------------------------------------------------------ items

/// Versioned, `u64` version.
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

/// Unversioned.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "profiles")]
struct Profile {
    #[dynamo(hash_key)]
    id: String,
    name: String,
    email: String,
    bio: Option<String>,
}

/// A version that fits in a byte.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "small_versions")]
struct SmallVersion {
    #[dynamo(hash_key)]
    id: String,
    note: String,
    #[dynamo(version)]
    version: u8,
}

/// A signed version.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "signed_versions")]
struct SignedVersion {
    #[dynamo(hash_key)]
    id: String,
    note: String,
    #[dynamo(version)]
    version: i64,
}

/// Hash and range key, for queries and scans.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "entries")]
struct Entry {
    #[dynamo(hash_key)]
    part: String,
    #[dynamo(range_key)]
    sort: String,
    n: u64,
    tag: String,
}

/// Unversioned, hash key only: batch reads and writes.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "tags")]
struct Tag {
    #[dynamo(hash_key)]
    name: String,
    count: u64,
}

/// A float attribute.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "measures")]
struct Measure {
    #[dynamo(hash_key)]
    id: String,
    x: f64,
}

/// A table with a time-to-live attribute.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "sessions")]
struct Session {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(ttl)]
    expires: Option<i64>,
}

// ------------------------------------------------------------------ helpers

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.into())
}

fn item(pairs: &[(&str, AttributeValue)]) -> Item {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// A fault proxy (no random faults) in front of the shared DynamoDB Local.
async fn proxy() -> FaultProxy {
    let server = tokio::task::spawn_blocking(shared)
        .await
        .unwrap()
        .expect("DynamoDB Local");
    FaultProxy::start(server.endpoint(), FaultConfig::none(1))
        .await
        .expect("fault proxy")
}

/// A fresh table of `T`, as a handle on the server directly and one through
/// a proxy, with the proxy.
async fn proxied<T: DynamoItem>() -> (Table<T>, Table<T>, FaultProxy) {
    let direct = common::fresh_table::<T>().await;
    let proxy = proxy().await;
    let via = Table::<T>::new(client_for(&proxy.endpoint()).await).with_name(direct.name());
    (direct, via, proxy)
}

/// Writes an item as another library would: a plain `PutItem`.
async fn raw_put<T>(table: &Table<T>, item: Item) {
    table
        .client()
        .put_item()
        .table_name(table.name())
        .set_item(Some(item))
        .send()
        .await
        .expect("raw put");
}

/// The stored item, read consistently with a plain `GetItem`.
async fn raw_get<T>(table: &Table<T>, key: Item) -> Option<Item> {
    table
        .client()
        .get_item()
        .table_name(table.name())
        .set_key(Some(key))
        .consistent_read(true)
        .send()
        .await
        .expect("raw get")
        .item
}

fn stored_number(item: &Item, attribute: &str) -> Option<String> {
    match item.get(attribute) {
        Some(AttributeValue::N(v)) => Some(v.clone()),
        _ => None,
    }
}

/// The checks of one rule that failed, reported together.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn check(&mut self, ok: bool, what: impl Into<String>) {
        if !ok {
            self.0.push(what.into());
        }
    }

    fn assert_none(self) {
        assert!(
            self.0.is_empty(),
            "{} check(s) failed:\n- {}",
            self.0.len(),
            self.0.join("\n- ")
        );
    }
}

async fn count_items(client: &Client, table: &str) -> i32 {
    client
        .scan()
        .table_name(table)
        .select(Select::Count)
        .consistent_read(true)
        .send()
        .await
        .expect("count scan")
        .count
}

// ------------------------------------------------------------------ rule 1

/// Rule 1: an overwrite (`put(..).overwrite()`, alias `skip_version_check()`)
/// leaves a stored version strictly greater than before, so that a client
/// holding an older read conflicts. Today the stored version is the caller's
/// plus one: it stays the same or goes backwards.
#[tokio::test]
async fn overwrite_never_lowers_or_repeats_the_stored_version() {
    let t = common::fresh_table::<Counter>().await;
    let mut failures = Failures::default();
    for stale_version in [1u64, 2] {
        let id = format!("ow{stale_version}");
        let mut c = counter(&id);
        let mut stale = None;
        for v in 1..=3 {
            t.put(&mut c).await.unwrap();
            assert_eq!(c.version, v);
            if v == stale_version {
                stale = Some(c.clone());
            }
            c.value += 1;
        }
        // A reads version 3.
        let a = t
            .get(Counter::key(&id))
            .consistent()
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.version, 3);
        // B overwrites from its stale copy.
        let mut b = stale.unwrap();
        b.note = "B's overwrite".into();
        let out = t.put(&mut b).overwrite().await.unwrap();
        let stored = raw_get(&t, Counter::key(&id).to_key_item().unwrap())
            .await
            .unwrap();
        let stored_version: u64 = stored_number(&stored, "version").unwrap().parse().unwrap();
        failures.check(
            stored_version > 3,
            format!(
                "B's overwrite from version {stale_version} stored version {stored_version}, \
                 not more than the 3 stored before"
            ),
        );
        failures.check(
            out.version == stored_version && b.version == stored_version,
            format!(
                "after the overwrite: output version {}, B's item version {}, stored {stored_version}",
                out.version, b.version
            ),
        );
        // A saves its read of version 3: B's overwrite must not be lost.
        let mut a_change = a.clone();
        a_change.value = 100;
        match t.put(&mut a_change).await {
            Err(Error::VersionConflict {
                expected: 3,
                current: Some(_),
            }) => {}
            other => failures.check(
                false,
                format!(
                    "A's save of version 3 after B's overwrite from version {stale_version}: \
                     expected VersionConflict {{ expected: 3, current: Some(..) }}, got {other:?}"
                ),
            ),
        }
        // The same through `skip_version_check`, the alias.
        let before = stored_version;
        let mut again = b.clone();
        again.version = 1;
        t.put(&mut again).skip_version_check().await.unwrap();
        let stored = raw_get(&t, Counter::key(&id).to_key_item().unwrap())
            .await
            .unwrap();
        let after: u64 = stored_number(&stored, "version").unwrap().parse().unwrap();
        failures.check(
            after > before,
            format!("skip_version_check() from version 1 stored {after} after {before}"),
        );
    }
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 2

/// Rule 2: `save_changes` of an unversioned model checks that each attribute
/// it changes still holds the value that was read (absent where it was
/// absent); otherwise `ConditionFailed` carrying the stored item. Today it
/// sends an unconditional SET.
#[tokio::test]
async fn save_changes_without_version_checks_the_changed_attributes() {
    let t = common::fresh_table::<Profile>().await;
    let original = Profile {
        id: "p1".into(),
        name: "Ann".into(),
        email: "ann@example.com".into(),
        bio: None,
    };
    t.put(&original).await.unwrap();
    let mut failures = Failures::default();

    let a_read = t
        .get(Profile::key("p1"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    let b_read = t
        .get(Profile::key("p1"))
        .consistent()
        .await
        .unwrap()
        .unwrap();

    // B renames and writes a bio.
    let mut b = b_read.clone();
    b.name = "Bea".into();
    b.bio = Some("B's bio".into());
    assert!(t.save_changes(&b_read, &mut b).await.unwrap());

    // A renames from its older read: B's name must not be lost.
    let mut a = a_read.clone();
    a.name = "Ada".into();
    match t.save_changes(&a_read, &mut a).await {
        Err(Error::ConditionFailed { item: Some(stored) }) => {
            let stored = Profile::from_item(*stored).unwrap();
            failures.check(
                stored.name == "Bea",
                format!("ConditionFailed carries {stored:?}, not the stored item"),
            );
        }
        other => failures.check(
            false,
            format!(
                "A's rename from a stale read: expected ConditionFailed {{ item: Some(..) }}, got {other:?}"
            ),
        ),
    }

    // A writes a bio where it read none: B's bio must not be lost.
    let mut a = a_read.clone();
    a.bio = Some("A's bio".into());
    match t.save_changes(&a_read, &mut a).await {
        Err(Error::ConditionFailed { item: Some(_) }) => {}
        other => failures.check(
            false,
            format!(
                "A's bio, read as absent, after B wrote one: expected ConditionFailed, got {other:?}"
            ),
        ),
    }

    // A changes only what B did not touch: that succeeds.
    let mut a = a_read.clone();
    a.email = "ada@example.com".into();
    match t.save_changes(&a_read, &mut a).await {
        Ok(sent) => failures.check(sent, "A's email change sent nothing"),
        Err(e) => failures.check(
            false,
            format!("A's change of an attribute B did not touch failed: {e:?}"),
        ),
    }

    let stored = t
        .get(Profile::key("p1"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    failures.check(
        stored
            == Profile {
                id: "p1".into(),
                name: "Bea".into(),
                email: "ada@example.com".into(),
                bio: Some("B's bio".into()),
            },
        format!("stored at the end: {stored:?}"),
    );
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 3

/// Rule 3: `update(key)` of an item that does not exist is `NotFound` by
/// default, and creates nothing. (The opt-in `.upsert()` does not exist yet.)
/// Today it creates a partial item that `get` cannot decode.
#[tokio::test]
async fn update_of_a_missing_item_is_not_found_and_creates_nothing() {
    let mut failures = Failures::default();

    let profiles = common::fresh_table::<Profile>().await;
    let result = profiles
        .update(Profile::key("ghost"))
        .apply(Update::new().set(Profile::FIELDS.name, "Ghost"))
        .await;
    failures.check(
        matches!(result, Err(Error::NotFound)),
        format!("unversioned update of a missing item: expected NotFound, got {result:?}"),
    );
    let created = raw_get(&profiles, Profile::key("ghost").to_key_item().unwrap()).await;
    failures.check(
        created.is_none(),
        format!("the unversioned update created {created:?}"),
    );

    let counters = common::fresh_table::<Counter>().await;
    let result = counters
        .update(Counter::key("ghost"))
        .apply(Update::new().set(Counter::FIELDS.note, "boo"))
        .skip_version_check()
        .await;
    failures.check(
        matches!(result, Err(Error::NotFound)),
        format!("versioned update (skip_version_check) of a missing item: expected NotFound, got {result:?}"),
    );
    let created = raw_get(&counters, Counter::key("ghost").to_key_item().unwrap()).await;
    failures.check(
        created.is_none(),
        format!("the versioned update created {created:?}"),
    );
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 4

/// Rule 4: version arithmetic never wraps, saturates or guesses. A `u8`
/// version at 255 is refused before sending on the next write; a stored
/// version that is negative, not an integer, or too large for the field is a
/// `Decode` error on read, never 0 or truncated.
#[tokio::test]
async fn version_arithmetic_is_checked() {
    let mut failures = Failures::default();

    // A u8 version at its maximum.
    let (direct, via, proxy) = proxied::<SmallVersion>().await;
    for id in ["full", "full2"] {
        raw_put(
            &direct,
            item(&[("id", s(id)), ("note", s("n")), ("version", n("255"))]),
        )
        .await;
    }
    let mut full = via.get(SmallVersion::key("full")).await.unwrap().unwrap();
    assert_eq!(full.version, 255);
    let puts = proxy.count("PutItem");
    let result = via.put(&mut full).await;
    failures.check(
        result.is_err(),
        format!("put of a u8 version at 255 succeeded: {result:?}"),
    );
    failures.check(
        proxy.count("PutItem") == puts,
        "put of a u8 version at 255 was sent",
    );
    let updates = proxy.count("UpdateItem");
    let result = via
        .update(SmallVersion::key("full2"))
        .apply(Update::new().set(SmallVersion::FIELDS.note, "m"))
        .expected_version(255)
        .await;
    failures.check(
        result.is_err(),
        format!("update expecting u8 version 255 succeeded: {result:?}"),
    );
    failures.check(
        proxy.count("UpdateItem") == updates,
        "update expecting u8 version 255 was sent",
    );
    for id in ["full", "full2"] {
        let stored = raw_get(&direct, SmallVersion::key(id).to_key_item().unwrap())
            .await
            .unwrap();
        failures.check(
            stored_number(&stored, "version").as_deref() == Some("255"),
            format!(
                "{id}: stored version after the refused write: {:?}",
                stored.get("version")
            ),
        );
    }

    // Too large for the field.
    raw_put(
        &direct,
        item(&[("id", s("big")), ("note", s("n")), ("version", n("300"))]),
    )
    .await;
    let result = direct.get(SmallVersion::key("big")).await;
    failures.check(
        matches!(result, Err(Error::Decode(_))),
        format!("stored version 300 read into a u8: expected Decode, got {result:?}"),
    );

    // Negative, into a signed field.
    let signed = common::fresh_table::<SignedVersion>().await;
    raw_put(
        &signed,
        item(&[("id", s("neg")), ("note", s("n")), ("version", n("-1"))]),
    )
    .await;
    let result = signed.get(SignedVersion::key("neg")).await;
    failures.check(
        matches!(result, Err(Error::Decode(_))),
        format!("stored version -1 read into an i64 version: expected Decode, got {result:?}"),
    );

    // Negative and fractional, into an unsigned field.
    let counters = common::fresh_table::<Counter>().await;
    for (id, version) in [("neg", "-1"), ("frac", "1.5")] {
        raw_put(
            &counters,
            item(&[
                ("id", s(id)),
                ("value", n("0")),
                ("note", s("n")),
                ("version", n(version)),
            ]),
        )
        .await;
        let result = counters.get(Counter::key(id)).await;
        failures.check(
            matches!(result, Err(Error::Decode(_))),
            format!("stored version {version} read into a u64: expected Decode, got {result:?}"),
        );
    }
    // The version an update reports is read too: never a silent 0.
    let result = counters
        .update(Counter::key("frac"))
        .apply(Update::new().set(Counter::FIELDS.note, "m"))
        .skip_version_check()
        .await;
    failures.check(
        matches!(result, Err(Error::Decode(_))),
        format!(
            "update of an item whose stored version is fractional: expected Decode, got {result:?}"
        ),
    );
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 5

/// Rule 5: items another library wrote without a version attribute read as
/// version 0, and a write expecting version 0 succeeds on them (today version
/// 0 means "must not exist"); `create_only` still fails when the item exists.
#[tokio::test]
async fn items_without_a_version_attribute_are_version_zero() {
    let t = common::fresh_table::<Counter>().await;
    let mut failures = Failures::default();
    for id in ["legacy1", "legacy2", "legacy3"] {
        raw_put(
            &t,
            item(&[("id", s(id)), ("value", n("5")), ("note", s("old"))]),
        )
        .await;
    }

    let read = t.get(Counter::key("legacy1")).consistent().await;
    let mut legacy = match read {
        Ok(Some(c)) => {
            failures.check(c.version == 0, format!("read version {}", c.version));
            c
        }
        other => {
            failures.check(
                false,
                format!("get of an item without a version attribute: {other:?}"),
            );
            Counter {
                id: "legacy1".into(),
                value: 5,
                note: "old".into(),
                version: 0,
            }
        }
    };
    legacy.value = 6;
    match t.put(&mut legacy).await {
        Ok(out) => failures.check(
            out.version == 1 && legacy.version == 1,
            format!(
                "put of version 0 stored version {} (item now {})",
                out.version, legacy.version
            ),
        ),
        Err(e) => failures.check(
            false,
            format!("put (version 0) of an item without a version attribute: {e:?}"),
        ),
    }
    let stored = raw_get(&t, Counter::key("legacy1").to_key_item().unwrap())
        .await
        .unwrap();
    failures.check(
        stored_number(&stored, "value").as_deref() == Some("6"),
        format!("legacy1 stored as {stored:?}"),
    );

    let result = t
        .update(Counter::key("legacy2"))
        .apply(Update::new().increment(Counter::FIELDS.value, 1))
        .expected_version(0)
        .await;
    match result {
        Ok(out) => failures.check(
            out.version == 1,
            format!("update expecting version 0 reports version {}", out.version),
        ),
        Err(e) => failures.check(
            false,
            format!("update expecting version 0 of an item without a version attribute: {e:?}"),
        ),
    }

    let result = t
        .put(&Counter {
            id: "legacy3".into(),
            value: 9,
            note: "new".into(),
            version: 0,
        })
        .create_only()
        .await;
    failures.check(
        matches!(
            result,
            Err(Error::ConditionFailed { .. } | Error::VersionConflict { .. })
        ),
        format!("create_only over an existing item: {result:?}"),
    );
    let stored = raw_get(&t, Counter::key("legacy3").to_key_item().unwrap())
        .await
        .unwrap();
    failures.check(
        stored.get("note") == Some(&s("old")),
        format!("create_only changed the existing item: {stored:?}"),
    );
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 6

/// Rule 6: the writes a batch writer holds when it is dropped without
/// `finish()` are not lost. Today the buffered ones are discarded and the
/// requests in flight aborted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_batch_writer_loses_nothing() {
    const N: u64 = 60;
    let t = common::fresh_table::<Tag>().await;
    let mut writer = t.batch_writer();
    for i in 0..N {
        writer
            .put(&Tag {
                name: format!("t{i:02}"),
                count: i,
            })
            .await
            .unwrap();
    }
    drop(writer);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut stored = 0;
    while Instant::now() < deadline {
        stored = count_items(t.client(), t.name()).await;
        if stored == N as i32 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        stored, N as i32,
        "{stored} of the {N} items written by a dropped writer are stored after 10 s"
    );
}

// ------------------------------------------------------------------ rule 7

fn entry(part: &str, sort: String, n: u64, tag: &str) -> Entry {
    Entry {
        part: part.into(),
        sort,
        n,
        tag: tag.into(),
    }
}

/// Rule 7: one undecodable item ends neither a scan nor a query: every good
/// item is yielded, plus one error per bad item naming its key; `.all()`
/// still fails.
#[tokio::test]
async fn undecodable_items_do_not_end_a_scan_or_a_query() {
    let t = common::fresh_table::<Entry>().await;
    let mut writer = t.batch_writer();
    for i in 0..100 {
        writer
            .put(&entry("p", format!("ok-{i:03}"), i, "good"))
            .await
            .unwrap();
    }
    writer.finish().await.unwrap();
    let bad: Vec<String> = (0..5).map(|i| format!("bad-item-{i}")).collect();
    for key in &bad {
        // `n` is a string: not a u64.
        raw_put(
            &t,
            item(&[
                ("part", s("p")),
                ("sort", s(key)),
                ("n", s("not a number")),
                ("tag", s("bad")),
            ]),
        )
        .await;
    }

    let mut failures = Failures::default();
    let runs = [
        ("query", t.query("p").stream().boxed()),
        ("scan", t.scan().stream().boxed()),
    ];
    for (what, stream) in runs {
        let results: Vec<Result<Entry, Error>> = stream.collect().await;
        let good: HashSet<String> = results
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|e| e.sort.clone())
            .collect();
        let errors: Vec<String> = results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|e| format!("{e} | {e:?}"))
            .collect();
        failures.check(
            good.len() == 100,
            format!("{what}: {} good items yielded, expected 100", good.len()),
        );
        failures.check(
            errors.len() == 5,
            format!(
                "{what}: {} errors yielded, expected 5: {errors:?}",
                errors.len()
            ),
        );
        for key in &bad {
            let naming = errors.iter().filter(|e| e.contains(key.as_str())).count();
            failures.check(
                naming == 1,
                format!("{what}: {naming} errors name the bad item {key}, expected 1"),
            );
        }
    }
    let all = t.query("p").all().await;
    failures.check(
        matches!(all, Err(Error::Decode(_))),
        format!("query .all() over bad items: {:?}", all.map(|v| v.len())),
    );
    let all = t.scan().all().await;
    failures.check(
        matches!(all, Err(Error::Decode(_))),
        format!("scan .all() over bad items: {:?}", all.map(|v| v.len())),
    );
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 8

/// Rule 8: a non-retryable error of one `BatchGetItem` chunk does not discard
/// what the other chunks read: `BatchGetIncomplete` carries every item read
/// and every key not read. Today the whole call fails with the chunk's error.
#[tokio::test]
async fn batch_get_keeps_what_other_chunks_read() {
    const N: usize = 250;
    let (direct, via, proxy) = proxied::<Tag>().await;
    let mut writer = direct.batch_writer();
    for i in 0..N {
        writer
            .put(&Tag {
                name: format!("k{i:03}"),
                count: i as u64,
            })
            .await
            .unwrap();
    }
    writer.finish().await.unwrap();
    // One of the three chunks (100, 100, 50 keys) is refused outright.
    proxy.fail(
        "BatchGetItem",
        Occurrence::Nth(2),
        InjectedError::validation("injected: this chunk is refused"),
    );
    let keys: Vec<TagKey> = (0..N).map(|i| Tag::key(format!("k{i:03}"))).collect();
    let result = via.batch_get(keys).await;
    let all: HashSet<String> = (0..N).map(|i| format!("k{i:03}")).collect();
    match result {
        Err(Error::BatchGetIncomplete {
            read,
            unprocessed_keys,
            ..
        }) => {
            let read: Vec<String> = read
                .into_iter()
                .map(|i| Tag::from_item(i).unwrap().name)
                .collect();
            let unread: Vec<String> = unprocessed_keys
                .iter()
                .map(|k| TagKey::from_key_item(k).unwrap().name)
                .collect();
            let read_set: HashSet<String> = read.iter().cloned().collect();
            let unread_set: HashSet<String> = unread.iter().cloned().collect();
            assert_eq!(read.len(), read_set.len(), "an item read twice");
            assert_eq!(unread.len(), unread_set.len(), "a key unread twice");
            assert!(
                read_set.is_disjoint(&unread_set),
                "a key both read and unread"
            );
            assert!(!read.is_empty() && !unread.is_empty());
            assert_eq!(
                read_set.union(&unread_set).cloned().collect::<HashSet<_>>(),
                all,
                "read + unread must be every key"
            );
        }
        other => panic!(
            "expected BatchGetIncomplete with the items read, got {:?}",
            other.map(|v| v.len())
        ),
    }
    assert_eq!(proxy.counts().injected_errors, 1);
}

// ------------------------------------------------------------------ rule 9

/// Rule 9: `first()` and `limit(n)` with a filter do not read one item per
/// request: a 200-item partition whose only match is the last item is found
/// in at most two requests, and no request carries `Limit` unless the caller
/// set `page_size`. Today every request carries `Limit = 1`.
#[tokio::test]
async fn first_and_limit_with_a_filter_take_few_requests() {
    let (direct, via, proxy) = proxied::<Entry>().await;
    let mut writer = direct.batch_writer();
    for i in 0..200 {
        let tag = if i == 199 { "match" } else { "other" };
        writer
            .put(&entry("f", format!("k-{i:03}"), i, tag))
            .await
            .unwrap();
    }
    writer.finish().await.unwrap();
    let mut failures = Failures::default();
    let only_match = Entry::FIELDS.tag.eq("match");

    let before = proxy.count("Query");
    let found = via.query("f").filter(only_match.clone()).first().await;
    let queries = proxy.requests_of("Query");
    let sent = &queries[usize::try_from(before).unwrap()..];
    match &found {
        Ok(Some(e)) => failures.check(e.sort == "k-199", format!("first() found {e:?}")),
        other => failures.check(false, format!("first() returned {other:?}")),
    }
    failures.check(
        sent.len() <= 2,
        format!("first() with a filter sent {} Query requests", sent.len()),
    );
    let with_limit = sent.iter().filter(|b| b.get("Limit").is_some()).count();
    failures.check(
        with_limit == 0,
        format!(
            "{with_limit} of the {} Query requests carry a Limit (first: {:?})",
            sent.len(),
            sent.first().and_then(|b| b.get("Limit"))
        ),
    );

    let before = proxy.count("Scan");
    let found = via.scan().filter(only_match).limit(1).all().await;
    let scans = proxy.requests_of("Scan");
    let sent = &scans[usize::try_from(before).unwrap()..];
    match &found {
        Ok(v) => failures.check(
            v.len() == 1 && v[0].sort == "k-199",
            format!("scan limit(1) found {v:?}"),
        ),
        Err(e) => failures.check(false, format!("scan limit(1) failed: {e:?}")),
    }
    failures.check(
        sent.len() <= 2,
        format!("scan().filter().limit(1) sent {} Scan requests", sent.len()),
    );
    let with_limit = sent.iter().filter(|b| b.get("Limit").is_some()).count();
    failures.check(
        with_limit == 0,
        format!(
            "{with_limit} of the {} Scan requests carry a Limit",
            sent.len()
        ),
    );
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 10

/// Rule 10: numbers at DynamoDB's edges read into an `f64` can be written
/// back. Today the largest storable number is read (as 1e126) and then
/// refused as out of range.
#[tokio::test]
async fn numbers_at_dynamodbs_edges_round_trip() {
    let t = common::fresh_table::<Measure>().await;
    let mut failures = Failures::default();
    let edges = [
        ("max", "9.9999999999999999999999999999999999999E+125"),
        ("min", "-9.9999999999999999999999999999999999999E+125"),
        ("tiny", "1E-130"),
        ("neg_tiny", "-1E-130"),
    ];
    for (id, text) in edges {
        raw_put(&t, item(&[("id", s(id)), ("x", n(text))])).await;
        let read = match t.get(Measure::key(id)).consistent().await {
            Ok(Some(m)) => m,
            other => {
                failures.check(false, format!("{text}: read failed: {other:?}"));
                continue;
            }
        };
        match t.put(&read).await {
            Ok(_) => {
                let again = t.get(Measure::key(id)).consistent().await;
                failures.check(
                    matches!(&again, Ok(Some(m)) if m.x == read.x),
                    format!("{text}: read {} then wrote it, read back {again:?}", read.x),
                );
            }
            Err(e) => failures.check(
                false,
                format!(
                    "{text}: read as {:e}, writing it back failed: {e:?}",
                    read.x
                ),
            ),
        }
    }
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 11

/// Rule 11: when DynamoDB does not return the stored item with a condition
/// failure, `VersionConflict` and `ConditionFailed` are still told apart (the
/// stored item is fetched, consistently) and `VersionConflict` carries it.
/// Today the missing item is taken as "the version did not match".
#[tokio::test]
async fn condition_failures_without_the_item_are_classified() {
    let (_direct, via, proxy) = proxied::<Counter>().await;
    let mut c = counter("c");
    via.put(&mut c).await.unwrap();
    c.value = 1;
    via.put(&mut c).await.unwrap();
    assert_eq!(c.version, 2);
    proxy.strip_condition_failure_items(true);
    let f = Counter::FIELDS;
    let mut failures = Failures::default();

    // A stale version.
    let mut stale = c.clone();
    stale.version = 1;
    match via.put(&mut stale).await {
        Err(Error::VersionConflict {
            expected: 1,
            current: Some(current),
        }) => {
            let current = Counter::from_item(*current).unwrap();
            failures.check(
                current == c,
                format!("VersionConflict carries {current:?}, stored is {c:?}"),
            );
        }
        other => failures.check(
            false,
            format!("put of a stale version: expected VersionConflict with the stored item, got {other:?}"),
        ),
    }

    // A create (version 0) of an item that exists.
    match via.put(&counter("c")).await {
        Err(Error::VersionConflict {
            expected: 0,
            current: Some(_),
        }) => {}
        other => failures.check(
            false,
            format!("create of an existing item: expected VersionConflict with the stored item, got {other:?}"),
        ),
    }

    // The right version, a failing user condition.
    let result = via.put(&mut c).condition(f.value.gt(10)).await;
    failures.check(
        matches!(result, Err(Error::ConditionFailed { .. })),
        format!("right version, failing condition: expected ConditionFailed, got {result:?}"),
    );

    // The same through update.
    let result = via
        .update(Counter::key("c"))
        .apply(Update::new().set(f.note, "x"))
        .expected_version(1)
        .await;
    failures.check(
        matches!(
            result,
            Err(Error::VersionConflict {
                expected: 1,
                current: Some(_)
            })
        ),
        format!("update expecting a stale version: got {result:?}"),
    );
    let result = via
        .update(Counter::key("c"))
        .apply(Update::new().set(f.note, "x"))
        .expected_version(2)
        .condition(f.value.gt(10))
        .await;
    failures.check(
        matches!(result, Err(Error::ConditionFailed { .. })),
        format!("update, right version, failing condition: got {result:?}"),
    );
    failures.assert_none();
}

// ------------------------------------------------------------------ rule 12

/// How a contention task increments the counter.
#[derive(Debug, Clone, Copy)]
enum Way {
    Modify,
    SaveChanges,
    CheckedPut,
    Overwrite,
}

/// Rule 12: under contention, writes that check the version never lose an
/// acknowledged increment. 16 tasks on one counter mix `modify`,
/// `save_changes`, a checked `put` of a fresh read and overwrites
/// (`put(..).overwrite()` of a fresh read with the increment applied).
///
/// An overwrite ignores the stored version by definition, so one racing
/// with any other write loses that write under every implementation; the
/// overwrites therefore run alone (an exclusive lock), while the checked
/// writes run concurrently with each other, and may read before an overwrite
/// and write after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contention_never_loses_an_acknowledged_increment() {
    const TASKS: usize = 16;
    const INCREMENTS: usize = 5;
    let t = common::fresh_table::<Counter>().await;
    t.put(&mut counter("hot")).await.unwrap();
    let acknowledged = Arc::new(AtomicU64::new(0));
    let conflicts = Arc::new(AtomicU64::new(0));
    let lock = Arc::new(tokio::sync::RwLock::new(()));
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..TASKS {
        let t = t.clone();
        let acknowledged = acknowledged.clone();
        let conflicts = conflicts.clone();
        let lock = lock.clone();
        let way = [
            Way::Modify,
            Way::SaveChanges,
            Way::CheckedPut,
            Way::Overwrite,
        ][task % 4];
        tasks.spawn(async move {
            for _ in 0..INCREMENTS {
                let mut attempts = 0;
                loop {
                    attempts += 1;
                    assert!(attempts < 500, "{way:?}: no success in 500 attempts");
                    let done = increment(&t, way, &lock).await;
                    match done {
                        Ok(()) => {
                            acknowledged.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                        Err(Error::VersionConflict { .. } | Error::ConditionFailed { .. }) => {
                            conflicts.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(fastrand::u64(0..5))).await;
                        }
                        Err(e) => panic!("{way:?}: unexpected error {e:?}"),
                    }
                }
            }
        });
    }
    let all = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(done) = tasks.join_next().await {
            done.expect("task");
        }
    })
    .await;
    assert!(all.is_ok(), "the contention run did not end in 120 s");
    let stored = t
        .get(Counter::key("hot"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    let acknowledged = acknowledged.load(Ordering::SeqCst);
    assert_eq!(acknowledged, (TASKS * INCREMENTS) as u64);
    // Otherwise the run proved nothing about contention.
    let conflicts = conflicts.load(Ordering::SeqCst);
    assert!(conflicts > 0, "no write conflicted");
    eprintln!("{acknowledged} increments, {conflicts} conflicts retried");
    assert_eq!(
        stored.value, acknowledged,
        "{acknowledged} increments acknowledged, {} stored",
        stored.value
    );
}

async fn read_hot(t: &Table<Counter>) -> Result<Counter, Error> {
    t.get(Counter::key("hot"))
        .consistent()
        .await?
        .ok_or(Error::NotFound)
}

async fn increment(
    t: &Table<Counter>,
    way: Way,
    lock: &tokio::sync::RwLock<()>,
) -> Result<(), Error> {
    match way {
        Way::Modify => {
            let _shared = lock.read().await;
            t.modify(Counter::key("hot"), |c| c.value += 1)
                .max_attempts(1)
                .await
                .map(drop)
        }
        Way::SaveChanges => {
            let before = read_hot(t).await?;
            let mut after = before.clone();
            after.value += 1;
            let _shared = lock.read().await;
            let sent = t.save_changes(&before, &mut after).await?;
            assert!(sent, "save_changes sent nothing");
            Ok(())
        }
        Way::CheckedPut => {
            let mut fresh = read_hot(t).await?;
            fresh.value += 1;
            let _shared = lock.read().await;
            t.put(&mut fresh).await.map(drop)
        }
        Way::Overwrite => {
            let _exclusive = lock.write().await;
            let mut fresh = read_hot(t).await?;
            fresh.value += 1;
            t.put(&mut fresh).overwrite().await.map(drop)
        }
    }
}

// ------------------------------------------------------------------ rule 13

async fn ttl_enabled(client: &Client, table: &str) -> bool {
    client
        .describe_time_to_live()
        .table_name(table)
        .send()
        .await
        .ok()
        .and_then(|o| {
            o.time_to_live_description()
                .and_then(|d| d.time_to_live_status())
                .cloned()
        })
        == Some(TimeToLiveStatus::Enabled)
}

/// Rule 13: when enabling TTL fails, `create()` and `create_if_not_exists()`
/// do not report plain success with TTL missing. Today `create()` and a first
/// `create_if_not_exists()` return the error, but a second
/// `create_if_not_exists()` (the table now exists) reports success.
#[tokio::test]
async fn create_does_not_hide_a_failed_ttl_step() {
    let proxy = proxy().await;
    proxy.fail(
        "UpdateTimeToLive",
        Occurrence::Every,
        InjectedError::access_denied("injected: not allowed to call UpdateTimeToLive"),
    );
    let client = client_for(&proxy.endpoint()).await;
    let direct = shared_client().await.expect("DynamoDB Local");
    let mut failures = Failures::default();

    let table = Table::<Session>::new(client.clone()).with_name(unique_table_name("ttl_create"));
    let result = table.create().await;
    let enabled = ttl_enabled(&direct, table.name()).await;
    failures.check(
        result.is_err() || enabled,
        "create() reported success with TTL not enabled",
    );

    let table = Table::<Session>::new(client).with_name(unique_table_name("ttl_cine"));
    let first = table.create_if_not_exists().await;
    let enabled = ttl_enabled(&direct, table.name()).await;
    failures.check(
        first.is_err() || enabled,
        format!("create_if_not_exists() reported {first:?} with TTL not enabled"),
    );
    // Started again, as a service would: the table exists now, TTL does not.
    let second = table.create_if_not_exists().await;
    let enabled = ttl_enabled(&direct, table.name()).await;
    failures.check(
        second.is_err() || enabled,
        format!(
            "create_if_not_exists() on the table whose TTL step failed reported {second:?} \
             with TTL not enabled"
        ),
    );
    failures.check(
        proxy.count("UpdateTimeToLive") >= 1,
        "UpdateTimeToLive was never tried",
    );
    failures.assert_none();
}
