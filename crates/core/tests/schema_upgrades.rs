//! Every released schema, frozen as it shipped (tests/fixtures/schema_vN.sql), upgrades to
//! exactly the schema of a new workspace: the same tables and columns (names, types, nulls,
//! defaults, keys, foreign keys, checks), the same indexes and the same triggers.

mod common;

use common::{open, temp_workspace};
use rusqlite::Connection;

const FIXTURES: &[(u32, &str)] = &[
    (1, include_str!("fixtures/schema_v1.sql")),
    (2, include_str!("fixtures/schema_v2.sql")),
    (3, include_str!("fixtures/schema_v3.sql")),
    (4, include_str!("fixtures/schema_v4.sql")),
    (5, include_str!("fixtures/schema_v5.sql")),
    (6, include_str!("fixtures/schema_v6.sql")),
    (7, include_str!("fixtures/schema_v7.sql")),
    (8, include_str!("fixtures/schema_v8.sql")),
    (9, include_str!("fixtures/schema_v9.sql")),
    (10, include_str!("fixtures/schema_v10.sql")),
    (11, include_str!("fixtures/schema_v11.sql")),
    (12, include_str!("fixtures/schema_v12.sql")),
    (13, include_str!("fixtures/schema_v13.sql")),
    (14, include_str!("fixtures/schema_v14.sql")),
    (15, include_str!("fixtures/schema_v15.sql")),
    (16, include_str!("fixtures/schema_v16.sql")),
    (17, include_str!("fixtures/schema_v17.sql")),
    (18, include_str!("fixtures/schema_v18.sql")),
    (19, include_str!("fixtures/schema_v19.sql")),
    (20, include_str!("fixtures/schema_v20.sql")),
    (21, include_str!("fixtures/schema_v21.sql")),
    (22, include_str!("fixtures/schema_v22.sql")),
    (23, include_str!("fixtures/schema_v23.sql")),
    (24, include_str!("fixtures/schema_v24.sql")),
    (25, include_str!("fixtures/schema_v25.sql")),
    (26, include_str!("fixtures/schema_v26.sql")),
    (27, include_str!("fixtures/schema_v27.sql")),
];

fn rows(c: &Connection, sql: &str, f: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<String>) -> Vec<String> {
    c.prepare(sql).unwrap().query_map([], f).unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

fn normalise(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The schema as SQLite describes it, in a stable order.
fn schema(path: &std::path::Path) -> Vec<String> {
    let c = Connection::open(path).unwrap();
    let mut out = Vec::new();
    let objects = rows(
        &c,
        "SELECT type || char(9) || name || char(9) || tbl_name || char(9) || coalesce(sql, '')
         FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        |r| r.get(0),
    );
    for object in objects {
        let mut parts = object.splitn(4, '\t');
        let (kind, name, table, sql) =
            (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap_or(""));
        if kind != "table" {
            out.push(format!("{kind} {name} on {table}: {}", normalise(sql)));
            continue;
        }
        out.push(format!("table {name}"));
        out.extend(rows(
            &c,
            &format!("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{name}') ORDER BY cid"),
            |r| {
                Ok(format!(
                    "table {name} column {}: {} notnull={} default={:?} pk={}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, i64>(4)?
                ))
            },
        ));
        out.extend(rows(
            &c,
            &format!(
                "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list('{name}') ORDER BY id, seq"
            ),
            |r| {
                Ok(format!(
                    "table {name} fk {} -> {}.{:?} on delete {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?
                ))
            },
        ));
        // CHECK constraints live only in the table's SQL.
        let flat = normalise(sql);
        for (i, _) in flat.match_indices("CHECK") {
            let check: String = flat[i..].chars().take(120).collect();
            out.push(format!("table {name} {check}"));
        }
    }
    out
}

#[test]
fn every_released_schema_upgrades_to_exactly_the_schema_of_a_new_workspace() {
    let (_dir, fresh) = temp_workspace();
    drop(open(&fresh).unwrap());
    let expected = schema(&fresh);
    assert!(expected.iter().any(|l| l.starts_with("trigger ")), "the comparison covers triggers");
    assert!(expected.iter().any(|l| l.starts_with("index ")), "and indexes");
    for (version, sql) in FIXTURES {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.readyroom");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(sql).unwrap();
            let v: u32 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
            assert_eq!(v, *version, "fixture {version} says what it is");
        }
        let ws = open(&path).unwrap_or_else(|e| panic!("schema {version} opens: {e:?}"));
        assert_eq!(ws.report().upgraded_from, Some(*version));
        drop(ws);
        let got = schema(&path);
        let missing: Vec<_> = expected.iter().filter(|l| !got.contains(l)).collect();
        let extra: Vec<_> = got.iter().filter(|l| !expected.contains(l)).collect();
        assert!(missing.is_empty() && extra.is_empty(), "schema {version}: missing {missing:#?}\nextra {extra:#?}");
    }
}

/// How many temporary b-trees the program of a history row's insert opens.
fn temporary_btrees(c: &Connection) -> usize {
    let program = rows(
        c,
        "EXPLAIN INSERT INTO history (entity, entity_id, action, at, changes, actor) VALUES ('risk', 2, 'update', 'x', '[]', '')",
        |r| r.get(1),
    );
    program.iter().filter(|op| *op == "OpenEphemeral").count()
}

/// Version 27 builds the history table again (its action check without `IN`): every entry
/// keeps its id, values and actor, the index still serves a record's history, and an action
/// the app does not know is still refused.
#[test]
fn rebuilding_the_history_table_keeps_every_entry_and_its_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v26.readyroom");
    let entries =
        "SELECT id || '|' || entity || '|' || entity_id || '|' || action || '|' || at || '|' || changes || '|' || actor
                   FROM history ORDER BY id";
    let before = {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(FIXTURES.iter().find(|(v, _)| *v == 26).unwrap().1).unwrap();
        c.execute_batch(
            "INSERT INTO history (id, entity, entity_id, action, at, changes, actor) VALUES
               (3, 'control', 1, 'create', '2026-01-02T03:04:05Z', '[]', ''),
               (7, 'control', 1, 'update', '2026-01-03T03:04:05Z', '[{\"field\":\"title\",\"old\":\"A\",\"new\":\"B\"}]', 'ana'),
               (8, 'risk', 2, 'archive', '2026-01-04T03:04:05Z', '[]', 'bo'),
               (12, 'risk', 2, 'restore', '2026-01-05T03:04:05Z', '[]', 'ana');",
        )
        .unwrap();
        assert!(temporary_btrees(&c) > 0, "version 26 checked the action through a temporary b-tree");
        rows(&c, entries, |r| r.get(0))
    };
    drop(open(&path).unwrap());
    let c = Connection::open(&path).unwrap();
    assert_eq!(rows(&c, entries, |r| r.get(0)), before);
    let plan = rows(
        &c,
        "EXPLAIN QUERY PLAN SELECT id FROM history WHERE entity = 'risk' AND entity_id = 2 ORDER BY id DESC",
        |r| r.get(3),
    );
    assert!(plan.iter().any(|p| p.contains("history_by_record")), "{plan:?}");
    assert_eq!(temporary_btrees(&c), 0, "writing a history row builds no temporary b-tree");
    let refused = c.execute(
        "INSERT INTO history (entity, entity_id, action, at, changes) VALUES ('risk', 2, 'delete', 'x', '[]')",
        [],
    );
    assert!(refused.is_err(), "an unknown action is refused");
    assert_eq!(rows(&c, entries, |r| r.get(0)), before);
}
