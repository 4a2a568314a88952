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
