//! `#[derive(DynamoTable)]`: a table shared by entities. `TableDef` (the
//! schema, the discriminator, the attribute names the table writes), the raw
//! key struct (`AppKey`) and one marker per index with `TableIndex`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::ext::IdentExt;

use super::{Fallback, Gen, wrap};
use crate::ast::Field;
use crate::attr::{self, IndexKind};
use crate::check;

impl<'a> Gen<'a> {
    /// `#[derive(DynamoTable)]` on a struct of key attributes.
    pub(super) fn table(&self, fields: &[Field<'a>]) -> TokenStream {
        let p = &self.p;
        let ident = self.cont.ident;
        let key_ident = self.key_ident();
        let table_name = match &self.cont.attrs.table {
            Some(table) => table.value(),
            None => crate::case::snake_case(&ident.unraw().to_string()),
        };
        let discriminator = match &self.cont.attrs.discriminator {
            Some(lit) => lit.value(),
            None => "_type".to_owned(),
        };
        let keys = self.key_fields();
        let Some(hash) = keys.first().copied() else {
            return TokenStream::new();
        };
        let hash_ty = &hash.ty;
        let hash_key = self.key_attribute(hash);
        let range = keys.get(1).copied();
        let (range_ty, range_key) = match range {
            Some(range) => {
                let attribute = self.key_attribute(range);
                (range.ty.to_token_stream(), quote!(#p::Some(#attribute)))
            }
            None => (quote!(#p::NoRange), quote!(#p::None)),
        };
        let billing = self.billing();
        let indexes = self.cont.attrs.indexes.iter().map(|index| {
            let marker = &index.marker;
            quote!(<#marker as #p::TableIndex>::SCHEMA)
        });
        let mut reserved: Vec<String> = fields.iter().map(|field| field.name.clone()).collect();
        reserved.push(discriminator.clone());
        let (key_struct, key_impls) = self.key_struct();
        let (markers, marker_impls) = self.table_markers();

        // The struct is a declaration: it is never built. Reading its fields
        // here keeps `dead_code` quiet about them.
        let members = fields.iter().map(|field| field.ident);
        let table_impl = quote! {
            #[automatically_derived]
            impl #p::TableDef for #ident {
                const SCHEMA: #p::TableSchema = #p::TableSchema {
                    table_name: #table_name,
                    hash_key: #hash_key,
                    range_key: #range_key,
                    indexes: &[#(#indexes),*],
                    version_attribute: #p::None,
                    ttl_attribute: #p::None,
                    billing: #billing,
                };
                const DISCRIMINATOR: &'static ::core::primitive::str = #discriminator;
                const RESERVED: &'static [&'static ::core::primitive::str] = &[#(#reserved),*];
                type Key = #key_ident;
                type HashKey = #hash_ty;
                type RangeKey = #range_ty;
            }

            impl #ident {
                #[allow(dead_code)]
                fn __dynamo_declaration(&self) {
                    let _ = (#(&self.#members,)*);
                }
            }
        };
        wrap(
            quote! { #key_struct #markers },
            quote! { #key_impls #table_impl #marker_impls },
        )
    }

    /// One marker per index: `TableIndex`, `IndexOf<Table>`, and
    /// `AllAttributes` when it projects every attribute.
    fn table_markers(&self) -> (TokenStream, TokenStream) {
        let p = &self.p;
        let ident = self.cont.ident;
        let vis = self.cont.vis;
        let mut declarations = TokenStream::new();
        let mut impls = TokenStream::new();
        for index in &self.cont.attrs.indexes {
            let marker = &index.marker;
            let name = check::index_name(index);
            let (hash, kind, global) = match index.kind {
                IndexKind::Global => (
                    index
                        .hash
                        .as_ref()
                        .and_then(|hash| self.cont.field(&hash.value)),
                    quote!(#p::IndexKind::Global),
                    "global",
                ),
                IndexKind::Local => (self.cont.hash_key(), quote!(#p::IndexKind::Local), "local"),
            };
            let Some(hash) = hash else {
                continue;
            };
            let hash_key = self.key_attribute(hash);
            let range = index
                .range
                .as_ref()
                .and_then(|range| self.cont.field(&range.value));
            let range_key = match range {
                Some(range) => {
                    let attribute = self.key_attribute(range);
                    quote!(#p::Some(#attribute))
                }
                None => quote!(#p::None),
            };
            let (projection, all) = match index.projection.as_ref().map(|p| &p.value) {
                None | Some(attr::Projection::All) => (quote!(#p::Projection::All), true),
                Some(attr::Projection::KeysOnly) => (quote!(#p::Projection::KeysOnly), false),
                Some(attr::Projection::Include(names)) => {
                    // Attribute names of the entities (the table does not know their fields).
                    let names = names.iter().map(|name| name.unraw().to_string());
                    (quote!(#p::Projection::Include(&[#(#names),*])), false)
                }
            };
            let doc = format!(
                "The {global} secondary index {name:?} of [`{ident}`]: a marker for `query_index::<{marker}>` and entities' `index({marker}, ...)`."
            );
            declarations.extend(quote_spanned! {marker.span()=>
                #[derive(
                    ::core::fmt::Debug,
                    ::core::clone::Clone,
                    ::core::marker::Copy,
                    ::core::default::Default
                )]
                #[doc = #doc]
                #[allow(dead_code)]
                #vis struct #marker;
            });
            let all = all.then(|| {
                quote! {
                    #[automatically_derived]
                    impl #p::AllAttributes for #marker {}
                }
            });
            impls.extend(quote! {
                #[automatically_derived]
                impl #p::TableIndex for #marker {
                    type Table = #ident;
                    const SCHEMA: #p::IndexSchema = #p::IndexSchema {
                        name: #name,
                        kind: #kind,
                        hash_key: #hash_key,
                        range_key: #range_key,
                        projection: #projection,
                    };
                }

                #[automatically_derived]
                impl #p::IndexOf<#ident> for #marker {}

                #all
            });
        }
        (declarations, impls)
    }
}

/// A `TableDef` placeholder, its key struct and index markers.
pub(super) fn fallback(fb: &Fallback<'_>) -> TokenStream {
    let p = &fb.p;
    let ident = fb.ident();
    let key = fb.key_ident();
    let vis = &fb.input.vis;
    let (key_struct, key_impls) = super::key::fallback(fb);
    let mut taken = fb.taken_names();
    let markers: Vec<&syn::Ident> = fb
        .attrs
        .indexes
        .iter()
        .map(|index| &index.marker)
        .filter(|marker| taken.insert(marker.to_string()))
        .collect();
    quote! {
        #key_struct
        #(
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::default::Default)]
            #[allow(dead_code)]
            #vis struct #markers;
        )*
        #[doc(hidden)]
        #[allow(unused_variables, unused_qualifications)]
        const _: () = {
            #key_impls
            impl #p::TableDef for #ident {
                const SCHEMA: #p::TableSchema = #p::TableSchema {
                    table_name: "",
                    hash_key: #p::KeyAttribute { name: "", scalar_type: #p::ScalarType::S },
                    range_key: #p::None,
                    indexes: &[],
                    version_attribute: #p::None,
                    ttl_attribute: #p::None,
                    billing: #p::Billing::OnDemand,
                };
                const DISCRIMINATOR: &'static ::core::primitive::str = "";
                const RESERVED: &'static [&'static ::core::primitive::str] = &[];
                type Key = #key;
                type HashKey = #p::String;
                type RangeKey = #p::NoRange;
            }
            #(
                impl #p::TableIndex for #markers {
                    type Table = #ident;
                    const SCHEMA: #p::IndexSchema = #p::IndexSchema {
                        name: "",
                        kind: #p::IndexKind::Global,
                        hash_key: #p::KeyAttribute { name: "", scalar_type: #p::ScalarType::S },
                        range_key: #p::None,
                        projection: #p::Projection::All,
                    };
                }
                impl #p::IndexOf<#ident> for #markers {}
                impl #p::AllAttributes for #markers {}
            )*
        };
    }
}
