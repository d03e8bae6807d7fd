//! `rust_decimal::Decimal`, stored as a number (`N`) from and to its exact
//! decimal text: no float on the way, so `0.1` stays `0.1`.
//!
//! Every `Decimal` fits DynamoDB (at most 29 significant digits, magnitude
//! below 8e28). Reading refuses numbers a `Decimal` cannot hold exactly
//! (more than 28 fraction digits, or too large) instead of rounding them.

use rust_decimal::Decimal;

use super::{FromAttribute, IntoAttribute, KeyScalar, Number, SetElement, decode_number_set};
use crate::AttributeValue;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::schema::ScalarType;

impl Number for Decimal {
    fn __to_number(&self) -> Result<String, EncodeError> {
        if self.is_zero() {
            // Not `-0` or `0.00`: DynamoDB stores zero as `0` anyway.
            return Ok("0".to_owned());
        }
        Ok(self.to_string())
    }

    fn __from_number(text: &str) -> Result<Self, DecodeError> {
        let text = text.trim();
        let parsed = if text.contains(['e', 'E']) {
            // Written by another client in scientific notation; DynamoDB
            // itself returns plain decimals.
            plain_decimal(text).and_then(|plain| Decimal::from_str_exact(&plain).ok())
        } else if text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'))
        {
            // `from_str_exact` also takes `_` separators; a stored number has none.
            Decimal::from_str_exact(text).ok()
        } else {
            None
        };
        parsed.ok_or_else(|| {
            DecodeError::new(DecodeErrorKind::InvalidNumber {
                value: text.to_owned(),
                target: "Decimal",
            })
        })
    }
}

/// `"1.25E+3"` -> `"1250"`, `"-5e-3"` -> `"-0.005"`. `None` for malformed text
/// and for exponents far outside what a `Decimal` holds.
fn plain_decimal(text: &str) -> Option<String> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'-' => ("-", &text[1..]),
        b'+' => ("", &text[1..]),
        _ => ("", text),
    };
    let (mantissa, exp) = rest.split_once(['e', 'E'])?;
    let exp: i32 = exp.parse().ok()?;
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty()
        || !int_part
            .bytes()
            .chain(frac_part.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some("0".to_owned());
    }
    // Value = digits * 10^(point - digits.len()), `point` counted from the
    // first significant digit.
    let leading_zeros = int_part.len() + frac_part.len() - digits.len();
    let point =
        i64::try_from(int_part.len()).ok()? - i64::try_from(leading_zeros).ok()? + i64::from(exp);
    // A Decimal has 96 bits of mantissa and scale <= 28: anything further out
    // cannot fit, and refusing early keeps the text small.
    if !(-40..=40).contains(&point) {
        return None;
    }
    let len = i64::try_from(digits.len()).ok()?;
    let plain = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(usize::try_from(-point).ok()?))
    } else if point >= len {
        format!("{digits}{}", "0".repeat(usize::try_from(point - len).ok()?))
    } else {
        let (a, b) = digits.split_at(usize::try_from(point).ok()?);
        format!("{a}.{b}")
    };
    Some(format!("{sign}{plain}"))
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
