use dynamo_orm::DynamoAttribute;

#[derive(DynamoAttribute)]
#[dynamo(table = "addresses")]
struct Address {
    city: String,
}

fn main() {}
