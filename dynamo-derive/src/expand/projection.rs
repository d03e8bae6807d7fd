//! `projection_of = Item`: each field's stored name, read from the item's typed fields.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::{FieldGen, Gen, respan};
use crate::check;

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
        let item_text = check::type_text(item);
        let consts = gens.iter().filter(|fg| fg.field.is_stored()).map(|fg| {
            let FieldGen { field, name, .. } = fg;
            let member = field.ident;
            let ty = &field.ty;
            let field_name = member.unraw();
            // The item's entry for a skipped field is a `Field<_, Skipped>`:
            // the typed `let` accepts it, `__Stored` refuses it with this
            // field's own message. A field of another type is the `let`'s error.
            let message = format!(
                "`{field_name}` is skipped in `{item_text}`, so a projection cannot read it"
            );
            let label = format!("`{item_text}` does not store `{field_name}`");
            let note = format!(
                "remove `{field_name}` from the projection, or store it in `{item_text}` (remove its `#[dynamo(skip)]`)"
            );
            let read = respan(
                quote!(<#item as #p::HasFields>::FIELDS.#member),
                member.span(),
            );
            let stored = respan(quote!(__stored(&__field)), member.span());
            // Spanned at the type, so "expected due to this" points at the field's type.
            let field_ty = respan(quote!(#p::Field<#ty, _>), ty.span());
            quote! {
                const #name: &'static ::core::primitive::str = {
                    #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
                    trait __Stored {}
                    impl<__V: ?::core::marker::Sized> __Stored for #p::Field<__V, #p::Plain> {}
                    impl<__V: ?::core::marker::Sized> __Stored for #p::Field<__V, #p::Key> {}
                    const fn __stored<__F: __Stored>(_: &__F) {}
                    let __field: #field_ty = #read;
                    #stored;
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
