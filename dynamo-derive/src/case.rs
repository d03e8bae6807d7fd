//! `#[dynamo(rename_all = "...")]` rules, and the default table name.

use self::RenameRule::*;

/// How `rename_all` rewrites field names (written in `snake_case`) and
/// variant names (written in `PascalCase`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameRule {
    LowerCase,
    UpperCase,
    PascalCase,
    CamelCase,
    SnakeCase,
    ScreamingSnakeCase,
    KebabCase,
}

static RULES: &[(&str, RenameRule)] = &[
    ("lowercase", LowerCase),
    ("UPPERCASE", UpperCase),
    ("PascalCase", PascalCase),
    ("camelCase", CamelCase),
    ("snake_case", SnakeCase),
    ("SCREAMING_SNAKE_CASE", ScreamingSnakeCase),
    ("kebab-case", KebabCase),
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
            LowerCase | SnakeCase => field.to_owned(),
            UpperCase | ScreamingSnakeCase => field.to_ascii_uppercase(),
            PascalCase => {
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
            CamelCase => {
                let pascal = PascalCase.apply_to_field(field);
                lower_first(&pascal)
            }
            KebabCase => field.replace('_', "-"),
        }
    }

    /// A `PascalCase` variant name under this rule.
    pub fn apply_to_variant(self, variant: &str) -> String {
        match self {
            PascalCase => variant.to_owned(),
            LowerCase => variant.to_ascii_lowercase(),
            UpperCase => variant.to_ascii_uppercase(),
            CamelCase => lower_first(variant),
            SnakeCase => snake_case(variant),
            ScreamingSnakeCase => snake_case(variant).to_ascii_uppercase(),
            KebabCase => snake_case(variant).replace('_', "-"),
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

/// `PascalCase` to `snake_case`, keeping acronyms together:
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
            (LowerCase, "date_joined"),
            (UpperCase, "DATE_JOINED"),
            (PascalCase, "DateJoined"),
            (CamelCase, "dateJoined"),
            (SnakeCase, "date_joined"),
            (ScreamingSnakeCase, "DATE_JOINED"),
            (KebabCase, "date-joined"),
        ];
        for (rule, expected) in cases {
            assert_eq!(rule.apply_to_field("date_joined"), expected, "{rule:?}");
        }
        assert_eq!(CamelCase.apply_to_field("id"), "id");
    }

    #[test]
    fn variants() {
        let cases = [
            (LowerCase, "superuser"),
            (UpperCase, "SUPERUSER"),
            (PascalCase, "SuperUser"),
            (CamelCase, "superUser"),
            (SnakeCase, "super_user"),
            (ScreamingSnakeCase, "SUPER_USER"),
            (KebabCase, "super-user"),
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
        assert_eq!(RenameRule::from_name("camelCase"), Some(CamelCase));
        assert_eq!(RenameRule::from_name("bogus"), None);
    }
}
