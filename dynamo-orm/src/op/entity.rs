//! What the operation core adds to the writes of single-table entities: an
//! update keeps every index key whose template's fields it changes in step
//! (or refuses, naming the fields to set), an upsert writes the entity's
//! discriminator and key fields, and an enum of entities refuses the writes
//! that would skip an entity's rules.
//!
//! The rule an update follows, per templated key attribute:
//! - a field of its template is removed (`None`): the attribute is removed,
//!   so the item leaves the index;
//! - a field is set: every field of the template must be known (set by the
//!   update, or part of the item's key), and the attribute is rendered and set;
//!   when one is not, the update is refused before sending;
//! - a field is changed another way (`add`, an increment, ...): refused;
//! - and when an index's key changes, its other key attributes whose fields
//!   are all known (a constant template, key fields) are set too, so an item
//!   written without them (an upsert, an older writer) enters the index whole.

use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::expr::{Condition, Path, Touch, Update};
use crate::schema::{CollectionSchema, EntitySchema, TemplatedKey};
use crate::{AttributeValue, Item};

/// The actions and condition an update of an entity adds (see the module docs).
pub(crate) fn derived_update(
    schema: &EntitySchema,
    update: &Update,
    key: &Item,
    upsert: bool,
) -> Result<(Update, Option<Condition>)> {
    for name in std::iter::once(schema.discriminator).chain(schema.keys.iter().map(|k| k.attribute))
    {
        if update.touch(name) != Touch::Untouched {
            return Err(Error::Validation(format!(
                "`{name}` is written by `{}`'s key templates and discriminator: an update cannot \
                 change it; change the fields its template is made of",
                schema.name
            )));
        }
    }
    let key_fields = schema.parse_key(key)?;
    for name in key_fields.keys() {
        if update.touch(name) != Touch::Untouched {
            return Err(Error::Validation(format!(
                "`{name}` is part of `{}`'s key: an update cannot change it; write a new item and \
                 delete the old one",
                schema.name
            )));
        }
    }
    let known = |name: &str| match update.touch(name) {
        Touch::Set(AttributeValue::Null(_)) => None,
        Touch::Set(value) => Some(value),
        _ => key_fields.get(name),
    };

    let mut sets: Vec<&TemplatedKey> = Vec::new();
    let mut removes: Vec<&TemplatedKey> = Vec::new();
    let mut indexes: Vec<Option<&str>> = Vec::new();
    for k in schema.keys.iter().filter(|k| k.index.is_some()) {
        if !indexes.contains(&k.index) {
            indexes.push(k.index);
        }
    }
    for index in indexes {
        let keys: Vec<&TemplatedKey> = schema.keys.iter().filter(|k| k.index == index).collect();
        let mut changed = upsert;
        for k in &keys {
            let mut set = Vec::new();
            let mut removed = false;
            for input in k.template.inputs() {
                match update.touch(input) {
                    Touch::Untouched => {}
                    // A raw `NULL` reads as absent: like a removed field.
                    Touch::Removed | Touch::Set(AttributeValue::Null(_)) => removed = true,
                    Touch::Set(_) => set.push(input),
                    Touch::Other(how) => {
                        return Err(Error::Validation(format!(
                            "this update changes `{input}` with {how}, which cannot keep `{}` \
                             (template {:?} of `{}`) in step: set `{input}` to a value with \
                             `Update::set`",
                            k.attribute, k.template.text, schema.name
                        )));
                    }
                }
            }
            if removed {
                removes.push(k);
                changed = true;
            } else if !set.is_empty() {
                let missing: Vec<&str> = k
                    .template
                    .inputs()
                    .filter(|input| known(input).is_none())
                    .collect();
                if !missing.is_empty() {
                    return Err(Error::Validation(format!(
                        "this update sets {} but not {}: `{}` (template {:?} of `{}`) is made of \
                         all of them, so set every one (or remove one to take the item out of the \
                         index)",
                        code_list(&set),
                        code_list(&missing),
                        k.attribute,
                        k.template.text,
                        schema.name
                    )));
                }
                sets.push(k);
                changed = true;
            }
        }
        if changed {
            for k in keys {
                let pending = sets
                    .iter()
                    .chain(&removes)
                    .any(|s| s.attribute == k.attribute);
                if !pending && k.template.inputs().all(|input| known(input).is_some()) {
                    sets.push(k);
                }
            }
        }
    }

    let mut extra = Update::new();
    for k in sets {
        if let Some(value) = k.template.render(known)? {
            extra = extra.set_raw(k.attribute, value);
        }
    }
    for k in removes {
        extra = extra.remove_raw(k.attribute);
    }
    let condition = if upsert {
        extra = extra.set_raw(
            schema.discriminator,
            AttributeValue::S(schema.name.to_owned()),
        );
        for (name, value) in key_fields {
            extra = extra.set_raw(Cow::Owned(name), value);
        }
        // Creates this entity, or updates one: never another entity's item.
        write_condition(schema)
    } else {
        read_filter(schema)
    };
    Ok((extra, Some(condition)))
}

/// The condition of an entity's put or delete: the stored item, if any, is
/// of this entity (keys of two entities never replace each other).
pub(crate) fn write_condition(schema: &EntitySchema) -> Condition {
    let discriminator = Path::<String>::root(schema.discriminator);
    discriminator.not_exists() | discriminator.eq(schema.name)
}

/// The filter of every read of an entity's table: its discriminator.
pub(crate) fn read_filter(schema: &EntitySchema) -> Condition {
    Path::<String>::root(schema.discriminator).eq(schema.name)
}

fn code_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// Why an enum of entities does not update by key.
pub(crate) fn collection_update(collection: &CollectionSchema) -> Error {
    Error::Validation(format!(
        "`{}` holds several entities, whose updates keep different index keys and versions in \
         step: update through the entity's own table (`Table<Entity>`)",
        collection.name
    ))
}

/// Refuses a delete by key through an enum of entities one of which is
/// versioned (the version check needs the entity's table).
pub(crate) fn collection_delete(collection: &CollectionSchema) -> Result<()> {
    match collection.versioned() {
        Some(entity) => Err(Error::Validation(format!(
            "`{}` holds `{}`, whose writes are version-checked: delete through `Table<{}>` with \
             .expected_version(v) or .skip_version_check()",
            collection.name, entity.name, entity.name
        ))),
        None => Ok(()),
    }
}
