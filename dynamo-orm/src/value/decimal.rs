//! `rust_decimal::Decimal`, stored as a number (`N`) from and to its exact
//! decimal text: no float on the way, so `0.1` stays `0.1`.
//!
//! Every `Decimal` fits DynamoDB (at most 29 significant digits, magnitude
//! below 8e28). Reading refuses numbers a `Decimal` cannot hold exactly
//! (more than 28 fraction digits, or too large) instead of rounding them.

use rust_decimal::Decimal;

use super::{
    FromAttribute, IntoAttribute, KeyScalar, Number, SetElement, decode_number_set, number,
};
use crate::AttributeValue;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::value::ScalarType;

impl Number for Decimal {
    fn __to_number(&self) -> Result<String, EncodeError> {
        if self.is_zero() {
            // Not `-0` or `0.00`: DynamoDB stores zero as `0` anyway.
            return Ok("0".to_owned());
        }
        Ok(self.to_string())
    }

    fn __from_number(text: &str) -> Result<Self, DecodeError> {
        // The plain decimal text DynamoDB returns reads directly; other
        // forms (`1.25E+3`, `.5`, written by other clients) go through their
        // parsed digits. `from_str_exact` alone would also take `_`.
        let plain = text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.'));
        let parsed = if plain {
            Decimal::from_str_exact(text).ok()
        } else {
            None
        };
        // A Decimal has 96 bits of mantissa and scale <= 28: a point further
        // than 40 digits out cannot fit, and refusing early keeps the text small.
        parsed
            .or_else(|| {
                let plain = number::parse(text)?.plain_text(40)?;
                Decimal::from_str_exact(&plain).ok()
            })
            .ok_or_else(|| {
                DecodeError::new(DecodeErrorKind::InvalidNumber {
                    value: number::truncated(text),
                    target: "Decimal",
                })
            })
    }
}

number_attribute!(Decimal);
number_set!(Decimal);

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::str::FromStr;

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn exact_text_both_ways() {
        for text in [
            "0.1",
            "-12.345",
            "79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "1.50",
        ] {
            let d = dec(text);
            let av = d.to_attribute().unwrap();
            assert_eq!(av, AttributeValue::N(text.to_owned()));
            let back = Decimal::from_attribute(av).unwrap();
            assert_eq!(back, d);
            assert_eq!(back.to_string(), text);
        }
        assert_eq!(
            dec("-0.00").to_attribute().unwrap(),
            AttributeValue::N("0".into())
        );
    }

    #[test]
    fn reads_scientific_notation() {
        for (text, want) in [
            ("1.25E+3", "1250"),
            ("-5e-3", "-0.005"),
            ("0.0e5", "0"),
            ("00012.5e-1", "1.25"),
            ("1E+28", "10000000000000000000000000000"),
            ("+7e0", "7"),
            (".5", "0.5"),
            ("1.", "1"),
            ("+2.5", "2.5"),
        ] {
            let d = Decimal::from_attribute(AttributeValue::N(text.into())).unwrap();
            assert_eq!(d, dec(want), "{text}");
        }
    }

    #[test]
    fn refuses_what_does_not_fit_exactly() {
        for text in [
            "1e30",
            "1e-29",
            "0.00000000000000000000000000001",
            "79228162514264337593543950336",
            "1e999999999999",
            "abc",
            "1_000",
            "",
            "e5",
            "1e",
            "NaN",
            "--1",
            " 1",
            "1e-2147483649",
        ] {
            let err = Decimal::from_attribute(AttributeValue::N(text.into())).unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    DecodeErrorKind::InvalidNumber {
                        target: "Decimal",
                        ..
                    }
                ),
                "{text}: {err}"
            );
        }
        let err = Decimal::from_attribute(AttributeValue::S("1".into())).unwrap_err();
        assert_eq!((err.expected(), err.found()), (Some("N"), Some("S")));
    }

    #[test]
    fn extremes_read_back() {
        for d in [
            Decimal::MAX,
            Decimal::MIN,
            dec("0.0000000000000000000000000001"),
        ] {
            let av = d.to_attribute().unwrap();
            crate::value::check_value(&av).unwrap();
            assert_eq!(Decimal::from_attribute(av).unwrap(), d);
        }
        // DynamoDB's edges are beyond a Decimal: refused, not rounded.
        for text in [number::MAX_MAGNITUDE, "1E-130"] {
            assert!(Decimal::from_attribute(AttributeValue::N(text.into())).is_err());
        }
    }

    #[test]
    fn number_sets() {
        let set: BTreeSet<Decimal> = [dec("0.1"), dec("2"), dec("-3.5")].into_iter().collect();
        let av = set.to_attribute().unwrap();
        assert_eq!(
            av,
            AttributeValue::Ns(vec!["-3.5".into(), "0.1".into(), "2".into()])
        );
        assert_eq!(BTreeSet::<Decimal>::from_attribute(av).unwrap(), set);
        let err =
            BTreeSet::<Decimal>::from_attribute(AttributeValue::Ns(vec!["1".into(), "x".into()]))
                .unwrap_err();
        assert_eq!(err.path().to_string(), "[1]");
    }
}
