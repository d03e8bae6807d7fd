//! Single-item operations as builders: [`GetItem`], [`Exists`], [`PutItem`],
//! [`DeleteItem`], [`UpdateItem`], [`ConditionCheck`] and [`SaveChanges`].
//!
//! Each builder plans its request with the operation core (the version rules
//! are in [`op::write`](crate::op::write)) and runs it through the core's one
//! send path. The same builders are the actions of a
//! [`TransactWrite`](crate::TransactWrite).

use std::marker::PhantomData;

use aws_sdk_dynamodb::types::{ReturnConsumedCapacity, ReturnValue};

use crate::document::Document;
use crate::error::{EncodeError, Error, Result};
use crate::expr::{Condition, ExpressionAttributes, Path, Update};
use crate::limits::check_item_size;
use crate::op::call::{self, Customize, GetItemOp};
use crate::op::model::{Model, check_key};
use crate::op::output::{BoxFuture, Executable, Output, runnable};
use crate::op::write::{
    self, Action, ConditionBuilder, CustomizeWrite, FailureRule, TransactAction, Write,
    WriteOptions, number, stored_version,
};
use crate::schema::ProjectionOf;
use crate::table::Table;
use crate::{AttributeValue, Item};

pub(crate) type GetItemBuilder =
    aws_sdk_dynamodb::operation::get_item::builders::GetItemFluentBuilder;

/// The item a write takes: `&item`, or `&mut item` to receive the new version.
pub enum ItemRef<'a, T> {
    /// Written as is; a versioned item's new version is only in the output.
    Shared(&'a T),
    /// Receives the new version after a successful versioned write.
    Mut(&'a mut T),
}

impl<T> ItemRef<'_, T> {
    pub(crate) fn get(&self) -> &T {
        match self {
            ItemRef::Shared(t) => t,
            ItemRef::Mut(t) => t,
        }
    }

    pub(crate) fn set_version(self, attribute: &str, version: u64) -> Result<()>
    where
        T: Model,
    {
        match self {
            ItemRef::Mut(item) => item.__set_version(attribute, version),
            ItemRef::Shared(_) => Ok(()),
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

/// What a successful put or delete returns.
#[derive(Debug)]
#[non_exhaustive]
pub struct WriteOutput<T> {
    /// The item as it was before, when asked for with `return_old()`.
    pub old: Option<T>,
    /// The version now stored (0 for tables without a version attribute, and
    /// after a delete).
    pub version: u64,
}

/// What a successful update returns.
#[derive(Debug)]
#[non_exhaustive]
pub struct UpdateOutput<T> {
    /// The item after the update, when asked for with `return_new()`.
    pub item: Option<T>,
    /// The version now stored (0 for tables without a version attribute).
    pub version: u64,
}

fn key_item<T: Model>(table: &Table<T>, key: &T::Key) -> Result<Item> {
    T::__key_item(key, &table.target.keys)
}

fn decode_attributes<T: Model>(attributes: Option<&Item>) -> Result<Option<T>> {
    match attributes {
        Some(item) => Ok(Some(<T as ProjectionOf<T>>::__decode(item.clone())?)),
        None => Ok(None),
    }
}

/// The builders' `.customize()` and `.return_consumed_capacity()`.
macro_rules! request_setters {
    ($sdk:ty, $field:ident) => {
        /// Asks DynamoDB to report the capacity this request consumes (see
        /// [`with_output`](Self::with_output)), overriding the table's setting.
        pub fn return_consumed_capacity(mut self, capacity: ReturnConsumedCapacity) -> Self {
            self.capacity = Some(capacity);
            self
        }

        /// Changes the SDK request before it is sent: an escape hatch for
        /// what this builder does not offer.
        pub fn customize(mut self, f: impl Fn($sdk) -> $sdk + Send + Sync + 'static) -> Self {
            self.$field = Some(std::sync::Arc::new(f));
            self
        }
    };
}

// ------------------------------------------------------------------- get

/// A `GetItem` request; see [`Table::get`]. Run with `.await`.
#[must_use = "a request does nothing until it is awaited"]
pub struct GetItem<'a, T: Model, P = T> {
    table: &'a Table<T>,
    key: Result<Item>,
    consistent: bool,
    names: Option<Vec<String>>,
    capacity: Option<ReturnConsumedCapacity>,
    customize: Option<Customize<GetItemBuilder>>,
    _projection: PhantomData<fn() -> P>,
}

impl<T: Model> Table<T> {
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
            names: None,
            capacity: None,
            customize: None,
            _projection: PhantomData,
        }
    }

    /// Whether an item with this key exists (reads only the key attributes).
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// if users.exists(User::key("john")).consistent().await? { /* ... */ }
    /// # Ok(()) }
    /// ```
    pub fn exists(&self, key: impl Into<T::Key>) -> Exists<'_, T> {
        let names: Vec<String> = self.target.keys.iter().map(str::to_owned).collect();
        Exists(self.get(key).project_names(names))
    }
}

impl<'a, T: Model, P: ProjectionOf<T>> GetItem<'a, T, P> {
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
            names: None,
            capacity: self.capacity,
            customize: self.customize,
            _projection: PhantomData,
        }
    }

    /// Reads only these attributes, chosen at run time, as a [`Document`].
    pub fn project_names<N: Into<String>>(
        self,
        names: impl IntoIterator<Item = N>,
    ) -> GetItem<'a, T, Document> {
        GetItem {
            table: self.table,
            key: self.key,
            consistent: self.consistent,
            names: Some(names.into_iter().map(Into::into).collect()),
            capacity: self.capacity,
            customize: self.customize,
            _projection: PhantomData,
        }
    }

    request_setters!(GetItemBuilder, customize);

    async fn run(self) -> Result<Output<Option<P>>> {
        let target = &self.table.target;
        target.check()?;
        let key = self.key?;
        let mut names: Option<Vec<&str>> = self
            .names
            .as_ref()
            .map(|n| n.iter().map(String::as_str).collect());
        let mut typed = Vec::new();
        if names.is_none() && !P::__FULL {
            P::attribute_names(&mut typed);
            names = Some(typed);
        }
        if names.as_ref().is_some_and(Vec::is_empty) {
            return Err(Error::Validation(
                "a projection needs at least one attribute name".into(),
            ));
        }
        let table = target.name.as_str();
        let mut builder = target
            .client
            .get_item()
            .table_name(table)
            .set_key(Some(key))
            .set_consistent_read(self.consistent.then_some(true))
            .set_return_consumed_capacity(self.capacity.or_else(|| target.capacity.clone()));
        if let Some(names) = names {
            let mut attrs = ExpressionAttributes::new();
            let projection = attrs.projection(&names);
            let (expr_names, _) = attrs.into_parts();
            builder = builder
                .projection_expression(projection)
                .set_expression_attribute_names(expr_names);
        }
        let span = call::request_span::<GetItemOp>(table);
        if !span.is_disabled() {
            span.record("aws.dynamodb.consistent_read", self.consistent);
        }
        let answer =
            call::send::<GetItemOp>(span, builder, self.customize.as_ref(), Some(table)).await?;
        let value = match answer.output.item {
            Some(item) if !item.is_empty() => Some(P::__decode(item)?),
            _ => None,
        };
        Ok(Output {
            consumed_capacity: answer.capacity,
            request_id: answer.request_id,
            ..Output::new(value)
        })
    }
}

impl<'a, T: Model, P: ProjectionOf<T>> Executable<'a> for GetItem<'a, T, P> {
    type Value = Option<P>;
    fn execute(self) -> BoxFuture<'a, Result<Output<Option<P>>>> {
        Box::pin(self.run())
    }
}
runnable!(GetItem<'a, T, P> where T: Model, P: ProjectionOf<T>);

/// Whether an item exists; see [`Table::exists`].
#[must_use = "a request does nothing until it is awaited"]
pub struct Exists<'a, T: Model>(GetItem<'a, T, Document>);

impl<'a, T: Model> Exists<'a, T> {
    /// Strongly consistent read.
    pub fn consistent(self) -> Self {
        Self(self.0.consistent())
    }
}

impl<'a, T: Model> Executable<'a> for Exists<'a, T> {
    type Value = bool;
    fn execute(self) -> BoxFuture<'a, Result<Output<bool>>> {
        Box::pin(async move { Ok(self.0.run().await?.map(|doc| doc.is_some())) })
    }
}
runnable!(Exists<'a, T> where T: Model);

// ------------------------------------------------------------------- put

/// A `PutItem` request; see [`Table::put`].
#[must_use = "a request does nothing until it is awaited"]
pub struct PutItem<'a, T: Model> {
    table: &'a Table<T>,
    item: ItemRef<'a, T>,
    create_only: bool,
    condition: Option<Condition>,
    overwrite: bool,
    return_old: bool,
    capacity: Option<ReturnConsumedCapacity>,
    customize: Option<Customize<call::PutItemBuilder>>,
}

impl<T: Model> Table<T> {
    /// Writes a whole item, replacing any item with its key.
    ///
    /// For a table with a version attribute the write is version-checked: a
    /// version of 0 expects no item (or one written without a version), any
    /// other version must be the stored one; the stored version becomes one
    /// more, and `&mut item` receives it. A failed check is
    /// [`Error::VersionConflict`] carrying the stored item. A version that
    /// would overflow the field's type is refused before sending.
    /// [`overwrite`](PutItem::overwrite) skips the check (the stored version
    /// still goes up).
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
            overwrite: false,
            return_old: false,
            capacity: None,
            customize: None,
        }
    }

    /// [`put`](Self::put) with `&mut item`, so the item receives its new version.
    pub fn save<'a>(&'a self, item: &'a mut T) -> PutItem<'a, T> {
        self.put(item)
    }
}

impl<'a, T: Model> PutItem<'a, T> {
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

    /// Writes without checking the stored version. The stored version still
    /// goes up by one (the write is sent as an update that sets every
    /// attribute of the item, removes the ones it leaves out, and increments
    /// the stored version), so readers holding an older version get a
    /// conflict on their next checked write. Attributes the type does not
    /// know stay as they are. Explicit: nothing skips the check silently.
    pub fn overwrite(mut self) -> Self {
        self.overwrite = true;
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

    request_setters!(call::PutItemBuilder, customize);

    /// The planned write and the version it stores (`None` when DynamoDB's
    /// answer tells it: an overwrite).
    pub(crate) fn plan(&self) -> Result<(Write, Option<u64>)> {
        let target = &self.table.target;
        let item = self.item.get();
        let mut encoded = item.__encode()?;
        check_key(&encoded, &target.keys)?;
        let version_attr = target.version.as_deref();
        let version = item.__version(version_attr)?;
        let mut attrs = ExpressionAttributes::new();
        let mut condition = ConditionBuilder::new(&mut attrs);
        condition.user(self.condition.as_ref())?;
        // An entity never replaces an item of another entity at its key.
        condition.user(item.__write_condition().as_ref())?;
        if self.create_only {
            condition.not_exists(&target.keys.hash);
        }
        let (Some(attribute), Some(version)) = (version_attr, version) else {
            check_item_size(&encoded)?;
            let condition = condition.finish();
            let mut w = Write::new(
                Action::Put { item: encoded },
                condition,
                attrs,
                FailureRule::default(),
            );
            w.return_values = self.return_old.then_some(ReturnValue::AllOld);
            return Ok((w, None));
        };
        if self.overwrite {
            let condition = condition.finish();
            return Ok((
                self.overwrite_plan(encoded, attribute, attrs, condition)?,
                None,
            ));
        }
        let next = next_version::<T>(attribute, version)?;
        encoded.insert(attribute.to_owned(), number(next));
        check_item_size(&encoded)?;
        let failure = if self.create_only {
            FailureRule::default()
        } else {
            condition.version_rule(Some((attribute.to_owned(), version)), false)
        };
        let condition = condition.finish();
        let mut w = Write::new(Action::Put { item: encoded }, condition, attrs, failure);
        w.return_values = self.return_old.then_some(ReturnValue::AllOld);
        Ok((w, Some(next)))
    }

    /// An unchecked put of a versioned item: an update that sets every
    /// attribute, removes the known ones the item leaves out, and adds one to
    /// the stored version.
    fn overwrite_plan(
        &self,
        encoded: Item,
        attribute: &str,
        mut attrs: ExpressionAttributes,
        condition: Option<String>,
    ) -> Result<Write> {
        let keys = &self.table.target.keys;
        check_item_size(&encoded)?;
        let mut known = Vec::new();
        T::__attribute_names(&mut known);
        let mut update = Update::new();
        for name in known {
            if !encoded.contains_key(name) && !keys.contains(name) && name != attribute {
                update = update.remove_raw(name);
            }
        }
        let key = write::key_of(&encoded, keys);
        for (name, value) in encoded {
            if !keys.contains(&name) && name != attribute {
                update = update.set_raw(name, value);
            }
        }
        update = update.add(
            Path::<AttributeValue>::root(attribute.to_owned()),
            number(1),
        );
        let expression = update.render(&mut attrs)?;
        let mut w = Write::new(
            Action::Update { key, expression },
            condition,
            attrs,
            FailureRule::default(),
        );
        w.return_values = Some(if self.return_old {
            ReturnValue::AllOld
        } else {
            ReturnValue::UpdatedNew
        });
        Ok(w)
    }

    /// This put as an action of a transaction.
    pub(crate) fn into_action(self) -> Result<TransactAction<'a>> {
        if self.return_old {
            return Err(Error::Validation(
                "return_old() is not available inside a transaction".into(),
            ));
        }
        let target = &self.table.target;
        let (write, planned) = self.plan()?;
        let mut action = TransactAction::new(target, write)?;
        if let (Some(attribute), Some(version), item @ ItemRef::Mut(_)) =
            (target.version.clone(), planned, self.item)
        {
            action.on_commit = Some(Box::new(move || item.set_version(&attribute, version)));
        }
        Ok(action)
    }

    async fn run(self) -> Result<Output<WriteOutput<T>>> {
        let (write, planned) = self.plan()?;
        let target = &self.table.target;
        let customize = match self.customize {
            Some(f) => CustomizeWrite::Put(f),
            None => CustomizeWrite::None,
        };
        let options = WriteOptions {
            capacity: self.capacity.or_else(|| target.capacity.clone()),
            customize,
        };
        let answer = write::execute(target, write, options).await?;
        let attribute = target.version.as_deref();
        let version = match (attribute, planned) {
            (Some(_), Some(v)) => v,
            (Some(attribute), None) if self.overwrite => {
                bumped_version(attribute, answer.attributes.as_ref(), self.return_old)?
            }
            _ => 0,
        };
        if let Some(attribute) = attribute
            && version > 0
        {
            self.item.set_version(attribute, version)?;
        }
        let old = if self.return_old {
            decode_attributes::<T>(answer.attributes.as_ref())?
        } else {
            None
        };
        Ok(Output {
            consumed_capacity: answer.capacity,
            request_id: answer.request_id,
            attributes: answer.attributes,
            ..Output::new(WriteOutput { old, version })
        })
    }
}

/// The version after `current`, refused before sending when the item's
/// version field cannot hold it.
fn next_version<T: Model>(attribute: &str, current: u64) -> Result<u64> {
    match current.checked_add(1) {
        Some(next) if next <= T::__version_max() => Ok(next),
        _ => Err(Error::Encode(
            EncodeError::invalid(format!(
                "the next version, {current} + 1, does not fit the version field's type \
                 (at most {})",
                T::__version_max()
            ))
            .in_field(attribute),
        )),
    }
}

/// The version an unchecked write stored, from the attributes it returned: a
/// stored value that is not a version is a decode error naming the attribute
/// (the write was made; its version is unknown), never read as 0.
fn bumped_version(attribute: &str, attributes: Option<&Item>, returned_old: bool) -> Result<u64> {
    let found = attributes.and_then(|a| stored_version(a, attribute));
    match (returned_old, found) {
        // The old item (or none: version 0) plus the one the update added.
        (true, Some(old)) => Ok(old.saturating_add(1)),
        (true, None) if attributes.is_none() => Ok(1),
        (false, Some(new)) => Ok(new),
        _ => {
            let stored = attributes.and_then(|a| a.get(attribute));
            let err = match stored {
                Some(AttributeValue::N(n)) => {
                    crate::error::DecodeError::new(crate::error::DecodeErrorKind::InvalidNumber {
                        value: n.clone(),
                        target: "a version (a whole number from 0)",
                    })
                }
                Some(other) => crate::error::DecodeError::type_mismatch("N", other),
                None => crate::error::DecodeError::new(crate::error::DecodeErrorKind::Missing),
            };
            Err(Error::Decode(err.in_field(attribute)))
        }
    }
}

impl<'a, T: Model> Executable<'a> for PutItem<'a, T> {
    type Value = WriteOutput<T>;
    fn execute(self) -> BoxFuture<'a, Result<Output<WriteOutput<T>>>> {
        Box::pin(self.run())
    }
}
runnable!(PutItem<'a, T> where T: Model);

// ------------------------------------------------------------------- delete

/// A `DeleteItem` request; see [`Table::delete`].
#[must_use = "a request does nothing until it is awaited"]
pub struct DeleteItem<'a, T: Model> {
    table: &'a Table<T>,
    key: Result<Item>,
    condition: Option<Condition>,
    expected_version: Option<u64>,
    version_check: bool,
    return_old: bool,
    capacity: Option<ReturnConsumedCapacity>,
    customize: Option<Customize<call::DeleteItemBuilder>>,
}

impl<T: Model> Table<T> {
    /// Deletes the item with this key (no error when there is none).
    ///
    /// For a table with a version attribute, say which version you expect
    /// ([`expected_version`](DeleteItem::expected_version)), or opt out with
    /// [`skip_version_check`](DeleteItem::skip_version_check); otherwise the
    /// request is refused. [`delete_item`](Self::delete_item) takes the
    /// version from a loaded item.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// users.delete(User::key("john")).await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, key: impl Into<T::Key>) -> DeleteItem<'_, T> {
        DeleteItem {
            table: self,
            key: T::__delete_key(&key.into(), &self.target.keys),
            condition: None,
            expected_version: None,
            version_check: true,
            return_old: false,
            capacity: None,
            customize: None,
        }
    }

    /// Deletes a loaded item, checking its version when the table has one.
    pub fn delete_item(&self, item: &T) -> DeleteItem<'_, T> {
        let key = item
            .__key_of(&self.target.keys)
            .and_then(|k| key_item(self, &k));
        let version = item.__version(self.target.version.as_deref());
        let (key, expected) = match (key, version) {
            (Ok(key), Ok(v)) => (Ok(key), v),
            (Err(e), _) | (_, Err(e)) => (Err(e), None),
        };
        DeleteItem {
            table: self,
            key,
            condition: None,
            expected_version: expected,
            version_check: true,
            return_old: false,
            capacity: None,
            customize: None,
        }
    }
}

/// The version check of an update or delete by key: the expected version, or
/// `None` when unchecked; refused when the table is versioned and the caller
/// said neither.
fn key_write_version(
    attribute: Option<&str>,
    expected: Option<u64>,
    check: bool,
    what: &str,
) -> Result<Option<(String, u64)>> {
    let Some(attribute) = attribute else {
        return Ok(None);
    };
    if !check {
        return Ok(None);
    }
    match expected {
        Some(v) => Ok(Some((attribute.to_owned(), v))),
        None => Err(Error::Validation(format!(
            "this table has a version attribute `{attribute}`: say which version the {what} \
             expects with .expected_version(v) (or use the item-taking form), or opt out with \
             .skip_version_check()"
        ))),
    }
}

impl<'a, T: Model> DeleteItem<'a, T> {
    /// A condition the stored item must meet (ANDed with the version check).
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(condition);
        self
    }

    /// Deletes only if the stored version is this one (0: an item without a
    /// version attribute).
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

    request_setters!(call::DeleteItemBuilder, customize);

    pub(crate) fn plan(&self) -> Result<Write> {
        let target = &self.table.target;
        let key = planned_key(&self.key)?;
        let version = key_write_version(
            target.version.as_deref(),
            self.expected_version,
            self.version_check,
            "delete",
        )?;
        let mut attrs = ExpressionAttributes::new();
        let mut condition = ConditionBuilder::new(&mut attrs);
        condition.user(self.condition.as_ref())?;
        // An entity's delete never deletes an item of another entity.
        condition.user(T::__key_write_condition().as_ref())?;
        let failure = condition.version_rule(version, false);
        let condition = condition.finish();
        let mut w = Write::new(Action::Delete { key }, condition, attrs, failure);
        w.return_values = self.return_old.then_some(ReturnValue::AllOld);
        Ok(w)
    }

    /// This delete as an action of a transaction.
    pub(crate) fn into_action(self) -> Result<TransactAction<'a>> {
        if self.return_old {
            return Err(Error::Validation(
                "return_old() is not available inside a transaction".into(),
            ));
        }
        TransactAction::new(&self.table.target, self.plan()?)
    }

    async fn run(self) -> Result<Output<WriteOutput<T>>> {
        let write = self.plan()?;
        let target = &self.table.target;
        let options = WriteOptions {
            capacity: self.capacity.or_else(|| target.capacity.clone()),
            customize: match self.customize {
                Some(f) => CustomizeWrite::Delete(f),
                None => CustomizeWrite::None,
            },
        };
        let answer = write::execute(target, write, options).await?;
        let old = if self.return_old {
            decode_attributes::<T>(answer.attributes.as_ref())?
        } else {
            None
        };
        Ok(Output {
            consumed_capacity: answer.capacity,
            request_id: answer.request_id,
            attributes: answer.attributes,
            ..Output::new(WriteOutput { old, version: 0 })
        })
    }
}

/// The key a builder was given, or the error its encoding met.
fn planned_key(key: &Result<Item>) -> Result<Item> {
    match key {
        Ok(key) => Ok(key.clone()),
        Err(e) => Err(copy_error(e)),
    }
}

/// An error kept in a builder (a key that did not encode), reported when
/// the builder is planned; planning can happen twice (a transaction), so it
/// is rebuilt rather than moved.
fn copy_error(e: &Error) -> Error {
    match e {
        Error::Encode(e) => Error::Encode(e.clone()),
        Error::Decode(e) => Error::Decode(e.clone()),
        Error::ItemTooLarge { size, limit } => Error::ItemTooLarge {
            size: *size,
            limit: *limit,
        },
        other => Error::Validation(other.to_string()),
    }
}

impl<'a, T: Model> Executable<'a> for DeleteItem<'a, T> {
    type Value = WriteOutput<T>;
    fn execute(self) -> BoxFuture<'a, Result<Output<WriteOutput<T>>>> {
        Box::pin(self.run())
    }
}
runnable!(DeleteItem<'a, T> where T: Model);

// ------------------------------------------------------------------- update

/// An `UpdateItem` request; see [`Table::update`].
#[must_use = "a request does nothing until it is awaited"]
pub struct UpdateItem<'a, T: Model> {
    table: &'a Table<T>,
    key: Result<Item>,
    update: Update,
    condition: Option<Condition>,
    expected_version: Option<u64>,
    version_check: bool,
    upsert: bool,
    return_new: bool,
    return_values: Option<ReturnValue>,
    capacity: Option<ReturnConsumedCapacity>,
    customize: Option<Customize<call::UpdateItemBuilder>>,
}

impl<T: Model> Table<T> {
    /// Changes attributes of one existing item in place. The item must exist
    /// ([`Error::NotFound`] otherwise, and nothing is written) unless
    /// [`upsert`](UpdateItem::upsert) says to create it.
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
            upsert: false,
            return_new: false,
            return_values: None,
            capacity: None,
            customize: None,
        }
    }
}

impl<'a, T: Model> UpdateItem<'a, T> {
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

    /// Updates only if the stored version is this one (0: an item without a
    /// version attribute); the version becomes one more.
    pub fn expected_version(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }

    /// Updates whatever version is stored (still adding one to it). Explicit.
    pub fn skip_version_check(mut self) -> Self {
        self.version_check = false;
        self
    }

    /// Creates the item when it does not exist. The new item holds only the
    /// key and the attributes this update sets: a partial item that a typed
    /// read fails to decode when the type has required attributes the update
    /// does not set (use [`Update::set_if_not_exists`] for defaults that must
    /// not overwrite stored values).
    pub fn upsert(mut self) -> Self {
        self.upsert = true;
        self
    }

    /// Returns the whole item as it is after the update, decoded.
    pub fn return_new(mut self) -> Self {
        self.return_new = true;
        self
    }

    /// Asks DynamoDB for these attributes (`ALL_OLD`, `UPDATED_OLD`,
    /// `ALL_NEW`, `UPDATED_NEW`), returned raw in
    /// [`Output::attributes`](crate::Output::attributes) (see
    /// [`with_output`](Self::with_output)).
    pub fn return_values(mut self, values: ReturnValue) -> Self {
        self.return_values = Some(values);
        self
    }

    request_setters!(call::UpdateItemBuilder, customize);

    /// The planned write and the version it stores (`None`: learned from the
    /// answer).
    pub(crate) fn plan(&self) -> Result<(Write, Option<u64>)> {
        let target = &self.table.target;
        let key = planned_key(&self.key)?;
        for name in target.keys.iter() {
            if self.update.touches(Path::<()>::root(name.to_owned())) {
                return Err(Error::Validation(format!(
                    "an update cannot change the key attribute `{name}`: write a new item and \
                     delete the old one"
                )));
            }
        }
        // An entity's index keys follow the fields they are made of.
        let (derived, entity_condition) = T::__derived_update(&self.update, &key, self.upsert)?;
        let version_attr = target.version.as_deref();
        if let Some(attribute) = version_attr
            && self.update.touches(Path::<()>::root(attribute.to_owned()))
        {
            return Err(Error::Validation(format!(
                "`{attribute}` is the version attribute: the version rules set it; use \
                 .expected_version(v) or .skip_version_check()"
            )));
        }
        let version = key_write_version(
            version_attr,
            self.expected_version,
            self.version_check,
            "update",
        )?;
        let mut update = self.update.clone().merge(derived);
        let mut next = None;
        match (version_attr, &version) {
            (Some(_), Some((attribute, v))) => {
                let n = next_version::<T>(attribute, *v)?;
                update = update.set_raw(attribute.clone(), number(n));
                next = Some(n);
            }
            (Some(attribute), None) => {
                update = update.add(
                    Path::<AttributeValue>::root(attribute.to_owned()),
                    number(1),
                );
            }
            (None, _) => {}
        }
        let mut attrs = ExpressionAttributes::new();
        let expression = update.render(&mut attrs)?;
        let mut condition = ConditionBuilder::new(&mut attrs);
        condition.user(self.condition.as_ref())?;
        condition.user(entity_condition.as_ref())?;
        let checks_version = version.as_ref().is_some_and(|(_, v)| *v > 0);
        if !self.upsert && !checks_version {
            // `version = v` already implies that the item exists.
            condition.exists(&target.keys.hash);
        }
        let failure = condition.version_rule(version, !self.upsert);
        let condition = condition.finish();
        let mut w = Write::new(
            Action::Update { key, expression },
            condition,
            attrs,
            failure,
        );
        w.return_values = if self.return_new {
            Some(ReturnValue::AllNew)
        } else if self.return_values.is_some() {
            self.return_values.clone()
        } else if version_attr.is_some() && next.is_none() {
            Some(ReturnValue::UpdatedNew)
        } else {
            None
        };
        Ok((w, next))
    }

    /// This update as an action of a transaction.
    pub(crate) fn into_action(self) -> Result<TransactAction<'a>> {
        if self.return_new || self.return_values.is_some() {
            return Err(Error::Validation(
                "return values are not available inside a transaction".into(),
            ));
        }
        let (mut write, _) = self.plan()?;
        write.return_values = None;
        TransactAction::new(&self.table.target, write)
    }

    async fn run(self) -> Result<Output<UpdateOutput<T>>> {
        if self.return_new && self.return_values.is_some() {
            return Err(Error::Validation(
                "return_new() and return_values(..) ask for different return values; use one"
                    .into(),
            ));
        }
        let (write, planned) = self.plan()?;
        let returned = write.return_values.clone();
        let target = &self.table.target;
        let options = WriteOptions {
            capacity: self.capacity.or_else(|| target.capacity.clone()),
            customize: match self.customize {
                Some(f) => CustomizeWrite::Update(f),
                None => CustomizeWrite::None,
            },
        };
        let answer = write::execute(target, write, options).await?;
        let version = match (target.version.as_deref(), planned) {
            (Some(_), Some(v)) => v,
            (Some(attribute), None) => {
                let old = matches!(
                    returned,
                    Some(ReturnValue::AllOld | ReturnValue::UpdatedOld)
                );
                bumped_version(attribute, answer.attributes.as_ref(), old)?
            }
            (None, _) => 0,
        };
        let item = if self.return_new {
            decode_attributes::<T>(answer.attributes.as_ref())?
        } else {
            None
        };
        Ok(Output {
            consumed_capacity: answer.capacity,
            request_id: answer.request_id,
            attributes: answer.attributes,
            ..Output::new(UpdateOutput { item, version })
        })
    }
}

impl<'a, T: Model> Executable<'a> for UpdateItem<'a, T> {
    type Value = UpdateOutput<T>;
    fn execute(self) -> BoxFuture<'a, Result<Output<UpdateOutput<T>>>> {
        Box::pin(self.run())
    }
}
runnable!(UpdateItem<'a, T> where T: Model);

// ------------------------------------------------------------------- condition check

/// A condition on an item that a transaction requires without changing the
/// item; see [`Table::condition_check`].
#[must_use = "a condition check does nothing until it is added to a transaction"]
pub struct ConditionCheck<'a, T: Model> {
    table: &'a Table<T>,
    key: Result<Item>,
    condition: Option<Condition>,
    expected_version: Option<u64>,
}

impl<T: Model> Table<T> {
    /// A check for a [`TransactWrite`](crate::TransactWrite): the item named by
    /// `key` must meet `condition` (and the expected version, if set) for
    /// the transaction to happen.
    pub fn condition_check(
        &self,
        key: impl Into<T::Key>,
        condition: Condition,
    ) -> ConditionCheck<'_, T> {
        ConditionCheck {
            table: self,
            key: key_item(self, &key.into()),
            condition: Some(condition),
            expected_version: None,
        }
    }
}

impl<'a, T: Model> ConditionCheck<'a, T> {
    /// This check as an action of a transaction.
    pub(crate) fn into_action(self) -> Result<TransactAction<'a>> {
        TransactAction::new(&self.table.target, self.plan()?)
    }

    /// Also requires the stored version to be this one.
    pub fn expected_version(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }

    pub(crate) fn plan(&self) -> Result<Write> {
        let target = &self.table.target;
        let key = planned_key(&self.key)?;
        let version = match (target.version.as_deref(), self.expected_version) {
            (Some(a), Some(v)) => Some((a.to_owned(), v)),
            (None, Some(_)) => {
                return Err(Error::Validation(
                    "expected_version on a table without a version attribute".into(),
                ));
            }
            _ => None,
        };
        let mut attrs = ExpressionAttributes::new();
        let mut condition = ConditionBuilder::new(&mut attrs);
        condition.user(self.condition.as_ref())?;
        let failure = condition.version_rule(version, false);
        let condition = condition.finish();
        Ok(Write::new(Action::Check { key }, condition, attrs, failure))
    }
}

// ------------------------------------------------------------------- save_changes

/// Sends what changed between two states of an item; see
/// [`Table::save_changes`].
#[must_use = "a request does nothing until it is awaited"]
pub struct SaveChanges<'a, T: Model> {
    table: &'a Table<T>,
    before: &'a T,
    after: &'a mut T,
    capacity: Option<ReturnConsumedCapacity>,
}

impl<T: Model> Table<T> {
    /// Sends only what changed between `before` (as it was read) and `after`:
    /// changed and new attributes are `SET`, vanished ones `REMOVE`d; nothing
    /// is sent when nothing changed. Returns whether a request was sent.
    ///
    /// Nothing another client changed in between is lost:
    /// - with a version attribute, the stored version must be `before`'s
    ///   ([`Error::VersionConflict`] otherwise), and `after` receives the new one;
    /// - without one, each changed attribute must still hold the value that
    ///   was read (be absent where it was absent), otherwise
    ///   [`Error::ConditionFailed`] carrying the stored item.
    ///
    /// The item must still exist ([`Error::NotFound`]), and the key cannot change.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem, Clone)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String, name: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let before = users.get(User::key("john")).await?.unwrap();
    /// let mut after = before.clone();
    /// after.name = "John".into();
    /// users.save_changes(&before, &mut after).await?;
    /// # Ok(()) }
    /// ```
    pub fn save_changes<'a>(&'a self, before: &'a T, after: &'a mut T) -> SaveChanges<'a, T> {
        SaveChanges {
            table: self,
            before,
            after,
            capacity: None,
        }
    }
}

impl<'a, T: Model> SaveChanges<'a, T> {
    /// Asks DynamoDB to report the capacity the request consumes.
    pub fn return_consumed_capacity(mut self, capacity: ReturnConsumedCapacity) -> Self {
        self.capacity = Some(capacity);
        self
    }

    async fn run(self) -> Result<Output<bool>> {
        let target = &self.table.target;
        target.check()?;
        let old = self.before.__encode()?;
        let new = self.after.__encode()?;
        let keys = &target.keys;
        for k in keys.iter() {
            if old.get(k) != new.get(k) {
                return Err(Error::Validation(format!(
                    "save_changes: key attribute `{k}` changed; write a new item instead"
                )));
            }
        }
        check_key(&new, keys)?;
        let version_attr = target.version.as_deref();
        let skip = |k: &str| keys.contains(k) || Some(k) == version_attr;
        let mut update = Update::new();
        let mut changed: Vec<(&str, Option<&AttributeValue>)> = Vec::new();
        for (k, v) in &new {
            if !skip(k) && old.get(k) != Some(v) {
                update = update.set_raw(k.clone(), v.clone());
                changed.push((k, old.get(k)));
            }
        }
        for (k, v) in &old {
            if !skip(k) && !new.contains_key(k) {
                update = update.remove_raw(k.clone());
                changed.push((k, Some(v)));
            }
        }
        if update.is_empty() {
            return Ok(Output::new(false));
        }
        check_item_size(&new)?;
        let version = self.before.__version(version_attr)?;
        let mut next = None;
        if let (Some(attribute), Some(v)) = (version_attr, version) {
            let n = next_version::<T>(attribute, v)?;
            update = update.set_raw(attribute.to_owned(), number(n));
            next = Some(n);
        }
        let mut attrs = ExpressionAttributes::new();
        let expression = update.render(&mut attrs)?;
        let mut condition = ConditionBuilder::new(&mut attrs);
        condition.exists(&keys.hash);
        match (version_attr, version) {
            (Some(attribute), Some(v)) => condition.version(attribute, v),
            _ => {
                for (name, was) in &changed {
                    match was {
                        Some(value) => condition.equals(name, (*value).clone()),
                        None => condition.not_exists(name),
                    }
                }
            }
        }
        let condition = condition.finish();
        let failure = FailureRule {
            version: match (version_attr, version) {
                (Some(a), Some(v)) => Some((a.to_owned().into(), v)),
                _ => None,
            },
            must_exist: true,
        };
        let key = write::key_of(&new, keys);
        let w = Write::new(
            Action::Update { key, expression },
            condition,
            attrs,
            failure,
        );
        let options = WriteOptions {
            capacity: self.capacity.or_else(|| target.capacity.clone()),
            customize: CustomizeWrite::None,
        };
        let answer = write::execute(target, w, options).await?;
        if let (Some(attribute), Some(n)) = (version_attr, next) {
            self.after.__set_version(attribute, n)?;
        }
        Ok(Output {
            consumed_capacity: answer.capacity,
            request_id: answer.request_id,
            ..Output::new(true)
        })
    }
}

impl<'a, T: Model> Executable<'a> for SaveChanges<'a, T> {
    type Value = bool;
    fn execute(self) -> BoxFuture<'a, Result<Output<bool>>> {
        Box::pin(self.run())
    }
}
runnable!(SaveChanges<'a, T> where T: Model);
