//! # dynamo-orm
//!
//! A typed DynamoDB object mapper. `#[derive(DynamoItem)]` turns a struct into a
//! table schema, a typed key and fast attribute conversions; [`Table<T>`] runs
//! every DynamoDB operation on it through one operation core.
//!
//! ```
//! use dynamo_orm::DynamoItem;
//!
//! #[derive(DynamoItem, Debug, PartialEq)]
//! #[dynamo(table = "users")]
//! struct User {
//!     #[dynamo(hash_key)]
//!     username: String,
//!     #[dynamo(range_key)]
//!     date_joined: i64,
//!     friend_count: u32,
//!     nickname: Option<String>,
//! }
//!
//! let user = User { username: "john".into(), date_joined: 1366056668, friend_count: 3, nickname: None };
//! let item = user.to_item()?;
//! assert_eq!(item.len(), 3); // `None` is left out
//! assert_eq!(User::from_item(item)?, user);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The crate's layers, bottom up, are described in `ARCHITECTURE.md`: errors;
//! values and limits; the schema; expressions; the operation core (`op`);
//! tables, batches and transactions.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod batch;
pub mod document;
pub mod error;
pub mod expr;
mod items;
#[cfg(feature = "json")]
pub mod json;
mod key;
mod lifecycle;
pub mod limits;
#[cfg(feature = "local")]
pub mod local;
mod locking;
pub mod op;
mod query;
mod scan;
pub mod schema;
mod table;
mod transact;
pub mod value;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use aws_sdk_dynamodb::types::AttributeValue;
pub use batch::{BatchGet, RetryPolicy};
pub use document::Document;
pub use error::{
    AttrPath, CancellationReason, DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind,
    Error, PathSegment, Result,
};
pub use items::{
    ConditionCheck, DeleteItem, Exists, GetItem, ItemRef, PutItem, SaveChanges, UpdateItem,
    UpdateOutput, WriteOutput,
};
pub use key::KeyArg;
pub use lifecycle::{CreateTable, SchemaDifference, Throughput};
pub use locking::Modify;
pub use op::model::Model;
pub use op::output::{Output, WithOutput};
pub use op::read::{Cursor, ItemStream, Page, PageStream, Untyped};
pub use op::target::{IndexKeys, KeyNames};
pub use query::{IndexHandle, Query};
pub use scan::Scan;
pub use schema::{
    AllAttributes, Billing, DynamoItem, Entities, Entity, EntityIndex, EntityOf, HasFields, Index,
    IndexKey, IndexKind, IndexOf, IndexSchema, KeyArgs, KeyAttribute, NoRange, NoSort, PartitionOf,
    Primary, PrimaryIndex, PrimaryKey, Projection, ProjectionOf, QueryTarget, ReadableFrom,
    ScalarType, SortArgs, SortKey, TableDef, TableIndex, TableSchema, TimeToLive, VersionNumber,
};
pub use table::Table;
pub use transact::{TransactGet, TransactGetResult, TransactWrite, TxHandle};
pub use value::{AttributeMap, FromAttribute, IntoAttribute, KeyScalar, Number, SetElement};

#[cfg(feature = "derive")]
pub use dynamo_derive::{DynamoAttribute, DynamoEntities, DynamoItem, DynamoTable};

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// A DynamoDB item: attribute names to values, as the AWS SDK uses it.
pub type Item = std::collections::HashMap<String, AttributeValue>;
