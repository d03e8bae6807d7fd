use dynamo_orm::{DynamoAttribute, DynamoItem};

#[derive(DynamoAttribute)]
struct Created {
    #[dynamo(rename = "note")]
    created_note: String,
}

#[derive(DynamoAttribute)]
struct Updated {
    updated_by: String,
    note: Option<String>,
}

#[derive(DynamoItem)]
#[dynamo(table = "documents")]
struct Doc {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(flatten)]
    created: Created,
    #[dynamo(flatten)]
    updated: Updated,
}

fn main() {}
