//! `AttrKind`, `IntoAttribute` (an `M` value) and `FromAttribute` of a struct,
//! so it nests in others.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Fallback, Gen};

impl<'a> Gen<'a> {
    /// `IntoAttribute` (an `M` value) and `FromAttribute`, so the struct nests in others.
    pub(super) fn map_value_impls(&self) -> TokenStream {
        let p = &self.p;
        let ident = self.cont.ident;
        quote! {
            #[automatically_derived]
            impl #p::AttrKind for #ident {
                type Kind = #p::ExactKind<#ident>;
                type ListOf = #p::ListKind<#p::ExactKind<#ident>>;
            }

            #[automatically_derived]
            impl #p::IntoAttribute for #ident {
                #[inline]
                fn to_attribute(&self) -> #p::Result<#p::AttributeValue, #p::EncodeError> {
                    #p::Ok(#p::AttributeValue::M(#p::AttributeMap::to_map(self)?))
                }
            }

            #[automatically_derived]
            impl #p::FromAttribute for #ident {
                #[inline]
                fn from_attribute(__value: #p::AttributeValue) -> #p::Result<Self, #p::DecodeError> {
                    match __value {
                        #p::AttributeValue::M(__map) => #p::AttributeMap::from_map(__map),
                        __other => #p::Err(#p::DecodeError::type_mismatch("M", &__other)),
                    }
                }
            }
        }
    }
}

/// `AttrKind`, `IntoAttribute` and `FromAttribute`, for structs and enums.
pub(super) fn fallback(fb: &Fallback<'_>) -> TokenStream {
    let p = &fb.p;
    let ident = fb.ident();
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
