//! Expressions: typed paths, conditions and filters, updates and key
//! conditions. Every name and value goes through `#n` / `:v` placeholders;
//! no user text is ever spliced into an expression string.

mod path;

pub use path::{Field, ListLike, MapLike, Path, PathElement};
