use dynamo_orm::DynamoItem;
use dynamo_orm::expr::Update;

#[derive(DynamoItem)]
#[dynamo(table = "events")]
struct Event {
    #[dynamo(hash_key)]
    stream: String,
    #[dynamo(range_key)]
    at: i64,
    note: Option<String>,
}

fn main() {
    let _ = Update::new().remove(Event::FIELDS.note).remove(Event::FIELDS.at);
}
