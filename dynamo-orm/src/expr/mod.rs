//! Expressions: typed paths, conditions and filters, updates and key
//! conditions. Every name and value goes through `#n` / `:v` placeholders;
//! no user text is ever spliced into an expression string.
//!
//! - [`Field`] and [`Path`] name attributes, typed by the Rust type stored there
//!   (the derives generate `Type::FIELDS`);
//! - [`Condition`] is a condition expression or a filter, built from them;
//! - [`Update`] is an update expression;
//! - [`render_key_condition`] writes a query's key condition;
//! - [`ExpressionAttributes`] collects the placeholders of one request, shared by
//!   all its expressions;
//! - [`AttrKind`] and [`ValueOf`] type-check values against attributes.
//!
//! ```
//! use dynamo_orm::expr::{Condition, ExpressionAttributes, Field, Path, Update};
//! use dynamo_orm::AttributeValue;
//!
//! // What `#[derive(DynamoItem)]` generates as `User::FIELDS.*`:
//! const STATUS: Field<String> = Field::new("status"); // a reserved word
//! const FRIEND_COUNT: Field<u32> = Field::new("friend-count");
//! const TAGS: Field<Vec<String>> = Field::new("tags");
//! let city: Path<String> = Path::<()>::root("address").key("city");
//!
//! let mut attrs = ExpressionAttributes::new();
//! let condition = STATUS.eq("active") & (FRIEND_COUNT.gt(10) | city.begins_with("Par"));
//! let update = Update::new()
//!     .increment(FRIEND_COUNT, 1)
//!     .list_append(TAGS, ["popular"]);
//!
//! assert_eq!(
//!     condition.render(&mut attrs)?,
//!     "#n0 = :v0 AND (#n1 > :v1 OR begins_with(#n2.#n3, :v2))"
//! );
//! assert_eq!(
//!     update.render(&mut attrs)?,
//!     "SET #n1 = #n1 + :v3, #n4 = list_append(if_not_exists(#n4, :v4), :v5)"
//! );
//!
//! // One pair of maps for the whole request.
//! let (names, values) = attrs.into_parts();
//! let (names, values) = (names.unwrap(), values.unwrap());
//! assert_eq!(names["#n1"], "friend-count");
//! assert_eq!(values[":v0"], AttributeValue::S("active".into()));
//! assert_eq!(values[":v1"], AttributeValue::N("10".into()));
//! # Ok::<(), dynamo_orm::Error>(())
//! ```
//!
//! Values are checked against the attribute at compile time (see [`AttrKind`]):
//!
//! ```compile_fail,E0277
//! use dynamo_orm::expr::Field;
//! const FRIEND_COUNT: Field<u32> = Field::new("friend_count");
//! let _ = FRIEND_COUNT.eq("ten");
//! ```

mod condition;
mod key_condition;
mod kind;
mod path;
mod placeholders;
mod update;

pub use condition::{AttrType, Condition, Size};
pub use key_condition::{SortKeyCondition, render_key_condition};
pub use kind::{
    AddOperand, AnyKind, AttrKind, BinKind, BoolKind, Comparable, Containable, ExactKind, ListKind,
    ListOperand, MapKind, NullKind, NumKind, Numeric, Prefixable, SetKind, SetOperand, Sizable,
    StrKind, ValueOf,
};
pub use path::{
    Field, IntoPath, Key, ListLike, MapLike, Path, PathElement, Plain, Skipped, StoredKind,
    UpdatePath,
};
pub use placeholders::ExpressionAttributes;
pub(crate) use update::Touch;
pub use update::Update;
