//! The typed model of the input: the struct's fields or the enum's variants with
//! their parsed attributes and stored names, keeping references to the user's
//! tokens for spans.

use proc_macro2::{Group, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Data as SynData, DeriveInput, Fields, Generics, Ident, Type, Visibility};

use crate::attr::{self, Derive};
use crate::ctxt::Ctxt;

pub struct Container<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub generics: &'a Generics,
    pub attrs: attr::Container,
    pub data: Data<'a>,
    pub derive: Derive,
}

pub enum Data<'a> {
    Struct(Vec<Field<'a>>),
    Enum(Vec<Variant<'a>>),
}

pub struct Field<'a> {
    pub ident: &'a Ident,
    /// The field's type, with `Self` replaced by the type's name: the generated
    /// companion types and constants sit outside the type's impls.
    pub ty: Type,
    pub attrs: attr::Field,
    /// The attribute name it is stored under (`rename`, else `rename_all` of the field name).
    /// Meaningless for `skip` and `flatten` fields, which have no attribute of their own.
    pub name: String,
}

pub struct Variant<'a> {
    pub ident: &'a Ident,
    pub attrs: attr::Variant,
    /// The string it is stored as.
    pub name: String,
}

impl<'a> Container<'a> {
    /// The model, or `None` when the input has a shape the derive cannot handle
    /// (the error is in `cx`).
    pub fn from_ast(cx: &Ctxt, input: &'a DeriveInput, derive: Derive) -> Option<Self> {
        let attrs = attr::Container::from_ast(cx, &input.attrs, derive);
        let rename_all = attrs.rename_all.as_ref().map(|rule| rule.value);
        let data = match &input.data {
            SynData::Struct(data) => match &data.fields {
                Fields::Named(fields) => Data::Struct(
                    fields
                        .named
                        .iter()
                        .filter_map(|field| {
                            let ident = field.ident.as_ref()?;
                            let attrs = attr::Field::from_ast(cx, &field.attrs, derive);
                            let name = match &attrs.rename {
                                Some(rename) => rename.value.value(),
                                None => {
                                    let name = ident.unraw().to_string();
                                    match rename_all {
                                        Some(rule) => rule.apply_to_field(&name),
                                        None => name,
                                    }
                                }
                            };
                            Some(Field {
                                ident,
                                ty: replace_self(&field.ty, &input.ident, &input.generics),
                                attrs,
                                name,
                            })
                        })
                        .collect(),
                ),
                Fields::Unnamed(fields) => {
                    cx.error_spanned_by(
                        fields,
                        format!(
                            "`#[derive({})]` needs a struct with named fields; tuple structs are not supported",
                            derive.name()
                        ),
                    );
                    return None;
                }
                Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        format!(
                            "`#[derive({})]` needs a struct with named fields; unit structs are not supported",
                            derive.name()
                        ),
                    );
                    return None;
                }
            },
            SynData::Enum(data) => {
                if derive == Derive::Table {
                    cx.error_spanned_by(
                        data.enum_token,
                        "`#[derive(DynamoTable)]` needs a struct whose fields are the table's key attributes",
                    );
                    return None;
                }
                if derive == Derive::Item {
                    cx.error_spanned_by(
                        data.enum_token,
                        "`#[derive(DynamoItem)]` needs a struct with named fields; derive `DynamoAttribute` for an enum of unit variants",
                    );
                    return None;
                }
                if data.variants.is_empty() {
                    cx.error_spanned_by(
                        &input.ident,
                        "`#[derive(DynamoAttribute)]` needs at least one variant",
                    );
                    return None;
                }
                let mut variants = Vec::with_capacity(data.variants.len());
                for variant in &data.variants {
                    if !matches!(variant.fields, Fields::Unit) {
                        cx.error_spanned_by(
                            &variant.fields,
                            format!(
                                "`#[derive(DynamoAttribute)]` supports enums of unit variants only (stored as strings); variant `{}` has data",
                                variant.ident
                            ),
                        );
                        continue;
                    }
                    let attrs = attr::Variant::from_ast(cx, &variant.attrs);
                    let name = match &attrs.rename {
                        Some(rename) => rename.value.value(),
                        None => {
                            let name = variant.ident.unraw().to_string();
                            match rename_all {
                                Some(rule) => rule.apply_to_variant(&name),
                                None => name,
                            }
                        }
                    };
                    variants.push(Variant {
                        ident: &variant.ident,
                        attrs,
                        name,
                    });
                }
                if variants.len() != data.variants.len() {
                    return None;
                }
                Data::Enum(variants)
            }
            SynData::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    format!(
                        "`#[derive({})]` does not support unions; use a struct with named fields",
                        derive.name()
                    ),
                );
                return None;
            }
        };
        Some(Container {
            ident: &input.ident,
            vis: &input.vis,
            generics: &input.generics,
            attrs,
            data,
            derive,
        })
    }

    pub fn fields(&self) -> &[Field<'a>] {
        match &self.data {
            Data::Struct(fields) => fields,
            Data::Enum(_) => &[],
        }
    }

    pub fn field(&self, ident: &Ident) -> Option<&Field<'a>> {
        self.fields()
            .iter()
            .find(|field| field.ident.unraw() == ident.unraw())
    }

    pub fn hash_key(&self) -> Option<&Field<'a>> {
        self.fields()
            .iter()
            .find(|field| field.attrs.hash_key.is_some())
    }

    pub fn range_key(&self) -> Option<&Field<'a>> {
        self.fields()
            .iter()
            .find(|field| field.attrs.range_key.is_some())
    }

    pub fn version(&self) -> Option<&Field<'a>> {
        self.fields()
            .iter()
            .find(|field| field.attrs.version.is_some())
    }

    pub fn ttl(&self) -> Option<&Field<'a>> {
        self.fields().iter().find(|field| field.attrs.ttl.is_some())
    }
}

impl Field<'_> {
    /// Whether the field has an attribute of its own in the item.
    pub fn is_stored(&self) -> bool {
        self.attrs.skip.is_none() && self.attrs.flatten.is_none()
    }

    /// Whether the field is the table's hash or range key.
    pub fn is_table_key(&self) -> bool {
        self.attrs.hash_key.is_some() || self.attrs.range_key.is_some()
    }
}

/// `ty` with each `Self` replaced by the type's name and generic arguments
/// (`Vec<Self>` becomes `Vec<Node>`, or `Vec<Node::<T>>` in a generic `Node<T>`).
fn replace_self(ty: &Type, ident: &Ident, generics: &Generics) -> Type {
    fn replace(tokens: TokenStream, with: &TokenStream) -> (TokenStream, bool) {
        let mut replaced_any = false;
        let mut out = TokenStream::new();
        for token in tokens {
            match token {
                TokenTree::Ident(found) if found == "Self" => {
                    replaced_any = true;
                    out.extend(with.clone().into_iter().map(|mut token| {
                        token.set_span(found.span());
                        token
                    }));
                }
                TokenTree::Group(group) => {
                    let (stream, replaced) = replace(group.stream(), with);
                    replaced_any |= replaced;
                    let mut new_group = Group::new(group.delimiter(), stream);
                    new_group.set_span(group.span());
                    out.extend([TokenTree::Group(new_group)]);
                }
                other => out.extend([other]),
            }
        }
        (out, replaced_any)
    }
    let (_, ty_generics, _) = generics.split_for_impl();
    let turbofish = ty_generics.as_turbofish();
    let with = quote::quote!(#ident #turbofish);
    match replace(ty.to_token_stream(), &with) {
        (tokens, true) => syn::parse2(tokens).unwrap_or_else(|_| ty.clone()),
        (_, false) => ty.clone(),
    }
}
