use dynamo_orm::DynamoItem;

/// A type of the user's own, named like the generated key of `Record`.
#[derive(Debug)]
pub struct RecordKey {
    pub raw: String,
}

#[derive(DynamoItem)]
#[dynamo(table = "records")]
struct Record {
    #[dynamo(hash_key)]
    id: String,
    body: String,
}

fn main() {}
