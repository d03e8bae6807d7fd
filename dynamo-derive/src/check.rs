//! Cross-field rules: exactly one hash key, key types DynamoDB accepts, index
//! parts that exist, one integer version field, no two fields stored under one
//! name. Every violation is reported at its own token; nothing stops early.

use std::collections::HashMap;

use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{GenericArgument, GenericParam, Ident, PathArguments, Type};

use crate::ast::{Container, Data, Field};
use crate::attr::{self, Derive, Flag, IndexKind, Projection};
use crate::case;
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, cont: &Container<'_>) {
    check_generics(cx, cont);
    match &cont.data {
        Data::Struct(fields) => {
            check_fields(cx, cont, fields);
            match cont.derive {
                Derive::Item if cont.attrs.table_type.is_some() => {
                    check_entity(cx, cont, fields);
                    check_version_and_ttl(cx, fields);
                }
                Derive::Item => {
                    check_no_templates(cx, cont);
                    check_keys(cx, cont, fields);
                    check_version_and_ttl(cx, fields);
                    check_table_name(cx, cont);
                    check_indexes(cx, cont);
                }
                Derive::Table => {
                    check_keys(cx, cont, fields);
                    check_table_name(cx, cont);
                    check_indexes(cx, cont);
                    check_table_fields(cx, cont, fields);
                }
                Derive::Attribute | Derive::Entities => check_projection(cx, cont, fields),
            }
        }
        Data::Enum(variants) => {
            if let Some(fields) = &cont.attrs.fields {
                cx.error_spanned_by(fields, "`fields` is only allowed on structs");
            }
            if let Some(projection_of) = &cont.attrs.projection_of {
                cx.error_spanned_by(projection_of, "`projection_of` is only allowed on structs");
            }
            let mut seen: HashMap<&str, &Ident> = HashMap::new();
            for variant in variants {
                if let Some(rename) = &variant.attrs.rename
                    && variant.name.is_empty()
                {
                    cx.error_spanned_by(&rename.value, "`rename` needs a non-empty name");
                }
                if let Some(first) = seen.insert(&variant.name, variant.ident) {
                    let at = match &variant.attrs.rename {
                        Some(rename) => rename.to_token_stream(),
                        None => variant.ident.to_token_stream(),
                    };
                    cx.error_spanned_by(
                        at,
                        format!(
                            "variant `{}` is stored as {:?}, like variant `{first}`; stored names must be unique",
                            variant.ident, variant.name
                        ),
                    );
                }
            }
        }
    }
}

/// Generic types: type and const parameters work, with the conversion impls
/// bounded like serde's (see `bound`); what cannot be generic is refused.
fn check_generics(cx: &Ctxt, cont: &Container<'_>) {
    let generics = cont.generics;
    for param in &generics.params {
        if let GenericParam::Lifetime(lifetime) = param {
            cx.error_spanned_by(
                lifetime,
                format!(
                    "`#[derive({})]` does not support lifetime parameters: stored values are owned (`String`, not `&str`)",
                    cont.derive.name()
                ),
            );
        }
    }
    let params = param_names(generics);
    let shared = cont.derive == Derive::Table || cont.attrs.table_type.is_some();
    if shared && !generics.params.is_empty() {
        let what = if cont.derive == Derive::Table {
            "a `DynamoTable`"
        } else {
            "an entity of a shared table"
        };
        cx.error_spanned_by(&generics.params, format!("{what} cannot be generic"));
        return;
    }
    if params.is_empty() {
        if let Some(bound) = &cont.attrs.bound {
            cx.error_spanned_by(
                bound,
                "`bound` is for generic types; this one has no type parameters",
            );
        }
        return;
    }
    if let Data::Enum(_) = &cont.data {
        cx.error_spanned_by(
            &generics.params,
            "`#[derive(DynamoAttribute)]` on an enum stores unit variants as strings; it cannot be generic",
        );
        return;
    }
    if cont.attrs.projection_of.is_some() {
        cx.error_spanned_by(
            &generics.params,
            "a `projection_of` struct cannot be generic: it reads the attributes of one item type",
        );
    }
    for field in cont.fields() {
        if !uses_params(&field.ty, &params) {
            continue;
        }
        let key_struct = ": the generated key struct is not generic";
        let what = if field.attrs.hash_key.is_some() {
            Some(("the hash key", key_struct))
        } else if field.attrs.range_key.is_some() {
            Some(("the range key", key_struct))
        } else if field.attrs.flatten.is_some() {
            Some((
                "a `flatten`ed field",
                ": its attribute names are checked at compile time",
            ))
        } else if field.attrs.version.is_some() {
            Some(("the `version` field", ""))
        } else if field.attrs.ttl.is_some() {
            Some(("the `ttl` field", ""))
        } else {
            None
        };
        if let Some((what, why)) = what {
            cx.error_spanned_by(
                &field.ty,
                format!(
                    "{what} of a generic struct needs a concrete type, not `{}`{why}",
                    type_text(&field.ty)
                ),
            );
        }
    }
    for index in &cont.attrs.indexes {
        for key in [&index.hash, &index.range].into_iter().flatten() {
            if let Some(field) = cont.field(&key.value)
                && field.attrs.hash_key.is_none()
                && field.attrs.range_key.is_none()
                && uses_params(&field.ty, &params)
            {
                cx.error_spanned_by(
                    &key.value,
                    format!(
                        "an index key of a generic struct needs a concrete type, not `{}` (field `{}`)",
                        type_text(&field.ty),
                        key.value.unraw()
                    ),
                );
            }
        }
    }
}

/// The names of the type and const parameters.
pub fn param_names(generics: &syn::Generics) -> Vec<Ident> {
    generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(param) => Some(param.ident.clone()),
            GenericParam::Const(param) => Some(param.ident.clone()),
            GenericParam::Lifetime(_) => None,
        })
        .collect()
}

/// Whether `ty` names one of `params` (`T`, `Vec<T>`, `[u8; N]`).
pub fn uses_params(ty: &Type, params: &[Ident]) -> bool {
    fn scan(tokens: proc_macro2::TokenStream, params: &[Ident]) -> bool {
        tokens.into_iter().any(|token| match token {
            proc_macro2::TokenTree::Ident(ident) => params.contains(&ident),
            proc_macro2::TokenTree::Group(group) => scan(group.stream(), params),
            _ => false,
        })
    }
    !params.is_empty() && scan(ty.to_token_stream(), params)
}

/// Rules for each field on its own, and unique stored names.
fn check_fields(cx: &Ctxt, cont: &Container<'_>, fields: &[Field<'_>]) {
    for field in fields {
        let attrs = &field.attrs;
        if let Some(rename) = &attrs.rename
            && rename.value.value().is_empty()
        {
            cx.error_spanned_by(&rename.value, "`rename` needs a non-empty name");
        }
        if attrs.skip.is_some() {
            let others: [(&str, Option<&dyn ToTokens>); 6] = [
                ("rename", attrs.rename.as_ref().map(|a| a as &dyn ToTokens)),
                (
                    "default",
                    attrs.default.as_ref().map(|a| a as &dyn ToTokens),
                ),
                (
                    "version",
                    attrs.version.as_ref().map(|a| a as &dyn ToTokens),
                ),
                ("ttl", attrs.ttl.as_ref().map(|a| a as &dyn ToTokens)),
                ("with", attrs.with.as_ref().map(|a| a as &dyn ToTokens)),
                (
                    "flatten",
                    attrs.flatten.as_ref().map(|a| a as &dyn ToTokens),
                ),
            ];
            for (name, tokens) in others {
                if let Some(tokens) = tokens {
                    cx.error_spanned_by(
                        tokens,
                        format!(
                            "`{name}` cannot be combined with `skip`: a skipped field is not stored"
                        ),
                    );
                }
            }
        } else if attrs.flatten.is_some() {
            let others: [(&str, Option<&dyn ToTokens>); 5] = [
                ("rename", attrs.rename.as_ref().map(|a| a as &dyn ToTokens)),
                ("with", attrs.with.as_ref().map(|a| a as &dyn ToTokens)),
                (
                    "default",
                    attrs.default.as_ref().map(|a| a as &dyn ToTokens),
                ),
                (
                    "version",
                    attrs.version.as_ref().map(|a| a as &dyn ToTokens),
                ),
                ("ttl", attrs.ttl.as_ref().map(|a| a as &dyn ToTokens)),
            ];
            for (name, tokens) in others {
                if let Some(tokens) = tokens {
                    cx.error_spanned_by(
                        tokens,
                        format!(
                            "`{name}` cannot be combined with `flatten`: the flattened struct's fields are stored inline under their own names"
                        ),
                    );
                }
            }
        }
        if let (Some(version), Some(_)) = (&attrs.version, &attrs.with) {
            cx.error_spanned_by(
                version,
                "`version` cannot be combined with `with`: the version is stored as a number",
            );
        }
    }

    // A projection takes its names from the item, so they are unique there.
    if cont.attrs.projection_of.is_some() {
        return;
    }
    let mut seen: HashMap<&str, &Field<'_>> = HashMap::new();
    for field in fields.iter().filter(|field| field.is_stored()) {
        if field.name.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(&field.name, field) {
            let at = match &field.attrs.rename {
                Some(rename) => rename.to_token_stream(),
                None => field.ident.to_token_stream(),
            };
            cx.error_spanned_by(
                at,
                format!(
                    "field `{}` is stored as {:?}, like field `{}`; two fields cannot share an attribute name",
                    field.ident.unraw(),
                    field.name,
                    first.ident.unraw()
                ),
            );
        }
    }
}

/// Exactly one hash key, at most one range key, key types DynamoDB accepts.
fn check_keys(cx: &Ctxt, cont: &Container<'_>, fields: &[Field<'_>]) {
    let hash_keys: Vec<&Field<'_>> = fields
        .iter()
        .filter(|f| f.attrs.hash_key.is_some())
        .collect();
    let range_keys: Vec<&Field<'_>> = fields
        .iter()
        .filter(|f| f.attrs.range_key.is_some())
        .collect();
    let malformed = fields.iter().any(|field| field.attrs.malformed);
    match hash_keys.first() {
        // The hash key may be the field whose attribute did not parse.
        None if malformed => {}
        None => cx.error_spanned_by(
            cont.ident,
            format!(
                "`{}` has no hash key: mark its partition key field with `#[dynamo(hash_key)]`",
                cont.ident
            ),
        ),
        Some(first) => {
            for extra in &hash_keys[1..] {
                cx.error_spanned_by(
                    &extra.attrs.hash_key,
                    format!(
                        "a second hash key: `{}` is already the hash key, and a table has exactly one",
                        first.ident.unraw()
                    ),
                );
            }
        }
    }
    if let Some(first) = range_keys.first() {
        for extra in &range_keys[1..] {
            cx.error_spanned_by(
                &extra.attrs.range_key,
                format!(
                    "a second range key: `{}` is already the range key, and a table has at most one",
                    first.ident.unraw()
                ),
            );
        }
    }

    for field in fields {
        let role = match (&field.attrs.hash_key, &field.attrs.range_key) {
            (Some(_), Some(range_key)) => {
                cx.error_spanned_by(
                    range_key,
                    "a field cannot be both the hash key and the range key",
                );
                "hash key"
            }
            (Some(_), None) => "hash key",
            (None, Some(_)) => "range key",
            (None, None) => continue,
        };
        let reason = match option_inner(&field.ty) {
            Some(_) => Some(
                "a table key is always present, so it cannot be an `Option` (a secondary index key can: that makes a sparse index)",
            ),
            None => non_key_reason(&field.ty),
        };
        if let Some(reason) = reason {
            cx.error_spanned_by(&field.ty, key_type_message(&field.ty, reason));
        }
        let forbidden: [(&Option<Flag>, &str); 5] = [
            (&field.attrs.skip, "be `skip`ped: keys are always stored"),
            (
                &field.attrs.flatten,
                "be `flatten`ed: a key is a single scalar attribute",
            ),
            (
                &field.attrs.default,
                "have a `default`: keys are always present",
            ),
            (
                &field.attrs.version,
                "be the `version`: a key cannot change",
            ),
            (&field.attrs.ttl, "be the `ttl`"),
        ];
        for (flag, what) in forbidden {
            if let Some(flag) = flag {
                cx.error_spanned_by(flag, format!("the {role} cannot {what}"));
            }
        }
        if let Some(with) = &field.attrs.with {
            cx.error_spanned_by(
                with,
                format!(
                    "the {role} cannot use `with`: a key's DynamoDB type comes from its Rust type's `KeyScalar` impl; use a newtype that implements `KeyScalar`"
                ),
            );
        }
    }
}

fn check_version_and_ttl(cx: &Ctxt, fields: &[Field<'_>]) {
    let mut version: Option<&Field<'_>> = None;
    let mut ttl: Option<&Field<'_>> = None;
    for field in fields {
        if let Some(flag) = &field.attrs.version {
            match version {
                Some(first) => cx.error_spanned_by(
                    flag,
                    format!(
                        "a second `version` field: field `{}` already holds the version",
                        first.ident.unraw()
                    ),
                ),
                None => version = Some(field),
            }
        }
        if let Some(flag) = &field.attrs.ttl {
            match ttl {
                Some(first) => cx.error_spanned_by(
                    flag,
                    format!(
                        "a second `ttl` field: field `{}` already holds the time to live",
                        first.ident.unraw()
                    ),
                ),
                None => ttl = Some(field),
            }
        }
    }
}

fn check_table_name(cx: &Ctxt, cont: &Container<'_>) {
    match &cont.attrs.table {
        Some(table) => {
            if let Err(why) = valid_name(&table.value()) {
                cx.error_spanned_by(table, format!("invalid DynamoDB table name: {why}"));
            }
        }
        None => {
            let name = case::snake_case(&cont.ident.unraw().to_string());
            if let Err(why) = valid_name(&name) {
                cx.error_spanned_by(
                    cont.ident,
                    format!(
                        "the default table name {name:?} (the type name in snake_case) is not a valid DynamoDB table name: {why}; set one with `#[dynamo(table = \"...\")]`"
                    ),
                );
            }
        }
    }
}

fn check_indexes(cx: &Ctxt, cont: &Container<'_>) {
    let mut markers: HashMap<String, &Ident> = HashMap::new();
    let mut names: HashMap<String, &Ident> = HashMap::new();
    let table_has_range = cont.range_key().is_some();
    for index in &cont.attrs.indexes {
        let marker = &index.marker;
        let duplicate_marker = markers.insert(marker.unraw().to_string(), marker).is_some();
        if duplicate_marker {
            cx.error_spanned_by(marker, format!("index marker `{marker}` is declared twice"));
        }
        if *marker == *cont.ident {
            cx.error_spanned_by(
                marker,
                "the index marker type needs a name of its own, not the item's",
            );
        }

        let name = index_name(index);
        let name_tokens = match &index.name {
            Some(lit) => lit.to_token_stream(),
            None => marker.to_token_stream(),
        };
        if let Err(why) = valid_name(&name) {
            cx.error_spanned_by(
                &name_tokens,
                format!("invalid DynamoDB index name {name:?}: {why}"),
            );
        }
        let first = names.insert(name.clone(), marker);
        if let (Some(first), false) = (first, duplicate_marker) {
            cx.error_spanned_by(
                &name_tokens,
                format!("two indexes are named {name:?}: `{first}` and `{marker}`"),
            );
        }

        match index.kind {
            IndexKind::Global => match &index.hash {
                Some(hash) => check_index_key(cx, cont, &hash.value),
                None => cx.error_spanned_by(
                    &index.keyword,
                    format!("`gsi({marker}, ...)` needs its hash key: `hash = field_name`"),
                ),
            },
            IndexKind::Local => {
                if let Some(hash) = &index.hash {
                    cx.error_spanned_by(
                        hash,
                        "a local secondary index shares the table's hash key; remove `hash = ...` (or make it a `gsi`)",
                    );
                }
                if index.range.is_none() {
                    cx.error_spanned_by(
                        &index.keyword,
                        format!("`lsi({marker}, ...)` needs its range key: `range = field_name`"),
                    );
                }
                if !table_has_range {
                    cx.error_spanned_by(
                        &index.keyword,
                        "a local secondary index needs a table with a range key (`#[dynamo(range_key)]`)",
                    );
                }
            }
        }
        if let Some(range) = &index.range {
            check_index_key(cx, cont, &range.value);
        }
        if let Some(attr::Spanned {
            value: Projection::Include(included),
            ..
        }) = &index.projection
            && cont.derive != Derive::Table
        {
            for ident in included {
                match cont.field(ident) {
                    None => cx.error_spanned_by(
                        ident,
                        format!(
                            "`include` names `{ident}`, which is not a field of `{}`",
                            cont.ident
                        ),
                    ),
                    Some(field) => {
                        if let Some(how) = not_stored(field) {
                            cx.error_spanned_by(
                                ident,
                                format!(
                                    "`include` names `{ident}`, which is {how} and has no attribute of its own"
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}

fn check_index_key(cx: &Ctxt, cont: &Container<'_>, ident: &Ident) {
    let Some(field) = cont.field(ident) else {
        cx.error_spanned_by(
            ident,
            format!(
                "no field `{}` in `{}` to be an index key",
                ident.unraw(),
                cont.ident
            ),
        );
        return;
    };
    if let Some(how) = not_stored(field) {
        cx.error_spanned_by(
            ident,
            format!(
                "field `{}` is {how} and cannot be an index key",
                ident.unraw()
            ),
        );
        return;
    }
    if cont.derive == Derive::Table && option_inner(&field.ty).is_some() {
        cx.error_spanned_by(
            &field.ty,
            "a table's index key attribute has a type, not an `Option`: an entity makes the index sparse with an `Option` field in its `index(..)` template",
        );
        return;
    }
    // An `Option` makes a sparse index: the scalar is inside.
    let scalar = option_inner(&field.ty).unwrap_or(&field.ty);
    if let Some(reason) = non_key_reason(scalar) {
        cx.error_spanned_by(
            ident,
            format!(
                "field `{}`: {}",
                ident.unraw(),
                key_type_message(scalar, reason)
            ),
        );
    }
    if field.attrs.with.is_some() {
        cx.error_spanned_by(
            ident,
            format!(
                "field `{}` uses `with` and cannot be an index key: a key's DynamoDB type comes from its Rust type's `KeyScalar` impl",
                ident.unraw()
            ),
        );
    }
}

/// A `DynamoTable`'s fields are its key attributes: each keys the table or an index.
fn check_table_fields(cx: &Ctxt, cont: &Container<'_>, fields: &[Field<'_>]) {
    for field in fields {
        // A field whose attributes did not parse has its own error.
        if field.is_table_key() || field.attrs.malformed {
            continue;
        }
        let used = cont.attrs.indexes.iter().any(|index| {
            [&index.hash, &index.range]
                .into_iter()
                .flatten()
                .any(|key| key.value.unraw() == field.ident.unraw())
        });
        if !used {
            cx.error_spanned_by(
                field.ident,
                format!(
                    "field `{}` is not a key of the table or of an index: a `DynamoTable` declares key attributes only (entity attributes are the entities' fields); use it in `gsi(..)` / `lsi(..)` or remove it",
                    field.ident.unraw()
                ),
            );
        }
    }
    if let Some(lit) = &cont.attrs.discriminator {
        let name = lit.value();
        if name.is_empty() {
            cx.error_spanned_by(lit, "the discriminator needs a non-empty attribute name");
        } else if let Some(field) = fields.iter().find(|f| f.name == name) {
            cx.error_spanned_by(
                lit,
                format!(
                    "the discriminator {name:?} is also the key attribute `{}`: pick another name",
                    field.ident.unraw()
                ),
            );
        }
    }
}

/// Key templates, `index(..)` and `entity` need a shared table (`table = App`).
fn check_no_templates(cx: &Ctxt, cont: &Container<'_>) {
    let hint = "key templates need a table declared with `#[derive(DynamoTable)]`: `#[dynamo(table = App)]` (a type, not a string)";
    if let Some(templates) = &cont.attrs.key_templates {
        cx.error_spanned_by(&templates.keyword, hint);
    }
    for templates in &cont.attrs.index_templates {
        cx.error_spanned_by(&templates.keyword, hint);
    }
    if let Some(entity) = &cont.attrs.entity {
        cx.error_spanned_by(
            entity,
            "`entity` names an entity of a shared table: `#[dynamo(table = App, entity = \"...\")]`, where `App` derives `DynamoTable`",
        );
    }
}

/// Which key a template fills.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TemplateRole {
    TableHash,
    TableRange,
    Index,
}

/// The rules of an entity of a shared table: templates instead of key
/// fields, and every template well formed over stored, scalar fields.
fn check_entity(cx: &Ctxt, cont: &Container<'_>, fields: &[Field<'_>]) {
    let table = cont
        .attrs
        .table_type
        .as_ref()
        .map(|path| path.to_token_stream().to_string().replace(' ', ""))
        .unwrap_or_default();
    for field in fields {
        for (flag, what) in [
            (&field.attrs.hash_key, "hash_key"),
            (&field.attrs.range_key, "range_key"),
        ] {
            if let Some(flag) = flag {
                cx.error_spanned_by(
                    flag,
                    format!(
                        "an entity of `{table}` has no `{what}` field: its keys are rendered from templates; remove `{what}` and write `#[dynamo(key(hash = \"...\", range = \"...\"))]` with `{{{}}}` in a template",
                        field.ident.unraw()
                    ),
                );
            }
        }
    }
    for index in &cont.attrs.indexes {
        cx.error_spanned_by(
            &index.keyword,
            format!(
                "the indexes of an entity are declared on its table `{table}`: declare `{}` there, and give this entity its keys on it with `index({}, hash = \"...\", range = \"...\")`",
                index.marker, index.marker
            ),
        );
    }
    if let Some(entity) = &cont.attrs.entity
        && entity.value().is_empty()
    {
        cx.error_spanned_by(entity, "the entity name cannot be empty");
    }
    match &cont.attrs.key_templates {
        None => cx.error_spanned_by(
            cont.ident,
            format!(
                "`{}` is an entity of `{table}` and needs its key templates: `#[dynamo(key(hash = \"PREFIX#{{field}}\", range = \"...\"))]`",
                cont.ident
            ),
        ),
        Some(templates) => {
            match &templates.hash {
                Some(hash) => check_template(cx, cont, hash, TemplateRole::TableHash),
                None => cx.error_spanned_by(
                    &templates.keyword,
                    "`key(...)` needs the partition key template: `hash = \"USER#{username}\"`",
                ),
            }
            if let Some(range) = &templates.range {
                check_template(cx, cont, range, TemplateRole::TableRange);
            }
        }
    }
    let mut markers: HashMap<String, &syn::Path> = HashMap::new();
    for templates in &cont.attrs.index_templates {
        if let Some(marker) = &templates.marker {
            let text = marker.to_token_stream().to_string().replace(' ', "");
            if markers.insert(text.clone(), marker).is_some() {
                cx.error_spanned_by(
                    marker,
                    format!(
                        "`index({text}, ...)` is given twice; give each index's templates once"
                    ),
                );
            }
        }
        for lit in [&templates.hash, &templates.range].into_iter().flatten() {
            check_template(cx, cont, lit, TemplateRole::Index);
        }
    }
}

/// One template: well formed, its fields exist, are stored, are not `Option`s
/// in the table's key, and a table sort key template starts with constant text.
fn check_template(cx: &Ctxt, cont: &Container<'_>, lit: &syn::LitStr, role: TemplateRole) {
    let text = lit.value();
    let parts = match crate::template::parse(&text) {
        Ok(parts) => parts,
        Err(message) => {
            cx.error_spanned_by(lit, message);
            return;
        }
    };
    if role == TemplateRole::TableRange && !crate::template::has_prefix(&parts) {
        cx.error_spanned_by(
            lit,
            format!(
                "the sort key template {text:?} must start with constant text (\"ORDER#{{order_id}}\"): a partition query selects `{}` items by that prefix",
                cont.ident
            ),
        );
    }
    let names: Vec<String> = cont
        .fields()
        .iter()
        .map(|field| field.ident.unraw().to_string())
        .collect();
    for name in crate::template::fields(&parts) {
        let Some(field) = cont.field(&Ident::new(name.trim_start_matches("r#"), lit.span())) else {
            let known: Vec<&str> = names.iter().map(String::as_str).collect();
            let hint = match crate::attr::did_you_mean(name, &known) {
                Some(close) => format!("; did you mean `{{{close}}}`?"),
                None => String::new(),
            };
            cx.error_spanned_by(
                lit,
                format!(
                    "the key template {text:?} names `{name}`, which is not a field of `{}`{hint}",
                    cont.ident
                ),
            );
            continue;
        };
        if let Some(how) = not_stored(field) {
            cx.error_spanned_by(
                lit,
                format!(
                    "the key template {text:?} names `{name}`, which is {how} and has no attribute of its own: a key is rendered from stored fields; store the field or take it out of the template"
                ),
            );
            continue;
        }
        if field.attrs.with.is_some() {
            cx.error_spanned_by(
                lit,
                format!(
                    "the key template {text:?} names `{name}`, which uses `with`: a template renders the field's own string or number; remove `with` or the field from the template"
                ),
            );
        }
        if field.attrs.version.is_some() {
            cx.error_spanned_by(
                lit,
                format!(
                    "the key template {text:?} names `{name}`, the `version`: a key cannot change with every write; remove it from the template"
                ),
            );
        }
        if role != TemplateRole::Index && option_inner(&field.ty).is_some() {
            cx.error_spanned_by(
                lit,
                format!(
                    "the key template {text:?} names `{name}`, an `Option`: the table's key is always present; use it in an `index(..)` template (a sparse index) or make the field required"
                ),
            );
        }
        let scalar = option_inner(&field.ty).unwrap_or(&field.ty);
        if let Some(reason) = non_key_reason(scalar) {
            cx.error_spanned_by(
                lit,
                format!(
                    "the key template {text:?} names `{name}`: `{}` cannot be part of a key ({reason}); templates render strings and integers",
                    type_text(scalar)
                ),
            );
        }
    }
}

/// Rules of a `DynamoAttribute` struct's `projection_of`.
fn check_projection(cx: &Ctxt, cont: &Container<'_>, fields: &[Field<'_>]) {
    let Some(projection_of) = &cont.attrs.projection_of else {
        return;
    };
    if let Some(rename_all) = &cont.attrs.rename_all {
        cx.error_spanned_by(
            rename_all,
            "`rename_all` cannot be combined with `projection_of`: the stored names come from the projected item",
        );
    }
    for field in fields {
        if let Some(rename) = &field.attrs.rename {
            cx.error_spanned_by(
                rename,
                format!(
                    "`rename` cannot be used in a `projection_of = {}` struct: the stored name comes from the projected item's field `{}`",
                    type_text(&projection_of.value),
                    field.ident.unraw()
                ),
            );
        }
        if let Some(flatten) = &field.attrs.flatten {
            cx.error_spanned_by(
                flatten,
                "`flatten` cannot be used in a `projection_of` struct",
            );
        }
    }
}

// ---------------------------------------------------------------- helpers

/// How the field is kept out of the item (`skip`ped, `flatten`ed), if it is.
fn not_stored(field: &Field<'_>) -> Option<&'static str> {
    if field.attrs.skip.is_some() {
        Some("`skip`ped")
    } else if field.attrs.flatten.is_some() {
        Some("`flatten`ed")
    } else {
        None
    }
}

/// The index's DynamoDB name: `name = "..."`, else the marker's name.
pub fn index_name(index: &attr::Index) -> String {
    match &index.name {
        Some(lit) => lit.value(),
        None => index.marker.unraw().to_string(),
    }
}

/// DynamoDB's rule for table and index names: 3 to 255 of `[A-Za-z0-9_.-]`.
pub fn valid_name(name: &str) -> Result<(), String> {
    let length = name.chars().count();
    if !(3..=255).contains(&length) {
        let unit = if length == 1 {
            "character"
        } else {
            "characters"
        };
        return Err(format!(
            "{name:?} is {length} {unit} long; names are 3 to 255 characters"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        return Err(format!(
            "{name:?} contains {bad:?}; names use only A-Z, a-z, 0-9, '_', '.' and '-'"
        ));
    }
    Ok(())
}

fn key_type_message(ty: &Type, reason: &str) -> String {
    format!(
        "`{}` cannot be a key attribute: {reason}; DynamoDB keys are strings, numbers or binary (`Vec<u8>`, `[u8; N]`)",
        type_text(ty)
    )
}

/// Why `ty` cannot be a key, for the types that never can and whose spelling
/// shows it (a clearer message than the trait's). Everything else, arrays and
/// lists included (`[u8; 16]` and `Vec<u8>` are binary keys), is left to the
/// compiler, through `KeyScalar` / `IndexKey` bounds spanned at the type.
pub fn non_key_reason(ty: &Type) -> Option<&'static str> {
    match ungroup(ty) {
        Type::Tuple(_) => Some("tuples are not scalars"),
        Type::Path(path) if path.qself.is_none() => {
            let segment = path.path.segments.last()?;
            match segment.ident.to_string().as_str() {
                "bool" => Some("booleans cannot be keys"),
                "HashMap" | "BTreeMap" => Some("maps are not scalars"),
                "HashSet" | "BTreeSet" => Some("sets are not scalars"),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether `ty` is spelled as a set (`HashSet<T>`, `BTreeSet<T>`).
pub fn is_set(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|segment| {
        matches!(segment.ident.to_string().as_str(), "HashSet" | "BTreeSet")
            && !segment.arguments.is_none()
    })
}

/// `T` when `ty` is spelled `Option<T>`.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    match last_segment(ty) {
        Some(segment) if segment.ident == "Option" => match type_args(segment).as_slice() {
            [inner] => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `ty` is spelled as `String` (or `std::string::String`).
pub fn is_string(ty: &Type) -> bool {
    is_ident(ty, "String")
}

/// `ty` is a path without generic arguments ending in `name` (`u64`, `std::time::SystemTime`).
fn is_ident(ty: &Type, name: &str) -> bool {
    last_segment(ty).is_some_and(|segment| segment.ident == name && segment.arguments.is_none())
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ungroup(ty) {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        _ => None,
    }
}

fn type_args(segment: &syn::PathSegment) -> Vec<&Type> {
    match &segment.arguments {
        PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Types from `macro_rules!` arrive wrapped in invisible groups.
fn ungroup(mut ty: &Type) -> &Type {
    loop {
        match ty {
            Type::Group(group) => ty = &group.elem,
            Type::Paren(paren) => ty = &paren.elem,
            _ => return ty,
        }
    }
}

/// The type as the user would write it (`Vec<String>`, not `Vec < String >`).
pub fn type_text(ty: &Type) -> String {
    let text = ty.to_token_stream().to_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut prev = ' ';
    while let Some(ch) = chars.next() {
        if ch == ' ' {
            let next = chars.peek().copied().unwrap_or(' ');
            let keep = prev.is_alphanumeric() && (next.is_alphanumeric() || next == '\'')
                || prev == ','
                || prev == ';';
            if !keep {
                continue;
            }
        }
        out.push(ch);
        prev = ch;
    }
    out
}
