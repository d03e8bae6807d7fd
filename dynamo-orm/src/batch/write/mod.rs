//! [`BatchWriter`] and [`MultiBatchWriter`]: buffered `BatchWriteItem` puts and
//! deletes, 25 per request, several requests in flight, unprocessed items and
//! failed requests resent with backoff, and whatever still fails handed back.
//!
//! - `engine`: the buffer, folding, requests in flight, giving up as a whole,
//!   and finishing a dropped writer;
//! - `send`: one request and its resends;
//! - `report`: the totals and the typed view of handed-back writes.

mod engine;
mod report;
mod send;

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;

use engine::{Engine, Settings};
use report::ProgressFn;
pub use report::{Progress, WriteOp};

use crate::Item;
use crate::error::{BatchSummary, Error, Result};
use crate::op::model::Model;
use crate::op::retry::RetryPolicy;
use crate::op::target::no_retry_client;
use crate::table::Table;

macro_rules! settings {
    ($writer:literal) => {
        /// Requests kept in flight at most (default 4; 0 counts as 1). A `put`
        /// or `delete` that fills a request waits for a free slot.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ".concurrency(16);")]
        /// # }
        /// ```
        #[must_use]
        pub fn concurrency(mut self, requests: usize) -> Self {
            self.engine.concurrency = requests.max(1);
            self
        }

        /// How throttled requests and unprocessed items are resent.
        ///
        /// ```no_run
        /// # use std::time::Duration;
        /// # use dynamo_orm::{DynamoItem, Table, batch::{MultiBatchWriter, RetryPolicy}};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ".retry_policy(RetryPolicy::patient(Duration::from_secs(120)));")]
        /// # }
        /// ```
        #[must_use]
        pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
            self.engine.settings(|s| s.policy = policy);
            self
        }

        /// Asks DynamoDB to report the capacity each request consumes (in
        /// the summary and on spans), overriding the table's setting.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ".return_consumed_capacity(ReturnConsumedCapacity::Total);")]
        /// # }
        /// ```
        #[must_use]
        pub fn return_consumed_capacity(mut self, capacity: ReturnConsumedCapacity) -> Self {
            self.engine.settings(|s| s.capacity = Some(capacity));
            self
        }

        /// Allows puts and deletes of versioned items (see the type's
        /// documentation): they are written without the version check, and
        /// puts store the item's version plus one.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ".unversioned_writes();")]
        /// # }
        /// ```
        #[must_use]
        pub fn unversioned_writes(mut self) -> Self {
            self.engine.unversioned = true;
            self
        }

        /// Calls `f` with the running totals after each response (from the
        /// request tasks, so it must be quick and `Send + Sync`).
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ".on_progress(|p| eprintln!(\"{} written\", p.items_written));")]
        /// # }
        /// ```
        #[must_use]
        pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
            let f: Arc<ProgressFn> = Arc::new(f);
            self.engine.settings(|s| s.on_progress = Some(f));
            self
        }

        /// A counter of the writes DynamoDB took so far, to read from another
        /// task (a progress bar).
        ///
        /// ```no_run
        /// # use std::sync::atomic::Ordering;
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ";")]
        /// let written = writer.progress();
        /// tokio::spawn(async move {
        ///     loop {
        ///         eprintln!("{} written", written.load(Ordering::Relaxed));
        ///         tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        ///     }
        /// });
        /// # }
        /// ```
        pub fn progress(&self) -> Arc<AtomicU64> {
            self.engine.shared.stats.items_written.clone()
        }

        /// The totals so far.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ";")]
        /// assert_eq!(writer.summary().requests_sent, 0);
        /// # }
        /// ```
        pub fn summary(&self) -> BatchSummary {
            self.engine.summary()
        }

        /// Writes buffered and not yet sent.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) {
        #[doc = concat!("let writer = ", $writer, ";")]
        /// assert_eq!(writer.buffered(), 0);
        /// # }
        /// ```
        pub fn buffered(&self) -> usize {
            self.engine.buffered()
        }

        /// Sends everything buffered and waits until every write so far is
        /// done. The writer stays usable.
        ///
        /// # Errors
        /// [`Error::BatchWriteIncomplete`] with every write given up on since
        /// the last flush (each is handed back once), the totals, and the
        /// first request error if there was one.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # async fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
        #[doc = concat!("let mut writer = ", $writer, ";")]
        /// // ... puts and deletes ...
        /// let so_far = writer.flush().await?;
        /// # Ok(()) }
        /// ```
        pub async fn flush(&mut self) -> Result<BatchSummary> {
            self.engine.flush().await
        }

        /// [`flush`](Self::flush) and consume the writer.
        ///
        /// ```no_run
        /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
        /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
        /// # struct User { #[dynamo(hash_key)] username: String }
        /// # async fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
        #[doc = concat!("let mut writer = ", $writer, ";")]
        /// // ... puts and deletes ...
        /// let summary = writer.finish().await?;
        /// println!("{} written in {} requests", summary.items_written, summary.requests_sent);
        /// # Ok(()) }
        /// ```
        pub async fn finish(mut self) -> Result<BatchSummary> {
            self.engine.flush().await
        }
    };
}

/// Writes many items of one table with `BatchWriteItem`: made by
/// [`Table::batch_writer`], or used through [`Table::batch_write`], which
/// cannot forget to finish.
///
/// * Puts and deletes are buffered and sent 25 per request; two writes of
///   one key before it is sent are folded into one, the later winning
///   (DynamoDB refuses a request that names a key twice), and a write of a
///   key that is in a request still in flight waits for that request, so a
///   later write is never overtaken by an earlier one.
/// * Up to [`concurrency`](Self::concurrency) requests are in flight (4 by
///   default); `put` and `delete` wait for a free slot when they fill a request.
/// * Unprocessed items, throttling, server errors and requests without an
///   answer are resent with exponential backoff and full jitter, as the
///   [`RetryPolicy`] allows (by default about 8 s on average and 20 s at
///   most per request; widen it with [`RetryPolicy::patient`]). The SDK
///   client's own retries are off for these requests, so that attempts are
///   not multiplied.
/// * When a request gives up (its retries ran out, or an error that
///   resending cannot fix: a missing table, a refused request), the writer
///   stops as a whole: nothing more is sent, and every write not made is
///   handed back, by the next `put`/`delete` or by [`flush`](Self::flush) /
///   [`finish`](Self::finish), in [`Error::BatchWriteIncomplete`] as
///   [`UnprocessedWrite`](crate::batch::UnprocessedWrite)s that decode back
///   into `T` or `T::Key`. Each write is handed back once. A write handed back
///   after a request that got no answer may in fact be stored: the summary
///   counts such requests (`requests_unanswered`).
/// * Items over 400 KB, missing or empty keys and values that cannot be
///   stored are refused by `put`/`delete` before anything is sent; the
///   writer stays usable.
/// * A writer dropped with writes not confirmed finishes them in the
///   background on the running Tokio runtime and logs (`tracing::error!`)
///   any it could not write; prefer [`finish`](Self::finish) or
///   [`Table::batch_write`], which report.
/// * The requests run inside one `dynamodb.batch` span, each in its own
///   `dynamodb.request` span (see the crate's tracing documentation).
///
/// # Versioned items
///
/// A `BatchWriteItem` request cannot carry conditions or update expressions,
/// so it can neither check nor increment a stored version. For a table with a
/// version attribute, `put` and `delete` are therefore refused with
/// [`Error::Validation`] unless the writer was built with
/// [`unversioned_writes`](Self::unversioned_writes). With it, the write is
/// made without the check and a put stores the item's own version plus one:
/// unlike a single put, the stored version can then stay the same or go
/// back (when the stored item was newer), so use it for bulk loads, not to
/// update items other clients change. The caller's value is not changed.
///
/// ```no_run
/// use dynamo_orm::{DynamoItem, Table};
///
/// #[derive(DynamoItem)]
/// #[dynamo(table = "users")]
/// struct User {
///     #[dynamo(hash_key)]
///     username: String,
///     visits: u32,
/// }
///
/// # async fn demo(client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
/// let users: Table<User> = Table::new(client);
/// let summary = users
///     .batch_writer()
///     .concurrency(8)
///     .run(async |writer| {
///         for i in 0..1000 {
///             writer.put(&User { username: format!("user{i}"), visits: 0 }).await?;
///         }
///         writer.delete(User::key("user7")).await
///     })
///     .await?;
/// println!("{} writes in {} requests", summary.items_written, summary.requests_sent);
/// # Ok(()) }
/// ```
pub struct BatchWriter<T: Model> {
    table: Table<T>,
    engine: Engine,
}

impl<T: Model> fmt::Debug for BatchWriter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchWriter")
            .field("table", &self.table.name())
            .field("buffered", &self.engine.buffered())
            .field("in_flight", &self.engine.in_flight())
            .finish_non_exhaustive()
    }
}

impl<T: Model> Table<T> {
    /// Runs `f` with a [`BatchWriter`] of this table and finishes it:
    /// everything `f` buffered is written (or handed back in the error) before
    /// this returns, even when `f` fails.
    ///
    /// Returns the writer's summary; when `f` returns an error, that error
    /// (after the buffered writes were finished), or
    /// [`Error::BatchWriteIncomplete`] carrying it as its source when some
    /// writes could not be made.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>, all: Vec<User>) -> dynamo_orm::Result<()> {
    /// let summary = users
    ///     .batch_write(async |writer| {
    ///         for user in &all {
    ///             writer.put(user).await?;
    ///         }
    ///         Ok(())
    ///     })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn batch_write<F>(&self, f: F) -> Result<BatchSummary>
    where
        F: AsyncFnOnce(&mut BatchWriter<T>) -> Result<()>,
    {
        self.batch_writer().run(f).await
    }

    /// A [`BatchWriter`] for this table.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let mut writer = users.batch_writer();
    /// writer.put(&User { username: "john".into() }).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub fn batch_writer(&self) -> BatchWriter<T> {
        BatchWriter::new(self)
    }
}

impl<T: Model> BatchWriter<T> {
    /// A writer for `table`, using its client; the same as [`Table::batch_writer`].
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, batch::BatchWriter};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # fn demo(users: Table<User>) {
    /// let writer = BatchWriter::new(&users);
    /// # }
    /// ```
    pub fn new(table: &Table<T>) -> Self {
        let target = &table.target;
        Self {
            table: table.clone(),
            engine: Engine::new(Settings {
                client: target.batch_client().clone(),
                policy: RetryPolicy::default(),
                capacity: target.capacity.clone(),
                on_progress: None,
            }),
        }
    }

    /// Runs `f` with this writer and finishes it, as [`Table::batch_write`]
    /// does, with this writer's settings.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let summary = users
    ///     .batch_writer()
    ///     .concurrency(16)
    ///     .run(async |w| w.put(&User { username: "john".into() }).await)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn run<F>(mut self, f: F) -> Result<BatchSummary>
    where
        F: AsyncFnOnce(&mut BatchWriter<T>) -> Result<()>,
    {
        let result = f(&mut self).await;
        let finished = self.engine.flush().await;
        finish_with(result, finished)
    }

    /// A writer for several tables: see [`MultiBatchWriter`].
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, batch::BatchWriter};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # fn demo(client: aws_sdk_dynamodb::Client) {
    /// let writer = BatchWriter::<User>::multi(client);
    /// # }
    /// ```
    pub fn multi(client: Client) -> MultiBatchWriter {
        MultiBatchWriter::new(client)
    }

    /// The table written to.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # fn demo(users: Table<User>) {
    /// assert_eq!(users.batch_writer().table().name(), "users");
    /// # }
    /// ```
    pub fn table(&self) -> &Table<T> {
        &self.table
    }

    settings!("users.batch_writer()");

    /// Buffers a put of `item`, sending a request when 25 writes are
    /// buffered (waiting for a free slot if `concurrency` requests are in
    /// flight).
    ///
    /// # Errors
    /// Only about this item, and nothing is buffered then: [`Error::Encode`]
    /// for a value DynamoDB cannot store, [`Error::ItemTooLarge`] over 400 KB,
    /// [`Error::Validation`] for an empty key or a versioned item without
    /// [`unversioned_writes`](Self::unversioned_writes) (or when there is no
    /// Tokio runtime to send with). Failures of sending are reported by
    /// [`flush`](Self::flush) and [`finish`](Self::finish).
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let mut writer = users.batch_writer();
    /// writer.put(&User { username: "john".into() }).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub async fn put(&mut self, item: &T) -> Result<()> {
        let target = &self.table.target;
        target.check()?;
        let map = item.__encode()?;
        let version = item.__version(target.version.as_deref())?;
        self.engine
            .put(
                &target.name,
                &target.keys,
                target.version.as_deref(),
                map,
                version,
            )
            .await
    }

    /// Buffers a put of an item already in DynamoDB's form (a loader reading
    /// a dump, say). Checked like [`put`](Self::put); for a versioned table
    /// the version is read from the item's version attribute (absent is 0).
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, Item, AttributeValue};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let mut item = Item::new();
    /// item.insert("username".into(), AttributeValue::S("john".into()));
    /// let mut writer = users.batch_writer();
    /// writer.put_item(item).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub async fn put_item(&mut self, item: Item) -> Result<()> {
        let target = &self.table.target;
        target.check()?;
        self.engine
            .put(
                &target.name,
                &target.keys,
                target.version.as_deref(),
                item,
                None,
            )
            .await
    }

    /// Buffers a delete of `key` (by value or by reference). A put and a
    /// delete of one key before it is sent fold into the later one.
    ///
    /// # Errors
    /// As [`put`](Self::put), about this key only.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let mut writer = users.batch_writer();
    /// writer.delete(User::key("john")).await?;
    /// let key = User::key("jane");
    /// writer.delete(&key).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&mut self, key: impl Borrow<T::Key>) -> Result<()> {
        let target = &self.table.target;
        target.check()?;
        let key_item = T::__delete_key(key.borrow(), &target.keys)?;
        self.engine
            .delete(
                &target.name,
                &target.keys,
                target.version.as_deref(),
                key_item,
            )
            .await
    }
}

/// The result of a writer run by a closure: the closure's error wins unless
/// writes could not be made, which then carry it.
fn finish_with(result: Result<()>, finished: Result<BatchSummary>) -> Result<BatchSummary> {
    match (result, finished) {
        (Ok(()), finished) => finished,
        (Err(e), Ok(_)) => Err(e),
        (
            Err(e),
            Err(Error::BatchWriteIncomplete {
                unprocessed,
                summary,
                source: None,
            }),
        ) => Err(Error::BatchWriteIncomplete {
            unprocessed,
            summary,
            source: Some(Box::new(e)),
        }),
        (Err(_), Err(incomplete)) => Err(incomplete),
    }
}

/// A [`BatchWriter`] for several tables at once: one request may hold writes
/// for several tables. Behaves like [`BatchWriter`] in every other respect
/// (folding, concurrency, retries, versioned items, errors). Requests go
/// through the client given to [`new`](Self::new), whatever client the
/// tables were made with.
///
/// ```no_run
/// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
/// # #[derive(DynamoItem)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// # #[derive(DynamoItem)] #[dynamo(table = "orders")]
/// # struct Order { #[dynamo(hash_key)] id: u64, username: String }
/// # async fn demo(client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
/// let users: Table<User> = Table::new(client.clone());
/// let orders: Table<Order> = Table::new(client.clone());
/// let mut writer = MultiBatchWriter::new(client);
/// writer.put_to(&users, &User { username: "john".into() }).await?;
/// writer.put_to(&orders, &Order { id: 1, username: "john".into() }).await?;
/// writer.delete_from(&orders, Order::key(0)).await?;
/// writer.finish().await?;
/// # Ok(()) }
/// ```
pub struct MultiBatchWriter {
    engine: Engine,
}

impl fmt::Debug for MultiBatchWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultiBatchWriter")
            .field("buffered", &self.engine.buffered())
            .field("in_flight", &self.engine.in_flight())
            .finish_non_exhaustive()
    }
}

impl MultiBatchWriter {
    /// A writer sending through `client`.
    ///
    /// ```no_run
    /// # use dynamo_orm::batch::MultiBatchWriter;
    /// # fn demo(client: aws_sdk_dynamodb::Client) {
    /// let writer = MultiBatchWriter::new(client).concurrency(8);
    /// # }
    /// ```
    pub fn new(client: Client) -> Self {
        Self {
            engine: Engine::new(Settings {
                client: no_retry_client(&client),
                policy: RetryPolicy::default(),
                capacity: None,
                on_progress: None,
            }),
        }
    }

    settings!("MultiBatchWriter::new(client)");

    /// Runs `f` with this writer and finishes it (see [`Table::batch_write`]).
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// MultiBatchWriter::new(users.client().clone())
    ///     .run(async |w| w.put_to(&users, &User { username: "john".into() }).await)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn run<F>(mut self, f: F) -> Result<BatchSummary>
    where
        F: AsyncFnOnce(&mut MultiBatchWriter) -> Result<()>,
    {
        let result = f(&mut self).await;
        let finished = self.engine.flush().await;
        finish_with(result, finished)
    }

    /// Buffers a put of `item` into `table`. As [`BatchWriter::put`].
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
    /// let mut writer = MultiBatchWriter::new(client);
    /// writer.put_to(&users, &User { username: "john".into() }).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub async fn put_to<T: Model>(&mut self, table: &Table<T>, item: &T) -> Result<()> {
        let target = &table.target;
        target.check()?;
        let map = item.__encode()?;
        let version = item.__version(target.version.as_deref())?;
        self.engine
            .put(
                &target.name,
                &target.keys,
                target.version.as_deref(),
                map,
                version,
            )
            .await
    }

    /// Buffers a delete of `key` from `table`. As [`BatchWriter::delete`].
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, batch::MultiBatchWriter};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>, client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
    /// let mut writer = MultiBatchWriter::new(client);
    /// writer.delete_from(&users, User::key("john")).await?;
    /// writer.finish().await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_from<T: Model>(
        &mut self,
        table: &Table<T>,
        key: impl Borrow<T::Key>,
    ) -> Result<()> {
        let target = &table.target;
        target.check()?;
        let key_item = T::__delete_key(key.borrow(), &target.keys)?;
        self.engine
            .delete(
                &target.name,
                &target.keys,
                target.version.as_deref(),
                key_item,
            )
            .await
    }
}
