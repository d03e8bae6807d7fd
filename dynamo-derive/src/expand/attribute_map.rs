//! `impl AttributeMap`: writes, reads by removal (as a flattened type), reads an
//! owned map in a single pass, and lists the attribute names.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use super::{Fallback, FieldGen, Gen, respan};

impl<'a> Gen<'a> {
    /// `impl AttributeMap`: writes, reads by removal (as a flattened type), reads
    /// an owned map in a single pass, and lists the attribute names.
    pub(super) fn attribute_map(&self, gens: &[FieldGen<'_, '_>]) -> TokenStream {
        let Gen { p, this, item, .. } = self;
        let ident = self.cont.ident;
        let stored: Vec<&FieldGen<'_, '_>> =
            gens.iter().filter(|fg| fg.field.is_stored()).collect();
        let flattened: Vec<&Type> = gens
            .iter()
            .filter(|fg| fg.field.attrs.flatten.is_some())
            .map(|fg| &fg.field.ty)
            .collect();
        let own_count = stored.len();

        let writes = gens.iter().map(|fg| {
            let FieldGen { field, name, .. } = fg;
            let member = field.ident;
            let ty = &field.ty;
            if field.attrs.skip.is_some() {
                TokenStream::new()
            } else if field.attrs.flatten.is_some() {
                let write = quote_spanned!(ty.span()=> <#ty as #p::AttributeMap>::write_attributes);
                quote!(#write(&#this.#member, #item)?;)
            } else if let Some(with) = &field.attrs.with {
                let module = &with.value;
                // The field's type, spanned at the module, names the function's
                // expected argument: a wrong signature is reported at the module.
                let ty = respan(ty.to_token_stream(), module.span());
                let write = quote_spanned!(module.span()=> #p::write_with::<#ty, _, _, _>);
                let to = quote_spanned!(module.span()=> #module::to_attribute);
                quote!(#write(#item, #name, &#this.#member, #to)?;)
            } else {
                let write = quote_spanned!(ty.span()=> #p::write_field::<#ty>);
                quote!(#write(#item, #name, &#this.#member)?;)
            }
        });

        let removing_reads = gens.iter().map(|fg| {
            let member = fg.field.ident;
            let name = &fg.name;
            let value = self.read_value(fg, quote!(#item.remove(#name)), item, name);
            quote!(#member: #value)
        });

        let declarations = stored.iter().map(|fg| {
            let var = &fg.var;
            quote!(let mut #var: #p::Option<#p::AttributeValue> = #p::None;)
        });
        let arms = stored.iter().map(|fg| {
            let FieldGen { name, var, .. } = fg;
            quote!(#name => #var = #p::Some(__value),)
        });
        let rest = quote!(__rest);
        let (rest_declaration, fallback_arm) = if flattened.is_empty() {
            (TokenStream::new(), quote!(_ => {}))
        } else {
            let capacity = flattened
                .iter()
                .map(|ty| quote!(<#ty as #p::AttributeMap>::ATTRIBUTE_COUNT));
            (
                quote!(let mut #rest: #p::Item = #p::HashMap::with_capacity(#(#capacity)+*);),
                quote!(_ => { #rest.insert(__key, __value); }),
            )
        };
        let single_pass = if stored.is_empty() && flattened.is_empty() {
            quote!(let _ = #item;)
        } else {
            quote! {
                for (__key, __value) in #item {
                    match __key.as_str() {
                        #(#arms)*
                        #fallback_arm
                    }
                }
            }
        };
        let collected_reads = gens.iter().map(|fg| {
            let member = fg.field.ident;
            let var = &fg.var;
            let value = self.read_value(fg, quote!(#var), &quote!(&mut #rest), &fg.name);
            quote!(#member: #value)
        });

        let names = gens.iter().map(|fg| {
            let FieldGen { field, name, .. } = fg;
            let ty = &field.ty;
            if field.attrs.flatten.is_some() {
                quote!(<#ty as #p::AttributeMap>::attribute_names(__out);)
            } else if field.attrs.skip.is_some() {
                TokenStream::new()
            } else {
                quote!(__out.push(#name);)
            }
        });
        let count = flattened
            .iter()
            .map(|ty| quote!(<#ty as #p::AttributeMap>::ATTRIBUTE_COUNT));

        quote! {
            #[automatically_derived]
            impl #p::AttributeMap for #ident {
                const ATTRIBUTE_COUNT: ::core::primitive::usize = #own_count #(+ #count)*;

                fn write_attributes(&self, #item: &mut #p::Item) -> #p::Result<(), #p::EncodeError> {
                    #(#writes)*
                    #p::Ok(())
                }

                fn read_attributes(#item: &mut #p::Item) -> #p::Result<Self, #p::DecodeError> {
                    #p::Ok(#ident { #(#removing_reads,)* })
                }

                fn from_map(#item: #p::Item) -> #p::Result<Self, #p::DecodeError> {
                    #(#declarations)*
                    #rest_declaration
                    #single_pass
                    #p::Ok(#ident { #(#collected_reads,)* })
                }

                fn attribute_names(__out: &mut #p::Vec<&'static ::core::primitive::str>) {
                    #(#names)*
                }
            }
        }
    }

    /// A field's value read from `value` (an `Option<AttributeValue>`), or for a
    /// flattened field from the map `flatten_source`.
    pub(super) fn read_value(
        &self,
        fg: &FieldGen<'_, '_>,
        value: TokenStream,
        flatten_source: &TokenStream,
        name: &TokenStream,
    ) -> TokenStream {
        let p = &self.p;
        let field = fg.field;
        let ty = &field.ty;
        if field.attrs.skip.is_some() {
            quote_spanned!(ty.span()=> <#ty as #p::Default>::default())
        } else if field.attrs.flatten.is_some() {
            let read = quote_spanned!(ty.span()=> <#ty as #p::AttributeMap>::read_attributes);
            quote!(#read(#flatten_source)?)
        } else if let Some(with) = &field.attrs.with {
            let module = &with.value;
            let read = if field.attrs.default.is_some() {
                quote!(read_with_or_default)
            } else {
                quote!(read_with)
            };
            let ty = respan(ty.to_token_stream(), module.span());
            let read = quote_spanned!(module.span()=> #p::#read::<#ty, _, _, _>);
            let from = quote_spanned!(module.span()=> #module::from_attribute);
            quote!(#read(#value, #name, #from)?)
        } else if field.attrs.default.is_some() {
            let read = quote_spanned!(ty.span()=> #p::read_field_or_default::<#ty>);
            quote!(#read(#value, #name)?)
        } else {
            let read = quote_spanned!(ty.span()=> #p::read_field::<#ty>);
            quote!(#read(#value, #name)?)
        }
    }
}

/// An `AttributeMap` impl that writes nothing.
pub(super) fn fallback(fb: &Fallback<'_>) -> TokenStream {
    let p = &fb.p;
    let ident = fb.ident();
    quote! {
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
