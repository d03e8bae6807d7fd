//! `chrono` types, stored as strings (`S`) that sort chronologically.
//!
//! Timestamps are RFC 3339 with exactly nine fraction digits: a fixed-width
//! text compares byte by byte in time order, which is what a range key or a
//! `BETWEEN` condition needs. A shortest form (`…:05Z` next to `…:05.5Z`)
//! would not: `Z` sorts after `.`. Years are limited to 0000–9999, the years
//! RFC 3339 (and a fixed-width text) can hold; other years are refused when
//! writing.
//!
//! | Rust type                | Stored as `S`                           |
//! |--------------------------|-----------------------------------------|
//! | `DateTime<Utc>`          | `2013-04-15T19:31:08.000000000Z`        |
//! | `DateTime<FixedOffset>`  | `2013-04-15T21:31:08.000000000+02:00`   |
//! | `NaiveDateTime`          | `2013-04-15T19:31:08.000000000`         |
//! | `NaiveDate`              | `2013-04-15`                            |
//!
//! `DateTime<FixedOffset>` keeps its offset, so two values sort in time order
//! only when they have the same offset; use `DateTime<Utc>` for sort keys.
//! Reading is lenient: any RFC 3339 timestamp (any number of fraction digits,
//! any offset) reads as `DateTime<Utc>` or `DateTime<FixedOffset>`.

use ::chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Offset, SecondsFormat, Utc,
};

use super::{FromAttribute, IntoAttribute, KeyScalar};
use crate::AttributeValue;
use crate::error::{DecodeError, EncodeError};
use crate::value::ScalarType;

const RFC3339: &str = "an RFC 3339 timestamp";

/// Years a fixed-width, four-digit year can hold.
fn check_year(year: i32) -> Result<(), EncodeError> {
    if (0..=9999).contains(&year) {
        Ok(())
    } else {
        Err(EncodeError::invalid(format_args!(
            "year {year} is outside 0000-9999, which RFC 3339 timestamps and dates can hold"
        )))
    }
}

fn rfc3339(dt: NaiveDateTime, offset: FixedOffset) -> Result<AttributeValue, EncodeError> {
    check_year(dt.year())?;
    if offset.local_minus_utc() % 60 != 0 {
        // RFC 3339 offsets have minutes at most; chrono would round this one.
        return Err(EncodeError::invalid(format_args!(
            "UTC offset {offset} has seconds, which RFC 3339 cannot hold"
        )));
    }
    let dt = DateTime::<FixedOffset>::from_naive_utc_and_offset(dt, offset);
    Ok(AttributeValue::S(
        dt.to_rfc3339_opts(SecondsFormat::Nanos, true),
    ))
}

fn parse_rfc3339(value: AttributeValue) -> Result<DateTime<FixedOffset>, DecodeError> {
    let text = String::from_attribute(value)?;
    DateTime::parse_from_rfc3339(&text)
        .map_err(|e| DecodeError::invalid(RFC3339, format_args!("{text:?}: {e}")))
}

/// `S`, RFC 3339 in UTC with nine fraction digits: `2013-04-15T19:31:08.000000000Z`.
impl IntoAttribute for DateTime<Utc> {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        rfc3339(self.naive_utc(), Utc.fix())
    }
}
/// Any RFC 3339 timestamp, converted to UTC.
impl FromAttribute for DateTime<Utc> {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        parse_rfc3339(value).map(|dt| dt.with_timezone(&Utc))
    }
}
impl KeyScalar for DateTime<Utc> {
    const SCALAR_TYPE: ScalarType = ScalarType::S;
}

/// `S`, RFC 3339 with nine fraction digits and the value's own offset
/// (`Z` for UTC): `2013-04-15T21:31:08.000000000+02:00`.
impl IntoAttribute for DateTime<FixedOffset> {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        rfc3339(self.naive_utc(), *self.offset())
    }
}
impl FromAttribute for DateTime<FixedOffset> {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        parse_rfc3339(value)
    }
}
impl KeyScalar for DateTime<FixedOffset> {
    const SCALAR_TYPE: ScalarType = ScalarType::S;
}

const NAIVE_DATE_TIME: &str = "%Y-%m-%dT%H:%M:%S%.9f";

/// `S`, RFC 3339 without an offset, nine fraction digits: `2013-04-15T19:31:08.000000000`.
impl IntoAttribute for NaiveDateTime {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        check_year(self.year())?;
        Ok(AttributeValue::S(self.format(NAIVE_DATE_TIME).to_string()))
    }
}
/// `YYYY-MM-DDTHH:MM:SS` with any number of fraction digits.
impl FromAttribute for NaiveDateTime {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = String::from_attribute(value)?;
        NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f").map_err(|e| {
            DecodeError::invalid(
                "a date and time (YYYY-MM-DDTHH:MM:SS)",
                format_args!("{text:?}: {e}"),
            )
        })
    }
}
impl KeyScalar for NaiveDateTime {
    const SCALAR_TYPE: ScalarType = ScalarType::S;
}

/// `S`, `YYYY-MM-DD`.
impl IntoAttribute for NaiveDate {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        check_year(self.year())?;
        Ok(AttributeValue::S(self.format("%Y-%m-%d").to_string()))
    }
}
impl FromAttribute for NaiveDate {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = String::from_attribute(value)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|e| DecodeError::invalid("a date (YYYY-MM-DD)", format_args!("{text:?}: {e}")))
    }
}
impl KeyScalar for NaiveDate {
    const SCALAR_TYPE: ScalarType = ScalarType::S;
}

#[cfg(test)]
mod tests {
    use ::chrono::{NaiveTime, TimeZone};

    use super::*;
    use crate::DecodeErrorKind;

    fn s(text: &str) -> AttributeValue {
        AttributeValue::S(text.to_owned())
    }

    #[test]
    fn utc_is_fixed_width_rfc3339() {
        let t = Utc.with_ymd_and_hms(2013, 4, 15, 19, 31, 8).unwrap();
        assert_eq!(
            t.to_attribute().unwrap(),
            s("2013-04-15T19:31:08.000000000Z")
        );
        let t = t + ::chrono::Duration::nanoseconds(500_000_001);
        assert_eq!(
            t.to_attribute().unwrap(),
            s("2013-04-15T19:31:08.500000001Z")
        );
        assert_eq!(
            DateTime::<Utc>::from_attribute(t.to_attribute().unwrap()).unwrap(),
            t
        );
    }

    #[test]
    fn strings_sort_like_times() {
        let base = Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap();
        let times: Vec<DateTime<Utc>> = [
            0i64,
            1,
            500_000_000,
            999_999_999,
            1_000_000_000,
            86_400_000_000_000,
        ]
        .iter()
        .map(|ns| base + ::chrono::Duration::nanoseconds(*ns))
        .collect();
        let texts: Vec<AttributeValue> = times.iter().map(|t| t.to_attribute().unwrap()).collect();
        let mut sorted = texts.clone();
        sorted.sort_by(|a, b| a.as_s().unwrap().cmp(b.as_s().unwrap()));
        assert_eq!(sorted, texts);
    }

    #[test]
    fn fixed_offset_keeps_its_offset() {
        let offset = FixedOffset::east_opt(2 * 3600).unwrap();
        let t = offset.with_ymd_and_hms(2013, 4, 15, 21, 31, 8).unwrap();
        let av = t.to_attribute().unwrap();
        assert_eq!(av, s("2013-04-15T21:31:08.000000000+02:00"));
        let back = DateTime::<FixedOffset>::from_attribute(av).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.offset(), t.offset());
        let utc = FixedOffset::east_opt(0)
            .unwrap()
            .with_ymd_and_hms(2013, 1, 1, 0, 0, 0)
            .unwrap();
        assert_eq!(
            utc.to_attribute().unwrap(),
            s("2013-01-01T00:00:00.000000000Z")
        );
        // Read as UTC from any offset.
        let as_utc = DateTime::<Utc>::from_attribute(s("2013-04-15T21:31:08.25+02:00")).unwrap();
        assert_eq!(
            as_utc.to_attribute().unwrap(),
            s("2013-04-15T19:31:08.250000000Z")
        );
    }

    #[test]
    fn refuses_what_rfc3339_cannot_hold() {
        let odd = FixedOffset::east_opt(3600 + 7).unwrap();
        let t = odd.with_ymd_and_hms(2013, 4, 15, 21, 31, 8).unwrap();
        assert!(t.to_attribute().is_err());
        let far = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
        assert!(far.to_attribute().is_err());
        assert!(far.and_time(NaiveTime::MIN).to_attribute().is_err());
        assert!(
            far.and_time(NaiveTime::MIN)
                .and_utc()
                .to_attribute()
                .is_err()
        );
        let before = NaiveDate::from_ymd_opt(-1, 1, 1).unwrap();
        assert!(before.to_attribute().is_err());
    }

    #[test]
    fn leap_second_round_trips() {
        let t = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc();
        let av = t.to_attribute().unwrap();
        assert_eq!(av, s("2016-12-31T23:59:60.500000000Z"));
        assert_eq!(DateTime::<Utc>::from_attribute(av).unwrap(), t);
    }

    #[test]
    fn naive_types() {
        let d = NaiveDate::from_ymd_opt(2013, 4, 5).unwrap();
        assert_eq!(d.to_attribute().unwrap(), s("2013-04-05"));
        assert_eq!(NaiveDate::from_attribute(s("2013-04-05")).unwrap(), d);
        let dt = d.and_hms_micro_opt(1, 2, 3, 4).unwrap();
        assert_eq!(
            dt.to_attribute().unwrap(),
            s("2013-04-05T01:02:03.000004000")
        );
        assert_eq!(
            NaiveDateTime::from_attribute(dt.to_attribute().unwrap()).unwrap(),
            dt
        );
        assert_eq!(
            NaiveDateTime::from_attribute(s("2013-04-05T01:02:03")).unwrap(),
            d.and_hms_opt(1, 2, 3).unwrap()
        );
    }

    #[test]
    fn decode_errors() {
        let err = DateTime::<Utc>::from_attribute(s("yesterday")).unwrap_err();
        assert!(
            matches!(err.kind(), DecodeErrorKind::InvalidValue { expected, .. } if *expected == RFC3339)
        );
        let err = NaiveDate::from_attribute(AttributeValue::N("1".into())).unwrap_err();
        assert_eq!((err.expected(), err.found()), (Some("S"), Some("N")));
        assert!(NaiveDate::from_attribute(s("2013-02-30")).is_err());
        assert!(NaiveDateTime::from_attribute(s("2013-02-03")).is_err());
        assert!(DateTime::<FixedOffset>::from_attribute(s("2013-02-03T00:00:00")).is_err());
    }
}
