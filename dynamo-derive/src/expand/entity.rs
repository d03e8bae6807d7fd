//! An entity of a shared table (`#[derive(DynamoItem)]` with `table = App`):
//! its `DynamoItem` impl over the table's schema, `Entity` with its key
//! templates, one `EntityIndex` per key (the table's and each index's), the
//! structs of template fields a query takes (`OrderPartition`, `OrderSort`),
//! and the compile-time checks of the templates against the table.
//!
//! The templates are data (`KeyTemplate`): rendering, parsing and keeping
//! index keys in step on updates are the runtime's, so an entity costs little
//! more to compile than a plain item.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Ident, LitStr, Type};

use super::key::from_parts;
use super::{Fallback, FieldGen, Gen, respan, wrap};
use crate::ast::Field;
use crate::attr::Templates;
use crate::check;
use crate::template::{self, Part};

/// A template of the entity, parsed (the check stage reported its mistakes).
struct Parsed<'t> {
    lit: &'t LitStr,
    parts: Vec<Part>,
}

fn parsed(lit: Option<&LitStr>) -> Option<Parsed<'_>> {
    let lit = lit?;
    let parts = template::parse(&lit.value()).ok()?;
    Some(Parsed { lit, parts })
}

/// The last segment of an index marker path (`Gsi1`).
pub(super) fn marker_ident(marker: &syn::Path) -> Ident {
    marker.segments.last().map_or_else(
        || Ident::new("Index", Span::call_site()),
        |s| s.ident.clone(),
    )
}

impl<'a> Gen<'a> {
    /// `<<Order as Entity>::Table as TableDef>::item`, every token spanned at
    /// `App`: a type that is not a declared table is the same error at every
    /// use, which the compiler shows once.
    fn table_item(&self, item: TokenStream) -> TokenStream {
        let p = &self.p;
        let ident = self.cont.ident;
        let table = self.table_type();
        respan(
            quote!(<<#ident as #p::Entity>::Table as #p::TableDef>::#item),
            table.span(),
        )
    }

    fn table_type(&self) -> &syn::Path {
        // Only called in entity mode.
        self.cont
            .attrs
            .table_type
            .as_ref()
            .unwrap_or_else(|| unreachable!("an entity names its table"))
    }

    fn entity_name(&self) -> String {
        match &self.cont.attrs.entity {
            Some(lit) => lit.value(),
            None => self.cont.ident.unraw().to_string(),
        }
    }

    /// The fields of the table key's templates, hash template first, each once.
    pub(super) fn entity_key_fields(&self) -> Vec<&'a Field<'a>> {
        let Some(templates) = &self.cont.attrs.key_templates else {
            return Vec::new();
        };
        self.template_fields(&[templates.hash.as_ref(), templates.range.as_ref()])
    }

    /// The fields named by `templates`, in order, each once.
    fn template_fields(&self, templates: &[Option<&LitStr>]) -> Vec<&'a Field<'a>> {
        let mut out: Vec<&'a Field<'a>> = Vec::new();
        for parsed in templates.iter().filter_map(|lit| parsed(*lit)) {
            for name in template::fields(&parsed.parts) {
                if let Some(field) = self.field_named(name)
                    && !out.iter().any(|f| f.ident == field.ident)
                {
                    out.push(field);
                }
            }
        }
        out
    }

    fn field_named(&self, name: &str) -> Option<&'a Field<'a>> {
        let name = name.strip_prefix("r#").unwrap_or(name);
        self.cont
            .fields()
            .iter()
            .find(|field| field.ident.unraw() == name)
    }

    /// Whether the field is part of the item's key: the table's key fields,
    /// or an entity's key template fields.
    pub(super) fn is_key_field(&self, field: &Field<'_>) -> bool {
        if self.cont.attrs.table_type.is_some() {
            self.entity_key_fields()
                .iter()
                .any(|f| f.ident == field.ident)
        } else {
            field.is_table_key()
        }
    }

    /// `#[derive(DynamoItem)]` on an entity of a shared table.
    pub(super) fn entity(&self, fields: &[Field<'a>]) -> TokenStream {
        let gens = self.field_gens(fields);
        let map = self.attribute_map(&gens);
        let value = self.map_value_impls();
        let (fields_struct, fields_impls) = self.fields_struct(&gens);
        let (key_struct, key_impls) = self.key_struct();
        let item_impl = self.item_impl();
        let (entity_decls, entity_impls) = self.entity_impls(&gens);
        wrap(
            quote! { #fields_struct #key_struct #entity_decls },
            quote! { #map #value #fields_impls #key_impls #item_impl #entity_impls },
        )
    }

    /// `impl DynamoItem` of an entity: the table's schema with the entity's
    /// own version and TTL attributes; writes and reads through its templates.
    pub(super) fn entity_item_impl(&self) -> TokenStream {
        let Gen { p, this, .. } = self;
        let ident = self.cont.ident;
        let key_ident = self.key_ident();
        let (hash_ty, range_ty, schema) = (
            self.table_item(quote!(HashKey)),
            self.table_item(quote!(RangeKey)),
            self.table_item(quote!(SCHEMA)),
        );
        let version_attribute = self.optional_name(self.cont.version());
        let ttl_attribute = self.optional_name(self.cont.ttl());
        let key_members = self
            .entity_key_fields()
            .into_iter()
            .map(|field| field.ident);
        let (version, ttl_check) = self.version_items();
        quote! {
            #ttl_check

            #[automatically_derived]
            impl #p::DynamoItem for #ident {
                type Key = #key_ident;
                type HashKey = #hash_ty;
                type RangeKey = #range_ty;

                const SCHEMA: #p::TableSchema = #p::TableSchema {
                    version_attribute: #version_attribute,
                    ttl_attribute: #ttl_attribute,
                    ..#schema
                };

                #[inline]
                fn key(&self) -> #key_ident {
                    #key_ident {
                        #(#key_members: ::core::clone::Clone::clone(&#this.#key_members),)*
                    }
                }

                #[inline]
                fn to_item(&self) -> #p::Result<#p::Item, #p::EncodeError> {
                    #p::entity_to_item(self)
                }

                #[inline]
                fn from_item(__item: #p::Item) -> #p::Result<Self, #p::DecodeError> {
                    #p::entity_from_item(__item)
                }

                const __KIND: #p::ItemKind = #p::ItemKind::Entity(&<Self as #p::Entity>::ENTITY);

                #version
            }
        }
    }

    /// `KeyTemplate { text, parts }` of a parsed template.
    fn template_tokens(&self, parsed: &Parsed<'_>) -> TokenStream {
        let p = &self.p;
        let text = parsed.lit;
        let parts = parsed.parts.iter().map(|part| match part {
            Part::Literal(text) => quote!(#p::TemplatePart::Literal(#text)),
            Part::Field(name) => match self.field_named(name) {
                Some(field) => {
                    let attribute = &field.name;
                    let ty = &field.ty;
                    let scalar = respan(
                        quote!(<<#ty as #p::TemplateField>::Scalar as #p::KeyScalar>::SCALAR_TYPE),
                        ty.span(),
                    );
                    quote!(#p::TemplatePart::Field { attribute: #attribute, scalar: #scalar })
                }
                // Reported by the check stage.
                None => quote!(#p::TemplatePart::Literal("")),
            },
        });
        quote!(#p::KeyTemplate { text: #text, parts: &[#(#parts),*] })
    }

    /// `Entity`, `EntityOf`, the `EntityIndex` impls, their argument structs
    /// and the checks against the table.
    fn entity_impls(&self, _gens: &[FieldGen<'_, '_>]) -> (TokenStream, TokenStream) {
        let p = &self.p;
        let ident = self.cont.ident;
        let vis = self.cont.vis;
        let table_path = self.table_type();
        let table = self.table_item(quote!(SCHEMA));
        let reserved_names = self.table_item(quote!(RESERVED));
        let discriminator = self.table_item(quote!(DISCRIMINATOR));
        let table_text = check::type_text(&syn::Type::Path(syn::TypePath {
            qself: None,
            path: table_path.clone(),
        }));
        let name = self.entity_name();
        let Some(templates) = &self.cont.attrs.key_templates else {
            return (TokenStream::new(), TokenStream::new());
        };

        let mut keys = Vec::new();
        let mut checks = Vec::new();
        let mut index_impls = Vec::new();
        let mut declarations = TokenStream::new();
        let mut impls = TokenStream::new();

        // The table's own key: hash then range.
        let owner = format!("table `{table_text}`");
        let hash = parsed(templates.hash.as_ref());
        let range = parsed(templates.range.as_ref());
        let hash_at = keys.len();
        if let Some(hash) = &hash {
            let template = self.template_tokens(hash);
            keys.push(quote! {
                #p::TemplatedKey {
                    attribute: #table.hash_key.name,
                    index: #p::None,
                    role: #p::KeyRole::Partition,
                    template: #template,
                }
            });
        }
        let range_at = range.as_ref().map(|range| {
            let template = self.template_tokens(range);
            keys.push(quote! {
                #p::TemplatedKey {
                    attribute: #p::range_name(#table.range_key),
                    index: #p::None,
                    role: #p::KeyRole::Sort,
                    template: #template,
                }
            });
            keys.len() - 1
        });
        if hash.is_some() {
            checks.push(self.template_check(
                hash_at,
                quote!(#p::Some(#table.hash_key)),
                "hash",
                &owner,
                templates.hash.as_ref().map(Spanned::span),
            ));
        }
        let range_span = templates
            .range
            .as_ref()
            .map_or_else(|| templates.keyword.span(), Spanned::span);
        checks.push(self.template_check_opt(
            range_at,
            quote!(#table.range_key),
            "range",
            &owner,
            range_span,
        ));

        let (partition, sort) = self.args_structs(
            &format_ident!("{}Partition", ident.unraw(), span = ident.span()),
            &format_ident!("{}Sort", ident.unraw(), span = ident.span()),
            templates,
            quote!(#p::Primary),
            &mut declarations,
            &mut impls,
        );
        let range_key = match range_at {
            Some(at) => quote!(#p::Some(<Self as #p::Entity>::ENTITY.keys[#at])),
            None => quote!(#p::None),
        };
        index_impls.push(quote! {
            #[automatically_derived]
            impl #p::EntityIndex<#p::Primary> for #ident {
                type Partition = #partition;
                type Sort = #sort;
                const INDEX_NAME: #p::Option<&'static ::core::primitive::str> = #p::None;
                const GLOBAL: ::core::primitive::bool = false;
                const HASH: #p::TemplatedKey = <Self as #p::Entity>::ENTITY.keys[#hash_at];
                const RANGE: #p::Option<#p::TemplatedKey> = #range_key;
            }
        });

        // Each index.
        for index in &self.cont.attrs.index_templates {
            let Some(marker) = &index.marker else {
                continue;
            };
            let marker_name = marker_ident(marker);
            let marker_text = check::type_text(&syn::Type::Path(syn::TypePath {
                qself: None,
                path: marker.clone(),
            }));
            let schema = respan(quote!(<#marker as #p::TableIndex>::SCHEMA), marker.span());
            let assert_index =
                quote_spanned!(marker.span()=> #p::assert_index_of::<#marker, #table_path>());
            checks.push(quote!(const _: () = #assert_index;));
            let has_hash = index.hash.is_some();
            let kind_check = quote_spanned! {marker.span()=>
                ::core::panic!("{}", __message.as_str())
            };
            checks.push(quote! {
                const _: () = if let #p::Some(__message) =
                    #p::index_kind_error(#schema.kind, #has_hash, #marker_text)
                {
                    #kind_check
                };
            });
            let owner = format!("index `{marker_text}`");
            let index_hash = parsed(index.hash.as_ref());
            let index_range = parsed(index.range.as_ref());
            let hash_key = match &index_hash {
                Some(parsed) => {
                    let template = self.template_tokens(parsed);
                    keys.push(quote! {
                        #p::TemplatedKey {
                            attribute: #schema.hash_key.name,
                            index: #p::Some(#schema.name),
                            role: #p::KeyRole::Partition,
                            template: #template,
                        }
                    });
                    let at = keys.len() - 1;
                    checks.push(self.template_check(
                        at,
                        quote!(#p::Some(#schema.hash_key)),
                        "hash",
                        &owner,
                        index.hash.as_ref().map(Spanned::span),
                    ));
                    at
                }
                // A local index: the table's partition key.
                None => hash_at,
            };
            let range_at = index_range.as_ref().map(|parsed| {
                let template = self.template_tokens(parsed);
                keys.push(quote! {
                    #p::TemplatedKey {
                        attribute: #p::range_name(#schema.range_key),
                        index: #p::Some(#schema.name),
                        role: #p::KeyRole::Sort,
                        template: #template,
                    }
                });
                keys.len() - 1
            });
            let range_span = index
                .range
                .as_ref()
                .map_or_else(|| index.keyword.span(), Spanned::span);
            checks.push(self.template_check_opt(
                range_at,
                quote!(#schema.range_key),
                "range",
                &owner,
                range_span,
            ));
            let (partition, sort) = self.args_structs(
                &format_ident!(
                    "{}{}Partition",
                    ident.unraw(),
                    marker_name,
                    span = ident.span()
                ),
                &format_ident!("{}{}Sort", ident.unraw(), marker_name, span = ident.span()),
                index,
                quote!(#marker),
                &mut declarations,
                &mut impls,
            );
            let range_key = match range_at {
                Some(at) => quote!(#p::Some(<Self as #p::Entity>::ENTITY.keys[#at])),
                None => quote!(#p::None),
            };
            index_impls.push(quote! {
                #[automatically_derived]
                impl #p::EntityIndex<#marker> for #ident {
                    type Partition = #partition;
                    type Sort = #sort;
                    const INDEX_NAME: #p::Option<&'static ::core::primitive::str> =
                        #p::Some(#schema.name);
                    const GLOBAL: ::core::primitive::bool =
                        ::core::matches!(#schema.kind, #p::IndexKind::Global);
                    const HASH: #p::TemplatedKey = <Self as #p::Entity>::ENTITY.keys[#hash_key];
                    const RANGE: #p::Option<#p::TemplatedKey> = #range_key;
                }
            });
        }

        // No field may be stored under a name the table writes itself.
        let reserved = {
            let message = format!(
                "` of `{ident}` is also a key attribute or the discriminator of table `{table_text}`; rename the field with `#[dynamo(rename = \"...\")]`"
            );
            let panic = quote_spanned! {ident.span()=>
                ::core::panic!("{}", #p::ConstMessage::new()
                    .push("the attribute `").push(__name).push(#message).as_str())
            };
            quote! {
                const _: () = {
                    let __names: &'static [&'static ::core::primitive::str] =
                        <#ident as #p::AttributeMap>::ATTRIBUTE_NAMES;
                    if let #p::Some(__i) = #p::first_shared(__names, #reserved_names) {
                        let __name = __names[__i];
                        #panic
                    }
                };
            }
        };
        checks.push(reserved);

        // Spanned at the path, so that a type that is not a declared table is
        // reported there.
        let table_type = respan(quote!(#table_path), table_path.span());
        let partition = format_ident!("{}Partition", ident.unraw(), span = ident.span());
        let partition_doc = format!(
            "The partition of an [`{ident}`]: what `query_partition` and `query_collection` take."
        );
        impls.extend(quote! {
            #[automatically_derived]
            impl #p::Entity for #ident {
                type Table = #table_type;
                const ENTITY: #p::EntitySchema = #p::EntitySchema {
                    name: #name,
                    discriminator: #discriminator,
                    keys: &[#(#keys),*],
                };
            }

            #[automatically_derived]
            impl #p::EntityOf<#table_path> for #ident {}

            #(#index_impls)*

            impl #ident {
                #[doc = #partition_doc]
                #[inline]
                #vis fn partition(__partition: impl #p::Into<#partition>) -> #partition {
                    #p::Into::into(__partition)
                }
            }

            #(#checks)*
        });
        (declarations, impls)
    }

    /// A const check that the template at `keys[at]` fits its key attribute
    /// (type), spanned at the template.
    fn template_check(
        &self,
        at: usize,
        attribute: TokenStream,
        role: &str,
        owner: &str,
        span: Option<Span>,
    ) -> TokenStream {
        let p = &self.p;
        let ident = self.cont.ident;
        let span = span.unwrap_or_else(Span::call_site);
        let panic = quote_spanned!(span=> ::core::panic!("{}", __message.as_str()));
        quote! {
            const _: () = if let #p::Some(__message) = #p::key_template_error(
                #p::Some(&<#ident as #p::Entity>::ENTITY.keys[#at].template),
                #attribute,
                #role,
                #owner,
            ) {
                #panic
            };
        }
    }

    /// As [`template_check`](Self::template_check) for a template that may be
    /// missing (a sort key): also checks that it is there exactly when the
    /// key attribute is.
    fn template_check_opt(
        &self,
        at: Option<usize>,
        attribute: TokenStream,
        role: &str,
        owner: &str,
        span: Span,
    ) -> TokenStream {
        let p = &self.p;
        let ident = self.cont.ident;
        let template = match at {
            Some(at) => quote!(#p::Some(&<#ident as #p::Entity>::ENTITY.keys[#at].template)),
            None => quote!(#p::None),
        };
        let panic = quote_spanned!(span=> ::core::panic!("{}", __message.as_str()));
        quote! {
            const _: () = if let #p::Some(__message) =
                #p::key_template_error(#template, #attribute, #role, #owner)
            {
                #panic
            };
        }
    }

    /// The structs of a key's template fields: `Partition` (the hash
    /// template's) and `Sort` (the range template's, or `NoSort`).
    fn args_structs(
        &self,
        partition: &Ident,
        sort: &Ident,
        templates: &Templates,
        index: TokenStream,
        declarations: &mut TokenStream,
        impls: &mut TokenStream,
    ) -> (TokenStream, TokenStream) {
        let p = &self.p;
        let ident = self.cont.ident;
        // A local index's partition is the table's.
        let partition_ty = if templates.hash.is_none() && templates.marker.is_some() {
            let table_partition = format_ident!("{}Partition", ident.unraw(), span = ident.span());
            self.partition_of(&table_partition, &index, impls);
            quote!(#table_partition)
        } else {
            let fields = self.template_fields(&[templates.hash.as_ref()]);
            let doc = format!("The fields of the partition key template of [`{ident}`].");
            self.args_struct(partition, &fields, &doc, declarations, impls);
            self.partition_of(partition, &index, impls);
            quote!(#partition)
        };
        let sort_ty = if templates.range.is_some() {
            let fields = self.template_fields(&[templates.range.as_ref()]);
            let doc = format!("The fields of the sort key template of [`{ident}`].");
            self.args_struct(sort, &fields, &doc, declarations, impls);
            impls.extend(quote! {
                #[automatically_derived]
                impl #p::SortArgs for #sort {
                    type Fields = Self;
                }
            });
            quote!(#sort)
        } else {
            quote!(#p::NoSort)
        };
        (partition_ty, sort_ty)
    }

    fn partition_of(&self, partition: &Ident, index: &TokenStream, impls: &mut TokenStream) {
        let p = &self.p;
        let ident = self.cont.ident;
        impls.extend(quote! {
            #[automatically_derived]
            impl #p::PartitionOf<#index> for #partition {
                type Entity = #ident;
            }
        });
    }

    /// One struct of template fields, with `KeyArgs` and its `From` impls.
    fn args_struct(
        &self,
        name: &Ident,
        fields: &[&Field<'_>],
        doc: &str,
        declarations: &mut TokenStream,
        impls: &mut TokenStream,
    ) {
        let p = &self.p;
        let vis = self.cont.vis;
        let members: Vec<&Ident> = fields.iter().map(|field| field.ident).collect();
        // A sparse index's `Option` field is given as its value.
        let types: Vec<&Type> = fields
            .iter()
            .map(|field| check::option_inner(&field.ty).unwrap_or(&field.ty))
            .collect();
        let names = fields.iter().map(|field| &field.name);
        let member_docs = fields
            .iter()
            .map(|field| format!("The `{}` field.", field.ident.unraw()));
        declarations.extend(quote_spanned! {self.cont.ident.span()=>
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
            #[doc = #doc]
            #[allow(dead_code)]
            #vis struct #name {
                #(
                    #[doc = #member_docs]
                    pub #members: #types,
                )*
            }
        });
        let writes = members
            .iter()
            .zip(names)
            .map(|(member, name)| quote!(#p::write_key(__out, #name, &self.#member)?;));
        let from = match (members.as_slice(), types.as_slice()) {
            ([_, _, ..], _) => {
                // A tuple of the parts, each as a key argument (`&str` for a `String`).
                let params: Vec<Ident> = (0..members.len())
                    .map(|i| format_ident!("__A{}", i))
                    .collect();
                let index = (0..members.len()).map(syn::Index::from);
                quote! {
                    #[automatically_derived]
                    impl<#(#params: #p::KeyArg<#types>),*> #p::From<(#(#params,)*)> for #name {
                        #[inline]
                        fn from(__args: (#(#params,)*)) -> Self {
                            #name { #(#members: #p::KeyArg::into_key(__args.#index),)* }
                        }
                    }
                }
            }
            _ => from_parts(p, name, &members, &types),
        };
        let borrowed = match (members.as_slice(), types.as_slice()) {
            ([member], [ty]) if check::is_string(ty) => quote! {
                #[automatically_derived]
                impl #p::From<&::core::primitive::str> for #name {
                    #[inline]
                    fn from(__value: &::core::primitive::str) -> Self {
                        #name { #member: #p::From::from(__value) }
                    }
                }

                #[automatically_derived]
                impl #p::From<&#p::String> for #name {
                    #[inline]
                    fn from(__value: &#p::String) -> Self {
                        #name { #member: ::core::clone::Clone::clone(__value) }
                    }
                }
            },
            _ => TokenStream::new(),
        };
        impls.extend(quote! {
            #[automatically_derived]
            impl #p::KeyArgs for #name {
                #[inline]
                fn __write_args(&self, __out: &mut #p::Item) -> #p::Result<(), #p::EncodeError> {
                    #(#writes)*
                    #p::Ok(())
                }
            }

            #from
            #borrowed
        });
    }
}

/// An entity's placeholders: `Entity` and `EntityIndex<Primary>` with an
/// empty partition, so code using the entity finds them.
pub(super) fn fallback(fb: &Fallback<'_>) -> (TokenStream, TokenStream) {
    let p = &fb.p;
    let Some(table) = &fb.attrs.table_type else {
        return (TokenStream::new(), TokenStream::new());
    };
    let ident = fb.ident();
    let vis = &fb.input.vis;
    let partition = format_ident!("{}Partition", ident.unraw(), span = ident.span());
    let declarations = quote! {
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #[allow(dead_code)]
        #vis struct #partition {}
    };
    let impls = quote! {
        impl #p::KeyArgs for #partition {
            fn __write_args(&self, _: &mut #p::Item) -> #p::Result<(), #p::EncodeError> {
                ::core::unreachable!()
            }
        }
        impl #p::Entity for #ident {
            type Table = #table;
            const ENTITY: #p::EntitySchema = #p::EntitySchema {
                name: "",
                discriminator: "",
                keys: &[],
            };
        }
        impl #p::EntityIndex<#p::Primary> for #ident {
            type Partition = #partition;
            type Sort = #p::NoSort;
            const INDEX_NAME: #p::Option<&'static ::core::primitive::str> = #p::None;
            const GLOBAL: ::core::primitive::bool = false;
            const HASH: #p::TemplatedKey = #p::TemplatedKey {
                attribute: "",
                index: #p::None,
                role: #p::KeyRole::Partition,
                template: #p::KeyTemplate { text: "", parts: &[] },
            };
            const RANGE: #p::Option<#p::TemplatedKey> = #p::None;
        }
    };
    (declarations, impls)
}
