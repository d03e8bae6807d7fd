//! Writes: one plan per put, update, delete or condition check, built once
//! with the version rules applied, then sent either as a single request or as
//! one action of a transaction.
//!
//! The version rules (for tables with a version attribute):
//!
//! | write | condition sent | stored version after |
//! |---|---|---|
//! | put of version 0 | `attribute_not_exists(version)` (no item, or one written without a version) | 1 |
//! | put of version v | `version = v` | v + 1 |
//! | put, `.create_only()` | `attribute_not_exists(<hash key>)` | item's + 1 |
//! | put, `.overwrite()` | none; sent as an update that sets every attribute | stored + 1 |
//! | update, `.expected_version(v)` | `version = v` (v = 0: `attribute_not_exists(version)`) | v + 1 |
//! | update, `.skip_version_check()` | none | stored + 1 |
//! | delete, `.expected_version(v)` | `version = v` (v = 0: `attribute_not_exists(version)`) | — |
//!
//! Updates also require the item to exist unless `.upsert()` is set. A
//! failed condition is resolved from the stored item (DynamoDB returns it; when
//! an implementation does not, it is read back consistently): a stored version
//! other than the expected one is [`Error::VersionConflict`], a missing item
//! that had to exist is [`Error::NotFound`], anything else is
//! [`Error::ConditionFailed`] with the stored item.

use std::borrow::Cow;
use std::collections::HashMap;

use aws_sdk_dynamodb::types::{
    ConditionCheck, ConsumedCapacity, Delete, Put, ReturnConsumedCapacity, ReturnValue,
    ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update as SdkUpdate,
};

use super::call::{self, Customize, DeleteItemOp, GetItemOp, PutItemOp, UpdateItemOp};
use super::target::{KeyNames, Target};
use crate::error::{Error, Result};
use crate::expr::{Condition, ExpressionAttributes};
use crate::{AttributeValue, Item};

/// What a write does.
#[derive(Debug)]
pub(crate) enum Action {
    Put { item: Item },
    Update { key: Item, expression: String },
    Delete { key: Item },
    Check { key: Item },
}

/// How to read a failed condition of a write.
#[derive(Debug, Clone, Default)]
pub(crate) struct FailureRule {
    /// The version attribute and the version the write expected stored.
    pub(crate) version: Option<(Cow<'static, str>, u64)>,
    /// The write needs the item to exist: no item is [`Error::NotFound`].
    pub(crate) must_exist: bool,
}

/// A planned write.
#[derive(Debug)]
pub(crate) struct Write {
    pub(crate) action: Action,
    pub(crate) condition: Option<String>,
    pub(crate) names: Option<HashMap<String, String>>,
    pub(crate) values: Option<HashMap<String, AttributeValue>>,
    pub(crate) failure: FailureRule,
    /// What the write asks back (`ReturnValues`), `None` for nothing.
    pub(crate) return_values: Option<ReturnValue>,
}

/// What the caller's builder adds to a write request.
pub(crate) struct WriteOptions {
    pub(crate) capacity: Option<ReturnConsumedCapacity>,
    pub(crate) customize: CustomizeWrite,
}

/// A `.customize()` of a write, typed by the request the builder sends.
pub(crate) enum CustomizeWrite {
    None,
    Put(Customize<call::PutItemBuilder>),
    Update(Customize<call::UpdateItemBuilder>),
    Delete(Customize<call::DeleteItemBuilder>),
}

/// One action of a transaction, planned by its builder: the write, where it
/// goes, and what to do once the transaction committed (give a `&mut` item
/// its new version).
pub(crate) struct TransactAction<'a> {
    pub(crate) table: String,
    pub(crate) keys: KeyNames,
    pub(crate) write: Write,
    pub(crate) on_commit: Option<Box<dyn FnOnce() -> Result<()> + Send + 'a>>,
}

impl<'a> TransactAction<'a> {
    /// A write planned for `target`, as one action of a transaction.
    pub(crate) fn new(target: &Target, write: Write) -> Result<Self> {
        target.check()?;
        Ok(Self {
            table: target.name.clone(),
            keys: target.keys.clone(),
            write,
            on_commit: None,
        })
    }
}

/// What a sent write returned.
#[derive(Debug, Default)]
pub(crate) struct WriteAnswer {
    /// The attributes asked for with `ReturnValues`.
    pub(crate) attributes: Option<Item>,
    pub(crate) request_id: Option<String>,
    pub(crate) capacity: Vec<ConsumedCapacity>,
}

/// The key attributes of a whole item.
pub(crate) fn key_of(item: &Item, keys: &KeyNames) -> Item {
    keys.iter()
        .filter_map(|name| item.get(name).map(|v| (name.to_owned(), v.clone())))
        .collect()
}

pub(crate) fn number(n: u64) -> AttributeValue {
    AttributeValue::N(itoa::Buffer::new().format(n).to_owned())
}

/// Builds the condition of a write into `attrs`: the caller's condition AND
/// the rules' own clauses.
pub(crate) struct ConditionBuilder<'a> {
    attrs: &'a mut ExpressionAttributes,
    clauses: Vec<String>,
}

impl<'a> ConditionBuilder<'a> {
    pub(crate) fn new(attrs: &'a mut ExpressionAttributes) -> Self {
        Self {
            attrs,
            clauses: Vec::new(),
        }
    }

    pub(crate) fn user(&mut self, condition: Option<&Condition>) -> Result<()> {
        if let Some(c) = condition {
            let rendered = c.render(self.attrs)?;
            self.clauses.push(rendered);
        }
        Ok(())
    }

    pub(crate) fn exists(&mut self, name: &str) {
        let n = self.attrs.name(name);
        self.clauses.push(format!("attribute_exists({n})"));
    }

    pub(crate) fn not_exists(&mut self, name: &str) {
        let n = self.attrs.name(name);
        self.clauses.push(format!("attribute_not_exists({n})"));
    }

    pub(crate) fn equals(&mut self, name: &str, value: AttributeValue) {
        let n = self.attrs.name(name);
        let v = self.attrs.value(value);
        self.clauses.push(format!("{n} = {v}"));
    }

    /// The version check: `version = v`, or for 0 an item without a version.
    pub(crate) fn version(&mut self, attribute: &str, expected: u64) {
        if expected == 0 {
            self.not_exists(attribute);
        } else {
            self.equals(attribute, number(expected));
        }
    }

    /// Adds the version check when there is one, and says how a failure of
    /// the finished condition is explained.
    pub(crate) fn version_rule(
        &mut self,
        version: Option<(String, u64)>,
        must_exist: bool,
    ) -> FailureRule {
        if let Some((attribute, v)) = &version {
            self.version(attribute, *v);
        }
        FailureRule {
            version: version.map(|(a, v)| (a.into(), v)),
            must_exist,
        }
    }

    /// `a AND b AND c`, each parenthesized when there are several.
    pub(crate) fn finish(self) -> Option<String> {
        match self.clauses.len() {
            0 => None,
            1 => self.clauses.into_iter().next(),
            _ => Some(
                self.clauses
                    .iter()
                    .map(|c| format!("({c})"))
                    .collect::<Vec<_>>()
                    .join(" AND "),
            ),
        }
    }
}

impl Write {
    /// A write from its action and the expression attributes its condition
    /// (and update) used.
    pub(crate) fn new(
        action: Action,
        condition: Option<String>,
        attrs: ExpressionAttributes,
        failure: FailureRule,
    ) -> Self {
        let (names, values) = attrs.into_parts();
        Self {
            action,
            condition,
            names,
            values,
            failure,
            return_values: None,
        }
    }

    fn on_failure(&self) -> Option<ReturnValuesOnConditionCheckFailure> {
        self.condition
            .as_ref()
            .map(|_| ReturnValuesOnConditionCheckFailure::AllOld)
    }

    /// The key of the item the write acts on.
    pub(crate) fn key(&self, keys: &KeyNames) -> Item {
        match &self.action {
            Action::Put { item } => key_of(item, keys),
            Action::Update { key, .. } | Action::Delete { key } | Action::Check { key } => {
                key.clone()
            }
        }
    }

    /// This write as one action of a transaction.
    pub(crate) fn into_transact_item(self, table: &str) -> Result<TransactWriteItem> {
        let on_failure = self.on_failure();
        // The four actions share every parameter but their action.
        macro_rules! action {
            ($builder:expr) => {
                $builder
                    .table_name(table)
                    .set_condition_expression(self.condition)
                    .set_expression_attribute_names(self.names)
                    .set_expression_attribute_values(self.values)
                    .set_return_values_on_condition_check_failure(on_failure)
                    .build()
                    .map_err(build_error)?
            };
        }
        let item = TransactWriteItem::builder();
        let item = match self.action {
            Action::Put { item: put } => item.put(action!(Put::builder().set_item(Some(put)))),
            Action::Update { key, expression } => item.update(action!(
                SdkUpdate::builder()
                    .set_key(Some(key))
                    .update_expression(expression)
            )),
            Action::Delete { key } => item.delete(action!(Delete::builder().set_key(Some(key)))),
            Action::Check { key } => {
                if self.condition.is_none() {
                    return Err(Error::Validation(
                        "a condition check needs a condition".into(),
                    ));
                }
                item.condition_check(action!(ConditionCheck::builder().set_key(Some(key))))
            }
        };
        Ok(item.build())
    }
}

pub(crate) fn build_error(e: aws_sdk_dynamodb::error::BuildError) -> Error {
    Error::Validation(e.to_string())
}

/// Sends a write as a single request; a failed condition is resolved by the
/// write's [`FailureRule`].
pub(crate) async fn execute(
    target: &Target,
    write: Write,
    options: WriteOptions,
) -> Result<WriteAnswer> {
    target.check()?;
    let asked_failure_item = write.condition.is_some();
    // The key is kept only where a failed condition may need the item read
    // back; an unconditional write copies nothing.
    let key = asked_failure_item.then(|| write.key(&target.keys));
    let failure = write.failure.clone();
    let on_failure = write.on_failure();
    let client = &target.client;
    let table = target.name.as_str();
    // The three single-item writes share every parameter but their action;
    // one definition sends them all.
    macro_rules! send_write {
        ($op:ty, $variant:ident, $customize:expr, $request:expr) => {{
            let builder = $request
                .table_name(table)
                .set_condition_expression(write.condition)
                .set_expression_attribute_names(write.names)
                .set_expression_attribute_values(write.values)
                .set_return_values(write.return_values)
                .set_return_values_on_condition_check_failure(on_failure)
                .set_return_consumed_capacity(options.capacity);
            let customize = match &$customize {
                CustomizeWrite::$variant(f) => Some(f),
                _ => None,
            };
            call::send::<$op>(
                call::request_span::<$op>(table),
                builder,
                customize,
                Some(table),
            )
            .await
            .map(|a| WriteAnswer {
                attributes: a.output.attributes.filter(|i| !i.is_empty()),
                request_id: a.request_id,
                capacity: a.capacity,
            })
        }};
    }
    let result = match (write.action, options.customize) {
        (Action::Put { item }, customize @ (CustomizeWrite::None | CustomizeWrite::Put(_))) => {
            send_write!(
                PutItemOp,
                Put,
                customize,
                client.put_item().set_item(Some(item))
            )
        }
        (
            Action::Update { key, expression },
            customize @ (CustomizeWrite::None | CustomizeWrite::Update(_)),
        ) => send_write!(
            UpdateItemOp,
            Update,
            customize,
            client
                .update_item()
                .set_key(Some(key))
                .update_expression(expression)
        ),
        (
            Action::Delete { key },
            customize @ (CustomizeWrite::None | CustomizeWrite::Delete(_)),
        ) => send_write!(
            DeleteItemOp,
            Delete,
            customize,
            client.delete_item().set_key(Some(key))
        ),
        (Action::Check { .. }, _) => Err(Error::Validation(
            "a condition check is only sent inside a transaction".into(),
        )),
        (Action::Update { .. }, _) => Err(Error::Validation(
            "customize() was given a PutItem request, but this write is sent as UpdateItem \
             (an overwrite of a versioned item increments the stored version)"
                .into(),
        )),
        (_, _) => Err(Error::Validation(
            "customize() was given a request of another operation".into(),
        )),
    };
    match result {
        Err(Error::ConditionFailed { item }) => {
            let stored = match item {
                Some(item) => Some(*item),
                // Some implementations of the API ignore
                // ReturnValuesOnConditionCheckFailure: read the item instead
                // of guessing what failed.
                None => match key {
                    Some(key) => read_consistent(target, key).await?,
                    None => None,
                },
            };
            Err(resolve_failure(&failure, stored))
        }
        other => other,
    }
}

/// The stored item, read consistently.
pub(crate) async fn read_consistent(target: &Target, key: Item) -> Result<Option<Item>> {
    let table = target.name.as_str();
    let builder = target
        .client
        .get_item()
        .table_name(table)
        .set_key(Some(key))
        .consistent_read(true);
    let answer = call::send::<GetItemOp>(
        call::request_span::<GetItemOp>(table),
        builder,
        None,
        Some(table),
    )
    .await?;
    Ok(answer.output.item.filter(|i| !i.is_empty()))
}

/// The version stored in an item: missing (or NULL) is 0; `None` when the
/// attribute holds something that is not a version.
pub(crate) fn stored_version(item: &Item, attribute: &str) -> Option<u64> {
    match item.get(attribute) {
        None | Some(AttributeValue::Null(_)) => Some(0),
        Some(AttributeValue::N(n)) => n.parse().ok(),
        Some(_) => None,
    }
}

/// What a failed condition means, from the stored item.
pub(crate) fn resolve_failure(rule: &FailureRule, stored: Option<Item>) -> Error {
    match (&rule.version, stored) {
        (Some((attribute, expected)), Some(item)) => {
            if stored_version(&item, attribute) == Some(*expected) {
                Error::ConditionFailed {
                    item: Some(Box::new(item)),
                }
            } else {
                Error::VersionConflict {
                    expected: *expected,
                    current: Some(Box::new(item)),
                }
            }
        }
        (Some((_, expected)), None) if *expected > 0 => Error::VersionConflict {
            expected: *expected,
            current: None,
        },
        (_, None) if rule.must_exist => Error::NotFound,
        (_, item) => Error::ConditionFailed {
            item: item.map(Box::new),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(version: Option<&str>) -> Item {
        let mut i = Item::new();
        i.insert("id".into(), AttributeValue::S("a".into()));
        if let Some(v) = version {
            i.insert("v".into(), AttributeValue::N(v.into()));
        }
        i
    }

    fn rule(expected: Option<u64>, must_exist: bool) -> FailureRule {
        FailureRule {
            version: expected.map(|e| (Cow::Borrowed("v"), e)),
            must_exist,
        }
    }

    #[test]
    fn failures_are_resolved_from_the_stored_item() {
        assert!(matches!(
            resolve_failure(&rule(Some(3), false), Some(item(Some("4")))),
            Error::VersionConflict {
                expected: 3,
                current: Some(_)
            }
        ));
        assert!(matches!(
            resolve_failure(&rule(Some(3), false), Some(item(Some("3")))),
            Error::ConditionFailed { item: Some(_) }
        ));
        // An item written without a version is at version 0.
        assert!(matches!(
            resolve_failure(&rule(Some(0), false), Some(item(None))),
            Error::ConditionFailed { item: Some(_) }
        ));
        assert!(matches!(
            resolve_failure(&rule(Some(0), false), Some(item(Some("1")))),
            Error::VersionConflict { expected: 0, .. }
        ));
        assert!(matches!(
            resolve_failure(&rule(Some(2), true), None),
            Error::VersionConflict {
                expected: 2,
                current: None
            }
        ));
        assert!(matches!(
            resolve_failure(&rule(Some(0), true), None),
            Error::NotFound
        ));
        assert!(matches!(
            resolve_failure(&rule(None, true), None),
            Error::NotFound
        ));
        assert!(matches!(
            resolve_failure(&rule(None, false), None),
            Error::ConditionFailed { item: None }
        ));
        // Not a version at all: a conflict, never read as a match.
        assert!(matches!(
            resolve_failure(&rule(Some(1), false), Some(item(Some("1.5")))),
            Error::VersionConflict { .. }
        ));
    }

    #[test]
    fn conditions_are_joined_with_placeholders() {
        let mut attrs = ExpressionAttributes::new();
        let mut c = ConditionBuilder::new(&mut attrs);
        c.version("version", 0);
        assert_eq!(c.finish().as_deref(), Some("attribute_not_exists(#n0)"));
        let mut attrs = ExpressionAttributes::new();
        let mut c = ConditionBuilder::new(&mut attrs);
        c.exists("id");
        c.version("version", 7);
        assert_eq!(
            c.finish().as_deref(),
            Some("(attribute_exists(#n0)) AND (#n1 = :v0)")
        );
    }
}
