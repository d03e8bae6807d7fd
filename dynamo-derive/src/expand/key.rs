//! The `{Type}Key` struct: constructors, conversions and `PrimaryKey`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, Type};

use super::{Fallback, Gen, code_list};
use crate::check;

impl<'a> Gen<'a> {
    /// The `{Type}Key` struct, its constructors and `PrimaryKey` impl.
    pub(super) fn key_struct(&self) -> (TokenStream, TokenStream) {
        let Gen { p, item, .. } = self;
        let ident = self.cont.ident;
        let vis = self.cont.vis;
        let key_ident = self.key_ident();
        let keys = self.key_fields();
        let members: Vec<&Ident> = keys.iter().map(|field| field.ident).collect();
        let types: Vec<&Type> = keys.iter().map(|field| &field.ty).collect();
        let names: Vec<&str> = keys.iter().map(|field| field.name.as_str()).collect();
        let count = keys.len();
        let entity = self.cont.attrs.table_type.is_some();
        let docs: Vec<String> = if entity {
            keys.iter()
                .map(|field| {
                    format!(
                        "A field of the key templates, stored as the attribute `{}`.",
                        field.name
                    )
                })
                .collect()
        } else {
            keys.iter()
                .zip(["hash", "range"])
                .map(|(field, role)| {
                    format!("The {role} key, stored as the attribute `{}`.", field.name)
                })
                .collect()
        };
        let struct_doc = format!("The primary key of [`{ident}`].");

        let params = keys.iter().map(|field| {
            let member = field.ident;
            let ty = &field.ty;
            if check::is_string(ty) {
                quote!(#member: impl #p::Into<#ty>)
            } else {
                quote!(#member: #ty)
            }
        });
        let params: Vec<TokenStream> = params.collect();
        let inits = keys.iter().map(|field| {
            let member = field.ident;
            if check::is_string(&field.ty) {
                quote!(#member: #p::Into::into(#member))
            } else {
                quote!(#member)
            }
        });
        let writes = keys.iter().map(|field| {
            let member = field.ident;
            let name = &field.name;
            let write = quote_spanned!(field.ty.span()=> #p::write_key);
            quote!(#write(&mut #item, #name, &self.#member)?;)
        });
        let reads = keys.iter().map(|field| {
            let member = field.ident;
            let ty = &field.ty;
            let name = &field.name;
            let read = quote_spanned!(ty.span()=> #p::read_key::<#ty>);
            quote!(#member: #read(#item, #name)?)
        });
        let from_parts = from_parts(p, &key_ident, &members, &types);
        let new_doc = format!("A key from its parts: {}.", code_list(&names));
        let key_doc = format!(
            "The key of the [`{ident}`] with these key attributes ({}): what `get`, `delete` and `update` take.",
            code_list(&names)
        );
        let (impl_generics, self_ty, where_own) =
            (self.impl_generics(), self.self_ty(), self.where_own());
        let key_fn = match &self.cont.attrs.key_fn {
            Some(key_fn) => key_fn.value.clone(),
            None => Ident::new("key", proc_macro2::Span::call_site()),
        };
        // `Eq` and `Hash` hold when every key type has them (a `f64` key has
        // neither): a bound under `for<'x>` is not a global one, so an impl
        // whose bound does not hold is simply not there, rather than an error.
        let eq_bounds = types
            .iter()
            .map(|ty| quote!(for<'__x> &'__x #ty: ::core::cmp::Eq));
        let hash_bounds = types
            .iter()
            .map(|ty| quote!(for<'__x> &'__x #ty: ::core::hash::Hash));

        // Spanned at the item's name: a type of the user's with this name is
        // reported as defined twice at `struct Item`, not at the derive.
        let declaration = quote_spanned! {ident.span()=>
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
            #[doc = #struct_doc]
            #[allow(dead_code)]
            #vis struct #key_ident {
                #(
                    #[doc = #docs]
                    pub #members: #types,
                )*
            }
        };
        let primary_key = if entity {
            // The fields by attribute name, then the templates: the key
            // attributes rendered, or parsed back.
            let ident = self.cont.ident;
            let schema = quote!(&<#ident as #p::Entity>::ENTITY);
            quote! {
                #[automatically_derived]
                impl #p::PrimaryKey for #key_ident {
                    #[inline]
                    fn to_key_item(&self) -> #p::Result<#p::Item, #p::EncodeError> {
                        let mut #item: #p::Item = #p::HashMap::with_capacity(#count);
                        #(#writes)*
                        #p::entity_key_item(#schema, &#item)
                    }

                    #[inline]
                    fn from_key_item(__key: &#p::Item) -> #p::Result<Self, #p::DecodeError> {
                        let #item = &#p::entity_key_fields(#schema, __key)?;
                        #p::Ok(#key_ident { #(#reads,)* })
                    }
                }
            }
        } else {
            quote! {
                #[automatically_derived]
                impl #p::PrimaryKey for #key_ident {
                    #[inline]
                    fn to_key_item(&self) -> #p::Result<#p::Item, #p::EncodeError> {
                        let mut #item: #p::Item = #p::HashMap::with_capacity(#count);
                        #(#writes)*
                        #p::Ok(#item)
                    }

                    #[inline]
                    fn from_key_item(#item: &#p::Item) -> #p::Result<Self, #p::DecodeError> {
                        #p::Ok(#key_ident { #(#reads,)* })
                    }
                }
            }
        };
        let impls = quote! {
            impl #key_ident {
                #[doc = #new_doc]
                #[inline]
                #vis fn new(#(#params),*) -> Self {
                    #key_ident { #(#inits),* }
                }
            }

            impl #impl_generics #self_ty #where_own {
                #[doc = #key_doc]
                #[inline]
                #vis fn #key_fn(#(#params),*) -> #key_ident {
                    #key_ident::new(#(#members),*)
                }
            }

            #[automatically_derived]
            impl ::core::cmp::Eq for #key_ident where #(#eq_bounds,)* {}

            #[automatically_derived]
            impl ::core::hash::Hash for #key_ident where #(#hash_bounds,)* {
                #[inline]
                fn hash<__H: ::core::hash::Hasher>(&self, __state: &mut __H) {
                    #(::core::hash::Hash::hash(&&self.#members, __state);)*
                }
            }

            #primary_key

            #from_parts
        };
        (declaration, impls)
    }
}

/// `From` a key's parts: the tuple of them (with two or more), the one part,
/// or `()` for a key without fields (a constant template).
pub(super) fn from_parts(
    p: &TokenStream,
    ident: &Ident,
    members: &[&Ident],
    types: &[&Type],
) -> TokenStream {
    match (members, types) {
        ([], _) => quote! {
            #[automatically_derived]
            impl #p::From<()> for #ident {
                #[inline]
                fn from((): ()) -> Self {
                    #ident {}
                }
            }
        },
        ([member], [ty]) => quote! {
            #[automatically_derived]
            impl #p::From<#ty> for #ident {
                #[inline]
                fn from(__key: #ty) -> Self {
                    #ident { #member: __key }
                }
            }
        },
        _ => {
            let index = (0..members.len()).map(syn::Index::from);
            quote! {
                #[automatically_derived]
                impl #p::From<(#(#types,)*)> for #ident {
                    #[inline]
                    fn from(__key: (#(#types,)*)) -> Self {
                        #ident { #(#members: __key.#index,)* }
                    }
                }
            }
        }
    }
}

/// An empty key struct with `PrimaryKey`.
pub(super) fn fallback(fb: &Fallback<'_>) -> (TokenStream, TokenStream) {
    let p = &fb.p;
    let vis = &fb.input.vis;
    let key = fb.key_ident();
    let declaration = quote! {
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #[allow(dead_code)]
        #vis struct #key {}
    };
    let impls = quote! {
        impl #p::PrimaryKey for #key {
            fn to_key_item(&self) -> #p::Result<#p::Item, #p::EncodeError> {
                ::core::unreachable!()
            }
            fn from_key_item(_: &#p::Item) -> #p::Result<Self, #p::DecodeError> {
                ::core::unreachable!()
            }
        }
    };
    (declaration, impls)
}
