//! Interoperability with [PynamoDB](https://pynamodb.readthedocs.io), the
//! Python object mapper, for tables that Python and Rust services share.
//!
//! PynamoDB's `UTCDateTimeAttribute` stores a timestamp as a string (`S`) of
//! the format `%Y-%m-%dT%H:%M:%S.%f+0000`: UTC, six fraction digits
//! (microseconds), a literal `+0000`, always 31 characters. It is fixed
//! width, so it sorts chronologically (a range key or a `BETWEEN` works).
//! Use these modules on `chrono::DateTime<Utc>` fields with
//! `#[dynamo(with = ...)]` (feature `chrono`):
//!
//! ```
//! use chrono::{DateTime, TimeZone, Utc};
//! use dynamo_orm::{AttributeValue, DynamoItem};
//!
//! #[derive(DynamoItem, Debug, PartialEq)]
//! #[dynamo(table = "events")]
//! struct Event {
//!     #[dynamo(hash_key)]
//!     id: String,
//!     #[dynamo(with = dynamo_orm::value::pynamodb::utc_datetime)]
//!     created: DateTime<Utc>,
//!     // `default`: an item PynamoDB wrote without the attribute reads as None.
//!     #[dynamo(with = dynamo_orm::value::pynamodb::optional_utc_datetime, default)]
//!     deleted: Option<DateTime<Utc>>,
//! }
//!
//! let event = Event {
//!     id: "e1".into(),
//!     created: Utc.with_ymd_and_hms(2013, 4, 15, 19, 31, 8).unwrap(),
//!     deleted: None,
//! };
//! let item = event.to_item()?;
//! assert_eq!(item["created"], AttributeValue::S("2013-04-15T19:31:08.000000+0000".into()));
//! assert_eq!(item["deleted"], AttributeValue::Null(true));
//! assert_eq!(Event::from_item(item)?, event);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Writing gives exactly PynamoDB's format. Precision below a microsecond
//! is dropped (the value is rounded down to its microsecond, as the format
//! holds no more), and years outside 1–9999 and leap seconds, which a Python
//! `datetime` cannot hold, are refused. Reading accepts what PynamoDB writes
//! and what it reads: the 31-character format, and years below 1000 without
//! their leading zeros (some platforms' `strftime` writes them so).

use ::chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

use super::FromAttribute;
use crate::AttributeValue;
use crate::error::{DecodeError, EncodeError};

const FORMAT: &str = "PynamoDB's UTC timestamp (%Y-%m-%dT%H:%M:%S.%f+0000)";

fn encode(value: &DateTime<Utc>) -> Result<String, EncodeError> {
    let year = value.year();
    if !(1..=9999).contains(&year) {
        return Err(EncodeError::invalid(format_args!(
            "year {year} is outside 1-9999, which PynamoDB (a Python datetime) can hold"
        )));
    }
    let nanos = value.nanosecond();
    if nanos >= 1_000_000_000 {
        return Err(EncodeError::invalid(
            "a leap second cannot be stored in PynamoDB's format (a Python datetime has none)",
        ));
    }
    Ok(format!(
        "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+0000",
        value.month(),
        value.day(),
        value.hour(),
        value.minute(),
        value.second(),
        nanos / 1000,
    ))
}

/// The digits of `text[range]` as a number; `None` unless all are ASCII digits.
fn field(text: &[u8], start: usize, len: usize) -> Option<u32> {
    let digits = text.get(start..start + len)?;
    digits.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

fn parse(text: &str) -> Option<DateTime<Utc>> {
    // PynamoDB pads a short year (`999-01-01T…`) with zeros before parsing.
    let padded;
    let text = match text.as_bytes().get(4) {
        Some(&b) if b != b'-' && text.len() < 31 => {
            padded = format!("{text:0>31}");
            padded.as_str()
        }
        _ => text,
    };
    let bytes = text.as_bytes();
    if bytes.len() != 31 {
        return None;
    }
    let separators = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
    ];
    if separators.iter().any(|&(i, c)| bytes.get(i) != Some(&c)) || !text.ends_with("+0000") {
        return None;
    }
    let year = i32::try_from(field(bytes, 0, 4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, field(bytes, 5, 2)?, field(bytes, 8, 2)?)?;
    let time = date.and_hms_micro_opt(
        field(bytes, 11, 2)?,
        field(bytes, 14, 2)?,
        field(bytes, 17, 2)?,
        field(bytes, 20, 6)?,
    )?;
    // Python has no year 0 and no leap seconds (which chrono would take as microsecond >= 1e6).
    (year >= 1).then(|| time.and_utc())
}

fn decode(value: AttributeValue) -> Result<DateTime<Utc>, DecodeError> {
    let text = String::from_attribute(value)?;
    parse(&text).ok_or_else(|| DecodeError::invalid(FORMAT, format_args!("{text:?}")))
}

/// `DateTime<Utc>` in PynamoDB's `UTCDateTimeAttribute` format, for
/// `#[dynamo(with = dynamo_orm::value::pynamodb::utc_datetime)]`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use dynamo_orm::{value::pynamodb::utc_datetime, AttributeValue};
///
/// let t = Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 59).unwrap()
///     + chrono::Duration::microseconds(123_456);
/// let av = utc_datetime::to_attribute(&t)?;
/// assert_eq!(av, AttributeValue::S("2024-02-29T23:59:59.123456+0000".into()));
/// assert_eq!(utc_datetime::from_attribute(av)?, t);
/// assert!(utc_datetime::from_attribute(AttributeValue::S("2024-02-29T23:59:59Z".into())).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub mod utc_datetime {
    use super::*;

    /// The `S` PynamoDB writes: `2013-04-15T19:31:08.000000+0000`. Below a
    /// microsecond is dropped; years outside 1–9999 and leap seconds are refused.
    pub fn to_attribute(value: &DateTime<Utc>) -> Result<AttributeValue, EncodeError> {
        encode(value).map(AttributeValue::S)
    }

    /// Reads what PynamoDB writes.
    pub fn from_attribute(value: AttributeValue) -> Result<DateTime<Utc>, DecodeError> {
        decode(value)
    }
}

/// `Option<DateTime<Utc>>` in PynamoDB's format: `None` is written as
/// `NULL` (a `with` field is always written) and `NULL` reads as `None`, as
/// PynamoDB reads it. PynamoDB leaves a `None` attribute out of the item
/// instead; add `default` to the field so that a missing attribute reads as
/// `None` too.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use dynamo_orm::{value::pynamodb::optional_utc_datetime, AttributeValue};
///
/// assert_eq!(optional_utc_datetime::to_attribute(&None)?, AttributeValue::Null(true));
/// assert_eq!(optional_utc_datetime::from_attribute(AttributeValue::Null(true))?, None);
/// let t = Utc.with_ymd_and_hms(1999, 12, 31, 0, 0, 0).unwrap();
/// let av = optional_utc_datetime::to_attribute(&Some(t))?;
/// assert_eq!(optional_utc_datetime::from_attribute(av)?, Some(t));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub mod optional_utc_datetime {
    use super::*;

    /// `NULL` for `None`, else as [`utc_datetime::to_attribute`].
    pub fn to_attribute(value: &Option<DateTime<Utc>>) -> Result<AttributeValue, EncodeError> {
        match value {
            Some(v) => encode(v).map(AttributeValue::S),
            None => Ok(AttributeValue::Null(true)),
        }
    }

    /// `None` for `NULL`, else as [`utc_datetime::from_attribute`].
    pub fn from_attribute(value: AttributeValue) -> Result<Option<DateTime<Utc>>, DecodeError> {
        match value {
            AttributeValue::Null(_) => Ok(None),
            other => decode(other).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use ::chrono::{Duration, TimeZone};

    use super::*;

    fn s(text: &str) -> AttributeValue {
        AttributeValue::S(text.to_owned())
    }

    #[test]
    fn writes_exactly_pynamodbs_format() {
        let cases = [
            (
                Utc.with_ymd_and_hms(2013, 4, 15, 19, 31, 8).unwrap(),
                "2013-04-15T19:31:08.000000+0000",
            ),
            (
                Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap(),
                "0001-01-01T00:00:00.000000+0000",
            ),
            (
                Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap()
                    + Duration::nanoseconds(999_999_999),
                "9999-12-31T23:59:59.999999+0000",
            ),
            (
                Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap() + Duration::nanoseconds(1_500),
                "2020-01-01T00:00:00.000001+0000",
            ),
        ];
        for (t, text) in cases {
            let av = utc_datetime::to_attribute(&t).unwrap();
            assert_eq!(av, s(text));
            let back = utc_datetime::from_attribute(av).unwrap();
            assert_eq!(
                back,
                t - Duration::nanoseconds(i64::from(t.nanosecond() % 1000))
            );
        }
    }

    #[test]
    fn sorts_chronologically() {
        let base = Utc.with_ymd_and_hms(999, 12, 31, 23, 59, 59).unwrap();
        let times: Vec<DateTime<Utc>> = [0, 1, 999_999, 1_000_000, 86_400_000_000]
            .iter()
            .map(|us| base + Duration::microseconds(*us))
            .collect();
        let texts: Vec<String> = times.iter().map(|t| encode(t).unwrap()).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(sorted, texts);
    }

    #[test]
    fn refuses_what_python_cannot_hold() {
        for t in [
            Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap(),
        ] {
            assert!(utc_datetime::to_attribute(&t).is_err(), "{t}");
        }
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc();
        assert!(utc_datetime::to_attribute(&leap).is_err());
    }

    #[test]
    fn reads_what_pynamodb_reads() {
        let t = utc_datetime::from_attribute(s("0999-01-02T03:04:05.000006+0000")).unwrap();
        // A short year, as some platforms' strftime writes it.
        assert_eq!(
            utc_datetime::from_attribute(s("999-01-02T03:04:05.000006+0000")).unwrap(),
            t
        );
        for bad in [
            "",
            "2013-04-15T19:31:08+0000",
            "2013-04-15T19:31:08.000000Z",
            "2013-04-15T19:31:08.000000+00:00",
            "2013-04-15T19:31:08.000000+0100",
            "2013-04-15 19:31:08.000000+0000",
            "2013-02-30T19:31:08.000000+0000",
            "2013-04-15T24:31:08.000000+0000",
            "2013-04-15T19:31:60.000000+0000",
            "0000-01-01T00:00:00.000000+0000",
            "2013-04-15T19:31:08.0000000+0000",
            "2013-04-15T19:31:08.+00000+0000",
            "-013-04-15T19:31:08.000000+0000",
            "2013-04-15T19:31:08.000000+0000 ",
            "２０13-04-15T19:31:08.000000+0000",
        ] {
            let err = utc_datetime::from_attribute(s(bad)).unwrap_err();
            assert!(err.to_string().contains("PynamoDB"), "{bad}: {err}");
        }
        let err = utc_datetime::from_attribute(AttributeValue::N("1".into())).unwrap_err();
        assert_eq!((err.expected(), err.found()), (Some("S"), Some("N")));
        assert!(optional_utc_datetime::from_attribute(s("x")).is_err());
        assert_eq!(
            optional_utc_datetime::from_attribute(s("2013-04-15T19:31:08.000000+0000")).unwrap(),
            Some(Utc.with_ymd_and_hms(2013, 4, 15, 19, 31, 8).unwrap())
        );
    }
}
