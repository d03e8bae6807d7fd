//! `#[dynamo(rename_all = "...")]` rules, and the default table name.

use self::RenameRule::*;

/// How `rename_all` rewrites field names (written in `snake_case`) and
/// variant names (written in `PascalCase`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
}

static RULES: &[(&str, RenameRule)] = &[
    ("lowercase", Lower),
    ("UPPERCASE", Upper),
    ("PascalCase", Pascal),
    ("camelCase", Camel),
    ("snake_case", Snake),
    ("SCREAMING_SNAKE_CASE", ScreamingSnake),
    ("kebab-case", Kebab),
];

impl RenameRule {
    pub fn from_name(rule: &str) -> Option<Self> {
        RULES
            .iter()
            .find(|(name, _)| *name == rule)
            .map(|(_, r)| *r)
    }

    /// The accepted spellings, for error messages.
    pub fn expected() -> String {
        let names: Vec<String> = RULES
            .iter()
            .map(|(name, _)| format!("\"{name}\""))
            .collect();
        names.join(", ")
    }

    /// A `snake_case` field name under this rule.
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            Lower | Snake => field.to_owned(),
            Upper | ScreamingSnake => field.to_ascii_uppercase(),
            Pascal => {
                let mut pascal = String::with_capacity(field.len());
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            Camel => {
                let pascal = Pascal.apply_to_field(field);
                lower_first(&pascal)
            }
            Kebab => field.replace('_', "-"),
        }
    }

    /// A `Pascal` variant name under this rule.
    pub fn apply_to_variant(self, variant: &str) -> String {
        match self {
            Pascal => variant.to_owned(),
            Lower => variant.to_ascii_lowercase(),
            Upper => variant.to_ascii_uppercase(),
            Camel => lower_first(variant),
            Snake => snake_case(variant),
            ScreamingSnake => snake_case(variant).to_ascii_uppercase(),
            Kebab => snake_case(variant).replace('_', "-"),
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// `Pascal` to `snake_case`, keeping acronyms together:
/// `UserProfile` → `user_profile`, `HTTPRequest` → `http_request`, `Order2Item` → `order2_item`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut snake = String::with_capacity(name.len() + 4);
    for (i, &ch) in chars.iter().enumerate() {
        if ch.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|c| c.is_lowercase());
            let boundary = prev.is_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_uppercase() && next_is_lower);
            if boundary && prev != '_' {
                snake.push('_');
            }
        }
        snake.extend(ch.to_lowercase());
    }
    snake
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let cases = [
            (Lower, "date_joined"),
            (Upper, "DATE_JOINED"),
            (Pascal, "DateJoined"),
            (Camel, "dateJoined"),
            (Snake, "date_joined"),
            (ScreamingSnake, "DATE_JOINED"),
            (Kebab, "date-joined"),
        ];
        for (rule, expected) in cases {
            assert_eq!(rule.apply_to_field("date_joined"), expected, "{rule:?}");
        }
        assert_eq!(Camel.apply_to_field("id"), "id");
    }

    #[test]
    fn variants() {
        let cases = [
            (Lower, "superuser"),
            (Upper, "SUPERUSER"),
            (Pascal, "SuperUser"),
            (Camel, "superUser"),
            (Snake, "super_user"),
            (ScreamingSnake, "SUPER_USER"),
            (Kebab, "super-user"),
        ];
        for (rule, expected) in cases {
            assert_eq!(rule.apply_to_variant("SuperUser"), expected, "{rule:?}");
        }
    }

    #[test]
    fn table_names() {
        assert_eq!(snake_case("UserProfile"), "user_profile");
        assert_eq!(snake_case("User"), "user");
        assert_eq!(snake_case("HTTPRequest"), "http_request");
        assert_eq!(snake_case("Order2Item"), "order2_item");
        assert_eq!(snake_case("Snake_Case"), "snake_case");
    }

    #[test]
    fn parses_rules() {
        assert_eq!(RenameRule::from_name("camelCase"), Some(Camel));
        assert_eq!(RenameRule::from_name("bogus"), None);
        for name in [
            "lowercase",
            "UPPERCASE",
            "PascalCase",
            "camelCase",
            "snake_case",
            "SCREAMING_SNAKE_CASE",
            "kebab-case",
        ] {
            assert!(RenameRule::from_name(name).is_some(), "{name}");
            assert!(
                RenameRule::expected().contains(&format!("\"{name}\"")),
                "{name}"
            );
        }
    }
}
