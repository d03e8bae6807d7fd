//! `projection_of = Item`: each field's stored name, read from the item's typed fields.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::{FieldGen, Gen, respan};

impl<'a> Gen<'a> {
    /// For `projection_of = Item`: each field's stored name, read from the
    /// item's typed fields. The typed `let` fails to compile, at the field, when
    /// the item has no such field or stores another type there.
    pub(super) fn projection_names(&self, gens: &[FieldGen<'_, '_>]) -> TokenStream {
        let Some(projection_of) = &self.cont.attrs.projection_of else {
            return TokenStream::new();
        };
        let p = &self.p;
        let item = &projection_of.value;
        let ident = self.cont.ident;
        let consts = gens.iter().filter(|fg| fg.field.is_stored()).map(|fg| {
            let FieldGen { field, name, .. } = fg;
            let member = field.ident;
            let ty = &field.ty;
            let read = quote_spanned!(member.span()=> <#item as #p::HasFields>::FIELDS.#member);
            // Spanned at the type, so "expected due to this" points at the field's type.
            let field_ty = respan(quote!(#p::Field<#ty, _>), ty.span());
            quote! {
                const #name: &'static ::core::primitive::str = {
                    let __field: #field_ty = #read;
                    __field.name()
                };
            }
        });
        quote! {
            #(#consts)*

            #[automatically_derived]
            impl #p::ProjectionOf<#item> for #ident {}

            // A projection reads what any of the item's indexes holds (its
            // fields are the caller's choice of projected attributes).
            #[automatically_derived]
            impl<__I: #p::QueryTarget<Item = #item>> #p::ReadableFrom<__I> for #ident {}
        }
    }
}
