//! The register contract (`record`): every record kind archives, restores and keeps its
//! history through the same code, so the same promises hold for each of them.

mod common;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::record::{self, Kept};
use readyroom_core::{
    access_reviews, actions, changes, controls, demo, incidents, people, policies, retention, risks, systems, training,
    vendors, Register, Workspace,
};

fn history_rows(ws: &Workspace, register: Register, id: i64) -> usize {
    ws.read(|c| readyroom_core::history::list(c, register, id)).unwrap().len()
}

/// Archiving twice records one entry; restoring twice records one more; the record says so.
fn archives_once<K: Kept>(ws: &Workspace) {
    let table = K::REGISTER.table();
    let id: i64 = ws
        .read(|c| Ok(c.query_row(&format!("SELECT min(id) FROM {table} WHERE archived_at IS NULL"), [], |r| r.get(0))?))
        .unwrap_or_else(|e| panic!("{table}: {e:?}"));
    let before = history_rows(ws, K::REGISTER, id);
    for (archived, expected) in [(true, before + 1), (true, before + 1), (false, before + 2), (false, before + 2)] {
        let record: K = ws.write(|tx, now| record::set_archived(tx, now, id, archived)).unwrap();
        assert_eq!(record.archived(), archived, "{table}");
        assert_eq!(history_rows(ws, K::REGISTER, id), expected, "{table}: one history entry per real change");
    }
    let err = ws.write(|tx, now| record::set_archived::<K>(tx, now, i64::MAX, true)).map(|_| ()).unwrap_err();
    assert_eq!(err.code, readyroom_core::ErrorCode::NotFound, "{table}");
}

#[test]
fn every_record_kind_archives_and_restores_once_with_its_history() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| demo::create(tx, now, today)).unwrap();
    archives_once::<people::Person>(&ws);
    archives_once::<controls::Control>(&ws);
    archives_once::<policies::Policy>(&ws);
    archives_once::<actions::Action>(&ws);
    archives_once::<risks::Risk>(&ws);
    archives_once::<vendors::Vendor>(&ws);
    archives_once::<systems::System>(&ws);
    archives_once::<retention::DataType>(&ws);
    archives_once::<access_reviews::AccessReview>(&ws);
    archives_once::<training::Course>(&ws);
    archives_once::<changes::Change>(&ws);
    archives_once::<incidents::Incident>(&ws);
}

#[test]
fn an_update_that_changes_nothing_writes_nothing() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| demo::create(tx, now, today)).unwrap();
    // Every importable register: its export, imported back, is all "unchanged" and adds no history.
    let count = || ws.read(|c| Ok(c.query_row("SELECT count(*) FROM history", [], |r| r.get::<_, i64>(0))?)).unwrap();
    for register in common::IMPORTABLE.iter().copied() {
        let before = count();
        let csv = ws.read(|c| readyroom_core::registers::export_csv(c, register)).unwrap();
        let report = readyroom_core::registers::import_csv_into(
            &ws,
            register,
            csv.as_bytes(),
            readyroom_core::csv_import::ImportOptions::APPLY,
        )
        .unwrap();
        assert_eq!((report.created, report.updated), (0, 0), "{register:?}: {:?}", report.changes);
        assert_eq!(count(), before, "{register:?}: no history for no change");
    }
}

/// The values history would have stored for a new record with `input` (every value it sets),
/// or for the record as it is now.
fn values_of<K: record::Editable>(
    c: &rusqlite::Connection,
    now: chrono::DateTime<chrono::Utc>,
    input: &K::Input,
    old: Option<&K>,
) -> std::collections::BTreeMap<String, Option<String>> {
    let valid = K::validate(c, now, input, old).unwrap();
    K::diff(c, None, &valid).unwrap().into_changes().into_iter().map(|f| (f.field, f.new)).collect()
}

/// Creates a record from `inputs[0]`, edits it to each later input, and checks that the values
/// it was created with come back from its current values with its changes undone (history
/// stores no values for a creation), and that its creation entry holds none.
fn creation_comes_back<K: record::Editable>(ws: &Workspace, inputs: &[K::Input]) {
    let table = K::REGISTER.table();
    let (created_with, id) = ws
        .write(|tx, now| {
            let expected = values_of::<K>(tx, now, &inputs[0], None);
            record::create::<K>(tx, now, &inputs[0])?;
            let id: i64 = tx.query_row(&format!("SELECT max(id) FROM {table}"), [], |r| r.get(0))?;
            Ok((expected, id))
        })
        .unwrap();
    for input in &inputs[1..] {
        ws.write(|tx, now| record::update::<K>(tx, now, id, input)).unwrap();
    }
    let (mut values, history) = ws
        .read(|c| {
            let now = chrono::Utc::now();
            let current = K::load(c, id, now)?;
            Ok((
                values_of::<K>(c, now, &inputs[inputs.len() - 1], Some(&current)),
                readyroom_core::history::list(c, K::REGISTER, id)?,
            ))
        })
        .unwrap();
    assert_eq!(history.len(), inputs.len(), "{table}: a creation and one entry per edit");
    for entry in &history {
        if entry.action == readyroom_core::history::HistoryAction::Create {
            assert!(entry.changes.is_empty(), "{table}: the creation stores no values");
        }
        for change in &entry.changes {
            values.insert(change.field.clone(), change.old.clone());
        }
    }
    values.retain(|_, v| v.is_some());
    assert_ne!(values, std::collections::BTreeMap::new(), "{table}");
    assert_eq!(values, created_with, "{table}: the values it was created with");
}

#[test]
fn a_records_creation_values_come_back_from_its_current_values_and_history() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| demo::create(tx, now, today)).unwrap();
    let (person, other, system) = ws
        .read(|c| {
            let ids: Vec<i64> = c
                .prepare("SELECT id FROM people WHERE end_date IS NULL AND archived_at IS NULL ORDER BY id LIMIT 2")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok((ids[0], ids[1], c.query_row("SELECT min(id) FROM systems", [], |r| r.get(0))?))
        })
        .unwrap();
    let first = changes::ChangeInput {
        reference: "PR-9001".into(),
        title: "Rotate the signing key".into(),
        system_id: Some(system),
        author_id: Some(person),
        approver_id: Some(other),
        approved_at: "2026-11-20 09:00".into(),
        tested: true,
        test_notes: "Staging".into(),
        rollback_plan: "Restore the old key".into(),
        ..Default::default()
    };
    let second = changes::ChangeInput {
        title: "Rotate the signing keys".into(),
        description: "Older than a year".into(),
        ..first.clone()
    };
    let third = changes::ChangeInput {
        tested: false,
        test_notes: String::new(),
        deployed_at: "2026-11-21 10:00".into(),
        ..second.clone()
    };
    creation_comes_back::<changes::Change>(&ws, &[first, second, third]);

    let first = controls::ControlInput {
        reference: "X-1".into(),
        title: "Review the firewall rules".into(),
        owner_id: Some(person),
        criteria: vec!["CC6.1".into(), "CC6.6".into()],
        ..Default::default()
    };
    let second = controls::ControlInput { criteria: vec!["CC6.6".into()], owner_id: Some(other), ..first.clone() };
    creation_comes_back::<controls::Control>(&ws, &[first, second]);
}

#[test]
fn an_imported_row_adds_no_values_to_history() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let mut csv = String::from("reference,title,test_notes,rollback_plan\n");
    for i in 0..200 {
        csv.push_str(&format!("PR-{i:04},Change number {i},Tested on staging,Revert the commit\n"));
    }
    let report = readyroom_core::registers::import_csv_into(
        &ws,
        Register::Changes,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors.first());
    let (rows, bytes): (i64, i64) = ws
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*), sum(length(changes)) FROM history WHERE entity = 'change' AND action = 'create'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(rows, 200, "one creation entry per row");
    assert_eq!(bytes, 2 * 200, "each holds an empty list: the row has the values");
}
