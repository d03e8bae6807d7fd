//! What a batch writer reports: [`BatchSummary`] and the writes it hands back
//! ([`UnprocessedWrite`]). Plain data, so that [`Error`](super::Error) can carry them.

use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, WriteRequest};

use crate::Item;

/// What a batch writer did: returned by `flush` and `finish`, carried by
/// [`Error::BatchWriteIncomplete`](super::Error::BatchWriteIncomplete), and
/// readable at any time with `summary()`. Totals since the writer was created.
///
/// ```
/// let summary = dynamo_orm::batch::BatchSummary::default();
/// assert_eq!(summary.items_written, 0);
/// assert_eq!(summary.consumed_capacity, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct BatchSummary {
    /// Write requests DynamoDB took (a put or a delete each, after folding).
    pub items_written: u64,
    /// Write requests handed back (see [`Error::BatchWriteIncomplete`](super::Error::BatchWriteIncomplete)).
    pub items_failed: u64,
    /// `BatchWriteItem` requests sent, resends included.
    pub requests_sent: u64,
    /// Resends: after throttling, a server error or no answer, or for unprocessed items.
    pub retries: u64,
    /// Requests refused with a throttling error.
    pub throttled: u64,
    /// Requests DynamoDB answered with a server error (HTTP 5xx).
    pub server_errors: u64,
    /// Requests that ended without an answer (timeout, broken connection,
    /// unreadable response). DynamoDB may have made their writes: a write
    /// handed back after such a request may in fact be stored.
    pub requests_unanswered: u64,
    /// Items DynamoDB returned as unprocessed that were sent again.
    pub unprocessed_resent: u64,
    /// Writes replaced by a later write of the same key before they were sent.
    pub folded: u64,
    /// Write capacity units DynamoDB reported, when consumed capacity was
    /// asked for (`None` otherwise).
    pub consumed_capacity: Option<f64>,
}

/// A write a batch writer could not complete, handed back in
/// [`Error::BatchWriteIncomplete`](super::Error::BatchWriteIncomplete): the table
/// and the request exactly as it would have been sent. `decode::<T>()` turns
/// it back into a typed item or key.
///
/// ```
/// use dynamo_orm::batch::UnprocessedWrite;
/// use aws_sdk_dynamodb::types::WriteRequest;
/// let write = UnprocessedWrite { table: "t".into(), request: WriteRequest::builder().build() };
/// assert!(write.item().is_none() && write.delete_key().is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct UnprocessedWrite {
    /// The table name the request was for.
    pub table: String,
    /// The put or delete request.
    pub request: WriteRequest,
}

impl UnprocessedWrite {
    /// The item of a put request.
    ///
    /// ```
    /// # use dynamo_orm::batch::UnprocessedWrite;
    /// # use aws_sdk_dynamodb::types::WriteRequest;
    /// let write = UnprocessedWrite { table: "t".into(), request: WriteRequest::builder().build() };
    /// assert!(write.item().is_none());
    /// ```
    pub fn item(&self) -> Option<&Item> {
        self.request.put_request().map(PutRequest::item)
    }

    /// The key of a delete request.
    ///
    /// ```
    /// # use dynamo_orm::batch::UnprocessedWrite;
    /// # use aws_sdk_dynamodb::types::WriteRequest;
    /// let write = UnprocessedWrite { table: "t".into(), request: WriteRequest::builder().build() };
    /// assert!(write.delete_key().is_none());
    /// ```
    pub fn delete_key(&self) -> Option<&Item> {
        self.request.delete_request().map(DeleteRequest::key)
    }
}
