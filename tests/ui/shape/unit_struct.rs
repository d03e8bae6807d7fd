use dynamo_orm::DynamoAttribute;

#[derive(DynamoAttribute)]
struct Marker;

fn main() {}
