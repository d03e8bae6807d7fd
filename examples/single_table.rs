//! Single-table design: users, their orders and the orders' lines in one
//! table, the shape of the DynamoDB single-table literature.
//!
//! Starts DynamoDB Local by itself (or uses `DYNAMODB_ENDPOINT`):
//!
//! ```text
//! cargo run --example single_table
//! ```
//!
//! The table, `shop`, is declared once (`Shop`); each entity gives its keys as
//! templates over its own fields:
//!
//! | entity | `pk` | `sk` | `gsi1pk` / `gsi1sk` | `open_pk` / `open_sk` |
//! |---|---|---|---|---|
//! | `User` | `USER#{username}` | `PROFILE` | `EMAIL#{email}` / `PROFILE` | |
//! | `Order` | `USER#{username}` | `ORDER#{order_id}` | `STATUS#{status}` / `{placed_at}#{order_id}` | `OPEN` / `{opened_at}#{order_id}`, only while `opened_at` is set |
//! | `OrderLine` | `ORDER#{order_id}` | `LINE#{line}` | | |
//!
//! Access patterns, each run below against DynamoDB Local:
//!
//! 1. Get a user and their most recent orders in one query (the `USER#` item
//!    collection, read backwards: `PROFILE` sorts after `ORDER#...`).
//! 2. Orders by status, newest first, through the overloaded `Gsi1` (which
//!    also finds users by email).
//! 3. Open orders across all users through the sparse `OpenOrders` index: an
//!    order is in it while `opened_at` is set; closing it takes it out.
//! 4. Place an order with its lines and bump the user's order count in one
//!    transaction, checking the user's version; a stale version places nothing.
//! 5. The lines of one order (`query_partition` of `OrderLine`).

use dynamo_orm::expr::Update;
use dynamo_orm::local::DynamoDbLocal;
use dynamo_orm::{
    DynamoAttribute, DynamoEntities, DynamoItem, DynamoTable, Error, Table, TransactWrite,
};

/// The table, declared once: its key attributes and indexes.
#[derive(DynamoTable)]
#[dynamo(table = "shop")]
#[dynamo(gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
#[dynamo(gsi(OpenOrders, hash = open_pk, range = open_sk))]
struct Shop {
    #[dynamo(hash_key)]
    pk: String,
    #[dynamo(range_key)]
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    open_pk: String,
    open_sk: String,
}

#[derive(DynamoAttribute, Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Placed,
    Shipped,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = Shop, key(hash = "USER#{username}", range = "PROFILE"))]
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
#[dynamo(table = Shop, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
#[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{placed_at}#{order_id}"))]
#[dynamo(index(OpenOrders, hash = "OPEN", range = "{opened_at}#{order_id}"))]
struct Order {
    username: String,
    /// Sortable by time (`2024-05-01T10:00:00Z-1`), so the newest sorts last.
    order_id: String,
    status: Status,
    placed_at: i64,
    opened_at: Option<i64>,
    total_cents: u64,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = Shop, key(hash = "ORDER#{order_id}", range = "LINE#{line}"))]
struct OrderLine {
    order_id: String,
    line: u32,
    sku: String,
    quantity: u32,
}

/// Anything in the `shop` table, read by its entity name.
#[derive(DynamoEntities, Debug, Clone, PartialEq)]
#[dynamo(table = Shop)]
enum ShopItem {
    User(User),
    Order(Order),
    OrderLine(OrderLine),
}

fn order(username: &str, order_id: &str, placed_at: i64, total_cents: u64) -> Order {
    Order {
        username: username.into(),
        order_id: order_id.into(),
        status: Status::Placed,
        placed_at,
        opened_at: None,
        total_cents,
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = DynamoDbLocal::start()?;
    println!("DynamoDB at {}", server.endpoint());
    let client = server.client().await;
    let users: Table<User> = Table::new(client.clone());
    let orders: Table<Order> = Table::new(client.clone());
    let lines: Table<OrderLine> = Table::new(client.clone());
    let items: Table<ShopItem> = Table::new(client.clone());
    // Every entity's handle addresses the one table.
    if users.try_describe().await?.is_some() {
        users.delete_table().await?;
    }
    users.create().await?;

    let mut alice = User {
        username: "alice".into(),
        email: "alice@example.com".into(),
        order_count: 0,
        version: 0,
    };
    users.put(&mut alice).await?;
    let mut bob = User {
        username: "bob".into(),
        email: "bob@example.com".into(),
        order_count: 0,
        version: 0,
    };
    users.put(&mut bob).await?;

    // 4. Place orders: the order, its lines and the user's count in one
    //    transaction; the user's version must be the one read.
    let f = User::FIELDS;
    for (i, (who, at, total)) in [
        ("alice", 1_714_550_400, 2_500),
        ("alice", 1_714_636_800, 1_200),
        ("bob", 1_714_723_200, 9_900),
        ("alice", 1_714_809_600, 400),
    ]
    .into_iter()
    .enumerate()
    {
        let id = format!("{at}-{i}");
        let placed = order(who, &id, at, total);
        let line_items: Vec<OrderLine> = (1..=2)
            .map(|line| OrderLine {
                order_id: id.clone(),
                line,
                sku: format!("SKU-{i}{line}"),
                quantity: line,
            })
            .collect();
        let user = users
            .get(User::key(who))
            .consistent()
            .await?
            .ok_or("no user")?;
        let mut tx = TransactWrite::new(&client).put(orders.put(&placed).create_only());
        for line in &line_items {
            tx = tx.put(lines.put(line).create_only());
        }
        tx.update(
            users
                .update(User::key(who))
                .apply(Update::new().add(f.order_count, 1u32))
                .expected_version(user.version),
        )
        .await?;
    }
    // A stale version cancels the whole transaction: nothing is placed.
    let stale = TransactWrite::new(&client)
        .put(orders.put(&order("alice", "stale", 1, 1)).create_only())
        .update(
            users
                .update(User::key("alice"))
                .apply(Update::new().add(f.order_count, 1u32))
                .expected_version(alice.version),
        )
        .await;
    assert!(matches!(stale, Err(Error::TransactionCanceled { .. })));
    assert!(orders.get(Order::key("alice", "stale")).await?.is_none());
    println!("placed 4 orders; a stale transaction was refused");

    // 1. A user and their two most recent orders, in one query.
    let recent = items
        .query_collection(User::partition("alice"))
        .reverse()
        .limit(3)
        .grouped()
        .await?;
    let profile = &recent.user[0];
    println!(
        "{} has {} orders; the most recent: {:?}",
        profile.username,
        profile.order_count,
        recent.order.iter().map(|o| &o.order_id).collect::<Vec<_>>()
    );
    assert_eq!(profile.order_count, 3);
    assert_eq!(recent.order.len(), 2);
    assert_eq!(recent.order[0].placed_at, 1_714_809_600);

    // 2. Orders by status, newest first, through the overloaded index...
    let placed: Vec<Order> = orders.query_index::<Gsi1>(Status::Placed).reverse().await?;
    println!("{} placed orders, newest first", placed.len());
    assert_eq!(placed.len(), 4);
    // ...where a status change moves the order (its index keys follow).
    let shipped_id = placed[1].order_id.clone();
    let o = Order::FIELDS;
    orders
        .update(Order::key("bob", shipped_id.as_str()))
        .apply(Update::new().set(o.status, Status::Shipped))
        .await?;
    let shipped: Vec<Order> = orders.query_index::<Gsi1>(Status::Shipped).await?;
    assert_eq!(shipped.len(), 1);
    // The same index finds users by email.
    let by_email: Vec<User> = users.query_index::<Gsi1>("bob@example.com").await?;
    assert_eq!(by_email[0].username, "bob");
    println!("order {shipped_id} shipped; bob found by email");

    // 3. Open orders: opening puts an order in the sparse index, closing
    //    takes it out.
    for order in placed.iter().filter(|o| o.username == "alice").take(2) {
        orders
            .update(order.key())
            .apply(Update::new().set(o.opened_at, Some(order.placed_at + 60)))
            .await?;
    }
    let open: Vec<Order> = orders.query_index::<OpenOrders>(()).await?;
    println!(
        "open orders: {:?}",
        open.iter().map(|o| &o.order_id).collect::<Vec<_>>()
    );
    assert_eq!(open.len(), 2);
    orders
        .update(open[0].key())
        .apply(Update::new().set(o.opened_at, None::<i64>))
        .await?;
    assert_eq!(orders.query_index::<OpenOrders>(()).await?.len(), 1);

    // 5. The lines of one order.
    let first = &recent.order[0].order_id;
    let its_lines: Vec<OrderLine> = lines.query_partition(first.as_str()).await?;
    println!("order {first} has {} lines", its_lines.len());
    assert_eq!(its_lines.len(), 2);
    Ok(())
}
