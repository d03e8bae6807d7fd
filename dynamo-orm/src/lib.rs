//! # dynamo-orm
//!
//! A typed DynamoDB object mapper. `#[derive(DynamoItem)]` turns a struct into a
//! table schema, a typed key and fast attribute conversions.
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
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

pub mod error;
pub mod expr;
pub mod schema;
pub mod value;

pub use aws_sdk_dynamodb::types::AttributeValue;
pub use error::{
    AttrPath, CancellationReason, DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind,
    Error, PathSegment, Result,
};
pub use schema::{
    DynamoItem, HasFields, Index, IndexKind, IndexSchema, KeyAttribute, NoRange, PrimaryIndex,
    PrimaryKey, Projection, ProjectionOf, QueryTarget, ScalarType, TableSchema,
};
pub use value::{AttributeMap, FromAttribute, IntoAttribute, KeyScalar, Number, SetElement};

#[cfg(feature = "derive")]
pub use dynamo_derive::{DynamoAttribute, DynamoItem};

/// A DynamoDB item: attribute names to values, as the AWS SDK uses it.
pub type Item = std::collections::HashMap<String, AttributeValue>;

/// Re-exports for the derive macros' generated code. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::error::{DecodeError, EncodeError};
    pub use crate::expr::Field;
    pub use crate::schema::{
        DynamoItem, HasFields, Index, IndexKind, IndexSchema, KeyAttribute, NoRange, PrimaryKey,
        Projection, ProjectionOf, QueryTarget, ScalarType, TableSchema,
    };
    pub use crate::value::{AttributeMap, FromAttribute, IntoAttribute, KeyScalar};
    pub use crate::{AttributeValue, Item};
    pub use core::convert::{From, Into, TryFrom};
    pub use core::default::Default;
    pub use core::option::Option::{self, None, Some};
    pub use core::result::Result::{self, Err, Ok};
    pub use std::collections::HashMap;
    pub use std::string::String;
    pub use std::vec::Vec;

    /// Reads a field that may be missing.
    #[inline]
    pub fn read_field<T: FromAttribute>(
        value: Option<AttributeValue>,
        name: &str,
    ) -> Result<T, DecodeError> {
        match value {
            Some(v) => T::from_attribute(v).map_err(|e| e.in_field(name)),
            None => T::from_absent().ok_or_else(|| DecodeError::missing(name)),
        }
    }

    /// Reads a `#[dynamo(default)]` field: missing (or NULL) gives `Default`.
    #[inline]
    pub fn read_field_or_default<T: FromAttribute + Default>(
        value: Option<AttributeValue>,
        name: &str,
    ) -> Result<T, DecodeError> {
        match value {
            Some(AttributeValue::Null(_)) | None => Ok(T::default()),
            Some(v) => T::from_attribute(v).map_err(|e| e.in_field(name)),
        }
    }

    /// Writes a field unless it is absent (`None`, empty set).
    #[inline]
    pub fn write_field<T: IntoAttribute + ?Sized>(
        item: &mut Item,
        name: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        if !value.is_absent() {
            item.insert(
                String::from(name),
                value.to_attribute().map_err(|e| e.in_field(name))?,
            );
        }
        Ok(())
    }
}
