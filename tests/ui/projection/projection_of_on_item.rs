use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users", projection_of = User)]
struct Summary {
    #[dynamo(hash_key)]
    username: String,
}

fn main() {}
