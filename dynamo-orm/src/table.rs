//! [`Table<T>`]: a typed handle on one DynamoDB table.

use std::marker::PhantomData;
use std::sync::Arc;

use aws_sdk_dynamodb::Client;

use crate::schema::DynamoItem;

/// A typed handle on a table holding `T` items. Cheap to clone.
///
/// ```no_run
/// # use dynamo_orm::{DynamoItem, Table};
/// # #[derive(DynamoItem)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// # fn demo(client: aws_sdk_dynamodb::Client) {
/// let users: Table<User> = Table::new(client.clone());               // "users"
/// let dev_users: Table<User> = Table::new(client).with_prefix("dev_"); // "dev_users"
/// assert_eq!(dev_users.name(), "dev_users");
/// # }
/// ```
pub struct Table<T> {
    pub(crate) inner: Arc<TableInner>,
    _item: PhantomData<fn() -> T>,
}

#[derive(Debug)]
pub(crate) struct TableInner {
    pub(crate) client: Client,
    pub(crate) name: String,
    pub(crate) keys: KeyNames,
}

/// The stored names of a table's key attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyNames {
    /// The partition key.
    pub hash: String,
    /// The sort key.
    pub range: Option<String>,
}

impl<T> Clone for Table<T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            _item: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.inner.name)
            .finish()
    }
}

impl<T> Table<T> {
    pub(crate) fn from_parts(client: Client, name: String, keys: KeyNames) -> Self {
        Self {
            inner: Arc::new(TableInner { client, name, keys }),
            _item: PhantomData,
        }
    }

    /// The table name requests use.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The SDK client.
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    /// The key attribute names.
    pub fn key_names(&self) -> &KeyNames {
        &self.inner.keys
    }

    /// The same table under another name.
    #[must_use]
    pub fn with_name(&self, name: impl Into<String>) -> Self {
        Self::from_parts(
            self.inner.client.clone(),
            name.into(),
            self.inner.keys.clone(),
        )
    }

    /// The same table with an environment prefix (`dev_` + `users`).
    #[must_use]
    pub fn with_prefix(&self, prefix: &str) -> Self {
        self.with_name(format!("{prefix}{}", self.inner.name))
    }
}

impl<T: DynamoItem> Table<T> {
    /// The table of `T`, named by `#[dynamo(table = "...")]`.
    pub fn new(client: Client) -> Self {
        let schema = T::SCHEMA;
        Self::from_parts(
            client,
            schema.table_name.to_owned(),
            KeyNames {
                hash: schema.hash_key.name.to_owned(),
                range: schema.range_key.map(|k| k.name.to_owned()),
            },
        )
    }
}
