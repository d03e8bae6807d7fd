use dynamo_orm::DynamoItem;

/// `to_attribute` takes the value instead of a reference.
mod cents {
    use dynamo_orm::{AttributeValue, DecodeError, EncodeError};

    pub fn to_attribute(cents: i64) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::N(cents.to_string()))
    }

    pub fn from_attribute(value: AttributeValue) -> Result<i64, DecodeError> {
        match value {
            AttributeValue::N(text) => text.parse().map_err(|e| DecodeError::invalid("cents", e)),
            other => Err(DecodeError::type_mismatch("N", &other)),
        }
    }
}

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    #[dynamo(with = cents)]
    balance: i64,
}

fn main() {}
