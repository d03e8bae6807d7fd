//! DynamoDB numbers: one parse of a number text into sign, significant
//! digits and exponent, serving every use the crate has for it: validation
//! (finite, at most 38 significant digits, magnitude 1E-130 to
//! 9.9999999999999999999999999999999999999E+125), integer conversion, the
//! canonical form that makes `1`, `1.0` and `1E0` one key, and the size
//! DynamoDB counts for the number.
//!
//! Parsing borrows the text and allocates nothing.

use std::cmp::Ordering;
use std::str::FromStr;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind};

/// Significant digits a DynamoDB number holds at most.
pub(crate) const MAX_DIGITS: usize = 38;

/// The largest magnitude DynamoDB stores, 38 nines.
pub(crate) const MAX_MAGNITUDE: &str = "9.9999999999999999999999999999999999999E+125";

// A parsed number is `0.DIGITS × 10^point`; in that form the smallest stored
// magnitude, 1E-130, has point -129 and the largest, 9.99…E+125, point 126.
const MIN_POINT: i64 = -129;
const MAX_POINT: i64 = 126;

// DynamoDB (like Java's `BigDecimal`) refuses exponents outside `i32`, even on zero.
const MAX_EXPONENT: i64 = i32::MAX as i64;

/// A number text as sign, significant digits and decimal point position.
///
/// The value is `±0.DIGITS × 10^point`, where DIGITS is `head` followed by
/// `tail` (two runs of the text, so that `12.5` needs no copy), free of
/// leading and trailing zeros. Zero has no digits, point 0, and is never
/// negative. Two texts of the same number parse to equal values.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parsed<'a> {
    negative: bool,
    head: &'a [u8],
    tail: &'a [u8],
    point: i64,
}

/// Why DynamoDB would refuse a number text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Not a decimal number (`abc`, `1e`, `--1`, ` 1`, an exponent beyond `i32`).
    Malformed,
    /// `NaN` or an infinity, in any of the spellings floats print.
    NonFinite,
    /// More than 38 significant digits.
    TooManyDigits,
    /// A magnitude of 1E+126 or more.
    TooLarge,
    /// A non-zero magnitude below 1E-130.
    TooSmall,
}

impl Problem {
    /// The reason, for messages.
    #[cfg_attr(not(feature = "json"), allow(dead_code))]
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Problem::Malformed => "not a decimal number",
            Problem::NonFinite => "NaN and infinities are not numbers DynamoDB stores",
            Problem::TooManyDigits => "more than 38 significant digits",
            Problem::TooLarge => "magnitude of 1E+126 or more",
            Problem::TooSmall => "magnitude below 1E-130",
        }
    }

    /// The encoding error for `text`, of the same kind a typed value gets.
    pub(crate) fn encode_error(self, text: &str) -> EncodeError {
        EncodeError::new(match self {
            Problem::NonFinite => EncodeErrorKind::NonFiniteNumber,
            Problem::Malformed => EncodeErrorKind::InvalidNumber(truncated(text)),
            Problem::TooManyDigits | Problem::TooLarge | Problem::TooSmall => {
                EncodeErrorKind::NumberOutOfRange(truncated(text))
            }
        })
    }
}

/// A number text for an error message: at most 64 characters of it (a
/// hostile text may be megabytes long).
pub(crate) fn truncated(text: &str) -> String {
    const KEEP: usize = 64;
    if text.len() <= KEEP {
        return text.to_owned();
    }
    let mut end = KEEP;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &text[..end], text.len())
}

fn leading_digits(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(bytes.len())
}

fn trim_leading_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&b| b == b'0').count();
    digits.split_at(zeros).1
}

fn trim_trailing_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().rev().take_while(|&&b| b == b'0').count();
    digits.split_at(digits.len() - zeros).0
}

/// `[+-]digits` of an exponent, within `i32`.
fn parse_exponent(bytes: &[u8]) -> Option<i64> {
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || leading_digits(digits) != digits.len() {
        return None;
    }
    let mut value: i64 = 0;
    for &d in trim_leading_zeros(digits) {
        value = value * 10 + i64::from(d - b'0');
        if value > MAX_EXPONENT {
            return None;
        }
    }
    Some(if negative { -value } else { value })
}

/// Parses what DynamoDB accepts as a number:
/// `[+-](digits[.[digits]] | .digits)[(e|E)[+-]digits]`, without spaces.
/// `None` for anything else.
pub(crate) fn parse(text: &str) -> Option<Parsed<'_>> {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    };
    let (int, rest) = rest.split_at(leading_digits(rest));
    let (frac, rest) = match rest.split_first() {
        Some((b'.', after)) => after.split_at(leading_digits(after)),
        _ => (&[][..], rest),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let exponent = match rest.split_first() {
        None => 0,
        Some((b'e' | b'E', digits)) => parse_exponent(digits)?,
        Some(_) => return None,
    };
    let int = trim_leading_zeros(int);
    let (head, tail, point) = if int.is_empty() {
        let significant = trim_leading_zeros(frac);
        let zeros = i64::try_from(frac.len() - significant.len()).ok()?;
        (trim_trailing_zeros(significant), &[][..], exponent - zeros)
    } else {
        let point = i64::try_from(int.len()).ok()?.checked_add(exponent)?;
        match trim_trailing_zeros(frac) {
            [] => (trim_trailing_zeros(int), &[][..], point),
            frac => (int, frac, point),
        }
    };
    if head.is_empty() {
        return Some(Parsed::ZERO);
    }
    Some(Parsed {
        negative,
        head,
        tail,
        point,
    })
}

fn is_non_finite(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    ["nan", "inf", "infinity"]
        .iter()
        .any(|word| unsigned.eq_ignore_ascii_case(word))
}

/// Parses a number and checks that DynamoDB stores it.
pub(crate) fn validate(text: &str) -> Result<Parsed<'_>, Problem> {
    let Some(parsed) = parse(text) else {
        return Err(if is_non_finite(text) {
            Problem::NonFinite
        } else {
            Problem::Malformed
        });
    };
    match parsed.problem() {
        None => Ok(parsed),
        Some(problem) => Err(problem),
    }
}

/// Checks that DynamoDB stores the number text; the error is of the kind a
/// typed value of the same number gets.
pub(crate) fn check(text: &str) -> Result<Parsed<'_>, EncodeError> {
    validate(text).map_err(|problem| problem.encode_error(text))
}

/// The size DynamoDB counts for a number text (see [`Parsed::size`]). A text
/// that is not a number counts its length: DynamoDB refuses it anyway.
pub(crate) fn size(text: &str) -> usize {
    parse(text).map_or(text.len(), |parsed| parsed.size())
}

/// The canonical text of a number (`-15e1` for `-1.50E+2`, `0` for zero):
/// equal for two texts exactly when DynamoDB sees one number. `None` when the
/// text is not a number.
pub(crate) fn canonical(text: &str) -> Option<String> {
    parse(text).map(|parsed| parsed.canonical())
}

/// Reads a stored number into an integer type. DynamoDB returns normalised
/// integers, but numbers written by other clients may carry an exponent or
/// trailing zeros (`1E+2`, `100.0`): those are accepted when they are whole.
pub(crate) fn parse_integer<T: FromStr>(
    text: &str,
    target: &'static str,
) -> Result<T, DecodeError> {
    if let Ok(v) = text.parse::<T>() {
        return Ok(v);
    }
    parse(text)
        .and_then(|parsed| parsed.to_integer())
        .ok_or_else(|| {
            DecodeError::new(DecodeErrorKind::InvalidNumber {
                value: truncated(text),
                target,
            })
        })
}

/// Room for the widest integer type's text: a sign and 39 digits (`u128::MAX`), and one more.
const INTEGER_BUF: usize = 41;

/// The number text of a finite `f64` whose shortest round-trip text is `text`,
/// or the error a typed float gets when DynamoDB cannot store it.
///
/// The double nearest DynamoDB's largest number prints as `1e126`, which is
/// out of range; it is written as the 38-nines text instead, which reads
/// back as the same double. Every other double prints inside the range
/// exactly when it lies inside it.
pub(crate) fn float_text(v: f64, text: &str) -> Result<String, EncodeError> {
    if !v.is_finite() {
        return Err(EncodeError::new(EncodeErrorKind::NonFiniteNumber));
    }
    let abs = v.abs();
    // The doubles nearest 1E-130 and 1E+126, which print as those texts.
    const MIN: f64 = 1e-130;
    const MAX: f64 = 1e126;
    if abs == 0.0 || (MIN..MAX).contains(&abs) {
        return Ok(text.to_owned());
    }
    if abs == MAX {
        let mut out = String::with_capacity(MAX_MAGNITUDE.len() + 1);
        if v < 0.0 {
            out.push('-');
        }
        out.push_str(MAX_MAGNITUDE);
        return Ok(out);
    }
    Err(EncodeError::new(EncodeErrorKind::NumberOutOfRange(
        text.to_owned(),
    )))
}

impl<'a> Parsed<'a> {
    const ZERO: Parsed<'static> = Parsed {
        negative: false,
        head: &[],
        tail: &[],
        point: 0,
    };

    /// Whether the number is zero.
    pub(crate) fn is_zero(&self) -> bool {
        self.head.is_empty()
    }

    /// Whether the number is below zero.
    #[cfg_attr(not(feature = "json"), allow(dead_code))]
    pub(crate) fn is_negative(&self) -> bool {
        self.negative
    }

    /// The significant digits, as ASCII.
    pub(crate) fn digits(&self) -> impl Iterator<Item = u8> + 'a {
        self.head.iter().chain(self.tail).copied()
    }

    /// How many significant digits.
    pub(crate) fn digit_count(&self) -> usize {
        self.head.len() + self.tail.len()
    }

    /// Whether the number has no fraction.
    pub(crate) fn is_integer(&self) -> bool {
        i64::try_from(self.digit_count()).is_ok_and(|n| self.point >= n)
    }

    /// Why DynamoDB would refuse the number, if it would.
    pub(crate) fn problem(&self) -> Option<Problem> {
        if self.is_zero() {
            None
        } else if self.digit_count() > MAX_DIGITS {
            Some(Problem::TooManyDigits)
        } else if self.point > MAX_POINT {
            Some(Problem::TooLarge)
        } else if self.point < MIN_POINT {
            Some(Problem::TooSmall)
        } else {
            None
        }
    }

    /// The bytes DynamoDB counts for the number: it stores numbers in base
    /// 100, digits paired from the decimal point, without the leading and
    /// trailing zero pairs; one byte per pair, one for the exponent, and one
    /// more for a negative number. Zero is one byte.
    ///
    /// `1` and `100` are 2 bytes, `1.5` is 3 (`01.50`), `-1` is 3, `1000000`
    /// is 2, 38 significant digits take at most 21.
    pub(crate) fn size(&self) -> usize {
        if self.is_zero() {
            return 1;
        }
        // The first digit has the power `point - 1`, the last `point - n`;
        // the pair of power `p` is `floor(p / 2)`. In i128: a hostile text's
        // point and length are each within i64.
        let n = i128::try_from(self.digit_count()).unwrap_or(i128::MAX / 4);
        let point = i128::from(self.point);
        let first = (point - 1).div_euclid(2);
        let last = (point - n).div_euclid(2);
        let pairs = usize::try_from(first - last + 1).unwrap_or(usize::MAX / 2);
        pairs.saturating_add(1 + usize::from(self.negative))
    }

    /// The canonical text: `[-]DIGITSeEXP` with the value `DIGITS × 10^EXP`
    /// (`-15e1` for `-150`), or `0`.
    pub(crate) fn canonical(&self) -> String {
        if self.is_zero() {
            return "0".to_owned();
        }
        let n = i64::try_from(self.digit_count()).unwrap_or(i64::MAX);
        let exponent = i128::from(self.point) - i128::from(n);
        let mut out = String::with_capacity(self.digit_count() + 8);
        if self.negative {
            out.push('-');
        }
        out.extend(self.digits().map(char::from));
        out.push('e');
        out.push_str(itoa::Buffer::new().format(exponent));
        out
    }

    /// The number as an integer type, when it is whole and fits.
    pub(crate) fn to_integer<T: FromStr>(self) -> Option<T> {
        let mut buf = [0u8; INTEGER_BUF];
        self.integer_text(&mut buf)?.parse().ok()
    }

    /// The plain integer text (`-1500` for `-1.5E+3`) in `buf`, when the
    /// number is whole and short enough for an integer type.
    fn integer_text<'b>(&self, buf: &'b mut [u8; INTEGER_BUF]) -> Option<&'b str> {
        if self.is_zero() {
            return Some("0");
        }
        if !self.is_integer() {
            return None;
        }
        let width = usize::try_from(self.point).ok()?;
        let len = width + usize::from(self.negative);
        let out = buf.get_mut(..len)?;
        out.fill(b'0');
        let (sign, body) = out.split_at_mut(usize::from(self.negative));
        sign.fill(b'-');
        for (slot, digit) in body.iter_mut().zip(self.digits()) {
            *slot = digit;
        }
        std::str::from_utf8(out).ok()
    }

    /// The plain decimal text (`0.005`, `-1250`), when the decimal point lies
    /// within `limit` digits of the first significant digit.
    #[cfg_attr(not(feature = "rust_decimal"), allow(dead_code))]
    pub(crate) fn plain_text(&self, limit: i64) -> Option<String> {
        if self.is_zero() {
            return Some("0".to_owned());
        }
        if !(-limit..=limit).contains(&self.point) {
            return None;
        }
        let n = self.digit_count();
        let mut out = String::with_capacity(n + 4 + usize::try_from(limit).ok()?);
        if self.negative {
            out.push('-');
        }
        let point = usize::try_from(self.point);
        match point {
            Err(_) | Ok(0) => {
                out.push_str("0.");
                let zeros = usize::try_from(-self.point).ok()?;
                out.extend(std::iter::repeat_n('0', zeros));
                out.extend(self.digits().map(char::from));
            }
            Ok(p) if p >= n => {
                out.extend(self.digits().map(char::from));
                out.extend(std::iter::repeat_n('0', p - n));
            }
            Ok(p) => {
                for (i, d) in self.digits().enumerate() {
                    if i == p {
                        out.push('.');
                    }
                    out.push(char::from(d));
                }
            }
        }
        Some(out)
    }

    /// Orders by value's representation (sign, point, digits): equal exactly
    /// when the numbers are equal. Not numeric order.
    pub(crate) fn identity_cmp(&self, other: &Self) -> Ordering {
        self.negative
            .cmp(&other.negative)
            .then(self.point.cmp(&other.point))
            .then_with(|| self.digits().cmp(other.digits()))
    }
}

impl PartialEq for Parsed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.identity_cmp(other) == Ordering::Equal
    }
}

impl Eq for Parsed<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Parsed<'_> {
        parse(text).unwrap_or_else(|| panic!("{text:?} should parse"))
    }

    fn digits(parsed: &Parsed<'_>) -> String {
        parsed.digits().map(char::from).collect()
    }

    const HOSTILE: [&str; 17] = [
        "", "-", "+", ".", "-.", "e1", "1e", "1e+", "1.2.3", "1e1.5", "--1", "+-1", " 1", "1 ",
        "0x10", "1_000", "١",
    ];

    #[test]
    fn parses_sign_digits_and_point() {
        let cases: [(&str, bool, &str, i64); 14] = [
            ("0.001", false, "1", -2),
            ("-12.5e3", true, "125", 5),
            ("100", false, "1", 3),
            ("1E+2", false, "1", 3),
            ("1.50", false, "15", 1),
            ("0.15E+1", false, "15", 1),
            ("+0150.000", false, "15", 3),
            ("1.", false, "1", 1),
            (".5", false, "5", 0),
            ("00012", false, "12", 2),
            ("1.05", false, "105", 1),
            ("1E0005", false, "1", 6),
            ("10.01", false, "1001", 2),
            ("-0.0102e-1", true, "102", -2),
        ];
        for (text, negative, want, point) in cases {
            let parsed = p(text);
            assert_eq!(
                (parsed.is_negative(), digits(&parsed).as_str(), parsed.point),
                (negative, want, point),
                "{text}"
            );
        }
        for zero in ["0", "-0", "0.0", "-0.00e5", "0E+9999", ".0", "0."] {
            let parsed = p(zero);
            assert!(parsed.is_zero() && !parsed.is_negative(), "{zero}");
            assert_eq!(parsed, Parsed::ZERO);
        }
    }

    #[test]
    fn refuses_hostile_texts() {
        for text in HOSTILE {
            assert!(parse(text).is_none(), "{text:?}");
            assert_eq!(validate(text), Err(Problem::Malformed), "{text:?}");
            assert!(canonical(text).is_none(), "{text:?}");
        }
        for text in ["NaN", "nan", "-inf", "+Infinity", "INF"] {
            assert!(parse(text).is_none(), "{text}");
            assert_eq!(validate(text), Err(Problem::NonFinite), "{text}");
            assert_eq!(
                check(text).unwrap_err().kind(),
                &EncodeErrorKind::NonFiniteNumber
            );
        }
        // Exponents beyond i32 are not numbers to DynamoDB, whatever the mantissa.
        for text in [
            "1e999999999999",
            "0E+99999999999999999999",
            "1e-2147483648",
            "1e9223372036854775808",
        ] {
            assert_eq!(validate(text), Err(Problem::Malformed), "{text}");
            assert!(matches!(
                check(text).unwrap_err().kind(),
                EncodeErrorKind::InvalidNumber(_)
            ));
        }
        assert_eq!(p("1e2147483647").point, 2147483648);
        assert_eq!(validate("1e2147483647"), Err(Problem::TooLarge));
    }

    #[test]
    fn validates_digits_and_range() {
        for ok in [
            "1E-130",
            "-1E-130",
            MAX_MAGNITUDE,
            "-9.9999999999999999999999999999999999999E+125",
            "12345678901234567890123456789012345678",
            "1234567890123456789012345678901234567800000",
            "0.00000000000000000000000000000000000001",
            "0E+999999",
            "1.",
            "+5",
        ] {
            assert!(validate(ok).is_ok(), "{ok}");
            assert!(check(ok).is_ok(), "{ok}");
        }
        assert_eq!(validate("1E+126"), Err(Problem::TooLarge));
        assert_eq!(validate("-1E+126"), Err(Problem::TooLarge));
        assert_eq!(validate("9.9E-131"), Err(Problem::TooSmall));
        assert_eq!(
            validate("123456789012345678901234567890123456789"),
            Err(Problem::TooManyDigits)
        );
        assert_eq!(
            validate("9.99999999999999999999999999999999999999E+125"),
            Err(Problem::TooManyDigits)
        );
        for problem in [
            Problem::Malformed,
            Problem::NonFinite,
            Problem::TooManyDigits,
            Problem::TooLarge,
            Problem::TooSmall,
        ] {
            assert!(!problem.describe().is_empty());
        }
        let err = check("1E+126").unwrap_err();
        assert_eq!(
            err.kind(),
            &EncodeErrorKind::NumberOutOfRange("1E+126".into())
        );
    }

    #[test]
    fn a_thousand_digits() {
        let ones = "1".repeat(1000);
        assert_eq!(validate(&ones), Err(Problem::TooManyDigits));
        let big = format!("1{}", "0".repeat(999));
        assert_eq!(p(&big).digit_count(), 1);
        assert_eq!(validate(&big), Err(Problem::TooLarge));
        let tiny = format!("0.{}1", "0".repeat(999));
        assert_eq!(validate(&tiny), Err(Problem::TooSmall));
        let err = check(&ones).unwrap_err();
        let EncodeErrorKind::NumberOutOfRange(shown) = err.kind() else {
            panic!("{err}");
        };
        assert!(
            shown.len() < 100 && shown.ends_with("(1000 bytes)"),
            "{shown}"
        );
        assert!(size(&ones) > 500);
        assert!(parse_integer::<i64>(&ones, "i64").is_err());
        assert!(parse_integer::<i64>(&big, "i64").is_err());
        assert_eq!(canonical(&big).as_deref(), Some("1e999"));
    }

    #[test]
    fn canonical_form_is_key_identity() {
        let c = |s: &str| canonical(s).unwrap();
        assert_eq!(c("1"), c("1.0"));
        assert_eq!(c("1"), c("1E0"));
        assert_eq!(c("150"), c("1.5e2"));
        assert_eq!(c("150"), c("+0150.000"));
        assert_eq!(c("0"), c("-0.00"));
        assert_eq!(c("-0.015"), c("-1.5E-2"));
        assert_ne!(c("15"), c("150"));
        assert_ne!(c("-1"), c("1"));
        assert_ne!(c("1.01"), c("1.1"));
        assert_eq!(c("-150"), "-15e1");
        assert_eq!(c("0.001"), "1e-3");
        assert_eq!(c("0"), "0");
        assert_eq!(canonical("abc"), None);
        assert_eq!(canonical("."), None);
        assert_eq!(canonical("1e"), None);
        assert_eq!(p("1.0"), p("1"));
        assert_ne!(p("1.0"), p("-1"));
    }

    /// The sizes DynamoDB Local reports (found by filling items to the
    /// 409,600-byte limit; `tests/item_size.rs` checks the boundary).
    #[test]
    fn sizes_as_dynamodb_counts_them() {
        let cases: [(&str, usize); 41] = [
            ("0", 1),
            ("-0", 1),
            ("0.0", 1),
            ("1", 2),
            ("9", 2),
            ("10", 2),
            ("99", 2),
            ("100", 2),
            ("101", 3),
            ("1234", 3),
            ("12345", 4),
            ("123456", 4),
            ("1000000", 2),
            ("1.5", 3),
            ("15", 2),
            ("0.5", 2),
            ("0.05", 2),
            ("0.005", 2),
            ("1.05", 3),
            ("10.5", 3),
            ("1.234", 4),
            ("123.4", 4),
            ("0.123", 3),
            ("-1", 3),
            ("-12", 3),
            ("-123", 4),
            ("-1.5", 4),
            ("-0.5", 3),
            ("-100", 3),
            ("1E+125", 2),
            ("1E-130", 2),
            ("-1E-130", 3),
            (MAX_MAGNITUDE, 20),
            ("-9.9999999999999999999999999999999999999E+125", 21),
            ("12345678901234567890123456789012345678", 20),
            ("1.2345678901234567890123456789012345678", 21),
            ("0.12345678901234567890123456789012345678", 20),
            ("1100", 2),
            ("1010", 3),
            ("10100", 3),
            ("0.1010", 3),
        ];
        for (text, want) in cases {
            assert_eq!(size(text), want, "{text}");
        }
        assert_eq!(size("abc"), 3);
        assert_eq!(size(""), 0);
        // Hostile exponents neither overflow nor panic.
        assert!(size("1e2147483647") >= 2);
        assert!(size("1e-2147483647") >= 2);
    }

    #[test]
    fn integers() {
        let int = |s: &str| parse_integer::<i64>(s, "i64");
        assert_eq!(int("42").unwrap(), 42);
        assert_eq!(int("1E+2").unwrap(), 100);
        assert_eq!(int("1.50e1").unwrap(), 15);
        assert_eq!(int("-100.000").unwrap(), -100);
        assert_eq!(int("0E+999999").unwrap(), 0);
        assert_eq!(int("-0.0e-5").unwrap(), 0);
        assert_eq!(int("1.").unwrap(), 1);
        assert_eq!(int("9.223372036854775807e18").unwrap(), i64::MAX);
        assert_eq!(int("-9.223372036854775808E+18").unwrap(), i64::MIN);
        assert_eq!(
            parse_integer::<u128>("3.40282366920938463463374607431768211455e38", "u128").unwrap(),
            u128::MAX
        );
        assert_eq!(
            parse_integer::<i128>("-1.70141183460469231731687303715884105728E+38", "i128").unwrap(),
            i128::MIN
        );
        for bad in [
            "1.55e1",
            "1.5",
            "abc",
            "1e999999",
            "1e9223372036854775807",
            "9.223372036854775808e18",
            "1e40",
            "NaN",
        ] {
            let err = int(bad).unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    DecodeErrorKind::InvalidNumber { target: "i64", .. }
                ),
                "{bad}"
            );
        }
        for text in HOSTILE {
            assert!(int(text).is_err(), "{text:?}");
        }
        assert!(parse_integer::<u8>("-1", "u8").is_err());
        assert!(parse_integer::<u8>("2.56e2", "u8").is_err());
    }

    #[test]
    fn plain_decimal_text() {
        let plain = |s: &str| p(s).plain_text(40);
        assert_eq!(plain("1.25E+3").as_deref(), Some("1250"));
        assert_eq!(plain("-5e-3").as_deref(), Some("-0.005"));
        assert_eq!(plain("0.0e5").as_deref(), Some("0"));
        assert_eq!(plain("00012.5e-1").as_deref(), Some("1.25"));
        assert_eq!(plain(".5").as_deref(), Some("0.5"));
        assert_eq!(plain("12.5").as_deref(), Some("12.5"));
        assert_eq!(plain("1e41"), None);
        assert_eq!(plain("1e-42"), None);
    }

    #[test]
    fn floats_at_the_edges() {
        let text = |v: f64| float_text(v, ryu::Buffer::new().format_finite(v));
        // The double nearest the largest stored number prints as 1e126.
        let max: f64 = MAX_MAGNITUDE.parse().unwrap();
        assert_eq!(max, 1e126);
        assert_eq!(ryu::Buffer::new().format_finite(max), "1e126");
        assert_eq!(text(max).unwrap(), MAX_MAGNITUDE);
        assert_eq!(text(-max).unwrap(), format!("-{MAX_MAGNITUDE}"));
        assert_eq!(text(max).unwrap().parse::<f64>().unwrap(), max);
        // The next double up cannot be stored.
        let above = f64::from_bits(max.to_bits() + 1);
        assert!(matches!(
            text(above).unwrap_err().kind(),
            EncodeErrorKind::NumberOutOfRange(_)
        ));
        let below = f64::from_bits(max.to_bits() - 1);
        assert!(validate(&text(below).unwrap()).is_ok());
        // The smallest: the double nearest 1E-130 prints as 1e-130.
        let min: f64 = "1E-130".parse().unwrap();
        assert_eq!(text(min).unwrap(), "1e-130");
        assert_eq!(text(-min).unwrap(), "-1e-130");
        let under = f64::from_bits(min.to_bits() - 1);
        assert!(text(under).is_err());
        assert!(validate(ryu::Buffer::new().format_finite(under)).is_err());
        assert_eq!(text(0.0).unwrap(), "0.0");
        assert!(matches!(
            float_text(f64::NAN, "").unwrap_err().kind(),
            EncodeErrorKind::NonFiniteNumber
        ));
    }

    #[test]
    fn truncates_long_texts() {
        assert_eq!(truncated("12"), "12");
        let long = "é".repeat(100);
        let shown = truncated(&long);
        assert!(shown.starts_with("éé") && shown.ends_with("(200 bytes)"));
    }
}
