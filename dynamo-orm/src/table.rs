//! [`Table<T>`]: a handle on one DynamoDB table holding `T` items (a derived
//! type, or [`Document`](crate::Document) for tables without a Rust schema).

use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::Arc;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;

use crate::op::target::{KeyNames, Target};
use crate::schema::{DynamoItem, TableDef};

/// A typed handle on a table holding `T` items. Cheap to clone.
///
/// Every operation is a builder: set its options, then `.await` it (or
/// `.with_output().await` for the consumed capacity and request id).
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
///
/// A name DynamoDB would refuse (`"a b"`, fewer than 3 or more than 255
/// characters, characters other than `A-Z a-z 0-9 _ - .`) is checked once,
/// when the handle is made or renamed: every operation on it then fails with
/// [`Error::Validation`](crate::Error::Validation) before anything is sent.
pub struct Table<T> {
    pub(crate) target: Arc<Target>,
    _item: PhantomData<fn() -> T>,
}

impl<T> Clone for Table<T> {
    fn clone(&self) -> Self {
        Self {
            target: self.target.clone(),
            _item: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.target.name)
            .field("keys", &self.target.keys)
            .finish_non_exhaustive()
    }
}

impl<T> Table<T> {
    pub(crate) fn from_target(target: Target) -> Self {
        Self {
            target: Arc::new(target),
            _item: PhantomData,
        }
    }

    /// The table name requests use.
    pub fn name(&self) -> &str {
        &self.target.name
    }

    /// The SDK client.
    pub fn client(&self) -> &Client {
        &self.target.client
    }

    /// The key attribute names.
    pub fn key_names(&self) -> &KeyNames {
        &self.target.keys
    }

    /// The optimistic-locking version attribute, when the table has one.
    pub fn version_attribute(&self) -> Option<&str> {
        self.target.version.as_deref()
    }

    /// The same table under another name (checked like any table name).
    ///
    /// ```
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # fn client() -> aws_sdk_dynamodb::Client {
    /// #     let conf = aws_sdk_dynamodb::Config::builder().behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest()).build();
    /// #     aws_sdk_dynamodb::Client::from_conf(conf)
    /// # }
    /// let users: Table<User> = Table::new(client());
    /// assert!(users.with_name("users_2024").check_name().is_ok());
    /// assert!(users.with_name("a b").check_name().is_err());
    /// ```
    #[must_use]
    pub fn with_name(&self, name: impl Into<String>) -> Self {
        Self::from_target(self.target.renamed(name.into()))
    }

    /// The same table with an environment prefix (`dev_` + `users`).
    #[must_use]
    pub fn with_prefix(&self, prefix: &str) -> Self {
        self.with_name(format!("{prefix}{}", self.target.name))
    }

    /// Whether DynamoDB accepts the table's name; the reason when not.
    pub fn check_name(&self) -> crate::Result<()> {
        self.target.check()
    }

    /// The same table asking DynamoDB, on every request, to report the
    /// capacity it consumes (reported on outputs, pages, batch summaries
    /// and spans). By default it is not asked for, which keeps requests as
    /// small and fast as a hand-written program's.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # fn demo(users: Table<User>) {
    /// let metered = users.return_consumed_capacity(ReturnConsumedCapacity::Total);
    /// # }
    /// ```
    #[must_use]
    pub fn return_consumed_capacity(&self, capacity: ReturnConsumedCapacity) -> Self {
        let mut target = (*self.target).clone();
        target.capacity = Some(capacity);
        Self::from_target(target)
    }
}

impl Table<crate::Document> {
    /// A document handle on a table declared with `#[derive(DynamoTable)]`:
    /// its name, keys, indexes and billing come from the declaration, so
    /// [`create`](Self::create), [`verify_schema`](Self::verify_schema) and
    /// queries of an index by name work on it.
    ///
    /// ```no_run
    /// # use dynamo_orm::{Document, DynamoTable, Table};
    /// #[derive(DynamoTable)]
    /// #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk))]
    /// struct App {
    ///     #[dynamo(hash_key)]
    ///     pk: String,
    ///     gsi1pk: String,
    /// }
    /// # async fn demo(client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
    /// let app = Table::<Document>::for_table::<App>(client);
    /// app.create_if_not_exists().await?;
    /// let placed: Vec<Document> = app.query("STATUS#placed").index("Gsi1").await?;
    /// # Ok(()) }
    /// ```
    pub fn for_table<D: TableDef>(client: Client) -> Self {
        Self::from_target(Target::from_schema(client, const { &D::SCHEMA }))
    }

    /// The same table with another optimistic-locking version attribute
    /// (the attribute versioned writes check and bump).
    #[must_use]
    pub fn with_version_attribute(&self, attribute: impl Into<String>) -> Self {
        let mut target = (*self.target).clone();
        target.version = Some(Cow::Owned(attribute.into()));
        Self::from_target(target)
    }
}

impl<T: DynamoItem> Table<T> {
    /// The table of `T`, named by `#[dynamo(table = "...")]`.
    pub fn new(client: Client) -> Self {
        Self::from_target(Target::from_schema(client, const { &T::SCHEMA }))
    }
}
