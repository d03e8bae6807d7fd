use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
struct User(String, i64);

fn main() {}
