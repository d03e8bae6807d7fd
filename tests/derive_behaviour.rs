//! What the derives generate, checked through the runtime's traits: round
//! trips with every field option, decode errors naming paths, the schema
//! constants, keys, typed fields and projections.

use std::collections::HashSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dynamo_orm::expr::Field;
use dynamo_orm::{
    AttributeMap, AttributeValue, DecodeError, DecodeErrorKind, DynamoAttribute, DynamoItem,
    EncodeError, EncodeErrorKind, FromAttribute, HasFields, Index, IndexKind, IntoAttribute, Item,
    KeyAttribute, KeyScalar, NoRange, PrimaryIndex, PrimaryKey, Projection, ProjectionOf,
    QueryTarget, ReadableFrom, ScalarType,
};

#[derive(DynamoAttribute, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[dynamo(rename_all = "SCREAMING_SNAKE_CASE")]
enum Role {
    Admin,
    #[dynamo(rename = "regular")]
    Member,
    SuperUser,
}

#[derive(DynamoAttribute, Debug, Clone, PartialEq, Default)]
struct Address {
    city: String,
    #[dynamo(rename = "zip_code")]
    zip: Option<String>,
}

#[derive(DynamoAttribute, Debug, Clone, PartialEq, Default)]
struct Audit {
    created_by: String,
    #[dynamo(rename = "audit_note")]
    note: Option<String>,
}

/// Money stored as a decimal string: `1234` cents is `"12.34"`.
mod cents {
    use dynamo_orm::{AttributeValue, DecodeError, EncodeError};

    pub fn to_attribute(cents: &i64) -> Result<AttributeValue, EncodeError> {
        if *cents < 0 {
            return Err(EncodeError::invalid("negative balance"));
        }
        Ok(AttributeValue::S(format!(
            "{}.{:02}",
            cents / 100,
            cents % 100
        )))
    }

    pub fn from_attribute(value: AttributeValue) -> Result<i64, DecodeError> {
        let AttributeValue::S(text) = value else {
            return Err(DecodeError::type_mismatch("S", &value));
        };
        let (units, hundredths) = text
            .split_once('.')
            .ok_or_else(|| DecodeError::invalid("an amount like 12.34", &text))?;
        let parse = |s: &str| {
            s.parse::<i64>()
                .map_err(|e| DecodeError::invalid("an amount", e))
        };
        Ok(parse(units)? * 100 + parse(hundredths)?)
    }
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "users", rename_all = "camelCase")]
#[dynamo(gsi(ByEmail, hash = email, projection = keys_only))]
#[dynamo(gsi(ByCity, hash = city_code, range = date_joined, name = "city-index", projection = include(nickname, login_count)))]
#[dynamo(lsi(ByScore, range = score))]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(range_key)]
    date_joined: i64,
    email: String,
    #[dynamo(rename = "city")]
    city_code: String,
    score: u32,
    nickname: Option<String>,
    roles: HashSet<Role>,
    tags: HashSet<String>,
    role: Role,
    address: Address,
    friends: Vec<Address>,
    #[dynamo(flatten)]
    audit: Audit,
    #[dynamo(with = cents)]
    balance: i64,
    #[dynamo(default)]
    login_count: u64,
    #[dynamo(skip)]
    cache: Option<String>,
    #[dynamo(version)]
    version: u32,
    #[dynamo(ttl)]
    expires_at: Option<SystemTime>,
}

fn user() -> User {
    User {
        username: "john".into(),
        date_joined: 1_366_056_668,
        email: "john@example.com".into(),
        city_code: "LDN".into(),
        score: 42,
        nickname: None,
        roles: [Role::Admin, Role::SuperUser].into_iter().collect(),
        tags: HashSet::new(),
        role: Role::Member,
        address: Address {
            city: "London".into(),
            zip: Some("N1".into()),
        },
        friends: vec![
            Address {
                city: "Paris".into(),
                zip: None,
            },
            Address {
                city: "Rome".into(),
                zip: None,
            },
            Address {
                city: "Oslo".into(),
                zip: Some("0150".into()),
            },
        ],
        audit: Audit {
            created_by: "admin".into(),
            note: None,
        },
        balance: 1234,
        login_count: 7,
        cache: None,
        version: 3,
        expires_at: Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
    }
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

#[test]
fn writes_every_option() {
    let item = user().to_item().unwrap();
    assert_eq!(item["username"], s("john"));
    assert_eq!(item["dateJoined"], n("1366056668"));
    assert_eq!(item["city"], s("LDN"), "rename wins over rename_all");
    assert_eq!(item["role"], s("regular"));
    assert_eq!(item["balance"], s("12.34"), "with module");
    assert_eq!(item["loginCount"], n("7"));
    assert_eq!(item["version"], n("3"));
    assert_eq!(item["expiresAt"], n("1700000000"));
    assert_eq!(
        item["created_by"],
        s("admin"),
        "flattened fields keep their own names"
    );
    let AttributeValue::Ss(roles) = &item["roles"] else {
        panic!("roles is a string set: {:?}", item["roles"]);
    };
    let roles: HashSet<&str> = roles.iter().map(String::as_str).collect();
    assert_eq!(roles, HashSet::from(["ADMIN", "SUPER_USER"]));
    let AttributeValue::M(address) = &item["address"] else {
        panic!("address is a map");
    };
    assert_eq!(address["city"], s("London"));
    assert_eq!(address["zip_code"], s("N1"));
    let AttributeValue::L(friends) = &item["friends"] else {
        panic!("friends is a list");
    };
    assert_eq!(friends.len(), 3);
    for absent in ["nickname", "tags", "cache", "audit_note", "audit"] {
        assert!(!item.contains_key(absent), "{absent} is left out");
    }
    assert_eq!(item.len(), 14);
    assert!(User::ATTRIBUTE_COUNT >= item.len());
}

#[test]
fn flattened_names_are_listed_in_place() {
    assert_eq!(Audit::ATTRIBUTE_NAMES, ["created_by", "audit_note"]);
    let names = User::ATTRIBUTE_NAMES;
    let at = names.iter().position(|name| *name == "created_by").unwrap();
    assert_eq!(
        &names[at - 1..at + 3],
        ["friends", "created_by", "audit_note", "balance"]
    );
    assert_eq!(names.len(), User::ATTRIBUTE_COUNT);
}

#[test]
fn a_write_never_replaces_an_attribute() {
    // The derive refuses two fields of one name at compile time, flattened
    // structs included; a map that already holds one of the item's attributes
    // is refused at run time, naming it, and keeps what it held.
    let mut item = Item::from([("created_by".to_owned(), s("mallory"))]);
    let err = user().write_attributes(&mut item).unwrap_err();
    assert_eq!(err.path().to_string(), "created_by");
    assert!(matches!(err.kind(), EncodeErrorKind::Invalid(_)));
    assert_eq!(item["created_by"], s("mallory"));

    let mut item = Item::from([("username".to_owned(), s("mallory"))]);
    let err = user().write_attributes(&mut item).unwrap_err();
    assert_eq!(err.path().to_string(), "username");
    assert_eq!(item["username"], s("mallory"));

    let mut item = Item::from([("balance".to_owned(), s("0.00"))]);
    let err = user().write_attributes(&mut item).unwrap_err();
    assert_eq!(err.path().to_string(), "balance", "`with` fields too");
}

#[test]
fn round_trips() {
    let original = user();
    let item = original.to_item().unwrap();
    assert_eq!(User::from_item(item.clone()).unwrap(), original);
    let mut rest = item;
    rest.insert("unknown".into(), s("ignored"));
    assert_eq!(User::read_attributes(&mut rest).unwrap(), original);
    assert_eq!(rest.len(), 1, "read_attributes removes what it reads");

    let nested = original.to_attribute().unwrap();
    assert!(matches!(nested, AttributeValue::M(_)));
    assert_eq!(User::from_attribute(nested).unwrap(), original);
}

#[test]
fn reads_absent_and_null_values() {
    let mut item = user().to_item().unwrap();
    item.insert("nickname".into(), AttributeValue::Null(true));
    item.remove("loginCount");
    item.remove("expiresAt");
    item.remove("tags");
    let read = User::from_item(item.clone()).unwrap();
    assert_eq!(read.nickname, None, "NULL reads as None");
    assert_eq!(read.login_count, 0, "missing `default` field");
    assert_eq!(read.expires_at, None);
    assert!(read.tags.is_empty(), "missing set reads as empty");
    assert_eq!(read.cache, None, "skipped field is Default");

    item.insert("loginCount".into(), AttributeValue::Null(true));
    assert_eq!(
        User::from_item(item).unwrap().login_count,
        0,
        "NULL `default` field"
    );
}

#[test]
fn decode_errors_name_the_path() {
    let item = user().to_item().unwrap();

    let mut missing = item.clone();
    missing.remove("email");
    let err = User::from_item(missing).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::Missing);
    assert_eq!(err.path().to_string(), "email");

    let mut nested = item.clone();
    let AttributeValue::M(mut address) = nested["address"].clone() else {
        panic!("address is a map");
    };
    address.insert("city".into(), n("5"));
    nested.insert("address".into(), AttributeValue::M(address));
    let err = User::from_item(nested).unwrap_err();
    assert_eq!(err.path().to_string(), "address.city");
    assert_eq!((err.expected(), err.found()), (Some("S"), Some("N")));

    let mut listed = item.clone();
    let AttributeValue::L(mut friends) = listed["friends"].clone() else {
        panic!("friends is a list");
    };
    friends[2] = AttributeValue::M(Item::from([("zip_code".to_owned(), s("0150"))]));
    listed.insert("friends".into(), AttributeValue::L(friends));
    let err = User::from_item(listed).unwrap_err();
    assert_eq!(err.path().to_string(), "friends[2].city");
    assert_eq!(err.kind(), &DecodeErrorKind::Missing);

    let mut custom = item.clone();
    custom.insert("balance".into(), s("lots"));
    let err = User::from_item(custom).unwrap_err();
    assert_eq!(err.path().to_string(), "balance");

    let mut flattened = item.clone();
    flattened.remove("created_by");
    let err = User::from_item(flattened).unwrap_err();
    assert_eq!(err.path().to_string(), "created_by");

    let mut role = item;
    role.insert("role".into(), s("ROOT"));
    let err = User::from_item(role).unwrap_err();
    assert_eq!(err.path().to_string(), "role");
    assert_eq!(
        err.to_string(),
        "attribute `role`: expected one of: ADMIN, regular, SUPER_USER: unknown variant \"ROOT\""
    );
}

#[test]
fn encode_errors_name_the_path() {
    let mut broken = user();
    broken.balance = -1;
    let err = broken.to_item().unwrap_err();
    assert_eq!(err.path().to_string(), "balance");

    let mut nan = user();
    nan.friends.clear();
    assert!(nan.to_item().is_ok());
}

#[test]
fn schema_constants() {
    let schema = User::SCHEMA;
    assert_eq!(schema.table_name, "users");
    assert_eq!(
        schema.hash_key,
        KeyAttribute {
            name: "username",
            scalar_type: ScalarType::S
        }
    );
    assert_eq!(
        schema.range_key,
        Some(KeyAttribute {
            name: "dateJoined",
            scalar_type: ScalarType::N
        })
    );
    assert_eq!(schema.version_attribute, Some("version"));
    assert_eq!(schema.ttl_attribute, Some("expiresAt"));
    assert_eq!(schema.indexes.len(), 3);

    let by_email = schema.index("ByEmail").unwrap();
    assert_eq!(by_email.kind, IndexKind::Global);
    assert_eq!(
        by_email.hash_key,
        KeyAttribute {
            name: "email",
            scalar_type: ScalarType::S
        }
    );
    assert_eq!(by_email.range_key, None);
    assert_eq!(by_email.projection, Projection::KeysOnly);

    let by_city = schema.index("city-index").unwrap();
    assert_eq!(by_city.hash_key.name, "city");
    assert_eq!(by_city.range_key.map(|k| k.name), Some("dateJoined"));
    assert_eq!(
        by_city.projection,
        Projection::Include(&["nickname", "loginCount"])
    );
    assert_eq!(*by_city, ByCity::SCHEMA);

    let by_score = schema.index("ByScore").unwrap();
    assert_eq!(by_score.kind, IndexKind::Local);
    assert_eq!(
        by_score.hash_key, schema.hash_key,
        "a local index shares the hash key"
    );
    assert_eq!(
        by_score.range_key,
        Some(KeyAttribute {
            name: "score",
            scalar_type: ScalarType::N
        })
    );
    assert_eq!(by_score.projection, Projection::All);

    assert_eq!(ByCity::INDEX_NAME, Some("city-index"));
    assert_eq!((ByCity::GLOBAL, ByScore::GLOBAL), (true, false));
    assert_eq!(<ByEmail as QueryTarget>::HASH_KEY.name, "email");
    assert_eq!(<ByEmail as QueryTarget>::RANGE_KEY, None);

    fn index_types<I: QueryTarget<Item = User, Hash = H, Range = R>, H, R>() {}
    index_types::<ByEmail, String, NoRange>();
    index_types::<ByCity, String, i64>();
    index_types::<ByScore, String, u32>();
    fn key_types<T: DynamoItem<HashKey = String, RangeKey = i64, Key = UserKey>>() {}
    key_types::<User>();

    let keys: Vec<&str> = schema.key_attributes().iter().map(|k| k.name).collect();
    assert_eq!(keys, ["username", "dateJoined", "email", "city", "score"]);
}

#[test]
fn keys() {
    let user = user();
    assert_eq!(User::key("john", 1_366_056_668), user.key());
    assert_eq!(
        UserKey::new(String::from("john"), 1_366_056_668),
        UserKey {
            username: "john".into(),
            date_joined: 1_366_056_668
        }
    );
    assert_eq!(
        UserKey::from(("john".to_owned(), 1_366_056_668)),
        user.key()
    );

    let key_item = user.key().to_key_item().unwrap();
    assert_eq!(key_item.len(), 2);
    assert_eq!(key_item["username"], s("john"));
    assert_eq!(key_item["dateJoined"], n("1366056668"));
    assert_eq!(UserKey::from_key_item(&key_item).unwrap(), user.key());
    let full = user.to_item().unwrap();
    assert_eq!(
        UserKey::from_key_item(&full).unwrap(),
        user.key(),
        "other attributes are ignored"
    );

    let mut partial = key_item;
    partial.remove("dateJoined");
    let err = UserKey::from_key_item(&partial).unwrap_err();
    assert_eq!(err.path().to_string(), "dateJoined");
    assert_eq!(err.kind(), &DecodeErrorKind::Missing);
}

#[test]
fn keys_are_eq_and_hash_when_their_types_are() {
    let mut seen = HashSet::new();
    assert!(seen.insert(user().key()));
    assert!(!seen.insert(User::key("john", 1_366_056_668)));
    assert!(seen.insert(User::key("john", 1)));
    fn eq_and_hash<K: Eq + std::hash::Hash>() {}
    eq_and_hash::<UserKey>();
    eq_and_hash::<Blob16Key>();

    // A float key is only `PartialEq` (`HashSet<ScoreKey>` does not compile:
    // tests/ui/keys/float_key_in_hash_set.rs).
    #[derive(DynamoItem)]
    #[dynamo(table = "scores")]
    struct Score {
        #[dynamo(hash_key)]
        board: String,
        #[dynamo(range_key)]
        points: f64,
    }
    let key = Score::key("main", 1.5);
    assert_eq!(key, ScoreKey::new("main", 1.5));
    assert_ne!(key, Score::key("main", f64::NAN));
}

/// A type with a `key` method of its own names the generated constructor.
#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(table = "settings", key_fn = key_of)]
struct Setting {
    #[dynamo(hash_key)]
    scope: String,
    #[dynamo(range_key)]
    name: String,
    value: String,
}

impl Setting {
    /// The setting's own key, `scope/name`.
    fn key(&self) -> String {
        format!("{}/{}", self.scope, self.name)
    }
}

#[test]
fn key_fn_renames_the_constructor() {
    let setting = Setting {
        scope: "ui".into(),
        name: "theme".into(),
        value: "dark".into(),
    };
    assert_eq!(setting.key(), "ui/theme", "the type's own method");
    assert_eq!(
        DynamoItem::key(&setting),
        Setting::key_of("ui", "theme"),
        "the generated constructor"
    );
    assert_eq!(Setting::key_of("ui", "theme").name, "theme");
}

#[test]
fn versions() {
    let mut user = user();
    assert_eq!(user.version(), Ok(3));
    assert_eq!(user.set_version(4), Ok(()));
    assert_eq!(user.version, 4);
    assert_eq!(User::VERSION_MAX, u64::from(u32::MAX));
    let err = user.set_version(u64::from(u32::MAX) + 1).unwrap_err();
    assert_eq!(err.path().to_string(), "version");
    assert_eq!(user.version, 4, "a version that does not fit is not stored");

    #[derive(DynamoItem)]
    #[dynamo(table = "plain")]
    struct Plain {
        #[dynamo(hash_key)]
        id: u64,
    }
    let mut plain = Plain { id: 1 };
    assert_eq!(plain.version(), Ok(0));
    assert_eq!(plain.set_version(9), Ok(()));
    assert_eq!(plain.id, 1);
    assert_eq!(Plain::VERSION_MAX, u64::MAX);
    assert_eq!(Plain::key(1), plain.key());
    assert_eq!(PlainKey::from(1), plain.key());
    assert_eq!(Plain::SCHEMA.range_key, None);
    assert_eq!(Plain::SCHEMA.version_attribute, None);
}

/// A version of a signed type, behind an alias: the type is checked by its
/// `VersionNumber` impl, not by its spelling.
type Revision = i16;

#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(table = "signed")]
struct Signed {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(version)]
    revision: Revision,
}

#[test]
fn version_fields_of_any_integer_type() {
    let mut item = Signed {
        id: "a".into(),
        revision: -1,
    };
    let err = item.version().unwrap_err();
    assert_eq!(
        err.path().to_string(),
        "revision",
        "a negative version is an error"
    );
    assert_eq!(Signed::VERSION_MAX, 32_767);
    assert!(item.set_version(32_768).is_err());
    assert_eq!(item.set_version(7), Ok(()));
    assert_eq!(item.revision, 7);
}

#[test]
fn a_missing_version_reads_as_zero() {
    // Written by another library: no version attribute, or NULL.
    let item = Item::from([("id".to_owned(), s("a"))]);
    assert_eq!(Signed::from_item(item.clone()).unwrap().revision, 0);
    let mut null = item.clone();
    null.insert("revision".into(), AttributeValue::Null(true));
    assert_eq!(Signed::from_item(null).unwrap().revision, 0);
    let mut removing = item.clone();
    assert_eq!(Signed::read_attributes(&mut removing).unwrap().revision, 0);

    // A stored version that is negative, too large or not whole is an error
    // naming the attribute, never 0 and never truncated.
    for stored in ["-3", "40000", "1.5", "x"] {
        let mut bad = item.clone();
        bad.insert("revision".into(), n(stored));
        let err = Signed::from_item(bad).unwrap_err();
        assert_eq!(err.path().to_string(), "revision", "{stored}");
    }
    let mut text = item;
    text.insert("revision".into(), s("3"));
    let err = Signed::from_item(text).unwrap_err();
    assert_eq!((err.expected(), err.found()), (Some("N"), Some("S")));
}

/// Keys and times by their traits, not their spelling: a fixed-size binary key
/// and a time to live behind an alias.
type Expiry = u32;

#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(table = "blobs")]
struct Blob16 {
    #[dynamo(hash_key)]
    digest: [u8; 16],
    #[dynamo(range_key)]
    part: [u8; 2],
    #[dynamo(ttl)]
    expires: Expiry,
}

#[test]
fn byte_array_keys() {
    assert_eq!(Blob16::SCHEMA.hash_key.scalar_type, ScalarType::B);
    assert_eq!(
        Blob16::SCHEMA.range_key.map(|k| k.scalar_type),
        Some(ScalarType::B)
    );
    assert_eq!(Blob16::SCHEMA.ttl_attribute, Some("expires"));
    let blob = Blob16 {
        digest: [7; 16],
        part: [0, 1],
        expires: 1_700_000_000,
    };
    let item = blob.to_item().unwrap();
    assert_eq!(item["digest"], AttributeValue::B(vec![7; 16].into()));
    let key = blob.key().to_key_item().unwrap();
    assert_eq!(key["part"], AttributeValue::B(vec![0, 1].into()));
    assert_eq!(Blob16::from_item(item).unwrap(), blob);
    assert_eq!(Blob16::key([7; 16], [0, 1]), blob.key());
}

/// Sparse indexes: an `Option` index key leaves the item out of the index
/// when it is `None` (the attribute is not written).
#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(table = "orders")]
#[dynamo(gsi(OpenOrders, hash = open_since, projection = keys_only))]
#[dynamo(gsi(ByCourier, hash = courier, range = delivered_at))]
#[dynamo(lsi(ByRefund, range = refunded_at))]
struct Order {
    #[dynamo(hash_key)]
    customer: String,
    #[dynamo(range_key)]
    id: u64,
    open_since: Option<i64>,
    courier: Option<String>,
    delivered_at: Option<u64>,
    refunded_at: Option<String>,
}

#[test]
fn sparse_index_keys() {
    fn index_types<I: QueryTarget<Item = Order, Hash = H, Range = R>, H, R>() {}
    index_types::<OpenOrders, i64, NoRange>();
    index_types::<ByCourier, String, u64>();
    index_types::<ByRefund, String, String>();
    assert_eq!(
        OpenOrders::SCHEMA.hash_key,
        KeyAttribute {
            name: "open_since",
            scalar_type: ScalarType::N
        }
    );
    assert_eq!(
        ByCourier::SCHEMA.range_key,
        Some(KeyAttribute {
            name: "delivered_at",
            scalar_type: ScalarType::N
        })
    );
    assert_eq!(
        ByRefund::SCHEMA.range_key.map(|k| k.scalar_type),
        Some(ScalarType::S)
    );

    let closed = Order {
        customer: "ann".into(),
        id: 1,
        open_since: None,
        courier: None,
        delivered_at: None,
        refunded_at: None,
    };
    let item = closed.to_item().unwrap();
    for key in ["open_since", "courier", "delivered_at", "refunded_at"] {
        assert!(!item.contains_key(key), "{key}: `None` is not in the index");
    }
    assert_eq!(Order::from_item(item).unwrap(), closed);

    let open = Order {
        open_since: Some(1_700_000_000),
        courier: Some("bob".into()),
        ..closed
    };
    let item = open.to_item().unwrap();
    assert_eq!(item["open_since"], n("1700000000"));
    assert_eq!(item["courier"], s("bob"));
    assert_eq!(Order::from_item(item).unwrap(), open);
}

/// Compiles only when each of these reads is allowed; the reads an index
/// cannot serve are compile errors (tests/ui/index/read_item_from_keys_only.rs).
#[test]
fn which_indexes_a_full_item_reads_from() {
    fn readable<P: ReadableFrom<I>, I>() {}
    readable::<User, PrimaryIndex<User>>();
    readable::<User, ByScore>(); // projection `all`
    readable::<UserSummary, ByEmail>(); // a projection reads any index
    readable::<UserSummary, ByCity>();
    readable::<dynamo_orm::Document, ByEmail>();
    // Every field of `Order` but the keys is an `Option`: the keys are enough.
    readable::<Order, OpenOrders>();
    readable::<Order, ByCourier>();
    readable::<Order, ByRefund>();
}

/// A generic item: each type parameter a stored field uses gets
/// `IntoAttribute + FromAttribute + AttrKind` (and `Send + Sync + 'static` for
/// `DynamoItem`), like serde's inferred bounds.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "envelopes", gsi(ByKind, hash = kind))]
struct Envelope<T> {
    #[dynamo(hash_key)]
    id: String,
    kind: String,
    body: T,
    history: Vec<T>,
    reply: Option<T>,
    #[dynamo(flatten)]
    audit: Audit,
    #[dynamo(skip)]
    draft: Option<T>,
}

/// A generic value nested in items.
#[derive(DynamoAttribute, Debug, Clone, PartialEq)]
struct Pair<A, B> {
    first: A,
    second: B,
}

/// `bound` replaces the inferred bounds: a set of `T` needs more than a value.
#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(
    table = "tagged",
    bound = "T: dynamo_orm::SetElement + dynamo_orm::expr::AttrKind"
)]
struct Tagged<T: Eq + std::hash::Hash> {
    #[dynamo(hash_key)]
    id: String,
    tags: HashSet<T>,
}

fn envelope<T>(body: T) -> Envelope<T> {
    Envelope {
        id: "e1".into(),
        kind: "note".into(),
        body,
        history: Vec::new(),
        reply: None,
        audit: Audit {
            created_by: "ann".into(),
            note: None,
        },
        draft: None,
    }
}

#[test]
fn generic_structs_round_trip() {
    let address = Address {
        city: "Oslo".into(),
        zip: Some("0150".into()),
    };
    let mut of_address = envelope(address.clone());
    of_address.history = vec![address.clone()];
    let item = of_address.to_item().unwrap();
    let AttributeValue::M(body) = &item["body"] else {
        panic!("a struct body is a map: {:?}", item["body"]);
    };
    assert_eq!(body["city"], s("Oslo"));
    assert_eq!(
        item["created_by"],
        s("ann"),
        "flattened into a generic item"
    );
    assert_eq!(Envelope::<Address>::from_item(item).unwrap(), of_address);

    let mut of_number = envelope(5u32);
    of_number.reply = Some(6);
    let item = of_number.to_item().unwrap();
    assert_eq!(item["body"], n("5"));
    assert_eq!(item["reply"], n("6"));
    assert_eq!(Envelope::<u32>::from_item(item).unwrap(), of_number);

    let of_pair = envelope(Pair {
        first: "x".to_owned(),
        second: 2u8,
    });
    let item = of_pair.to_item().unwrap();
    assert_eq!(
        Envelope::<Pair<String, u8>>::from_item(item).unwrap(),
        of_pair
    );

    let tagged = Tagged {
        id: "t".into(),
        tags: HashSet::from([1u16, 2]),
    };
    assert_eq!(
        Tagged::from_item(tagged.to_item().unwrap()).unwrap(),
        tagged
    );
}

#[test]
fn generic_structs_companions() {
    // One table, one key type, whatever the body.
    assert_eq!(Envelope::<u32>::SCHEMA, Envelope::<Address>::SCHEMA);
    assert_eq!(Envelope::<u32>::SCHEMA.table_name, "envelopes");
    assert_eq!(envelope(1u32).key(), EnvelopeKey::new("e1"));
    assert_eq!(
        Envelope::<u32>::key("e1"),
        envelope(Address::default()).key()
    );
    let _: Field<u32> = Envelope::<u32>::FIELDS.body;
    let _: Field<Vec<Address>> = Envelope::<Address>::FIELDS.history;
    assert_eq!(
        Envelope::<u32>::FIELDS.audit.created_by.name(),
        "created_by"
    );

    fn index_types<I: QueryTarget<Item = E, Hash = String, Range = NoRange>, E>() {}
    index_types::<ByKind<u32>, Envelope<u32>>();
    assert_eq!(ByKind::<Address>::SCHEMA.hash_key.name, "kind");
    assert_eq!(Envelope::<u32>::SCHEMA.indexes, [ByKind::<u32>::SCHEMA]);
    let _marker: ByKind<u32> = ByKind::default();
    fn readable<P: ReadableFrom<I>, I>() {}
    readable::<Envelope<u32>, ByKind<u32>>();
    assert_eq!(
        Envelope::<u32>::ATTRIBUTE_NAMES,
        [
            "id",
            "kind",
            "body",
            "history",
            "reply",
            "created_by",
            "audit_note"
        ]
    );
}

#[test]
fn typed_fields() {
    assert_eq!(
        User::FIELDS.address.at(|a| a.city).to_string(),
        "address.city"
    );
    assert_eq!(User::FIELDS.city_code.name(), "city");
    assert_eq!(User::FIELDS.date_joined.name(), "dateJoined");
    assert_eq!(User::FIELDS.audit.created_by.name(), "created_by");
    assert_eq!(User::FIELDS.audit.note.name(), "audit_note");
    let _: Field<Option<SystemTime>> = User::FIELDS.expires_at;
    let _: Field<i64> = <User as HasFields>::FIELDS.balance;
    assert_eq!(Address::FIELDS.zip.name(), "zip_code");

    let mut names = Vec::new();
    User::attribute_names(&mut names);
    assert!(names.contains(&"created_by") && names.contains(&"audit_note"));
    assert!(!names.contains(&"cache"));
    assert_eq!(names.len(), User::ATTRIBUTE_COUNT);
}

#[derive(DynamoAttribute, Debug, PartialEq)]
#[dynamo(projection_of = User)]
struct UserSummary {
    username: String,
    city_code: String,
    #[dynamo(default)]
    login_count: u64,
    #[dynamo(skip)]
    loaded: bool,
}

#[test]
fn projections() {
    fn projects<P: ProjectionOf<User>>() {}
    projects::<UserSummary>();
    projects::<User>();

    let item = user().to_item().unwrap();
    let summary = UserSummary::from_map(item).unwrap();
    assert_eq!(
        summary,
        UserSummary {
            username: "john".into(),
            city_code: "LDN".into(),
            login_count: 7,
            loaded: false
        }
    );
    assert_eq!(UserSummary::FIELDS.city_code.name(), "city");
    assert_eq!(UserSummary::FIELDS.login_count.name(), "loginCount");
    let mut names = Vec::new();
    UserSummary::attribute_names(&mut names);
    assert_eq!(names, ["username", "city", "loginCount"]);

    let partial = Item::from([
        ("username".to_owned(), s("ann")),
        ("city".to_owned(), s("Rome")),
    ]);
    assert_eq!(UserSummary::from_map(partial).unwrap().login_count, 0);
    let err = UserSummary::from_map(Item::new()).unwrap_err();
    assert_eq!(err.path().to_string(), "username");
}

#[test]
fn unit_enums() {
    assert_eq!(Role::Admin.to_attribute().unwrap(), s("ADMIN"));
    assert_eq!(Role::Member.to_attribute().unwrap(), s("regular"));
    assert_eq!(Role::SuperUser.to_attribute().unwrap(), s("SUPER_USER"));
    assert_eq!(
        Role::from_attribute(s("SUPER_USER")).unwrap(),
        Role::SuperUser
    );
    let err = Role::from_attribute(n("1")).unwrap_err();
    assert_eq!((err.expected(), err.found()), (Some("S"), Some("N")));
    assert_eq!(<Role as KeyScalar>::SCALAR_TYPE, ScalarType::S);

    let roles: HashSet<Role> = [Role::Admin].into_iter().collect();
    assert_eq!(
        roles.to_attribute().unwrap(),
        AttributeValue::Ss(vec!["ADMIN".into()])
    );
    let read =
        HashSet::<Role>::from_attribute(AttributeValue::Ss(vec!["regular".into(), "ADMIN".into()]));
    assert_eq!(read.unwrap(), HashSet::from([Role::Member, Role::Admin]));
    let err = HashSet::<Role>::from_attribute(AttributeValue::Ss(vec!["ADMIN".into(), "x".into()]))
        .unwrap_err();
    assert_eq!(err.path().to_string(), "[1]");

    /// An enum as a key.
    #[derive(DynamoItem)]
    #[dynamo(table = "by_role")]
    struct ByRoleItem {
        #[dynamo(hash_key)]
        role: Role,
    }
    assert_eq!(ByRoleItem::SCHEMA.hash_key.scalar_type, ScalarType::S);
    assert_eq!(
        ByRoleItem { role: Role::Admin }
            .key()
            .to_key_item()
            .unwrap()["role"],
        s("ADMIN")
    );
}

#[test]
fn default_table_name_is_snake_case() {
    #[derive(DynamoItem)]
    struct UserProfile {
        #[dynamo(hash_key)]
        id: String,
    }
    assert_eq!(UserProfile::SCHEMA.table_name, "user_profile");

    #[derive(DynamoItem)]
    #[dynamo(key = ProfileId, fields = ProfilePaths)]
    struct Profile {
        #[dynamo(hash_key, rename = "pk")]
        id: Vec<u8>,
    }
    assert_eq!(Profile::SCHEMA.table_name, "profile");
    assert_eq!(Profile::SCHEMA.hash_key.scalar_type, ScalarType::B);
    let key: ProfileId = Profile::key(vec![1, 2]);
    assert_eq!(
        key.to_key_item().unwrap()["pk"],
        AttributeValue::B(vec![1, 2].into())
    );
    let paths: ProfilePaths = Profile::FIELDS;
    assert_eq!(paths.id.name(), "pk");
}

#[test]
fn unused_imports_are_used() {
    let _ = DecodeError::missing("x");
    let _ = EncodeError::invalid("x");
}

/// A recursive value: `Self` in a field type names the struct.
#[derive(DynamoAttribute, Debug, PartialEq)]
struct Node {
    name: String,
    children: Vec<Self>,
    parent: Option<Box<Node>>,
}

#[test]
fn recursive_structs() {
    let tree = Node {
        name: "root".into(),
        children: vec![Node {
            name: "leaf".into(),
            children: vec![],
            parent: None,
        }],
        parent: None,
    };
    let value = tree.to_attribute().unwrap();
    assert_eq!(Node::from_attribute(value).unwrap(), tree);
    let _: Field<Vec<Node>> = Node::FIELDS.children;
    assert_eq!(
        Node::FIELDS.parent.at(|p| p.name).to_string(),
        "parent.name"
    );
}

/// No fields at all: an empty map.
#[derive(DynamoAttribute, Debug, PartialEq)]
struct Empty {}

#[test]
fn empty_structs() {
    assert_eq!(
        Empty {}.to_attribute().unwrap(),
        AttributeValue::M(Item::new())
    );
    assert_eq!(
        Empty::from_map(Item::from([("x".to_owned(), s("y"))])).unwrap(),
        Empty {}
    );
    assert_eq!(Empty::ATTRIBUTE_COUNT, 0);
}

mod generated {
    use super::*;
    use proptest::prelude::*;

    #[derive(DynamoAttribute, Debug, Clone, PartialEq)]
    #[dynamo(rename_all = "kebab-case")]
    struct Extra {
        note_text: Option<String>,
        weights: Vec<f64>,
    }

    #[derive(DynamoItem, Debug, Clone, PartialEq)]
    #[dynamo(table = "generated")]
    struct Generated {
        #[dynamo(hash_key)]
        id: String,
        #[dynamo(range_key)]
        at: u64,
        name: Option<String>,
        tags: HashSet<String>,
        roles: HashSet<Role>,
        scores: Vec<i32>,
        blob: Vec<u8>,
        address: Option<Address>,
        #[dynamo(flatten)]
        extra: Extra,
        #[dynamo(default)]
        count: i64,
        #[dynamo(version)]
        version: u16,
    }

    fn role() -> impl Strategy<Value = Role> {
        prop_oneof![Just(Role::Admin), Just(Role::Member), Just(Role::SuperUser)]
    }

    fn address() -> impl Strategy<Value = Address> {
        (any::<String>(), proptest::option::of(any::<String>()))
            .prop_map(|(city, zip)| Address { city, zip })
    }

    fn generated() -> impl Strategy<Value = Generated> {
        (
            (
                any::<String>(),
                any::<u64>(),
                proptest::option::of(any::<String>()),
            ),
            (
                proptest::collection::hash_set(any::<String>(), 0..4),
                proptest::collection::hash_set(role(), 0..3),
                proptest::collection::vec(any::<i32>(), 0..4),
                proptest::collection::vec(any::<u8>(), 0..8),
            ),
            (
                proptest::option::of(address()),
                proptest::option::of(any::<String>()),
                proptest::collection::vec(-1e9f64..1e9, 0..3),
                any::<i64>(),
                any::<u16>(),
            ),
        )
            .prop_map(
                |(
                    (id, at, name),
                    (tags, roles, scores, blob),
                    (address, note_text, weights, count, version),
                )| {
                    Generated {
                        id,
                        at,
                        name,
                        tags,
                        roles,
                        scores,
                        blob,
                        address,
                        extra: Extra { note_text, weights },
                        count,
                        version,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn round_trips(value in generated()) {
            let item = value.to_item().unwrap();
            prop_assert!(item.len() <= Generated::ATTRIBUTE_COUNT);
            prop_assert_eq!(Generated::from_item(item.clone()).unwrap(), value.clone());
            let key = GeneratedKey::from_key_item(&item).unwrap();
            prop_assert_eq!(key, value.key());
        }
    }
}
