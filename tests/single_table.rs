//! Single-table design against DynamoDB Local: a table declared once, users,
//! orders and order lines in it with key templates, overloaded and sparse
//! indexes, enums of entities, transactions and batches across entities —
//! and each way ElectroDB loses data (see the design notes), shown impossible.

use aws_sdk_dynamodb::Client;
use dynamo_orm::batch::MultiBatchWriter;
use dynamo_orm::expr::Update;
use dynamo_orm::local::{shared_client, unique_table_name};
use dynamo_orm::{
    AttributeValue, DecodeErrorKind, Document, DynamoAttribute, DynamoEntities, DynamoItem,
    DynamoTable, Entity, Error, Item, PrimaryKey, ScalarType, Table, TableDef, TransactWrite,
};
use futures::{StreamExt, TryStreamExt};

#[derive(DynamoTable)]
#[dynamo(table = "app")]
#[dynamo(gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
#[dynamo(gsi(Gsi2, hash = gsi2pk, range = gsi2sk))]
#[dynamo(gsi(OpenOrders, hash = open_pk, range = open_sk))]
struct App {
    #[dynamo(hash_key)]
    pk: String,
    #[dynamo(range_key)]
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    gsi2pk: String,
    gsi2sk: String,
    open_pk: String,
    open_sk: String,
}

#[derive(DynamoAttribute, Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Placed,
    Shipped,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = App, key(hash = "USER#{username}", range = "PROFILE"))]
#[dynamo(index(Gsi1, hash = "EMAIL#{email}", range = "PROFILE"))]
struct User {
    username: String,
    email: String,
    #[dynamo(default)]
    order_count: u32,
    #[dynamo(version)]
    version: u64,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = App, entity = "Order")]
#[dynamo(key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
#[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{created_at}#{order_id}"))]
#[dynamo(index(Gsi2, hash = "REGION#{region}", range = "{city}#{created_at}"))]
#[dynamo(index(OpenOrders, hash = "OPEN", range = "{opened_at}#{order_id}"))]
struct Order {
    username: String,
    order_id: String,
    status: Status,
    created_at: i64,
    region: String,
    city: String,
    /// When the order was opened for fulfilment: an order is in the sparse
    /// `OpenOrders` index while it is set.
    opened_at: Option<i64>,
    total: u64,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}#LINE#{line}"))]
struct OrderLine {
    username: String,
    order_id: String,
    line: u32,
    sku: String,
    quantity: u32,
}

/// Values that hold the template's separators.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = App, key(hash = "PAIR#{group}", range = "P#{a}#b_{b}"))]
struct Pair {
    group: String,
    a: String,
    b: String,
}

#[derive(DynamoEntities, Debug, Clone, PartialEq)]
#[dynamo(table = App)]
enum AppItem {
    User(User),
    Order(Order),
    OrderLine(OrderLine),
    #[dynamo(other)]
    Other(Document),
}

/// An enum without an `other` variant: an unknown entity is an error.
#[derive(DynamoEntities, Debug, Clone, PartialEq)]
#[dynamo(table = App)]
enum Strict {
    User(User),
    Order(Order),
}

/// Entities without versions, for the collection's batch writer.
#[derive(DynamoEntities, Debug, Clone, PartialEq)]
#[dynamo(table = App)]
enum Sales {
    Order(Order),
    OrderLine(OrderLine),
}

/// A fresh `app` table under a unique name.
struct Db {
    client: Client,
    name: String,
}

impl Db {
    async fn new() -> Self {
        let client = shared_client().await.expect("DynamoDB Local");
        let name = unique_table_name("app");
        let docs = Table::<Document>::for_table::<App>(client.clone()).with_name(&name);
        docs.create().await.expect("create the table");
        Db { client, name }
    }

    fn table<T: DynamoItem>(&self) -> Table<T> {
        Table::new(self.client.clone()).with_name(&self.name)
    }

    fn docs(&self) -> Table<Document> {
        Table::<Document>::for_table::<App>(self.client.clone()).with_name(&self.name)
    }

    /// The stored item at a raw key.
    async fn raw(&self, pk: &str, sk: &str) -> Option<Document> {
        let mut key = Document::new();
        key.insert("pk", pk).unwrap();
        key.insert("sk", sk).unwrap();
        self.docs().get(key).consistent().await.unwrap()
    }
}

fn user(name: &str) -> User {
    User {
        username: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        order_count: 0,
        version: 0,
    }
}

fn order(user: &str, id: &str, status: Status, created_at: i64) -> Order {
    Order {
        username: user.into(),
        order_id: id.into(),
        status,
        created_at,
        region: "eu".into(),
        city: "Oslo".into(),
        opened_at: None,
        total: 100,
    }
}

fn line(user: &str, order: &str, line: u32) -> OrderLine {
    OrderLine {
        username: user.into(),
        order_id: order.into(),
        line,
        sku: format!("SKU-{line}"),
        quantity: 1,
    }
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

fn text(doc: &Document, name: &str) -> Option<String> {
    doc.get::<String>(name).unwrap()
}

// ------------------------------------------------------------ the table

#[test]
fn the_table_declaration_is_the_schema_of_its_entities() {
    assert_eq!(App::SCHEMA.table_name, "app");
    assert_eq!(App::DISCRIMINATOR, "_type");
    assert_eq!(App::SCHEMA.indexes.len(), 3);
    assert_eq!(App::SCHEMA.hash_key.scalar_type, ScalarType::S);
    // Every entity addresses the table, with its own version attribute.
    assert_eq!(Order::SCHEMA.table_name, "app");
    assert_eq!(Order::SCHEMA.indexes, App::SCHEMA.indexes);
    assert_eq!(Order::SCHEMA.version_attribute, None);
    assert_eq!(User::SCHEMA.version_attribute, Some("version"));
    assert_eq!(Order::ENTITY.name, "Order");
    assert_eq!(OrderLine::ENTITY.name, "OrderLine");
}

#[tokio::test]
async fn create_and_verify_schema_from_the_declaration() {
    let db = Db::new().await;
    assert_eq!(db.docs().verify_schema().await.unwrap(), vec![]);
    // A handle of an entity sees the same table.
    assert_eq!(db.table::<Order>().verify_schema().await.unwrap(), vec![]);
    let table = db.docs().describe().await.unwrap();
    let mut indexes: Vec<&str> = table
        .global_secondary_indexes()
        .iter()
        .filter_map(|i| i.index_name())
        .collect();
    indexes.sort_unstable();
    assert_eq!(indexes, ["Gsi1", "Gsi2", "OpenOrders"]);
    let orders: Table<Order> = Table::new(db.client.clone());
    assert_eq!(orders.name(), "app");
}

#[derive(DynamoTable)]
#[dynamo(
    table = "billed",
    provisioned(read = 3, write = 2),
    discriminator = "kind"
)]
#[dynamo(gsi(ByOwner, hash = owner, projection = keys_only))]
struct Billed {
    #[dynamo(hash_key)]
    id: u64,
    owner: String,
}

#[tokio::test]
async fn provisioned_billing_is_part_of_the_schema() {
    let client = shared_client().await.unwrap();
    let docs =
        Table::<Document>::for_table::<Billed>(client).with_name(unique_table_name("billed"));
    docs.create().await.unwrap();
    let table = docs.describe().await.unwrap();
    let throughput = table.provisioned_throughput().unwrap();
    assert_eq!(throughput.read_capacity_units(), Some(3));
    assert_eq!(throughput.write_capacity_units(), Some(2));
    let gsi = &table.global_secondary_indexes()[0];
    assert_eq!(
        gsi.provisioned_throughput().unwrap().read_capacity_units(),
        Some(3)
    );
    assert_eq!(Billed::DISCRIMINATOR, "kind");
    assert_eq!(docs.verify_schema().await.unwrap(), vec![]);
}

// ------------------------------------------------------------ entities

#[tokio::test]
async fn entities_write_their_keys_and_discriminator_and_read_back() {
    let db = Db::new().await;
    let users = db.table::<User>();
    let orders = db.table::<Order>();
    let mut alice = user("alice");
    users.put(&mut alice).await.unwrap();
    assert_eq!(alice.version, 1);
    let mut o1 = order("alice", "o1", Status::Placed, 1_700_000_000);
    o1.opened_at = Some(1_700_000_100);
    orders.put(&o1).await.unwrap();

    let raw = db.raw("USER#alice", "ORDER#o1").await.unwrap();
    assert_eq!(text(&raw, "_type").as_deref(), Some("Order"));
    assert_eq!(text(&raw, "gsi1pk").as_deref(), Some("STATUS#Placed"));
    assert_eq!(text(&raw, "gsi1sk").as_deref(), Some("1700000000#o1"));
    assert_eq!(text(&raw, "gsi2pk").as_deref(), Some("REGION#eu"));
    assert_eq!(text(&raw, "gsi2sk").as_deref(), Some("Oslo#1700000000"));
    assert_eq!(text(&raw, "open_pk").as_deref(), Some("OPEN"));
    assert_eq!(text(&raw, "open_sk").as_deref(), Some("1700000100#o1"));
    let raw_user = db.raw("USER#alice", "PROFILE").await.unwrap();
    assert_eq!(text(&raw_user, "_type").as_deref(), Some("User"));
    assert_eq!(
        text(&raw_user, "gsi1pk").as_deref(),
        Some("EMAIL#alice@example.com")
    );

    // `key(..)` builds the composite key; get, delete and conditions take it.
    let got = orders
        .get(Order::key("alice", "o1"))
        .consistent()
        .await
        .unwrap();
    assert_eq!(got, Some(o1.clone()));
    assert_eq!(o1.key(), Order::key("alice", "o1"));
    let key_item = Order::key("alice", "o1").to_key_item().unwrap();
    assert_eq!(key_item["pk"], s("USER#alice"));
    assert_eq!(key_item["sk"], s("ORDER#o1"));
    assert_eq!(
        <Order as DynamoItem>::Key::from_key_item(&key_item).unwrap(),
        Order::key("alice", "o1")
    );
    let f = Order::FIELDS;
    let refused = orders
        .delete(Order::key("alice", "o1"))
        .condition(f.total.gt(1000))
        .await;
    assert!(
        matches!(refused, Err(Error::ConditionFailed { .. })),
        "{refused:?}"
    );
    orders.delete(Order::key("alice", "o1")).await.unwrap();
    assert!(db.raw("USER#alice", "ORDER#o1").await.is_none());
    assert_eq!(
        users.get(User::key("alice")).consistent().await.unwrap(),
        Some(alice)
    );
}

#[tokio::test]
async fn reading_another_entity_is_an_error_naming_the_key_and_the_entity() {
    let db = Db::new().await;
    // An item at an order's key that holds a user (another writer, a bug).
    let mut foreign = Document::new();
    foreign.insert("pk", "USER#bob").unwrap();
    foreign.insert("sk", "ORDER#o9").unwrap();
    foreign.insert("_type", "User").unwrap();
    foreign.insert("username", "bob").unwrap();
    db.docs().put(&foreign).await.unwrap();
    let err = db
        .table::<Order>()
        .get(Order::key("bob", "o9"))
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        decode.kind(),
        &DecodeErrorKind::WrongEntity {
            expected: "Order",
            found: Some("User".into())
        }
    );
    assert_eq!(decode.key().unwrap()["sk"], s("ORDER#o9"));
    assert!(
        err.to_string().contains(
            "item {pk: \"USER#bob\", sk: \"ORDER#o9\"}: attribute `_type`: the item's entity is `User`, not `Order`"
        ),
        "{err}"
    );
    // No entity name at all: an error too, never "not found".
    foreign.remove("_type");
    db.docs().put(&foreign).await.unwrap();
    let err = db
        .table::<Order>()
        .get(Order::key("bob", "o9"))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("the item has no entity name; expected `Order`"),
        "{err}"
    );
}

#[tokio::test]
async fn locking_works_unchanged_on_an_entity() {
    let db = Db::new().await;
    let users = db.table::<User>();
    let mut alice = user("alice");
    users.put(&mut alice).await.unwrap();
    let stale = alice.clone();
    // The read-modify-write loop writes the whole item: its index keys follow.
    let saved = users
        .modify(User::key("alice"), |u| u.email = "ally@example.com".into())
        .await
        .unwrap();
    assert_eq!(saved.version, 2);
    let raw = db.raw("USER#alice", "PROFILE").await.unwrap();
    assert_eq!(
        text(&raw, "gsi1pk").as_deref(),
        Some("EMAIL#ally@example.com")
    );
    let mut stale = stale;
    let conflict = users.put(&mut stale).await;
    assert!(
        matches!(conflict, Err(Error::VersionConflict { expected: 1, .. })),
        "{conflict:?}"
    );
    let f = User::FIELDS;
    let conflict = users
        .update(User::key("alice"))
        .apply(Update::new().set(f.email, "x@example.com"))
        .expected_version(1)
        .await;
    assert!(
        matches!(conflict, Err(Error::VersionConflict { .. })),
        "{conflict:?}"
    );
}

#[tokio::test]
async fn partition_queries_return_only_the_entity() {
    let db = Db::new().await;
    let mut alice = user("alice");
    db.table::<User>().put(&mut alice).await.unwrap();
    let orders = db.table::<Order>();
    for (id, at) in [("o1", 1), ("o2", 2), ("o3", 3)] {
        orders
            .put(&order("alice", id, Status::Placed, at))
            .await
            .unwrap();
    }
    // Lines sort among the orders ("ORDER#o1#LINE#1"): the discriminator
    // keeps them out of an order query.
    let lines = db.table::<OrderLine>();
    lines.put(&line("alice", "o1", 1)).await.unwrap();
    lines.put(&line("alice", "o1", 2)).await.unwrap();
    orders
        .put(&order("bob", "o4", Status::Placed, 4))
        .await
        .unwrap();

    let found: Vec<Order> = orders.query_partition("alice").consistent().await.unwrap();
    let ids: Vec<&str> = found.iter().map(|o| o.order_id.as_str()).collect();
    assert_eq!(ids, ["o1", "o2", "o3"]);
    let found: Vec<OrderLine> = lines.query_partition("alice").await.unwrap();
    assert_eq!(found.len(), 2);
    let found: Vec<User> = db.table::<User>().query_partition("alice").await.unwrap();
    assert_eq!(found, vec![alice]);
    // Every read of an entity's table reads that entity: scans and raw
    // key queries too (the other entities are not errors, nor dropped from
    // the table: `Table<AppItem>` reads them).
    let scanned: Vec<Order> = orders.scan().consistent().await.unwrap();
    assert_eq!(scanned.len(), 4);
    assert_eq!(orders.scan().count().await.unwrap(), 4);
    let raw: Vec<Order> = orders.query("USER#alice").await.unwrap();
    assert_eq!(raw.len(), 3);
    let everything: Vec<AppItem> = db.table::<AppItem>().scan().consistent().await.unwrap();
    assert_eq!(everything.len(), 7);

    // Range conditions on the templated part of the sort key.
    let ids =
        |found: Vec<Order>| -> Vec<String> { found.into_iter().map(|o| o.order_id).collect() };
    assert_eq!(
        ids(orders
            .query_partition("alice")
            .sk_between("o2", "o3")
            .await
            .unwrap()),
        ["o2", "o3"]
    );
    assert_eq!(
        ids(orders.query_partition("alice").sk_eq("o2").await.unwrap()),
        ["o2"]
    );
    assert_eq!(
        ids(orders.query_partition("alice").sk_lt("o2").await.unwrap()),
        ["o1"]
    );
    assert_eq!(
        ids(orders
            .query_partition("alice")
            .sk_ge("o2")
            .reverse()
            .await
            .unwrap()),
        ["o3", "o2"]
    );
    assert_eq!(
        ids(orders
            .query_partition(String::from("alice"))
            .limit(1)
            .await
            .unwrap()),
        ["o1"]
    );
    let sorted: Vec<OrderLine> = lines
        .query_partition("alice")
        .sk_gt(("o1", 1))
        .await
        .unwrap();
    assert_eq!(sorted.len(), 1);
    assert_eq!(sorted[0].line, 2);
}

#[tokio::test]
async fn overloaded_index_queries_by_status_and_by_email() {
    let db = Db::new().await;
    let orders = db.table::<Order>();
    let users = db.table::<User>();
    users.put(&mut user("alice")).await.unwrap();
    orders
        .put(&order("alice", "o1", Status::Placed, 10))
        .await
        .unwrap();
    orders
        .put(&order("bob", "o2", Status::Placed, 20))
        .await
        .unwrap();
    orders
        .put(&order("bob", "o3", Status::Shipped, 30))
        .await
        .unwrap();

    let placed: Vec<Order> = orders.query_index::<Gsi1>(Status::Placed).await.unwrap();
    let ids: Vec<&str> = placed.iter().map(|o| o.order_id.as_str()).collect();
    assert_eq!(ids, ["o1", "o2"]);
    let newest: Vec<Order> = orders
        .query_index::<Gsi1>(Status::Placed)
        .sk_ge((15, "o"))
        .await
        .unwrap();
    assert_eq!(newest.len(), 1);
    assert_eq!(newest[0].order_id, "o2");
    // The same index holds users by email.
    let by_email: Vec<User> = users
        .query_index::<Gsi1>("alice@example.com")
        .await
        .unwrap();
    assert_eq!(by_email.len(), 1);
    assert_eq!(by_email[0].username, "alice");
    // And as documents, by index name.
    let docs: Vec<Document> = db
        .docs()
        .query("STATUS#Shipped")
        .index("Gsi1")
        .await
        .unwrap();
    assert_eq!(docs.len(), 1);
}

// ------------------------------------------------------------ updates

#[tokio::test]
async fn updates_keep_index_keys_in_step() {
    let db = Db::new().await;
    let orders = db.table::<Order>();
    orders
        .put(&order("alice", "o1", Status::Placed, 10))
        .await
        .unwrap();
    let f = Order::FIELDS;
    // status is part of gsi1pk: rewritten by the update.
    orders
        .update(Order::key("alice", "o1"))
        .apply(Update::new().set(f.status, Status::Shipped))
        .await
        .unwrap();
    let raw = db.raw("USER#alice", "ORDER#o1").await.unwrap();
    assert_eq!(text(&raw, "gsi1pk").as_deref(), Some("STATUS#Shipped"));
    assert!(
        orders
            .query_index::<Gsi1>(Status::Placed)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        orders
            .query_index::<Gsi1>(Status::Shipped)
            .await
            .unwrap()
            .len(),
        1
    );
    // region alone makes gsi2pk.
    orders
        .update(Order::key("alice", "o1"))
        .apply(Update::new().set(f.region, "us"))
        .await
        .unwrap();
    let raw = db.raw("USER#alice", "ORDER#o1").await.unwrap();
    assert_eq!(text(&raw, "gsi2pk").as_deref(), Some("REGION#us"));
    // created_at and the key's order_id make gsi1sk; city and created_at gsi2sk.
    orders
        .update(Order::key("alice", "o1"))
        .apply(Update::new().set(f.created_at, 99).set(f.city, "Boston"))
        .await
        .unwrap();
    let raw = db.raw("USER#alice", "ORDER#o1").await.unwrap();
    assert_eq!(text(&raw, "gsi1sk").as_deref(), Some("99#o1"));
    assert_eq!(text(&raw, "gsi2sk").as_deref(), Some("Boston#99"));

    // save_changes recomputes every key attribute of the new state.
    let before = orders
        .get(Order::key("alice", "o1"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    let mut after = before.clone();
    after.status = Status::Placed;
    after.city = "Bergen".into();
    assert!(orders.save_changes(&before, &mut after).await.unwrap());
    let raw = db.raw("USER#alice", "ORDER#o1").await.unwrap();
    assert_eq!(text(&raw, "gsi1pk").as_deref(), Some("STATUS#Placed"));
    assert_eq!(text(&raw, "gsi2sk").as_deref(), Some("Bergen#99"));
}

#[tokio::test]
async fn updates_that_cannot_keep_index_keys_in_step_are_refused_before_sending() {
    let db = Db::new().await;
    let orders = db.table::<Order>();
    orders
        .put(&order("alice", "o1", Status::Placed, 10))
        .await
        .unwrap();
    let f = Order::FIELDS;
    let refused = |result: dynamo_orm::Result<dynamo_orm::UpdateOutput<Order>>| match result {
        Err(Error::Validation(message)) => message,
        other => panic!("{other:?}"),
    };
    // A change through `add` / `increment` cannot be rendered into gsi1sk.
    let message = refused(
        orders
            .update(Order::key("alice", "o1"))
            .apply(Update::new().increment(f.created_at, 1))
            .await,
    );
    assert!(
        message.contains("`created_at` with `increment`"),
        "{message}"
    );
    assert!(message.contains("gsi1sk"), "{message}");
    // Only some of a template's fields: gsi2sk is "{city}#{created_at}".
    let message = refused(
        orders
            .update(Order::key("alice", "o1"))
            .apply(Update::new().set(f.city, "Paris"))
            .await,
    );
    assert!(
        message.contains("sets `city` but not `created_at`") && message.contains("`gsi2sk`"),
        "{message}"
    );
    let message = refused(
        orders
            .update(Order::key("alice", "o1"))
            .apply(Update::new().set_raw("gsi1pk", s("STATUS#Forged")))
            .await,
    );
    assert!(message.contains("`gsi1pk` is written by"), "{message}");
    let message = refused(
        orders
            .update(Order::key("alice", "o1"))
            .apply(Update::new().set_raw("order_id", s("o2")))
            .await,
    );
    assert!(message.contains("part of `Order`'s key"), "{message}");
    // Nothing was written.
    let raw = db.raw("USER#alice", "ORDER#o1").await.unwrap();
    assert_eq!(text(&raw, "gsi1sk").as_deref(), Some("10#o1"));
    assert_eq!(text(&raw, "city").as_deref(), Some("Oslo"));
}

#[tokio::test]
async fn an_update_through_one_entity_never_changes_another() {
    let db = Db::new().await;
    let mut foreign = Document::new();
    foreign.insert("pk", "USER#carl").unwrap();
    foreign.insert("sk", "ORDER#o1").unwrap();
    foreign.insert("_type", "Refund").unwrap();
    foreign.insert("total", 5u64).unwrap();
    db.docs().put(&foreign).await.unwrap();
    let f = Order::FIELDS;
    let result = db
        .table::<Order>()
        .update(Order::key("carl", "o1"))
        .apply(Update::new().set(f.total, 7u64))
        .await;
    assert!(
        matches!(result, Err(Error::ConditionFailed { .. })),
        "{result:?}"
    );
    let raw = db.raw("USER#carl", "ORDER#o1").await.unwrap();
    assert_eq!(raw.get::<u64>("total").unwrap(), Some(5));
}

// ------------------------------------------------------------ sparse index (ElectroDB 3, 4)

#[tokio::test]
async fn sparse_index_membership_follows_its_optional_field() {
    let db = Db::new().await;
    let orders = db.table::<Order>();
    // A required (order_id) and an optional (opened_at) input: writing
    // without the optional one succeeds, and the order is not in the index.
    orders
        .put(&order("alice", "o1", Status::Placed, 10))
        .await
        .unwrap();
    assert!(
        orders
            .query_index::<OpenOrders>(())
            .await
            .unwrap()
            .is_empty()
    );
    let raw = db.raw("USER#alice", "ORDER#o1").await.unwrap();
    assert!(!raw.contains("open_sk"));

    // Patching the optional field on puts it in the index, constant
    // partition key included.
    let f = Order::FIELDS;
    orders
        .update(Order::key("alice", "o1"))
        .apply(Update::new().set(f.opened_at, Some(500)))
        .await
        .unwrap();
    let open: Vec<Order> = orders.query_index::<OpenOrders>(()).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].opened_at, Some(500));
    let raw = db.raw("USER#alice", "ORDER#o1").await.unwrap();
    assert_eq!(text(&raw, "open_pk").as_deref(), Some("OPEN"));
    assert_eq!(text(&raw, "open_sk").as_deref(), Some("500#o1"));

    // An item whose constant key attribute is missing (written before the
    // index existed, or by another tool) enters the index whole too.
    let mut old = db.raw("USER#alice", "ORDER#o1").await.unwrap();
    old.remove("open_pk");
    old.remove("open_sk");
    old.remove("opened_at");
    db.docs().put(&old).await.unwrap();
    orders
        .update(Order::key("alice", "o1"))
        .apply(Update::new().set(f.opened_at, Some(600)))
        .await
        .unwrap();
    assert_eq!(orders.query_index::<OpenOrders>(()).await.unwrap().len(), 1);

    // Removing it takes the order out.
    orders
        .update(Order::key("alice", "o1"))
        .apply(Update::new().set(f.opened_at, None::<i64>))
        .await
        .unwrap();
    assert!(
        orders
            .query_index::<OpenOrders>(())
            .await
            .unwrap()
            .is_empty()
    );
    let raw = db.raw("USER#alice", "ORDER#o1").await.unwrap();
    assert!(!raw.contains("open_sk"));
    // Range conditions on the sparse index's sort template.
    let mut o2 = order("alice", "o2", Status::Placed, 20);
    o2.opened_at = Some(700);
    orders.put(&o2).await.unwrap();
    let mut o3 = order("bob", "o3", Status::Placed, 30);
    o3.opened_at = Some(800);
    orders.put(&o3).await.unwrap();
    let later: Vec<Order> = orders
        .query_index::<OpenOrders>(())
        .sk_gt((750, ""))
        .await
        .unwrap();
    assert_eq!(later, vec![o3]);
}

// ------------------------------------------------------------ a local index

#[derive(DynamoTable)]
#[dynamo(table = "threads", lsi(ByActivity, range = lsi1sk))]
struct Threads {
    #[dynamo(hash_key)]
    pk: String,
    #[dynamo(range_key)]
    sk: String,
    lsi1sk: String,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = Threads, key(hash = "FORUM#{forum}", range = "THREAD#{id}"))]
#[dynamo(index(ByActivity, range = "ACTIVE#{last_post}#{id}"))]
struct Thread {
    forum: String,
    id: String,
    last_post: i64,
}

#[tokio::test]
async fn a_local_index_shares_the_partition_template() {
    let client = shared_client().await.unwrap();
    let name = unique_table_name("threads");
    Table::<Document>::for_table::<Threads>(client.clone())
        .with_name(&name)
        .create()
        .await
        .unwrap();
    let threads: Table<Thread> = Table::new(client).with_name(&name);
    for (id, last) in [("t1", 300), ("t2", 100), ("t3", 200)] {
        threads
            .put(&Thread {
                forum: "rust".into(),
                id: id.into(),
                last_post: last,
            })
            .await
            .unwrap();
    }
    let active: Vec<Thread> = threads
        .query_index::<ByActivity>("rust")
        .consistent()
        .reverse()
        .await
        .unwrap();
    let ids: Vec<&str> = active.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["t1", "t3", "t2"]);
    let f = Thread::FIELDS;
    threads
        .update(Thread::key("rust", "t2"))
        .apply(Update::new().set(f.last_post, 400))
        .await
        .unwrap();
    let newest = threads
        .query_index::<ByActivity>("rust")
        .reverse()
        .first()
        .await
        .unwrap();
    assert_eq!(newest.map(|t| t.id).as_deref(), Some("t2"));
}

// ------------------------------------------------------------ separators and case (ElectroDB 1, 2)

#[tokio::test]
async fn separators_in_values_never_merge_two_records() {
    let db = Db::new().await;
    let pairs = db.table::<Pair>();
    let one = Pair {
        group: "g".into(),
        a: "x#b_y".into(),
        b: "z".into(),
    };
    let two = Pair {
        group: "g".into(),
        a: "x".into(),
        b: "y#b_z".into(),
    };
    pairs.put(&one).await.unwrap();
    pairs.put(&two).await.unwrap();
    let both: Vec<Pair> = pairs.query_partition("g").consistent().await.unwrap();
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both.contains(&one) && both.contains(&two));
    // Both stored keys parse back into their fields.
    let docs: Vec<Document> = db.docs().query("PAIR#g").consistent().await.unwrap();
    assert_eq!(docs.len(), 2);
    for doc in docs {
        let key = <Pair as DynamoItem>::Key::from_key_item(doc.as_item()).unwrap();
        assert!(key == one.key() || key == two.key(), "{key:?}");
    }
    assert_eq!(
        pairs.get(one.key()).consistent().await.unwrap(),
        Some(one.clone())
    );
    assert_eq!(pairs.get(two.key()).consistent().await.unwrap(), Some(two));
}

#[tokio::test]
async fn an_entity_never_replaces_or_deletes_another_entitys_item() {
    let db = Db::new().await;
    // Two templates that can render one key: "ORDER#{order_id}" of an order
    // whose id is "o1#LINE#1", and "ORDER#{order_id}#LINE#{line}" of line 1
    // of order "o1".
    let lines = db.table::<OrderLine>();
    let orders = db.table::<Order>();
    lines.put(&line("jo", "o1", 1)).await.unwrap();
    let clash = order("jo", "o1#LINE#1", Status::Placed, 1);
    let result = orders.put(&clash).await;
    assert!(
        matches!(result, Err(Error::ConditionFailed { .. })),
        "{result:?}"
    );
    let result = orders.delete(clash.key()).await;
    assert!(
        matches!(result, Err(Error::ConditionFailed { .. })),
        "{result:?}"
    );
    let result = TransactWrite::new(&db.client).put(orders.put(&clash)).await;
    assert!(
        matches!(result, Err(Error::TransactionCanceled { .. })),
        "{result:?}"
    );
    let stored: Vec<OrderLine> = lines.query_partition("jo").consistent().await.unwrap();
    assert_eq!(stored, vec![line("jo", "o1", 1)]);
    // Its own entity's item is replaced and deleted as usual.
    let mut other = line("jo", "o1", 1);
    other.quantity = 9;
    lines.put(&other).await.unwrap();
    lines.delete(other.key()).await.unwrap();
    assert!(lines.query_partition("jo").await.unwrap().is_empty());
}

#[tokio::test]
async fn keys_keep_their_case() {
    let db = Db::new().await;
    let users = db.table::<User>();
    let mut upper = user("Carol");
    upper.email = "Carol@example.com".into();
    let mut lower = user("carol");
    users.put(&mut upper).await.unwrap();
    users.put(&mut lower).await.unwrap();
    assert_eq!(
        users.get(User::key("Carol")).consistent().await.unwrap(),
        Some(upper)
    );
    assert_eq!(
        users.get(User::key("carol")).consistent().await.unwrap(),
        Some(lower)
    );
    assert!(db.raw("USER#Carol", "PROFILE").await.is_some());
    assert!(db.raw("USER#carol", "PROFILE").await.is_some());
}

// ------------------------------------------------------------ upserts (ElectroDB 5)

#[tokio::test]
async fn upserts_keep_defaults_set_with_if_not_exists() {
    let db = Db::new().await;
    let users = db.table::<User>();
    let f = User::FIELDS;
    let upsert = || {
        users
            .update(User::key("dave"))
            .apply(
                Update::new()
                    .set(f.email, "dave@example.com")
                    .set_if_not_exists(f.order_count, 0u32),
            )
            .upsert()
            .skip_version_check()
    };
    upsert().await.unwrap();
    // The created item is a whole `User`: discriminator and key fields set.
    let created = users
        .get(User::key("dave"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(created.username, "dave");
    assert_eq!(created.order_count, 0);
    assert_eq!(created.version, 1);
    let raw = db.raw("USER#dave", "PROFILE").await.unwrap();
    assert_eq!(
        text(&raw, "gsi1pk").as_deref(),
        Some("EMAIL#dave@example.com")
    );
    users
        .update(User::key("dave"))
        .apply(Update::new().add(f.order_count, 3u32))
        .expected_version(1)
        .await
        .unwrap();
    // Upserting again does not reset the count.
    upsert().await.unwrap();
    let again = users
        .get(User::key("dave"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.order_count, 3);
    assert_eq!(again.version, 3);
}

// ------------------------------------------------------------ collections (ElectroDB 6)

#[tokio::test]
async fn a_collection_query_reads_a_user_with_their_orders() {
    let db = Db::new().await;
    let mut alice = user("alice");
    db.table::<User>().put(&mut alice).await.unwrap();
    let orders = db.table::<Order>();
    for (id, at) in [("o1", 1), ("o2", 2), ("o3", 3)] {
        orders
            .put(&order("alice", id, Status::Placed, at))
            .await
            .unwrap();
    }
    db.table::<OrderLine>()
        .put(&line("alice", "o1", 1))
        .await
        .unwrap();
    orders
        .put(&order("bob", "o9", Status::Placed, 9))
        .await
        .unwrap();

    let items = db.table::<AppItem>();
    let all: Vec<AppItem> = items
        .query_collection(User::partition("alice"))
        .consistent()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    let groups = items
        .query_collection(User::partition("alice"))
        .grouped()
        .await
        .unwrap();
    assert_eq!(groups.user, vec![alice.clone()]);
    assert_eq!(groups.order.len(), 3);
    assert_eq!(groups.order_line.len(), 1);
    assert!(groups.other.is_empty());
    // The user and the most recent orders in one query: "PROFILE" sorts
    // after "ORDER#...", so read backwards.
    let recent: Vec<AppItem> = items
        .query_collection(User::partition("alice"))
        .reverse()
        .limit(3)
        .await
        .unwrap();
    assert_eq!(recent[0], AppItem::User(alice));
    assert!(matches!(&recent[1], AppItem::Order(o) if o.order_id == "o3"));
    // As a stream, collected into groups.
    let groups: AppItemGroups = items
        .query_collection(Order::partition("alice"))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(groups.order.len(), 3);
    let groups = AppItemGroups::from_iter(all);
    assert_eq!(groups.order_line.len(), 1);
    // Raw sort key conditions apply.
    let only_orders: Vec<AppItem> = items
        .query_collection(User::partition("alice"))
        .range_begins_with("ORDER#o1")
        .await
        .unwrap();
    assert_eq!(only_orders.len(), 2);
    // A collection reads by any entity's key.
    let got = items.get(Order::key("alice", "o2")).await.unwrap();
    assert!(matches!(got, Some(AppItem::Order(o)) if o.order_id == "o2"));
}

#[tokio::test]
async fn a_collection_query_of_an_index() {
    let db = Db::new().await;
    db.table::<User>().put(&mut user("alice")).await.unwrap();
    let orders = db.table::<Order>();
    orders
        .put(&order("alice", "o1", Status::Shipped, 1))
        .await
        .unwrap();
    orders
        .put(&order("bob", "o2", Status::Shipped, 2))
        .await
        .unwrap();
    let items = db.table::<AppItem>();
    let shipped = items
        .query_collection_index::<Gsi1>(OrderGsi1Partition::from(Status::Shipped))
        .grouped()
        .await
        .unwrap();
    assert_eq!(shipped.order.len(), 2);
    let by_email: Vec<AppItem> = items
        .query_collection_index::<Gsi1>(UserGsi1Partition::from("alice@example.com"))
        .await
        .unwrap();
    assert!(matches!(&by_email[..], [AppItem::User(u)] if u.username == "alice"));
}

#[tokio::test]
async fn foreign_items_never_vanish_from_a_collection() {
    let db = Db::new().await;
    db.table::<User>().put(&mut user("erin")).await.unwrap();
    let mut invoice = Document::new();
    invoice.insert("pk", "USER#erin").unwrap();
    invoice.insert("sk", "INVOICE#1").unwrap();
    invoice.insert("_type", "Invoice").unwrap();
    db.docs().put(&invoice).await.unwrap();
    let mut untyped = Document::new();
    untyped.insert("pk", "USER#erin").unwrap();
    untyped.insert("sk", "NOTE#1").unwrap();
    db.docs().put(&untyped).await.unwrap();

    // Kept as documents by an enum with an `other` variant.
    let groups = db
        .table::<AppItem>()
        .query_collection(User::partition("erin"))
        .grouped()
        .await
        .unwrap();
    assert_eq!(groups.user.len(), 1);
    assert_eq!(groups.other.len(), 2);
    assert!(
        groups
            .other
            .iter()
            .any(|d| text(d, "_type").as_deref() == Some("Invoice"))
    );

    // An error naming the key and the entity otherwise; the rest still reads.
    let results: Vec<dynamo_orm::Result<Strict>> = db
        .table::<Strict>()
        .query_collection(User::partition("erin"))
        .stream()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(results.len(), 3);
    let errors: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(ToString::to_string))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors.iter().any(|e| e.contains("sk: \"INVOICE#1\"")
            && e.contains("the item's entity is `Invoice`, which no variant of `Strict` reads")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("sk: \"NOTE#1\"") && e.contains("has no entity name")),
        "{errors:?}"
    );
    assert!(matches!(
        results.iter().find(|r| r.is_ok()),
        Some(Ok(Strict::User(_)))
    ));
}

#[tokio::test]
async fn collection_writes_keep_every_entity_rule() {
    let db = Db::new().await;
    let items = db.table::<AppItem>();
    // Unversioned entities write through the collection.
    items
        .put(&AppItem::from(order("fay", "o1", Status::Placed, 1)))
        .await
        .unwrap();
    assert!(db.raw("USER#fay", "ORDER#o1").await.is_some());
    // A versioned one does not: its table checks the version.
    let err = items.put(&AppItem::User(user("fay"))).await.unwrap_err();
    assert!(
        err.to_string().contains("write it through `Table<User>`"),
        "{err}"
    );
    // Updates go through the entity's table (index keys, versions).
    let err = items
        .update(Order::key("fay", "o1"))
        .apply(Update::new().set_raw("total", AttributeValue::N("1".into())))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("update through the entity's own table"),
        "{err}"
    );
    // A delete by key could hit a versioned user: refused.
    let err = items.delete(Order::key("fay", "o1")).await.unwrap_err();
    assert!(
        err.to_string().contains("delete through `Table<User>`"),
        "{err}"
    );
    let mut batch = items.batch_writer().unversioned_writes();
    let err = batch
        .delete(AppItemKey::from(Order::key("fay", "o1")))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("delete through `Table<User>`"),
        "{err}"
    );
    let err = batch.put(&AppItem::User(user("gus"))).await.unwrap_err();
    assert!(
        err.to_string().contains("write it through `Table<User>`"),
        "{err}"
    );
    batch.finish().await.unwrap();
    // A loaded item's delete is its own entity's: allowed for an order.
    let loaded = items.get(Order::key("fay", "o1")).await.unwrap().unwrap();
    items.delete_item(&loaded).await.unwrap();
    assert!(db.raw("USER#fay", "ORDER#o1").await.is_none());
}

// ------------------------------------------------------------ several entities in one call

#[tokio::test]
async fn a_transaction_places_an_order_and_bumps_the_users_count() {
    let db = Db::new().await;
    let users = db.table::<User>();
    let orders = db.table::<Order>();
    let mut alice = user("alice");
    users.put(&mut alice).await.unwrap();
    let f = User::FIELDS;
    let o1 = order("alice", "o1", Status::Placed, 1);
    TransactWrite::new(&db.client)
        .put(orders.put(&o1).create_only())
        .update(
            users
                .update(User::key("alice"))
                .apply(Update::new().add(f.order_count, 1u32))
                .expected_version(alice.version),
        )
        .await
        .unwrap();
    let stored = users
        .get(User::key("alice"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.order_count, stored.version), (1, 2));
    assert_eq!(orders.get(o1.key()).consistent().await.unwrap(), Some(o1));
    // A stale version cancels both.
    let o2 = order("alice", "o2", Status::Placed, 2);
    let result = TransactWrite::new(&db.client)
        .put(orders.put(&o2).create_only())
        .update(
            users
                .update(User::key("alice"))
                .apply(Update::new().add(f.order_count, 1u32))
                .expected_version(alice.version),
        )
        .await;
    match result {
        Err(Error::TransactionCanceled { reasons }) => assert!(reasons[1].version_conflict),
        other => panic!("{other:?}"),
    }
    assert!(orders.get(o2.key()).consistent().await.unwrap().is_none());
}

#[tokio::test]
async fn batch_writers_take_several_entity_types_in_one_request() {
    let db = Db::new().await;
    // Through an enum of the entities: each item keeps its own keys.
    let summary = db
        .table::<Sales>()
        .batch_write(async |w| {
            for i in 0..3 {
                let id = format!("o{i}");
                w.put(&Sales::from(order("hal", &id, Status::Placed, i)))
                    .await?;
                w.put(&Sales::from(line("hal", &id, 1))).await?;
            }
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(summary.items_written, 6);
    assert!(summary.requests_sent <= 2);
    let groups = db
        .table::<Sales>()
        .query_collection(Order::partition("hal"))
        .grouped()
        .await
        .unwrap();
    assert_eq!((groups.order.len(), groups.order_line.len()), (3, 3));
    let raw = db.raw("USER#hal", "ORDER#o1").await.unwrap();
    assert_eq!(text(&raw, "gsi1pk").as_deref(), Some("STATUS#Placed"));

    // Through the tables of each entity, in one writer.
    let users = db.table::<User>();
    let orders = db.table::<Order>();
    let mut writer = MultiBatchWriter::new(db.client.clone()).unversioned_writes();
    writer.put_to(&users, &user("ivy")).await.unwrap();
    writer
        .put_to(&orders, &order("ivy", "o1", Status::Shipped, 5))
        .await
        .unwrap();
    writer
        .delete_from(&orders, Order::key("hal", "o0"))
        .await
        .unwrap();
    let summary = writer.finish().await.unwrap();
    assert_eq!(summary.items_written, 3);
    assert_eq!(summary.requests_sent, 1);
    let ivy = users
        .get(User::key("ivy"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ivy.version, 1);
    assert!(orders.get(Order::key("ivy", "o1")).await.unwrap().is_some());
    assert!(
        orders
            .get(Order::key("hal", "o0"))
            .consistent()
            .await
            .unwrap()
            .is_none()
    );
}

// ------------------------------------------------------------ without a server

#[test]
fn items_render_and_parse_without_a_server() {
    let o = order("a#b", "o\\1", Status::Placed, -5);
    let item: Item = o.to_item().unwrap();
    // Nothing follows the field in "USER#{username}": only `\` is escaped.
    assert_eq!(item["pk"], s("USER#a#b"));
    assert_eq!(item["sk"], s("ORDER#o\\\\1"));
    assert_eq!(item["gsi1sk"], s("-5#o\\\\1"));
    assert_eq!(Order::from_item(item.clone()).unwrap(), o);
    let key = <Order as DynamoItem>::Key::from_key_item(&item).unwrap();
    assert_eq!(key, o.key());
    let mut wrong = item;
    wrong.insert("_type".into(), s("OrderLine"));
    assert!(Order::from_item(wrong).is_err());
}
