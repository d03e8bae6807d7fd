//! Mistakes in `#[derive(DynamoItem)]`, `#[derive(DynamoAttribute)]`,
//! `#[derive(DynamoTable)]` and `#[derive(DynamoEntities)]` input (and in the
//! typed queries they give):
//! each case in `tests/ui/` makes one (or, in `attrs/many_mistakes.rs`, several)
//! and its `.stderr` shows the error at the offending token.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/**/*.rs");
}
