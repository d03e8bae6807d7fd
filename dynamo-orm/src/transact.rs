//! Transactions: [`TransactWrite`] (put, update, delete, condition check on any
//! tables, version rules included) and [`TransactGet`].

use std::collections::HashSet;
use std::marker::PhantomData;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    ConditionCheck, Delete, Get, Put, ReturnValuesOnConditionCheckFailure, TransactGetItem,
    TransactWriteItem,
};
use tracing::Instrument;

use crate::Item;
use crate::batch::key_id;
use crate::error::{Error, Result};
use crate::expr::{Condition, ExpressionAttributes, Update};
use crate::items::{ItemRef, key_item, span};
use crate::lifecycle::build_err;
use crate::limits::{MAX_TRANSACTION_ITEMS, check_item_size, check_key_value};
use crate::locking::{VersionPlan, version_bump, write_condition};
use crate::schema::DynamoItem;
use crate::sdk::map_sdk_error;
use crate::table::Table;

type OnSuccess<'a> = Box<dyn FnOnce() + Send + 'a>;

/// A write transaction: all of its actions happen, or none.
///
/// Versioned items follow the same rules as single writes (see
/// [`locking`](crate::locking)): a `put` checks the item's version and `&mut`
/// items receive their new version when the transaction commits.
///
/// ```no_run
/// # use dynamo_orm::{DynamoItem, Table, TransactWrite, expr::Update};
/// # #[derive(DynamoItem)] #[dynamo(table = "accounts")]
/// # struct Account { #[dynamo(hash_key)] id: String, balance: i64 }
/// # async fn demo(accounts: Table<Account>) -> dynamo_orm::Result<()> {
/// let f = Account::FIELDS;
/// TransactWrite::new(accounts.client())
///     .update_if(&accounts, Account::key("alice"), Update::new().decrement(f.balance, 10), f.balance.ge(10))
///     .update(&accounts, Account::key("bob"), Update::new().increment(f.balance, 10))
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a transaction does nothing until it is sent"]
pub struct TransactWrite<'a> {
    client: Client,
    items: Vec<Result<TransactWriteItem>>,
    targets: Vec<(String, std::sync::Arc<[u8]>)>,
    on_success: Vec<OnSuccess<'a>>,
    token: Option<String>,
}

fn fingerprint<T>(table: &Table<T>, key: &Item) -> (String, std::sync::Arc<[u8]>) {
    let id = key_id(table.name(), table.key_names(), key)
        .unwrap_or_else(|_| std::sync::Arc::from(&[][..]));
    (table.name().to_owned(), id)
}

impl<'a> TransactWrite<'a> {
    /// An empty transaction.
    pub fn new(client: &Client) -> Self {
        Self {
            client: client.clone(),
            items: Vec::new(),
            targets: Vec::new(),
            on_success: Vec::new(),
            token: None,
        }
    }

    /// An idempotency token: retrying the same transaction with it within ten
    /// minutes does not apply it twice.
    pub fn client_request_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    fn push(
        &mut self,
        target: Option<(String, std::sync::Arc<[u8]>)>,
        item: Result<TransactWriteItem>,
    ) {
        if let Some(t) = target {
            self.targets.push(t);
        }
        self.items.push(item);
    }

    /// Puts an item (version-checked for versioned types).
    pub fn put<T: DynamoItem>(self, table: &Table<T>, item: impl Into<ItemRef<'a, T>>) -> Self {
        self.put_inner(table, item.into(), None)
    }

    /// Puts an item if `condition` holds (and the version, for versioned types).
    pub fn put_if<T: DynamoItem>(
        self,
        table: &Table<T>,
        item: impl Into<ItemRef<'a, T>>,
        condition: Condition,
    ) -> Self {
        self.put_inner(table, item.into(), Some(condition))
    }

    fn put_inner<T: DynamoItem>(
        mut self,
        table: &Table<T>,
        item: ItemRef<'a, T>,
        condition: Option<Condition>,
    ) -> Self {
        let value = match &item {
            ItemRef::Shared(t) => *t as &T,
            ItemRef::Mut(t) => &**t,
        };
        let (plan, plan_error) = match VersionPlan::<T>::for_put(value, true) {
            Ok(plan) => (plan, None),
            Err(e) => (None, Some(e)),
        };
        let built = (|| {
            if let Some(e) = plan_error {
                return Err(e);
            }
            let mut encoded = value.to_item()?;
            let names = table.key_names();
            check_key_value(&names.hash, encoded.get(&names.hash))?;
            if let Some(plan) = &plan {
                encoded.insert(plan.attribute.to_owned(), plan.new_value());
            }
            check_item_size(&encoded)?;
            let key = key_item(table, &value.key())?;
            let mut attrs = ExpressionAttributes::new();
            let cond = write_condition(condition.as_ref(), plan.as_ref(), &names.hash, &mut attrs)?;
            let (n, v) = attrs.into_parts();
            let put = Put::builder()
                .table_name(table.name())
                .set_item(Some(encoded))
                .set_condition_expression(cond)
                .set_expression_attribute_names(n)
                .set_expression_attribute_values(v)
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .build()
                .map_err(build_err)?;
            Ok((key, TransactWriteItem::builder().put(put).build()))
        })();
        let (target, item_result) = match built {
            Ok((key, item)) => (Some(fingerprint(table, &key)), Ok(item)),
            Err(e) => (None, Err(e)),
        };
        self.push(target, item_result);
        if let (ItemRef::Mut(target), Some(plan)) = (item, plan) {
            let new_version = plan.new_version;
            // As in `Table::put`: a version that does not fit is not stored.
            self.on_success.push(Box::new(move || {
                let _ = target.set_version(new_version);
            }));
        }
        self
    }

    /// Updates an item. For a versioned type use [`update_versioned`](Self::update_versioned).
    pub fn update<T: DynamoItem>(
        self,
        table: &Table<T>,
        key: impl Into<T::Key>,
        update: Update,
    ) -> Self {
        self.update_inner(table, key.into(), update, None, None)
    }

    /// Updates an item if `condition` holds.
    pub fn update_if<T: DynamoItem>(
        self,
        table: &Table<T>,
        key: impl Into<T::Key>,
        update: Update,
        condition: Condition,
    ) -> Self {
        self.update_inner(table, key.into(), update, Some(condition), None)
    }

    /// Updates a versioned item whose stored version must be `expected`; the
    /// version becomes `expected + 1`.
    pub fn update_versioned<T: DynamoItem>(
        self,
        table: &Table<T>,
        key: impl Into<T::Key>,
        update: Update,
        expected: u64,
    ) -> Self {
        self.update_inner(table, key.into(), update, None, Some(expected))
    }

    fn update_inner<T: DynamoItem>(
        mut self,
        table: &Table<T>,
        key: T::Key,
        update: Update,
        condition: Option<Condition>,
        expected: Option<u64>,
    ) -> Self {
        let built = (|| {
            let key = key_item(table, &key)?;
            let plan = VersionPlan::<T>::for_key_write(expected, true)?;
            let mut update = update;
            if let Some(attr) = T::SCHEMA.version_attribute {
                update = update.merge(version_bump(attr, plan.as_ref()));
            }
            let mut attrs = ExpressionAttributes::new();
            let expr = update.render(&mut attrs)?;
            let cond = write_condition(
                condition.as_ref(),
                plan.as_ref(),
                &table.key_names().hash,
                &mut attrs,
            )?;
            let (n, v) = attrs.into_parts();
            let op = aws_sdk_dynamodb::types::Update::builder()
                .table_name(table.name())
                .set_key(Some(key.clone()))
                .update_expression(expr)
                .set_condition_expression(cond)
                .set_expression_attribute_names(n)
                .set_expression_attribute_values(v)
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .build()
                .map_err(build_err)?;
            Ok((key, TransactWriteItem::builder().update(op).build()))
        })();
        match built {
            Ok((key, item)) => self.push(Some(fingerprint(table, &key)), Ok(item)),
            Err(e) => self.push(None, Err(e)),
        }
        self
    }

    /// Deletes by key (for a versioned type use [`delete_item`](Self::delete_item)).
    pub fn delete<T: DynamoItem>(self, table: &Table<T>, key: impl Into<T::Key>) -> Self {
        self.delete_inner(table, key.into(), None, None)
    }

    /// Deletes by key if `condition` holds.
    pub fn delete_if<T: DynamoItem>(
        self,
        table: &Table<T>,
        key: impl Into<T::Key>,
        condition: Condition,
    ) -> Self {
        self.delete_inner(table, key.into(), Some(condition), None)
    }

    /// Deletes a loaded item, checking its version when the type has one.
    pub fn delete_item<T: DynamoItem>(mut self, table: &Table<T>, item: &T) -> Self {
        let expected = T::SCHEMA
            .version_attribute
            .map(|_| item.version())
            .transpose();
        match expected {
            Ok(expected) => self.delete_inner(table, item.key(), None, expected),
            Err(e) => {
                self.push(None, Err(e.into()));
                self
            }
        }
    }

    fn delete_inner<T: DynamoItem>(
        mut self,
        table: &Table<T>,
        key: T::Key,
        condition: Option<Condition>,
        expected: Option<u64>,
    ) -> Self {
        let built = (|| {
            let key = key_item(table, &key)?;
            let plan = VersionPlan::<T>::for_key_write(expected, true)?;
            let mut attrs = ExpressionAttributes::new();
            let cond = write_condition(
                condition.as_ref(),
                plan.as_ref(),
                &table.key_names().hash,
                &mut attrs,
            )?;
            let (n, v) = attrs.into_parts();
            let op = Delete::builder()
                .table_name(table.name())
                .set_key(Some(key.clone()))
                .set_condition_expression(cond)
                .set_expression_attribute_names(n)
                .set_expression_attribute_values(v)
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .build()
                .map_err(build_err)?;
            Ok((key, TransactWriteItem::builder().delete(op).build()))
        })();
        match built {
            Ok((key, item)) => self.push(Some(fingerprint(table, &key)), Ok(item)),
            Err(e) => self.push(None, Err(e)),
        }
        self
    }

    /// Requires `condition` of an item without changing it.
    pub fn condition_check<T: DynamoItem>(
        mut self,
        table: &Table<T>,
        key: impl Into<T::Key>,
        condition: Condition,
    ) -> Self {
        let built = (|| {
            let key = key_item(table, &key.into())?;
            let mut attrs = ExpressionAttributes::new();
            let cond = condition.render(&mut attrs)?;
            let (n, v) = attrs.into_parts();
            let op = ConditionCheck::builder()
                .table_name(table.name())
                .set_key(Some(key.clone()))
                .condition_expression(cond)
                .set_expression_attribute_names(n)
                .set_expression_attribute_values(v)
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .build()
                .map_err(build_err)?;
            Ok((
                key,
                TransactWriteItem::builder().condition_check(op).build(),
            ))
        })();
        match built {
            Ok((key, item)) => self.push(Some(fingerprint(table, &key)), Ok(item)),
            Err(e) => self.push(None, Err(e)),
        }
        self
    }

    /// How many actions the transaction holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it holds no action.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sends the transaction. Refused before sending when it is empty, holds
    /// more than 100 actions, or names one item twice. A cancelled transaction
    /// is [`Error::TransactionCanceled`] with one reason per action.
    pub async fn send(self) -> Result<()> {
        if self.items.is_empty() {
            return Err(Error::Validation("empty transaction".into()));
        }
        if self.items.len() > MAX_TRANSACTION_ITEMS {
            return Err(Error::Validation(format!(
                "a transaction holds at most {MAX_TRANSACTION_ITEMS} actions; this one has {}",
                self.items.len()
            )));
        }
        let mut seen = HashSet::new();
        for t in &self.targets {
            if !seen.insert(t) {
                return Err(Error::Validation(format!(
                    "a transaction cannot act on one item twice (table {})",
                    t.0
                )));
            }
        }
        let items = self.items.into_iter().collect::<Result<Vec<_>>>()?;
        let mut req = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total);
        if let Some(token) = self.token {
            req = req.client_request_token(token);
        }
        req.send()
            .instrument(span("*", "TransactWriteItems"))
            .await
            .map_err(map_sdk_error)?;
        for f in self.on_success {
            f();
        }
        Ok(())
    }
}

impl<T: DynamoItem> Table<T> {
    /// A write transaction on this table's client (it may span other tables).
    pub fn transact_write<'a>(&self) -> TransactWrite<'a> {
        TransactWrite::new(self.client())
    }
}

/// A read transaction: a consistent snapshot of up to 100 items of any tables.
///
/// ```no_run
/// # use dynamo_orm::{DynamoItem, Table, TransactGet};
/// # #[derive(DynamoItem)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
/// let mut tx = TransactGet::new(users.client());
/// let alice = tx.get(&users, User::key("alice"));
/// let bob = tx.get(&users, User::key("bob"));
/// let mut result = tx.send().await?;
/// let (alice, bob): (Option<User>, Option<User>) = (result.take(alice)?, result.take(bob)?);
/// # Ok(()) }
/// ```
pub struct TransactGet {
    client: Client,
    items: Vec<Result<TransactGetItem>>,
}

/// Which item of a [`TransactGet`] to take from its result.
#[derive(Debug)]
pub struct TxHandle<T> {
    index: usize,
    _item: PhantomData<fn() -> T>,
}

/// The items a [`TransactGet`] read.
#[derive(Debug)]
pub struct TransactGetResult {
    items: Vec<Option<Item>>,
}

impl TransactGet {
    /// An empty read transaction.
    pub fn new(client: &Client) -> Self {
        Self {
            client: client.clone(),
            items: Vec::new(),
        }
    }

    /// Reads one item; the handle takes it from the result.
    pub fn get<T: DynamoItem>(&mut self, table: &Table<T>, key: impl Into<T::Key>) -> TxHandle<T> {
        let item = key_item(table, &key.into()).and_then(|key| {
            Get::builder()
                .table_name(table.name())
                .set_key(Some(key))
                .build()
                .map_err(build_err)
                .map(|g| TransactGetItem::builder().get(g).build())
        });
        self.items.push(item);
        TxHandle {
            index: self.items.len() - 1,
            _item: PhantomData,
        }
    }

    /// Sends it.
    pub async fn send(self) -> Result<TransactGetResult> {
        if self.items.is_empty() || self.items.len() > MAX_TRANSACTION_ITEMS {
            return Err(Error::Validation(format!(
                "a read transaction holds 1 to {MAX_TRANSACTION_ITEMS} items; this one has {}",
                self.items.len()
            )));
        }
        let items = self.items.into_iter().collect::<Result<Vec<_>>>()?;
        let out = self
            .client
            .transact_get_items()
            .set_transact_items(Some(items))
            .send()
            .instrument(span("*", "TransactGetItems"))
            .await
            .map_err(map_sdk_error)?;
        Ok(TransactGetResult {
            items: out
                .responses
                .unwrap_or_default()
                .into_iter()
                .map(|r| r.item.filter(|i| !i.is_empty()))
                .collect(),
        })
    }
}

impl TransactGetResult {
    /// The item behind a handle (`None` when it does not exist).
    pub fn take<T: DynamoItem>(&mut self, handle: TxHandle<T>) -> Result<Option<T>> {
        match self.items.get_mut(handle.index).and_then(Option::take) {
            Some(item) => Ok(Some(T::from_item(item)?)),
            None => Ok(None),
        }
    }
}
