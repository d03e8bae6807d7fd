//! Derive macros of `dynamo-orm`. Use them through `dynamo_orm::{DynamoItem, DynamoAttribute}`.

mod ast;
mod attr;
mod case;
mod check;
mod ctxt;
mod expand;
mod fallback;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

#[proc_macro_derive(DynamoItem, attributes(dynamo))]
pub fn derive_dynamo_item(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_item(&input)
        .unwrap_or_else(|error| fallback::item(&input, error))
        .into()
}

#[proc_macro_derive(DynamoAttribute, attributes(dynamo))]
pub fn derive_dynamo_attribute(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_attribute(&input)
        .unwrap_or_else(|error| fallback::attribute(&input, error))
        .into()
}
