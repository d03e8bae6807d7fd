//! `impl DynamoItem`: the table schema, the item's key and its version.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::{Fallback, Gen, respan};
use crate::ast::Field;

impl<'a> Gen<'a> {
    pub(super) fn item_impl(&self) -> TokenStream {
        let Gen { p, this, .. } = self;
        if self.cont.attrs.table_type.is_some() {
            return self.entity_item_impl();
        }
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
            #p::KeyAttribute { name: #hash_name, scalar_type: #p::hash_scalar_type::<Self>() }
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
        let (impl_generics, ty_generics) = (self.impl_generics(), self.ty_generics());
        let (self_ty, where_item) = (self.self_ty(), self.where_item());
        let indexes = self.cont.attrs.indexes.iter().map(|index| {
            let marker = &index.marker;
            quote!(<#marker #ty_generics as #p::Index>::SCHEMA)
        });
        let version_attribute = self.optional_name(self.cont.version());
        let ttl_attribute = self.optional_name(self.cont.ttl());
        let key_members = keys.iter().map(|field| field.ident);
        let (version, ttl_check) = self.version_items();
        let billing = self.billing();
        quote! {
            #ttl_check

            #[automatically_derived]
            impl #impl_generics #p::DynamoItem for #self_ty #where_item {
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
                    billing: #billing,
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

    /// `Billing` from `provisioned(read = .., write = ..)`, else on demand.
    pub(super) fn billing(&self) -> TokenStream {
        let p = &self.p;
        match &self.cont.attrs.provisioned {
            Some(provisioned) => {
                let (read, write) = (&provisioned.value.read, &provisioned.value.write);
                quote!(#p::Billing::Provisioned { read: #read, write: #write })
            }
            None => quote!(#p::Billing::OnDemand),
        }
    }

    /// The version items of `impl DynamoItem` and the TTL type check.
    pub(super) fn version_items(&self) -> (Option<TokenStream>, Option<TokenStream>) {
        let Gen { p, this, .. } = self;
        let version = self.cont.version().map(|field| {
            let member = field.ident;
            let name = &field.name;
            // Every use of the type's `VersionNumber` impl is the same path at
            // the same place: a type without one is a single error.
            let number = |item: TokenStream| version_number(p, &field.ty, item);
            let max = number(quote!(MAX));
            let to_version = number(quote!(to_version));
            let from_version = number(quote!(from_version));
            quote! {
                const VERSION_MAX: ::core::primitive::u64 = #max;

                #[inline]
                fn version(&self) -> #p::Result<::core::primitive::u64, #p::EncodeError> {
                    #p::version_of(#to_version(#this.#member), #name)
                }

                #[inline]
                fn set_version(
                    &mut self,
                    __version: ::core::primitive::u64,
                ) -> #p::Result<(), #p::EncodeError> {
                    #this.#member = #p::version_in(#from_version(__version), __version, #max, #name)?;
                    #p::Ok(())
                }
            }
        });
        let ttl_check = self.cont.ttl().map(|field| {
            let ty = &field.ty;
            let check = quote_spanned!(ty.span()=> #p::assert_time_to_live::<#ty>());
            quote!(const _: () = #check;)
        });
        (version, ttl_check)
    }

    /// The hash key field, then the range key field if there is one; for an
    /// entity, the fields of its key templates.
    pub(super) fn key_fields(&self) -> Vec<&'a Field<'a>> {
        if self.cont.attrs.table_type.is_some() {
            return self.entity_key_fields();
        }
        let fields = self.cont.fields();
        let hash = fields.iter().filter(|field| field.attrs.hash_key.is_some());
        let range = fields
            .iter()
            .filter(|field| field.attrs.range_key.is_some());
        hash.take(1).chain(range.take(1)).collect()
    }

    /// `KeyAttribute { name, scalar_type }` of the table's range key; the
    /// `KeyScalar` bound is spanned at the field's type.
    pub(super) fn key_attribute(&self, field: &Field<'_>) -> TokenStream {
        let p = &self.p;
        let ty = &field.ty;
        let name = &field.name;
        let scalar_type = quote_spanned!(ty.span()=> <#ty as #p::KeyScalar>::SCALAR_TYPE);
        quote!(#p::KeyAttribute { name: #name, scalar_type: #scalar_type })
    }

    /// `KeyAttribute { name, scalar_type }` of an index's range key, which may
    /// be an `Option` (a sparse index): the `IndexKey` bound is spanned at the type.
    pub(super) fn index_key_attribute(&self, field: &Field<'_>) -> TokenStream {
        let p = &self.p;
        let ty = &field.ty;
        let name = &field.name;
        let scalar = index_scalar(p, ty);
        quote!(#p::KeyAttribute { name: #name, scalar_type: <#scalar as #p::KeyScalar>::SCALAR_TYPE })
    }
}

/// `<ty as VersionNumber>::item`, every token spanned at the type.
pub(super) fn version_number(p: &TokenStream, ty: &syn::Type, item: TokenStream) -> TokenStream {
    respan(quote!(<#ty as #p::VersionNumber>::#item), ty.span())
}

/// `<ty as IndexKey>::Scalar`: the key type of an index key field, spanned at it.
pub(super) fn index_scalar(p: &TokenStream, ty: &syn::Type) -> TokenStream {
    quote_spanned!(ty.span()=> <#ty as #p::IndexKey>::Scalar)
}

/// A `DynamoItem` impl with an empty schema.
pub(super) fn fallback(fb: &Fallback<'_>) -> TokenStream {
    let Fallback { p, .. } = fb;
    let (impl_generics, self_ty) = (fb.impl_generics(), fb.self_ty());
    let where_own = fb.where_item();
    let key = fb.key_ident();
    quote! {
        impl #impl_generics #p::DynamoItem for #self_ty #where_own {
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
                billing: #p::Billing::OnDemand,
            };
            fn key(&self) -> #key {
                ::core::unreachable!()
            }
        }
    }
}
