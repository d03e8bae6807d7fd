//! [`Table::modify`]: the read-modify-write loop on the version rules.
//!
//! The rules themselves (what each write checks and stores) are the
//! operation core's, one table for every write path: see
//! [`op::write`](crate::op::write).

use std::time::Duration;

use crate::error::{Error, Result};
use crate::op::model::Model;
use crate::op::output::{BoxFuture, Executable, Output};
use crate::op::retry::backoff_delay;
use crate::table::Table;

/// The read-modify-write loop; see [`Table::modify`].
#[must_use = "a request does nothing until it is awaited"]
pub struct Modify<'a, T: Model, F> {
    table: &'a Table<T>,
    key: T::Key,
    change: F,
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    version_check: bool,
}

impl<T: Model> Table<T> {
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

impl<'a, T: Model, F: FnMut(&mut T) + Send + 'a> Modify<'a, T, F> {
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

    /// Runs the loop (the same as `.await`).
    #[deprecated(note = "`.await` the builder")]
    pub async fn send(self) -> Result<T> {
        self.run().await
    }

    async fn run(mut self) -> Result<T> {
        if self.table.target.version.is_none() && self.version_check {
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
                .await?
                .ok_or(Error::NotFound)?;
            (self.change)(&mut item);
            let mut put = self.table.put(&mut item);
            if !self.version_check {
                put = put.overwrite();
            }
            match put.await {
                Ok(_) => return Ok(item),
                Err(Error::VersionConflict { .. }) if attempt + 1 < self.max_attempts => {
                    attempt += 1;
                    let delay = backoff_delay(attempt, self.base_delay, self.max_delay);
                    tracing::debug!(attempt, ?delay, "version conflict, retrying");
                    tokio::time::sleep(delay).await;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl<'a, T: Model, F: FnMut(&mut T) + Send + 'a> Executable<'a> for Modify<'a, T, F> {
    type Value = T;
    fn execute(self) -> BoxFuture<'a, Result<Output<T>>> {
        Box::pin(async move { self.run().await.map(Output::new) })
    }
}
crate::op::output::into_future!(Modify<'a, T, F> where T: Model, F: FnMut(&mut T) + Send + 'a);
