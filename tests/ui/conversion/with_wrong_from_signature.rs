use dynamo_orm::DynamoItem;

/// `from_attribute` returns its own error type.
mod cents {
    use dynamo_orm::{AttributeValue, EncodeError};

    pub fn to_attribute(cents: &i64) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::N(cents.to_string()))
    }

    pub fn from_attribute(value: AttributeValue) -> Result<i64, String> {
        match value {
            AttributeValue::N(text) => text.parse().map_err(|_| text),
            _ => Err("not a number".to_owned()),
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
