//! The auditor's request list: counts on a day (open, due this week, overdue), and an updated
//! list from the auditor that updates by request id and says what changed.

mod common;

use std::fs;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::csv_import::{ImportOptions, RowAction};
use readyroom_core::{demo, registers, requests, Register};

#[test]
fn the_request_list_counts_what_is_open_and_an_updated_list_says_what_changed() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| demo::create(tx, now, day)).unwrap();
    let counts = ws.read(|c| requests::counts(c, day)).unwrap();
    assert_eq!((counts.open, counts.due_this_week, counts.overdue), (3, 1, 2), "{counts:?}");

    let list = ws.read(|c| requests::list(c, false)).unwrap();
    assert_eq!(list.len(), 5);
    let pbc3 = list.iter().find(|r| r.reference == "PBC-003").unwrap();
    assert_eq!(pbc3.controls.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["CHG-01", "CHG-02"]);

    // The auditor's updated list: PBC-003 provided, a new request, PBC-001 left out (kept).
    let file = dir.path().join("requests.xlsx.csv");
    fs::write(
        &file,
        "Request ID,Description,Status,Due date\n\
         PBC-003,\"List of production changes in the window, with approval and test evidence for a sample\",provided,2026-11-30\n\
         PBC-006,Board minutes approving the risk assessment,open,2026-12-10\n",
    )
    .unwrap();
    let report = registers::import_file(&ws, Register::Requests, &file, None, ImportOptions::APPLY).unwrap();
    assert!(report.applied, "{:?}", report.errors);
    assert_eq!((report.created, report.updated), (1, 1));
    let updated = report.changes.iter().find(|c| c.action == RowAction::Updated).unwrap();
    assert_eq!(updated.key, "PBC-003");
    let fields: Vec<_> = updated.fields.iter().map(|f| (f.column.as_str(), f.old.as_str(), f.new.as_str())).collect();
    assert_eq!(fields, [("status", "open", "provided")], "the columns left out are kept: {fields:?}");
    assert_eq!(ws.read(|c| requests::list(c, false)).unwrap().len(), 6);

    // A control the list names that the workspace does not have is refused on its row.
    fs::write(&file, "request_id,description,controls\nPBC-007,Firewall rules,NET-99\n").unwrap();
    let refused = registers::import_file(&ws, Register::Requests, &file, None, ImportOptions::APPLY).unwrap();
    let at: Vec<_> = refused.errors.iter().map(|e| (e.line, e.column.clone().unwrap_or_default())).collect();
    assert_eq!(at, [(2, "controls".to_owned())], "{:?}", refused.errors);
    assert_eq!(ws.read(|c| requests::list(c, false)).unwrap().len(), 6, "nothing written");
}
