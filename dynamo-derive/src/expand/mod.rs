//! Writes the code: what a careful human would write by hand for the struct,
//! through absolute paths into the runtime's `__private` module.
//!
//! One module per generated artifact, each with the placeholder it emits when
//! the input has mistakes (`thiserror`'s `fallback.rs`, `clap_derive`'s
//! dummies): code that uses the type still finds its traits, companion types and
//! index markers, so one mistake gives one error and not twenty. Placeholder
//! bodies are never run: the crate does not compile.
//!
//! Per-field conversion calls are spanned at the field's type, so a type
//! without `IntoAttribute`, `FromAttribute` or `KeyScalar` is reported there.
//! Generated locals start with `__` and reach user-spanned code only through
//! interpolation, so they resolve even when the struct comes from a `macro_rules!`.

mod attribute_map;
mod entities;
mod entity;
mod fields;
mod index;
mod item;
mod key;
mod projection;
mod table;
mod unit_enum;
mod value_impls;

use std::collections::HashSet;

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};
use syn::ext::IdentExt;
use syn::{DeriveInput, Ident, LitStr};

use crate::ast::{Container, Data, Field};
use crate::attr::{self, Derive};
use crate::check;
use crate::ctxt::Ctxt;

/// `#[derive(DynamoItem)]`: the checked model's code, or every error found.
pub fn derive_item(input: &DeriveInput) -> syn::Result<TokenStream> {
    derive(input, Derive::Item)
}

/// `#[derive(DynamoAttribute)]`: the checked model's code, or every error found.
pub fn derive_attribute(input: &DeriveInput) -> syn::Result<TokenStream> {
    derive(input, Derive::Attribute)
}

/// `#[derive(DynamoTable)]`: the checked model's code, or every error found.
pub fn derive_table(input: &DeriveInput) -> syn::Result<TokenStream> {
    derive(input, Derive::Table)
}

/// `#[derive(DynamoEntities)]`: the checked enum's code, or every error found.
pub fn derive_entities(input: &DeriveInput) -> syn::Result<TokenStream> {
    entities::derive(input)
}

/// The errors of `#[derive(DynamoEntities)]`, with placeholders.
pub fn fallback_entities(input: &DeriveInput, error: syn::Error) -> TokenStream {
    entities::fallback(input, error)
}

/// The errors of `#[derive(DynamoTable)]`, with placeholders.
pub fn fallback_table(input: &DeriveInput, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    if !matches!(input.data, syn::Data::Struct(_)) || !input.generics.params.is_empty() {
        return error;
    }
    let fb = Fallback::new(input, Derive::Table);
    let placeholders = table::fallback(&fb);
    quote! {
        #error
        #placeholders
    }
}

fn derive(input: &DeriveInput, derive: Derive) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let cont = Container::from_ast(&cx, input, derive);
    if let Some(cont) = &cont {
        check::check(&cx, cont);
    }
    cx.check()?;
    let Some(cont) = cont else {
        return Err(syn::Error::new_spanned(&input.ident, "unsupported input"));
    };
    let fg = Gen::new(&cont);
    Ok(match (&cont.data, derive) {
        (Data::Struct(fields), Derive::Item) if cont.attrs.table_type.is_some() => {
            fg.entity(fields)
        }
        (Data::Struct(fields), Derive::Item) => fg.item(fields),
        (Data::Struct(fields), Derive::Table) => fg.table(fields),
        (Data::Struct(fields), Derive::Attribute | Derive::Entities) => fg.attribute_struct(fields),
        (Data::Enum(variants), _) => fg.unit_enum(variants),
    })
}

/// The errors of `#[derive(DynamoItem)]`, with placeholders for every artifact.
pub fn fallback_item(input: &DeriveInput, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    if input.generics.lifetimes().next().is_some() {
        // Refused (items are owned); placeholders would only add errors.
        return error;
    }
    let fb = Fallback::new(input, Derive::Item);
    let (fields_struct, fields_impls) = fields::fallback(&fb);
    let (key_struct, key_impls) = key::fallback(&fb);
    let (markers, marker_impls) = index::fallback(&fb);
    let (entity_structs, entity_impls) = entity::fallback(&fb);
    let map = attribute_map::fallback(&fb);
    let value = value_impls::fallback(&fb);
    let item = item::fallback(&fb);
    quote! {
        #error
        #fields_struct
        #key_struct
        #markers
        #entity_structs
        #[doc(hidden)]
        #[allow(unused_variables, unused_qualifications)]
        const _: () = {
            #map
            #value
            #fields_impls
            #key_impls
            #marker_impls
            #item
            #entity_impls
        };
    }
}

/// The errors of `#[derive(DynamoAttribute)]`, with placeholders for every artifact.
pub fn fallback_attribute(input: &DeriveInput, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    if input.generics.lifetimes().next().is_some() {
        // Refused (items are owned); placeholders would only add errors.
        return error;
    }
    let fb = Fallback::new(input, Derive::Attribute);
    let value = value_impls::fallback(&fb);
    let (declarations, impls) = match &input.data {
        syn::Data::Enum(_) => (TokenStream::new(), unit_enum::fallback(&fb)),
        syn::Data::Struct(_) | syn::Data::Union(_) => {
            let (fields_struct, fields_impls) = fields::fallback(&fb);
            let map = attribute_map::fallback(&fb);
            (fields_struct, quote! { #map #fields_impls })
        }
    };
    quote! {
        #error
        #declarations
        #[doc(hidden)]
        #[allow(unused_variables, unused_qualifications)]
        const _: () = {
            #value
            #impls
        };
    }
}

/// What the placeholders need: the input and its attributes, parsed again
/// leniently (what parsed is used; the errors were already reported).
struct Fallback<'a> {
    input: &'a DeriveInput,
    attrs: attr::Container,
    /// `::dynamo_orm::__private`.
    p: TokenStream,
}

impl<'a> Fallback<'a> {
    fn new(input: &'a DeriveInput, derive: Derive) -> Self {
        let attrs = attr::Container::from_ast(&Ctxt::new(), &input.attrs, derive);
        let p = private_path(attrs.crate_path.as_ref());
        Fallback { input, attrs, p }
    }

    fn ident(&self) -> &'a Ident {
        &self.input.ident
    }

    fn key_ident(&self) -> Ident {
        companion_ident(self.attrs.key.as_ref(), self.ident(), "Key")
    }

    /// `impl<..> Trait for Type<..> where ..` parts of a placeholder impl:
    /// the type's own parameters and where-clause, without inferred bounds.
    fn impl_generics(&self) -> TokenStream {
        let (impl_generics, _, _) = self.input.generics.split_for_impl();
        quote!(#impl_generics)
    }

    fn self_ty(&self) -> TokenStream {
        let ident = self.ident();
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        quote!(#ident #ty_generics)
    }

    fn where_own(&self) -> TokenStream {
        let (_, _, where_clause) = self.input.generics.split_for_impl();
        quote!(#where_clause)
    }

    /// The where-clause of a placeholder `DynamoItem` impl: an item is
    /// `Send + Sync + 'static`, so each type parameter must be.
    fn where_item(&self) -> TokenStream {
        let own = self
            .input
            .generics
            .where_clause
            .iter()
            .flat_map(|clause| clause.predicates.iter());
        let params = self.input.generics.type_params().map(|param| &param.ident);
        let predicates: Vec<TokenStream> =
            own.map(ToTokens::to_token_stream)
                .chain(params.map(
                    |param| quote!(#param: ::core::marker::Send + ::core::marker::Sync + 'static),
                ))
                .collect();
        if predicates.is_empty() {
            TokenStream::new()
        } else {
            quote!(where #(#predicates,)*)
        }
    }

    fn fields_ident(&self) -> Ident {
        companion_ident(self.attrs.fields.as_ref(), self.ident(), "Fields")
    }

    /// Names the item and its companions already use: a marker named like one
    /// of them gets no placeholder (its own error says so).
    fn taken_names(&self) -> HashSet<String> {
        [self.ident().clone(), self.key_ident(), self.fields_ident()]
            .iter()
            .map(|ident| ident.to_string())
            .collect()
    }
}

/// The path of the runtime's `__private` module (`#[dynamo(crate = "...")]` or `::dynamo_orm`).
pub fn private_path(crate_path: Option<&syn::Path>) -> TokenStream {
    match crate_path {
        Some(path) => quote!(#path::__private),
        None => quote!(::dynamo_orm::__private),
    }
}

/// The name of a generated companion type: the attribute's choice, else
/// `{Type}{suffix}` spanned at the type's name, so that a clash with a type of
/// that name is reported at `struct Type` rather than at the derive.
pub fn companion_ident(chosen: Option<&attr::Spanned<Ident>>, ty: &Ident, suffix: &str) -> Ident {
    match chosen {
        Some(chosen) => chosen.value.clone(),
        None => Ident::new(&format!("{}{}", ty.unraw(), suffix), ty.span()),
    }
}

struct Gen<'a> {
    cont: &'a Container<'a>,
    /// `::dynamo_orm::__private`.
    p: TokenStream,
    /// `self`, call-site spanned, for use inside user-spanned code.
    this: TokenStream,
    /// `__item`, the map being written or read.
    item: TokenStream,
}

/// One field with what the generated code calls it.
struct FieldGen<'f, 'a> {
    field: &'f Field<'a>,
    /// The stored name as an expression and pattern: a string literal, or for a
    /// projection a constant read from the projected item.
    name: TokenStream,
    /// `__f{i}`: the field's value while `from_map` collects them.
    var: Ident,
}

impl<'a> Gen<'a> {
    /// `Some("name")` of a field's stored name, or `None`.
    fn optional_name(&self, field: Option<&Field<'_>>) -> TokenStream {
        let p = &self.p;
        match field {
            Some(field) => {
                let name = &field.name;
                quote!(#p::Some(#name))
            }
            None => quote!(#p::None),
        }
    }

    fn new(cont: &'a Container<'a>) -> Self {
        Gen {
            cont,
            p: private_path(cont.attrs.crate_path.as_ref()),
            this: quote!(self),
            item: quote!(__item),
        }
    }

    /// `User`, or `Envelope<T>`: the type the impls are for.
    fn self_ty(&self) -> TokenStream {
        let ident = self.cont.ident;
        let (_, ty_generics, _) = self.cont.generics.split_for_impl();
        quote!(#ident #ty_generics)
    }

    /// `<T: Bound>` after `impl` (empty for a type without parameters).
    fn impl_generics(&self) -> TokenStream {
        let (impl_generics, _, _) = self.cont.generics.split_for_impl();
        quote!(#impl_generics)
    }

    /// `<T>` after a companion type's name (empty without parameters).
    fn ty_generics(&self) -> TokenStream {
        let (_, ty_generics, _) = self.cont.generics.split_for_impl();
        quote!(#ty_generics)
    }

    /// The struct's own where-clause: for impls that need nothing of the
    /// parameters (typed paths, markers).
    fn where_own(&self) -> TokenStream {
        self.where_with(Vec::new())
    }

    /// For the conversion impls: the struct's where-clause and either the
    /// `bound = "..."` predicates or, like serde, `T: IntoAttribute +
    /// FromAttribute + AttrKind` for each parameter a stored field uses (and
    /// `Type: Default` for a skipped field's type that uses one).
    fn where_conv(&self) -> TokenStream {
        self.where_with(self.conversion_bounds())
    }

    /// For `DynamoItem` and the index impls: the conversion bounds, and each
    /// type parameter `Send + Sync + 'static` (an item is).
    fn where_item(&self) -> TokenStream {
        let mut bounds = self.conversion_bounds();
        bounds.extend(
            self.type_params()
                .into_iter()
                .map(|param| quote!(#param: ::core::marker::Send + ::core::marker::Sync + 'static)),
        );
        self.where_with(bounds)
    }

    /// The conversion bounds and each type parameter `'static` (`Flatten`).
    fn where_static(&self) -> TokenStream {
        let mut bounds = self.conversion_bounds();
        bounds.extend(
            self.type_params()
                .into_iter()
                .map(|param| quote!(#param: 'static)),
        );
        self.where_with(bounds)
    }

    fn where_with(&self, extra: Vec<TokenStream>) -> TokenStream {
        let own = self
            .cont
            .generics
            .where_clause
            .iter()
            .flat_map(|clause| clause.predicates.iter());
        let predicates: Vec<TokenStream> =
            own.map(ToTokens::to_token_stream).chain(extra).collect();
        if predicates.is_empty() {
            TokenStream::new()
        } else {
            quote!(where #(#predicates,)*)
        }
    }

    fn type_params(&self) -> Vec<&Ident> {
        self.cont
            .generics
            .type_params()
            .map(|param| &param.ident)
            .collect()
    }

    fn conversion_bounds(&self) -> Vec<TokenStream> {
        let p = &self.p;
        if let Some(bound) = &self.cont.attrs.bound {
            return bound.value.iter().map(ToTokens::to_token_stream).collect();
        }
        let params: Vec<Ident> = self.type_params().into_iter().cloned().collect();
        if params.is_empty() {
            return Vec::new();
        }
        let mut bounds = Vec::new();
        for param in &params {
            let stored_use = self.cont.fields().iter().any(|field| {
                field.attrs.skip.is_none()
                    && field.attrs.with.is_none()
                    && check::uses_params(&field.ty, std::slice::from_ref(param))
            });
            if stored_use {
                bounds.push(quote!(#param: #p::IntoAttribute + #p::FromAttribute + #p::AttrKind));
            }
        }
        for field in self.cont.fields() {
            if field.attrs.skip.is_some() && check::uses_params(&field.ty, &params) {
                let ty = &field.ty;
                bounds.push(quote!(#ty: #p::Default));
            }
        }
        bounds
    }

    /// `{Type}Key`, or the name `key = ...` chose.
    fn key_ident(&self) -> Ident {
        companion_ident(self.cont.attrs.key.as_ref(), self.cont.ident, "Key")
    }

    /// `{Type}Fields`, or the name `fields = ...` chose.
    fn fields_ident(&self) -> Ident {
        companion_ident(self.cont.attrs.fields.as_ref(), self.cont.ident, "Fields")
    }

    fn field_gens<'f>(&self, fields: &'f [Field<'a>]) -> Vec<FieldGen<'f, 'a>> {
        let projection = self.cont.attrs.projection_of.is_some();
        fields
            .iter()
            .enumerate()
            .map(|(i, field)| FieldGen {
                field,
                name: if projection {
                    format_ident!("__NAME_{}", i).into_token_stream()
                } else {
                    LitStr::new(&field.name, Span::call_site()).into_token_stream()
                },
                var: format_ident!("__f{}", i),
            })
            .collect()
    }

    /// `#[derive(DynamoItem)]` on a struct.
    fn item(&self, fields: &[Field<'a>]) -> TokenStream {
        let gens = self.field_gens(fields);
        let map = self.attribute_map(&gens);
        let value = self.map_value_impls();
        let (fields_struct, fields_impls) = self.fields_struct(&gens);
        let (key_struct, key_impls) = self.key_struct();
        let item_impl = self.item_impl();
        let (markers, marker_impls) = self.index_markers();
        wrap(
            quote! { #fields_struct #key_struct #markers },
            quote! { #map #value #fields_impls #key_impls #item_impl #marker_impls },
        )
    }

    /// `#[derive(DynamoAttribute)]` on a struct.
    fn attribute_struct(&self, fields: &[Field<'a>]) -> TokenStream {
        let gens = self.field_gens(fields);
        let names = self.projection_names(&gens);
        let map = self.attribute_map(&gens);
        let value = self.map_value_impls();
        let (fields_struct, fields_impls) = self.fields_struct(&gens);
        wrap(fields_struct, quote! { #names #map #value #fields_impls })
    }
}

/// `tokens` with every span set to `span` (interpolated tokens keep their own
/// spans in `quote_spanned!`; this is for a whole path).
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut respanned = Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                token = TokenTree::Group(respanned);
            }
            token.set_span(span);
            token
        })
        .collect()
}

/// Docs list names as code: `a`, `b`.
fn code_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    quoted.join(", ")
}

/// Named companion types go beside the struct; impls go in an anonymous const.
fn wrap(declarations: TokenStream, impls: TokenStream) -> TokenStream {
    quote! {
        #declarations

        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications)]
        const _: () = {
            #impls
        };
    }
}
