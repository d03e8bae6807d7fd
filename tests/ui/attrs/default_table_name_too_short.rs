use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
struct Ab {
    #[dynamo(hash_key)]
    id: String,
}

fn main() {}
