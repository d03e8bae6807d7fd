//! `time` types, stored as strings (`S`) that sort chronologically.
//!
//! The same rules as the `chrono` conversions: an `OffsetDateTime` is RFC 3339
//! with exactly nine fraction digits (`2013-04-15T19:31:08.000000000Z`) so that
//! byte order is time order among values with the same offset (write UTC values
//! for sort keys); a `Date` is `YYYY-MM-DD`. Years outside 0000–9999 are
//! refused when writing. Reading accepts any RFC 3339 timestamp.

use ::time::format_description::well_known::Rfc3339;
use ::time::{Date, Month, OffsetDateTime};

use super::{FromAttribute, IntoAttribute, KeyScalar};
use crate::AttributeValue;
use crate::error::{DecodeError, EncodeError};
use crate::value::ScalarType;

fn check_year(year: i32) -> Result<(), EncodeError> {
    if (0..=9999).contains(&year) {
        Ok(())
    } else {
        Err(EncodeError::invalid(format_args!(
            "year {year} is outside 0000-9999, which RFC 3339 timestamps and dates can hold"
        )))
    }
}

/// `S`, RFC 3339 with nine fraction digits and the value's offset (`Z` for UTC).
///
/// ```
/// use dynamo_orm::{AttributeValue, FromAttribute, IntoAttribute};
/// use time::OffsetDateTime;
///
/// let t = OffsetDateTime::from_unix_timestamp(1_366_054_268).unwrap();
/// let av = t.to_attribute().unwrap();
/// assert_eq!(av, AttributeValue::S("2013-04-15T19:31:08.000000000Z".into()));
/// assert_eq!(OffsetDateTime::from_attribute(av).unwrap(), t);
/// ```
impl IntoAttribute for OffsetDateTime {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        check_year(self.year())?;
        let (oh, om, os) = self.offset().as_hms();
        if os != 0 {
            return Err(EncodeError::invalid(format_args!(
                "UTC offset {} has seconds, which RFC 3339 cannot hold",
                self.offset()
            )));
        }
        let mut text = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}",
            self.year(),
            u8::from(self.month()),
            self.day(),
            self.hour(),
            self.minute(),
            self.second(),
            self.nanosecond(),
        );
        if self.offset().is_utc() {
            text.push('Z');
        } else {
            let sign = if oh < 0 || om < 0 { '-' } else { '+' };
            text.push_str(&format!(
                "{sign}{:02}:{:02}",
                oh.unsigned_abs(),
                om.unsigned_abs()
            ));
        }
        Ok(AttributeValue::S(text))
    }
}
impl FromAttribute for OffsetDateTime {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = String::from_attribute(value)?;
        OffsetDateTime::parse(&text, &Rfc3339).map_err(|e| {
            DecodeError::invalid("an RFC 3339 timestamp", format_args!("{text:?}: {e}"))
        })
    }
}
impl KeyScalar for OffsetDateTime {
    const SCALAR_TYPE: ScalarType = ScalarType::S;
}

/// `S`, `YYYY-MM-DD`.
impl IntoAttribute for Date {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        check_year(self.year())?;
        Ok(AttributeValue::S(format!(
            "{:04}-{:02}-{:02}",
            self.year(),
            u8::from(self.month()),
            self.day()
        )))
    }
}
impl FromAttribute for Date {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = String::from_attribute(value)?;
        parse_date(&text)
            .ok_or_else(|| DecodeError::invalid("a date (YYYY-MM-DD)", format_args!("{text:?}")))
    }
}
impl KeyScalar for Date {
    const SCALAR_TYPE: ScalarType = ScalarType::S;
}

/// Strict `YYYY-MM-DD`.
fn parse_date(text: &str) -> Option<Date> {
    fn number(digits: &[u8]) -> Option<u16> {
        digits.iter().try_fold(0u16, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u16::from(d - b'0'))
        })
    }
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = number(&b[..4])?;
    let month = u8::try_from(number(&b[5..7])?).ok()?;
    let day = u8::try_from(number(&b[8..])?).ok()?;
    Date::from_calendar_date(i32::from(year), Month::try_from(month).ok()?, day).ok()
}

#[cfg(test)]
mod tests {
    use ::time::{Duration, UtcOffset};

    use super::*;

    fn s(text: &str) -> AttributeValue {
        AttributeValue::S(text.to_owned())
    }

    #[test]
    fn offset_date_time_round_trips() {
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_366_054_268_000_000_001).unwrap();
        let av = t.to_attribute().unwrap();
        assert_eq!(av, s("2013-04-15T19:31:08.000000001Z"));
        assert_eq!(OffsetDateTime::from_attribute(av).unwrap(), t);

        let minus = t.to_offset(UtcOffset::from_hms(-3, -30, 0).unwrap());
        let av = minus.to_attribute().unwrap();
        assert_eq!(av, s("2013-04-15T16:01:08.000000001-03:30"));
        let back = OffsetDateTime::from_attribute(av).unwrap();
        assert_eq!((back, back.offset()), (minus, minus.offset()));

        let small = t.to_offset(UtcOffset::from_hms(0, -30, 0).unwrap());
        assert_eq!(
            small.to_attribute().unwrap(),
            s("2013-04-15T19:01:08.000000001-00:30")
        );
    }

    #[test]
    fn strings_sort_like_times() {
        let base = OffsetDateTime::from_unix_timestamp(946_684_799).unwrap();
        let texts: Vec<String> = [0, 1, 999_999_999, 1_000_000_000, 86_400_000_000_000i64]
            .iter()
            .map(|ns| {
                let t = base + Duration::nanoseconds(*ns);
                t.to_attribute().unwrap().as_s().unwrap().clone()
            })
            .collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(sorted, texts);
    }

    #[test]
    fn refuses_what_rfc3339_cannot_hold() {
        let t = OffsetDateTime::UNIX_EPOCH.to_offset(UtcOffset::from_hms(1, 0, 5).unwrap());
        assert!(t.to_attribute().is_err());
    }

    #[test]
    fn dates() {
        let d = Date::from_calendar_date(2013, Month::April, 5).unwrap();
        assert_eq!(d.to_attribute().unwrap(), s("2013-04-05"));
        assert_eq!(Date::from_attribute(s("2013-04-05")).unwrap(), d);
        let first = Date::from_calendar_date(0, Month::January, 1).unwrap();
        assert_eq!(
            Date::from_attribute(first.to_attribute().unwrap()).unwrap(),
            first
        );
        for bad in [
            "2013-4-05",
            "2013-02-30",
            "2013-13-01",
            "+013-01-01",
            "2013/01/01",
            "2013-01-0é",
            "",
        ] {
            assert!(Date::from_attribute(s(bad)).is_err(), "{bad}");
        }
        let err = Date::from_attribute(AttributeValue::N("1".into())).unwrap_err();
        assert_eq!((err.expected(), err.found()), (Some("S"), Some("N")));
        assert!(OffsetDateTime::from_attribute(s("2013-04-05")).is_err());
    }
}
