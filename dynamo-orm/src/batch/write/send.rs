//! One `BatchWriteItem` request, resent until everything is written or the
//! retry policy gives up. Runs as its own task.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{ReturnConsumedCapacity, WriteRequest};
use tokio::sync::Notify;

use super::report::{ProgressFn, Stats};
use crate::error::{Error, UnprocessedWrite};
use crate::op::call::{self, BatchWriteItemOp};
use crate::op::retry::{Retry, RetryPolicy, retry_kind};
use crate::op::span;

/// The writes of one request, by table.
pub(super) type Requests = HashMap<String, Vec<WriteRequest>>;

/// What the request tasks share.
pub(super) struct Shared {
    /// A client with the SDK's retries off: the writer's policy governs resends.
    pub(super) client: Client,
    pub(super) policy: RetryPolicy,
    pub(super) capacity: Option<ReturnConsumedCapacity>,
    pub(super) stats: Stats,
    pub(super) on_progress: Option<Arc<ProgressFn>>,
    /// Set when a request gave up: the writer stops as a whole.
    stopped: AtomicBool,
    wake: Notify,
}

impl Shared {
    pub(super) fn new(
        client: Client,
        policy: RetryPolicy,
        capacity: Option<ReturnConsumedCapacity>,
        on_progress: Option<Arc<ProgressFn>>,
    ) -> Self {
        Self {
            client,
            policy,
            capacity,
            stats: Stats::default(),
            on_progress,
            stopped: AtomicBool::new(false),
            wake: Notify::new(),
        }
    }

    pub(super) fn report(&self) {
        if let Some(f) = &self.on_progress {
            f(&self.stats.progress());
        }
    }

    pub(super) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    pub(super) fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
        self.wake.notify_waiters();
    }

    /// Waits out a backoff, or less when the writer stops meanwhile.
    pub(super) async fn sleep(&self, delay: Duration) {
        if self.is_stopped() {
            return;
        }
        let _ = tokio::time::timeout(delay, self.wake.notified()).await;
    }
}

/// What one request task ends with.
pub(super) struct Outcome {
    /// The writes not made, handed back.
    pub(super) failed: Vec<UnprocessedWrite>,
    /// Why, when a request failed (rather than DynamoDB returning items as
    /// unprocessed until the policy gave up).
    pub(super) error: Option<Error>,
}

pub(super) fn count(requests: &Requests) -> usize {
    requests.values().map(Vec::len).sum()
}

pub(super) fn into_failed(requests: Requests) -> Vec<UnprocessedWrite> {
    requests
        .into_iter()
        .flat_map(|(table, list)| {
            list.into_iter().map(move |request| UnprocessedWrite {
                table: table.clone(),
                request,
            })
        })
        .collect()
}

/// Sends `pending`, resending unprocessed items and failed requests as the
/// policy allows. Gives up (and stops the writer) when the policy runs out or
/// an error would not go away by resending.
pub(super) async fn send_batch(shared: Arc<Shared>, mut pending: Requests) -> Outcome {
    let stats = &shared.stats;
    let policy = shared.policy;
    let mut tables: Vec<&str> = pending.keys().map(String::as_str).collect();
    tables.sort_unstable();
    let tables = tables.join(",");
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        if shared.is_stopped() {
            // Another request gave up for good: hand these back unsent.
            let left = count(&pending) as u64;
            Stats::add(&stats.items_failed, left);
            return Outcome {
                failed: into_failed(pending),
                error: None,
            };
        }
        attempts += 1;
        let items = count(&pending);
        let span = call::request_span::<BatchWriteItemOp>(&tables);
        if !span.is_disabled() {
            span.record("dynamo_orm.attempt", attempts);
        }
        Stats::add(&stats.requests_sent, 1);
        // The SDK takes its input by value and does not give it back on an
        // error: the copy is what a failed request is resent or handed back
        // from, so that no write is ever lost.
        let builder = shared
            .client
            .batch_write_item()
            .set_request_items(Some(pending.clone()))
            .set_return_consumed_capacity(shared.capacity.clone());
        let result = call::send::<BatchWriteItemOp>(span, builder, None, None).await;
        let error = match result {
            Ok(answer) => {
                if let Some(units) = span::total_units(&answer.capacity) {
                    stats.add_capacity(units);
                }
                let mut unprocessed = answer.output.unprocessed_items.unwrap_or_default();
                unprocessed.retain(|_, list| !list.is_empty());
                let left = count(&unprocessed);
                Stats::add(&stats.items_written, items.saturating_sub(left) as u64);
                if left == 0 {
                    shared.report();
                    return Outcome {
                        failed: Vec::new(),
                        error: None,
                    };
                }
                pending = unprocessed;
                None
            }
            Err(err) => {
                match retry_kind(&err) {
                    Retry::Throttled => Stats::add(&stats.throttled, 1),
                    Retry::ServerError => Stats::add(&stats.server_errors, 1),
                    Retry::NoAnswer => Stats::add(&stats.unanswered, 1),
                    Retry::Never => {
                        let failed = count(&pending) as u64;
                        Stats::add(&stats.items_failed, failed);
                        shared.stop();
                        shared.report();
                        return Outcome {
                            failed: into_failed(pending),
                            error: Some(err),
                        };
                    }
                }
                Some(err)
            }
        };
        if !policy.allows(attempts, started.elapsed()) {
            let left = count(&pending) as u64;
            Stats::add(&stats.items_failed, left);
            shared.stop();
            shared.report();
            tracing::warn!(
                target: "dynamo_orm",
                left,
                attempts,
                "batch write: giving up after {attempts} attempts; the writer stops"
            );
            return Outcome {
                failed: into_failed(pending),
                error,
            };
        }
        if error.is_none() {
            Stats::add(&stats.unprocessed_resent, count(&pending) as u64);
        }
        Stats::add(&stats.retries, 1);
        shared.report();
        let delay = policy.delay(attempts);
        tracing::debug!(target: "dynamo_orm", attempts, ?delay, "batch write: resending");
        shared.sleep(delay).await;
    }
}
