use dynamo_orm::DynamoItem;

mod cents {
    use dynamo_orm::{AttributeValue, EncodeError};

    #[allow(dead_code)]
    pub fn to_attribute(cents: &i64) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::N(cents.to_string()))
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
