use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "boxes")]
struct Boxed<K> {
    #[dynamo(hash_key)]
    id: K,
    label: String,
}

fn main() {}
