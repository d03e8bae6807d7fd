//! Test and example host package.
