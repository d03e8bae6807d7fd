use std::collections::HashSet;
use std::hash::Hash;

use dynamo_orm::DynamoItem;

/// The inferred bound is `T: IntoAttribute + FromAttribute + AttrKind`; a set
/// of `T` needs `bound = "T: SetElement + AttrKind"`.
#[derive(DynamoItem)]
#[dynamo(table = "tagged")]
struct Tagged<T: Eq + Hash> {
    #[dynamo(hash_key)]
    id: String,
    tags: HashSet<T>,
}

fn main() {}
