use dynamo_orm::DynamoAttribute;

#[derive(DynamoAttribute)]
enum Role {
    Admin,
    #[dynamo(skip)]
    Guest,
}

fn main() {}
