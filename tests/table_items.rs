//! Single-item operations against DynamoDB Local, through the public API.

mod common;

use std::collections::{BTreeMap, HashSet};

use dynamo_orm::expr::Update;
use dynamo_orm::{AttributeValue, DynamoAttribute, DynamoItem, Error};

#[derive(DynamoAttribute, Debug, Clone, PartialEq, Default)]
struct Address {
    city: String,
    zip: String,
}

/// Attribute names that are DynamoDB reserved words or hold punctuation.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "forum_users")]
struct User {
    #[dynamo(hash_key)]
    name: String,
    status: String,
    #[dynamo(rename = "date")]
    joined: i64,
    size: u32,
    #[dynamo(rename = "first.name")]
    first_name: String,
    #[dynamo(rename = "#hash:tag -x")]
    odd: String,
    tags: HashSet<String>,
    scores: Vec<i64>,
    prefs: BTreeMap<String, String>,
    address: Address,
    nickname: Option<String>,
}

fn john() -> User {
    User {
        name: "john".into(),
        status: "active".into(),
        joined: 1366056668,
        size: 3,
        first_name: "John".into(),
        odd: "odd".into(),
        tags: ["a".to_string(), "b".to_string()].into(),
        scores: vec![1, 2, 3],
        prefs: [("theme".to_string(), "dark".to_string())].into(),
        address: Address {
            city: "Paris".into(),
            zip: "75001".into(),
        },
        nickname: None,
    }
}

#[tokio::test]
async fn put_get_exists_delete_round_trip() {
    let users = common::fresh_table::<User>().await;
    assert!(users.get(User::key("john")).await.unwrap().is_none());
    assert!(!users.exists(User::key("john")).await.unwrap());
    users.put(&john()).await.unwrap();
    assert_eq!(
        users.get(User::key("john")).consistent().await.unwrap(),
        Some(john())
    );
    assert!(users.exists(User::key("john")).await.unwrap());
    let out = users.delete(User::key("john")).return_old().await.unwrap();
    assert_eq!(out.old, Some(john()));
    assert!(
        users
            .get(User::key("john"))
            .consistent()
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn create_only_and_conditions() {
    let users = common::fresh_table::<User>().await;
    let f = User::FIELDS;
    users.put(&john()).create_only().await.unwrap();
    let err = users.put(&john()).create_only().await.unwrap_err();
    assert!(
        matches!(err, Error::ConditionFailed { item: Some(_) }),
        "{err:?}"
    );

    // Conditions on reserved-word and punctuated names.
    let mut changed = john();
    changed.status = "banned".into();
    let err = users
        .put(&changed)
        .condition(f.status.eq("inactive"))
        .await
        .unwrap_err();
    match err {
        Error::ConditionFailed {
            item: Some(current),
        } => {
            assert_eq!(current["status"], AttributeValue::S("active".into()));
        }
        other => panic!("expected ConditionFailed, got {other:?}"),
    }
    users
        .put(&changed)
        .condition(f.status.eq("active") & f.size.gt(2) & f.first_name.begins_with("Jo"))
        .await
        .unwrap();
    users
        .put(&john())
        .condition(f.odd.eq("odd") & f.joined.between(1, 2_000_000_000) & f.tags.contains("a"))
        .await
        .unwrap();
    users
        .delete(User::key("john"))
        .condition(f.address.at(|a| a.city).eq("Paris") | f.nickname.exists())
        .await
        .unwrap();
    assert!(!users.exists(User::key("john")).await.unwrap());
}

#[tokio::test]
async fn every_condition_operator_on_a_real_table() {
    let users = common::fresh_table::<User>().await;
    users.put(&john()).await.unwrap();
    let f = User::FIELDS;
    use dynamo_orm::expr::{AttrType, Condition};
    let holds: Vec<(&str, Condition)> = vec![
        ("eq", f.status.eq("active")),
        ("ne", f.status.ne("x")),
        ("lt", f.size.lt(4)),
        ("le", f.size.le(3)),
        ("gt", f.size.gt(2)),
        ("ge", f.size.ge(3)),
        ("between", f.joined.between(1366056668, 1366056669)),
        ("in", f.status.is_in(["x", "active"])),
        ("begins_with", f.first_name.begins_with("J")),
        ("contains string", f.first_name.contains("oh")),
        ("contains set", f.tags.contains("b")),
        ("contains list", f.scores.contains(2)),
        ("exists", f.status.exists()),
        ("not exists", f.nickname.not_exists()),
        ("type", f.tags.has_type(AttrType::Ss)),
        ("size", f.scores.size().eq(3)),
        ("size string", f.status.size().gt(5)),
        ("nested", f.address.at(|a| a.zip).eq("75001")),
        ("list index", f.scores.index(1).eq(2)),
        ("map key", f.prefs.key("theme").eq("dark")),
        ("not", !f.status.eq("banned")),
        ("or", f.status.eq("x") | f.size.eq(3)),
        ("all", Condition::all([f.size.eq(3), f.status.eq("active")])),
        (
            "any",
            Condition::any([f.size.eq(99), f.status.eq("active")]),
        ),
    ];
    for (what, cond) in holds {
        users
            .put(&john())
            .condition(cond.clone())
            .await
            .unwrap_or_else(|e| panic!("{what}: {cond:?} should hold: {e}"));
        let negated = users.put(&john()).condition(!cond).await;
        assert!(
            matches!(negated, Err(Error::ConditionFailed { .. })),
            "{what}: negation should fail: {negated:?}"
        );
    }
}

#[tokio::test]
async fn update_actions() {
    let users = common::fresh_table::<User>().await;
    users.put(&john()).await.unwrap();
    let f = User::FIELDS;
    let out = users
        .update(User::key("john"))
        .apply(
            Update::new()
                .set(f.status, "away")
                .set(f.address.at(|a| a.city), "Lyon")
                .set_if_not_exists(f.nickname, "jj")
                .increment(f.size, 2)
                .list_append(f.scores, vec![4])
                .add(f.tags, HashSet::from(["c".to_string()]))
                .set(f.prefs.key("lang"), "fr".to_string()),
        )
        .condition(f.status.eq("active"))
        .return_new()
        .await
        .unwrap();
    let user = out.item.unwrap();
    assert_eq!(user.status, "away");
    assert_eq!(user.address.city, "Lyon");
    assert_eq!(user.nickname.as_deref(), Some("jj"));
    assert_eq!(user.size, 5);
    assert_eq!(user.scores, vec![1, 2, 3, 4]);
    assert_eq!(user.tags.len(), 3);
    assert_eq!(user.prefs["lang"], "fr");

    let out = users
        .update(User::key("john"))
        .apply(
            Update::new()
                .remove(f.nickname)
                .delete(f.tags, HashSet::from(["a".to_string()]))
                .decrement(f.size, 1)
                .set_if_not_exists(f.status, "ignored"),
        )
        .return_new()
        .await
        .unwrap();
    let user = out.item.unwrap();
    assert_eq!(user.nickname, None);
    assert_eq!(user.size, 4);
    assert_eq!(user.status, "away");
    assert!(!user.tags.contains("a"));

    let err = users
        .update(User::key("john"))
        .apply(Update::new().set(f.status, "x"))
        .condition(f.size.gt(100))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
}

#[tokio::test]
async fn save_changes_sends_only_the_changes() {
    let users = common::fresh_table::<User>().await;
    let before = john();
    users.put(&before).await.unwrap();
    let mut after = before.clone();
    after.status = "away".into();
    after.nickname = Some("jj".into());
    after.tags.clear(); // an emptied set vanishes: REMOVE
    assert!(users.save_changes(&before, &mut after).await.unwrap());
    // A concurrent change to another attribute survives a partial save.
    users
        .update(User::key("john"))
        .apply(Update::new().set(User::FIELDS.first_name, "Johnny"))
        .await
        .unwrap();
    let stored = users
        .get(User::key("john"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, "away");
    assert_eq!(stored.nickname.as_deref(), Some("jj"));
    assert!(stored.tags.is_empty());
    assert_eq!(stored.first_name, "Johnny");
    let same = stored.clone();
    let mut same2 = stored.clone();
    assert!(
        !users.save_changes(&same, &mut same2).await.unwrap(),
        "nothing to send"
    );
    let mut rekeyed = stored.clone();
    rekeyed.name = "other".into();
    assert!(matches!(
        users.save_changes(&same, &mut rekeyed).await,
        Err(Error::Validation(_))
    ));
}

#[derive(DynamoAttribute, Debug, PartialEq)]
#[dynamo(projection_of = User)]
struct UserStatus {
    name: String,
    status: String,
    first_name: String,
}

#[tokio::test]
async fn projection_reads_a_subset() {
    let users = common::fresh_table::<User>().await;
    users.put(&john()).await.unwrap();
    let s: UserStatus = users
        .get(User::key("john"))
        .project::<UserStatus>()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        s,
        UserStatus {
            name: "john".into(),
            status: "active".into(),
            first_name: "John".into()
        }
    );
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "measures")]
struct Measure {
    #[dynamo(hash_key)]
    id: String,
    value: f64,
    blob: Vec<u8>,
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let table = common::fresh_table::<Measure>().await;
    let nan = Measure {
        id: "a".into(),
        value: f64::NAN,
        blob: vec![],
    };
    let err = table.put(&nan).await.unwrap_err();
    assert!(
        matches!(&err, Error::Encode(e) if e.path().to_string() == "value"),
        "{err}"
    );

    let empty_key = Measure {
        id: String::new(),
        value: 1.0,
        blob: vec![],
    };
    assert!(matches!(
        table.put(&empty_key).await,
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        table.get(Measure::key("")).await,
        Err(Error::Validation(_))
    ));

    let huge = Measure {
        id: "big".into(),
        value: 1.0,
        blob: vec![7; 410 * 1024],
    };
    let err = table.put(&huge).await.unwrap_err();
    assert!(matches!(err, Error::ItemTooLarge { .. }), "{err:?}");
    // Nothing was written by any of them.
    assert_eq!(table.scan().count().await.unwrap(), 0);
    assert!(matches!(
        table.update(Measure::key("a")).await,
        Err(Error::Validation(_))
    ));
}

#[tokio::test]
async fn bad_data_from_the_table_names_the_path() {
    let users = common::fresh_table::<User>().await;
    let mut raw = dynamo_orm::Item::new();
    raw.insert("name".into(), AttributeValue::S("raw".into()));
    raw.insert("status".into(), AttributeValue::N("1".into()));
    users
        .client()
        .put_item()
        .table_name(users.name())
        .set_item(Some(raw))
        .send()
        .await
        .unwrap();
    let err = users.get(User::key("raw")).await.unwrap_err();
    match err {
        Error::Decode(e) => {
            assert_eq!(e.path().to_string(), "status");
            assert_eq!(e.expected(), Some("S"));
            assert_eq!(e.found(), Some("N"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[derive(DynamoAttribute, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Admin,
    Member,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "members")]
struct Member {
    #[dynamo(hash_key)]
    id: String,
    role: Role,
    roles: HashSet<Role>,
    home: Address,
    history: Vec<Address>,
}

/// Conditions and updates on derived types: unit enums and nested structs
/// compare with values of their own type.
#[tokio::test]
async fn conditions_on_enums_and_nested_structs() {
    let t = common::fresh_table::<Member>().await;
    let paris = Address {
        city: "Paris".into(),
        zip: "75001".into(),
    };
    let m = Member {
        id: "m".into(),
        role: Role::Member,
        roles: HashSet::from([Role::Member]),
        home: paris.clone(),
        history: vec![paris.clone()],
    };
    t.put(&m).await.unwrap();
    let f = Member::FIELDS;
    t.put(&m)
        .condition(
            f.role.eq(Role::Member) & f.home.eq(paris.clone()) & f.roles.contains(Role::Member),
        )
        .await
        .unwrap();
    let err = t
        .put(&m)
        .condition(f.role.eq(Role::Admin))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    let out = t
        .update(Member::key("m"))
        .apply(
            Update::new()
                .set(f.role, Role::Admin)
                .add(f.roles, [Role::Admin])
                .list_append(f.history, vec![Address::default()]),
        )
        .return_new()
        .await
        .unwrap();
    let m = out.item.unwrap();
    assert_eq!(m.role, Role::Admin);
    assert_eq!(m.roles.len(), 2);
    assert_eq!(m.history.len(), 2);
}
