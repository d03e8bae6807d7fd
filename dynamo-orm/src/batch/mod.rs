//! Batch reads ([`BatchGet`]) and writes ([`BatchWriter`]), with the retry
//! policy they share: unprocessed requests and throttling are resent with
//! exponential backoff and full jitter, and what still fails is handed back.

mod get;
pub mod write;

pub use get::BatchGet;
pub use write::{
    BatchSummary, BatchWriter, MultiBatchWriter, Progress, RetryPolicy, UnprocessedWrite, WriteOp,
};

pub(crate) use write::key_id;
