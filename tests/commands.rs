//! The IPC contract, read from the source of `src-tauri/src/commands.rs`:
//! - every command is registered in `with_commands`, and nothing else is;
//! - `ui/src/lib/api/commands.ts` (the typed client the UI calls) is generated from the
//!   commands' names, parameters and return types, so no command is typed by hand (the
//!   test rewrites the file; `scripts/test` fails when the committed one is stale);
//! - every command is exercised by at least one IPC test.

use std::collections::BTreeSet;
use std::path::Path;

use quote::ToTokens;
use syn::{FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

struct Command {
    name: String,
    params: Vec<(String, Type)>,
    returns: Type,
    doc: Vec<String>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn commands() -> Vec<Command> {
    let source = std::fs::read_to_string(root().join("src-tauri/src/commands.rs")).expect("commands.rs");
    let file = syn::parse_file(&source).expect("commands.rs parses");
    let mut out = Vec::new();
    for item in file.items {
        let Item::Fn(f) = item else { continue };
        let is_command = f.attrs.iter().any(|a| a.path().segments.last().is_some_and(|s| s.ident == "command"));
        if !is_command {
            continue;
        }
        let mut params = Vec::new();
        for input in &f.sig.inputs {
            let FnArg::Typed(t) = input else { continue };
            let Pat::Ident(name) = &*t.pat else { panic!("{}: a parameter without a plain name", f.sig.ident) };
            let ty = (*t.ty).clone();
            if matches!(last_ident(&ty).as_deref(), Some("State" | "AppHandle" | "Window" | "WebviewWindow")) {
                continue;
            }
            params.push((name.ident.to_string(), ty));
        }
        let ReturnType::Type(_, ret) = &f.sig.output else { panic!("{} returns nothing", f.sig.ident) };
        let returns =
            generic_arg(ret, "IpcResult").unwrap_or_else(|| panic!("{} must return IpcResult<T>", f.sig.ident));
        let doc = f
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value().trim().to_owned()),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        out.push(Command { name: f.sig.ident.to_string(), params, returns, doc });
    }
    out
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        Type::Reference(r) => last_ident(&r.elem),
        _ => None,
    }
}

/// `T` of `Wrapper<T>`.
fn generic_arg(ty: &Type, wrapper: &str) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    let seg = p.path.segments.last()?;
    if seg.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &seg.arguments else { return None };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// The TypeScript type of a Rust type, collecting the generated bindings it names.
fn ts(ty: &Type, names: &mut BTreeSet<String>) -> String {
    match ty {
        Type::Tuple(t) if t.elems.is_empty() => "null".into(),
        Type::Reference(r) => ts(&r.elem, names),
        Type::Path(p) => {
            let seg = p.path.segments.last().expect("a type has a name");
            let name = seg.ident.to_string();
            let args: Vec<Type> = match &seg.arguments {
                PathArguments::AngleBracketed(a) => a
                    .args
                    .iter()
                    .filter_map(|g| match g {
                        GenericArgument::Type(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            match name.as_str() {
                "String" | "str" => "string".into(),
                "bool" => "boolean".into(),
                "i64" | "i32" | "u8" | "u16" | "u32" | "u64" | "usize" | "f32" | "f64" => "number".into(),
                "Vec" => format!("Array<{}>", ts(&args[0], names)),
                "Option" => format!("{} | null", ts(&args[0], names)),
                _ => {
                    names.insert(name.clone());
                    if args.is_empty() {
                        name
                    } else {
                        let inner: Vec<String> = args.iter().map(|a| ts(a, names)).collect();
                        format!("{name}<{}>", inner.join(", "))
                    }
                }
            }
        }
        other => panic!("no TypeScript type for {}", other.to_token_stream()),
    }
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn generate(commands: &[Command]) -> String {
    let mut names = BTreeSet::new();
    let mut body = String::new();
    for c in commands {
        let params: Vec<(String, String)> = c.params.iter().map(|(n, t)| (camel(n), ts(t, &mut names))).collect();
        let ret = ts(&c.returns, &mut names);
        for line in &c.doc {
            body.push_str(&format!("  /** {line} */\n"));
        }
        let sig: Vec<String> = params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        let args = if params.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", params.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", "))
        };
        body.push_str(&format!("  {}: ({}) => call<{ret}>('{}'{args}),\n", camel(&c.name), sig.join(", "), c.name));
    }
    let mut out = String::from(
        "// Generated from src-tauri/src/commands.rs by `cargo test -p readyroom-app --test commands`.\n\
         // Do not edit: change the command in Rust and run the test. Every command, with its\n\
         // parameters (camelCase, as Tauri passes them) and its result type.\n\n",
    );
    out.push_str("import { call } from './call';\n");
    for n in &names {
        out.push_str(&format!("import type {{ {n} }} from '$lib/bindings/{n}';\n"));
    }
    out.push_str("\nexport const commands = {\n");
    out.push_str(&body);
    out.push_str("};\n\n/** The name of every command. */\nexport type CommandName =\n");
    let list: Vec<String> = commands.iter().map(|c| format!("  | '{}'", c.name)).collect();
    out.push_str(&list.join("\n"));
    out.push_str(";\n");
    out
}

#[test]
fn every_command_is_registered_and_nothing_else_is() {
    let lib = std::fs::read_to_string(root().join("src-tauri/src/lib.rs")).unwrap();
    let registered: BTreeSet<String> = lib
        .split("generate_handler![")
        .nth(1)
        .and_then(|s| s.split(']').next())
        .expect("with_commands lists the handlers")
        .split(',')
        .map(|s| s.trim().trim_start_matches("commands::").to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    let defined: BTreeSet<String> = commands().into_iter().map(|c| c.name).collect();
    let unregistered: Vec<_> = defined.difference(&registered).collect();
    let unknown: Vec<_> = registered.difference(&defined).collect();
    assert!(unregistered.is_empty(), "commands not registered in with_commands: {unregistered:?}");
    assert!(unknown.is_empty(), "registered but not defined in commands.rs: {unknown:?}");
}

#[test]
fn the_typescript_client_is_generated_from_the_commands() {
    let path = root().join("ui/src/lib/api/commands.ts");
    let generated = generate(&commands());
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != generated {
        std::fs::write(&path, &generated).expect("write commands.ts");
    }
    // svelte-check fails if it names a type with no generated binding.
    assert!(generated.contains("export const commands = {"));
}

#[test]
fn every_command_has_an_ipc_test() {
    let mut tests = String::new();
    for entry in std::fs::read_dir(root().join("tests")).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("commands.rs") {
            tests.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    let mut called = BTreeSet::new();
    for part in tests.split("invoke(").skip(1) {
        if let Some(name) = part.trim_start().strip_prefix('"').and_then(|rest| rest.split('"').next()) {
            called.insert(name.to_owned());
        }
    }
    let untested: Vec<String> = commands().into_iter().map(|c| c.name).filter(|n| !called.contains(n)).collect();
    assert!(untested.is_empty(), "{} command(s) without an IPC test: {untested:?}", untested.len());
}
