//! The operation core: every request is built, sent, observed and decoded
//! here, for typed tables and `Table<Document>` alike.
//!
//! - [`target`]: what a request needs to know about its table;
//! - [`model`]: what a table holds (a derived type or a `Document`);
//! - `entity`: what the operation core adds to the writes of single-table
//!   entities (index keys kept in step by updates);
//! - `write`: the plan of a put, update, delete or condition check, with
//!   the version rules, sent alone or inside a transaction;
//! - [`read`]: the paging engine of queries and scans, and the [`Cursor`](read::Cursor);
//! - `call`: the one place a request is sent (customization, span, error
//!   classification); `classify`: SDK errors to [`Error`](crate::Error);
//!   `span`: the tracing spans; [`retry`]: the batch retry policy;
//!   [`output`]: what `.with_output()` returns.

pub(crate) mod call;
mod classify;
pub(crate) mod entity;
pub(crate) mod identity;
pub mod model;
pub mod output;
pub mod read;
pub mod retry;
pub(crate) mod span;
pub mod target;
pub mod write;
