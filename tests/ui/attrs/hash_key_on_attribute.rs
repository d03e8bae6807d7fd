use dynamo_orm::DynamoAttribute;

#[derive(DynamoAttribute)]
struct Address {
    #[dynamo(hash_key)]
    city: String,
    zip: String,
}

fn main() {}
