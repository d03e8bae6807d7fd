//! Single-item operations: get, exists, put, delete, update, save_changes.
//!
//! Version rules (types with a `#[dynamo(version)]` field) live in
//! [`locking`](crate::locking); this file builds and sends the requests.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use aws_sdk_dynamodb::types::{
    ReturnConsumedCapacity, ReturnValue, ReturnValuesOnConditionCheckFailure,
};
use tracing::Instrument;

use crate::error::{Error, Result};
use crate::expr::{Condition, ExpressionAttributes, Update};
use crate::limits::{check_item_size, check_key_value};
use crate::locking::{VersionPlan, write_condition};
use crate::schema::{DynamoItem, PrimaryKey, ProjectionOf};
use crate::sdk::map_sdk_error;
use crate::table::Table;
use crate::value::AttributeMap;
use crate::{AttributeValue, Item};

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Encodes a key and refuses empty key values before anything is sent.
pub(crate) fn key_item<T>(table: &Table<T>, key: &impl PrimaryKey) -> Result<Item> {
    let item = key.to_key_item()?;
    let names = table.key_names();
    check_key_value(&names.hash, item.get(&names.hash))?;
    if let Some(range) = &names.range {
        check_key_value(range, item.get(range))?;
    }
    Ok(item)
}

/// The attribute names a projection type reads.
pub(crate) fn projection_names<P: AttributeMap>() -> Vec<&'static str> {
    let mut names = Vec::new();
    P::attribute_names(&mut names);
    names
}

/// Combines two rendered conditions with AND.
pub(crate) fn and(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("({a}) AND ({b})")),
        (a, None) => a,
        (None, b) => b,
    }
}

// ------------------------------------------------------------------- get

/// A `GetItem` request; see [`Table::get`]. Run with `.await` or [`send`](Self::send).
#[must_use = "a request does nothing until it is awaited"]
pub struct GetItem<'a, T, P = T> {
    table: &'a Table<T>,
    key: Result<Item>,
    consistent: bool,
    _projection: PhantomData<fn() -> P>,
}

impl<T: DynamoItem> Table<T> {
    /// Reads one item by key; `None` when there is none.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String, #[dynamo(range_key)] joined: i64 }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let john: Option<User> = users.get(User::key("john", 1366056668)).consistent().await?;
    /// # Ok(()) }
    /// ```
    pub fn get(&self, key: impl Into<T::Key>) -> GetItem<'_, T> {
        GetItem {
            table: self,
            key: key_item(self, &key.into()),
            consistent: false,
            _projection: PhantomData,
        }
    }

    /// Whether an item with this key exists (reads only the key attributes).
    pub async fn exists(&self, key: impl Into<T::Key>) -> Result<bool> {
        let key = key_item(self, &key.into())?;
        let mut attrs = ExpressionAttributes::new();
        let projection = attrs.projection(&[self.key_names().hash.as_str()]);
        let (names, _) = attrs.into_parts();
        let out = self
            .client()
            .get_item()
            .table_name(self.name())
            .set_key(Some(key))
            .projection_expression(projection)
            .set_expression_attribute_names(names)
            .send()
            .instrument(span(self.name(), "GetItem"))
            .await
            .map_err(map_sdk_error)?;
        Ok(out.item.is_some())
    }
}

impl<'a, T: DynamoItem, P: ProjectionOf<T>> GetItem<'a, T, P> {
    /// Strongly consistent read.
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// Reads only the attributes of `Q` (a `#[dynamo(projection_of = T)]` struct).
    pub fn project<Q: ProjectionOf<T>>(self) -> GetItem<'a, T, Q> {
        GetItem {
            table: self.table,
            key: self.key,
            consistent: self.consistent,
            _projection: PhantomData,
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Option<P>> {
        let key = self.key?;
        let mut req = self
            .table
            .client()
            .get_item()
            .table_name(self.table.name())
            .set_key(Some(key))
            .consistent_read(self.consistent)
            .return_consumed_capacity(ReturnConsumedCapacity::Total);
        if std::any::TypeId::of::<P>() != std::any::TypeId::of::<T>() {
            let mut attrs = ExpressionAttributes::new();
            let projection = attrs.projection(&projection_names::<P>());
            let (names, _) = attrs.into_parts();
            req = req
                .projection_expression(projection)
                .set_expression_attribute_names(names);
        }
        let out = req
            .send()
            .instrument(span(self.table.name(), "GetItem"))
            .await
            .map_err(map_sdk_error)?;
        log_capacity(out.consumed_capacity());
        match out.item {
            Some(item) => Ok(Some(P::from_map(item)?)),
            None => Ok(None),
        }
    }
}

impl<'a, T: DynamoItem, P: ProjectionOf<T>> IntoFuture for GetItem<'a, T, P> {
    type Output = Result<Option<P>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

pub(crate) fn span(table: &str, op: &'static str) -> tracing::Span {
    tracing::debug_span!("dynamodb", table, op)
}

pub(crate) fn log_capacity(c: Option<&aws_sdk_dynamodb::types::ConsumedCapacity>) {
    if let Some(units) = c.and_then(|c| c.capacity_units()) {
        tracing::debug!(consumed_capacity = units, "request done");
    }
}

// ------------------------------------------------------------------- put

/// The item a write takes: `&item`, or `&mut item` to receive the new version.
pub enum ItemRef<'a, T> {
    /// Written as is; a versioned item's new version is only in the output.
    Shared(&'a T),
    /// Receives the new version after a successful versioned write.
    Mut(&'a mut T),
}

impl<T> ItemRef<'_, T> {
    fn get(&self) -> &T {
        match self {
            ItemRef::Shared(t) => t,
            ItemRef::Mut(t) => t,
        }
    }
}

impl<'a, T> From<&'a T> for ItemRef<'a, T> {
    fn from(t: &'a T) -> Self {
        ItemRef::Shared(t)
    }
}
impl<'a, T> From<&'a mut T> for ItemRef<'a, T> {
    fn from(t: &'a mut T) -> Self {
        ItemRef::Mut(t)
    }
}

/// What a successful write returns.
#[derive(Debug)]
pub struct WriteOutput<T> {
    /// The item as it was before, when asked for with `return_old()`.
    pub old: Option<T>,
    /// The version now stored (0 for types without a version field).
    pub version: u64,
}

/// A `PutItem` request; see [`Table::put`].
#[must_use = "a request does nothing until it is awaited"]
pub struct PutItem<'a, T> {
    table: &'a Table<T>,
    item: ItemRef<'a, T>,
    create_only: bool,
    condition: Option<Condition>,
    version_check: bool,
    return_old: bool,
}

impl<T: DynamoItem> Table<T> {
    /// Writes a whole item, replacing any item with its key.
    ///
    /// For a type with a `#[dynamo(version)]` field the write is version-checked:
    /// a version of 0 must not exist yet (`attribute_not_exists`), any other
    /// version must be the stored one; the stored version becomes one more, and
    /// `&mut item` receives it. A failed check is [`Error::VersionConflict`]
    /// carrying the stored item. Opt out with [`PutItem::overwrite`].
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String, #[dynamo(version)] version: u64 }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let mut john = User { username: "john".into(), version: 0 };
    /// users.put(&mut john).await?;        // created, version 1
    /// users.put(&mut john).await?;        // version 2
    /// # Ok(()) }
    /// ```
    pub fn put<'a>(&'a self, item: impl Into<ItemRef<'a, T>>) -> PutItem<'a, T> {
        PutItem {
            table: self,
            item: item.into(),
            create_only: false,
            condition: None,
            version_check: true,
            return_old: false,
        }
    }

    /// [`put`](Self::put) with `&mut item`, the seed's `save()`.
    pub fn save<'a>(&'a self, item: &'a mut T) -> PutItem<'a, T> {
        self.put(item)
    }
}

impl<'a, T: DynamoItem> PutItem<'a, T> {
    /// Fails with [`Error::ConditionFailed`] if an item with this key exists.
    pub fn create_only(mut self) -> Self {
        self.create_only = true;
        self
    }

    /// A condition the stored item must meet (ANDed with the version check).
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(condition);
        self
    }

    /// Writes without checking the stored version (the new version is still
    /// one more than the item's). Explicit: nothing skips the check silently.
    pub fn overwrite(mut self) -> Self {
        self.version_check = false;
        self
    }

    /// Same as [`overwrite`](Self::overwrite).
    pub fn skip_version_check(self) -> Self {
        self.overwrite()
    }

    /// Returns the item as it was before in [`WriteOutput::old`].
    pub fn return_old(mut self) -> Self {
        self.return_old = true;
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<WriteOutput<T>> {
        let table = self.table;
        let mut item = self.item.get().to_item()?;
        let names = table.key_names();
        check_key_value(&names.hash, item.get(&names.hash))?;
        if let Some(range) = &names.range {
            check_key_value(range, item.get(range))?;
        }
        let mut attrs = ExpressionAttributes::new();
        let plan = VersionPlan::<T>::for_put(self.item.get(), self.version_check)?;
        if let Some(plan) = &plan {
            item.insert(plan.attribute.to_owned(), plan.new_value());
        }
        check_item_size(&item)?;
        let mut condition = write_condition(
            self.condition.as_ref(),
            plan.as_ref(),
            &names.hash,
            &mut attrs,
        )?;
        if self.create_only {
            let not_exists = format!("attribute_not_exists({})", attrs.name(&names.hash));
            condition = and(condition, Some(not_exists));
        }
        let (expr_names, expr_values) = attrs.into_parts();
        let out = table
            .client()
            .put_item()
            .table_name(table.name())
            .set_item(Some(item))
            .set_condition_expression(condition)
            .set_expression_attribute_names(expr_names)
            .set_expression_attribute_values(expr_values)
            .return_values(if self.return_old {
                ReturnValue::AllOld
            } else {
                ReturnValue::None
            })
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .instrument(span(table.name(), "PutItem"))
            .await
            .map_err(map_sdk_error);
        let out = match out {
            Ok(out) => out,
            Err(e) => return Err(crate::locking::classify_failure::<T>(e, plan.as_ref())),
        };
        log_capacity(out.consumed_capacity());
        let version = plan.as_ref().map_or(0, |p| p.new_version);
        if let (ItemRef::Mut(target), Some(plan)) = (self.item, &plan) {
            // As before: a new version that does not fit the field is not
            // stored in the item (the write rules are to refuse it before sending).
            let _ = target.set_version(plan.new_version);
        }
        let old = match out.attributes {
            Some(a) if !a.is_empty() => Some(T::from_item(a)?),
            _ => None,
        };
        Ok(WriteOutput { old, version })
    }
}

impl<'a, T: DynamoItem> IntoFuture for PutItem<'a, T> {
    type Output = Result<WriteOutput<T>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

// ------------------------------------------------------------------- delete

/// A `DeleteItem` request; see [`Table::delete`].
#[must_use = "a request does nothing until it is awaited"]
pub struct DeleteItem<'a, T> {
    table: &'a Table<T>,
    key: Result<Item>,
    condition: Option<Condition>,
    expected_version: Option<u64>,
    version_check: bool,
    return_old: bool,
}

impl<T: DynamoItem> Table<T> {
    /// Deletes the item with this key (no error when there is none).
    ///
    /// For a versioned type say which version you expect
    /// ([`expected_version`](DeleteItem::expected_version)), or opt out with
    /// [`skip_version_check`](DeleteItem::skip_version_check); otherwise the
    /// request is refused. [`delete_item`](Self::delete_item) takes the version
    /// from a loaded item.
    pub fn delete(&self, key: impl Into<T::Key>) -> DeleteItem<'_, T> {
        DeleteItem {
            table: self,
            key: key_item(self, &key.into()),
            condition: None,
            expected_version: None,
            version_check: true,
            return_old: false,
        }
    }

    /// Deletes a loaded item, checking its version when the type has one.
    pub fn delete_item(&self, item: &T) -> DeleteItem<'_, T> {
        let mut d = self.delete(item.key());
        if T::SCHEMA.version_attribute.is_some() {
            match item.version() {
                Ok(version) => d.expected_version = Some(version),
                Err(e) => d.key = Err(e.into()),
            }
        }
        d
    }
}

impl<'a, T: DynamoItem> DeleteItem<'a, T> {
    /// A condition the stored item must meet.
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(condition);
        self
    }

    /// Deletes only if the stored version is this one.
    pub fn expected_version(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }

    /// Deletes whatever version is stored. Explicit.
    pub fn skip_version_check(mut self) -> Self {
        self.version_check = false;
        self
    }

    /// Returns the deleted item in [`WriteOutput::old`].
    pub fn return_old(mut self) -> Self {
        self.return_old = true;
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<WriteOutput<T>> {
        let table = self.table;
        let key = self.key?;
        let mut attrs = ExpressionAttributes::new();
        let plan = VersionPlan::<T>::for_key_write(self.expected_version, self.version_check)?;
        let condition = write_condition(
            self.condition.as_ref(),
            plan.as_ref(),
            &table.key_names().hash,
            &mut attrs,
        )?;
        let (expr_names, expr_values) = attrs.into_parts();
        let out = table
            .client()
            .delete_item()
            .table_name(table.name())
            .set_key(Some(key))
            .set_condition_expression(condition)
            .set_expression_attribute_names(expr_names)
            .set_expression_attribute_values(expr_values)
            .return_values(if self.return_old {
                ReturnValue::AllOld
            } else {
                ReturnValue::None
            })
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .instrument(span(table.name(), "DeleteItem"))
            .await
            .map_err(map_sdk_error);
        let out = match out {
            Ok(out) => out,
            Err(e) => return Err(crate::locking::classify_failure::<T>(e, plan.as_ref())),
        };
        log_capacity(out.consumed_capacity());
        let old = match out.attributes {
            Some(a) if !a.is_empty() => Some(T::from_item(a)?),
            _ => None,
        };
        Ok(WriteOutput { old, version: 0 })
    }
}

impl<'a, T: DynamoItem> IntoFuture for DeleteItem<'a, T> {
    type Output = Result<WriteOutput<T>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

// ------------------------------------------------------------------- update

/// An `UpdateItem` request; see [`Table::update`].
#[must_use = "a request does nothing until it is awaited"]
pub struct UpdateItem<'a, T> {
    table: &'a Table<T>,
    key: Result<Item>,
    update: Update,
    condition: Option<Condition>,
    expected_version: Option<u64>,
    version_check: bool,
    return_new: bool,
}

/// What a successful update returns.
#[derive(Debug)]
pub struct UpdateOutput<T> {
    /// The item after the update, when asked for with `return_new()`.
    pub item: Option<T>,
    /// The version now stored (0 for types without a version field).
    pub version: u64,
}

impl<T: DynamoItem> Table<T> {
    /// Changes attributes of one item in place (creating it if absent, as
    /// DynamoDB does, unless a condition says otherwise).
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, expr::Update};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String, friend_count: u32 }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let f = User::FIELDS;
    /// let out = users
    ///     .update(User::key("john"))
    ///     .apply(Update::new().increment(f.friend_count, 1))
    ///     .condition(f.friend_count.lt(100))
    ///     .return_new()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, key: impl Into<T::Key>) -> UpdateItem<'_, T> {
        UpdateItem {
            table: self,
            key: key_item(self, &key.into()),
            update: Update::new(),
            condition: None,
            expected_version: None,
            version_check: true,
            return_new: false,
        }
    }
}

impl<'a, T: DynamoItem> UpdateItem<'a, T> {
    /// Adds the actions of an [`Update`].
    pub fn apply(mut self, update: Update) -> Self {
        self.update = std::mem::take(&mut self.update).merge(update);
        self
    }

    /// A condition the stored item must meet (ANDed with the version check).
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(condition);
        self
    }

    /// Updates only if the stored version is this one; the version becomes one more.
    pub fn expected_version(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }

    /// Updates whatever version is stored (still incrementing it). Explicit.
    pub fn skip_version_check(mut self) -> Self {
        self.version_check = false;
        self
    }

    /// Returns the whole item as it is after the update.
    pub fn return_new(mut self) -> Self {
        self.return_new = true;
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<UpdateOutput<T>> {
        let table = self.table;
        let key = self.key?;
        let mut attrs = ExpressionAttributes::new();
        let plan = VersionPlan::<T>::for_key_write(self.expected_version, self.version_check)?;
        let mut update = self.update;
        if let Some(attr) = T::SCHEMA.version_attribute {
            update = update.merge(crate::locking::version_bump(attr, plan.as_ref()));
        }
        let update_expr = update.render(&mut attrs)?;
        let condition = write_condition(
            self.condition.as_ref(),
            plan.as_ref(),
            &table.key_names().hash,
            &mut attrs,
        )?;
        let (expr_names, expr_values) = attrs.into_parts();
        let out = table
            .client()
            .update_item()
            .table_name(table.name())
            .set_key(Some(key))
            .update_expression(update_expr)
            .set_condition_expression(condition)
            .set_expression_attribute_names(expr_names)
            .set_expression_attribute_values(expr_values)
            .return_values(ReturnValue::AllNew)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .instrument(span(table.name(), "UpdateItem"))
            .await
            .map_err(map_sdk_error);
        let out = match out {
            Ok(out) => out,
            Err(e) => return Err(crate::locking::classify_failure::<T>(e, plan.as_ref())),
        };
        log_capacity(out.consumed_capacity());
        let mut new_item = out.attributes.unwrap_or_default();
        let version = match T::SCHEMA.version_attribute.and_then(|v| new_item.get(v)) {
            Some(AttributeValue::N(n)) => n.parse().unwrap_or(0),
            _ => 0,
        };
        let item = if self.return_new {
            Some(T::from_item(std::mem::take(&mut new_item))?)
        } else {
            None
        };
        Ok(UpdateOutput { item, version })
    }
}

impl<'a, T: DynamoItem> IntoFuture for UpdateItem<'a, T> {
    type Output = Result<UpdateOutput<T>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

// ------------------------------------------------------------------- save_changes

impl<T: DynamoItem> Table<T> {
    /// Sends only what changed between `before` (as loaded) and `after`: the
    /// seed's partial save. Changed and new attributes are `SET`, vanished
    /// ones `REMOVE`d; nothing is sent when nothing changed. For a versioned
    /// type the stored version must be `before`'s, and `after` receives the
    /// new one. Returns whether a request was sent.
    pub async fn save_changes(&self, before: &T, after: &mut T) -> Result<bool> {
        let old = before.to_item()?;
        let new = after.to_item()?;
        let names = self.key_names();
        for k in std::iter::once(&names.hash).chain(names.range.as_ref()) {
            if old.get(k) != new.get(k) {
                return Err(Error::Validation(format!(
                    "save_changes: key attribute `{k}` changed; write a new item instead"
                )));
            }
        }
        let version_attr = T::SCHEMA.version_attribute;
        let is_key_or_version = |k: &str| {
            k == names.hash || Some(k) == names.range.as_deref() || Some(k) == version_attr
        };
        let mut update = Update::new();
        for (k, v) in &new {
            if !is_key_or_version(k) && old.get(k) != Some(v) {
                update = update.set_raw(k.clone(), v.clone());
            }
        }
        for k in old.keys() {
            if !is_key_or_version(k) && !new.contains_key(k) {
                update = update.remove_raw(k.clone());
            }
        }
        if update.is_empty() {
            return Ok(false);
        }
        let key = key_item(self, &after.key())?;
        let mut req = UpdateItem {
            table: self,
            key: Ok(key),
            update,
            condition: None,
            expected_version: None,
            version_check: true,
            return_new: false,
        };
        if version_attr.is_some() {
            req.expected_version = Some(before.version()?);
        }
        let out = req.send().await?;
        if version_attr.is_some() {
            // As in `put`: a version that does not fit is not stored.
            let _ = after.set_version(out.version);
        }
        Ok(true)
    }
}
