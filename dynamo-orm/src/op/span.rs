//! Tracing spans following the OpenTelemetry semantic conventions for
//! DynamoDB: one span per request (`dynamodb.request`), one per batch or
//! transaction (`dynamodb.batch`) around its requests.
//!
//! | field | value |
//! |---|---|
//! | `otel.name` | `"PutItem users"`: the operation and the table |
//! | `otel.kind` | `"client"` |
//! | `db.system.name` | `"aws.dynamodb"` |
//! | `db.operation.name` | `"PutItem"`, `"Query"`, ... |
//! | `rpc.system`, `rpc.service`, `rpc.method` | `"aws-api"`, `"DynamoDB"`, the operation |
//! | `aws.dynamodb.table_names` | the table names, comma-separated |
//! | `aws.dynamodb.index_name` | the index a query or scan reads |
//! | `aws.dynamodb.consistent_read` | whether a read is strongly consistent |
//! | `aws.dynamodb.limit`, `aws.dynamodb.segment`, `aws.dynamodb.total_segments` | as sent |
//! | `aws.dynamodb.count`, `aws.dynamodb.scanned_count` | what a query or scan page returned |
//! | `aws.dynamodb.consumed_capacity` | DynamoDB's `ConsumedCapacity`, JSON (when asked for) |
//! | `aws.request_id` | DynamoDB's request id |
//! | `error.type` | the error code, or the kind of failure when there was no answer |
//!
//! Spans are created at `INFO` level under the target `dynamo_orm`; when no
//! subscriber listens, their fields are not even computed.

use aws_sdk_dynamodb::types::ConsumedCapacity;
use tracing::field::Empty;

use crate::error::{Error, TransportErrorKind};

/// The span of one request to `table` (or several tables, comma-separated).
pub(crate) fn request(operation: &'static str, tables: &str) -> tracing::Span {
    tracing::info_span!(
        target: "dynamo_orm",
        "dynamodb.request",
        "otel.name" = format_args!("{operation} {tables}"),
        "otel.kind" = "client",
        "db.system.name" = "aws.dynamodb",
        "db.operation.name" = operation,
        "rpc.system" = "aws-api",
        "rpc.service" = "DynamoDB",
        "rpc.method" = operation,
        "aws.dynamodb.table_names" = tables,
        "aws.dynamodb.index_name" = Empty,
        "aws.dynamodb.consistent_read" = Empty,
        "aws.dynamodb.limit" = Empty,
        "aws.dynamodb.segment" = Empty,
        "aws.dynamodb.total_segments" = Empty,
        "aws.dynamodb.count" = Empty,
        "aws.dynamodb.scanned_count" = Empty,
        "aws.dynamodb.consumed_capacity" = Empty,
        "aws.request_id" = Empty,
        "error.type" = Empty,
        "dynamo_orm.attempt" = Empty,
    )
}

/// The span around the requests of one batch or transaction.
pub(crate) fn batch(operation: &'static str, tables: &str) -> tracing::Span {
    tracing::info_span!(
        target: "dynamo_orm",
        "dynamodb.batch",
        "otel.name" = format_args!("{operation} {tables}"),
        "otel.kind" = "internal",
        "db.system.name" = "aws.dynamodb",
        "db.operation.name" = operation,
        "aws.dynamodb.table_names" = tables,
        "dynamo_orm.requests" = Empty,
        "dynamo_orm.items" = Empty,
        "aws.dynamodb.consumed_capacity" = Empty,
        "error.type" = Empty,
    )
}

pub(crate) fn record_answer(
    span: &tracing::Span,
    request_id: Option<&str>,
    capacity: &[ConsumedCapacity],
) {
    if span.is_disabled() {
        return;
    }
    if let Some(id) = request_id {
        span.record("aws.request_id", id);
    }
    if !capacity.is_empty() {
        span.record(
            "aws.dynamodb.consumed_capacity",
            capacity_json(capacity).as_str(),
        );
    }
}

pub(crate) fn record_error(span: &tracing::Span, err: &Error) {
    if span.is_disabled() {
        return;
    }
    span.record("error.type", error_type(err));
    if let Some(id) = err.request_id() {
        span.record("aws.request_id", id);
    }
}

/// The `error.type` of an error: DynamoDB's code, or the kind of failure.
pub(crate) fn error_type(err: &Error) -> &str {
    match err {
        Error::Transport(t) => match t.kind() {
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Connection => "connection",
            TransportErrorKind::Response => "response",
        },
        other => other.code().unwrap_or("_OTHER"),
    }
}

/// `[{"TableName":"users","CapacityUnits":1.0}]`, as the conventions ask.
pub(crate) fn capacity_json(capacity: &[ConsumedCapacity]) -> String {
    let mut out = String::from("[");
    for (i, c) in capacity.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        let mut first = true;
        let mut field = |out: &mut String, name: &str, value: String| {
            if !first {
                out.push(',');
            }
            first = false;
            out.push('"');
            out.push_str(name);
            out.push_str("\":");
            out.push_str(&value);
        };
        if let Some(t) = c.table_name() {
            field(&mut out, "TableName", json_string(t));
        }
        if let Some(u) = c.capacity_units() {
            field(
                &mut out,
                "CapacityUnits",
                ryu::Buffer::new().format(u).to_owned(),
            );
        }
        if let Some(u) = c.read_capacity_units() {
            field(
                &mut out,
                "ReadCapacityUnits",
                ryu::Buffer::new().format(u).to_owned(),
            );
        }
        if let Some(u) = c.write_capacity_units() {
            field(
                &mut out,
                "WriteCapacityUnits",
                ryu::Buffer::new().format(u).to_owned(),
            );
        }
        out.push('}');
    }
    out.push(']');
    out
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The total capacity units of an answer.
pub(crate) fn total_units(capacity: &[ConsumedCapacity]) -> Option<f64> {
    if capacity.is_empty() {
        return None;
    }
    Some(
        capacity
            .iter()
            .filter_map(ConsumedCapacity::capacity_units)
            .sum(),
    )
}
