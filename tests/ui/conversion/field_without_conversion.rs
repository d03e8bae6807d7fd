use dynamo_orm::DynamoItem;

/// Derives neither `DynamoAttribute` nor the conversion traits.
struct Address {
    city: String,
}

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    username: String,
    address: Address,
}

fn main() {}
