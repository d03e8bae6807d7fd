use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "envelopes")]
struct Envelope<T> {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(flatten)]
    body: T,
}

fn main() {}
