//! The Trust Services Criteria library must hold exactly the 61 public IDs.

mod common;

use std::collections::BTreeSet;

use common::{open, temp_workspace};
use readyroom_core::criteria::{self, Category};
use readyroom_core::profile::{self, AuditType, OptionalCategories, ProfileInput};

const EXPECTED: &[&str] = &[
    "CC1.1", "CC1.2", "CC1.3", "CC1.4", "CC1.5", "CC2.1", "CC2.2", "CC2.3", "CC3.1", "CC3.2", "CC3.3", "CC3.4",
    "CC4.1", "CC4.2", "CC5.1", "CC5.2", "CC5.3", "CC6.1", "CC6.2", "CC6.3", "CC6.4", "CC6.5", "CC6.6", "CC6.7",
    "CC6.8", "CC7.1", "CC7.2", "CC7.3", "CC7.4", "CC7.5", "CC8.1", "CC9.1", "CC9.2", "A1.1", "A1.2", "A1.3", "C1.1",
    "C1.2", "PI1.1", "PI1.2", "PI1.3", "PI1.4", "PI1.5", "P1.1", "P2.1", "P3.1", "P3.2", "P4.1", "P4.2", "P4.3",
    "P5.1", "P5.2", "P6.1", "P6.2", "P6.3", "P6.4", "P6.5", "P6.6", "P6.7", "P7.1", "P8.1",
];

#[test]
fn the_library_holds_exactly_the_61_criteria() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let list = ws.read(criteria::list).unwrap();
    assert_eq!(EXPECTED.len(), 61);
    assert_eq!(list.len(), 61);
    let ids: Vec<&str> = list.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, EXPECTED, "exact IDs, in library order, no duplicates");
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), 61);

    let count = |cat| list.iter().filter(|c| c.category == cat).count();
    assert_eq!(count(Category::Security), 33);
    assert_eq!(count(Category::Availability), 3);
    assert_eq!(count(Category::Confidentiality), 2);
    assert_eq!(count(Category::ProcessingIntegrity), 5);
    assert_eq!(count(Category::Privacy), 18);
    for c in &list {
        assert!(!c.title.trim().is_empty() && !c.summary.trim().is_empty(), "{} has text", c.id);
        assert!(c.id.starts_with(&c.series), "{} belongs to series {}", c.id, c.series);
    }
}

#[test]
fn scope_follows_the_profile_and_security_is_always_in() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let in_scope = |ws: &readyroom_core::Workspace| {
        ws.read(criteria::list).unwrap().into_iter().filter(|c| c.in_scope).map(|c| c.id).collect::<Vec<_>>()
    };
    assert_eq!(in_scope(&ws).len(), 33, "only Security before a profile exists");

    let input = ProfileInput {
        name: "Acme".into(),
        categories: OptionalCategories { availability: true, privacy: true, ..Default::default() },
        audit_type: AuditType::Type1,
        ..Default::default()
    };
    ws.write(|tx, now| profile::save(tx, now, &input)).unwrap();
    let ids = in_scope(&ws);
    assert_eq!(ids.len(), 33 + 3 + 18);
    assert!(ids.contains(&"A1.2".to_string()) && ids.contains(&"P6.7".to_string()));
    assert!(!ids.contains(&"C1.1".to_string()) && !ids.contains(&"PI1.1".to_string()));
}
