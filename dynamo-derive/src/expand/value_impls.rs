//! `AttrKind`, `IntoAttribute` (an `M` value) and `FromAttribute` of a struct,
//! so it nests in others.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Fallback, Gen};

impl<'a> Gen<'a> {
    /// `IntoAttribute` (an `M` value) and `FromAttribute`, so the struct nests in others.
    pub(super) fn map_value_impls(&self) -> TokenStream {
        let p = &self.p;
        let impl_generics = self.impl_generics();
        let self_ty = self.self_ty();
        let (where_own, where_conv) = (self.where_own(), self.where_conv());
        quote! {
            #[automatically_derived]
            impl #impl_generics #p::AttrKind for #self_ty #where_own {
                type Kind = #p::ExactKind<#self_ty>;
                type ListOf = #p::ListKind<#p::ExactKind<#self_ty>>;
            }

            #[automatically_derived]
            impl #impl_generics #p::IntoAttribute for #self_ty #where_conv {
                #[inline]
                fn to_attribute(&self) -> #p::Result<#p::AttributeValue, #p::EncodeError> {
                    #p::encode_nested(self)
                }
            }

            #[automatically_derived]
            impl #impl_generics #p::FromAttribute for #self_ty #where_conv {
                #[inline]
                fn from_attribute(__value: #p::AttributeValue) -> #p::Result<Self, #p::DecodeError> {
                    #p::decode_nested(__value)
                }
            }
        }
    }
}

/// `AttrKind`, `IntoAttribute` and `FromAttribute`, for structs and enums.
pub(super) fn fallback(fb: &Fallback<'_>) -> TokenStream {
    let p = &fb.p;
    let (impl_generics, self_ty) = (fb.impl_generics(), fb.self_ty());
    let where_own = fb.where_own();
    quote! {
        impl #impl_generics #p::AttrKind for #self_ty #where_own {
            type Kind = #p::ExactKind<#self_ty>;
            type ListOf = #p::ListKind<#p::ExactKind<#self_ty>>;
        }

        impl #impl_generics #p::IntoAttribute for #self_ty #where_own {
            fn to_attribute(&self) -> #p::Result<#p::AttributeValue, #p::EncodeError> {
                ::core::unreachable!()
            }
        }

        impl #impl_generics #p::FromAttribute for #self_ty #where_own {
            fn from_attribute(_: #p::AttributeValue) -> #p::Result<Self, #p::DecodeError> {
                ::core::unreachable!()
            }
        }
    }
}
