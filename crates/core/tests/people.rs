//! The people directory: create, edit, archive, search; unique emails; date order.

mod common;

use common::{open, temp_workspace};
use readyroom_core::people::{self, PeopleQuery, PersonInput};
use readyroom_core::{ErrorCode, Workspace};

fn person(name: &str, email: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        email: email.into(),
        role: "Engineer".into(),
        start_date: "2025-03-01".into(),
        end_date: String::new(),
    }
}

fn create(ws: &Workspace, input: &PersonInput) -> readyroom_core::Result<people::Person> {
    ws.write(|tx, now| people::create(tx, now, input))
}

fn names(ws: &Workspace, query: &PeopleQuery) -> Vec<String> {
    ws.read(|c| people::list(c, query)).unwrap().into_iter().map(|p| p.name).collect()
}

#[test]
fn create_edit_and_list_sorted_by_name() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let zoe = create(&ws, &person("Zoë Park", "zoe@example.com")).unwrap();
    create(&ws, &person("adam Smith", "adam@example.com")).unwrap();
    assert_eq!(names(&ws, &PeopleQuery::default()), ["adam Smith", "Zoë Park"]);

    let mut edit = person("Zoë Park-Lee", "ZOE@example.com");
    edit.end_date = "2026-10-31".into();
    let edited = ws.write(|tx, now| people::update(tx, now, zoe.id, &edit)).unwrap();
    assert_eq!(edited.name, "Zoë Park-Lee");
    assert_eq!(edited.end_date.map(|d| d.to_string()).as_deref(), Some("2026-10-31"));
    assert_eq!(edited.created_at, zoe.created_at);
}

#[test]
fn email_is_unique_regardless_of_case_and_archiving() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let ann = create(&ws, &person("Ann Lee", "ann@example.com")).unwrap();
    let err = create(&ws, &person("Other Ann", "ANN@Example.com")).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(err.fields[0].field, "email");
    assert_eq!(err.fields[0].message, "Ann Lee already uses this email.");

    ws.write(|tx, now| people::set_archived(tx, now, ann.id, true)).unwrap();
    let err = create(&ws, &person("Other Ann", "ann@example.com")).unwrap_err();
    assert_eq!(err.fields[0].message, "Ann Lee (archived) already uses this email.");
    assert_eq!(names(&ws, &PeopleQuery { include_archived: true, ..Default::default() }), ["Ann Lee"]);

    // Saving a person with their own email is not a clash.
    ws.write(|tx, now| people::update(tx, now, ann.id, &person("Ann Lee", "ann@example.com"))).unwrap();
}

#[test]
fn bad_input_is_reported_per_field_and_nothing_is_stored() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let bad = PersonInput {
        name: "".into(),
        email: "ann.example.com".into(),
        role: String::new(),
        start_date: "2026-05-01".into(),
        end_date: "2026-04-30".into(),
    };
    let err = create(&ws, &bad).unwrap_err();
    let fields: Vec<(&str, &str)> = err.fields.iter().map(|f| (f.field.as_str(), f.message.as_str())).collect();
    assert_eq!(
        fields,
        [
            ("name", "Name is required."),
            ("email", "Email must look like name@example.com."),
            ("end_date", "End date cannot be before the start date.")
        ]
    );
    assert!(names(&ws, &PeopleQuery { include_archived: true, ..Default::default() }).is_empty());

    let same_day = PersonInput { end_date: "2026-05-01".into(), ..person("Day Tripper", "day@example.com") };
    create(&ws, &PersonInput { start_date: "2026-05-01".into(), ..same_day })
        .expect("leaving on the start day is allowed");
}

#[test]
fn archive_hides_and_restore_shows_again() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let bob = create(&ws, &person("Bob Stone", "bob@example.com")).unwrap();
    let archived = ws.write(|tx, now| people::set_archived(tx, now, bob.id, true)).unwrap();
    assert!(archived.archived);
    assert!(names(&ws, &PeopleQuery::default()).is_empty());
    ws.write(|tx, now| people::set_archived(tx, now, bob.id, false)).unwrap();
    assert_eq!(names(&ws, &PeopleQuery::default()), ["Bob Stone"]);
    assert_eq!(ws.write(|tx, now| people::set_archived(tx, now, 999, true)).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn search_matches_name_email_and_role_and_treats_wildcards_literally() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    create(&ws, &person("Ann Lee", "ann@example.com")).unwrap();
    create(&ws, &PersonInput { role: "Head of 100% Compliance".into(), ..person("Cal Diaz", "cal@corp.io") }).unwrap();
    let q = |s: &str| PeopleQuery { search: s.into(), include_archived: false };
    assert_eq!(names(&ws, &q("ANN")), ["Ann Lee"]);
    assert_eq!(names(&ws, &q("corp.io")), ["Cal Diaz"]);
    assert_eq!(names(&ws, &q("100%")), ["Cal Diaz"]);
    assert!(names(&ws, &q("_")).is_empty(), "underscore is not a wildcard");
}

#[test]
fn pages_sort_and_filter_leavers() {
    use readyroom_core::people::{PeoplePageQuery, PeopleSort};
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    ws.write(|tx, now| {
        for i in 0..150 {
            let end = if i % 10 == 0 { format!("2026-{:02}-01", 1 + i / 15) } else { String::new() };
            let input = PersonInput {
                name: format!("Person {i:03}"),
                email: format!("p{i}@example.com"),
                role: String::new(),
                start_date: "2020-01-01".into(),
                end_date: end,
            };
            people::create(tx, now, &input)?;
        }
        Ok(())
    })
    .unwrap();
    let page = |q: PeoplePageQuery| ws.read(|c| people::page(c, &q)).unwrap();
    let p = page(PeoplePageQuery { offset: 100, ..Default::default() });
    assert_eq!((p.total, p.rows.len(), p.rows[0].name.as_str()), (150, 50, "Person 100"));
    let leavers =
        page(PeoplePageQuery { leavers_only: true, sort: PeopleSort::EndDate, descending: true, ..Default::default() });
    assert_eq!(leavers.total, 15);
    assert_eq!(leavers.rows[0].end_date.map(|d| d.to_string()).as_deref(), Some("2026-10-01"));
    let by_name_desc = page(PeoplePageQuery { descending: true, limit: 1, ..Default::default() });
    assert_eq!(by_name_desc.rows[0].name, "Person 149");
}
