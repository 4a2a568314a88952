//! Roles: mapping a role to a person makes them the owner of the role's starter controls and
//! policies that have no owner (or that the previous holder owned), with a trail; an owner
//! chosen by hand stays; an archived person is refused and nothing changes.

mod common;

use common::{open, temp_workspace};
use readyroom_core::controls::{self, ControlQuery};
use readyroom_core::people::{self, PersonInput};
use readyroom_core::{policies, risks, roles, ErrorCode, Workspace};

fn now_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn person(ws: &Workspace, name: &str, end: &str) -> i64 {
    let p = PersonInput {
        name: name.into(),
        email: format!("{}@acme.test", name.to_lowercase()),
        end_date: end.into(),
        ..Default::default()
    };
    ws.write(|tx, now| people::create(tx, now, &p)).unwrap().id
}

fn control(ws: &Workspace, reference: &str) -> controls::Control {
    let q = ControlQuery { search: reference.into(), limit: 5, ..Default::default() };
    ws.read(|c| controls::list(c, &q)).unwrap().rows.into_iter().find(|c| c.reference == reference).unwrap()
}

fn owner(ws: &Workspace, reference: &str) -> Option<String> {
    control(ws, reference).owner.map(|o| o.name)
}

#[test]
fn a_role_mapped_once_owns_its_starter_records_and_moves_to_a_successor() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    ws.write(controls::install_starter).unwrap();
    ws.write(policies::install_expected).unwrap();
    let (cleo, dan) = (person(&ws, "Cleo", "2026-10-31"), person(&ws, "Dan", ""));
    // One security control already has an owner someone chose.
    let ac02 = control(&ws, "AC-02");
    let input = controls::ControlInput {
        reference: ac02.reference.clone(),
        title: ac02.title.clone(),
        description: ac02.description.clone(),
        owner_id: Some(dan),
        status: ac02.status,
        na_justification: ac02.na_justification.clone(),
        cadence: ac02.cadence,
        criteria: ac02.criteria.clone(),
        sources: None,
    };
    ws.write(|tx, now| controls::update(tx, now, ac02.id, &input)).unwrap();

    let before = ws.read(roles::list).unwrap();
    let security = before.iter().find(|r| r.key == "security_lead").unwrap();
    assert_eq!((security.title.as_str(), security.person.as_ref()), ("Security Lead", None));
    assert!(security.records > 30 && security.unowned == security.records - 1, "{security:?}");

    let done = ws.write(|tx, now| roles::assign(tx, now, "security_lead", Some(cleo))).unwrap();
    assert_eq!(done.moved, security.records - 1, "every unowned record of the role, not AC-02");
    assert_eq!(owner(&ws, "AC-05").as_deref(), Some("Cleo"));
    assert_eq!(owner(&ws, "AC-02").as_deref(), Some("Dan"), "an owner chosen by hand stays");
    let access = ws
        .read(|c| policies::list(c, false))
        .unwrap()
        .into_iter()
        .find(|p| p.title == "Access Control Policy")
        .unwrap();
    assert_eq!(access.owner.map(|o| o.name).as_deref(), Some("Cleo"));
    let ac05 = control(&ws, "AC-05").id;
    let history = ws.read(|c| controls::detail(c, ac05)).unwrap().history;
    assert!(history.iter().any(|h| h.changes.iter().any(|c| c.field == "owner" && c.new.as_deref() == Some("Cleo"))));
    // Cleo is leaving: the list says so, and mapping the role to Dan moves her records.
    let listed = ws.read(roles::list).unwrap();
    let security = listed.iter().find(|r| r.key == "security_lead").unwrap();
    assert_eq!(security.person_leaves_on.map(|d| d.to_string()).as_deref(), Some("2026-10-31"));
    assert_eq!(security.unowned, 0);
    let moved = ws.write(|tx, now| roles::assign(tx, now, "security_lead", Some(dan))).unwrap().moved;
    assert_eq!(moved, security.records - 1, "Cleo's records, not AC-02 which Dan already owns");
    assert_eq!(owner(&ws, "AC-05").as_deref(), Some("Dan"));
    // A record of another role is untouched.
    assert_eq!(owner(&ws, "HR-01"), None);
    // A starter risk follows the role the library suggests for it.
    ws.write(|tx, now| risks::add_starter(tx, now, &["phishing-credentials".into()])).unwrap();
    ws.write(|tx, now| roles::assign(tx, now, "security_lead", Some(cleo))).unwrap();
    let risk = ws.read(|c| risks::list(c, &risks::RiskQuery::default(), now_day())).unwrap().rows.remove(0);
    assert_eq!(risk.owner.map(|o| o.name).as_deref(), Some("Cleo"));
}

#[test]
fn a_bad_mapping_is_refused_and_changes_nothing() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    ws.write(controls::install_starter).unwrap();
    let gone = person(&ws, "Gone", "");
    ws.write(|tx, now| people::set_archived(tx, now, gone, true)).unwrap();
    let err = ws.write(|tx, now| roles::assign(tx, now, "security_lead", Some(gone))).unwrap_err();
    assert_eq!((err.code, err.fields[0].field.as_str()), (ErrorCode::Validation, "person_id"));
    let err = ws.write(|tx, now| roles::assign(tx, now, "astronaut", None)).unwrap_err();
    assert_eq!((err.code, err.fields[0].field.as_str()), (ErrorCode::Validation, "role"));
    assert!(ws.read(roles::list).unwrap().iter().all(|r| r.person.is_none()));
    assert_eq!(owner(&ws, "AC-05"), None);
}

#[test]
fn starter_records_added_after_the_mapping_come_owned_by_the_role_holder() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let (sec, gone) = (person(&ws, "Sec", ""), person(&ws, "Gone", "2020-01-31"));
    ws.write(|tx, now| roles::assign(tx, now, "security_lead", Some(sec))).unwrap();
    // A holder who has left owns nothing new: their records wait for a successor.
    ws.write(|tx, now| roles::assign(tx, now, "people_lead", Some(gone))).unwrap();

    ws.write(controls::install_starter).unwrap();
    ws.write(policies::install_expected).unwrap();
    ws.write(|tx, now| risks::add_starter(tx, now, &["phishing-credentials".into()])).unwrap();
    assert_eq!(owner(&ws, "AC-05").as_deref(), Some("Sec"));
    assert_eq!(owner(&ws, "HR-01"), None, "the people lead has left");
    let policy = |title: &str| {
        ws.read(|c| policies::list(c, false))
            .unwrap()
            .into_iter()
            .find(|p| p.title == title)
            .unwrap()
            .owner
            .map(|o| o.name)
    };
    assert_eq!(policy("Access Control Policy").as_deref(), Some("Sec"));
    assert_eq!(policy("Code of Conduct"), None, "the people lead has left");
    let risk = ws.read(|c| risks::list(c, &risks::RiskQuery::default(), now_day())).unwrap().rows.remove(0);
    assert_eq!(risk.owner.map(|o| o.name).as_deref(), Some("Sec"));
    // The owner is set as the record is created, not behind its back later: its history is
    // the creation alone, so "Sec" is the value it was created with.
    let ac05 = control(&ws, "AC-05").id;
    let history = ws.read(|c| controls::detail(c, ac05)).unwrap().history;
    assert_eq!(history.iter().map(|e| e.action).collect::<Vec<_>>(), [readyroom_core::history::HistoryAction::Create]);
}

#[test]
fn privacy_lead_counts_only_when_privacy_is_in_scope() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let keys = |ws: &Workspace| ws.read(roles::list).unwrap().into_iter().map(|r| r.key).collect::<Vec<_>>();
    assert!(!keys(&ws).contains(&"privacy_lead".to_owned()));
    let input = readyroom_core::profile::ProfileInput {
        name: "Acme".into(),
        categories: readyroom_core::profile::OptionalCategories { privacy: true, ..Default::default() },
        ..Default::default()
    };
    ws.write(|tx, now| readyroom_core::profile::save(tx, now, &input)).unwrap();
    assert!(keys(&ws).contains(&"privacy_lead".to_owned()));
}
