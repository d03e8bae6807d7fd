//! Key templates of entities (`"USER#{username}"`): parsed into literal
//! parts and field names, with the mistakes the derive reports at the
//! template (unbalanced braces, empty fields, two fields with no text between).

/// One part of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text kept as written.
    Literal(String),
    /// A field, by its Rust name.
    Field(String),
}

/// The parts of `text`, or why it is not a template.
pub fn parse(text: &str) -> Result<Vec<Part>, String> {
    if text.is_empty() {
        return Err(
            "a key template cannot be empty: write constant text, `{field}`s, or both (\"USER#{username}\")"
                .into(),
        );
    }
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    match c {
                        '}' => {
                            closed = true;
                            break;
                        }
                        '{' => {
                            return Err(format!(
                                "`{{` inside a field in the key template {text:?}: a field is written `{{field}}`"
                            ));
                        }
                        c => name.push(c),
                    }
                }
                if !closed {
                    return Err(format!(
                        "unbalanced `{{` in the key template {text:?}: a field is written `{{field}}`"
                    ));
                }
                let name = name.trim().to_owned();
                if name.is_empty() {
                    return Err(format!(
                        "`{{}}` in the key template {text:?} names no field: write `{{field}}`"
                    ));
                }
                if !is_identifier(&name) {
                    return Err(format!(
                        "`{{{name}}}` in the key template {text:?} is not a field name"
                    ));
                }
                if literal.is_empty() {
                    if let Some(Part::Field(previous)) = parts.last() {
                        return Err(format!(
                            "fields `{{{previous}}}` and `{{{name}}}` are next to each other in the key template {text:?}: put constant text between them (\"{{{previous}}}#{{{name}}}\") so a key can be read back into its fields"
                        ));
                    }
                } else {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(Part::Field(name));
            }
            '}' => {
                return Err(format!(
                    "unbalanced `}}` in the key template {text:?}: a field is written `{{field}}`"
                ));
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    Ok(parts)
}

fn is_identifier(name: &str) -> bool {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// The field names of `parts`, in order.
pub fn fields(parts: &[Part]) -> impl Iterator<Item = &str> {
    parts.iter().filter_map(|part| match part {
        Part::Field(name) => Some(name.as_str()),
        Part::Literal(_) => None,
    })
}

/// Whether `parts` start with constant text.
pub fn has_prefix(parts: &[Part]) -> bool {
    matches!(parts.first(), Some(Part::Literal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Part {
        Part::Literal(s.into())
    }
    fn field(s: &str) -> Part {
        Part::Field(s.into())
    }

    #[test]
    fn parses_templates() {
        assert_eq!(
            parse("USER#{username}").unwrap(),
            vec![lit("USER#"), field("username")]
        );
        assert_eq!(
            parse("{a}#b_{b}").unwrap(),
            vec![field("a"), lit("#b_"), field("b")]
        );
        assert_eq!(parse("PROFILE").unwrap(), vec![lit("PROFILE")]);
        assert_eq!(parse("{ id }").unwrap(), vec![field("id")]);
    }

    #[test]
    fn refuses_malformed_templates() {
        for (text, needle) in [
            ("", "cannot be empty"),
            ("USER#{username", "unbalanced `{`"),
            ("USER#username}", "unbalanced `}`"),
            ("USER#{}", "names no field"),
            ("{a}{b}", "next to each other"),
            ("{a b}", "not a field name"),
            ("{a{b}}", "inside a field"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }
}
