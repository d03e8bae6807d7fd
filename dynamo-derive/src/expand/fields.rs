//! The `{Type}Fields` struct of typed attribute paths, and `HasFields`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::{Fallback, FieldGen, Gen, respan};

impl<'a> Gen<'a> {
    /// The `{Type}Fields` struct of typed attribute paths and `HasFields`.
    pub(super) fn fields_struct(&self, gens: &[FieldGen<'_, '_>]) -> (TokenStream, TokenStream) {
        let p = &self.p;
        let ident = self.cont.ident;
        let vis = self.cont.vis;
        let fields_ident = self.fields_ident();
        // Every field has an entry; a skipped one a hidden `Field<_, Skipped>`,
        // so that a projection naming it can say so (see `projection`).
        let visible: Vec<&FieldGen<'_, '_>> = gens.iter().collect();
        let members = visible.iter().map(|fg| fg.field.ident);
        // A flattened struct's paths are held by reference: the field stays
        // `Sized` and `Copy` whatever the type, so a type that is not a
        // derived struct is reported once, through `Flatten` (see `attribute_map`).
        let types = visible.iter().map(|fg| {
            let ty = &fg.field.ty;
            if fg.field.attrs.skip.is_some() {
                quote!(#p::Field<#ty, #p::Skipped>)
            } else if fg.field.attrs.flatten.is_some() {
                respan(quote!(&'static <#ty as #p::Flatten>::Fields), ty.span())
            } else if self.is_key_field(fg.field) {
                // Conditions read a key; updates refuse it (`UpdatePath`).
                quote!(#p::Field<#ty, #p::Key>)
            } else {
                quote!(#p::Field<#ty>)
            }
        });
        let inits = visible.iter().map(|fg| {
            let ty = &fg.field.ty;
            let member = fg.field.ident;
            let name = &fg.name;
            if fg.field.attrs.skip.is_some() {
                // Never an attribute: the name is only what the field would be stored as.
                let name = syn::LitStr::new(&fg.field.name, proc_macro2::Span::call_site());
                quote!(#member: #p::Field::new(#name))
            } else if fg.field.attrs.flatten.is_some() {
                respan(quote!(#member: &<#ty as #p::Flatten>::FIELDS), ty.span())
            } else {
                quote!(#member: #p::Field::new(#name))
            }
        });
        let docs = visible.iter().map(|fg| {
            let field = fg.field;
            if field.attrs.skip.is_some() {
                let doc = format!("`{}` is skipped: not stored.", field.ident.unraw());
                return quote!(#[doc = #doc] #[doc(hidden)]);
            }
            let doc = if field.attrs.flatten.is_some() {
                format!(
                    "The attributes of the flattened `{}`, stored inline.",
                    field.ident.unraw()
                )
            } else if self.cont.attrs.projection_of.is_some() {
                format!("The `{}` attribute.", field.ident.unraw())
            } else {
                format!("The `{}` attribute.", field.name)
            };
            quote!(#[doc = #doc])
        });
        let struct_doc = format!("Typed attribute paths of [`{ident}`].");
        let const_doc = format!(
            "Typed attribute paths of the fields, for conditions and updates: `{ident}::FIELDS.field`."
        );
        let (impl_generics, ty_generics) = (self.impl_generics(), self.ty_generics());
        let self_ty = self.self_ty();
        let where_own = self.where_own();
        let generics = self.cont.generics;
        let declaration = quote! {
            #[doc = #struct_doc]
            #[allow(dead_code)]
            #vis struct #fields_ident #generics #where_own {
                #(
                    #docs
                    pub #members: #types,
                )*
            }

            // By hand: a derive would require `T: Clone` of each parameter.
            #[automatically_derived]
            impl #impl_generics ::core::clone::Clone for #fields_ident #ty_generics #where_own {
                #[inline]
                fn clone(&self) -> Self {
                    *self
                }
            }

            #[automatically_derived]
            impl #impl_generics ::core::marker::Copy for #fields_ident #ty_generics #where_own {}
        };
        let impls = quote! {
            #[automatically_derived]
            impl #impl_generics #p::HasFields for #self_ty #where_own {
                type Fields = #fields_ident #ty_generics;
                const FIELDS: #fields_ident #ty_generics = #fields_ident { #(#inits,)* };
            }

            impl #impl_generics #self_ty #where_own {
                #[doc = #const_doc]
                #vis const FIELDS: #fields_ident #ty_generics = <Self as #p::HasFields>::FIELDS;
            }
        };
        (declaration, impls)
    }
}

/// An empty fields struct with `HasFields`.
pub(super) fn fallback(fb: &Fallback<'_>) -> (TokenStream, TokenStream) {
    let p = &fb.p;
    let vis = &fb.input.vis;
    let (impl_generics, self_ty) = (fb.impl_generics(), fb.self_ty());
    let where_own = fb.where_own();
    let fields = fb.fields_ident();
    let declaration = quote! {
        #[derive(::core::clone::Clone, ::core::marker::Copy)]
        #[allow(dead_code)]
        #vis struct #fields {}
    };
    let impls = quote! {
        impl #impl_generics #p::HasFields for #self_ty #where_own {
            type Fields = #fields;
            const FIELDS: #fields = #fields {};
        }

        impl #impl_generics #self_ty #where_own {
            #vis const FIELDS: #fields = #fields {};
        }
    };
    (declaration, impls)
}
