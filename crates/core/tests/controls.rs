//! Controls register: validation, criteria mapping, activities and next due, history,
//! list queries, archive vs delete, and the starter library.

mod common;

use std::collections::BTreeSet;

use common::{open, temp_workspace};
use readyroom_core::controls::{self, ActivityInput, Cadence, ControlInput, ControlQuery, ControlSort, ControlStatus};
use readyroom_core::history::HistoryAction;
use readyroom_core::people::{self, PersonInput};
use readyroom_core::starter::controls::STARTER_CONTROLS;
use readyroom_core::{criteria, ErrorCode, Workspace};

fn input(reference: &str, title: &str, criteria: &[&str]) -> ControlInput {
    ControlInput {
        reference: reference.into(),
        title: title.into(),
        description: "What we do.".into(),
        owner_id: None,
        status: ControlStatus::InProgress,
        na_justification: String::new(),
        cadence: Cadence::Quarterly,
        criteria: criteria.iter().map(|c| c.to_string()).collect(),
        sources: None,
    }
}

fn create(ws: &Workspace, i: &ControlInput) -> readyroom_core::Result<controls::Control> {
    ws.write(|tx, now| controls::create(tx, now, i))
}

fn person(ws: &Workspace, name: &str, email: &str) -> i64 {
    let p = PersonInput { name: name.into(), email: email.into(), ..Default::default() };
    ws.write(|tx, now| people::create(tx, now, &p)).unwrap().id
}

fn fields(err: &readyroom_core::Error) -> Vec<(&str, &str)> {
    err.fields.iter().map(|f| (f.field.as_str(), f.message.as_str())).collect()
}

#[test]
fn a_control_maps_criteria_in_library_order_and_is_found_by_criterion() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let c = create(&ws, &input("AC-03", "Role-based access", &["cc6.3", "CC6.1", "CC6.1"])).unwrap();
    assert_eq!(c.criteria, ["CC6.1", "CC6.3"], "normalised, de-duplicated, library order");
    for crit in ["CC6.1", "CC6.3"] {
        let page = ws
            .read(|c| controls::list(c, &ControlQuery { criterion: Some(crit.into()), ..Default::default() }))
            .unwrap();
        assert_eq!(page.rows.iter().map(|r| r.reference.as_str()).collect::<Vec<_>>(), ["AC-03"]);
    }
    let none = ws
        .read(|c| controls::list(c, &ControlQuery { criterion: Some("CC6.2".into()), ..Default::default() }))
        .unwrap();
    assert_eq!(none.total, 0);
}

#[test]
fn validation_reports_every_field() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    create(&ws, &input("AC-03", "Role-based access", &["CC6.3"])).unwrap();
    let mut bad = input("ac-03", "", &["CC6.1", "CC99.1", "nonsense"]);
    bad.status = ControlStatus::NotApplicable;
    let err = create(&ws, &bad).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(
        fields(&err),
        [
            ("reference", "ac-03 is already used by “Role-based access”."),
            ("title", "Title is required."),
            ("na_justification", "Say why the control does not apply; the auditor will ask."),
            ("criteria", "Unknown criteria: CC99.1, nonsense. Use IDs such as CC6.1."),
        ]
    );
    let err = create(&ws, &input("AC 03", "x", &[])).unwrap_err();
    assert_eq!(err.fields[0].field, "reference");
    assert_eq!(ws.read(|c| controls::list(c, &ControlQuery::default())).unwrap().total, 1, "nothing stored");
}

#[test]
fn owners_must_exist_and_be_active() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let ann = person(&ws, "Ann Lee", "ann@example.com");
    let mut i = input("AC-01", "Unique accounts", &["CC6.1"]);
    i.owner_id = Some(ann);
    let c = create(&ws, &i).unwrap();
    assert_eq!(c.owner.as_ref().map(|o| o.name.as_str()), Some("Ann Lee"));

    ws.write(|tx, now| people::set_archived(tx, now, ann, true)).unwrap();
    i.title = "Unique accounts, renamed".into();
    ws.write(|tx, now| controls::update(tx, now, c.id, &i))
        .expect("keeping an owner who was archived later is allowed");
    i.reference = "AC-02".into();
    let err = create(&ws, &i).unwrap_err();
    assert_eq!(fields(&err), [("owner_id", "That person is archived; choose an active owner.")]);
    i.owner_id = Some(999);
    assert_eq!(fields(&create(&ws, &i).unwrap_err()), [("owner_id", "That person does not exist.")]);
}

#[test]
fn activities_drive_last_performed_and_next_due() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let c = create(&ws, &input("AC-05", "Quarterly access review", &["CC6.2"])).unwrap();
    assert_eq!((c.last_performed, c.next_due), (None, None));
    let ann = person(&ws, "Ann Lee", "ann@example.com");
    for on in ["2026-05-31", "2026-08-31", "2026-02-28"] {
        let a =
            ActivityInput { performed_on: on.into(), performed_by: Some(ann), notes: "Reviewed all accounts.".into() };
        ws.write(|tx, now| controls::add_activity(tx, now, c.id, &a)).unwrap();
    }
    let detail = ws.read(|conn| controls::detail(conn, c.id)).unwrap();
    assert_eq!(detail.control.last_performed.map(|d| d.to_string()).as_deref(), Some("2026-08-31"));
    assert_eq!(detail.control.next_due.map(|d| d.to_string()).as_deref(), Some("2026-11-30"));
    let dates: Vec<String> = detail.activities.iter().map(|a| a.performed_on.to_string()).collect();
    assert_eq!(dates, ["2026-08-31", "2026-05-31", "2026-02-28"], "newest first");
    assert_eq!(detail.activities[0].performed_by.as_ref().map(|p| p.name.as_str()), Some("Ann Lee"));

    let future = ActivityInput { performed_on: "2026-11-27".into(), performed_by: None, notes: String::new() };
    let err = ws.write(|tx, now| controls::add_activity(tx, now, c.id, &future)).unwrap_err();
    assert_eq!(fields(&err), [("performed_on", "An activity cannot be recorded before it happens.")]);
    let bad = ActivityInput { performed_on: "31/08/2026".into(), performed_by: Some(4242), notes: String::new() };
    let err = ws.write(|tx, now| controls::add_activity(tx, now, c.id, &bad)).unwrap_err();
    assert_eq!(err.fields.len(), 2);
}

#[test]
fn history_records_create_update_activity_and_archive() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let c = create(&ws, &input("CHG-02", "Approval before production", &["CC8.1"])).unwrap();
    let mut edit = input("CHG-02", "Approval before production", &["CC8.1", "CC5.2"]);
    edit.status = ControlStatus::Implemented;
    ws.write(|tx, now| controls::update(tx, now, c.id, &edit)).unwrap();
    ws.write(|tx, now| controls::update(tx, now, c.id, &edit)).unwrap(); // no change: no row
    let act = ActivityInput { performed_on: "2026-11-01".into(), ..Default::default() };
    ws.write(|tx, now| controls::add_activity(tx, now, c.id, &act)).unwrap();
    ws.write(|tx, now| controls::set_archived(tx, now, c.id, true)).unwrap();

    let h = ws.read(|conn| controls::detail(conn, c.id)).unwrap().history;
    let actions: Vec<HistoryAction> = h.iter().map(|e| e.action).collect();
    assert_eq!(actions, [HistoryAction::Archive, HistoryAction::Update, HistoryAction::Update, HistoryAction::Create]);
    let update = &h[2];
    let changed: Vec<(&str, Option<&str>, Option<&str>)> =
        update.changes.iter().map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref())).collect();
    assert_eq!(
        changed,
        [("status", Some("in_progress"), Some("implemented")), ("criteria", Some("CC8.1"), Some("CC5.2 CC8.1"))]
    );
    assert_eq!(h[1].changes[0].new.as_deref(), Some("performed on 2026-11-01"));
    assert!(h[3].changes.is_empty(), "a creation stores no values: the row and the later changes give them");
    assert_eq!(h[0].at, "2026-11-26T09:30:00Z");
}

#[test]
fn drafts_can_be_deleted_anything_else_is_archived() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let mut draft = input("X-01", "Draft", &[]);
    draft.status = ControlStatus::NotStarted;
    let d = create(&ws, &draft).unwrap();
    ws.write(|tx, _| controls::delete_draft(tx, d.id)).unwrap();
    assert_eq!(ws.read(|c| controls::get(c, d.id)).unwrap_err().code, ErrorCode::NotFound);

    let started = create(&ws, &input("X-02", "Started", &[])).unwrap();
    let err = ws.write(|tx, _| controls::delete_draft(tx, started.id)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    ws.write(|tx, now| controls::set_archived(tx, now, started.id, true)).unwrap();
    assert_eq!(ws.read(|c| controls::list(c, &ControlQuery::default())).unwrap().total, 0);
    let all = ws.read(|c| controls::list(c, &ControlQuery { include_archived: true, ..Default::default() })).unwrap();
    assert!(all.rows[0].archived);
}

#[test]
fn list_searches_filters_sorts_and_pages() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let ann = person(&ws, "Ann", "ann@example.com");
    ws.write(|tx, now| {
        for i in 0..250 {
            let mut c = input(&format!("T-{i:03}"), &format!("Control number {i}"), &["CC1.1"]);
            c.cadence = if i % 2 == 0 { Cadence::Monthly } else { Cadence::Annual };
            c.owner_id = (i % 5 == 0).then_some(ann);
            controls::create(tx, now, &c)?;
        }
        Ok(())
    })
    .unwrap();
    let q = |q: ControlQuery| ws.read(|c| controls::list(c, &q)).unwrap();
    let page = q(ControlQuery { offset: 200, limit: 100, ..Default::default() });
    assert_eq!((page.total, page.rows.len()), (250, 50));
    assert_eq!(page.rows[0].reference, "T-200");
    let desc = q(ControlQuery { sort: ControlSort::Reference, descending: true, limit: 1, ..Default::default() });
    assert_eq!(desc.rows[0].reference, "T-249");
    assert_eq!(q(ControlQuery { search: "number 12".into(), ..Default::default() }).total, 11, "12, 120-129");
    assert_eq!(q(ControlQuery { cadence: Some(Cadence::Monthly), ..Default::default() }).total, 125);
    assert_eq!(q(ControlQuery { owner_id: Some(ann), ..Default::default() }).total, 50);
    let by_owner = q(ControlQuery { sort: ControlSort::Owner, limit: 1, ..Default::default() });
    assert_eq!(by_owner.rows[0].owner.as_ref().map(|o| o.id), Some(ann), "people before unowned");
}

#[test]
fn the_starter_library_covers_every_common_criterion() {
    assert!((60..=100).contains(&STARTER_CONTROLS.len()), "about 60-100 controls: {}", STARTER_CONTROLS.len());
    let refs: BTreeSet<&str> = STARTER_CONTROLS.iter().map(|c| c.reference).collect();
    assert_eq!(refs.len(), STARTER_CONTROLS.len(), "references are unique");

    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    assert_eq!(ws.read(controls::starter_summary).unwrap().missing as usize, STARTER_CONTROLS.len());
    let added = ws.write(controls::install_starter).unwrap();
    assert_eq!(added as usize, STARTER_CONTROLS.len(), "every starter control validates");
    assert_eq!(ws.write(controls::install_starter).unwrap(), 0, "installing twice adds nothing");
    assert_eq!(ws.read(controls::starter_summary).unwrap().missing, 0);

    let all = ws.read(|c| controls::list(c, &ControlQuery { limit: 1000, ..Default::default() })).unwrap();
    let mapped: BTreeSet<String> = all.rows.iter().flat_map(|c| c.criteria.clone()).collect();
    let library = ws.read(criteria::list).unwrap();
    let uncovered: Vec<&str> =
        library.iter().filter(|c| c.id.starts_with("CC") && !mapped.contains(&c.id)).map(|c| c.id.as_str()).collect();
    assert!(uncovered.is_empty(), "CC criteria without a starter control: {uncovered:?}");
    let other_uncovered: Vec<&str> =
        library.iter().filter(|c| !mapped.contains(&c.id)).map(|c| c.id.as_str()).collect();
    assert!(other_uncovered.is_empty(), "the optional categories are covered too: {other_uncovered:?}");
}

#[test]
fn every_starter_control_says_how_an_auditor_tests_it_and_what_to_keep() {
    use readyroom_core::starter::controls::guide;
    use readyroom_core::starter::policy_texts::ROLES;
    for c in STARTER_CONTROLS {
        let g = guide(c.reference).unwrap_or_else(|| panic!("{} has no guide", c.reference));
        assert!(ROLES.iter().any(|(k, t)| *k == g.role && *t == g.role_title), "{}: role {}", c.reference, g.role);
        let words = |t: &str| t.split_whitespace().count();
        assert!((50..=140).contains(&words(&g.test)), "{}: test of {} words", c.reference, words(&g.test));
        assert!(g.test.contains("Sample:") && g.test.contains("Type I"), "{}: the sample size", c.reference);
        assert!((20..=80).contains(&words(&g.evidence)), "{}: evidence of {} words", c.reference, words(&g.evidence));
    }
    assert!(guide("MY-OWN-01").is_none(), "only the library's controls have guidance");
    for thin in ["CC1.2", "CC2.1", "CC3.3", "CC5.1"] {
        let n = STARTER_CONTROLS.iter().filter(|c| c.criteria.contains(&thin)).count();
        assert!(n >= 2, "{thin} has {n} starter controls");
    }
    let mapped = |r: &str| STARTER_CONTROLS.iter().find(|c| c.reference == r).map(|c| c.criteria.to_vec()).unwrap();
    assert!(
        !mapped("AST-01").contains(&"CC6.8")
            && !mapped("ENC-03").contains(&"CC8.1")
            && !mapped("VUL-02").contains(&"CC4.2")
    );

    // The control screen carries it.
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    ws.write(controls::install_starter).unwrap();
    let page = ws
        .read(|c| controls::list(c, &ControlQuery { search: "AC-05".into(), limit: 10, ..Default::default() }))
        .unwrap();
    let detail = ws.read(|c| controls::detail(c, page.rows[0].id)).unwrap();
    assert!(detail.guide.is_some_and(|g| g.test.contains("Inspection")));
}

/// A control drawing on a register is performed when that register's record is: "Quarterly
/// access reviews" was last performed on the latest access review, as the readiness checks count
/// it, not never. The list's last performed and next due follow the same occurrences the checks
/// read, for every control of the demo (its own activities and each dated source it draws on).
#[test]
fn last_performed_counts_the_records_a_control_draws_on() {
    use readyroom_core::past::Past;
    use readyroom_core::readiness::occurrences::{activities, of_source};
    let (_dir, path) = temp_workspace();
    let ws = common::open_on(&path, "2026-12-02").unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    ws.write(|tx, now| readyroom_core::demo::create(tx, now, today)).unwrap();
    let q = ControlQuery { limit: 1000, ..Default::default() };
    let list = ws.read(|c| controls::list(c, &q)).unwrap().rows;
    let past = Past::new(today);
    let own = ws.read(|c| activities(c, &past)).unwrap();
    let mut drawing = 0;
    for k in &list {
        let mut dates: Vec<chrono::NaiveDate> = own.get(&k.id).into_iter().flatten().map(|o| o.on).collect();
        for s in &k.sources {
            dates.extend(ws.read(|c| of_source(c, &past, *s)).unwrap().iter().map(|o| o.on));
        }
        let expected = dates.into_iter().max();
        assert_eq!(k.last_performed, expected, "{} {}", k.reference, k.title);
        assert_eq!(k.next_due, expected.and_then(|d| k.cadence.next_due(d)), "{}", k.reference);
        let detail = ws.read(|c| controls::detail(c, k.id)).unwrap();
        assert_eq!(detail.control.last_performed, expected, "{} detail", k.reference);
        drawing += usize::from(!k.sources.is_empty() && expected.is_some());
    }
    assert!(drawing >= 8, "the demo's controls draw on every dated source: {drawing}");
    let ac05 = list.iter().find(|k| k.reference == "AC-05").expect("the demo's access review control");
    assert!(ac05.last_performed.is_some() && ac05.next_due.is_some(), "{ac05:?}");
    // Sorting by last performed orders by the same date.
    let sorted = ws
        .read(|c| controls::list(c, &ControlQuery { sort: ControlSort::LastPerformed, descending: true, ..q.clone() }))
        .unwrap()
        .rows;
    let dates: Vec<_> = sorted.iter().map(|k| k.last_performed).collect();
    let mut expected = dates.clone();
    expected.sort_by(|a, b| b.is_some().cmp(&a.is_some()).then(b.cmp(a)));
    assert_eq!(dates, expected);
}
