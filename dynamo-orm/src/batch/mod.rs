//! Batch reads ([`BatchGet`]) and writes ([`BatchWriter`], [`MultiBatchWriter`]),
//! with the retry policy they share ([`RetryPolicy`]): unprocessed requests,
//! throttling, server errors and requests without an answer are resent with
//! exponential backoff and full jitter, and what still fails is handed back.

mod get;
pub mod write;

pub use crate::error::{BatchSummary, UnprocessedWrite};
pub use crate::op::retry::RetryPolicy;
pub use get::BatchGet;
pub use write::{BatchWriter, MultiBatchWriter, Progress, WriteOp};
