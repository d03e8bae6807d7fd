use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "names")]
struct Name<'a> {
    #[dynamo(hash_key)]
    id: String,
    text: &'a str,
}

fn main() {}
