use dynamo_orm::{DynamoAttribute, DynamoItem};

#[derive(DynamoAttribute, Debug, Clone, PartialEq)]
struct UserId {
    region: String,
}

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    id: UserId,
}
