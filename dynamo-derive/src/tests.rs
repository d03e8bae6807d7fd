//! The stages called directly with `syn::parse_quote!`: every rule's message,
//! and what the expansion contains.

use syn::{DeriveInput, parse_quote};

use crate::check::{non_key_reason, option_inner, type_text, valid_name};
use crate::expand::{derive_attribute, derive_entities, derive_item, derive_table};

/// The messages of every error, in order.
fn item_errors(input: DeriveInput) -> Vec<String> {
    match derive_item(&input) {
        Ok(_) => Vec::new(),
        Err(err) => err.into_iter().map(|e| e.to_string()).collect(),
    }
}

fn table_errors(input: DeriveInput) -> Vec<String> {
    match derive_table(&input) {
        Ok(_) => Vec::new(),
        Err(err) => err.into_iter().map(|e| e.to_string()).collect(),
    }
}

fn entities_errors(input: DeriveInput) -> Vec<String> {
    match derive_entities(&input) {
        Ok(_) => Vec::new(),
        Err(err) => err.into_iter().map(|e| e.to_string()).collect(),
    }
}

fn attribute_errors(input: DeriveInput) -> Vec<String> {
    match derive_attribute(&input) {
        Ok(_) => Vec::new(),
        Err(err) => err.into_iter().map(|e| e.to_string()).collect(),
    }
}

/// Asserts exactly one error, containing `needle`.
#[track_caller]
fn assert_one(errors: Vec<String>, needle: &str) {
    assert_eq!(
        errors.len(),
        1,
        "expected one error containing {needle:?}, got {errors:#?}"
    );
    assert!(
        errors[0].contains(needle),
        "{:?} does not contain {needle:?}",
        errors[0]
    );
}

fn squash(tokens: impl ToString) -> String {
    tokens.to_string().replace(' ', "")
}

#[test]
fn expands_a_valid_item() {
    let input: DeriveInput = parse_quote! {
        #[dynamo(table = "users", gsi(ByEmail, hash = email, projection = include(name)))]
        pub struct User {
            #[dynamo(hash_key)]
            username: String,
            #[dynamo(range_key)]
            date_joined: i64,
            email: String,
            #[dynamo(rename = "full_name")]
            name: String,
        }
    };
    let code = squash(derive_item(&input).unwrap_or_else(|e| e.into_compile_error()));
    assert!(code.contains("pubstructUserKey{"), "{code}");
    assert!(code.contains("pubstructUserFields{"));
    assert!(code.contains("pubstructByEmail;"));
    assert!(code.contains("::dynamo_orm::__private::HashMap::with_capacity(2usize)"));
    assert!(code.contains("Projection::Include(&[\"full_name\"])"));
    assert!(
        code.contains(
            "pubfnkey(username:impl::dynamo_orm::__private::Into<String>,date_joined:i64)"
        )
    );
    assert!(
        code.contains("\"full_name\"=>__slots[3usize]=::dynamo_orm::__private::Some(__value)"),
        "{code}"
    );
    assert!(code.contains("const_:()="));
    assert!(!code.contains("__rest"), "no flatten, no rest map");
}

#[test]
fn uses_the_crate_path() {
    let input: DeriveInput = parse_quote! {
        #[dynamo(crate = "my::orm")]
        struct Thing {
            #[dynamo(hash_key)]
            id: u64,
        }
    };
    let code = squash(derive_item(&input).unwrap_or_else(|e| e.into_compile_error()));
    assert!(code.contains("my::orm::__private::DynamoItem"));
    assert!(!code.contains("::dynamo_orm"));
    assert!(code.contains("table_name:\"thing\""), "default table name");
}

#[test]
fn hash_key_rules() {
    assert_one(
        item_errors(parse_quote! { struct User { id: String } }),
        "`User` has no hash key",
    );
    assert_one(
        item_errors(parse_quote! {
            struct User { #[dynamo(hash_key)] a: String, #[dynamo(hash_key)] b: String }
        }),
        "a second hash key: `a` is already the hash key",
    );
    assert_one(
        item_errors(parse_quote! {
            struct User {
                #[dynamo(hash_key)] a: String,
                #[dynamo(range_key)] b: i64,
                #[dynamo(range_key)] c: i64,
            }
        }),
        "a second range key",
    );
    assert_one(
        item_errors(parse_quote! { struct User { #[dynamo(hash_key, skip)] a: String } }),
        "the hash key cannot be `skip`ped",
    );
    assert_one(
        item_errors(parse_quote! { struct User { #[dynamo(hash_key, default)] a: String } }),
        "the hash key cannot have a `default`",
    );
    assert_one(
        item_errors(parse_quote! { struct User { #[dynamo(hash_key, with = m)] a: String } }),
        "the hash key cannot use `with`",
    );
    // A misspelt key is the only error: the missing hash key may be that field.
    assert_one(
        item_errors(parse_quote! { struct User { #[dynamo(hashkey)] a: String } }),
        "did you mean `hash_key`?",
    );
}

#[test]
fn key_types() {
    for (ty, reason) in [
        (quote::quote!(bool), "booleans"),
        (
            quote::quote!(Option<String>),
            "a table key is always present",
        ),
        (quote::quote!(HashMap<String, u8>), "maps"),
        (quote::quote!(BTreeSet<u8>), "sets"),
        (quote::quote!((String, u8)), "tuples"),
    ] {
        let input: DeriveInput = parse_quote! { struct User { #[dynamo(hash_key)] id: #ty } };
        assert_one(item_errors(input), reason);
    }
    // Left to `KeyScalar`, which accepts what implements it, whatever the
    // spelling: `[u8; 16]` and `Vec<Byte>` (`type Byte = u8`) are binary keys.
    for ty in [
        quote::quote!(Vec<u8>),
        quote::quote!(Vec<Byte>),
        quote::quote!([u8; 16]),
        quote::quote!(Vec<String>),
        quote::quote!(String),
        quote::quote!(MyId),
    ] {
        let input: DeriveInput = parse_quote! { struct User { #[dynamo(hash_key)] id: #ty } };
        assert!(
            item_errors(input).is_empty(),
            "{ty} is accepted (or left to `KeyScalar`)"
        );
    }
    let ty: syn::Type = parse_quote!(std::vec::Vec<::core::primitive::u8>);
    assert_eq!(non_key_reason(&ty), None);
    assert!(option_inner(&parse_quote!(Option<String>)).is_some());
    assert!(option_inner(&parse_quote!(String)).is_none());

    // A secondary index key may be an `Option` of a scalar: a sparse index.
    let sparse: DeriveInput = parse_quote! {
        #[dynamo(gsi(ByEmail, hash = email), gsi(ByTag, hash = tag))]
        struct User { #[dynamo(hash_key)] id: String, email: Option<String>, tag: Option<bool> }
    };
    assert_one(
        item_errors(sparse),
        "field `tag`: `bool` cannot be a key attribute",
    );
}

#[test]
fn version_and_ttl_rules() {
    // The types are checked by `VersionNumber` / `TimeToLive` bounds, spanned
    // at the field: an alias of an integer is a fine version.
    assert!(
        item_errors(parse_quote! {
            struct User { #[dynamo(hash_key)] id: String, #[dynamo(version)] v: Version }
        })
        .is_empty()
    );
    assert_one(
        item_errors(parse_quote! {
            struct User {
                #[dynamo(hash_key)] id: String,
                #[dynamo(version)] v: u64,
                #[dynamo(version)] w: u64,
            }
        }),
        "a second `version` field: field `v`",
    );
    assert_one(
        item_errors(parse_quote! {
            struct User { #[dynamo(hash_key)] id: String, #[dynamo(ttl)] a: i64, #[dynamo(ttl)] b: i64 }
        }),
        "a second `ttl` field",
    );
    for ty in [
        quote::quote!(i64),
        quote::quote!(std::time::SystemTime),
        quote::quote!(Option<u32>),
        quote::quote!(Option<SystemTime>),
    ] {
        let input: DeriveInput = parse_quote! {
            struct User { #[dynamo(hash_key)] id: String, #[dynamo(ttl)] t: #ty }
        };
        assert!(item_errors(input).is_empty(), "{ty} is a TTL type");
    }
    let input: DeriveInput = parse_quote! {
        struct User { #[dynamo(hash_key)] id: String, #[dynamo(version)] v: u8, #[dynamo(ttl)] t: i64 }
    };
    let code = squash(derive_item(&input).unwrap_or_else(|e| e.into_compile_error()));
    assert!(
        code.contains("<u8as::dynamo_orm::__private::VersionNumber>::MAX"),
        "{code}"
    );
    assert!(code.contains("assert_time_to_live::<i64>()"));
}

#[test]
fn attribute_syntax() {
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(tabel = "users")]
            struct User { #[dynamo(hash_key)] id: String }
        }),
        "unknown `dynamo` attribute `tabel` on a struct; did you mean `table`?",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(shards = 3)]
            struct User { #[dynamo(hash_key)] id: String }
        }),
        "expected one of: table, rename_all, crate, gsi, lsi, key, key_fn, fields",
    );
    assert_one(
        item_errors(parse_quote! {
            struct User { #[dynamo(hash_key)] id: String, #[dynamo(rename = "a", rename = "b")] x: u8 }
        }),
        "duplicate `rename` attribute",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = "users")]
            #[dynamo(table = "people")]
            struct User { #[dynamo(hash_key)] id: String }
        }),
        "duplicate `table` attribute",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = 5)]
            struct User { #[dynamo(hash_key)] id: String }
        }),
        "expected a table name `table = \"users\"`, or the type of a shared table `table = App`",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(rename_all = "bogus")]
            struct User { #[dynamo(hash_key)] id: String }
        }),
        "unknown `rename_all` rule \"bogus\"",
    );
    assert_one(
        item_errors(parse_quote! {
            struct User { #[dynamo(hash_key)] id: String, #[dynamo(skip = true)] x: u8 }
        }),
        "`skip` takes no value",
    );
    assert_one(
        item_errors(parse_quote! {
            struct User { #[dynamo(hash_key)] id: String, #[dynamo(rename)] x: u8 }
        }),
        "`rename` needs a value",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(crate = "not a path")]
            struct User { #[dynamo(hash_key)] id: String }
        }),
        "expected the path of the dynamo-orm crate",
    );
}

#[test]
fn names() {
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = "a b")]
            struct User { #[dynamo(hash_key)] id: String }
        }),
        "invalid DynamoDB table name",
    );
    assert_one(
        item_errors(parse_quote! { struct Ab { #[dynamo(hash_key)] id: String } }),
        "the default table name \"ab\"",
    );
    assert_one(
        item_errors(parse_quote! {
            struct User { #[dynamo(hash_key)] id: String, #[dynamo(rename = "")] x: u8 }
        }),
        "`rename` needs a non-empty name",
    );
    assert_one(
        item_errors(parse_quote! {
            struct User { #[dynamo(hash_key)] id: String, #[dynamo(rename = "id")] x: u8 }
        }),
        "field `x` is stored as \"id\", like field `id`",
    );
    // Collisions are checked after `rename_all`.
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(rename_all = "camelCase")]
            #[allow(non_snake_case)]
            struct User { #[dynamo(hash_key)] user_id: String, userId: u8 }
        }),
        "stored as \"userId\"",
    );
    assert_eq!(valid_name("users"), Ok(()));
    assert_eq!(valid_name("my-table.v2_x"), Ok(()));
    assert!(valid_name("ab").is_err());
    assert!(valid_name(&"x".repeat(256)).is_err());
    assert!(valid_name("tâble").is_err());
}

#[test]
fn field_combinations() {
    for (attrs, needle) in [
        (
            quote::quote!(skip, rename = "x"),
            "`rename` cannot be combined with `skip`",
        ),
        (
            quote::quote!(skip, default),
            "`default` cannot be combined with `skip`",
        ),
        (
            quote::quote!(skip, with = m),
            "`with` cannot be combined with `skip`",
        ),
        (
            quote::quote!(flatten, rename = "x"),
            "`rename` cannot be combined with `flatten`",
        ),
        (
            quote::quote!(flatten, with = m),
            "`with` cannot be combined with `flatten`",
        ),
    ] {
        let input: DeriveInput = parse_quote! {
            struct User { #[dynamo(hash_key)] id: String, #[dynamo(#attrs)] x: Inner }
        };
        assert_one(item_errors(input), needle);
    }
}

#[test]
fn index_rules() {
    let item = |attr: proc_macro2::TokenStream| -> DeriveInput {
        parse_quote! {
            #[dynamo(#attr)]
            struct User {
                #[dynamo(hash_key)] id: String,
                #[dynamo(range_key)] at: i64,
                email: String,
                tags: Vec<String>,
                flag: bool,
                #[dynamo(skip)] cache: u8,
            }
        }
    };
    let cases = [
        (
            quote::quote!(gsi(ByEmail, hash = mail)),
            "no field `mail` in `User`",
        ),
        (
            quote::quote!(gsi(ByFlag, hash = flag)),
            "field `flag`: `bool` cannot be a key attribute",
        ),
        (
            quote::quote!(gsi(ByCache, hash = cache)),
            "field `cache` is `skip`ped",
        ),
        (
            quote::quote!(gsi(ByEmail, range = email)),
            "needs its hash key",
        ),
        (
            quote::quote!(lsi(ByEmail, hash = id, range = email)),
            "shares the table's hash key",
        ),
        (quote::quote!(lsi(ByEmail)), "needs its range key"),
        (
            quote::quote!(gsi(hash = email)),
            "needs the name of its marker type first",
        ),
        (
            quote::quote!(gsi(ByEmail, hash = email, colour = red)),
            "expected one of: hash, range, name, projection",
        ),
        (
            quote::quote!(gsi(ByEmail, hash = email, projection = include(nope))),
            "`include` names `nope`",
        ),
        (
            quote::quote!(gsi(ByEmail, hash = email, projection = some)),
            "expected `all`, `keys_only` or `include",
        ),
        (
            quote::quote!(gsi(ByEmail, hash = email, name = "x")),
            "invalid DynamoDB index name",
        ),
        (
            quote::quote!(gsi(ByEmail, hash = email), gsi(ByEmail, hash = id)),
            "index marker `ByEmail` is declared twice",
        ),
        (
            quote::quote!(
                gsi(A1, hash = email, name = "idx"),
                gsi(B1, hash = id, name = "idx")
            ),
            "two indexes are named \"idx\"",
        ),
        (
            quote::quote!(gsi(User, hash = email)),
            "needs a name of its own",
        ),
        (quote::quote!(gsi = "x"), "expected a list"),
    ];
    for (attr, needle) in cases {
        assert_one(item_errors(item(attr)), needle);
    }
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(lsi(ByEmail, range = email))]
            struct User { #[dynamo(hash_key)] id: String, email: String }
        }),
        "needs a table with a range key",
    );
    assert!(
        item_errors(item(quote::quote!(
            gsi(
                ByEmail,
                hash = email,
                range = at,
                name = "by-email",
                projection = keys_only
            ),
            lsi(ByEmailLocal, range = email, projection = include(tags))
        )))
        .is_empty()
    );
}

#[test]
fn shapes() {
    assert_one(
        item_errors(parse_quote! { struct User(String); }),
        "tuple structs are not supported",
    );
    assert_one(
        item_errors(parse_quote! { struct User; }),
        "unit structs are not supported",
    );
    assert_one(
        item_errors(parse_quote! { union U { a: u8 } }),
        "does not support unions",
    );
    assert_one(
        item_errors(parse_quote! { enum Role { A } }),
        "derive `DynamoAttribute` for an enum",
    );
    assert_one(
        item_errors(parse_quote! { struct Wrapper<T> { #[dynamo(hash_key)] id: T } }),
        "the hash key of a generic struct needs a concrete type, not `T`",
    );
    assert_one(
        item_errors(parse_quote! { struct Borrowed<'a> { #[dynamo(hash_key)] id: &'a str } }),
        "does not support lifetime parameters",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(gsi(ByBody, hash = body))]
            struct Envelope<T> { #[dynamo(hash_key)] id: String, body: T }
        }),
        "an index key of a generic struct needs a concrete type, not `T` (field `body`)",
    );
    assert!(
        item_errors(parse_quote! {
            #[dynamo(gsi(ByKind, hash = kind))]
            struct Envelope<T> { #[dynamo(hash_key)] id: String, kind: String, body: Vec<T> }
        })
        .is_empty()
    );
    assert_one(
        attribute_errors(parse_quote! { enum Role<T> { A } }),
        "it cannot be generic",
    );
    assert_one(
        attribute_errors(parse_quote! { enum Shape { Circle { r: f64 }, Dot } }),
        "variant `Circle` has data",
    );
    assert_one(
        attribute_errors(parse_quote! { enum Never {} }),
        "at least one variant",
    );
    assert!(
        attribute_errors(parse_quote! { enum Role { Admin, #[dynamo(rename = "x")] User } })
            .is_empty()
    );
    assert_one(
        attribute_errors(parse_quote! { enum Role { A, #[dynamo(rename = "A")] B } }),
        "variant `B` is stored as \"A\", like variant `A`",
    );
}

#[test]
fn item_only_attributes_on_dynamo_attribute() {
    for (field_attr, key) in [
        (quote::quote!(hash_key), "hash_key"),
        (quote::quote!(range_key), "range_key"),
        (quote::quote!(version), "version"),
        (quote::quote!(ttl), "ttl"),
    ] {
        let input: DeriveInput =
            parse_quote! { struct Address { #[dynamo(#field_attr)] city: u64 } };
        assert_one(
            attribute_errors(input),
            &format!("`{key}` is only allowed with `#[derive(DynamoItem)]`"),
        );
    }
    for container in [
        quote::quote!(table = "x"),
        quote::quote!(gsi(A, hash = city)),
        quote::quote!(key = K),
    ] {
        let input: DeriveInput =
            parse_quote! { #[dynamo(#container)] struct Address { city: String } };
        assert_one(
            attribute_errors(input),
            "is only allowed with `#[derive(DynamoItem)]`",
        );
    }
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(projection_of = User)]
            struct Summary { #[dynamo(hash_key)] id: String }
        }),
        "`projection_of` is only allowed with `#[derive(DynamoAttribute)]`",
    );
}

#[test]
fn projections() {
    assert_one(
        attribute_errors(parse_quote! {
            #[dynamo(projection_of = User)]
            struct Summary { #[dynamo(rename = "n")] name: String }
        }),
        "`rename` cannot be used in a `projection_of = User` struct",
    );
    assert_one(
        attribute_errors(parse_quote! {
            #[dynamo(projection_of = User, rename_all = "camelCase")]
            struct Summary { name: String }
        }),
        "`rename_all` cannot be combined with `projection_of`",
    );
    let input: DeriveInput = parse_quote! {
        #[dynamo(projection_of = User)]
        struct Summary { name: String, #[dynamo(skip)] loaded: bool }
    };
    let code = squash(derive_attribute(&input).unwrap_or_else(|e| e.into_compile_error()));
    assert!(
        code.contains("<UserasHasFields>::FIELDS.name")
            || code.contains("<Useras::dynamo_orm::__private::HasFields>::FIELDS.name"),
        "{code}"
    );
    assert!(
        code.contains("implProjectionOf<User>forSummary")
            || code.contains("::dynamo_orm::__private::ProjectionOf<User>forSummary")
    );
}

#[test]
fn reports_every_mistake_at_once() {
    let errors = item_errors(parse_quote! {
        #[dynamo(table = "u", rename_all = "Title Case")]
        #[dynamo(gsi(ByEmail, hash = mail))]
        struct User {
            #[dynamo(hash_key)] username: String,
            #[dynamo(hash_key)] email: String,
            #[dynamo(version, with = m)] version: u64,
            #[dynamo(nickname = "nick")] nickname: Option<String>,
            #[dynamo(skip, rename = "cache")] cache: Option<String>,
        }
    });
    assert_eq!(errors.len(), 7, "{errors:#?}");
}

#[test]
fn types_print_as_written() {
    assert_eq!(type_text(&parse_quote!(Vec<String>)), "Vec<String>");
    assert_eq!(
        type_text(&parse_quote!(HashMap<String, Vec<u8>>)),
        "HashMap<String, Vec<u8>>"
    );
    assert_eq!(type_text(&parse_quote!(&'static str)), "&'static str");
    assert_eq!(type_text(&parse_quote!([u8; 4])), "[u8; 4]");
    assert_eq!(
        type_text(&parse_quote!(std::time::SystemTime)),
        "std::time::SystemTime"
    );
}

#[test]
fn readable_from_indexes_that_cover_the_required_fields() {
    let input: DeriveInput = parse_quote! {
        #[dynamo(gsi(Covered, hash = email, projection = include(name)))]
        #[dynamo(gsi(Short, hash = email, projection = keys_only))]
        #[dynamo(gsi(Everything, hash = email))]
        #[dynamo(gsi(NoAudit, hash = email, projection = include(name, nick)))]
        struct User {
            #[dynamo(hash_key)] id: String,
            email: String,
            name: String,
            nick: Option<String>,
            tags: HashSet<String>,
            #[dynamo(default)] logins: u64,
            #[dynamo(version)] v: u64,
            #[dynamo(skip)] cache: u8,
        }
    };
    let code = squash(derive_item(&input).unwrap_or_else(|e| e.into_compile_error()));
    let readable = |marker: &str| code.contains(&format!("ReadableFrom<{marker}>forUser"));
    assert!(readable("Covered"), "keys + name: every required field");
    assert!(!readable("Short"), "`name` is missing");
    assert!(readable("Everything"), "projection `all`");

    let input: DeriveInput = parse_quote! {
        #[dynamo(gsi(ByEmail, hash = email, projection = include(note)))]
        struct User {
            #[dynamo(hash_key)] id: String,
            email: String,
            #[dynamo(with = m)] note: Option<String>,
            #[dynamo(flatten)] audit: Audit,
        }
    };
    let code = squash(derive_item(&input).unwrap_or_else(|e| e.into_compile_error()));
    assert!(
        !code.contains("ReadableFrom<ByEmail>forUser"),
        "a flattened field is required and never projected by name"
    );
}

#[test]
fn key_fn_and_bound_attributes() {
    let input: DeriveInput = parse_quote! {
        #[dynamo(key_fn = key_of)]
        struct User { #[dynamo(hash_key)] id: String }
    };
    let code = squash(derive_item(&input).unwrap_or_else(|e| e.into_compile_error()));
    assert!(
        code.contains("fnkey_of(id:impl::dynamo_orm::__private::Into<String>)"),
        "{code}"
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(key_fn = "key_of")]
            struct User { #[dynamo(hash_key)] id: String }
        }),
        "expected a name: `key_fn = key_of`",
    );
    assert_one(
        attribute_errors(parse_quote! { #[dynamo(key_fn = k)] struct Address { city: String } }),
        "`key_fn` is only allowed with `#[derive(DynamoItem)]`",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(bound = "T: Clone")]
            struct User { #[dynamo(hash_key)] id: String }
        }),
        "`bound` is for generic types",
    );
    let input: DeriveInput = parse_quote! {
        #[dynamo(bound = "T: Custom")]
        struct Envelope<T> { #[dynamo(hash_key)] id: String, body: T }
    };
    let code = squash(derive_item(&input).unwrap_or_else(|e| e.into_compile_error()));
    assert!(code.contains("whereT:Custom,"), "{code}");
    assert!(!code.contains("T:::dynamo_orm::__private::IntoAttribute"));
    let input: DeriveInput = parse_quote! {
        struct Envelope<T> { #[dynamo(hash_key)] id: String, body: Vec<T>, #[dynamo(skip)] cache: Option<T> }
    };
    let code = squash(derive_item(&input).unwrap_or_else(|e| e.into_compile_error()));
    assert!(code.contains(
        "T:::dynamo_orm::__private::IntoAttribute+::dynamo_orm::__private::FromAttribute+::dynamo_orm::__private::AttrKind"
    ));
    assert!(code.contains("Option<T>:::dynamo_orm::__private::Default"));
}

#[test]
fn expands_an_entity_through_templates() {
    let input: DeriveInput = parse_quote! {
        #[dynamo(table = App, entity = "Order", key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
        #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{created_at}#{order_id}"))]
        pub struct Order {
            username: String,
            order_id: String,
            status: String,
            created_at: Option<i64>,
        }
    };
    let code = squash(derive_item(&input).unwrap_or_else(|e| e.into_compile_error()));
    assert!(code.contains("pubstructOrderKey{"), "{code}");
    assert!(code.contains("pubstructOrderPartition{"));
    assert!(code.contains("pubstructOrderSort{"));
    assert!(code.contains("pubstructOrderGsi1Partition{"));
    assert!(code.contains("pubstructOrderGsi1Sort{"));
    assert!(code.contains("name:\"Order\""));
    assert!(code.contains("TemplatePart::Literal(\"USER#\")"));
    // The key fields are the table key's template fields, not updatable.
    assert!(
        code.contains(
            "username:::dynamo_orm::__private::Field<String,::dynamo_orm::__private::Key>"
        )
    );
    assert!(code.contains("status:::dynamo_orm::__private::Field<String>"));
    // A sparse index's field is given as its value.
    assert!(code.contains("pubcreated_at:i64"), "{code}");
    assert!(code.contains("entity_to_item(self)"));
    assert!(code.contains("entity_from_item(__item)"));
}

#[test]
fn entity_rules() {
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = App, key(hash = "USER#{username}"))]
            struct User { #[dynamo(range_key)] username: String }
        }),
        "has no `range_key` field: its keys are rendered from templates",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = App)]
            struct User { username: String }
        }),
        "needs its key templates",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = App, key(range = "PROFILE"))]
            struct User { username: String }
        }),
        "`key(...)` needs the partition key template",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = App, key(hash = "USER#{username}"), lsi(ByDate, range = day))]
            struct User { username: String, day: String }
        }),
        "the indexes of an entity are declared on its table `App`",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = App, key(hash = "USER#{username}"))]
            #[dynamo(index(Gsi1, hash = "A#{a}"), index(Gsi1, hash = "B#{a}"))]
            struct User { username: String, a: String }
        }),
        "`index(Gsi1, ...)` is given twice",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = App, key(hash = "USER#{version}"))]
            struct User { #[dynamo(version)] version: u64 }
        }),
        "the `version`: a key cannot change",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = App, key(hash = "USER#{tags}"))]
            struct User { tags: std::collections::HashSet<String> }
        }),
        "sets are not scalars",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = App, key(hash = "USER#{meta}"))]
            struct User { #[dynamo(flatten)] meta: Meta }
        }),
        "which is `flatten`ed",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = App, key(hash = "USER#{username}"))]
            struct User<T> { username: String, body: T }
        }),
        "an entity of a shared table cannot be generic",
    );
    assert_one(
        item_errors(parse_quote! {
            #[dynamo(table = "users", entity = "User")]
            struct User { #[dynamo(hash_key)] username: String }
        }),
        "`entity` names an entity of a shared table",
    );
    // A sparse index may take an `Option`; the table's key may not.
    assert!(
        item_errors(parse_quote! {
            #[dynamo(table = App, key(hash = "USER#{username}"), index(Gsi1, hash = "X#{x}"))]
            struct User { username: String, x: Option<String> }
        })
        .is_empty()
    );
}

#[test]
fn table_rules() {
    assert_one(
        table_errors(parse_quote! {
            #[dynamo(table = "app")]
            struct App { #[dynamo(hash_key)] pk: String, extra: String }
        }),
        "field `extra` is not a key of the table or of an index",
    );
    assert_one(
        table_errors(parse_quote! {
            #[dynamo(table = "app", gsi(Gsi1, hash = g))]
            struct App { #[dynamo(hash_key)] pk: String, g: Option<String> }
        }),
        "a table's index key attribute has a type, not an `Option`",
    );
    assert_one(
        table_errors(parse_quote! {
            #[dynamo(table = "app")]
            struct App { #[dynamo(hash_key)] pk: String, #[dynamo(version)] v: u64 }
        }),
        "`version` is not allowed on a `DynamoTable` field",
    );
    assert_one(
        table_errors(parse_quote! {
            #[dynamo(table = "app", discriminator = "pk")]
            struct App { #[dynamo(hash_key)] pk: String }
        }),
        "the discriminator \"pk\" is also the key attribute `pk`",
    );
    assert_one(
        table_errors(parse_quote! {
            #[dynamo(table = App)]
            struct App { #[dynamo(hash_key)] pk: String }
        }),
        "a `DynamoTable` names its DynamoDB table with a string",
    );
    assert_one(
        table_errors(parse_quote! {
            #[dynamo(table = "app", provisioned(read = 0, write = 5))]
            struct App { #[dynamo(hash_key)] pk: String }
        }),
        "capacity units are a whole number from 1",
    );
    assert_one(
        table_errors(parse_quote! {
            #[dynamo(table = "app")]
            struct App { #[dynamo(hash_key)] pk: String, #[dynamo(hash_key)] pk2: String }
        }),
        "a second hash key",
    );
    let input: DeriveInput = parse_quote! {
        #[dynamo(table = "app", discriminator = "kind", provisioned(read = 3, write = 2))]
        #[dynamo(gsi(Gsi1, hash = gsi1pk, projection = include(status)))]
        pub struct App { #[dynamo(hash_key)] pk: String, gsi1pk: String }
    };
    let code = squash(derive_table(&input).unwrap_or_else(|e| e.into_compile_error()));
    assert!(code.contains("pubstructAppKey{"), "{code}");
    assert!(code.contains("pubstructGsi1;"));
    assert!(code.contains("DISCRIMINATOR:&'static::core::primitive::str=\"kind\""));
    assert!(code.contains("Billing::Provisioned{read:3,write:2}"));
    assert!(code.contains("Projection::Include(&[\"status\"])"));
    assert!(code.contains("&[\"pk\",\"gsi1pk\",\"kind\"]"), "{code}");
    assert!(!code.contains("AllAttributesforGsi1"));
}

#[test]
fn entities_rules() {
    assert_one(
        entities_errors(parse_quote! {
            #[dynamo(table = App)]
            enum AppItem { User(User), Pair(A, B) }
        }),
        "each variant holds one entity: `Pair(Pair)`",
    );
    assert_one(
        entities_errors(parse_quote! {
            enum AppItem { User(User) }
        }),
        "needs its table: `#[dynamo(table = App)]`",
    );
    assert_one(
        entities_errors(parse_quote! {
            #[dynamo(table = App)]
            enum AppItem { #[dynamo(other)] A(Document), #[dynamo(other)] B(Document) }
        }),
        "a second `other` variant",
    );
    assert_one(
        entities_errors(parse_quote! {
            #[dynamo(table = App)]
            enum AppItem { Raw(User) }
        }),
        "clashes with the generated key's `Raw`",
    );
    assert_one(
        entities_errors(parse_quote! {
            #[dynamo(table = "app")]
            enum AppItem { User(User) }
        }),
        "a `DynamoEntities` enum names its table type",
    );
    assert_one(
        entities_errors(parse_quote! {
            #[dynamo(table = App)]
            struct AppItem { user: User }
        }),
        "needs an enum with one variant per entity",
    );
    let code = squash(
        derive_entities(&parse_quote! {
            #[dynamo(table = App)]
            pub enum AppItem { User(User), OrderLine(OrderLine), #[dynamo(other)] Other(Document) }
        })
        .unwrap_or_else(|e| e.into_compile_error()),
    );
    assert!(code.contains("pubenumAppItemKey{"), "{code}");
    assert!(code.contains("pubstructAppItemGroups{"));
    assert!(code.contains("puborder_line:"));
    assert!(code.contains("keeps_others:true"));
}
