use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "boxes")]
struct Box<T> {
    #[dynamo(hash_key)]
    id: String,
    content: T,
}

fn main() {}
