//! `impl AttributeMap`: writes, reads by removal (as a flattened type), reads an
//! owned map in a single pass, and lists the attribute names; `impl Flatten`,
//! and the compile-time check that flattened fields add no second attribute
//! of one name.
//!
//! Every use of a flattened field's type goes through `Flatten`, fully spanned
//! at the type: when the type is not a derived struct, each use reports the
//! same error at the same place, and the compiler shows it once.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::Type;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::item::version_number;
use super::{Fallback, FieldGen, Gen, respan};

impl<'a> Gen<'a> {
    /// `impl AttributeMap`: writes, reads by removal (as a flattened type), reads
    /// an owned map in a single pass, and lists the attribute names.
    pub(super) fn attribute_map(&self, gens: &[FieldGen<'_, '_>]) -> TokenStream {
        let Gen { p, this, item, .. } = self;
        let ident = self.cont.ident;
        let stored: Vec<&FieldGen<'_, '_>> =
            gens.iter().filter(|fg| fg.field.is_stored()).collect();
        let flattened: Vec<&FieldGen<'_, '_>> = gens
            .iter()
            .filter(|fg| fg.field.attrs.flatten.is_some())
            .collect();

        // Flattened structs first: the own fields' writes then refuse to
        // replace what they wrote, even through a hand-written impl.
        let writes = flattened
            .iter()
            .copied()
            .chain(gens.iter().filter(|fg| fg.field.attrs.flatten.is_none()));
        let writes = writes.map(|fg| {
            let FieldGen { field, name, .. } = fg;
            let member = field.ident;
            let ty = &field.ty;
            if field.attrs.skip.is_some() {
                TokenStream::new()
            } else if field.attrs.flatten.is_some() {
                let write = flatten_item(p, ty, quote!(write_attributes));
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

        // The values found, one slot per stored field: one array rather than
        // a local each keeps the generated code small to compile.
        let slots = stored.len();
        let slot_of = |fg: &FieldGen<'_, '_>| stored.iter().position(|s| s.var == fg.var);
        let declarations = if slots == 0 {
            TokenStream::new()
        } else {
            quote!(let mut __slots: [#p::Option<#p::AttributeValue>; #slots] = [const { #p::None }; #slots];)
        };
        let arms = stored.iter().enumerate().map(|(i, fg)| {
            let name = &fg.name;
            quote!(#name => __slots[#i] = #p::Some(__value),)
        });
        let rest = quote!(__rest);
        let (rest_declaration, fallback_arm) = if flattened.is_empty() {
            (TokenStream::new(), quote!(_ => {}))
        } else {
            let capacity = flattened
                .iter()
                .map(|fg| flatten_names(p, &fg.field.ty, quote!(.len())));
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
            let slot = match slot_of(fg) {
                Some(i) => quote!(__slots[#i].take()),
                None => quote!(#p::None),
            };
            let value = self.read_value(fg, slot, &quote!(&mut #rest), &fg.name);
            member_init(fg, value)
        });

        let names = self.attribute_names(gens, &flattened);
        let unique = unique_names(p, ident, gens, &flattened);
        let fields_ident = self.fields_ident();
        let (impl_generics, ty_generics) = (self.impl_generics(), self.ty_generics());
        let self_ty = self.self_ty();
        let (where_conv, where_static) = (self.where_conv(), self.where_static());

        quote! {
            #unique

            #[automatically_derived]
            impl #impl_generics #p::AttributeMap for #self_ty #where_conv {
                const ATTRIBUTE_COUNT: ::core::primitive::usize =
                    <Self as #p::AttributeMap>::ATTRIBUTE_NAMES.len();
                const ATTRIBUTE_NAMES: &'static [&'static ::core::primitive::str] = #names;

                // `#[inline]`: compiled where it is used, as a generic
                // function would be, so that declaring types costs little.
                #[inline]
                fn write_attributes(&self, #item: &mut #p::Item) -> #p::Result<(), #p::EncodeError> {
                    #(#writes)*
                    #p::Ok(())
                }

                #[inline]
                fn from_map(#item: #p::Item) -> #p::Result<Self, #p::DecodeError> {
                    #declarations
                    #rest_declaration
                    #single_pass
                    #p::Ok(#ident { #(#collected_reads,)* })
                }
            }

            #[automatically_derived]
            impl #impl_generics #p::Flatten for #self_ty #where_static {
                type Fields = #fields_ident #ty_generics;
                const FIELDS: #fields_ident #ty_generics = <Self as #p::HasFields>::FIELDS;
                const ATTRIBUTE_NAMES: &'static [&'static ::core::primitive::str] =
                    <Self as #p::AttributeMap>::ATTRIBUTE_NAMES;

                #[inline]
                fn write_attributes(&self, #item: &mut #p::Item) -> #p::Result<(), #p::EncodeError> {
                    <Self as #p::AttributeMap>::write_attributes(self, #item)
                }

                #[inline]
                fn read_attributes(#item: &mut #p::Item) -> #p::Result<Self, #p::DecodeError> {
                    <Self as #p::AttributeMap>::read_attributes(#item)
                }
            }
        }
    }

    /// `ATTRIBUTE_NAMES`: the stored names in field order, a flattened field's in
    /// its place. Built in const context when there are flattened fields.
    fn attribute_names(
        &self,
        gens: &[FieldGen<'_, '_>],
        flattened: &[&FieldGen<'_, '_>],
    ) -> TokenStream {
        let p = &self.p;
        let own = |fg: &&FieldGen<'_, '_>| fg.field.is_stored();
        if flattened.is_empty() {
            let names = gens.iter().filter(own).map(|fg| &fg.name);
            return quote!(&[#(#names),*]);
        }
        // Runs of own names, and each flattened type's names, in field order.
        let mut parts: Vec<TokenStream> = Vec::new();
        let mut run: Vec<&TokenStream> = Vec::new();
        for fg in gens {
            if fg.field.attrs.flatten.is_some() {
                if !run.is_empty() {
                    parts.push(quote!(&[#(#run),*]));
                    run.clear();
                }
                parts.push(flatten_names(p, &fg.field.ty, TokenStream::new()));
            } else if fg.field.is_stored() {
                run.push(&fg.name);
            }
        }
        if !run.is_empty() {
            parts.push(quote!(&[#(#run),*]));
        }
        let own_count = gens.iter().filter(own).count();
        let lengths = flattened
            .iter()
            .map(|fg| flatten_names(p, &fg.field.ty, quote!(.len())));
        quote! {
            &#p::concat_names::<{ #own_count #(+ #lengths)* }>(&[#(#parts),*])
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
            let read = flatten_item(p, ty, quote!(read_attributes));
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
        } else if field.attrs.version.is_some() {
            let from_version = version_number(p, ty, quote!(from_version));
            let to_version = version_number(p, ty, quote!(to_version));
            quote!(#p::read_version(#value, #name, #from_version, #to_version)?)
        } else if field.attrs.default.is_some() {
            let read = quote_spanned!(ty.span()=> #p::read_field_or_default::<#ty>);
            quote!(#read(#value, #name)?)
        } else {
            let read = quote_spanned!(ty.span()=> #p::read_field::<#ty>);
            quote!(#read(#value, #name)?)
        }
    }
}

/// `<ty as Flatten>::item`, every token spanned at the type (see the module docs).
fn flatten_item(p: &TokenStream, ty: &Type, item: TokenStream) -> TokenStream {
    respan(quote!(<#ty as #p::Flatten>::#item), ty.span())
}

/// `<ty as Flatten>::ATTRIBUTE_NAMES` followed by `rest`, spanned at the type.
fn flatten_names(p: &TokenStream, ty: &Type, rest: TokenStream) -> TokenStream {
    respan(
        quote!(<#ty as #p::Flatten>::ATTRIBUTE_NAMES #rest),
        ty.span(),
    )
}

/// `member: value` in a struct expression; for a flattened field spanned at
/// its type like the value, so an error there is the same error.
fn member_init(fg: &FieldGen<'_, '_>, value: TokenStream) -> TokenStream {
    let member = fg.field.ident;
    let init = quote!(#member: #value);
    if fg.field.attrs.flatten.is_some() {
        respan(init, fg.field.ty.span())
    } else {
        init
    }
}

/// Compile-time checks that no flattened struct stores an attribute under a
/// name another field of the struct (own or flattened) already uses: a write
/// would silently replace one with the other.
fn unique_names(
    p: &TokenStream,
    ident: &syn::Ident,
    gens: &[FieldGen<'_, '_>],
    flattened: &[&FieldGen<'_, '_>],
) -> TokenStream {
    let own: Vec<&FieldGen<'_, '_>> = gens.iter().filter(|fg| fg.field.is_stored()).collect();
    let own_names: Vec<&TokenStream> = own.iter().map(|fg| &fg.name).collect();
    let own_fields: Vec<String> = own
        .iter()
        .map(|fg| fg.field.ident.unraw().to_string())
        .collect();
    let mut checks = TokenStream::new();
    for (i, fg) in flattened.iter().enumerate() {
        let field = fg.field.ident.unraw().to_string();
        let span = fg.field.ident.span();
        let names = flatten_names(p, &fg.field.ty, TokenStream::new());
        if !own.is_empty() {
            let before = "field `";
            let after = format!(
                "` and the flattened field `{field}` are both stored as an attribute named \""
            );
            let end = format!(
                "\" in `{ident}`; stored names must be unique: rename one of them with `#[dynamo(rename = \"...\")]`"
            );
            checks.extend(clash_check(
                p,
                span,
                quote!(&[#(#own_names),*]),
                names.clone(),
                quote! {
                    .push(#before).push([#(#own_fields),*][__i]).push(#after)
                    .push(__name).push(#end)
                },
            ));
        }
        for earlier in &flattened[..i] {
            let first = earlier.fg_name();
            let message = format!(
                "the flattened fields `{first}` and `{field}` both store an attribute named \""
            );
            let end = format!(
                "\" in `{ident}`; stored names must be unique: rename one of them with `#[dynamo(rename = \"...\")]`"
            );
            let earlier_names = flatten_names(p, &earlier.field.ty, TokenStream::new());
            checks.extend(clash_check(
                p,
                span,
                earlier_names,
                names.clone(),
                quote!(.push(#message).push(__name).push(#end)),
            ));
        }
    }
    checks
}

/// `const _` that panics, with a message built by `pushes` (which may use the
/// clashing `__name` and its index `__i` in `first`), when `first` and
/// `second` share a name.
fn clash_check(
    p: &TokenStream,
    span: Span,
    first: TokenStream,
    second: TokenStream,
    pushes: TokenStream,
) -> TokenStream {
    let panic = quote_spanned! {span=>
        ::core::panic!("{}", #p::ConstMessage::new() #pushes .as_str())
    };
    quote! {
        const _: () = {
            let __first: &[&'static ::core::primitive::str] = #first;
            if let #p::Some(__i) = #p::first_shared(__first, #second) {
                let __name = __first[__i];
                #panic
            }
        };
    }
}

impl FieldGen<'_, '_> {
    /// The field's Rust name, as written (without `r#`).
    fn fg_name(&self) -> String {
        self.field.ident.unraw().to_string()
    }
}

/// `AttributeMap` and `Flatten` impls that write nothing.
pub(super) fn fallback(fb: &Fallback<'_>) -> TokenStream {
    let p = &fb.p;
    let (impl_generics, self_ty) = (fb.impl_generics(), fb.self_ty());
    let where_own = fb.where_own();
    let fields = fb.fields_ident();
    quote! {
        impl #impl_generics #p::AttributeMap for #self_ty #where_own {
            const ATTRIBUTE_COUNT: ::core::primitive::usize = 0;
            const ATTRIBUTE_NAMES: &'static [&'static ::core::primitive::str] = &[];
            fn write_attributes(&self, _: &mut #p::Item) -> #p::Result<(), #p::EncodeError> {
                ::core::unreachable!()
            }
            fn read_attributes(_: &mut #p::Item) -> #p::Result<Self, #p::DecodeError> {
                ::core::unreachable!()
            }
        }

        impl #impl_generics #p::Flatten for #self_ty #where_own {
            type Fields = #fields;
            const FIELDS: #fields = #fields {};
            const ATTRIBUTE_NAMES: &'static [&'static ::core::primitive::str] = &[];
            fn write_attributes(&self, _: &mut #p::Item) -> #p::Result<(), #p::EncodeError> {
                ::core::unreachable!()
            }
            fn read_attributes(_: &mut #p::Item) -> #p::Result<Self, #p::DecodeError> {
                ::core::unreachable!()
            }
        }
    }
}
