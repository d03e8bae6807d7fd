//! `#[derive(DynamoEntities)]`: an enum of a table's entities, one variant per
//! entity (`User(User)`), and an optional `#[dynamo(other)] Other(Document)`.
//! Reads dispatch on the discriminator; the key is an enum of the entities'
//! keys (`AppItemKey`); `AppItemGroups` holds one `Vec` per variant.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, Type};

use super::{companion_ident, private_path, respan, wrap};
use crate::attr::{self, Derive};
use crate::case;
use crate::ctxt::Ctxt;

struct Variant<'a> {
    ident: &'a Ident,
    ty: &'a Type,
    other: bool,
}

/// The checked enum, or every error found.
pub fn derive(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let attrs = attr::Container::from_ast(&cx, &input.attrs, Derive::Entities);
    // A malformed `table = ...` has its own error.
    let malformed = cx.error_count() > 0;
    let variants = variants(&cx, input, &attrs, malformed);
    cx.check()?;
    let Some(table) = &attrs.table_type else {
        return Err(syn::Error::new_spanned(&input.ident, "unsupported input"));
    };
    Ok(expand(input, &attrs, table, &variants))
}

fn variants<'a>(
    cx: &Ctxt,
    input: &'a DeriveInput,
    attrs: &attr::Container,
    malformed: bool,
) -> Vec<Variant<'a>> {
    let data = match &input.data {
        Data::Enum(data) => data,
        Data::Struct(data) => {
            cx.error_spanned_by(
                data.struct_token,
                "`#[derive(DynamoEntities)]` needs an enum with one variant per entity: `enum AppItem { User(User), Order(Order) }`",
            );
            return Vec::new();
        }
        Data::Union(data) => {
            cx.error_spanned_by(
                data.union_token,
                "`#[derive(DynamoEntities)]` needs an enum with one variant per entity",
            );
            return Vec::new();
        }
    };
    if attrs.table_type.is_none() && attrs.table.is_none() && !malformed {
        cx.error_spanned_by(
            &input.ident,
            "`#[derive(DynamoEntities)]` needs its table: `#[dynamo(table = App)]`, where `App` derives `DynamoTable`",
        );
    }
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics.params,
            "a `DynamoEntities` enum cannot be generic",
        );
    }
    if data.variants.is_empty() {
        cx.error_spanned_by(
            &input.ident,
            "a `DynamoEntities` enum needs at least one variant",
        );
    }
    let mut out = Vec::new();
    let mut other: Option<&Ident> = None;
    let mut fields: HashMap<String, &Ident> = HashMap::new();
    for variant in &data.variants {
        let variant_attrs = attr::Variant::from_entities(cx, &variant.attrs);
        let ty = match &variant.fields {
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => &fields.unnamed[0].ty,
            _ => {
                cx.error_spanned_by(
                    variant,
                    format!(
                        "each variant holds one entity: `{0}({0})`",
                        variant.ident.unraw()
                    ),
                );
                continue;
            }
        };
        if variant.ident == "Raw" {
            cx.error_spanned_by(
                &variant.ident,
                "a variant named `Raw` clashes with the generated key's `Raw` (a raw table key): rename the variant",
            );
        }
        if let Some(flag) = &variant_attrs.other {
            if let Some(first) = other {
                cx.error_spanned_by(
                    flag,
                    format!("a second `other` variant: `{first}` already keeps unknown entities"),
                );
            }
            other = Some(&variant.ident);
        }
        let field = case::snake_case(&variant.ident.unraw().to_string());
        if let Some(first) = fields.insert(field.clone(), &variant.ident) {
            cx.error_spanned_by(
                &variant.ident,
                format!(
                    "variants `{first}` and `{}` both group into the field `{field}` of the generated groups struct: rename one",
                    variant.ident
                ),
            );
        }
        out.push(Variant {
            ident: &variant.ident,
            ty,
            other: variant_attrs.other.is_some(),
        });
    }
    out
}

fn expand(
    input: &DeriveInput,
    attrs: &attr::Container,
    table: &syn::Path,
    variants: &[Variant<'_>],
) -> TokenStream {
    let p = private_path(attrs.crate_path.as_ref());
    let ident = &input.ident;
    let vis = &input.vis;
    let name = ident.unraw().to_string();
    let key_ident = companion_ident(attrs.key.as_ref(), ident, "Key");
    let groups_ident = format_ident!("{}Groups", ident.unraw(), span = ident.span());
    // Every token spanned at `App`: a type that is not a declared table is
    // the same error at every use, which the compiler shows once.
    let table_item = |item: TokenStream| {
        respan(
            quote!(<<#ident as #p::Entities>::Table as #p::TableDef>::#item),
            table.span(),
        )
    };
    let (table_schema, table_key) = (table_item(quote!(SCHEMA)), table_item(quote!(Key)));
    let (table_hash, table_range) = (table_item(quote!(HashKey)), table_item(quote!(RangeKey)));
    let table_discriminator = table_item(quote!(DISCRIMINATOR));
    let table_type = respan(quote!(#table), table.span());
    let entities: Vec<&Variant<'_>> = variants.iter().filter(|v| !v.other).collect();
    let other = variants.iter().find(|v| v.other);

    let mut checks = Vec::new();
    for variant in &entities {
        let ty = variant.ty;
        let check = quote_spanned!(ty.span()=> #p::assert_entity_of::<#ty, #table>());
        checks.push(quote!(const _: () = #check;));
    }
    if let Some(other) = other {
        let ty = other.ty;
        let check = quote_spanned!(ty.span()=> #p::assert_other_variant::<#ty>());
        checks.push(quote!(const _: () = #check;));
    }
    for (i, later) in entities.iter().enumerate() {
        for earlier in &entities[..i] {
            let (a, b) = (earlier.ty, later.ty);
            let message = format!(
                "variants `{}` and `{}` of `{name}` are both the entity \"",
                earlier.ident, later.ident
            );
            let end = "\": an item could be read as either; give each entity its own name (`entity = \"...\"`) or keep one variant";
            let panic = quote_spanned! {later.ty.span()=>
                ::core::panic!("{}", #p::ConstMessage::new().push(#message).push(__name).push(#end).as_str())
            };
            checks.push(quote! {
                const _: () = {
                    let __name = <#b as #p::Entity>::ENTITY.name;
                    if #p::str_eq(<#a as #p::Entity>::ENTITY.name, __name) {
                        #panic
                    }
                };
            });
        }
    }

    let entity_idents: Vec<&Ident> = entities.iter().map(|v| v.ident).collect();
    let entity_types: Vec<&Type> = entities.iter().map(|v| v.ty).collect();
    let positions = 0..entities.len();
    let collection_entities = entity_types.iter().map(|ty| {
        quote! {
            #p::CollectionEntity {
                name: <#ty as #p::Entity>::ENTITY.name,
                version_attribute: <#ty as #p::DynamoItem>::SCHEMA.version_attribute,
            }
        }
    });
    let keeps_others = other.is_some();
    let unknown = match other {
        Some(other) => {
            let other = other.ident;
            quote!(#p::Ok(#ident::#other(#p::Document::from(__item))))
        }
        None => quote! {
            #p::Err(#p::unknown_entity(
                &<Self as #p::Entities>::COLLECTION,
                &__item,
                &#table_schema,
            ))
        },
    };
    let to_item_arms = variants.iter().map(|v| {
        let variant = v.ident;
        if v.other {
            quote!(#ident::#variant(__v) => #p::Ok(::core::clone::Clone::clone(__v.as_item())))
        } else {
            quote!(#ident::#variant(__v) => #p::DynamoItem::to_item(__v))
        }
    });
    let key_arms = variants.iter().map(|v| {
        let variant = v.ident;
        if v.other {
            quote!(#ident::#variant(__v) => #key_ident::#variant(::core::clone::Clone::clone(__v)))
        } else {
            quote!(#ident::#variant(__v) => #key_ident::#variant(#p::DynamoItem::key(__v)))
        }
    });
    let entity_arms = variants.iter().map(|v| {
        let variant = v.ident;
        let ty = v.ty;
        if v.other {
            quote!(#ident::#variant(_) => #p::None)
        } else {
            quote!(#ident::#variant(_) => #p::Some(const { &<#ty as #p::Entity>::ENTITY }))
        }
    });
    let writable_arms = variants.iter().map(|v| {
        let variant = v.ident;
        let ty = v.ty;
        if v.other {
            quote!(#ident::#variant(_) => #p::Ok(()))
        } else {
            quote! {
                #ident::#variant(_) => match <#ty as #p::DynamoItem>::SCHEMA.version_attribute {
                    #p::Some(_) => #p::Err(#p::versioned_variant(
                        <#ty as #p::Entity>::ENTITY.name,
                        #name,
                    )),
                    #p::None => #p::Ok(()),
                }
            }
        }
    });

    // The key: one variant per entity's key, the other variant's document, a raw key.
    let key_variants = variants.iter().map(|v| {
        let variant = v.ident;
        let ty = v.ty;
        let doc = format!("The key of a [`{ident}::{variant}`].");
        if v.other {
            quote!(#[doc = #doc] #variant(#p::Document))
        } else {
            quote!(#[doc = #doc] #variant(<#ty as #p::DynamoItem>::Key))
        }
    });
    let key_item_arms = variants.iter().map(|v| {
        let variant = v.ident;
        if v.other {
            quote!(#key_ident::#variant(__k) => #p::document_key(__k, &#table_schema))
        } else {
            quote!(#key_ident::#variant(__k) => #p::PrimaryKey::to_key_item(__k))
        }
    });
    let key_froms = entities.iter().map(|v| {
        let variant = v.ident;
        let ty = v.ty;
        quote! {
            #[automatically_derived]
            impl #p::From<<#ty as #p::DynamoItem>::Key> for #key_ident {
                #[inline]
                fn from(__key: <#ty as #p::DynamoItem>::Key) -> Self {
                    #key_ident::#variant(__key)
                }
            }
        }
    });
    let key_doc = format!(
        "The key of a [`{ident}`]: an entity's key (`User::key(..)` converts into it), or the raw key of the table."
    );

    // One `Vec` per variant.
    let group_fields: Vec<Ident> = variants.iter().map(|v| group_field(v.ident)).collect();
    let group_types = variants.iter().map(|v| v.ty);
    let group_docs = variants
        .iter()
        .map(|v| format!("The [`{ident}::{}`] items, in the order read.", v.ident));
    let group_arms = variants.iter().zip(&group_fields).map(|(v, field)| {
        let variant = v.ident;
        quote!(#ident::#variant(__v) => self.#field.push(__v))
    });
    let groups_doc = format!(
        "The items of a query of [`{ident}`]s, one `Vec` per variant: `query.grouped()`, `stream.try_collect()` or `{groups_ident}::from_iter(items)`."
    );
    let variant_froms = variants.iter().map(|v| {
        let variant = v.ident;
        let ty = v.ty;
        quote! {
            #[automatically_derived]
            impl #p::From<#ty> for #ident {
                #[inline]
                fn from(__v: #ty) -> Self {
                    #ident::#variant(__v)
                }
            }
        }
    });

    let declarations = quote! {
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #[doc = #key_doc]
        #[allow(dead_code)]
        #vis enum #key_ident {
            #(#key_variants,)*
            /// A raw key of the table (its key attributes as stored).
            Raw(#table_key),
        }

        #[derive(::core::default::Default)]
        #[doc = #groups_doc]
        #[allow(dead_code)]
        #vis struct #groups_ident {
            #(
                #[doc = #group_docs]
                pub #group_fields: #p::Vec<#group_types>,
            )*
        }
    };
    let impls = quote! {
        #[automatically_derived]
        impl #p::AttributeMap for #ident {
            const ATTRIBUTE_COUNT: ::core::primitive::usize = 0;
            const ATTRIBUTE_NAMES: &'static [&'static ::core::primitive::str] = &[];

            #[inline]
            fn write_attributes(&self, __item: &mut #p::Item) -> #p::Result<(), #p::EncodeError> {
                ::core::iter::Extend::extend(__item, #p::DynamoItem::to_item(self)?);
                #p::Ok(())
            }

            #[inline]
            fn from_map(__item: #p::Item) -> #p::Result<Self, #p::DecodeError> {
                <Self as #p::DynamoItem>::from_item(__item)
            }
        }

        #[automatically_derived]
        impl #p::DynamoItem for #ident {
            type Key = #key_ident;
            type HashKey = #table_hash;
            type RangeKey = #table_range;

            const SCHEMA: #p::TableSchema = #table_schema;

            #[inline]
            fn key(&self) -> #key_ident {
                match self {
                    #(#key_arms,)*
                }
            }

            #[inline]
            fn to_item(&self) -> #p::Result<#p::Item, #p::EncodeError> {
                match self {
                    #(#to_item_arms,)*
                }
            }

            #[inline]
            fn from_item(__item: #p::Item) -> #p::Result<Self, #p::DecodeError> {
                match #p::collection_entity(&<Self as #p::Entities>::COLLECTION, &__item) {
                    #(#p::Some(#positions) => {
                        <#entity_types as #p::DynamoItem>::from_item(__item).map(#ident::#entity_idents)
                    })*
                    _ => #unknown,
                }
            }

            const __KIND: #p::ItemKind = #p::ItemKind::Collection(&<Self as #p::Entities>::COLLECTION);

            #[inline]
            fn __entity(&self) -> #p::Option<&'static #p::EntitySchema> {
                match self {
                    #(#entity_arms,)*
                }
            }

            #[inline]
            fn __check_writable(&self) -> #p::Result<(), #p::EncodeError> {
                match self {
                    #(#writable_arms,)*
                }
            }
        }

        #[automatically_derived]
        impl #p::Entities for #ident {
            type Table = #table_type;
            type Groups = #groups_ident;
            const COLLECTION: #p::CollectionSchema = #p::CollectionSchema {
                name: #name,
                discriminator: #table_discriminator,
                entities: &[#(#collection_entities),*],
                keeps_others: #keeps_others,
            };
        }

        #[automatically_derived]
        impl #p::PrimaryKey for #key_ident {
            #[inline]
            fn to_key_item(&self) -> #p::Result<#p::Item, #p::EncodeError> {
                match self {
                    #(#key_item_arms,)*
                    #key_ident::Raw(__k) => #p::PrimaryKey::to_key_item(__k),
                }
            }

            #[inline]
            fn from_key_item(__item: &#p::Item) -> #p::Result<Self, #p::DecodeError> {
                #p::PrimaryKey::from_key_item(__item).map(#key_ident::Raw)
            }
        }

        #[automatically_derived]
        impl #p::From<#table_key> for #key_ident {
            #[inline]
            fn from(__key: #table_key) -> Self {
                #key_ident::Raw(__key)
            }
        }

        #(#key_froms)*
        #(#variant_froms)*

        #[automatically_derived]
        impl ::core::iter::Extend<#ident> for #groups_ident {
            fn extend<__I: ::core::iter::IntoIterator<Item = #ident>>(&mut self, __items: __I) {
                for __item in __items {
                    match __item {
                        #(#group_arms,)*
                    }
                }
            }
        }

        #[automatically_derived]
        impl ::core::iter::FromIterator<#ident> for #groups_ident {
            fn from_iter<__I: ::core::iter::IntoIterator<Item = #ident>>(__items: __I) -> Self {
                let mut __groups = <Self as #p::Default>::default();
                ::core::iter::Extend::extend(&mut __groups, __items);
                __groups
            }
        }

        #(#checks)*
    };
    wrap(declarations, impls)
}

/// The groups struct's field of a variant: its name in snake_case (`r#` for
/// a keyword, `_` after the few names that cannot be raw).
fn group_field(variant: &Ident) -> Ident {
    let field = case::snake_case(&variant.unraw().to_string());
    if syn::parse_str::<Ident>(&field).is_ok() {
        Ident::new(&field, variant.span())
    } else if matches!(field.as_str(), "self" | "super" | "crate" | "_") {
        Ident::new(&format!("{field}_"), variant.span())
    } else {
        Ident::new_raw(&field, variant.span())
    }
}

/// The errors of `#[derive(DynamoEntities)]` with placeholders: the key,
/// groups, `DynamoItem` and `Entities` impls.
pub fn fallback(input: &DeriveInput, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    let attrs = attr::Container::from_ast(&Ctxt::new(), &input.attrs, Derive::Entities);
    let (Some(table), Data::Enum(_)) = (&attrs.table_type, &input.data) else {
        return error;
    };
    if !input.generics.params.is_empty() {
        return error;
    }
    let p = private_path(attrs.crate_path.as_ref());
    let ident = &input.ident;
    let vis = &input.vis;
    let key_ident = companion_ident(attrs.key.as_ref(), ident, "Key");
    let groups_ident = format_ident!("{}Groups", ident.unraw(), span = ident.span());
    quote! {
        #error
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #[allow(dead_code)]
        #vis enum #key_ident {}
        #[derive(::core::default::Default)]
        #[allow(dead_code)]
        #vis struct #groups_ident {}
        #[doc(hidden)]
        #[allow(unused_variables, unused_qualifications)]
        const _: () = {
            impl #p::AttributeMap for #ident {
                const ATTRIBUTE_COUNT: ::core::primitive::usize = 0;
                const ATTRIBUTE_NAMES: &'static [&'static ::core::primitive::str] = &[];
                fn write_attributes(&self, _: &mut #p::Item) -> #p::Result<(), #p::EncodeError> {
                    ::core::unreachable!()
                }
                fn from_map(_: #p::Item) -> #p::Result<Self, #p::DecodeError> {
                    ::core::unreachable!()
                }
            }
            impl #p::PrimaryKey for #key_ident {
                fn to_key_item(&self) -> #p::Result<#p::Item, #p::EncodeError> {
                    ::core::unreachable!()
                }
                fn from_key_item(_: &#p::Item) -> #p::Result<Self, #p::DecodeError> {
                    ::core::unreachable!()
                }
            }
            impl #p::DynamoItem for #ident {
                type Key = #key_ident;
                type HashKey = #p::String;
                type RangeKey = #p::NoRange;
                const SCHEMA: #p::TableSchema = <#table as #p::TableDef>::SCHEMA;
                fn key(&self) -> #key_ident {
                    ::core::unreachable!()
                }
            }
            impl ::core::iter::Extend<#ident> for #groups_ident {
                fn extend<__I: ::core::iter::IntoIterator<Item = #ident>>(&mut self, _: __I) {
                    ::core::unreachable!()
                }
            }
            impl #p::Entities for #ident {
                type Table = #table;
                type Groups = #groups_ident;
                const COLLECTION: #p::CollectionSchema = #p::CollectionSchema {
                    name: "",
                    discriminator: "",
                    entities: &[],
                    keeps_others: false,
                };
            }
        };
    }
}
