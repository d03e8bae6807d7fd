//! `impl DynamoItem`: the table schema, the item's key and its version.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::{Fallback, Gen};
use crate::ast::Field;

impl<'a> Gen<'a> {
    pub(super) fn item_impl(&self) -> TokenStream {
        let Gen { p, this, .. } = self;
        let ident = self.cont.ident;
        let key_ident = self.key_ident();
        let table_name = match &self.cont.attrs.table {
            Some(table) => table.value(),
            None => crate::case::snake_case(&ident.unraw().to_string()),
        };
        let keys = self.key_fields();
        let hash = keys[0];
        let hash_ty = &hash.ty;
        let hash_name = &hash.name;
        // Read through the associated type, whose `KeyScalar` bound already
        // reports a wrong type (at the type): one error, not two.
        let hash_key = quote! {
            #p::KeyAttribute { name: #hash_name, scalar_type: #p::hash_scalar_type::<#ident>() }
        };
        let range = keys.get(1).copied();
        let range_ty = match range {
            Some(range) => range.ty.to_token_stream(),
            None => quote!(#p::NoRange),
        };
        let range_key = match range {
            Some(range) => {
                let attribute = self.key_attribute(range);
                quote!(#p::Some(#attribute))
            }
            None => quote!(#p::None),
        };
        let indexes = self.cont.attrs.indexes.iter().map(|index| {
            let marker = &index.marker;
            quote!(<#marker as #p::Index>::SCHEMA)
        });
        let optional_name = |field: Option<&Field<'_>>| match field {
            Some(field) => {
                let name = &field.name;
                quote!(#p::Some(#name))
            }
            None => quote!(#p::None),
        };
        let version_attribute = optional_name(self.cont.version());
        let ttl_attribute = optional_name(self.cont.ttl());
        let key_members = keys.iter().map(|field| field.ident);
        let version = self.cont.version().map(|field| {
            let member = field.ident;
            quote! {
                #[inline]
                fn version(&self) -> ::core::primitive::u64 {
                    match #p::TryFrom::try_from(#this.#member) {
                        #p::Ok(__version) => __version,
                        #p::Err(_) => 0,
                    }
                }

                #[inline]
                fn set_version(&mut self, __version: ::core::primitive::u64) {
                    if let #p::Ok(__version) = #p::TryFrom::try_from(__version) {
                        #this.#member = __version;
                    }
                }
            }
        });
        quote! {
            #[automatically_derived]
            impl #p::DynamoItem for #ident {
                type Key = #key_ident;
                type HashKey = #hash_ty;
                type RangeKey = #range_ty;

                const SCHEMA: #p::TableSchema = #p::TableSchema {
                    table_name: #table_name,
                    hash_key: #hash_key,
                    range_key: #range_key,
                    indexes: &[#(#indexes),*],
                    version_attribute: #version_attribute,
                    ttl_attribute: #ttl_attribute,
                };

                #[inline]
                fn key(&self) -> #key_ident {
                    #key_ident {
                        #(#key_members: ::core::clone::Clone::clone(&#this.#key_members),)*
                    }
                }

                #version
            }
        }
    }

    /// The hash key field, then the range key field if there is one.
    pub(super) fn key_fields(&self) -> Vec<&'a Field<'a>> {
        let fields = self.cont.fields();
        let hash = fields.iter().filter(|field| field.attrs.hash_key.is_some());
        let range = fields
            .iter()
            .filter(|field| field.attrs.range_key.is_some());
        hash.take(1).chain(range.take(1)).collect()
    }

    /// `KeyAttribute { name, scalar_type }`; the `KeyScalar` bound is spanned at the field's type.
    pub(super) fn key_attribute(&self, field: &Field<'_>) -> TokenStream {
        let p = &self.p;
        let ty = &field.ty;
        let name = &field.name;
        let scalar_type = quote_spanned!(ty.span()=> <#ty as #p::KeyScalar>::SCALAR_TYPE);
        quote!(#p::KeyAttribute { name: #name, scalar_type: #scalar_type })
    }
}

/// A `DynamoItem` impl with an empty schema.
pub(super) fn fallback(fb: &Fallback<'_>) -> TokenStream {
    let Fallback { p, .. } = fb;
    let ident = fb.ident();
    let key = fb.key_ident();
    quote! {
        impl #p::DynamoItem for #ident {
            type Key = #key;
            type HashKey = #p::String;
            type RangeKey = #p::NoRange;
            const SCHEMA: #p::TableSchema = #p::TableSchema {
                table_name: "",
                hash_key: #p::KeyAttribute { name: "", scalar_type: #p::ScalarType::S },
                range_key: #p::None,
                indexes: &[],
                version_attribute: #p::None,
                ttl_attribute: #p::None,
            };
            fn key(&self) -> #key {
                ::core::unreachable!()
            }
        }
    }
}
