//! Sending one request: the span, the customization hook, the send, the
//! error classification and what the answer carries besides its data.
//!
//! Every DynamoDB operation the crate uses is described once by an
//! [`Operation`] impl (its SDK builder, output and error types); [`send`] is
//! the only place a request leaves the crate.

use std::future::Future;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::ConsumedCapacity;
use tracing::Instrument;

use super::classify::classify;
use super::span;
use crate::error::Error;

/// One DynamoDB operation as the core sends it.
pub(crate) trait Operation: 'static {
    /// The SDK's fluent builder.
    type Builder: Send;
    /// The SDK's output.
    type Output: RequestId + Send;
    /// The SDK's operation error.
    type Error: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static;
    /// The operation's name (`PutItem`), for spans.
    const NAME: &'static str;

    fn send(
        builder: Self::Builder,
    ) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error, HttpResponse>>> + Send;

    /// The consumed capacity the output reports (when it was asked for).
    fn consumed_capacity(_output: &Self::Output) -> Vec<ConsumedCapacity> {
        Vec::new()
    }
}

macro_rules! operations {
    ($($marker:ident: $module:ident, $name:literal, $builder:ident, $output:ident, $error:ident $(, capacity: $capacity:expr)?;)*) => {$(
        pub(crate) enum $marker {}

        impl Operation for $marker {
            type Builder = aws_sdk_dynamodb::operation::$module::builders::$builder;
            type Output = aws_sdk_dynamodb::operation::$module::$output;
            type Error = aws_sdk_dynamodb::operation::$module::$error;
            const NAME: &'static str = $name;

            fn send(
                builder: Self::Builder,
            ) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error, HttpResponse>>> + Send {
                builder.send()
            }

            $(
                fn consumed_capacity(output: &Self::Output) -> Vec<ConsumedCapacity> {
                    let capacity: fn(&Self::Output) -> Vec<ConsumedCapacity> = $capacity;
                    capacity(output)
                }
            )?
        }
    )*};
}

fn one(c: Option<&ConsumedCapacity>) -> Vec<ConsumedCapacity> {
    c.cloned().into_iter().collect()
}

operations! {
    GetItemOp: get_item, "GetItem", GetItemFluentBuilder, GetItemOutput, GetItemError,
        capacity: |o| one(o.consumed_capacity());
    PutItemOp: put_item, "PutItem", PutItemFluentBuilder, PutItemOutput, PutItemError,
        capacity: |o| one(o.consumed_capacity());
    UpdateItemOp: update_item, "UpdateItem", UpdateItemFluentBuilder, UpdateItemOutput, UpdateItemError,
        capacity: |o| one(o.consumed_capacity());
    DeleteItemOp: delete_item, "DeleteItem", DeleteItemFluentBuilder, DeleteItemOutput, DeleteItemError,
        capacity: |o| one(o.consumed_capacity());
    QueryOp: query, "Query", QueryFluentBuilder, QueryOutput, QueryError,
        capacity: |o| one(o.consumed_capacity());
    ScanOp: scan, "Scan", ScanFluentBuilder, ScanOutput, ScanError,
        capacity: |o| one(o.consumed_capacity());
    BatchGetItemOp: batch_get_item, "BatchGetItem", BatchGetItemFluentBuilder, BatchGetItemOutput, BatchGetItemError,
        capacity: |o| o.consumed_capacity().to_vec();
    BatchWriteItemOp: batch_write_item, "BatchWriteItem", BatchWriteItemFluentBuilder, BatchWriteItemOutput, BatchWriteItemError,
        capacity: |o| o.consumed_capacity().to_vec();
    TransactWriteItemsOp: transact_write_items, "TransactWriteItems", TransactWriteItemsFluentBuilder, TransactWriteItemsOutput, TransactWriteItemsError,
        capacity: |o| o.consumed_capacity().to_vec();
    TransactGetItemsOp: transact_get_items, "TransactGetItems", TransactGetItemsFluentBuilder, TransactGetItemsOutput, TransactGetItemsError,
        capacity: |o| o.consumed_capacity().to_vec();
    DescribeTableOp: describe_table, "DescribeTable", DescribeTableFluentBuilder, DescribeTableOutput, DescribeTableError;
    CreateTableOp: create_table, "CreateTable", CreateTableFluentBuilder, CreateTableOutput, CreateTableError;
    DeleteTableOp: delete_table, "DeleteTable", DeleteTableFluentBuilder, DeleteTableOutput, DeleteTableError;
    UpdateTableOp: update_table, "UpdateTable", UpdateTableFluentBuilder, UpdateTableOutput, UpdateTableError;
    UpdateTimeToLiveOp: update_time_to_live, "UpdateTimeToLive", UpdateTimeToLiveFluentBuilder, UpdateTimeToLiveOutput, UpdateTimeToLiveError;
    DescribeTimeToLiveOp: describe_time_to_live, "DescribeTimeToLive", DescribeTimeToLiveFluentBuilder, DescribeTimeToLiveOutput, DescribeTimeToLiveError;
}

/// The SDK's request builders, as `.customize()` closures receive them.
pub(crate) type PutItemBuilder =
    aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
pub(crate) type UpdateItemBuilder =
    aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
pub(crate) type DeleteItemBuilder =
    aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemFluentBuilder;

/// A user's change to the SDK request before it is sent (`.customize()`);
/// `Fn` because a paged read sends one request per page.
pub(crate) type Customize<B> = std::sync::Arc<dyn Fn(B) -> B + Send + Sync>;

/// The span of one request of operation `O` to `tables`.
pub(crate) fn request_span<O: Operation>(tables: &str) -> tracing::Span {
    span::request(O::NAME, tables)
}

/// What came back besides the operation's data.
#[derive(Debug)]
pub(crate) struct Answer<O> {
    pub(crate) output: O,
    pub(crate) request_id: Option<String>,
    pub(crate) capacity: Vec<ConsumedCapacity>,
}

/// Sends one request in `span`: applies the customization, classifies the
/// error, records the request id and consumed capacity on the span.
pub(crate) async fn send<O>(
    span: tracing::Span,
    builder: O::Builder,
    customize: Option<&Customize<O::Builder>>,
    table: Option<&str>,
) -> Result<Answer<O::Output>, Error>
where
    O: Operation,
    aws_sdk_dynamodb::Error: From<O::Error>,
{
    let builder = match customize {
        Some(f) => f(builder),
        None => builder,
    };
    let result = O::send(builder).instrument(span.clone()).await;
    match result {
        Ok(output) => {
            let request_id = output.request_id().map(str::to_owned);
            let capacity = O::consumed_capacity(&output);
            span::record_answer(&span, request_id.as_deref(), &capacity);
            Ok(Answer {
                output,
                request_id,
                capacity,
            })
        }
        Err(err) => {
            let err = classify(err, table);
            span::record_error(&span, &err);
            Err(err)
        }
    }
}
