//! The core's modules depend on each other bottom-up: `refs`, `error`, `validate` at the
//! bottom, then the store and the CSV engine, the registers, readiness, and the documents on
//! top. A module that reaches back up to one that imports it makes a circle; this test finds
//! circles by reading the sources (`crate::name` paths outside comments and test modules).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Folders whose files are one module each, and folders that are one module as a whole.
const FILE_MODULES: &[&str] = &["registers", "store", "io"];
const FOLDER_MODULES: &[&str] = &["readiness", "documents", "tabletop", "starter"];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a source file belongs to.
fn module_of(rel: &Path) -> String {
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned()).collect();
    match parts.as_slice() {
        [folder, file] if FILE_MODULES.contains(&folder.as_str()) => {
            if file == "mod" {
                folder.clone()
            } else {
                file.clone()
            }
        }
        [folder, ..] if FOLDER_MODULES.contains(&folder.as_str()) => folder.clone(),
        [file] => file.clone(),
        _ => parts.join("/"),
    }
}

/// The module a `crate::name` path names (the crate root re-exports some modules and types).
fn target_of(name: &str) -> String {
    match name {
        "pdf" | "report" | "after_action" => "documents",
        "Error" | "Result" | "ErrorCode" | "FieldError" => "error",
        "Register" => "refs",
        "Workspace" | "Access" | "OpenOptions" | "OpenReport" => "workspace",
        "exercises" => "tabletop",
        other => other,
    }
    .to_owned()
}

/// Source without comments and without `#[cfg(test)]` modules.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in all {
        let rel = path.strip_prefix(&src).unwrap();
        if rel == Path::new("lib.rs") {
            continue;
        }
        let from = module_of(rel);
        let text = code(&std::fs::read_to_string(&path).unwrap());
        for part in text.split("crate::").skip(1) {
            let name: String = part.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let to = target_of(&name);
            if !name.is_empty() && to != from {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

/// A path from `from` back to `to` through `edges`, if there is one.
fn path_back(edges: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_owned()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap().clone();
        if last == to {
            return Some(path);
        }
        if !seen.insert(last.clone()) {
            continue;
        }
        for next in edges.get(&last).into_iter().flatten() {
            let mut longer = path.clone();
            longer.push(next.clone());
            stack.push(longer);
        }
    }
    None
}

#[test]
fn the_core_modules_form_no_circle() {
    let edges = graph();
    assert!(edges.get("systems").is_some_and(|t| t.contains("record")), "the graph is read: {edges:?}");
    let mut circles = Vec::new();
    for (from, targets) in &edges {
        for to in targets {
            if let Some(back) = path_back(&edges, to, from) {
                circles.push(format!("{from} -> {}", back.join(" -> ")));
            }
        }
    }
    assert!(circles.is_empty(), "modules that reach back up to a module that imports them:\n{}", circles.join("\n"));
}
