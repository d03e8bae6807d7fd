//! A unit-only enum stored as a string: conversions, `KeyScalar` and `SetElement`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use super::{Fallback, Gen, wrap};
use crate::ast::Variant;

impl<'a> Gen<'a> {
    pub(super) fn unit_enum(&self, variants: &[Variant<'_>]) -> TokenStream {
        let p = &self.p;
        let ident = self.cont.ident;
        let members: Vec<&Ident> = variants.iter().map(|variant| variant.ident).collect();
        let names: Vec<&str> = variants
            .iter()
            .map(|variant| variant.name.as_str())
            .collect();
        let expected = format!("one of: {}", names.join(", "));
        let body = quote! {
            #[inline]
            fn __name(__value: &#ident) -> &'static ::core::primitive::str {
                match __value {
                    #(#ident::#members => #names,)*
                }
            }

            #[inline]
            fn __parse(__text: #p::String) -> #p::Result<#ident, #p::DecodeError> {
                match __text.as_str() {
                    #(#names => #p::Ok(#ident::#members),)*
                    _ => #p::Err(#p::unknown_variant(#expected, &__text)),
                }
            }

            #[automatically_derived]
            impl #p::AttrKind for #ident {
                type Kind = #p::ExactKind<#ident>;
                type ListOf = #p::ListKind<#p::ExactKind<#ident>>;
            }

            #[automatically_derived]
            impl #p::IntoAttribute for #ident {
                #[inline]
                fn to_attribute(&self) -> #p::Result<#p::AttributeValue, #p::EncodeError> {
                    #p::Ok(#p::AttributeValue::S(#p::String::from(__name(self))))
                }
            }

            #[automatically_derived]
            impl #p::FromAttribute for #ident {
                #[inline]
                fn from_attribute(__value: #p::AttributeValue) -> #p::Result<Self, #p::DecodeError> {
                    match __value {
                        #p::AttributeValue::S(__text) => __parse(__text),
                        __other => #p::Err(#p::DecodeError::type_mismatch("S", &__other)),
                    }
                }
            }

            #[automatically_derived]
            impl #p::KeyScalar for #ident {
                const SCALAR_TYPE: #p::ScalarType = #p::ScalarType::S;
            }

            #[automatically_derived]
            impl #p::TemplateScalar for #ident {}

            #[automatically_derived]
            impl #p::SetElement for #ident {
                fn __encode_set<'__a>(
                    __items: impl ::core::iter::ExactSizeIterator<Item = &'__a Self>,
                ) -> #p::Result<#p::AttributeValue, #p::EncodeError> {
                    #p::encode_string_set(__items, __name)
                }

                fn __decode_set<__C: #p::Default + ::core::iter::Extend<Self>>(
                    __value: #p::AttributeValue,
                ) -> #p::Result<__C, #p::DecodeError> {
                    #p::decode_string_set(__value, __parse)
                }
            }
        };
        wrap(TokenStream::new(), body)
    }
}

/// `KeyScalar` and `SetElement` (the value impls come from `value_impls`).
pub(super) fn fallback(fb: &Fallback<'_>) -> TokenStream {
    let p = &fb.p;
    let ident = fb.ident();
    quote! {
        impl #p::KeyScalar for #ident {
            const SCALAR_TYPE: #p::ScalarType = #p::ScalarType::S;
        }
        impl #p::TemplateScalar for #ident {}
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
    }
}
