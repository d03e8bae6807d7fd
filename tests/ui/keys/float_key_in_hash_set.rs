use std::collections::HashSet;

use dynamo_orm::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "scores")]
struct Score {
    #[dynamo(hash_key)]
    board: String,
    #[dynamo(range_key)]
    points: f64,
}

fn main() {
    let mut seen = HashSet::new();
    seen.insert(Score::key("main", 1.5));
}
