//! The machinery both writers share: the buffer with folding of same-key
//! writes, the requests in flight (a later write of a key never overtakes an
//! earlier one), giving up as a whole, and what happens when a writer is
//! dropped with writes not confirmed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, ReturnConsumedCapacity, WriteRequest};
use tokio::task::{Id as TaskId, JoinError, JoinSet};
use tracing::Instrument;

use super::report::{ProgressFn, Stats};
use super::send::{Outcome, Requests, Shared, send_batch};
use crate::Item;
use crate::error::{BatchSummary, Error, Result, UnprocessedWrite};
use crate::limits::{MAX_BATCH_WRITE, check_item_size};
use crate::op::identity::{KeyId, key_id};
use crate::op::retry::RetryPolicy;
use crate::op::target::KeyNames;
use crate::op::write::{build_error, number, stored_version};

/// Requests a writer keeps in flight unless told otherwise.
pub(super) const DEFAULT_CONCURRENCY: usize = 4;

/// The settings a writer is built with (before the first write).
#[derive(Clone)]
pub(super) struct Settings {
    pub(super) client: Client,
    pub(super) policy: RetryPolicy,
    pub(super) capacity: Option<ReturnConsumedCapacity>,
    pub(super) on_progress: Option<Arc<ProgressFn>>,
}

struct Buffered {
    table: Arc<str>,
    key: KeyId,
    request: WriteRequest,
}

/// Buffer, folding and requests in flight.
pub(super) struct Engine {
    pub(super) shared: Arc<Shared>,
    pub(super) concurrency: usize,
    pub(super) unversioned: bool,
    /// The tables written to, for the writer's span.
    tables: Vec<Arc<str>>,
    span: Option<tracing::Span>,
    buffer: Vec<Buffered>,
    positions: HashMap<KeyId, usize>,
    in_flight: JoinSet<Outcome>,
    in_flight_writes: HashMap<TaskId, Vec<KeyId>>,
    in_flight_keys: HashSet<KeyId>,
    failed: Vec<UnprocessedWrite>,
    first_error: Option<Error>,
    // Errors after the first are only counted: the first one explains the rest.
    other_errors: u64,
    /// The engine finishing a dropped writer: if it is dropped in turn (its
    /// runtime shut down), it logs instead of trying again.
    orphan: bool,
}

impl Engine {
    pub(super) fn new(settings: Settings) -> Self {
        Self {
            shared: Arc::new(Shared::new(
                settings.client,
                settings.policy,
                settings.capacity,
                settings.on_progress,
            )),
            concurrency: DEFAULT_CONCURRENCY,
            unversioned: false,
            tables: Vec::new(),
            span: None,
            buffer: Vec::with_capacity(MAX_BATCH_WRITE),
            positions: HashMap::with_capacity(MAX_BATCH_WRITE),
            in_flight: JoinSet::new(),
            in_flight_writes: HashMap::new(),
            in_flight_keys: HashSet::new(),
            failed: Vec::new(),
            first_error: None,
            other_errors: 0,
            orphan: false,
        }
    }

    /// Changes a setting; only before the first write (tasks hold the shared state).
    pub(super) fn settings(&mut self, f: impl FnOnce(&mut Settings)) {
        let mut settings = Settings {
            client: self.shared.client.clone(),
            policy: self.shared.policy,
            capacity: self.shared.capacity.clone(),
            on_progress: self.shared.on_progress.clone(),
        };
        f(&mut settings);
        let concurrency = self.concurrency;
        let unversioned = self.unversioned;
        let old = std::mem::replace(self, Engine::new(settings));
        self.concurrency = concurrency;
        self.unversioned = unversioned;
        // Nothing was written yet: dropping the old engine is a no-op.
        drop(old);
    }

    pub(super) fn summary(&self) -> BatchSummary {
        self.shared.stats.summary()
    }

    pub(super) fn buffered(&self) -> usize {
        self.buffer.len()
    }

    pub(super) fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Checks a put, applies the version policy, and buffers it.
    pub(super) async fn put(
        &mut self,
        table: &str,
        keys: &KeyNames,
        version_attribute: Option<&str>,
        mut item: Item,
        version: Option<u64>,
    ) -> Result<()> {
        if let Some(attr) = version_attribute {
            if !self.unversioned {
                return Err(versioned_refused(table, attr, "put"));
            }
            let current = match version {
                Some(v) => v,
                None => stored_version(&item, attr).ok_or_else(|| {
                    Error::Validation(format!(
                        "version attribute `{attr}` does not hold a version (a whole number from 0)"
                    ))
                })?,
            };
            let next = current.checked_add(1).ok_or_else(|| {
                Error::Validation(format!("version attribute `{attr}` is at u64::MAX"))
            })?;
            item.insert(attr.to_owned(), number(next));
        }
        let key = key_id(table, keys, &item)?;
        check_item_size(&item)?;
        let request = WriteRequest::builder()
            .put_request(
                PutRequest::builder()
                    .set_item(Some(item))
                    .build()
                    .map_err(build_error)?,
            )
            .build();
        self.buffer_write(table, key, request).await
    }

    /// Checks a delete and buffers it.
    pub(super) async fn delete(
        &mut self,
        table: &str,
        keys: &KeyNames,
        version_attribute: Option<&str>,
        key_item: Item,
    ) -> Result<()> {
        if let (Some(attr), false) = (version_attribute, self.unversioned) {
            return Err(versioned_refused(table, attr, "delete"));
        }
        let key = key_id(table, keys, &key_item)?;
        let request = WriteRequest::builder()
            .delete_request(
                DeleteRequest::builder()
                    .set_key(Some(key_item))
                    .build()
                    .map_err(build_error)?,
            )
            .build();
        self.buffer_write(table, key, request).await
    }

    async fn buffer_write(&mut self, table: &str, key: KeyId, request: WriteRequest) -> Result<()> {
        // Refuse before buffering: without a runtime nothing could be sent.
        runtime()?;
        self.reap();
        let table: Arc<str> = match self.tables.iter().find(|t| &***t == table) {
            Some(t) => t.clone(),
            None => {
                let t: Arc<str> = Arc::from(table);
                self.tables.push(t.clone());
                t
            }
        };
        if self.shared.is_stopped() {
            // The writer gave up: this write is handed back with everything
            // else not written, and nothing more is sent.
            let write = UnprocessedWrite {
                table: table.to_string(),
                request,
            };
            return Err(self.give_back(Some(write)).await);
        }
        if let Some(&pos) = self.positions.get(&key) {
            // DynamoDB refuses two writes of one key in one request; the later wins.
            self.buffer[pos].request = request;
            Stats::add(&self.shared.stats.folded, 1);
        } else {
            self.positions.insert(key.clone(), self.buffer.len());
            self.buffer.push(Buffered {
                table,
                key,
                request,
            });
        }
        if self.buffer.len() >= MAX_BATCH_WRITE {
            self.dispatch().await?;
        }
        Ok(())
    }

    /// Sends the first (up to) 25 buffered writes as one request, once a slot
    /// is free and no request in flight holds one of their keys.
    ///
    /// Cancel-safe: the buffer is only taken once the request is spawned.
    async fn dispatch(&mut self) -> Result<()> {
        let handle = runtime()?;
        let n = self.buffer.len().min(MAX_BATCH_WRITE);
        if n == 0 {
            return Ok(());
        }
        while self.in_flight.len() >= self.concurrency
            || self.buffer[..n]
                .iter()
                .any(|b| self.in_flight_keys.contains(&b.key))
        {
            self.join_one().await;
        }
        if self.shared.is_stopped() {
            return Err(self.give_back(None).await);
        }
        let batch: Vec<Buffered> = self.buffer.drain(..n).collect();
        self.positions.clear();
        for (i, b) in self.buffer.iter().enumerate() {
            self.positions.insert(b.key.clone(), i);
        }
        let mut requests: Requests = HashMap::new();
        let mut keys = Vec::with_capacity(batch.len());
        for b in batch {
            requests
                .entry(b.table.to_string())
                .or_default()
                .push(b.request);
            self.in_flight_keys.insert(b.key.clone());
            keys.push(b.key);
        }
        let span = self.span();
        let task = send_batch(self.shared.clone(), requests).instrument(span);
        let abort = self.in_flight.spawn_on(task, &handle);
        self.in_flight_writes.insert(abort.id(), keys);
        Ok(())
    }

    /// The span around all of this writer's requests.
    fn span(&mut self) -> tracing::Span {
        if let Some(span) = &self.span {
            return span.clone();
        }
        let tables: Vec<&str> = self.tables.iter().map(|t| &**t).collect();
        let span = crate::op::span::batch("BatchWriteItem", &tables.join(","));
        self.span = Some(span.clone());
        span
    }

    /// Collects finished requests without waiting.
    fn reap(&mut self) {
        while let Some(done) = self.in_flight.try_join_next_with_id() {
            self.complete(done);
        }
    }

    /// Waits for one request in flight to finish.
    async fn join_one(&mut self) {
        if let Some(done) = self.in_flight.join_next_with_id().await {
            self.complete(done);
        }
    }

    fn complete(&mut self, done: std::result::Result<(TaskId, Outcome), JoinError>) {
        let id = match &done {
            Ok((id, _)) => *id,
            Err(e) => e.id(),
        };
        let keys = self.in_flight_writes.remove(&id).unwrap_or_default();
        for key in &keys {
            self.in_flight_keys.remove(key);
        }
        match done {
            Ok((_, outcome)) => {
                self.failed.extend(outcome.failed);
                if let Some(e) = outcome.error {
                    self.note_error(e);
                }
            }
            Err(e) => {
                // Only a panic (in a progress callback, say) gets here: the
                // requests went with the task, so say how many are unknown.
                Stats::add(&self.shared.stats.items_failed, keys.len() as u64);
                self.shared.stop();
                self.note_error(Error::Validation(format!(
                    "a batch write task failed ({e}); whether its {} writes were made is unknown",
                    keys.len()
                )));
            }
        }
    }

    fn note_error(&mut self, e: Error) {
        if self.first_error.is_none() {
            self.first_error = Some(e);
        } else {
            self.other_errors += 1;
        }
    }

    /// After the writer stopped: waits for the requests in flight, and hands
    /// back every write not made (the buffer, the failed ones, and `extra`).
    async fn give_back(&mut self, extra: Option<UnprocessedWrite>) -> Error {
        while !self.in_flight.is_empty() {
            self.join_one().await;
        }
        let buffered = std::mem::take(&mut self.buffer);
        self.positions.clear();
        let unsent = buffered.len() + usize::from(extra.is_some());
        Stats::add(&self.shared.stats.items_failed, unsent as u64);
        self.failed
            .extend(buffered.into_iter().map(|b| UnprocessedWrite {
                table: b.table.to_string(),
                request: b.request,
            }));
        self.failed.extend(extra);
        self.incomplete()
    }

    fn incomplete(&mut self) -> Error {
        if self.other_errors > 0 {
            tracing::debug!(
                target: "dynamo_orm",
                other_errors = self.other_errors,
                "batch write: further request errors after the first"
            );
            self.other_errors = 0;
        }
        let source = self.first_error.take().or_else(|| {
            self.shared.is_stopped().then(|| {
                Error::Validation(
                    "the batch writer stopped after a request gave up; nothing more is sent".into(),
                )
            })
        });
        Error::BatchWriteIncomplete {
            unprocessed: std::mem::take(&mut self.failed),
            summary: Box::new(self.summary()),
            source: source.map(Box::new),
        }
    }

    pub(super) async fn flush(&mut self) -> Result<BatchSummary> {
        while !self.buffer.is_empty() {
            self.dispatch().await?;
        }
        while !self.in_flight.is_empty() {
            self.join_one().await;
        }
        if self.failed.is_empty() && self.first_error.is_none() && !self.shared.is_stopped() {
            return Ok(self.summary());
        }
        Err(self.incomplete())
    }

    /// The writes not confirmed yet.
    fn unconfirmed(&self) -> usize {
        self.buffer.len()
            + self.in_flight_writes.values().map(Vec::len).sum::<usize>()
            + self.failed.len()
    }
}

impl Drop for Engine {
    /// A writer dropped with writes not confirmed finishes them in the
    /// background on the running Tokio runtime (requests in flight included);
    /// writes that still fail are logged with `tracing::error!`. Without a
    /// runtime (or when it shuts down first) they cannot be sent, and that is
    /// logged too. `finish()` (or `Table::batch_write`) reports instead.
    fn drop(&mut self) {
        let pending = self.unconfirmed();
        if pending == 0 {
            return;
        }
        let handle = match tokio::runtime::Handle::try_current() {
            Ok(handle) if !self.orphan => handle,
            _ => {
                tracing::error!(
                    target: "dynamo_orm",
                    pending,
                    "batch writer dropped without a running Tokio runtime to finish it: \
                     {pending} writes not confirmed are lost; call `finish().await` (or use \
                     `Table::batch_write`) before dropping it"
                );
                return;
            }
        };
        let settings = Settings {
            client: self.shared.client.clone(),
            policy: self.shared.policy,
            capacity: self.shared.capacity.clone(),
            on_progress: self.shared.on_progress.clone(),
        };
        let mut rest = Engine::new(settings);
        rest.shared = self.shared.clone();
        rest.concurrency = self.concurrency;
        rest.unversioned = self.unversioned;
        rest.tables = std::mem::take(&mut self.tables);
        rest.span = self.span.take();
        rest.buffer = std::mem::take(&mut self.buffer);
        rest.positions = std::mem::take(&mut self.positions);
        rest.in_flight = std::mem::take(&mut self.in_flight);
        rest.in_flight_writes = std::mem::take(&mut self.in_flight_writes);
        rest.in_flight_keys = std::mem::take(&mut self.in_flight_keys);
        rest.failed = std::mem::take(&mut self.failed);
        rest.first_error = self.first_error.take();
        rest.orphan = true;
        handle.spawn(async move {
            match rest.flush().await {
                Ok(summary) => tracing::debug!(
                    target: "dynamo_orm",
                    written = summary.items_written,
                    "batch writer dropped: its {pending} unconfirmed writes were finished"
                ),
                Err(Error::BatchWriteIncomplete {
                    unprocessed,
                    source,
                    ..
                }) => tracing::error!(
                    target: "dynamo_orm",
                    failed = unprocessed.len(),
                    error = source.map(|e| e.to_string()),
                    "batch writer dropped without finish(): {} writes could not be written",
                    unprocessed.len()
                ),
                Err(other) => tracing::error!(
                    target: "dynamo_orm",
                    error = %other,
                    "batch writer dropped without finish(): finishing its writes failed"
                ),
            }
        });
    }
}

pub(super) fn runtime() -> Result<tokio::runtime::Handle> {
    tokio::runtime::Handle::try_current().map_err(|_| {
        Error::Validation("the batch writer needs a Tokio runtime to send requests".into())
    })
}

fn versioned_refused(table: &str, attr: &str, op: &str) -> Error {
    Error::Validation(format!(
        "batch {op} refused: items of `{table}` are versioned (attribute `{attr}`), and \
         BatchWriteItem cannot carry the condition that checks the version, so the write would \
         skip optimistic locking. Use the table's single-item {op} for a checked write, or build \
         the writer with `.unversioned_writes()` to write without the check (puts then store \
         the version plus one)"
    ))
}
