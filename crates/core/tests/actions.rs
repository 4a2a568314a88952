//! Remediation actions: references, validation, source links, overdue against an as-of
//! date, ordering by urgency, and history.

mod common;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::actions::{self, ActionInput, ActionQuery, ActionStatus};
use readyroom_core::controls::{self, ControlInput};
use readyroom_core::history::HistoryAction;
use readyroom_core::{ErrorCode, Workspace};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn action(title: &str, due: &str) -> ActionInput {
    ActionInput { title: title.into(), due_date: due.into(), ..Default::default() }
}

fn create(ws: &Workspace, i: &ActionInput) -> readyroom_core::Result<actions::Action> {
    ws.write(|tx, now| actions::create(tx, now, i))
}

#[test]
fn references_are_assigned_in_sequence_and_can_be_given() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    assert_eq!(create(&ws, &action("First", "")).unwrap().reference, "ACT-0001");
    assert_eq!(create(&ws, &action("Second", "")).unwrap().reference, "ACT-0002");
    let custom = ActionInput { reference: "AUD-7".into(), ..action("From the audit", "") };
    assert_eq!(create(&ws, &custom).unwrap().reference, "AUD-7");
    assert_eq!(create(&ws, &action("Third", "")).unwrap().reference, "ACT-0003");
    let err = create(&ws, &ActionInput { reference: "act-0001".into(), ..action("Clash", "") }).unwrap_err();
    assert_eq!(err.fields[0].field, "reference");
}

#[test]
fn validation_and_wont_do_reason() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let bad = ActionInput {
        title: " ".into(),
        due_date: "next week".into(),
        status: ActionStatus::WontDo,
        owner_id: Some(77),
        source_control_id: Some(88),
        ..Default::default()
    };
    let err = create(&ws, &bad).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["title", "due_date", "wont_do_reason", "owner_id", "source_control_id"]);
    assert_eq!(ws.read(|c| actions::list(c, &ActionQuery::default(), day("2026-11-26"))).unwrap().total, 0);
}

#[test]
fn overdue_is_judged_on_the_as_of_date_and_urgent_actions_come_first() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    create(&ws, &action("No date", "")).unwrap();
    let late = create(&ws, &action("Late", "2026-11-01")).unwrap();
    create(&ws, &action("Soon", "2026-12-15")).unwrap();
    let done =
        create(&ws, &ActionInput { status: ActionStatus::Done, ..action("Done long ago", "2026-01-01") }).unwrap();
    assert!(!done.overdue, "closed actions are never overdue");

    let titles = |q: &ActionQuery, as_of: &str| -> Vec<String> {
        ws.read(|c| actions::list(c, q, day(as_of))).unwrap().rows.into_iter().map(|a| a.title).collect()
    };
    assert_eq!(titles(&ActionQuery::default(), "2026-11-26"), ["Late", "Soon", "No date", "Done long ago"]);
    let overdue = ActionQuery { overdue_only: true, ..Default::default() };
    assert_eq!(titles(&overdue, "2026-11-26"), ["Late"]);
    assert_eq!(titles(&overdue, "2026-12-16"), ["Late", "Soon"]);
    assert_eq!(titles(&overdue, "2026-11-01"), Vec::<String>::new(), "due today is not overdue");
    assert!(ws.read(|c| actions::get(c, late.id, day("2026-11-02"))).unwrap().overdue);
}

#[test]
fn actions_link_to_the_control_that_caused_them_and_keep_history() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let control =
        ControlInput { reference: "AC-05".into(), title: "Quarterly access reviews".into(), ..Default::default() };
    let c = ws.write(|tx, now| controls::create(tx, now, &control)).unwrap();
    let input = ActionInput { source_control_id: Some(c.id), ..action("Run the Q4 review of Stripe", "2026-12-31") };
    let a = create(&ws, &input).unwrap();
    assert_eq!(a.source.as_ref().map(|s| s.label.as_str()), Some("AC-05 Quarterly access reviews"));
    let for_control = ActionQuery { source_control_id: Some(c.id), ..Default::default() };
    assert_eq!(ws.read(|conn| actions::list(conn, &for_control, day("2026-11-26"))).unwrap().total, 1);

    let closing = ActionInput { status: ActionStatus::Done, ..input.clone() };
    ws.write(|tx, now| actions::update(tx, now, a.id, &closing)).unwrap();
    ws.write(|tx, now| actions::set_archived(tx, now, a.id, true)).unwrap();
    let h = ws.read(|conn| actions::detail(conn, a.id, day("2026-11-26"))).unwrap().history;
    let kinds: Vec<HistoryAction> = h.iter().map(|e| e.action).collect();
    assert_eq!(kinds, [HistoryAction::Archive, HistoryAction::Update, HistoryAction::Create]);
    assert_eq!(h[1].changes[0].field, "status");
    assert_eq!(h[1].changes[0].new.as_deref(), Some("done"));
}

#[test]
fn an_action_can_come_from_a_policy_but_not_from_two_records() {
    use readyroom_core::policies::{self, PolicyInput};
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let p = ws
        .write(|tx, now| {
            policies::create(tx, now, &PolicyInput { title: "Vendor Management Policy".into(), ..Default::default() })
        })
        .unwrap();
    let c = ws
        .write(|tx, now| {
            controls::create(
                tx,
                now,
                &ControlInput { reference: "VEN-02".into(), title: "Vendor reviews".into(), ..Default::default() },
            )
        })
        .unwrap();
    let input = ActionInput { source_policy_id: Some(p.id), ..action("Write the vendor policy", "2026-12-31") };
    let a = create(&ws, &input).unwrap();
    let source = a.source.unwrap();
    assert_eq!((source.kind.as_str(), source.label.as_str()), ("policies", "Vendor Management Policy"));
    let q = ActionQuery { source_policy_id: Some(p.id), ..Default::default() };
    assert_eq!(ws.read(|conn| actions::list(conn, &q, day("2026-11-26"))).unwrap().total, 1);
    let both = ActionInput { source_control_id: Some(c.id), ..input };
    assert_eq!(create(&ws, &both).unwrap_err().fields[0].field, "source_policy_id");
}
