use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "envelopes", bound = "T IntoAttribute")]
struct Envelope<T> {
    #[dynamo(hash_key)]
    id: String,
    body: T,
}

fn main() {}
