//! Transactions: [`TransactWrite`] takes the same put, update, delete and
//! condition-check builders as single-item calls (one vocabulary:
//! `.condition()`, `.expected_version()`, version rules included), and
//! [`TransactGet`] reads a consistent snapshot.

use std::collections::HashMap;
use std::marker::PhantomData;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{Get, ReturnConsumedCapacity, TransactGetItem, TransactWriteItem};
use tracing::Instrument;

use crate::Item;
use crate::error::{Error, Result};
use crate::items::{ConditionCheck, DeleteItem, PutItem, UpdateItem};
use crate::limits::MAX_TRANSACTION_ITEMS;
use crate::op::call::{self, TransactGetItemsOp, TransactWriteItemsOp};
use crate::op::identity::{KeyId, key_id};
use crate::op::model::Model;
use crate::op::output::{BoxFuture, Executable, Output};
use crate::op::span;
use crate::op::write::{FailureRule, TransactAction, build_error, resolve_failure};
use crate::schema::ProjectionOf;
use crate::table::Table;

/// A write transaction: all of its actions happen, or none.
///
/// Add the same builders a single-item call uses; their conditions and
/// version rules apply unchanged, and `&mut` items receive their new version
/// when the transaction commits.
///
/// ```no_run
/// # use dynamo_orm::{DynamoItem, Table, TransactWrite, expr::Update};
/// # #[derive(DynamoItem)] #[dynamo(table = "accounts")]
/// # struct Account { #[dynamo(hash_key)] id: String, balance: i64 }
/// # async fn demo(accounts: Table<Account>) -> dynamo_orm::Result<()> {
/// let f = Account::FIELDS;
/// TransactWrite::new(accounts.client())
///     .update(
///         accounts
///             .update(Account::key("alice"))
///             .apply(Update::new().decrement(f.balance, 10))
///             .condition(f.balance.ge(10)),
///     )
///     .update(accounts.update(Account::key("bob")).apply(Update::new().increment(f.balance, 10)))
///     .await?;
/// # Ok(()) }
/// ```
///
/// Refused before sending: an empty transaction, more than 100 actions, two
/// actions on one item, and anything a single call would refuse. A cancelled
/// transaction is [`Error::TransactionCanceled`] with one reason per action;
/// a reason whose version check failed says so
/// ([`CancellationReason::version_conflict`](crate::error::CancellationReason::version_conflict)).
#[must_use = "a transaction does nothing until it is awaited"]
pub struct TransactWrite<'a> {
    client: Client,
    actions: Vec<Result<TransactAction<'a>>>,
    token: Option<String>,
    capacity: Option<ReturnConsumedCapacity>,
}

impl std::fmt::Debug for TransactWrite<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransactWrite")
            .field("actions", &self.actions.len())
            .finish_non_exhaustive()
    }
}

impl<'a> TransactWrite<'a> {
    /// An empty transaction, sent with `client`.
    pub fn new(client: &Client) -> Self {
        Self {
            client: client.clone(),
            actions: Vec::new(),
            token: None,
            capacity: None,
        }
    }

    /// An idempotency token: retrying the same transaction with it within ten
    /// minutes does not apply it twice.
    pub fn client_request_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Asks DynamoDB to report the capacity the transaction consumes.
    pub fn return_consumed_capacity(mut self, capacity: ReturnConsumedCapacity) -> Self {
        self.capacity = Some(capacity);
        self
    }

    /// Adds a put (`table.put(&mut item)` with its options).
    pub fn put<T: Model>(mut self, put: PutItem<'a, T>) -> Self {
        self.actions.push(put.into_action());
        self
    }

    /// Adds an update (`table.update(key).apply(..)` with its options).
    pub fn update<T: Model>(mut self, update: UpdateItem<'a, T>) -> Self {
        self.actions.push(update.into_action());
        self
    }

    /// Adds a delete (`table.delete(key)` or `table.delete_item(&item)`).
    pub fn delete<T: Model>(mut self, delete: DeleteItem<'a, T>) -> Self {
        self.actions.push(delete.into_action());
        self
    }

    /// Adds a condition on an item that is not changed
    /// (`table.condition_check(key, condition)`).
    pub fn condition_check<T: Model>(mut self, check: ConditionCheck<'a, T>) -> Self {
        self.actions.push(check.into_action());
        self
    }

    /// Adds a put of `item` with `condition`.
    #[deprecated(note = "use `.put(table.put(item).condition(condition))`")]
    pub fn put_if<T: Model>(
        self,
        table: &'a Table<T>,
        item: impl Into<crate::items::ItemRef<'a, T>>,
        condition: crate::expr::Condition,
    ) -> Self {
        self.put(table.put(item).condition(condition))
    }

    /// Adds an update with `condition`.
    #[deprecated(note = "use `.update(table.update(key).apply(update).condition(condition))`")]
    pub fn update_if<T: Model>(
        self,
        table: &'a Table<T>,
        key: impl Into<T::Key>,
        update: crate::expr::Update,
        condition: crate::expr::Condition,
    ) -> Self {
        self.update(table.update(key).apply(update).condition(condition))
    }

    /// Adds an update of a versioned item whose stored version must be `expected`.
    #[deprecated(note = "use `.update(table.update(key).apply(update).expected_version(v))`")]
    pub fn update_versioned<T: Model>(
        self,
        table: &'a Table<T>,
        key: impl Into<T::Key>,
        update: crate::expr::Update,
        expected: u64,
    ) -> Self {
        self.update(table.update(key).apply(update).expected_version(expected))
    }

    /// Adds a delete with `condition`.
    #[deprecated(note = "use `.delete(table.delete(key).condition(condition))`")]
    pub fn delete_if<T: Model>(
        self,
        table: &'a Table<T>,
        key: impl Into<T::Key>,
        condition: crate::expr::Condition,
    ) -> Self {
        self.delete(table.delete(key).condition(condition))
    }

    /// Adds a version-checked delete of a loaded item.
    #[deprecated(note = "use `.delete(table.delete_item(&item))`")]
    pub fn delete_item<T: Model>(self, table: &'a Table<T>, item: &T) -> Self {
        self.delete(table.delete_item(item))
    }

    /// How many actions the transaction holds.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Whether it holds no action.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// Sends the transaction (the same as `.await`).
    #[deprecated(note = "`.await` the transaction")]
    pub async fn send(self) -> Result<()> {
        self.run().await.map(|o| o.value)
    }

    async fn run(self) -> Result<Output<()>> {
        if self.actions.is_empty() {
            return Err(Error::Validation("empty transaction".into()));
        }
        if self.actions.len() > MAX_TRANSACTION_ITEMS {
            return Err(Error::Validation(format!(
                "a transaction holds at most {MAX_TRANSACTION_ITEMS} actions; this one has {}",
                self.actions.len()
            )));
        }
        let actions = self.actions.into_iter().collect::<Result<Vec<_>>>()?;
        let mut seen: HashMap<KeyId, usize> = HashMap::with_capacity(actions.len());
        let mut tables: Vec<&str> = Vec::new();
        for (i, action) in actions.iter().enumerate() {
            let id = key_id(&action.table, &action.keys, &action.write.key(&action.keys))?;
            if let Some(first) = seen.insert(id, i) {
                return Err(Error::Validation(format!(
                    "a transaction cannot act on one item twice (actions {first} and {i}, table {})",
                    action.table
                )));
            }
            if !tables.contains(&action.table.as_str()) {
                tables.push(&action.table);
            }
        }
        let tables = tables.join(",");
        let mut rules: Vec<FailureRule> = Vec::with_capacity(actions.len());
        let mut on_commit = Vec::new();
        let mut items: Vec<TransactWriteItem> = Vec::with_capacity(actions.len());
        for action in actions {
            rules.push(action.write.failure.clone());
            items.push(action.write.into_transact_item(&action.table)?);
            on_commit.extend(action.on_commit);
        }
        let builder = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .set_client_request_token(self.token)
            .set_return_consumed_capacity(self.capacity);
        let outer = span::batch("TransactWriteItems", &tables);
        let request = outer.in_scope(|| call::request_span::<TransactWriteItemsOp>(&tables));
        let answer = call::send::<TransactWriteItemsOp>(request, builder, None, None)
            .instrument(outer)
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(Error::TransactionCanceled { mut reasons }) => {
                for reason in &mut reasons {
                    if reason.code.as_deref() == Some("ConditionalCheckFailed")
                        && let Some(rule) = rules.get(reason.index)
                    {
                        reason.version_conflict = matches!(
                            resolve_failure(rule, reason.item.clone()),
                            Error::VersionConflict { .. }
                        );
                    }
                }
                return Err(Error::TransactionCanceled { reasons });
            }
            Err(e) => return Err(e),
        };
        for f in on_commit {
            f()?;
        }
        Ok(Output {
            consumed_capacity: answer.capacity,
            request_id: answer.request_id,
            ..Output::new(())
        })
    }
}

impl<'a> Executable<'a> for TransactWrite<'a> {
    type Value = ();
    fn execute(self) -> BoxFuture<'a, Result<Output<()>>> {
        Box::pin(self.run())
    }
}

impl<'a> std::future::IntoFuture for TransactWrite<'a> {
    type Output = Result<()>;
    type IntoFuture = crate::op::output::ValueFuture<'a, ()>;
    fn into_future(self) -> Self::IntoFuture {
        crate::op::output::ValueFuture::new(self.execute())
    }
}

impl<'a> TransactWrite<'a> {
    /// Runs the transaction and returns what DynamoDB returned besides its
    /// result ([`Output`](crate::Output)).
    pub fn with_output(self) -> crate::op::output::WithOutput<'a, Self> {
        crate::op::output::WithOutput(self, std::marker::PhantomData)
    }
}

impl<T: Model> Table<T> {
    /// A write transaction on this table's client (it may span other tables).
    pub fn transact_write<'a>(&self) -> TransactWrite<'a> {
        TransactWrite::new(self.client())
    }
}

/// A read transaction: a consistent snapshot of up to 100 items of any tables.
///
/// Reading one item twice is folded into one read (DynamoDB refuses a
/// transaction that names an item twice); both handles take the item.
///
/// ```no_run
/// # use dynamo_orm::{DynamoItem, Table, TransactGet};
/// # #[derive(DynamoItem)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
/// let mut tx = TransactGet::new(users.client());
/// let alice = tx.get(&users, User::key("alice"));
/// let bob = tx.get(&users, User::key("bob"));
/// let mut result = tx.await?;
/// let (alice, bob): (Option<User>, Option<User>) = (result.take(alice)?, result.take(bob)?);
/// # Ok(()) }
/// ```
#[must_use = "a transaction does nothing until it is awaited"]
pub struct TransactGet {
    client: Client,
    items: Vec<Result<TransactGetItem>>,
    slots: HashMap<KeyId, usize>,
    handles: Vec<usize>,
    tables: Vec<String>,
}

impl std::fmt::Debug for TransactGet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransactGet")
            .field("items", &self.items.len())
            .finish_non_exhaustive()
    }
}

/// Which item of a [`TransactGet`] to take from its result.
#[derive(Debug)]
pub struct TxHandle<T> {
    slot: usize,
    _item: PhantomData<fn() -> T>,
}

/// The items a [`TransactGet`] read.
#[derive(Debug)]
pub struct TransactGetResult {
    items: Vec<Option<Item>>,
    /// How many handles still have to take each slot.
    pending: Vec<usize>,
}

impl TransactGet {
    /// An empty read transaction.
    pub fn new(client: &Client) -> Self {
        Self {
            client: client.clone(),
            items: Vec::new(),
            slots: HashMap::new(),
            handles: Vec::new(),
            tables: Vec::new(),
        }
    }

    /// Reads one item; the handle takes it from the result.
    pub fn get<T: Model>(&mut self, table: &Table<T>, key: impl Into<T::Key>) -> TxHandle<T> {
        let target = &table.target;
        let planned = target
            .check()
            .and_then(|()| T::__key_item(&key.into(), &target.keys))
            .and_then(|key| Ok((key_id(&target.name, &target.keys, &key)?, key)));
        let slot = match planned {
            Ok((id, key)) => match self.slots.get(&id) {
                Some(&slot) => slot,
                None => {
                    let item = Get::builder()
                        .table_name(target.name.clone())
                        .set_key(Some(key))
                        .build()
                        .map_err(build_error)
                        .map(|g| TransactGetItem::builder().get(g).build());
                    self.items.push(item);
                    self.slots.insert(id, self.items.len() - 1);
                    if !self.tables.contains(&target.name) {
                        self.tables.push(target.name.clone());
                    }
                    self.items.len() - 1
                }
            },
            Err(e) => {
                self.items.push(Err(e));
                self.items.len() - 1
            }
        };
        self.handles.push(slot);
        TxHandle {
            slot,
            _item: PhantomData,
        }
    }

    async fn run(self) -> Result<Output<TransactGetResult>> {
        if self.items.is_empty() || self.items.len() > MAX_TRANSACTION_ITEMS {
            return Err(Error::Validation(format!(
                "a read transaction holds 1 to {MAX_TRANSACTION_ITEMS} items; this one has {}",
                self.items.len()
            )));
        }
        let items = self.items.into_iter().collect::<Result<Vec<_>>>()?;
        let mut pending = vec![0usize; items.len()];
        for &slot in &self.handles {
            pending[slot] += 1;
        }
        let tables = self.tables.join(",");
        let builder = self
            .client
            .transact_get_items()
            .set_transact_items(Some(items));
        let outer = span::batch("TransactGetItems", &tables);
        let request = outer.in_scope(|| call::request_span::<TransactGetItemsOp>(&tables));
        let answer = call::send::<TransactGetItemsOp>(request, builder, None, None)
            .instrument(outer)
            .await?;
        let items = answer
            .output
            .responses
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.item.filter(|i| !i.is_empty()))
            .collect();
        Ok(Output {
            consumed_capacity: answer.capacity,
            request_id: answer.request_id,
            ..Output::new(TransactGetResult { items, pending })
        })
    }
}

impl<'a> Executable<'a> for TransactGet {
    type Value = TransactGetResult;
    fn execute(self) -> BoxFuture<'a, Result<Output<TransactGetResult>>> {
        Box::pin(self.run())
    }
}

impl std::future::IntoFuture for TransactGet {
    type Output = Result<TransactGetResult>;
    type IntoFuture = crate::op::output::ValueFuture<'static, TransactGetResult>;
    fn into_future(self) -> Self::IntoFuture {
        crate::op::output::ValueFuture::new(Executable::execute(self))
    }
}

impl TransactGet {
    /// Sends it (the same as `.await`).
    #[deprecated(note = "`.await` the transaction")]
    pub async fn send(self) -> Result<TransactGetResult> {
        self.run().await.map(|o| o.value)
    }
}

impl TransactGetResult {
    /// The item behind a handle (`None` when it does not exist).
    pub fn take<T: Model>(&mut self, handle: TxHandle<T>) -> Result<Option<T>> {
        let Some(pending) = self.pending.get_mut(handle.slot) else {
            return Ok(None);
        };
        *pending = pending.saturating_sub(1);
        let item = if *pending == 0 {
            self.items.get_mut(handle.slot).and_then(Option::take)
        } else {
            self.items.get(handle.slot).cloned().flatten()
        };
        match item {
            Some(item) => Ok(Some(<T as ProjectionOf<T>>::__decode(item)?)),
            None => Ok(None),
        }
    }
}
