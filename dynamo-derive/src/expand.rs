//! Writes the code: what a careful human would write by hand for the struct,
//! through absolute paths into the runtime's `__private` module.
//!
//! Per-field conversion calls are spanned at the field's type, so a type
//! without `IntoAttribute`, `FromAttribute` or `KeyScalar` is reported there.
//! Generated locals start with `__` and reach user-spanned code only through
//! interpolation, so they resolve even when the struct comes from a `macro_rules!`.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, LitStr, Type};

use crate::ast::{Container, Data, Field, Variant};
use crate::attr::{self, Derive, IndexKind};
use crate::check;
use crate::ctxt::Ctxt;

/// `#[derive(DynamoItem)]`: the checked model's code, or every error found.
pub fn derive_item(input: &DeriveInput) -> syn::Result<TokenStream> {
    derive(input, Derive::Item)
}

/// `#[derive(DynamoAttribute)]`: the checked model's code, or every error found.
pub fn derive_attribute(input: &DeriveInput) -> syn::Result<TokenStream> {
    derive(input, Derive::Attribute)
}

fn derive(input: &DeriveInput, derive: Derive) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let cont = Container::from_ast(&cx, input, derive);
    if let Some(cont) = &cont {
        check::check(&cx, cont);
    }
    cx.check()?;
    let Some(cont) = cont else {
        return Err(syn::Error::new_spanned(&input.ident, "unsupported input"));
    };
    let fg = Gen::new(&cont);
    Ok(match (&cont.data, derive) {
        (Data::Struct(fields), Derive::Item) => fg.item(fields),
        (Data::Struct(fields), Derive::Attribute) => fg.attribute_struct(fields),
        (Data::Enum(variants), _) => fg.unit_enum(variants),
    })
}

/// The path of the runtime's `__private` module (`#[dynamo(crate = "...")]` or `::dynamo_orm`).
pub fn private_path(crate_path: Option<&syn::Path>) -> TokenStream {
    match crate_path {
        Some(path) => quote!(#path::__private),
        None => quote!(::dynamo_orm::__private),
    }
}

/// The name of a generated companion type: the attribute's choice, else `{Type}{suffix}`.
pub fn companion_ident(chosen: Option<&attr::Spanned<Ident>>, ty: &Ident, suffix: &str) -> Ident {
    match chosen {
        Some(chosen) => chosen.value.clone(),
        None => format_ident!("{}{}", ty.unraw(), suffix),
    }
}

struct Gen<'a> {
    cont: &'a Container<'a>,
    /// `::dynamo_orm::__private`.
    p: TokenStream,
    /// `self`, call-site spanned, for use inside user-spanned code.
    this: TokenStream,
    /// `__item`, the map being written or read.
    item: TokenStream,
}

/// One field with what the generated code calls it.
struct FieldGen<'f, 'a> {
    field: &'f Field<'a>,
    /// The stored name as an expression and pattern: a string literal, or for a
    /// projection a constant read from the projected item.
    name: TokenStream,
    /// `__f{i}`: the field's value while `from_map` collects them.
    var: Ident,
}

impl<'a> Gen<'a> {
    fn new(cont: &'a Container<'a>) -> Self {
        Gen {
            cont,
            p: private_path(cont.attrs.crate_path.as_ref()),
            this: quote!(self),
            item: quote!(__item),
        }
    }

    fn field_gens<'f>(&self, fields: &'f [Field<'a>]) -> Vec<FieldGen<'f, 'a>> {
        let projection = self.cont.attrs.projection_of.is_some();
        fields
            .iter()
            .enumerate()
            .map(|(i, field)| FieldGen {
                field,
                name: if projection {
                    format_ident!("__NAME_{}", i).into_token_stream()
                } else {
                    LitStr::new(&field.name, Span::call_site()).into_token_stream()
                },
                var: format_ident!("__f{}", i),
            })
            .collect()
    }

    // ------------------------------------------------------------ DynamoItem

    fn item(&self, fields: &[Field<'a>]) -> TokenStream {
        let gens = self.field_gens(fields);
        let map = self.attribute_map(&gens);
        let value = self.map_value_impls();
        let (fields_struct, fields_impls) = self.fields_struct(&gens);
        let (key_struct, key_impls) = self.key_struct();
        let item_impl = self.item_impl();
        let (markers, marker_impls) = self.index_markers();
        wrap(
            quote! { #fields_struct #key_struct #markers },
            quote! { #map #value #fields_impls #key_impls #item_impl #marker_impls },
        )
    }

    fn item_impl(&self) -> TokenStream {
        let Gen { p, this, .. } = self;
        let ident = self.cont.ident;
        let key_ident = companion_ident(self.cont.attrs.key.as_ref(), ident, "Key");
        let table_name = match &self.cont.attrs.table {
            Some(table) => table.value(),
            None => crate::case::snake_case(&ident.unraw().to_string()),
        };
        let keys = self.key_fields();
        let hash = keys[0];
        let hash_ty = &hash.ty;
        let hash_name = &hash.name;
        // Read through the associated type, whose `KeyScalar` bound already
        // reports a wrong type (at the type): one error, not two.
        let hash_key = quote! {
            #p::KeyAttribute { name: #hash_name, scalar_type: #p::hash_scalar_type::<#ident>() }
        };
        let range = keys.get(1).copied();
        let range_ty = match range {
            Some(range) => range.ty.to_token_stream(),
            None => quote!(#p::NoRange),
        };
        let range_key = match range {
            Some(range) => {
                let attribute = self.key_attribute(range);
                quote!(#p::Some(#attribute))
            }
            None => quote!(#p::None),
        };
        let indexes = self.cont.attrs.indexes.iter().map(|index| {
            let marker = &index.marker;
            quote!(<#marker as #p::Index>::SCHEMA)
        });
        let optional_name = |field: Option<&Field<'_>>| match field {
            Some(field) => {
                let name = &field.name;
                quote!(#p::Some(#name))
            }
            None => quote!(#p::None),
        };
        let version_attribute = optional_name(self.cont.version());
        let ttl_attribute = optional_name(self.cont.ttl());
        let key_members = keys.iter().map(|field| field.ident);
        let version = self.cont.version().map(|field| {
            let member = field.ident;
            quote! {
                #[inline]
                fn version(&self) -> ::core::primitive::u64 {
                    match #p::TryFrom::try_from(#this.#member) {
                        #p::Ok(__version) => __version,
                        #p::Err(_) => 0,
                    }
                }

                #[inline]
                fn set_version(&mut self, __version: ::core::primitive::u64) {
                    if let #p::Ok(__version) = #p::TryFrom::try_from(__version) {
                        #this.#member = __version;
                    }
                }
            }
        });
        quote! {
            #[automatically_derived]
            impl #p::DynamoItem for #ident {
                type Key = #key_ident;
                type HashKey = #hash_ty;
                type RangeKey = #range_ty;

                const SCHEMA: #p::TableSchema = #p::TableSchema {
                    table_name: #table_name,
                    hash_key: #hash_key,
                    range_key: #range_key,
                    indexes: &[#(#indexes),*],
                    version_attribute: #version_attribute,
                    ttl_attribute: #ttl_attribute,
                };

                #[inline]
                fn key(&self) -> #key_ident {
                    #key_ident {
                        #(#key_members: ::core::clone::Clone::clone(&#this.#key_members),)*
                    }
                }

                #version
            }
        }
    }

    /// The hash key field, then the range key field if there is one.
    fn key_fields(&self) -> Vec<&'a Field<'a>> {
        let fields = self.cont.fields();
        let hash = fields.iter().filter(|field| field.attrs.hash_key.is_some());
        let range = fields
            .iter()
            .filter(|field| field.attrs.range_key.is_some());
        hash.take(1).chain(range.take(1)).collect()
    }

    /// `KeyAttribute { name, scalar_type }`; the `KeyScalar` bound is spanned at the field's type.
    fn key_attribute(&self, field: &Field<'_>) -> TokenStream {
        let p = &self.p;
        let ty = &field.ty;
        let name = &field.name;
        let scalar_type = quote_spanned!(ty.span()=> <#ty as #p::KeyScalar>::SCALAR_TYPE);
        quote!(#p::KeyAttribute { name: #name, scalar_type: #scalar_type })
    }

    /// The `{Type}Key` struct, its constructors and `PrimaryKey` impl.
    fn key_struct(&self) -> (TokenStream, TokenStream) {
        let Gen { p, item, .. } = self;
        let ident = self.cont.ident;
        let vis = self.cont.vis;
        let key_ident = companion_ident(self.cont.attrs.key.as_ref(), ident, "Key");
        let keys = self.key_fields();
        let members: Vec<&Ident> = keys.iter().map(|field| field.ident).collect();
        let types: Vec<&Type> = keys.iter().map(|field| &field.ty).collect();
        let names: Vec<&str> = keys.iter().map(|field| field.name.as_str()).collect();
        let count = keys.len();
        let docs = keys.iter().zip(["hash", "range"]).map(|(field, role)| {
            format!("The {role} key, stored as the attribute `{}`.", field.name)
        });
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
        let from_parts = if count == 2 {
            let (hash, range) = (members[0], members[1]);
            let (hash_ty, range_ty) = (types[0], types[1]);
            quote! {
                #[automatically_derived]
                impl #p::From<(#hash_ty, #range_ty)> for #key_ident {
                    #[inline]
                    fn from(__key: (#hash_ty, #range_ty)) -> Self {
                        #key_ident { #hash: __key.0, #range: __key.1 }
                    }
                }
            }
        } else {
            let (hash, hash_ty) = (members[0], types[0]);
            quote! {
                #[automatically_derived]
                impl #p::From<#hash_ty> for #key_ident {
                    #[inline]
                    fn from(__key: #hash_ty) -> Self {
                        #key_ident { #hash: __key }
                    }
                }
            }
        };
        let new_doc = format!("A key from its parts: {}.", code_list(&names));
        let key_doc = format!(
            "The key of the [`{ident}`] with these key attributes ({}): what `get`, `delete` and `update` take.",
            code_list(&names)
        );

        let declaration = quote! {
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
        let impls = quote! {
            impl #key_ident {
                #[doc = #new_doc]
                #[inline]
                #vis fn new(#(#params),*) -> Self {
                    #key_ident { #(#inits),* }
                }
            }

            impl #ident {
                #[doc = #key_doc]
                #[inline]
                #vis fn key(#(#params),*) -> #key_ident {
                    #key_ident::new(#(#members),*)
                }
            }

            #[automatically_derived]
            impl #p::PrimaryKey for #key_ident {
                fn to_key_item(&self) -> #p::Result<#p::Item, #p::EncodeError> {
                    let mut #item: #p::Item = #p::HashMap::with_capacity(#count);
                    #(#writes)*
                    #p::Ok(#item)
                }

                fn from_key_item(#item: &#p::Item) -> #p::Result<Self, #p::DecodeError> {
                    #p::Ok(#key_ident { #(#reads,)* })
                }
            }

            #from_parts
        };
        (declaration, impls)
    }

    /// One marker type per index, with its `QueryTarget` and `Index` impls.
    fn index_markers(&self) -> (TokenStream, TokenStream) {
        let p = &self.p;
        let ident = self.cont.ident;
        let vis = self.cont.vis;
        let mut declarations = TokenStream::new();
        let mut impls = TokenStream::new();
        for index in &self.cont.attrs.indexes {
            let marker = &index.marker;
            let name = check::index_name(index);
            let (hash, global, kind, what) = match index.kind {
                IndexKind::Global => {
                    let hash = index
                        .hash
                        .as_ref()
                        .and_then(|hash| self.cont.field(&hash.value));
                    (hash, true, quote!(#p::IndexKind::Global), "global")
                }
                IndexKind::Local => (
                    self.cont.hash_key(),
                    false,
                    quote!(#p::IndexKind::Local),
                    "local",
                ),
            };
            let range = index
                .range
                .as_ref()
                .and_then(|range| self.cont.field(&range.value));
            let Some(hash) = hash else {
                continue;
            };
            let hash_ty = &hash.ty;
            let hash_name = &hash.name;
            let hash_key = quote! {
                #p::KeyAttribute {
                    name: #hash_name,
                    scalar_type: #p::index_hash_scalar_type::<#marker>(),
                }
            };
            let (range_ty, range_key) = match range {
                Some(range) => {
                    let attribute = self.key_attribute(range);
                    (range.ty.to_token_stream(), quote!(#p::Some(#attribute)))
                }
                None => (quote!(#p::NoRange), quote!(#p::None)),
            };
            let projection = match index
                .projection
                .as_ref()
                .map(|projection| &projection.value)
            {
                None | Some(attr::Projection::All) => quote!(#p::Projection::All),
                Some(attr::Projection::KeysOnly) => quote!(#p::Projection::KeysOnly),
                Some(attr::Projection::Include(included)) => {
                    let names = included
                        .iter()
                        .filter_map(|ident| self.cont.field(ident))
                        .map(|field| &field.name);
                    quote!(#p::Projection::Include(&[#(#names),*]))
                }
            };
            let doc = match range {
                Some(range) => format!(
                    "The {what} secondary index {name:?} of [`{ident}`]: hash key `{}`, range key `{}`.",
                    hash.name, range.name
                ),
                None => format!(
                    "The {what} secondary index {name:?} of [`{ident}`]: hash key `{}`.",
                    hash.name
                ),
            };
            declarations.extend(quote! {
                #[derive(
                    ::core::fmt::Debug,
                    ::core::clone::Clone,
                    ::core::marker::Copy,
                    ::core::default::Default
                )]
                #[doc = #doc]
                #[allow(dead_code)]
                #vis struct #marker;
            });
            impls.extend(quote! {
                #[automatically_derived]
                impl #p::QueryTarget for #marker {
                    type Item = #ident;
                    type Hash = #hash_ty;
                    type Range = #range_ty;
                    const INDEX_NAME: #p::Option<&'static ::core::primitive::str> = #p::Some(#name);
                    const HASH_KEY: #p::KeyAttribute = #hash_key;
                    const RANGE_KEY: #p::Option<#p::KeyAttribute> = #range_key;
                    const GLOBAL: ::core::primitive::bool = #global;
                }

                #[automatically_derived]
                impl #p::Index for #marker {
                    const SCHEMA: #p::IndexSchema = #p::IndexSchema {
                        name: #name,
                        kind: #kind,
                        hash_key: <#marker as #p::QueryTarget>::HASH_KEY,
                        range_key: <#marker as #p::QueryTarget>::RANGE_KEY,
                        projection: #projection,
                    };
                }
            });
        }
        (declarations, impls)
    }

    // ------------------------------------------------------------ DynamoAttribute

    fn attribute_struct(&self, fields: &[Field<'a>]) -> TokenStream {
        let gens = self.field_gens(fields);
        let names = self.projection_names(&gens);
        let map = self.attribute_map(&gens);
        let value = self.map_value_impls();
        let (fields_struct, fields_impls) = self.fields_struct(&gens);
        wrap(fields_struct, quote! { #names #map #value #fields_impls })
    }

    /// For `projection_of = Item`: each field's stored name, read from the
    /// item's typed fields. The typed `let` fails to compile, at the field, when
    /// the item has no such field or stores another type there.
    fn projection_names(&self, gens: &[FieldGen<'_, '_>]) -> TokenStream {
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
            let field_ty = respan(quote!(#p::Field<#ty>), ty.span());
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
        }
    }

    fn unit_enum(&self, variants: &[Variant<'_>]) -> TokenStream {
        let p = &self.p;
        let ident = self.cont.ident;
        let members: Vec<&Ident> = variants.iter().map(|variant| variant.ident).collect();
        let names: Vec<&str> = variants
            .iter()
            .map(|variant| variant.name.as_str())
            .collect();
        let expected = format!("one of: {}", names.join(", "));
        let body = quote! {
            fn __name(__value: &#ident) -> &'static ::core::primitive::str {
                match __value {
                    #(#ident::#members => #names,)*
                }
            }

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

    // ------------------------------------------------------------ shared by both

    /// `impl AttributeMap`: writes, reads by removal (as a flattened type), reads
    /// an owned map in a single pass, and lists the attribute names.
    fn attribute_map(&self, gens: &[FieldGen<'_, '_>]) -> TokenStream {
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
                let write = quote_spanned!(module.span()=> #p::write_with);
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
    fn read_value(
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
                quote_spanned!(module.span()=> #p::read_with_or_default)
            } else {
                quote_spanned!(module.span()=> #p::read_with)
            };
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

    /// `IntoAttribute` (an `M` value) and `FromAttribute`, so the struct nests in others.
    fn map_value_impls(&self) -> TokenStream {
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
                    #p::encode_nested(self)
                }
            }

            #[automatically_derived]
            impl #p::FromAttribute for #ident {
                #[inline]
                fn from_attribute(__value: #p::AttributeValue) -> #p::Result<Self, #p::DecodeError> {
                    #p::decode_nested(__value)
                }
            }
        }
    }

    /// The `{Type}Fields` struct of typed attribute paths and `HasFields`.
    fn fields_struct(&self, gens: &[FieldGen<'_, '_>]) -> (TokenStream, TokenStream) {
        let p = &self.p;
        let ident = self.cont.ident;
        let vis = self.cont.vis;
        let fields_ident = companion_ident(self.cont.attrs.fields.as_ref(), ident, "Fields");
        let visible: Vec<&FieldGen<'_, '_>> = gens
            .iter()
            .filter(|fg| fg.field.attrs.skip.is_none())
            .collect();
        let members = visible.iter().map(|fg| fg.field.ident);
        let members2 = members.clone();
        let types = visible.iter().map(|fg| {
            let ty = &fg.field.ty;
            if fg.field.attrs.flatten.is_some() {
                quote!(<#ty as #p::HasFields>::Fields)
            } else {
                quote!(#p::Field<#ty>)
            }
        });
        let values = visible.iter().map(|fg| {
            let ty = &fg.field.ty;
            let name = &fg.name;
            if fg.field.attrs.flatten.is_some() {
                quote!(<#ty as #p::HasFields>::FIELDS)
            } else {
                quote!(#p::Field::new(#name))
            }
        });
        let docs = visible.iter().map(|fg| {
            let field = fg.field;
            if field.attrs.flatten.is_some() {
                format!(
                    "The attributes of the flattened `{}`, stored inline.",
                    field.ident.unraw()
                )
            } else if self.cont.attrs.projection_of.is_some() {
                format!("The `{}` attribute.", field.ident.unraw())
            } else {
                format!("The `{}` attribute.", field.name)
            }
        });
        let struct_doc = format!("Typed attribute paths of [`{ident}`].");
        let const_doc = format!(
            "Typed attribute paths of the fields, for conditions and updates: `{ident}::FIELDS.field`."
        );
        let declaration = quote! {
            #[derive(::core::clone::Clone, ::core::marker::Copy)]
            #[doc = #struct_doc]
            #[allow(dead_code)]
            #vis struct #fields_ident {
                #(
                    #[doc = #docs]
                    pub #members: #types,
                )*
            }
        };
        let impls = quote! {
            #[automatically_derived]
            impl #p::HasFields for #ident {
                type Fields = #fields_ident;
                const FIELDS: #fields_ident = #fields_ident { #(#members2: #values,)* };
            }

            impl #ident {
                #[doc = #const_doc]
                #vis const FIELDS: #fields_ident = <#ident as #p::HasFields>::FIELDS;
            }
        };
        (declaration, impls)
    }
}

/// `tokens` with every span set to `span` (interpolated tokens keep their own
/// spans in `quote_spanned!`; this is for a whole path).
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut respanned = Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                token = TokenTree::Group(respanned);
            }
            token.set_span(span);
            token
        })
        .collect()
}

/// `UserKey`'s docs list names as code: `a`, `b`.
fn code_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    quoted.join(", ")
}

/// Named companion types go beside the struct; impls go in an anonymous const.
fn wrap(declarations: TokenStream, impls: TokenStream) -> TokenStream {
    quote! {
        #declarations

        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications)]
        const _: () = {
            #impls
        };
    }
}
