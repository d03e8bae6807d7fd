//! Parses `#[dynamo(...)]` attributes into plain values that keep the user's
//! tokens, so that later stages can point their errors at them.
//!
//! Every mistake is reported into the [`Ctxt`] and parsing goes on with the next
//! key, so one run shows all the mistakes of a struct. Unknown and repeated keys
//! are errors.

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token, Type, token};

use crate::case::RenameRule;
use crate::ctxt::Ctxt;

/// Which derive is running: some keys exist on only one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derive {
    Item,
    Attribute,
    /// `#[derive(DynamoTable)]`: a table shared by entities.
    Table,
    /// `#[derive(DynamoEntities)]`: an enum of a table's entities.
    Entities,
}

impl Derive {
    pub fn name(self) -> &'static str {
        match self {
            Derive::Item => "DynamoItem",
            Derive::Attribute => "DynamoAttribute",
            Derive::Table => "DynamoTable",
            Derive::Entities => "DynamoEntities",
        }
    }
}

/// A parsed value and the tokens it was written with (`key = value`), for errors.
pub struct Spanned<T> {
    pub value: T,
    pub tokens: TokenStream,
}

impl<T> ToTokens for Spanned<T> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.tokens.clone());
    }
}

/// A key without a value (`skip`), kept as the path it was written with.
pub type Flag = syn::Path;

/// Global or local secondary index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    Global,
    Local,
}

/// `projection = all | keys_only | include(a, b)`.
pub enum Projection {
    All,
    KeysOnly,
    Include(Vec<Ident>),
}

/// `gsi(Marker, hash = field, range = field, name = "...", projection = ...)` or `lsi(...)`.
pub struct Index {
    pub kind: IndexKind,
    /// The `gsi` / `lsi` keyword.
    pub keyword: syn::Path,
    pub marker: Ident,
    pub hash: Option<Spanned<Ident>>,
    pub range: Option<Spanned<Ident>>,
    pub name: Option<LitStr>,
    pub projection: Option<Spanned<Projection>>,
}

/// `key(hash = "USER#{username}", range = "ORDER#{order_id}")` of an entity,
/// or `index(Marker, hash = "...", range = "...")`.
pub struct Templates {
    /// The `key` / `index` keyword.
    pub keyword: syn::Path,
    /// The index marker (`None` for `key(..)`).
    pub marker: Option<syn::Path>,
    pub hash: Option<LitStr>,
    pub range: Option<LitStr>,
}

/// `provisioned(read = 5, write = 5)`.
pub struct Provisioned {
    pub read: syn::LitInt,
    pub write: syn::LitInt,
}

/// Attributes on the struct or enum.
#[derive(Default)]
pub struct Container {
    pub table: Option<LitStr>,
    /// `table = App` (a path): an entity of a table declared with `DynamoTable`.
    pub table_type: Option<syn::Path>,
    /// `entity = "Order"`: the entity name (default: the type name).
    pub entity: Option<LitStr>,
    /// `key(hash = "...", range = "...")`.
    pub key_templates: Option<Templates>,
    /// `index(Marker, hash = "...", range = "...")`, in order.
    pub index_templates: Vec<Templates>,
    /// `discriminator = "_type"` of a `DynamoTable`.
    pub discriminator: Option<LitStr>,
    /// `provisioned(read = .., write = ..)`.
    pub provisioned: Option<Spanned<Provisioned>>,
    pub rename_all: Option<Spanned<RenameRule>>,
    pub crate_path: Option<syn::Path>,
    pub indexes: Vec<Index>,
    pub key: Option<Spanned<Ident>>,
    pub key_fn: Option<Spanned<Ident>>,
    pub fields: Option<Spanned<Ident>>,
    pub projection_of: Option<Spanned<Type>>,
    /// `bound = "T: Trait, ..."`: the where-predicates of the generated impls,
    /// instead of the inferred ones.
    pub bound: Option<Spanned<Vec<syn::WherePredicate>>>,
}

/// Attributes on a field.
#[derive(Default)]
pub struct Field {
    pub hash_key: Option<Flag>,
    pub range_key: Option<Flag>,
    pub rename: Option<Spanned<LitStr>>,
    pub skip: Option<Flag>,
    pub default: Option<Flag>,
    pub version: Option<Flag>,
    pub ttl: Option<Flag>,
    pub with: Option<Spanned<syn::Path>>,
    pub flatten: Option<Flag>,
    /// Some key did not parse (a misspelt `hash_key`?): rules that depend on
    /// what is missing stay quiet rather than add a second error.
    pub malformed: bool,
}

/// Attributes on an enum variant.
#[derive(Default)]
pub struct Variant {
    pub rename: Option<Spanned<LitStr>>,
    /// `other`: the `DynamoEntities` variant keeping unknown entities.
    pub other: Option<Flag>,
}

const ITEM_KEYS: &[&str] = &[
    "table",
    "rename_all",
    "crate",
    "gsi",
    "lsi",
    "key",
    "key_fn",
    "fields",
    "bound",
    "entity",
    "index",
    "provisioned",
];
const TABLE_KEYS: &[&str] = &[
    "table",
    "crate",
    "gsi",
    "lsi",
    "key",
    "key_fn",
    "discriminator",
    "provisioned",
];
const ENTITIES_KEYS: &[&str] = &["table", "crate", "key"];
const TABLE_FIELD_KEYS: &[&str] = &["hash_key", "range_key", "rename"];
const ATTRIBUTE_KEYS: &[&str] = &["rename_all", "crate", "fields", "projection_of", "bound"];
const ITEM_FIELD_KEYS: &[&str] = &[
    "hash_key",
    "range_key",
    "rename",
    "skip",
    "default",
    "version",
    "ttl",
    "with",
    "flatten",
];
const ATTRIBUTE_FIELD_KEYS: &[&str] = &["rename", "skip", "default", "with", "flatten"];
const INDEX_KEYS: &[&str] = &["hash", "range", "name", "projection"];
const VARIANT_KEYS: &[&str] = &["rename"];
const ENTITIES_VARIANT_KEYS: &[&str] = &["other"];
const TEMPLATE_KEYS: &[&str] = &["hash", "range"];

impl Container {
    pub fn from_ast(cx: &Ctxt, attrs: &[syn::Attribute], derive: Derive) -> Self {
        let mut out = Container::default();
        for attr in dynamo_attrs(attrs) {
            let parsed = attr.parse_nested_meta(|meta| {
                let result = out.parse_key(cx, &meta, derive);
                recover(cx, &meta, result)
            });
            if let Err(err) = parsed {
                cx.syn_error(err);
            }
        }
        out
    }

    fn parse_key(
        &mut self,
        cx: &Ctxt,
        meta: &ParseNestedMeta<'_>,
        derive: Derive,
    ) -> syn::Result<()> {
        let key = key_name(&meta.path);
        match key.as_str() {
            "table" => {
                if derive == Derive::Attribute {
                    only_on(meta, derive, Derive::Item)?;
                }
                let input = value(meta, "table = \"users\"")?;
                if self.table.is_some() || self.table_type.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate `table` attribute");
                    let _: TokenTree = input.parse()?;
                    return Ok(());
                }
                if input.peek(LitStr) {
                    if derive == Derive::Entities {
                        let lit: LitStr = input.parse()?;
                        return Err(syn::Error::new_spanned(
                            lit,
                            "a `DynamoEntities` enum names its table type: `table = App` (a type deriving `DynamoTable`)",
                        ));
                    }
                    self.table = Some(input.parse()?);
                } else if input.peek(Ident::peek_any) || input.peek(Token![::]) {
                    let path: syn::Path = input.parse()?;
                    if derive == Derive::Table {
                        return Err(syn::Error::new_spanned(
                            path,
                            "a `DynamoTable` names its DynamoDB table with a string: `table = \"app\"`",
                        ));
                    }
                    self.table_type = Some(path);
                } else {
                    let token: TokenTree = input.parse()?;
                    return Err(syn::Error::new_spanned(
                        token,
                        "expected a table name `table = \"users\"`, or the type of a shared table `table = App`",
                    ));
                }
            }
            "entity" => {
                only_on(meta, derive, Derive::Item)?;
                let lit = string(meta, "entity = \"Order\"")?;
                set_once(cx, &mut self.entity, meta, lit);
            }
            "discriminator" => {
                only_on(meta, derive, Derive::Table)?;
                let lit = string(meta, "discriminator = \"_type\"")?;
                set_once(cx, &mut self.discriminator, meta, lit);
            }
            "index" => {
                only_on(meta, derive, Derive::Item)?;
                if let Some(templates) = parse_templates(cx, meta, true)? {
                    self.index_templates.push(templates);
                }
            }
            "provisioned" => {
                if !matches!(derive, Derive::Item | Derive::Table) {
                    only_on(meta, derive, Derive::Table)?;
                }
                let Some(provisioned) = parse_provisioned(cx, meta)? else {
                    return Ok(());
                };
                let path = &meta.path;
                let value = Spanned {
                    tokens: path.to_token_stream(),
                    value: provisioned,
                };
                set_once(cx, &mut self.provisioned, meta, value);
            }
            "rename_all" => {
                if matches!(derive, Derive::Table | Derive::Entities) {
                    return Err(unknown(meta, "here", container_keys(derive)));
                }
                let lit = string(meta, "rename_all = \"camelCase\"")?;
                let Some(rule) = RenameRule::from_name(&lit.value()) else {
                    return Err(syn::Error::new_spanned(
                        &lit,
                        format!(
                            "unknown `rename_all` rule {:?}; expected one of {}",
                            lit.value(),
                            RenameRule::expected()
                        ),
                    ));
                };
                let path = &meta.path;
                let value = Spanned {
                    value: rule,
                    tokens: quote!(#path = #lit),
                };
                set_once(cx, &mut self.rename_all, meta, value);
            }
            "crate" => {
                let lit = string(meta, "crate = \"dynamo_orm\"")?;
                let path = lit.parse::<syn::Path>().map_err(|_| {
                    syn::Error::new_spanned(&lit, "expected the path of the dynamo-orm crate, such as \"dynamo_orm\" or \"crate::db::orm\"")
                })?;
                set_once(cx, &mut self.crate_path, meta, path);
            }
            "gsi" | "lsi" => {
                if derive != Derive::Table {
                    only_on(meta, derive, Derive::Item)?;
                }
                let kind = if key == "gsi" {
                    IndexKind::Global
                } else {
                    IndexKind::Local
                };
                if let Some(index) = parse_index(cx, meta, kind)? {
                    self.indexes.push(index);
                }
            }
            "key" => {
                if derive == Derive::Attribute {
                    only_on(meta, derive, Derive::Item)?;
                }
                if meta.input.peek(token::Paren) {
                    if derive != Derive::Item {
                        return Err(syn::Error::new_spanned(
                            &meta.path,
                            format!(
                                "key templates belong on an entity (`#[derive(DynamoItem)]` with `table = App`), not on a `#[derive({})]`",
                                derive.name()
                            ),
                        ));
                    }
                    if let Some(templates) = parse_templates(cx, meta, false)? {
                        if self.key_templates.is_some() {
                            cx.error_spanned_by(&meta.path, "duplicate `key(...)` attribute");
                        } else {
                            self.key_templates = Some(templates);
                        }
                    }
                    return Ok(());
                }
                let ident = ident(meta, "key = UserKey")?;
                let path = &meta.path;
                let value = Spanned {
                    tokens: quote!(#path = #ident),
                    value: ident,
                };
                set_once(cx, &mut self.key, meta, value);
            }
            "key_fn" => {
                if derive != Derive::Table {
                    only_on(meta, derive, Derive::Item)?;
                }
                let ident = ident(meta, "key_fn = key_of")?;
                let path = &meta.path;
                let value = Spanned {
                    tokens: quote!(#path = #ident),
                    value: ident,
                };
                set_once(cx, &mut self.key_fn, meta, value);
            }
            "fields" => {
                if matches!(derive, Derive::Table | Derive::Entities) {
                    return Err(unknown(meta, "here", container_keys(derive)));
                }
                let ident = ident(meta, "fields = UserFields")?;
                let path = &meta.path;
                let value = Spanned {
                    tokens: quote!(#path = #ident),
                    value: ident,
                };
                set_once(cx, &mut self.fields, meta, value);
            }
            "bound" => {
                if matches!(derive, Derive::Table | Derive::Entities) {
                    return Err(unknown(meta, "here", container_keys(derive)));
                }
                let lit = string(meta, "bound = \"T: IntoAttribute + FromAttribute\"")?;
                let predicates = lit
                    .parse_with(Punctuated::<syn::WherePredicate, Token![,]>::parse_terminated)
                    .map_err(|err| {
                        syn::Error::new_spanned(
                            &lit,
                            format!("expected where-predicates such as \"T: IntoAttribute + FromAttribute\": {err}"),
                        )
                    })?;
                let path = &meta.path;
                let value = Spanned {
                    tokens: quote!(#path = #lit),
                    value: predicates.into_iter().collect(),
                };
                set_once(cx, &mut self.bound, meta, value);
            }
            "projection_of" => {
                only_on(meta, derive, Derive::Attribute)?;
                let ty: Type = value(meta, "projection_of = User")?.parse()?;
                let path = &meta.path;
                let value = Spanned {
                    tokens: quote!(#path = #ty),
                    value: ty,
                };
                set_once(cx, &mut self.projection_of, meta, value);
            }
            _ => {
                let place = if derive == Derive::Entities {
                    "on an enum"
                } else {
                    "on a struct"
                };
                return Err(unknown(meta, place, container_keys(derive)));
            }
        }
        Ok(())
    }
}

impl Field {
    pub fn from_ast(cx: &Ctxt, attrs: &[syn::Attribute], derive: Derive) -> Self {
        let mut out = Field::default();
        let errors_before = cx.error_count();
        for attr in dynamo_attrs(attrs) {
            let parsed = attr.parse_nested_meta(|meta| {
                let result = out.parse_key(cx, &meta, derive);
                recover(cx, &meta, result)
            });
            if let Err(err) = parsed {
                cx.syn_error(err);
            }
        }
        out.malformed = cx.error_count() > errors_before;
        out
    }

    fn parse_key(
        &mut self,
        cx: &Ctxt,
        meta: &ParseNestedMeta<'_>,
        derive: Derive,
    ) -> syn::Result<()> {
        let key = key_name(&meta.path);
        let slot = match key.as_str() {
            "hash_key" => &mut self.hash_key,
            "range_key" => &mut self.range_key,
            "version" => &mut self.version,
            "ttl" => &mut self.ttl,
            "skip" => &mut self.skip,
            "default" => &mut self.default,
            "flatten" => &mut self.flatten,
            "rename" => {
                let lit = string(meta, "rename = \"name\"")?;
                let path = &meta.path;
                let value = Spanned {
                    tokens: quote!(#path = #lit),
                    value: lit,
                };
                set_once(cx, &mut self.rename, meta, value);
                return Ok(());
            }
            "with" => {
                let module = module_path(meta, "with = path::to::module")?;
                let path = &meta.path;
                let value = Spanned {
                    tokens: quote!(#path = #module),
                    value: module,
                };
                set_once(cx, &mut self.with, meta, value);
                return Ok(());
            }
            _ => {
                let known = match derive {
                    Derive::Item => ITEM_FIELD_KEYS,
                    Derive::Attribute | Derive::Entities => ATTRIBUTE_FIELD_KEYS,
                    Derive::Table => TABLE_FIELD_KEYS,
                };
                return Err(unknown(meta, "on a field", known));
            }
        };
        if derive == Derive::Table && !matches!(key.as_str(), "hash_key" | "range_key") {
            return Err(syn::Error::new_spanned(
                &meta.path,
                format!(
                    "`{}` is not allowed on a `DynamoTable` field: its fields are the table's key attributes; declare entity attributes on the entities",
                    path_text(&meta.path)
                ),
            ));
        }
        if matches!(key.as_str(), "hash_key" | "range_key" | "version" | "ttl")
            && derive != Derive::Table
        {
            only_on(meta, derive, Derive::Item)?;
        }
        flag(meta)?;
        set_once(cx, slot, meta, meta.path.clone());
        Ok(())
    }
}

impl Variant {
    pub fn from_ast(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        Self::parse(cx, attrs, Derive::Attribute)
    }

    /// The variant attributes of a `DynamoEntities` enum (`other`).
    pub fn from_entities(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        Self::parse(cx, attrs, Derive::Entities)
    }

    fn parse(cx: &Ctxt, attrs: &[syn::Attribute], derive: Derive) -> Self {
        let mut out = Variant::default();
        for attr in dynamo_attrs(attrs) {
            let parsed = attr.parse_nested_meta(|meta| {
                let result = if derive == Derive::Entities {
                    if meta.path.is_ident("other") {
                        flag(&meta).map(|()| set_once(cx, &mut out.other, &meta, meta.path.clone()))
                    } else {
                        Err(unknown(&meta, "on an enum variant", ENTITIES_VARIANT_KEYS))
                    }
                } else if meta.path.is_ident("rename") {
                    string(&meta, "rename = \"name\"").map(|lit| {
                        let path = &meta.path;
                        let value = Spanned {
                            tokens: quote!(#path = #lit),
                            value: lit,
                        };
                        set_once(cx, &mut out.rename, &meta, value);
                    })
                } else {
                    Err(unknown(&meta, "on an enum variant", VARIANT_KEYS))
                };
                recover(cx, &meta, result)
            });
            if let Err(err) = parsed {
                cx.syn_error(err);
            }
        }
        out
    }
}

/// The known keys of a derive's container attribute.
fn container_keys(derive: Derive) -> &'static [&'static str] {
    match derive {
        Derive::Item => ITEM_KEYS,
        Derive::Attribute => ATTRIBUTE_KEYS,
        Derive::Table => TABLE_KEYS,
        Derive::Entities => ENTITIES_KEYS,
    }
}

/// `key(hash = "...", range = "...")`, or with `marker` `index(Marker, hash = "...", ..)`.
fn parse_templates(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    marker_first: bool,
) -> syn::Result<Option<Templates>> {
    let keyword = meta.path.clone();
    let example = if marker_first {
        "index(Gsi1, hash = \"STATUS#{status}\", range = \"{created_at}\")"
    } else {
        "key(hash = \"USER#{username}\", range = \"ORDER#{order_id}\")"
    };
    if !meta.input.peek(token::Paren) {
        return Err(syn::Error::new_spanned(
            &keyword,
            format!("expected a list: `{example}`"),
        ));
    }
    let mut marker = None;
    let mut hash = None;
    let mut range = None;
    let mut position = 0;
    meta.parse_nested_meta(|inner| {
        position += 1;
        let bare = inner.input.is_empty() || inner.input.peek(Token![,]);
        let result = if marker_first && position == 1 && bare {
            marker = Some(inner.path.clone());
            Ok(())
        } else {
            let key = key_name(&inner.path);
            match key.as_str() {
                "hash" | "range" => {
                    let lit = string(&inner, &format!("{key} = \"PREFIX#{{field}}\""))?;
                    let slot = if key == "hash" { &mut hash } else { &mut range };
                    set_once(cx, slot, &inner, lit);
                    Ok(())
                }
                _ => Err(unknown(&inner, "in key templates", TEMPLATE_KEYS)),
            }
        };
        recover(cx, &inner, result)
    })?;
    if marker_first && marker.is_none() {
        return Err(syn::Error::new_spanned(
            &keyword,
            format!("`index` needs the table's index marker first: `{example}`"),
        ));
    }
    if hash.is_none() && range.is_none() {
        return Err(syn::Error::new_spanned(
            &keyword,
            format!("expected at least one key template: `{example}`"),
        ));
    }
    Ok(Some(Templates {
        keyword,
        marker,
        hash,
        range,
    }))
}

/// `provisioned(read = 5, write = 5)`.
fn parse_provisioned(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Provisioned>> {
    let example = "provisioned(read = 5, write = 5)";
    if !meta.input.peek(token::Paren) {
        return Err(syn::Error::new_spanned(
            &meta.path,
            format!("expected a list: `{example}`"),
        ));
    }
    let mut read = None;
    let mut write = None;
    let errors_before = cx.error_count();
    meta.parse_nested_meta(|inner| {
        let key = key_name(&inner.path);
        let result = match key.as_str() {
            "read" | "write" => capacity(&inner, example).map(|lit| {
                let slot = if key == "read" { &mut read } else { &mut write };
                set_once(cx, slot, &inner, lit);
            }),
            _ => Err(unknown(&inner, "in `provisioned`", &["read", "write"])),
        };
        recover(cx, &inner, result)
    })?;
    match (read, write) {
        (Some(read), Some(write)) => Ok(Some(Provisioned { read, write })),
        // A capacity that did not parse has its own error.
        _ if cx.error_count() > errors_before => Ok(None),
        _ => Err(syn::Error::new_spanned(
            &meta.path,
            format!("`provisioned` needs both capacities: `{example}`"),
        )),
    }
}

/// `read = 5`: a whole number of capacity units from 1.
fn capacity(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<syn::LitInt> {
    let input = value(meta, example)?;
    let lit: syn::LitInt = input.parse()?;
    if lit.base10_parse::<i64>().map_or(true, |n| n < 1) {
        return Err(syn::Error::new_spanned(
            lit,
            "capacity units are a whole number from 1",
        ));
    }
    Ok(lit)
}

fn parse_index(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    kind: IndexKind,
) -> syn::Result<Option<Index>> {
    let keyword = meta.path.clone();
    let example = match kind {
        IndexKind::Global => "gsi(ByEmail, hash = email)",
        IndexKind::Local => "lsi(ByDate, range = created_at)",
    };
    if !meta.input.peek(token::Paren) {
        return Err(syn::Error::new_spanned(
            &keyword,
            format!("expected a list: `{example}`"),
        ));
    }
    let mut marker = None;
    let mut hash = None;
    let mut range = None;
    let mut name = None;
    let mut projection = None;
    let mut position = 0;
    meta.parse_nested_meta(|inner| {
        position += 1;
        let bare = inner.input.is_empty() || inner.input.peek(Token![,]);
        let result = match (position, bare, inner.path.get_ident()) {
            (1, true, Some(ident)) => {
                marker = Some(ident.clone());
                Ok(())
            }
            _ => parse_index_key(
                cx,
                &inner,
                &mut hash,
                &mut range,
                &mut name,
                &mut projection,
            ),
        };
        recover(cx, &inner, result)
    })?;
    let Some(marker) = marker else {
        return Err(syn::Error::new_spanned(
            &keyword,
            format!("the index needs the name of its marker type first: `{example}`"),
        ));
    };
    Ok(Some(Index {
        kind,
        keyword,
        marker,
        hash,
        range,
        name,
        projection,
    }))
}

fn parse_index_key(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    hash: &mut Option<Spanned<Ident>>,
    range: &mut Option<Spanned<Ident>>,
    name: &mut Option<LitStr>,
    projection: &mut Option<Spanned<Projection>>,
) -> syn::Result<()> {
    let key = key_name(&meta.path);
    let path = &meta.path;
    match key.as_str() {
        "hash" | "range" => {
            let field = ident(meta, &format!("{key} = field_name"))?;
            let value = Spanned {
                tokens: quote!(#path = #field),
                value: field,
            };
            let slot = if key == "hash" { hash } else { range };
            set_once(cx, slot, meta, value);
        }
        "name" => {
            let lit = string(meta, "name = \"IndexName\"")?;
            set_once(cx, name, meta, lit);
        }
        "projection" => {
            let (parsed, tokens) = parse_projection(value(meta, "projection = all")?)?;
            let value = Spanned {
                tokens: quote!(#path = #tokens),
                value: parsed,
            };
            set_once(cx, projection, meta, value);
        }
        _ => return Err(unknown(meta, "in an index", INDEX_KEYS)),
    }
    Ok(())
}

/// The projection and the tokens it was written with.
fn parse_projection(input: ParseStream<'_>) -> syn::Result<(Projection, TokenStream)> {
    let expected = "expected `all`, `keys_only` or `include(field, ...)`";
    if !input.peek(Ident::peek_any) {
        let token: TokenTree = input.parse()?;
        return Err(syn::Error::new_spanned(token, expected));
    }
    let word = input.call(Ident::parse_any)?;
    if word == "all" {
        Ok((Projection::All, word.into_token_stream()))
    } else if word == "keys_only" {
        Ok((Projection::KeysOnly, word.into_token_stream()))
    } else if word == "include" {
        if !input.peek(token::Paren) {
            return Err(syn::Error::new_spanned(
                word,
                "expected a list of fields: `include(field, ...)`",
            ));
        }
        let group: TokenTree = input.fork().parse()?;
        let content;
        syn::parenthesized!(content in input);
        let fields = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
        if fields.is_empty() {
            return Err(syn::Error::new_spanned(
                word,
                "`include` needs at least one field",
            ));
        }
        let tokens = quote!(#word #group);
        Ok((Projection::Include(fields.into_iter().collect()), tokens))
    } else {
        Err(syn::Error::new_spanned(word, expected))
    }
}

// ---------------------------------------------------------------- helpers

fn dynamo_attrs(attrs: &[syn::Attribute]) -> impl Iterator<Item = &syn::Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("dynamo"))
}

/// The key as written, `""` for paths of several segments (then always unknown).
fn key_name(path: &syn::Path) -> String {
    path.get_ident()
        .map(|ident| ident.unraw().to_string())
        .unwrap_or_default()
}

fn path_text(path: &syn::Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

/// After an error, reports it and skips the rest of this key's value so the next key is parsed.
fn recover(cx: &Ctxt, meta: &ParseNestedMeta<'_>, result: syn::Result<()>) -> syn::Result<()> {
    if let Err(err) = result {
        cx.syn_error(err);
        while !meta.input.is_empty() && !meta.input.peek(Token![,]) {
            meta.input.parse::<TokenTree>()?;
        }
    }
    Ok(())
}

fn set_once<T>(cx: &Ctxt, slot: &mut Option<T>, meta: &ParseNestedMeta<'_>, value: T) {
    if slot.is_some() {
        cx.error_spanned_by(
            &meta.path,
            format!("duplicate `{}` attribute", path_text(&meta.path)),
        );
    } else {
        *slot = Some(value);
    }
}

fn unknown(meta: &ParseNestedMeta<'_>, place: &str, known: &[&str]) -> syn::Error {
    let key = path_text(&meta.path);
    let hint = match did_you_mean(&key, known) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("expected one of: {}", known.join(", ")),
    };
    syn::Error::new_spanned(
        &meta.path,
        format!("unknown `dynamo` attribute `{key}` {place}; {hint}"),
    )
}

/// The known key closest to a misspelt one (`hashkey`, `Hash_Key`, `tabel`).
pub fn did_you_mean<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let squash = |s: &str| s.replace(['_', '-'], "").to_ascii_lowercase();
    known
        .iter()
        .map(|candidate| (edit_distance(&squash(key), &squash(candidate)), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.min(candidate.len() / 3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, with a swap of neighbours counting once.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![(0..=b.len()).collect::<Vec<usize>>()];
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (rows[i - 1][j] + 1)
                .min(row[j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(rows[i - 2][j - 2] + 1);
            }
        }
        rows.push(row);
    }
    rows[a.len()][b.len()]
}

fn only_on(meta: &ParseNestedMeta<'_>, derive: Derive, allowed: Derive) -> syn::Result<()> {
    if derive == allowed {
        return Ok(());
    }
    Err(syn::Error::new_spanned(
        &meta.path,
        format!(
            "`{}` is only allowed with `#[derive({})]`, not `#[derive({})]`",
            path_text(&meta.path),
            allowed.name(),
            derive.name()
        ),
    ))
}

fn flag(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) || meta.input.peek(token::Paren) {
        return Err(syn::Error::new_spanned(
            &meta.path,
            format!(
                "`{}` takes no value: write `#[dynamo({})]`",
                path_text(&meta.path),
                path_text(&meta.path)
            ),
        ));
    }
    Ok(())
}

fn value<'a>(meta: &ParseNestedMeta<'a>, example: &str) -> syn::Result<ParseStream<'a>> {
    if !meta.input.peek(Token![=]) {
        return Err(syn::Error::new_spanned(
            &meta.path,
            format!("`{}` needs a value: `{example}`", path_text(&meta.path)),
        ));
    }
    meta.value()
}

fn string(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<LitStr> {
    let input = value(meta, example)?;
    if input.peek(LitStr) {
        return input.parse();
    }
    let token: TokenTree = input.parse()?;
    Err(syn::Error::new_spanned(
        token,
        format!("expected a string literal: `{example}`"),
    ))
}

fn ident(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<Ident> {
    let input = value(meta, example)?;
    if input.peek(Ident) && !input.peek2(Token![::]) {
        return input.parse();
    }
    let token: TokenTree = input.parse()?;
    Err(syn::Error::new_spanned(
        token,
        format!("expected a name: `{example}`"),
    ))
}

/// A module path, bare (`with = my::module`) or quoted (`with = "my::module"`).
fn module_path(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<syn::Path> {
    let input = value(meta, example)?;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return lit.parse().map_err(|_| {
            syn::Error::new_spanned(&lit, format!("expected a module path: `{example}`"))
        });
    }
    if input.peek(Ident::peek_any) || input.peek(Token![::]) {
        return input.call(syn::Path::parse_mod_style);
    }
    let token: TokenTree = input.parse()?;
    Err(syn::Error::new_spanned(
        token,
        format!("expected a module path: `{example}`"),
    ))
}
