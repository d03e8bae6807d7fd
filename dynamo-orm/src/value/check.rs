//! What DynamoDB accepts of attribute names and nesting, checked where values
//! are converted.

use crate::error::{EncodeError, EncodeErrorKind};

/// The deepest nesting DynamoDB stores, counting the item itself as level 1:
/// a top-level list or map is level 2, so an attribute holds at most 31 lists
/// or maps one inside the other.
pub const MAX_NESTING_DEPTH: usize = 32;
/// The longest attribute name or map key, in UTF-8 bytes: 64 KB.
pub const MAX_NAME_LENGTH: usize = 65_535;

/// An attribute name or map key DynamoDB accepts: 1 to 65,535 bytes.
pub(crate) fn check_name(name: &str) -> Result<(), EncodeError> {
    if name.is_empty() {
        return Err(EncodeError::new(EncodeErrorKind::InvalidName(
            "an attribute name or map key cannot be empty".to_owned(),
        )));
    }
    if name.len() > MAX_NAME_LENGTH {
        return Err(EncodeError::new(EncodeErrorKind::InvalidName(format!(
            "an attribute name or map key of {} bytes is over the limit of {MAX_NAME_LENGTH}",
            name.len()
        ))));
    }
    Ok(())
}

/// The error of a list or map at `level`, deeper than DynamoDB stores.
pub(crate) fn too_deep() -> EncodeError {
    EncodeError::new(EncodeErrorKind::TooDeep {
        limit: MAX_NESTING_DEPTH,
    })
}

pub(crate) fn empty_set(tag: &'static str) -> EncodeError {
    EncodeError::new(EncodeErrorKind::EmptySet(tag))
}
