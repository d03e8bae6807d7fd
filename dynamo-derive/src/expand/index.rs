//! One marker type per secondary index, with its `QueryTarget` and `Index` impls.

use proc_macro2::TokenStream;
use quote::quote;

use super::item::index_scalar;
use super::{Fallback, Gen};
use crate::ast::Field;
use crate::attr::{self, IndexKind};
use crate::check;

impl<'a> Gen<'a> {
    /// One marker type per index, with its `QueryTarget` and `Index` impls.
    pub(super) fn index_markers(&self) -> (TokenStream, TokenStream) {
        let p = &self.p;
        let ident = self.cont.ident;
        let mut declarations = TokenStream::new();
        let mut impls = TokenStream::new();
        let (impl_generics, ty_generics) = (self.impl_generics(), self.ty_generics());
        let (self_ty, where_item) = (self.self_ty(), self.where_item());
        for index in &self.cont.attrs.indexes {
            let marker = &index.marker;
            let name = check::index_name(index);
            let (hash, global, kind, what) = match index.kind {
                IndexKind::Global => {
                    let hash = index
                        .hash
                        .as_ref()
                        .and_then(|hash| self.cont.field(&hash.value));
                    (hash, true, quote!(#p::IndexKind::Global), "global")
                }
                IndexKind::Local => (
                    self.cont.hash_key(),
                    false,
                    quote!(#p::IndexKind::Local),
                    "local",
                ),
            };
            let range = index
                .range
                .as_ref()
                .and_then(|range| self.cont.field(&range.value));
            let Some(hash) = hash else {
                continue;
            };
            // An index key may be an `Option` (a sparse index): its type in the
            // index is the inner scalar, through `IndexKey` (spanned at the field).
            let hash_ty = index_scalar(p, &hash.ty);
            let hash_name = &hash.name;
            let hash_key = quote! {
                #p::KeyAttribute {
                    name: #hash_name,
                    scalar_type: #p::index_hash_scalar_type::<Self>(),
                }
            };
            let (range_ty, range_key) = match range {
                Some(range) => {
                    let attribute = self.index_key_attribute(range);
                    (index_scalar(p, &range.ty), quote!(#p::Some(#attribute)))
                }
                None => (quote!(#p::NoRange), quote!(#p::None)),
            };
            let projection = match index
                .projection
                .as_ref()
                .map(|projection| &projection.value)
            {
                None | Some(attr::Projection::All) => quote!(#p::Projection::All),
                Some(attr::Projection::KeysOnly) => quote!(#p::Projection::KeysOnly),
                Some(attr::Projection::Include(included)) => {
                    let names = included
                        .iter()
                        .filter_map(|ident| self.cont.field(ident))
                        .map(|field| &field.name);
                    quote!(#p::Projection::Include(&[#(#names),*]))
                }
            };
            let doc = match range {
                Some(range) => format!(
                    "The {what} secondary index {name:?} of [`{ident}`]: hash key `{}`, range key `{}`.",
                    hash.name, range.name
                ),
                None => format!(
                    "The {what} secondary index {name:?} of [`{ident}`]: hash key `{}`.",
                    hash.name
                ),
            };
            let readable = self.projects_required_fields(index, hash, range).then(|| {
                quote! {
                    #[automatically_derived]
                    impl #impl_generics #p::ReadableFrom<#marker #ty_generics> for #self_ty #where_item {}
                }
            });
            declarations.extend(self.marker_declaration(marker, &doc));
            impls.extend(quote! {
                #[automatically_derived]
                impl #impl_generics #p::QueryTarget for #marker #ty_generics #where_item {
                    type Item = #self_ty;
                    type Hash = #hash_ty;
                    type Range = #range_ty;
                    const INDEX_NAME: #p::Option<&'static ::core::primitive::str> = #p::Some(#name);
                    const HASH_KEY: #p::KeyAttribute = #hash_key;
                    const RANGE_KEY: #p::Option<#p::KeyAttribute> = #range_key;
                    const GLOBAL: ::core::primitive::bool = #global;
                }

                #[automatically_derived]
                impl #impl_generics #p::Index for #marker #ty_generics #where_item {
                    const SCHEMA: #p::IndexSchema = #p::IndexSchema {
                        name: #name,
                        kind: #kind,
                        hash_key: <Self as #p::QueryTarget>::HASH_KEY,
                        range_key: <Self as #p::QueryTarget>::RANGE_KEY,
                        projection: #projection,
                    };
                }

                #readable
            });
        }
        (declarations, impls)
    }

    /// The marker: a unit struct, or for a generic item a struct of the same
    /// parameters (`ByEmail<T>`) with its impls written out, since derived ones
    /// would require each parameter to have them.
    fn marker_declaration(&self, marker: &syn::Ident, doc: &str) -> TokenStream {
        let vis = self.cont.vis;
        if self.cont.generics.params.is_empty() {
            return quote! {
                #[derive(
                    ::core::fmt::Debug,
                    ::core::clone::Clone,
                    ::core::marker::Copy,
                    ::core::default::Default
                )]
                #[doc = #doc]
                #[allow(dead_code)]
                #vis struct #marker;
            };
        }
        let generics = self.cont.generics;
        let (impl_generics, ty_generics) = (self.impl_generics(), self.ty_generics());
        let (self_ty, where_own) = (self.self_ty(), self.where_own());
        let name = marker.to_string();
        quote! {
            #[doc = #doc]
            #[allow(dead_code)]
            #vis struct #marker #generics (::core::marker::PhantomData<fn() -> #self_ty>) #where_own;

            #[automatically_derived]
            impl #impl_generics ::core::fmt::Debug for #marker #ty_generics #where_own {
                fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    __f.write_str(#name)
                }
            }

            #[automatically_derived]
            impl #impl_generics ::core::clone::Clone for #marker #ty_generics #where_own {
                #[inline]
                fn clone(&self) -> Self {
                    *self
                }
            }

            #[automatically_derived]
            impl #impl_generics ::core::marker::Copy for #marker #ty_generics #where_own {}

            #[automatically_derived]
            impl #impl_generics ::core::default::Default for #marker #ty_generics #where_own {
                #[inline]
                fn default() -> Self {
                    #marker(::core::marker::PhantomData)
                }
            }
        }
    }

    /// Whether the index holds every attribute a full item needs: with
    /// projection `all`, or when the keys (the table's and the index's) and the
    /// `include`d fields cover every required field. A field is required
    /// unless it reads something when missing: an `Option`, a `default`, a set
    /// (the empty set), the version (0), a `skip`ped one. A `flatten`ed or
    /// `with` field is required. Spelling decides `Option` and sets, which errs
    /// on the side of "required" (no impl) for an alias.
    fn projects_required_fields(
        &self,
        index: &attr::Index,
        hash: &Field<'_>,
        range: Option<&Field<'_>>,
    ) -> bool {
        let included: Vec<&str> = match index.projection.as_ref().map(|p| &p.value) {
            None | Some(attr::Projection::All) => return true,
            Some(attr::Projection::KeysOnly) => Vec::new(),
            Some(attr::Projection::Include(fields)) => fields
                .iter()
                .filter_map(|ident| self.cont.field(ident))
                .map(|field| field.name.as_str())
                .collect(),
        };
        let keys = self
            .key_fields()
            .into_iter()
            .chain([hash])
            .chain(range)
            .map(|field| field.name.as_str());
        let projected: Vec<&str> = keys.chain(included).collect();
        self.cont
            .fields()
            .iter()
            .filter(|field| is_required(field))
            .all(|field| field.is_stored() && projected.contains(&field.name.as_str()))
    }
}

/// Whether reading an item fails when the field's attribute is missing.
fn is_required(field: &Field<'_>) -> bool {
    let attrs = &field.attrs;
    if attrs.skip.is_some() || attrs.default.is_some() || attrs.version.is_some() {
        return false;
    }
    if attrs.flatten.is_some() || attrs.with.is_some() {
        return true;
    }
    check::option_inner(&field.ty).is_none() && !check::is_set(&field.ty)
}

/// The marker types, without impls: code naming them still resolves.
pub(super) fn fallback(fb: &Fallback<'_>) -> (TokenStream, TokenStream) {
    let vis = &fb.input.vis;
    let mut taken = fb.taken_names();
    let markers = fb
        .attrs
        .indexes
        .iter()
        .map(|index| &index.marker)
        .filter(|marker| taken.insert(marker.to_string()));
    let declarations = quote! {
        #(
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::default::Default)]
            #[allow(dead_code)]
            #vis struct #markers;
        )*
    };
    (declarations, TokenStream::new())
}
