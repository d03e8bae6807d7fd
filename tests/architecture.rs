//! The runtime's layers, as ARCHITECTURE.md draws them, checked on the
//! source: a module refers only to modules of its own layer or below, and no
//! two modules (top-level or inside a directory) refer to each other, even
//! through others.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules of `dynamo-orm/src`, bottom layer first.
const LAYERS: &[&[&str]] = &[
    &["error"],
    &["value"],
    &["limits", "document", "json"],
    &["schema", "key"],
    &["expr"],
    &["op"],
    &["table"],
    &[
        "items",
        "query",
        "scan",
        "lifecycle",
        "locking",
        "batch",
        "private",
        "local",
    ],
    &["transact"],
    &["lib"],
];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` is not in ARCHITECTURE.md's layers"))
}

/// Every `.rs` file under `dir`, with its module path (`op::write`).
fn files(dir: &Path, prefix: &[String], out: &mut Vec<(Vec<String>, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let mut p = prefix.to_vec();
            p.push(name);
            files(&path, &p, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut p = prefix.to_vec();
            if name != "mod" {
                p.push(name);
            }
            out.push((p, path));
        }
    }
}

/// The code of a file without comments and without its unit tests.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a file refers to: `crate::a::b`, `super::c`, and the
/// names inside `use crate::{a, b::c}` groups.
fn references(module: &[String], code: &str) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let bytes = code.as_bytes();
    let ident = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|p| {
                p.trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|p| !p.is_empty() && p.chars().next().is_some_and(|c| c.is_lowercase()))
            .collect()
    };
    for (start, _) in code.match_indices("crate::") {
        if start > 0
            && (bytes[start - 1].is_ascii_alphanumeric()
                || bytes[start - 1] == b'_'
                || bytes[start - 1] == b'$')
        {
            continue;
        }
        let rest = &code[start + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let path = ident(part);
                if !path.is_empty() {
                    out.insert(path);
                }
            }
        } else {
            let path = ident(rest);
            if !path.is_empty() {
                out.insert(path);
            }
        }
    }
    for (start, _) in code.match_indices("super::") {
        let rest = &code[start + "super::".len()..];
        let mut parent = module.to_vec();
        // A `mod.rs` file's module is its directory; `super` is one up.
        parent.pop();
        let mut path = parent;
        path.extend(ident(rest));
        if !path.is_empty() {
            out.insert(path);
        }
    }
    out
}

/// Tarjan's state: next index, (index, low link) per node, the stack and its members.
type Tarjan = (
    usize,
    BTreeMap<String, (usize, usize)>,
    Vec<String>,
    BTreeSet<String>,
);

/// The strongly connected components with more than one member.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn visit(
        v: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut Tarjan,
        out: &mut Vec<Vec<String>>,
    ) {
        let index = state.0;
        state.0 += 1;
        state.1.insert(v.to_owned(), (index, index));
        state.2.push(v.to_owned());
        state.3.insert(v.to_owned());
        for w in graph.get(v).into_iter().flatten() {
            if !graph.contains_key(w) {
                continue;
            }
            if !state.1.contains_key(w) {
                visit(w, graph, state, out);
                let low = state.1[w].1.min(state.1[v].1);
                state.1.get_mut(v).unwrap().1 = low;
            } else if state.3.contains(w) {
                let low = state.1[w].0.min(state.1[v].1);
                state.1.get_mut(v).unwrap().1 = low;
            }
        }
        if state.1[v].0 == state.1[v].1 {
            let mut component = Vec::new();
            while let Some(w) = state.2.pop() {
                state.3.remove(&w);
                let done = w == v;
                component.push(w);
                if done {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                out.push(component);
            }
        }
    }
    let mut state = (0, BTreeMap::new(), Vec::new(), BTreeSet::new());
    let mut out = Vec::new();
    for v in graph.keys() {
        if !state.1.contains_key(v) {
            visit(v, graph, &mut state, &mut out);
        }
    }
    out
}

#[test]
fn modules_only_look_down_and_never_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("dynamo-orm/src");
    let mut all = Vec::new();
    files(&src, &[], &mut all);
    assert!(all.len() > 30, "read the sources");

    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Within each directory: file-level modules.
    let mut inner: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let mut wrong_layer = Vec::new();
    for (module, path) in &all {
        let own = module.first().cloned().unwrap_or_else(|| "lib".to_owned());
        let code = code(path);
        for reference in references(module, &code) {
            let target = reference[0].clone();
            if target != own && LAYERS.iter().any(|l| l.contains(&target.as_str())) {
                if layer(&target) > layer(&own) {
                    wrong_layer.push(format!(
                        "{} refers to {} (layer {} above layer {})",
                        module.join("::"),
                        reference.join("::"),
                        layer(&target),
                        layer(&own)
                    ));
                }
                top.entry(own.clone()).or_default().insert(target.clone());
            }
            if target == own
                && module.len() >= 2
                && reference.len() >= 2
                && reference[1] != module[1]
            {
                inner
                    .entry(own.clone())
                    .or_default()
                    .entry(module[1].clone())
                    .or_default()
                    .insert(reference[1].clone());
            }
        }
        top.entry(own).or_default();
    }
    assert!(
        wrong_layer.is_empty(),
        "layer violations:\n{}",
        wrong_layer.join("\n")
    );
    let top_cycles = cycles(&top);
    assert!(
        top_cycles.is_empty(),
        "modules that refer to each other: {top_cycles:?}"
    );
    for (dir, graph) in &inner {
        let inner_cycles = cycles(graph);
        assert!(inner_cycles.is_empty(), "inside `{dir}`: {inner_cycles:?}");
    }
    // The check sees the references it is about.
    assert!(
        top["op"].contains("expr") && top["table"].contains("op"),
        "{top:?}"
    );
    assert!(inner["op"]["write"].contains("call"), "{inner:?}");
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(
        cycles(&graph),
        vec![vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]]
    );
    let refs = references(
        &["op".to_owned(), "write".to_owned()],
        "use super::call::{self, X};\nuse crate::{error::Error, expr::Condition};\n// crate::table",
    );
    assert!(refs.contains(&vec!["op".to_owned(), "call".to_owned()]));
    assert!(
        refs.contains(&vec!["error".to_owned(), "Error".to_owned()])
            || refs.contains(&vec!["error".to_owned()])
    );
}
