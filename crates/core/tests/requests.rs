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

    // The list's filters, each leaving out a request it must leave out.
    let refs = |q: requests::RequestQuery| -> Vec<String> {
        ws.read(|c| requests::rows(c, day, &q)).unwrap().into_iter().map(|r| r.request.reference).collect()
    };
    let overdue = ws
        .read(|c| requests::rows(c, day, &requests::RequestQuery { overdue_only: true, ..Default::default() }))
        .unwrap();
    assert_eq!(overdue.iter().map(|r| r.request.reference.as_str()).collect::<Vec<_>>(), ["PBC-002", "PBC-004"]);
    assert!(overdue.iter().all(|r| r.overdue && !r.due_soon));
    assert_eq!(refs(requests::RequestQuery { search: "access REVIEWS".into(), ..Default::default() }), ["PBC-002"]);
    assert_eq!(refs(requests::RequestQuery { search: "CC8.1".into(), ..Default::default() }), ["PBC-003"]);
    assert_eq!(refs(requests::RequestQuery { search: "100%".into(), ..Default::default() }), Vec::<String>::new());
    assert_eq!(
        refs(requests::RequestQuery { status: Some(requests::RequestStatus::Provided), ..Default::default() }),
        ["PBC-005"]
    );
    let all = ws.read(|c| requests::rows(c, day, &requests::RequestQuery::default())).unwrap();
    let pbc1 = all.iter().find(|r| r.request.reference == "PBC-001").unwrap();
    assert!(!pbc1.overdue, "accepted: no longer waiting, though its due date has passed");
    assert_eq!(pbc1.linked, 1, "its control");
    assert!(all.iter().find(|r| r.request.reference == "PBC-003").unwrap().due_soon);
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

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn an_auditors_workbook_is_mapped_once_and_its_mapping_is_remembered() {
    use readyroom_core::column_map::{ColumnMatch, MappedColumn};
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let file = fixture("auditor-requests.xlsx");
    let preview = ws.read(|c| registers::preview_file(c, &file, Register::Requests, None)).unwrap();
    assert_eq!(preview.source.sheet.as_deref(), Some("PBC List"), "the only sheet");
    assert_eq!(preview.rows, 3, "the title line above the header is not a row");
    let chosen: Vec<(&str, Option<&str>, ColumnMatch)> =
        preview.columns.iter().map(|c| (c.header.as_str(), c.column.as_deref(), c.matched)).collect();
    assert_eq!(
        chosen,
        [
            ("PBC #", Some("request_id"), ColumnMatch::Named),
            ("TSC", Some("criteria"), ColumnMatch::Named),
            ("Information Requested", Some("description"), ColumnMatch::Named),
            ("Due Date", Some("due_on"), ColumnMatch::Named),
            ("Priority", None, ColumnMatch::Unmatched),
            ("Auditor Comments", Some("notes"), ColumnMatch::Named),
            ("Request Status", Some("status"), ColumnMatch::Guessed),
        ]
    );
    assert!(preview.needs_mapping);
    assert_eq!(preview.columns[0].samples, ["PBC-101", "PBC-102", "PBC-103"]);
    assert_eq!(preview.columns[3].samples[0], "2026-12-04", "a date cell reads as a date");

    // Read as it is, the unknown heading is refused, and nothing is written.
    let refused = registers::import_file(&ws, Register::Requests, &file, None, ImportOptions::APPLY).unwrap();
    assert!(!refused.applied);
    assert!(refused.errors.iter().any(|e| e.column.as_deref() == Some("Priority")), "{:?}", refused.errors);
    assert!(ws.read(|c| requests::list(c, false)).unwrap().is_empty());

    // A mapping that reads two headings as one column is refused on its field.
    let mut mapping: Vec<MappedColumn> =
        preview.columns.iter().map(|c| MappedColumn { header: c.header.clone(), column: c.column.clone() }).collect();
    mapping[4].column = Some("notes".into());
    let err = registers::import_mapped_file(&ws, Register::Requests, &file, None, Some(&mapping), ImportOptions::APPLY)
        .unwrap_err();
    assert_eq!(err.fields[0].field, "columns");
    assert!(ws.read(|c| requests::list(c, false)).unwrap().is_empty());

    // The user's choice: Priority ignored, the guess confirmed. A dry run remembers nothing.
    mapping[4].column = None;
    let dry =
        registers::import_mapped_file(&ws, Register::Requests, &file, None, Some(&mapping), ImportOptions::DRY_RUN)
            .unwrap();
    assert_eq!((dry.created, dry.applied), (3, false), "{:?}", dry.errors);
    let again = ws.read(|c| registers::preview_file(c, &file, Register::Requests, None)).unwrap();
    assert!(again.needs_mapping, "a dry run remembers nothing");
    let done =
        registers::import_mapped_file(&ws, Register::Requests, &file, None, Some(&mapping), ImportOptions::APPLY)
            .unwrap();
    assert!(done.applied, "{:?}", done.errors);
    let list = ws.read(|c| requests::list(c, false)).unwrap();
    let pbc102 = list.iter().find(|r| r.reference == "PBC-102").unwrap();
    assert_eq!(pbc102.due_on, NaiveDate::from_ymd_opt(2026, 12, 11));
    assert_eq!((pbc102.criteria.as_str(), pbc102.notes.as_str()), ("CC8.1", "A sample of 25 will follow"));

    // The next list from the auditor needs no mapping: the choice is remembered, and the
    // updated list says what changed.
    let remembered = ws.read(|c| registers::preview_file(c, &file, Register::Requests, None)).unwrap();
    assert!(!remembered.needs_mapping, "{:?}", remembered.columns);
    assert_eq!(remembered.columns[4].matched, ColumnMatch::Remembered);
    let csv = dir.path().join("updated.csv");
    fs::write(
        &csv,
        "PBC #,Information Requested,Priority,Request Status\n\
         PBC-101,Evidence of the quarterly user access reviews of in-scope systems,High,provided\n",
    )
    .unwrap();
    let update = registers::import_file(&ws, Register::Requests, &csv, None, ImportOptions::APPLY).unwrap();
    assert!(update.applied, "{:?}", update.errors);
    assert_eq!((update.created, update.updated, update.unchanged), (0, 1, 0));
    let f = &update.changes[0].fields;
    assert_eq!((f[0].column.as_str(), f[0].old.as_str(), f[0].new.as_str()), ("status", "open", "provided"));
}

#[test]
fn what_answers_a_request_is_linked_with_history_and_suggested_from_its_words() {
    use readyroom_core::history;
    use readyroom_core::refs::Population;
    use readyroom_core::requests::RequestLink;
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let range = (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), day);
    ws.write(|tx, now| demo::create(tx, now, day)).unwrap();
    let list = ws.read(|c| requests::list(c, false)).unwrap();
    let pbc2 = list.iter().find(|r| r.reference == "PBC-002").unwrap().id;
    let pbc4 = list.iter().find(|r| r.reference == "PBC-004").unwrap().id;

    // PBC-002 asks for access reviews (CC6.2 CC6.3): the controls meeting those criteria, the
    // access review population and evidence of its control are suggested.
    let suggested = ws.read(|c| requests::suggestions(c, pbc2, range)).unwrap();
    let reasons: Vec<(&RequestLink, &str)> = suggested.iter().map(|s| (&s.link, s.reason.as_str())).collect();
    assert!(
        suggested.iter().any(|s| matches!(s.link, RequestLink::Control(_)) && s.reason.starts_with("meets CC6.")),
        "{reasons:?}"
    );
    assert!(suggested.iter().any(|s| s.link == RequestLink::Population(Population::AccessReviews)), "{reasons:?}");
    assert!(!suggested.iter().any(|s| s.link == RequestLink::Population(Population::Incidents)), "{reasons:?}");
    assert!(
        !suggested.iter().any(|s| s.label.contains("AC-05:")),
        "the control already linked is not suggested again: {reasons:?}"
    );
    let evidence = suggested
        .iter()
        .find_map(|s| match s.link {
            RequestLink::Evidence(id) => Some(id),
            _ => None,
        })
        .expect("evidence of a control in the range");

    // Accepting a suggestion links it, and history says so; linking twice changes nothing.
    let detail = ws.write(|tx, now| requests::link(tx, now, pbc2, RequestLink::Evidence(evidence))).unwrap();
    assert_eq!(detail.evidence.len(), 1);
    assert!(!detail.evidence[0].owner.is_empty());
    ws.write(|tx, now| requests::link(tx, now, pbc2, RequestLink::Evidence(evidence))).unwrap();
    ws.write(|tx, now| requests::link(tx, now, pbc2, RequestLink::Population(Population::AccessReviews))).unwrap();
    let entries = ws.read(|c| history::list(c, Register::Requests, pbc2)).unwrap();
    let linked: Vec<String> =
        entries.iter().flat_map(|e| e.changes.iter()).filter(|c| c.old.is_none()).map(|c| c.field.clone()).collect();
    assert_eq!(linked.iter().filter(|f| *f == "evidence").count(), 1, "linked once: {linked:?}");
    assert!(linked.contains(&"populations".to_owned()));
    let after = ws.read(|c| requests::suggestions(c, pbc2, range)).unwrap();
    assert!(!after.iter().any(|s| s.link == RequestLink::Evidence(evidence)), "linked: no longer suggested");

    // Unlinking is recorded too; a control, policy or evidence that does not exist is refused
    // and nothing changes.
    let detail = ws.write(|tx, now| requests::unlink(tx, now, pbc2, RequestLink::Evidence(evidence))).unwrap();
    assert!(detail.evidence.is_empty());
    assert_eq!(detail.populations, [Population::AccessReviews]);
    let before = ws.read(|c| history::list(c, Register::Requests, pbc2)).unwrap().len();
    let err = ws.write(|tx, now| requests::link(tx, now, pbc2, RequestLink::Policy(99_999))).unwrap_err();
    assert_eq!(err.code, readyroom_core::ErrorCode::NotFound);
    assert_eq!(ws.read(|c| history::list(c, Register::Requests, pbc2)).unwrap().len(), before);

    // PBC-004 asks for training completions: the population is suggested from its words, and
    // a policy whose title it shares two words with.
    let suggested = ws.read(|c| requests::suggestions(c, pbc4, range)).unwrap();
    assert!(suggested.iter().any(|s| s.link == RequestLink::Population(Population::TrainingCompletions)));
    assert!(
        suggested.iter().any(|s| matches!(s.link, RequestLink::Policy(_)) && s.label.contains("Security Awareness")),
        "{:?}",
        suggested.iter().map(|s| (&s.label, &s.reason)).collect::<Vec<_>>()
    );
}
