//! Optimistic locking: the version rules of `#[dynamo(version)]` fields and
//! [`Table::modify`], the read-modify-write loop.
//!
//! | operation | condition sent | stored version after |
//! |---|---|---|
//! | `put` of version 0 | `attribute_not_exists(<hash key>)` | 1 |
//! | `put` / `save` of version v | `<version> = v` | v + 1 |
//! | `update(key).expected_version(v)` | `<version> = v` | v + 1 (`SET`) |
//! | `delete_item(&item)` / `delete(key).expected_version(v)` | `<version> = v` | — |
//! | `.overwrite()` / `.skip_version_check()` | none | item's + 1 (put), stored + 1 (update) |
//!
//! A failed check is [`Error::VersionConflict`] carrying the stored item
//! (DynamoDB returns it with `ReturnValuesOnConditionCheckFailure = ALL_OLD`).
//! User conditions are ANDed with the version condition; when the stored
//! version matched, a failure is the user's condition: [`Error::ConditionFailed`].

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::expr::{ExpressionAttributes, Update};
use crate::schema::DynamoItem;
use crate::table::Table;
use crate::{AttributeValue, Item};

/// What a versioned write checks and writes.
pub(crate) struct VersionPlan<T> {
    pub(crate) attribute: &'static str,
    /// The version the caller expects stored (`None`: no check).
    pub(crate) expected: Option<u64>,
    pub(crate) new_version: u64,
    _item: PhantomData<fn() -> T>,
}

fn number(n: u64) -> AttributeValue {
    AttributeValue::N(itoa::Buffer::new().format(n).to_owned())
}

impl<T: DynamoItem> VersionPlan<T> {
    /// For a put of `item`: `None` when the type has no version field; an
    /// error when the item's version field holds a negative number.
    pub(crate) fn for_put(item: &T, check: bool) -> Result<Option<Self>> {
        let Some(attribute) = T::SCHEMA.version_attribute else {
            return Ok(None);
        };
        let current = item.version()?;
        Ok(Some(Self {
            attribute,
            expected: check.then_some(current),
            new_version: current.saturating_add(1),
            _item: PhantomData,
        }))
    }

    /// For update/delete by key: the caller must say which version they expect
    /// or opt out; `None` when the type has no version field or the caller opted out.
    pub(crate) fn for_key_write(expected: Option<u64>, check: bool) -> Result<Option<Self>> {
        let Some(attribute) = T::SCHEMA.version_attribute else {
            return Ok(None);
        };
        if !check {
            return Ok(None);
        }
        let Some(expected) = expected else {
            return Err(Error::Validation(format!(
                "`{}` has a version attribute `{attribute}`: say which version you expect with \
                 .expected_version(v) (or delete_item(&item)), or opt out with .skip_version_check()",
                std::any::type_name::<T>()
            )));
        };
        Ok(Some(Self {
            attribute,
            expected: Some(expected),
            new_version: expected.saturating_add(1),
            _item: PhantomData,
        }))
    }

    pub(crate) fn new_value(&self) -> AttributeValue {
        number(self.new_version)
    }
}

/// The condition a plan checks, rendered with placeholders.
pub(crate) fn version_condition<T>(
    plan: &VersionPlan<T>,
    hash_key: &str,
    attrs: &mut ExpressionAttributes,
) -> Option<String> {
    match plan.expected? {
        0 => Some(format!("attribute_not_exists({})", attrs.name(hash_key))),
        v => {
            let name = attrs.name(plan.attribute);
            let value = attrs.value(number(v));
            Some(format!("{name} = {value}"))
        }
    }
}

/// The full condition of a write: the caller's condition (if any) AND the
/// version check (if any), rendered into `attrs`.
pub(crate) fn write_condition<T>(
    user: Option<&crate::expr::Condition>,
    plan: Option<&VersionPlan<T>>,
    hash_key: &str,
    attrs: &mut ExpressionAttributes,
) -> Result<Option<String>> {
    let user = match user {
        Some(c) => Some(c.render(attrs)?),
        None => None,
    };
    let version = plan.and_then(|p| version_condition(p, hash_key, attrs));
    Ok(crate::items::and(user, version))
}

/// The `SET` of the version attribute an update adds: the planned version, or
/// (no check) one more than whatever is stored.
pub(crate) fn version_bump<T: DynamoItem>(
    attribute: &'static str,
    plan: Option<&VersionPlan<T>>,
) -> Update {
    match plan {
        Some(plan) => Update::new().set_raw(attribute.to_owned(), plan.new_value()),
        None => Update::new().increment_raw(attribute.to_owned(), number(1)),
    }
}

fn stored_version(item: &Item, attribute: &str) -> Option<u64> {
    match item.get(attribute) {
        Some(AttributeValue::N(n)) => n.parse().ok(),
        _ => None,
    }
}

/// Turns a condition failure of a versioned write into `VersionConflict` when
/// the version was the cause.
pub(crate) fn classify_failure<T: DynamoItem>(err: Error, plan: Option<&VersionPlan<T>>) -> Error {
    let (Error::ConditionFailed { item }, Some(plan)) = (&err, plan) else {
        return err;
    };
    let Some(expected) = plan.expected else {
        return err;
    };
    let stored = item
        .as_deref()
        .and_then(|i| stored_version(i, plan.attribute));
    let version_matched = match (expected, stored, item) {
        (0, _, None) => true,
        (0, _, Some(_)) => false,
        (v, Some(s), _) => s == v,
        (_, None, _) => false,
    };
    if version_matched {
        return err;
    }
    match err {
        Error::ConditionFailed { item } => Error::VersionConflict {
            expected,
            current: item,
        },
        other => other,
    }
}

/// The read-modify-write loop; see [`Table::modify`].
#[must_use = "a request does nothing until it is awaited"]
pub struct Modify<'a, T: DynamoItem, F> {
    table: &'a Table<T>,
    key: T::Key,
    change: F,
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    version_check: bool,
}

impl<T: DynamoItem> Table<T> {
    /// Reads the item (consistently), applies `change`, saves it with the
    /// version check, and on a conflict reads again and retries, with
    /// exponential backoff and jitter, at most 10 times by default. Returns
    /// the item as saved. [`Error::NotFound`] when there is no item.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "counters")]
    /// # struct Counter { #[dynamo(hash_key)] id: String, value: u64, #[dynamo(version)] version: u64 }
    /// # async fn demo(counters: Table<Counter>) -> dynamo_orm::Result<()> {
    /// let c = counters.modify(Counter::key("hits"), |c| c.value += 1).await?;
    /// # Ok(()) }
    /// ```
    pub fn modify<F: FnMut(&mut T) + Send>(
        &self,
        key: impl Into<T::Key>,
        change: F,
    ) -> Modify<'_, T, F> {
        Modify {
            table: self,
            key: key.into(),
            change,
            max_attempts: 10,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(1),
            version_check: true,
        }
    }
}

impl<'a, T: DynamoItem, F: FnMut(&mut T) + Send + 'a> Modify<'a, T, F> {
    /// How many read-modify-write rounds at most (default 10).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Backoff between rounds: a random delay up to `base * 2^round`, capped.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max;
        self
    }

    /// Saves without the version check (last writer wins: concurrent changes
    /// are lost). Explicit; for comparison and for types you accept that for.
    pub fn skip_version_check(mut self) -> Self {
        self.version_check = false;
        self
    }

    /// Runs the loop.
    pub async fn send(mut self) -> Result<T> {
        if T::SCHEMA.version_attribute.is_none() && self.version_check {
            return Err(Error::Validation(format!(
                "modify needs a #[dynamo(version)] field on `{}` to detect concurrent changes \
                 (or .skip_version_check())",
                std::any::type_name::<T>()
            )));
        }
        let mut attempt = 0;
        loop {
            let mut item = self
                .table
                .get(self.key.clone())
                .consistent()
                .send()
                .await?
                .ok_or(Error::NotFound)?;
            (self.change)(&mut item);
            let mut put = self.table.put(&mut item);
            if !self.version_check {
                put = put.overwrite();
            }
            match put.send().await {
                Ok(_) => return Ok(item),
                Err(Error::VersionConflict { .. }) if attempt + 1 < self.max_attempts => {
                    attempt += 1;
                    let delay = crate::sdk::backoff_delay(attempt, self.base_delay, self.max_delay);
                    tracing::debug!(attempt, ?delay, "version conflict, retrying");
                    tokio::time::sleep(delay).await;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl<'a, T: DynamoItem, F: FnMut(&mut T) + Send + 'a> IntoFuture for Modify<'a, T, F> {
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
