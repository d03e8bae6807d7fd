use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
enum Role {
    Admin,
    Member,
}

fn main() {}
