//! Host package of the workspace: it owns `examples/`, `tests/` and `benches/`
//! and is not published. It also compiles the README's code as a doctest.

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
