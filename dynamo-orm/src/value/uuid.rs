//! `Uuid`, stored as a string (`S`) in the hyphenated lowercase form, and in
//! string sets (`SS`).

use ::uuid::Uuid;

use super::{FromAttribute, IntoAttribute, KeyScalar, SetElement};
use crate::AttributeValue;
use crate::error::{DecodeError, EncodeError};
use crate::value::ScalarType;

fn hyphenated(id: &Uuid) -> String {
    id.hyphenated()
        .encode_lower(&mut Uuid::encode_buffer())
        .to_owned()
}

fn parse(text: &str) -> Result<Uuid, DecodeError> {
    Uuid::parse_str(text).map_err(|e| DecodeError::invalid("a UUID", format_args!("{text:?}: {e}")))
}

/// `S`, hyphenated lowercase. Reading accepts every form `Uuid::parse_str` does.
///
/// ```
/// use dynamo_orm::{AttributeValue, FromAttribute, IntoAttribute};
/// use uuid::Uuid;
///
/// let id = Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8);
/// let av = id.to_attribute().unwrap();
/// assert_eq!(av, AttributeValue::S("67e55044-10b1-426f-9247-bb680e5fe0c8".into()));
/// assert_eq!(Uuid::from_attribute(av).unwrap(), id);
/// ```
impl IntoAttribute for Uuid {
    fn to_attribute(&self) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::S(hyphenated(self)))
    }
}
impl FromAttribute for Uuid {
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        parse(&String::from_attribute(value)?)
    }
}
impl KeyScalar for Uuid {
    const SCALAR_TYPE: ScalarType = ScalarType::S;
}

/// A string set (`SS`) of hyphenated UUIDs.
impl SetElement for Uuid {
    fn __encode_set<'a>(
        items: impl ExactSizeIterator<Item = &'a Self>,
    ) -> Result<AttributeValue, EncodeError> {
        Ok(AttributeValue::Ss(items.map(hyphenated).collect()))
    }
    fn __decode_set<C: Default + Extend<Self>>(value: AttributeValue) -> Result<C, DecodeError> {
        match value {
            AttributeValue::Ss(list) => {
                let mut out = C::default();
                for (i, text) in list.iter().enumerate() {
                    out.extend(std::iter::once(parse(text).map_err(|e| e.at_index(i))?));
                }
                Ok(out)
            }
            AttributeValue::Null(_) => Ok(C::default()),
            other => Err(DecodeError::type_mismatch("SS", &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashSet};

    use super::*;

    #[test]
    fn round_trips_as_lowercase_hyphenated() {
        let id = Uuid::from_u128(0xABCD_EF01_2345_6789_ABCD_EF01_2345_6789);
        let av = id.to_attribute().unwrap();
        assert_eq!(
            av,
            AttributeValue::S("abcdef01-2345-6789-abcd-ef0123456789".into())
        );
        assert_eq!(Uuid::from_attribute(av).unwrap(), id);
        // Other spellings read too.
        let upper = AttributeValue::S("ABCDEF0123456789ABCDEF0123456789".into());
        assert_eq!(Uuid::from_attribute(upper).unwrap(), id);
    }

    #[test]
    fn sets() {
        let set: BTreeSet<Uuid> = [Uuid::nil(), Uuid::max()].into_iter().collect();
        let av = set.to_attribute().unwrap();
        assert_eq!(
            av,
            AttributeValue::Ss(vec![
                "00000000-0000-0000-0000-000000000000".into(),
                "ffffffff-ffff-ffff-ffff-ffffffffffff".into()
            ])
        );
        assert_eq!(BTreeSet::<Uuid>::from_attribute(av).unwrap(), set);
        let empty = HashSet::<Uuid>::new();
        assert!(empty.is_absent());
        let back = HashSet::<Uuid>::from_attribute(empty.to_attribute().unwrap()).unwrap();
        assert!(back.is_empty());
        let bad = AttributeValue::Ss(vec![Uuid::nil().to_string(), "nope".into()]);
        let err = HashSet::<Uuid>::from_attribute(bad).unwrap_err();
        assert_eq!(err.path().to_string(), "[1]");
    }

    #[test]
    fn decode_errors() {
        assert!(Uuid::from_attribute(AttributeValue::S("x".into())).is_err());
        let err = Uuid::from_attribute(AttributeValue::Bool(true)).unwrap_err();
        assert_eq!((err.expected(), err.found()), (Some("S"), Some("BOOL")));
    }
}
