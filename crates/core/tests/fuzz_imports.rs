//! Fuzz test of every CSV import and of the tabletop parser, with a fixed seed and budget so
//! it runs the same way in CI every time. For each generated file: no panic; the import is
//! all or nothing (when it reports that it wrote nothing, every table is exactly as before);
//! a refused clearing writes nothing; the report's counts agree with its list of changes.

mod common;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use readyroom_core::csv_import::ImportOptions;
use readyroom_core::registers;
use readyroom_core::tabletop::{self, exercises};
use readyroom_core::{demo, Workspace};
use rusqlite::Connection;

const CASES_PER_REGISTER: u32 = 128;
const SEED: [u8; 32] = *b"readyroom fuzz: nothing is lost!";

fn runner(cases: u32) -> TestRunner {
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &SEED))
}

/// The SHA-256 of every row of every table, in a stable order: what "unchanged" means.
fn digest(ws: &Workspace) -> String {
    ws.read(|c: &Connection| {
        let mut tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        tables.sort();
        let mut out = String::new();
        for t in tables {
            let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1"))?;
            let n = stmt.column_count();
            let rows = stmt.query_map([], |r| {
                let mut line = String::new();
                for i in 0..n {
                    line.push_str(&format!("{:?}|", r.get_ref(i)?));
                }
                Ok(line)
            })?;
            out.push_str(&t);
            for row in rows {
                out.push_str(&row?);
                out.push('\n');
            }
        }
        Ok(readyroom_core::evidence::sha256_hex(out.as_bytes()))
    })
    .unwrap()
}

/// A file to import: the register's own export mutated cell by cell, or noise.
fn import_file(export: String) -> impl Strategy<Value = Vec<u8>> {
    let lines: Vec<String> = export.lines().map(str::to_owned).collect();
    let header: Vec<String> = lines[0].split(',').map(str::to_owned).collect();
    let cell = prop_oneof![
        Just(String::new()),
        Just("=cmd|' /C calc'!A0".to_owned()),
        Just("'".to_owned()),
        Just("\"quoted, \"\"twice\"\"\"".to_owned()),
        Just("yes".to_owned()),
        Just("2026-02-30".to_owned()),
        Just("9999-12-31".to_owned()),
        Just("Ωmega ✓ 王小明".to_owned()),
        Just("x".repeat(5000)),
        "[a-z@. -]{0,24}",
        "[0-9-]{1,12}",
    ];
    let mutated = (
        proptest::collection::vec((0usize..lines.len().max(2), 0usize..header.len(), cell), 0..8),
        proptest::collection::vec(any::<bool>(), header.len()),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(edits, keep, semicolons, bom)| {
            let mut rows: Vec<Vec<String>> = lines.iter().map(|l| l.split(',').map(str::to_owned).collect()).collect();
            for (row, col, value) in edits {
                let row = row.min(rows.len() - 1);
                if let Some(c) = rows[row].get_mut(col) {
                    *c = if value.contains([',', '"', '\n']) {
                        format!("\"{}\"", value.replace('"', "\"\""))
                    } else {
                        value
                    };
                }
            }
            // Drop some columns (the column rule), always keeping at least one.
            let kept: Vec<usize> = (0..header.len()).filter(|i| keep[*i] || *i == 0).collect();
            let sep = if semicolons { ";" } else { "," };
            let mut text = if bom { "\u{FEFF}".to_owned() } else { String::new() };
            for r in rows {
                let cells: Vec<&str> = kept.iter().map(|i| r.get(*i).map(String::as_str).unwrap_or("")).collect();
                text.push_str(&cells.join(sep));
                text.push_str("\r\n");
            }
            text.into_bytes()
        });
    prop_oneof![
        4 => mutated,
        1 => proptest::collection::vec(any::<u8>(), 0..400),
        1 => "[a-z_,;\"\n\r ]{0,200}".prop_map(String::into_bytes),
    ]
}

#[test]
fn every_csv_import_survives_fuzzing_all_or_nothing() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| demo::create(tx, now, today)).unwrap();
    let mut runner = runner(CASES_PER_REGISTER);
    for &register in common::IMPORTABLE {
        let export = ws.read(|c| registers::export_csv(c, register)).unwrap();
        let strategy = (import_file(export), any::<bool>(), any::<bool>());
        runner
            .run(&strategy, |(bytes, dry_run, allow_clearing)| {
                let before = digest(&ws);
                let original = bytes.clone();
                let options = ImportOptions { dry_run, allow_clearing };
                let report = registers::import_csv_into(&ws, register, &bytes, options)
                    .map_err(|e| TestCaseError::fail(format!("{register:?}: an import returned an error: {e:?}")))?;
                prop_assert_eq!(&bytes, &original, "the input is not modified");
                prop_assert!(report.errors.len() <= 100);
                prop_assert!(report.error_count as usize >= report.errors.len());
                if report.error_count > 0 {
                    prop_assert!(!report.applied);
                    prop_assert_eq!(report.created + report.updated + report.unchanged, 0);
                }
                prop_assert_eq!(
                    report.changes.len() as u32,
                    report.created + report.updated,
                    "{:?}: one change per created or updated record",
                    register
                );
                if report.clearing_refused {
                    prop_assert!(report.cleared > 0 && !allow_clearing && !report.applied);
                }
                if !report.applied || report.created + report.updated == 0 {
                    prop_assert_eq!(digest(&ws), before, "{:?}: nothing written ({:?})", register, options);
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{register:?}: {e}"));
    }
}

#[test]
fn the_tabletop_parser_survives_fuzzing_and_stores_nothing_it_refuses() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let keys: Vec<String> = ws
        .read(exercises::library)
        .unwrap()
        .into_iter()
        .filter_map(|s| match s.script {
            exercises::ScriptRef::BuiltIn(key) => Some(key),
            exercises::ScriptRef::Custom(_) => None,
        })
        .collect();
    let sources: Vec<String> = keys
        .iter()
        .map(|key| ws.read(|c| exercises::source(c, &exercises::ScriptRef::BuiltIn(key.clone()))).unwrap())
        .collect();
    let n = sources.len();
    let edit = prop_oneof![
        Just(String::new()),
        Just("= = =".to_owned()),
        Just("[[injects]]".to_owned()),
        Just("unknown_key = 1".to_owned()),
        Just("at_minutes = -5".to_owned()),
        Just("\"".to_owned()),
        "[a-z_ =\"\\[\\]\n]{0,40}",
    ];
    let strategy = (0..n, proptest::collection::vec((any::<prop::sample::Index>(), 0usize..40, edit), 0..6));
    let mut runner = runner(160);
    runner
        .run(&strategy, |(which, edits)| {
            let mut text = sources[which].clone();
            for (at, cut, insert) in edits {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                let mut end = (i + cut).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.replace_range(i..end, &insert);
            }
            let parsed = tabletop::parse(&text);
            let before = digest(&ws);
            let saved = ws.write(|tx, now| exercises::save_script(tx, now, None, &text));
            match (&parsed, &saved) {
                (Ok(_), Ok(_)) => {}
                (Err(problems), Err(_)) => {
                    prop_assert!(!problems.is_empty());
                    prop_assert_eq!(digest(&ws), before, "a refused script stores nothing");
                }
                _ => prop_assert!(false, "parse and save disagree: {:?} / {:?}", parsed.is_ok(), saved.is_ok()),
            }
            Ok(())
        })
        .unwrap();
}
