//! The error accumulator: every stage reports into one [`Ctxt`] so that all the
//! mistakes of a struct are shown together, each at its own token.

use std::cell::RefCell;
use std::fmt::Display;

use quote::ToTokens;

/// Collects errors while the input is parsed and checked (serde's `Ctxt`).
#[derive(Default)]
pub struct Ctxt {
    errors: RefCell<Option<syn::Error>>,
}

impl Ctxt {
    pub fn new() -> Self {
        Self::default()
    }

    /// An error spanning `tokens` (first to last token).
    pub fn error_spanned_by<T: ToTokens>(&self, tokens: T, message: impl Display) {
        self.syn_error(syn::Error::new_spanned(tokens, message));
    }

    /// An error from `syn` (a value that did not parse).
    pub fn syn_error(&self, error: syn::Error) {
        let mut errors = self.errors.borrow_mut();
        match errors.as_mut() {
            Some(all) => all.combine(error),
            None => *errors = Some(error),
        }
    }

    /// How many errors were reported so far.
    pub fn error_count(&self) -> usize {
        self.errors
            .borrow()
            .as_ref()
            .map_or(0, |errors| errors.into_iter().count())
    }

    /// `Err` with every error reported so far, combined.
    pub fn check(self) -> syn::Result<()> {
        match self.errors.into_inner() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}
