use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
union Bits {
    int: u64,
    float: f64,
}

fn main() {}
