//! Placeholder impls emitted next to the errors (`thiserror`'s `fallback.rs`,
//! `clap_derive`'s dummies): code that uses the type still finds its traits,
//! companion types and index markers, so one mistake gives one error and not
//! twenty. Their bodies are never run: the crate does not compile.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput};

use crate::attr::{self, Derive};
use crate::ctxt::Ctxt;
use crate::expand::{companion_ident, private_path};

/// Placeholders for `#[derive(DynamoItem)]`.
pub fn item(input: &DeriveInput, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    if !input.generics.params.is_empty() {
        return error;
    }
    // The attributes are parsed again, leniently: what parsed is used, the
    // errors were already reported.
    let attrs = attr::Container::from_ast(&Ctxt::new(), &input.attrs, Derive::Item);
    let p = private_path(attrs.crate_path.as_ref());
    let ident = &input.ident;
    let vis = &input.vis;
    let key = companion_ident(attrs.key.as_ref(), ident, "Key");
    let fields = companion_ident(attrs.fields.as_ref(), ident, "Fields");
    let mut taken: HashSet<String> = [ident, &key, &fields]
        .iter()
        .map(|ident| ident.to_string())
        .collect();
    let markers: Vec<&syn::Ident> = attrs
        .indexes
        .iter()
        .map(|index| &index.marker)
        .filter(|marker| taken.insert(marker.to_string()))
        .collect();
    let map = map_impls(&p, input);
    quote! {
        #error

        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #[allow(dead_code)]
        #vis struct #key {}

        #[derive(::core::clone::Clone, ::core::marker::Copy)]
        #[allow(dead_code)]
        #vis struct #fields {}

        #(
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::default::Default)]
            #[allow(dead_code)]
            #vis struct #markers;
        )*

        #[doc(hidden)]
        #[allow(unused_variables, unused_qualifications)]
        const _: () = {
            #map

            impl #p::HasFields for #ident {
                type Fields = #fields;
                const FIELDS: #fields = #fields {};
            }

            impl #ident {
                #vis const FIELDS: #fields = #fields {};
            }

            impl #p::PrimaryKey for #key {
                fn to_key_item(&self) -> #p::Result<#p::Item, #p::EncodeError> {
                    ::core::unreachable!()
                }
                fn from_key_item(_: &#p::Item) -> #p::Result<Self, #p::DecodeError> {
                    ::core::unreachable!()
                }
            }

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
        };
    }
}

/// Placeholders for `#[derive(DynamoAttribute)]`.
pub fn attribute(input: &DeriveInput, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    if !input.generics.params.is_empty() {
        return error;
    }
    let attrs = attr::Container::from_ast(&Ctxt::new(), &input.attrs, Derive::Attribute);
    let p = private_path(attrs.crate_path.as_ref());
    let ident = &input.ident;
    let vis = &input.vis;
    let value = value_impls(&p, input);
    let rest = match &input.data {
        Data::Enum(_) => quote! {
            impl #p::KeyScalar for #ident {
                const SCALAR_TYPE: #p::ScalarType = #p::ScalarType::S;
            }
            impl #p::SetElement for #ident {
                fn __encode_set<'__a>(
                    _: impl ::core::iter::ExactSizeIterator<Item = &'__a Self>,
                ) -> #p::Result<#p::AttributeValue, #p::EncodeError> {
                    ::core::unreachable!()
                }
                fn __decode_set<__C: #p::Default + ::core::iter::Extend<Self>>(
                    _: #p::AttributeValue,
                ) -> #p::Result<__C, #p::DecodeError> {
                    ::core::unreachable!()
                }
            }
        },
        Data::Struct(_) | Data::Union(_) => {
            let fields = companion_ident(attrs.fields.as_ref(), ident, "Fields");
            let map = map_impls(&p, input);
            return quote! {
                #error

                #[derive(::core::clone::Clone, ::core::marker::Copy)]
                #[allow(dead_code)]
                #vis struct #fields {}

                #[doc(hidden)]
                #[allow(unused_variables, unused_qualifications)]
                const _: () = {
                    #map

                    impl #p::HasFields for #ident {
                        type Fields = #fields;
                        const FIELDS: #fields = #fields {};
                    }

                    impl #ident {
                        #vis const FIELDS: #fields = #fields {};
                    }
                };
            };
        }
    };
    quote! {
        #error

        #[doc(hidden)]
        #[allow(unused_variables, unused_qualifications)]
        const _: () = {
            #value
            #rest
        };
    }
}

/// `AttributeMap`, `IntoAttribute` and `FromAttribute`.
fn map_impls(p: &TokenStream, input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let value = value_impls(p, input);
    quote! {
        #value

        impl #p::AttributeMap for #ident {
            const ATTRIBUTE_COUNT: ::core::primitive::usize = 0;
            fn write_attributes(&self, _: &mut #p::Item) -> #p::Result<(), #p::EncodeError> {
                ::core::unreachable!()
            }
            fn read_attributes(_: &mut #p::Item) -> #p::Result<Self, #p::DecodeError> {
                ::core::unreachable!()
            }
            fn attribute_names(_: &mut #p::Vec<&'static ::core::primitive::str>) {
                ::core::unreachable!()
            }
        }
    }
}

fn value_impls(p: &TokenStream, input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    quote! {
        impl #p::AttrKind for #ident {
            type Kind = #p::ExactKind<#ident>;
            type ListOf = #p::ListKind<#p::ExactKind<#ident>>;
        }

        impl #p::IntoAttribute for #ident {
            fn to_attribute(&self) -> #p::Result<#p::AttributeValue, #p::EncodeError> {
                ::core::unreachable!()
            }
        }

        impl #p::FromAttribute for #ident {
            fn from_attribute(_: #p::AttributeValue) -> #p::Result<Self, #p::DecodeError> {
                ::core::unreachable!()
            }
        }
    }
}
