//! IPC tests for the commands of each register, through Tauri's mock runtime: each flow goes
//! through the real handlers and a real workspace file, and checks the JSON that comes back,
//! including a refusal with its code and that the refusal changed nothing.
//! (tests/commands.rs fails when a command has no IPC test.)

mod common;

use common::{staged_file, with_dialogs, Harness};
use serde_json::{json, Value};

fn person(h: &Harness, name: &str, start: &str) -> Value {
    let email = format!("{}@acme.test", name.to_lowercase());
    h.invoke(
        "create_person",
        json!({"input": {"name": name, "email": email, "role": "", "start_date": start, "end_date": ""}}),
    )
    .unwrap()["id"]
        .clone()
}

fn system_input(name: &str) -> Value {
    json!({
        "name": name, "description": "", "owner_id": null, "criticality": "critical", "in_scope": true,
        "holds_customer_data": true, "data_type_ids": [], "mfa_enforced": true, "role_based_access": true,
        "shared_accounts": false, "shared_accounts_reason": "", "encryption_at_rest": true, "tls_in_transit": true,
        "tls_min_version": "1.2", "logs_forwarded": true, "alerting": true, "certificates": []
    })
}

fn history_actions(entries: &Value) -> Vec<String> {
    entries.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn people_page_sorts_filters_leavers_and_keeps_a_history() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let ann = person(&h, "Ann", "2024-01-02");
    person(&h, "Bo", "2025-05-05");
    let edit = json!({"name": "Ann", "email": "ann@acme.test", "role": "CTO", "start_date": "2024-01-02", "end_date": "2026-10-30"});
    h.invoke("update_person", json!({"id": ann, "input": edit})).unwrap();
    let query = |leavers: bool, descending: bool| {
        json!({"query": {"search": "", "include_archived": false, "leavers_only": leavers, "sort": "name",
            "descending": descending, "offset": 0, "limit": 1}})
    };
    let page = h.invoke("people_page", query(false, true)).unwrap();
    assert_eq!(
        (page["total"].clone(), page["rows"][0]["name"].clone()),
        (json!(2), json!("Bo")),
        "sorted, one per page"
    );
    let leavers = h.invoke("people_page", query(true, false)).unwrap();
    assert_eq!(leavers["total"], 1);
    assert_eq!(leavers["rows"][0]["name"], "Ann");
    let history = h.invoke("person_history", json!({"id": ann})).unwrap();
    assert_eq!(history_actions(&history), ["update", "create"]);
    assert_eq!(h.invoke("person_history", json!({"id": 999})).unwrap_err()["code"], "not_found");
}

#[test]
fn controls_and_actions_are_edited_archived_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let input = json!({"reference": "AC-01", "title": "Unique accounts", "description": "", "owner_id": null,
        "status": "in_progress", "na_justification": "", "cadence": "annual", "criteria": ["CC6.1"]});
    let c = h.invoke("create_control", json!({"input": input})).unwrap();
    let mut bad = input.clone();
    bad["status"] = json!("not_applicable");
    let err = h.invoke("update_control", json!({"id": c["id"], "input": bad})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "na_justification");
    let mut good = input.clone();
    good["status"] = json!("implemented");
    assert_eq!(h.invoke("update_control", json!({"id": c["id"], "input": good})).unwrap()["status"], "implemented");
    assert_eq!(h.invoke("set_control_archived", json!({"id": c["id"], "archived": true})).unwrap()["archived"], true);
    let detail = h.invoke("control_detail", json!({"id": c["id"]})).unwrap();
    assert_eq!(history_actions(&detail["history"]), ["archive", "update", "create"]);

    let action = json!({"reference": "", "title": "Review AWS roles", "description": "", "owner_id": null,
        "due_date": "2026-12-31", "status": "open", "wont_do_reason": "", "source_control_id": null});
    let a = h.invoke("create_action", json!({"input": action})).unwrap();
    assert_eq!(h.invoke("set_action_archived", json!({"id": a["id"], "archived": true})).unwrap()["archived"], true);
    assert_eq!(h.invoke("set_action_archived", json!({"id": a["id"], "archived": false})).unwrap()["archived"], false);
    assert_eq!(
        h.invoke("set_action_archived", json!({"id": 4242, "archived": true})).unwrap_err()["code"],
        "not_found"
    );
}

#[test]
fn policies_are_edited_versioned_archived_and_drafts_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let summary = h.invoke("expected_policies_summary", json!({})).unwrap();
    assert_eq!(summary["total"], 13);
    assert_eq!(summary["missing"].as_array().unwrap().len(), 13);
    let input = json!({"title": "Access Control Policy", "owner_id": null, "document_link": "", "status": "draft"});
    let p = h.invoke("create_policy", json!({"input": input})).unwrap();
    assert_eq!(h.invoke("expected_policies_summary", json!({})).unwrap()["missing"].as_array().unwrap().len(), 12);
    let mut edit = input.clone();
    edit["document_link"] = json!("ftp://nowhere");
    assert_eq!(
        h.invoke("update_policy", json!({"id": p["id"], "input": edit})).unwrap_err()["fields"][0]["field"],
        "document_link"
    );
    edit["document_link"] = json!("https://wiki.acme.test/access");
    assert_eq!(
        h.invoke("update_policy", json!({"id": p["id"], "input": edit})).unwrap()["document_link"],
        "https://wiki.acme.test/access"
    );
    let ceo = person(&h, "Cy", "");
    let approve = json!({"approved_on": "2026-11-02", "approver_id": ceo, "next_review_due": ""});
    h.invoke("approve_policy", json!({"id": p["id"], "input": approve})).unwrap();
    let v2 = h.invoke("new_policy_version", json!({"id": p["id"], "version": "2.0"})).unwrap();
    assert_eq!(
        (v2["version"].clone(), v2["approved_version"].clone()),
        (json!("2.0"), json!("0.1")),
        "the approval of 0.1 stays in force"
    );
    // An approved policy is kept for the record: archived, never deleted.
    assert_eq!(h.invoke("delete_policy", json!({"id": p["id"]})).unwrap_err()["code"], "conflict");
    assert_eq!(h.invoke("set_policy_archived", json!({"id": p["id"], "archived": true})).unwrap()["archived"], true);
    let draft = h
        .invoke(
            "create_policy",
            json!({"input": {"title": "Draft", "owner_id": null, "document_link": "", "status": "draft"}}),
        )
        .unwrap();
    h.invoke("delete_policy", json!({"id": draft["id"]})).unwrap();
    assert_eq!(h.invoke("policy_detail", json!({"id": draft["id"]})).unwrap_err()["code"], "not_found");
}

#[test]
fn opening_evidence_checks_the_file_first() {
    let dir = tempfile::tempdir().unwrap();
    let open = tempfile::tempdir().unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), dir.path(), Some(open.path()));
    let p = h
        .invoke(
            "create_policy",
            json!({"input": {"title": "Code of Conduct", "owner_id": null, "document_link": "", "status": "draft"}}),
        )
        .unwrap();
    let input = json!({"file_name": "coc.txt", "effective_date": "2026-11-01", "expires_on": "", "added_by": null, "description": ""});
    let staged = staged_file(&h, open.path(), "coc.txt", b"Be kind.");
    let e = h
        .invoke(
            "attach_evidence",
            json!({"target": {"kind": "policy", "id": p["id"]}, "input": input, "staged": staged}),
        )
        .unwrap();
    let stored = dir.path().join("acme.attachments").join(e["sha256"].as_str().unwrap());
    std::fs::write(&stored, "Be unkind.").unwrap();
    assert_eq!(h.invoke("open_evidence", json!({"id": e["id"]})).unwrap_err()["code"], "evidence_altered");
    std::fs::remove_file(&stored).unwrap();
    assert_eq!(h.invoke("open_evidence", json!({"id": e["id"]})).unwrap_err()["code"], "evidence_missing");
    assert_eq!(h.invoke("open_evidence", json!({"id": 999})).unwrap_err()["code"], "not_found");
}

#[test]
fn risks_are_read_edited_and_archived() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let input = json!({"reference": "", "title": "Phishing", "description": "", "category": "security", "owner_id": null,
        "inherent_likelihood": 4, "inherent_impact": 4, "treatment": "mitigate", "residual_likelihood": 2,
        "residual_impact": 3, "control_ids": [], "accepted_by_id": null, "accepted_until": "", "status": "open",
        "last_reviewed_on": "", "review_cadence": "annual"});
    let r = h.invoke("create_risk", json!({"input": input})).unwrap();
    let mut worse = input.clone();
    worse["residual_likelihood"] = json!(5);
    worse["residual_impact"] = json!(5);
    let err = h.invoke("update_risk", json!({"id": r["id"], "input": worse})).unwrap_err();
    assert_eq!(err["code"], "validation");
    assert_eq!(h.invoke("risk_detail", json!({"id": r["id"]})).unwrap()["risk"]["residual"]["score"], 6, "unchanged");
    let mut better = input.clone();
    better["residual_likelihood"] = json!(1);
    assert_eq!(h.invoke("update_risk", json!({"id": r["id"], "input": better})).unwrap()["residual"]["score"], 3);
    h.invoke("set_risk_archived", json!({"id": r["id"], "archived": true})).unwrap();
    let detail = h.invoke("risk_detail", json!({"id": r["id"]})).unwrap();
    assert_eq!(detail["risk"]["archived"], true);
    assert_eq!(history_actions(&detail["history"]), ["archive", "update", "create"]);
}

#[test]
fn vendors_are_listed_edited_archived_and_intervals_saved() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let input = json!({"name": "Okta", "service": "Identity", "website": "", "criticality": "high",
        "data_access": "personal_data", "systems": "", "owner_id": null, "status": "active", "offboarded_on": "",
        "contract_start": "", "contract_end": "", "security_clause": true, "breach_clause": true,
        "breach_notice_hours": 48, "dpa_signed": true, "last_assessed_on": "2026-06-01"});
    let v = h.invoke("create_vendor", json!({"input": input})).unwrap();
    assert_eq!(v["next_assessment_due"], "2027-06-01");
    let err = h
        .invoke(
            "save_vendor_intervals",
            json!({"input": {"critical_days": 0, "high_days": 180, "medium_days": null, "low_days": null}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "validation");
    let saved = h
        .invoke(
            "save_vendor_intervals",
            json!({"input": {"critical_days": 365, "high_days": 180, "medium_days": null, "low_days": null}}),
        )
        .unwrap();
    assert_eq!(saved["high_days"], 180);
    let query = json!({"search": "okta", "criticality": null, "status": null, "report_status": null, "attention_only": false,
        "include_archived": false, "sort": "name", "descending": false, "offset": 0, "limit": 50});
    let page = h.invoke("list_vendors", json!({"query": query})).unwrap();
    assert_eq!(page["rows"][0]["next_assessment_due"], "2026-11-28", "the new interval applies");
    let mut edit = input.clone();
    edit["criticality"] = json!("low");
    assert_eq!(h.invoke("update_vendor", json!({"id": v["id"], "input": edit})).unwrap()["criticality"], "low");
    h.invoke("set_vendor_archived", json!({"id": v["id"], "archived": true})).unwrap();
    assert_eq!(h.invoke("list_vendors", json!({"query": query})).unwrap()["total"], 0);
}

#[test]
fn systems_are_listed_edited_archived_and_log_reviews_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let open = tempfile::tempdir().unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), dir.path(), Some(open.path()));
    let s = h.invoke("create_system", json!({"input": system_input("AWS")})).unwrap();
    h.invoke("create_system", json!({"input": system_input("GitHub")})).unwrap();
    let query = json!({"query": {"search": "aws", "criticality": null, "gaps_only": false, "include_archived": false}});
    assert_eq!(h.invoke("list_systems", query.clone()).unwrap().as_array().unwrap().len(), 1);
    let mut edit = system_input("AWS");
    edit["mfa_enforced"] = json!(false);
    let updated = h.invoke("update_system", json!({"id": s["id"], "input": edit})).unwrap();
    assert!(!updated["gaps"].as_array().unwrap().is_empty(), "no MFA is a gap");
    let future = json!({"performed_on": "2027-01-01", "performed_by_id": null, "notes": ""});
    let err = h.invoke("add_log_review", json!({"id": s["id"], "input": future})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "performed_on");
    let review = json!({"performed_on": "2026-11-20", "performed_by_id": null, "notes": "Weekly alerts triaged"});
    let staged = staged_file(&h, open.path(), "alerts.txt", b"log export");
    h.invoke("add_log_review", json!({"id": s["id"], "input": review, "staged": staged})).unwrap();
    let detail = h.invoke("system_detail", json!({"id": s["id"]})).unwrap();
    assert_eq!(detail["log_reviews"].as_array().unwrap().len(), 1, "only the valid review");
    assert_eq!(detail["log_reviews"][0]["evidence"][0]["file_name"], "alerts.txt");
    h.invoke("set_system_archived", json!({"id": s["id"], "archived": true})).unwrap();
    assert_eq!(h.invoke("list_systems", query).unwrap(), json!([]));
    let err = h.invoke("add_log_review", json!({"id": s["id"], "input": review})).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("archived"), "{err}");
}

#[test]
fn the_retention_schedule_and_disposals() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let input = json!({"name": "Support tickets", "description": "", "retention_unit": "months", "retention_value": 24,
        "legal_basis": "", "disposal_method": "Delete in Zendesk", "disposal_cadence": "quarterly", "system_ids": []});
    let mut bad = input.clone();
    bad["name"] = json!("");
    assert_eq!(h.invoke("create_data_type", json!({"input": bad})).unwrap_err()["fields"][0]["field"], "name");
    let d = h.invoke("create_data_type", json!({"input": input})).unwrap();
    let mut edit = input.clone();
    edit["retention_value"] = json!(36);
    assert_eq!(h.invoke("update_data_type", json!({"id": d["id"], "input": edit})).unwrap()["retention_value"], 36);
    let disposal =
        json!({"performed_on": "2026-10-01", "performed_by_id": null, "what": "Tickets closed before 2023-10"});
    h.invoke("add_disposal", json!({"id": d["id"], "input": disposal})).unwrap();
    let detail = h.invoke("data_type_detail", json!({"id": d["id"]})).unwrap();
    assert_eq!(detail["disposals"][0]["what"], "Tickets closed before 2023-10");
    assert_eq!(detail["data_type"]["next_disposal_due"], "2027-01-01");
    // A mistyped date is corrected, then the disposal withdrawn for a reason.
    let id = detail["disposals"][0]["id"].clone();
    let mut fixed = disposal.clone();
    fixed["performed_on"] = json!("2026-10-02");
    let correction = json!({"kind": "disposal", "input": fixed});
    assert_eq!(h.invoke("correct_dated", json!({"id": id, "correction": correction})).unwrap(), json!(true));
    let mut future = fixed.clone();
    future["performed_on"] = json!("2099-01-01");
    let err =
        h.invoke("correct_dated", json!({"id": id, "correction": {"kind": "disposal", "input": future}})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("performed_on")));
    let err = h.invoke("withdraw_dated", json!({"register": "disposals", "id": id, "reason": ""})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("reason")));
    let detail = h.invoke("data_type_detail", json!({"id": d["id"]})).unwrap();
    assert_eq!(detail["disposals"][0]["performed_on"], "2026-10-02", "the bad correction changed nothing");
    assert_eq!(detail["disposals"][0]["withdrawn"], json!(null));
    h.invoke("withdraw_dated", json!({"register": "disposals", "id": id, "reason": "Wrong data type"})).unwrap();
    let detail = h.invoke("data_type_detail", json!({"id": d["id"]})).unwrap();
    assert_eq!(detail["disposals"][0]["withdrawn"]["reason"], "Wrong data type");
    assert_eq!(detail["data_type"]["last_disposal"], json!(null));
    assert_eq!(detail["history"][0]["changes"][0]["new"], "withdrawn: Wrong data type");
    assert_eq!(
        h.invoke("list_data_types", json!({"search": "ticket", "includeArchived": false}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    h.invoke("set_data_type_archived", json!({"id": d["id"], "archived": true})).unwrap();
    assert_eq!(h.invoke("list_data_types", json!({"search": "", "includeArchived": false})).unwrap(), json!([]));
    assert_eq!(
        h.invoke("list_data_types", json!({"search": "", "includeArchived": true})).unwrap().as_array().unwrap().len(),
        1
    );
}

#[test]
fn training_completions_are_listed_corrected_and_withdrawn_and_leavers_deprovisioned() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let ann = person(&h, "Ann", "2025-01-06");
    let course = h
        .invoke("create_course", json!({"input": {"name": "Security awareness", "description": "", "validity_days": null, "required": true}}))
        .unwrap()["id"]
        .clone();
    h.invoke(
        "record_training_session",
        json!({"input": {"course_id": course, "completed_on": "2026-11-02", "person_ids": [ann]}}),
    )
    .unwrap();
    let list = h.invoke("list_completions", json!({"personId": ann})).unwrap();
    assert_eq!(list[0]["course"], "Security awareness");
    let id = list[0]["id"].clone();
    let fixed = json!({"kind": "training_completion", "input": {"completed_on": "2026-11-03", "person_id": ann}});
    assert_eq!(h.invoke("correct_dated", json!({"id": id, "correction": fixed})).unwrap(), json!(true));
    let nobody = json!({"kind": "training_completion", "input": {"completed_on": "2026-11-03", "person_id": null}});
    let err = h.invoke("correct_dated", json!({"id": id, "correction": nobody})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "person_id");
    h.invoke("withdraw_dated", json!({"register": "training", "id": id, "reason": "Ann missed the session"})).unwrap();
    let list = h.invoke("list_completions", json!({"personId": null})).unwrap();
    assert_eq!(
        (list[0]["completed_on"].as_str(), list[0]["withdrawn"]["reason"].as_str()),
        (Some("2026-11-03"), Some("Ann missed the session"))
    );
    let err = h.invoke("withdraw_dated", json!({"register": "training", "id": 4242, "reason": "typo"})).unwrap_err();
    assert_eq!(err["code"], "not_found");

    let aws = h.invoke("create_system", json!({"input": system_input("AWS")})).unwrap()["id"].clone();
    let leave = json!({"name": "Ann", "email": "ann@acme.test", "role": "", "start_date": "2025-01-06", "end_date": "2026-11-20"});
    h.invoke("update_person", json!({"id": ann, "input": leave})).unwrap();
    let before = h.invoke("list_leavers", json!({"aheadDays": 14})).unwrap();
    assert_eq!(before[0]["systems"][0]["state"], "overdue");
    let err = h
        .invoke(
            "record_deprovisioning",
            json!({"input": {"person_id": ann, "system_id": aws, "removed_on": "2026-13-01", "no_access": false}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "validation");
    h.invoke(
        "record_deprovisioning",
        json!({"input": {"person_id": ann, "system_id": aws, "removed_on": "2026-11-23", "no_access": false}}),
    )
    .unwrap();
    let after = h.invoke("list_leavers", json!({"aheadDays": 14})).unwrap();
    assert_eq!(after[0]["systems"][0]["state"], "on_time");
}

#[test]
fn changes_are_listed_read_edited_and_archived() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let ann = person(&h, "Ann", "");
    let bo = person(&h, "Bo", "");
    let input = json!({"reference": "", "title": "Deploy", "description": "", "system_id": null, "author_id": ann,
        "approver_id": null, "approved_at": "", "tested": true, "test_notes": "CI", "deployed_at": "2026-11-20 10:00",
        "rollback_plan": "Revert", "emergency": false});
    let c = h.invoke("create_change", json!({"input": input})).unwrap();
    let query = |flagged: bool| {
        json!({"query": {"search": "", "system_id": null, "emergency_only": false, "flagged_only": flagged,
            "include_archived": false, "offset": 0, "limit": 50}})
    };
    assert_eq!(h.invoke("list_changes", query(true)).unwrap()["total"], 1, "not approved");
    let mut approved = input.clone();
    approved["approver_id"] = bo.clone();
    approved["approved_at"] = json!("2026-11-20 09:00");
    h.invoke("update_change", json!({"id": c["id"], "input": approved})).unwrap();
    assert_eq!(h.invoke("list_changes", query(true)).unwrap()["total"], 0);
    let detail = h.invoke("change_detail", json!({"id": c["id"]})).unwrap();
    assert_eq!(detail["change"]["approver"]["name"], "Bo");
    h.invoke("set_change_archived", json!({"id": c["id"], "archived": true})).unwrap();
    assert_eq!(h.invoke("list_changes", query(false)).unwrap()["total"], 0);
    assert_eq!(h.invoke("change_detail", json!({"id": 77})).unwrap_err()["code"], "not_found");
}

#[test]
fn incidents_are_recorded_with_a_timeline_edited_and_archived() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let none = json!({"required": false, "deadline": "", "done_at": ""});
    let input = json!({"reference": "", "title": "Phished mailbox", "summary": "", "detected_at": "2026-11-20 08:15",
        "reported_by_id": null, "severity": "sev2", "status": "open", "contained_at": "", "closed_at": "",
        "system_ids": [], "affected_data": "", "personal_data": false, "root_cause": "", "lessons_learned": "",
        "customers": none, "regulator": none, "insurer": none, "risk_ids": [], "control_ids": []});
    let i = h.invoke("create_incident", json!({"input": input})).unwrap();
    let mut closing = input.clone();
    closing["status"] = json!("closed");
    let err = h.invoke("update_incident", json!({"id": i["id"], "input": closing})).unwrap_err();
    assert!(err["fields"].as_array().unwrap().iter().any(|f| f["field"] == "root_cause"), "{err}");
    closing["root_cause"] = json!("No phishing-resistant MFA");
    closing["lessons_learned"] = json!("Roll out passkeys");
    assert_eq!(h.invoke("update_incident", json!({"id": i["id"], "input": closing})).unwrap()["status"], "closed");
    let entry = json!({"at": "2026-11-20 08:20", "what": "Password reset", "who": "IT"});
    h.invoke("add_incident_timeline", json!({"id": i["id"], "input": entry})).unwrap();
    let detail = h.invoke("incident_detail", json!({"id": i["id"]})).unwrap();
    assert_eq!(detail["timeline"][0]["what"], "Password reset");
    // A timeline entry is corrected and withdrawn like any dated record.
    let entry_id = detail["timeline"][0]["id"].clone();
    let fix =
        json!({"kind": "timeline_entry", "input": {"at": "2026-11-20 08:25", "what": "Password reset", "who": "IT"}});
    assert_eq!(h.invoke("correct_dated", json!({"id": entry_id, "correction": fix})).unwrap(), json!(true));
    let err =
        h.invoke("withdraw_dated", json!({"register": "incident_timeline", "id": entry_id, "reason": ""})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "reason");
    h.invoke("withdraw_dated", json!({"register": "incident_timeline", "id": entry_id, "reason": "Another incident"}))
        .unwrap();
    let detail = h.invoke("incident_detail", json!({"id": i["id"]})).unwrap();
    assert_eq!(detail["timeline"][0]["at"], "2026-11-20 08:25");
    assert_eq!(detail["timeline"][0]["withdrawn"]["reason"], "Another incident");
    let query =
        json!({"query": {"search": "", "severity": "sev2", "status": null, "since": "", "include_archived": false}});
    assert_eq!(h.invoke("list_incidents", query.clone()).unwrap().as_array().unwrap().len(), 1);
    h.invoke("set_incident_archived", json!({"id": i["id"], "archived": true})).unwrap();
    assert_eq!(h.invoke("list_incidents", query).unwrap(), json!([]));
}

#[test]
fn a_script_is_built_in_the_form_checked_field_by_field_and_saved_as_toml() {
    let dir = tempfile::tempdir().unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), dir.path(), None);
    let mut script = h.invoke("tabletop_script_template", json!({})).unwrap();
    assert_eq!(script["format"], "readyroom-tabletop/1");
    assert_eq!(script["roles"][0]["role"], "facilitator");
    // Empty fields are refused on their own fields, and nothing is stored.
    let before = h.invoke("tabletop_library", json!({})).unwrap();
    let err = h.invoke("save_tabletop_script_form", json!({"id": null, "script": script.clone()})).unwrap_err();
    assert_eq!(err["code"], "validation");
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"title") && fields.contains(&"injects.0.questions"), "{fields:?}");
    assert_eq!(h.invoke("tabletop_library", json!({})).unwrap(), before);
    script["title"] = json!("Stolen admin session");
    script["scenario"] = json!("session_theft");
    script["summary"] = json!("An attacker replays a stolen session.");
    script["objectives"][0]["text"] = json!("Revoke every session of one account.");
    script["objectives"][0]["criteria"] = json!(["CC6.1"]);
    script["injects"][0]["title"] = json!("Logins from two countries");
    script["injects"][0]["facts"] = json!("The same session is used in Lisbon and Singapore.");
    script["injects"][0]["questions"] = json!(["Who revokes it?"]);
    script["injects"][0]["expected_actions"] = json!(["Revoke all sessions."]);
    // The TOML view and back give the same script.
    let text = h.invoke("render_tabletop_script", json!({"script": script.clone()})).unwrap();
    let draft = h.invoke("read_tabletop_script", json!({"source": text.clone()})).unwrap();
    assert_eq!(draft["script"], script);
    assert_eq!(draft["problems"], json!([]));
    assert_eq!(draft["standard_layout"], true);
    let bad = h.invoke("read_tabletop_script", json!({"source": "title = "})).unwrap_err();
    assert_eq!(bad["code"], "validation");
    assert!(bad["fields"][0]["message"].as_str().unwrap().starts_with("Line 1: "), "{bad}");
    let saved = h.invoke("save_tabletop_script_form", json!({"id": null, "script": script.clone()})).unwrap();
    assert_eq!(saved["title"], "Stolen admin session");
    let stored = h.invoke("tabletop_script_source", json!({"script": saved["script"]})).unwrap();
    assert_eq!(stored, text, "stored as the TOML view wrote it");
}

#[test]
fn tabletop_scripts_and_an_exercise_from_plan_to_after_action_report() {
    let dir = tempfile::tempdir().unwrap();
    let saves = tempfile::tempdir().unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), saves.path(), None);
    let library = h.invoke("tabletop_library", json!({})).unwrap();
    assert!(library.as_array().unwrap().len() >= 10);
    let ransomware = json!({"kind": "built_in", "id": "ransomware"});
    let source = h.invoke("tabletop_script_source", json!({"script": ransomware})).unwrap();
    assert!(source.as_str().unwrap().starts_with("format = \"readyroom-tabletop/1\""));
    let err = h.invoke("save_tabletop_script", json!({"id": null, "source": "title = 5"})).unwrap_err();
    assert_eq!(err["code"], "validation");
    let own = h.invoke("duplicate_tabletop_script", json!({"script": ransomware})).unwrap();
    assert_eq!(own["built_in"], false);
    let edited = source.as_str().unwrap().replacen("title = \"", "title = \"Our ", 1);
    let saved = h.invoke("save_tabletop_script", json!({"id": own["script"]["id"], "source": edited})).unwrap();
    assert!(saved["title"].as_str().unwrap().starts_with("Our "));
    let target = h.invoke("choose_save_path", json!({"kind": "toml", "suggestedName": "ours.toml"})).unwrap();
    let written =
        h.invoke("export_tabletop_script", json!({"script": own["script"], "target": target["token"]})).unwrap();
    assert!(std::fs::read_to_string(written.as_str().unwrap()).unwrap().contains("title = \"Our "));
    h.invoke("archive_tabletop_script", json!({"id": own["script"]["id"]})).unwrap();
    let titles: Vec<String> = h
        .invoke("tabletop_library", json!({}))
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_owned())
        .collect();
    assert!(!titles.iter().any(|t| t.starts_with("Our ")), "archived scripts leave the library");

    let ann = person(&h, "Ann", "");
    let bo = person(&h, "Bo", "");
    // The plan form starts from the role mapping: Bo leads engineering, so he plays that role.
    h.invoke("assign_role", json!({"role": "engineering_lead", "personId": bo})).unwrap();
    let cast = h.invoke("exercise_cast", json!({"script": ransomware, "plannedOn": "2026-11-25"})).unwrap();
    let engineering = cast.as_array().unwrap().iter().find(|r| r["name"] == "Engineering lead").unwrap();
    assert_eq!(
        (engineering["person"]["name"].as_str(), engineering["played_by"].as_str()),
        (Some("Bo"), Some("Engineering Lead"))
    );
    assert_eq!(cast[0]["kind"], "facilitator");
    assert_eq!(cast[0]["person"], json!(null), "no one holds the compliance lead role");
    let err = h
        .invoke("exercise_cast", json!({"script": {"kind": "built_in", "id": "alien-invasion"}, "plannedOn": ""}))
        .unwrap_err();
    assert_eq!(err["code"], "not_found");
    let plan = json!({"script": ransomware, "title": "", "planned_on": "2026-11-25", "facilitator_id": ann,
        "participants": [{"person_id": ann, "role": "Facilitator"}, {"person_id": bo, "role": "Engineering lead"}]});
    let ex = h.invoke("plan_exercise", json!({"input": plan})).unwrap();
    let id = ex["summary"]["id"].clone();
    assert_eq!(ex["summary"]["status"], "planned");
    assert_eq!(h.invoke("list_exercises", json!({"includeArchived": false})).unwrap()[0]["id"], id);
    // The plan changes until the exercise starts; a bad date is refused on its field.
    let mut change = json!({"title": "Ransomware, moved", "planned_on": "2026-11-26", "facilitator_id": ann,
        "participants": [{"person_id": ann, "role": "Facilitator"}, {"person_id": bo, "role": "Engineering lead"}]});
    let moved = h.invoke("update_exercise_plan", json!({"id": id, "input": change})).unwrap();
    assert_eq!(moved["summary"]["planned_on"], "2026-11-26");
    change["planned_on"] = json!("tomorrow");
    let err = h.invoke("update_exercise_plan", json!({"id": id, "input": change})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("planned_on")));
    // Archived, it leaves the list (and comes back when asked for); restored, it is back.
    h.invoke("set_exercise_archived", json!({"id": id, "archived": true})).unwrap();
    assert_eq!(h.invoke("list_exercises", json!({"includeArchived": false})).unwrap(), json!([]));
    assert_eq!(h.invoke("list_exercises", json!({"includeArchived": true})).unwrap()[0]["archived"], true);
    h.invoke("set_exercise_archived", json!({"id": id, "archived": false})).unwrap();
    h.invoke("start_exercise", json!({"id": id})).unwrap();
    change["planned_on"] = json!("2026-11-27");
    assert_eq!(h.invoke("update_exercise_plan", json!({"id": id, "input": change})).unwrap_err()["code"], "conflict");
    let moved = h.invoke("exercise_go_to", json!({"id": id, "index": 1})).unwrap();
    assert_eq!(moved["current_inject"], 1);
    assert_eq!(h.invoke("exercise_go_to", json!({"id": id, "index": 999})).unwrap_err()["code"], "validation");
    h.invoke("add_exercise_note", json!({"id": id, "inject": 1, "text": "Backups were not tested"})).unwrap();
    h.invoke("set_exercise_coverage", json!({"id": id, "inject": 1, "action": 0, "coverage": "partly"})).unwrap();
    h.invoke("set_exercise_attendance", json!({"id": id, "personId": bo, "attended": true})).unwrap();
    let questions = moved["script"]["hot_wash"].as_array().unwrap().len();
    let debrief = json!({"hot_wash_answers": vec!["We escalated quickly"; questions], "strengths": "Fast escalation",
        "improvements": "Test restores"});
    h.invoke("save_exercise_debrief", json!({"id": id, "input": debrief})).unwrap();
    let action =
        json!({"title": "Test a restore every quarter", "description": "", "owner_id": bo, "due_date": "2027-01-31"});
    assert_eq!(
        h.invoke("add_corrective_action", json!({"id": id, "input": action})).unwrap()["source"]["kind"],
        "exercises"
    );
    let done = h.invoke("complete_exercise", json!({"id": id})).unwrap();
    assert_eq!(done["summary"]["status"], "completed");
    // One held last month, recorded afterwards; a bad date is refused on its field first.
    let past = h.invoke("plan_exercise", json!({"input": plan})).unwrap()["summary"]["id"].clone();
    let held = |on: &str| {
        json!({"held_on": on, "attendee_ids": [bo], "notes": "Held in the boardroom.",
        "debrief": {"hot_wash_answers": ["Escalation was quick"], "strengths": "Roles", "improvements": "Restores"}})
    };
    let err = h.invoke("record_exercise_held", json!({"id": past, "input": held("2099-01-01")})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("held_on")));
    assert_eq!(h.invoke("exercise_detail", json!({"id": past})).unwrap()["summary"]["status"], "planned");
    let recorded = h.invoke("record_exercise_held", json!({"id": past, "input": held("2026-10-20")})).unwrap();
    assert_eq!(
        (&recorded["summary"]["status"], &recorded["summary"]["held_on"], &recorded["summary"]["recorded_afterwards"]),
        (&json!("completed"), &json!("2026-10-20"), &json!(true))
    );
    let detail = h.invoke("exercise_detail", json!({"id": id})).unwrap();
    assert_eq!(detail["notes"][0]["text"], "Backups were not tested");
    assert_eq!(detail["participants"][1]["attended"], true);
    assert_eq!(
        h.invoke("add_exercise_note", json!({"id": id, "inject": 1, "text": "late"})).unwrap_err()["code"],
        "conflict"
    );
    let target = h.invoke("choose_save_path", json!({"kind": "pdf", "suggestedName": "aar.pdf"})).unwrap();
    let pdf =
        h.invoke("export_after_action_report", json!({"id": id, "target": target["token"], "letter": false})).unwrap();
    assert!(std::fs::read(pdf.as_str().unwrap()).unwrap().starts_with(b"%PDF"));
    let target = h.invoke("choose_save_path", json!({"kind": "pdf", "suggestedName": "handout.pdf"})).unwrap();
    let handout = h.invoke("export_exercise_handout", json!({"id": id, "target": target["token"]})).unwrap();
    assert!(std::fs::read(handout.as_str().unwrap()).unwrap().starts_with(b"%PDF"));
    let err = h.invoke("export_exercise_handout", json!({"id": id, "target": "/tmp/h.pdf"})).unwrap_err();
    assert_eq!(err["code"], "validation", "only a token from the save dialog names a file");
}

#[test]
fn readiness_the_calendar_settings_reports_and_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let saves = tempfile::tempdir().unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), saves.path(), None);
    assert_eq!(h.invoke("workspace_is_empty", json!({})).unwrap(), true);
    let name = h.invoke("create_demo", json!({})).unwrap();
    assert!(name.as_str().unwrap().contains("Northwind"));
    assert_eq!(h.invoke("workspace_is_empty", json!({})).unwrap(), false);
    assert_eq!(h.invoke("create_demo", json!({})).unwrap_err()["code"], "conflict", "only into an empty workspace");
    let r = h.invoke("readiness", json!({"asOf": "2026-11-26"})).unwrap();
    assert_eq!(r["checks"].as_array().unwrap().len(), 14);
    assert_eq!(h.invoke("readiness", json!({"asOf": "26/11/2026"})).unwrap_err()["fields"][0]["field"], "as_of");
    let home = h.invoke("overview", json!({"asOf": "2026-11-26"})).unwrap();
    assert!(home["headline"].as_str().unwrap().starts_with("Not ready: "), "{home}");
    assert_eq!(home["readiness"]["checks"].as_array().unwrap().len(), 14);
    assert!(!home["this_week"].as_array().unwrap().is_empty());
    assert_eq!(home["setup"]["steps"][0]["key"], "profile");
    assert_eq!(h.invoke("overview", json!({"asOf": "soon"})).unwrap_err()["fields"][0]["field"], "as_of");
    let actions_before = h
        .invoke(
            "list_actions",
            json!({"query": {"search": "", "status": null, "open_only": true,
        "overdue_only": false, "source_control_id": null, "source_policy_id": null, "source_risk_id": null,
        "source_incident_id": null, "source_exercise_id": null, "include_archived": false, "offset": 0, "limit": 1}}),
        )
        .unwrap()["total"]
        .as_u64()
        .unwrap();
    let refused = h.invoke("create_actions_for_findings", json!({"asOf": "2026-13-01"})).unwrap_err();
    assert_eq!(refused["code"], "validation");
    let made = h.invoke("create_actions_for_findings", json!({"asOf": "2026-11-26"})).unwrap();
    let created = made["created"].as_array().unwrap().len() as u64;
    assert!(created > 0, "{made}");
    let again = h.invoke("create_actions_for_findings", json!({"asOf": "2026-11-26"})).unwrap();
    assert_eq!(again["created"].as_array().unwrap().len(), 0, "never twice");
    let q = json!({"query": {"search": "", "status": null, "open_only": true, "overdue_only": false,
        "source_control_id": null, "source_policy_id": null, "source_risk_id": null, "source_incident_id": null,
        "source_exercise_id": null, "include_archived": false, "offset": 0, "limit": 1}});
    assert_eq!(h.invoke("list_actions", q).unwrap()["total"].as_u64().unwrap(), actions_before + created);
    let counts = h.invoke("attention", json!({"asOf": "2026-11-26"})).unwrap();
    let controls = counts.as_array().unwrap().iter().find(|a| a["register"] == "controls").expect("controls count");
    let overdue = controls["overdue"].as_u64().unwrap();
    assert!(overdue > 0, "{counts}");
    let tagged = h.invoke("attention_records", json!({"register": "controls", "asOf": "2026-11-26"})).unwrap();
    let tagged = tagged.as_array().unwrap();
    assert_eq!(tagged.iter().filter(|a| a["overdue"] == true).count() as u64, overdue);
    // A register the app does not know is refused before the command runs.
    assert!(h.invoke("attention_records", json!({"register": "nonsense", "asOf": ""})).is_err());
    let filtered = h
        .invoke(
            "list_controls",
            json!({"query": {"search": "", "status": null, "cadence": null, "owner_id": null,
            "criterion": null, "include_archived": false, "attention": "overdue", "sort": "reference",
            "descending": false, "offset": 0, "limit": 500}}),
        )
        .unwrap();
    assert_eq!(filtered["total"].as_u64().unwrap(), overdue, "the overdue filter keeps only the failing controls");
    let calendar = h.invoke("obligations", json!({"asOf": "2026-11-26", "days": 90})).unwrap();
    assert!(!calendar.as_array().unwrap().is_empty());
    let settings = h.invoke("check_settings", json!({})).unwrap();
    assert_eq!(settings["warn_days"], 30);
    let mut changed = settings.clone();
    changed["warn_days"] = json!(0);
    assert_eq!(h.invoke("save_check_settings", json!({"input": changed})).unwrap_err()["code"], "validation");
    assert_eq!(h.invoke("check_settings", json!({})).unwrap(), settings, "nothing saved");
    changed["warn_days"] = json!(14);
    assert_eq!(h.invoke("save_check_settings", json!({"input": changed})).unwrap()["warn_days"], 14);
    let ics = h.invoke("choose_save_path", json!({"kind": "ics", "suggestedName": "calendar.ics"})).unwrap();
    let written =
        h.invoke("export_obligations_ics", json!({"asOf": "2026-11-26", "days": 90, "target": ics["token"]})).unwrap();
    assert!(std::fs::read_to_string(written.as_str().unwrap()).unwrap().starts_with("BEGIN:VCALENDAR"));
    let pdf = h.invoke("choose_save_path", json!({"kind": "pdf", "suggestedName": "report.pdf"})).unwrap();
    let report = h
        .invoke("export_readiness_report", json!({"asOf": "2026-11-26", "target": pdf["token"], "letter": true}))
        .unwrap();
    assert!(std::fs::read(report.as_str().unwrap()).unwrap().starts_with(b"%PDF"));
}

#[test]
fn control_periods_exceptions_and_their_responses() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    h.invoke("create_demo", json!({})).unwrap();
    let all = h.invoke("control_timelines", json!({"asOf": ""})).unwrap();
    let all = all.as_array().unwrap();
    assert!(all.iter().any(|t| t["implemented"] == true && !t["periods"].as_array().unwrap().is_empty()));
    let id = all[0]["control"]["id"].clone();
    let one = h.invoke("control_timeline", json!({"id": id, "asOf": ""})).unwrap();
    assert_eq!(one["control"]["id"], id);
    assert_eq!(h.invoke("control_timeline", json!({"id": 999_999, "asOf": ""})).unwrap_err()["code"], "not_found");
    assert_eq!(h.invoke("control_timelines", json!({"asOf": "soon"})).unwrap_err()["fields"][0]["field"], "as_of");

    let exceptions = h.invoke("exceptions", json!({"asOf": ""})).unwrap();
    let answered_before = exceptions.as_array().unwrap().iter().filter(|e| !e["response"].is_null()).count();
    let first =
        exceptions.as_array().unwrap().iter().find(|e| e["response"].is_null()).expect("an unanswered one").clone();
    let key = first["key"].clone();
    // An empty response is refused, and nothing is stored.
    let empty =
        json!({"key": key, "management_response": " ", "remediation": "", "responded_by_id": null, "action_id": null});
    let err = h.invoke("respond_to_exception", json!({"asOf": "", "input": empty})).unwrap_err();
    assert_eq!(
        (err["code"].clone(), err["fields"][0]["field"].clone()),
        (json!("validation"), json!("management_response"))
    );
    let again = h.invoke("exceptions", json!({"asOf": ""})).unwrap();
    let again = again.as_array().unwrap();
    assert!(again.iter().any(|e| e["key"] == key && e["response"].is_null()), "nothing stored");
    assert_eq!(again.iter().filter(|e| !e["response"].is_null()).count(), answered_before);
    let answer = json!({"key": key, "management_response": "Missed while the owner was away.", "remediation": "A deputy is named.",
        "responded_by_id": null, "action_id": null});
    let answered = h.invoke("respond_to_exception", json!({"asOf": "", "input": answer})).unwrap();
    assert_eq!(answered["response"]["management_response"], "Missed while the owner was away.");
    let list = h.invoke("exceptions", json!({"asOf": ""})).unwrap();
    assert!(list.as_array().unwrap().iter().any(|e| e["key"] == key && !e["response"].is_null()));
    let unknown = json!({"key": "coverage:control:1:1999-01-01", "management_response": "x", "remediation": "",
        "responded_by_id": null, "action_id": null});
    assert_eq!(
        h.invoke("respond_to_exception", json!({"asOf": "", "input": unknown})).unwrap_err()["code"],
        "not_found"
    );
}

#[test]
fn evidence_by_reference_is_withdrawn_with_a_reason_and_settings_describe_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let system = h.invoke("create_system", json!({"input": system_input("AWS")})).unwrap()["id"].clone();
    let review = json!({"system_id": system, "reviewer_id": null, "performed_on": "2026-11-20", "period_start": "",
        "period_end": "", "accounts_reviewed": 3, "accounts_changed": 0, "findings": "", "changes": []});
    let review = h.invoke("create_access_review", json!({"input": review, "staged": null})).unwrap()["id"].clone();
    let target = json!({"kind": "access_review", "id": review});
    let bad = json!({"reference": "", "description": "Ticket", "effective_date": "2026-11-20", "expires_on": "", "added_by": null});
    let err = h.invoke("add_evidence_reference", json!({"target": target, "input": bad})).unwrap_err();
    assert_eq!((err["code"].clone(), err["fields"][0]["field"].clone()), (json!("validation"), json!("reference")));
    let good = json!({"reference": "https://tickets.acme.test/SEC-42", "description": "The review ticket with the user list",
        "effective_date": "2026-11-20", "expires_on": "", "added_by": null});
    let e = h.invoke("add_evidence_reference", json!({"target": target, "input": good})).unwrap();
    assert!(e["sha256"].is_null());
    assert_eq!(e["reference"], "https://tickets.acme.test/SEC-42");
    let id = e["id"].clone();
    let err = h.invoke("withdraw_evidence", json!({"id": id, "reason": ""})).unwrap_err();
    assert_eq!(err["code"], "validation");
    let gone = h.invoke("withdraw_evidence", json!({"id": id, "reason": "Attached to the wrong review"})).unwrap();
    assert!(gone["removed_at"].is_string());
    assert_eq!(gone["removed_reason"], "Attached to the wrong review");
    assert_eq!(h.invoke("withdraw_evidence", json!({"id": id, "reason": "again"})).unwrap_err()["code"], "conflict");
    let fields = h.invoke("check_setting_fields", json!({})).unwrap();
    let warn = fields.as_array().unwrap().iter().find(|f| f["field"] == "warn_days").unwrap();
    assert_eq!((warn["default"].clone(), warn["unit"].clone()), (json!(30), json!("days")));
    let checks = h.invoke("check_list", json!({})).unwrap();
    let checks = checks.as_array().unwrap();
    assert_eq!(checks.len(), 14);
    assert_eq!((checks[0]["key"].clone(), checks[2]["key"].clone()), (json!("policies"), json!("mfa")));
    assert!(checks.iter().all(|c| c["title"].as_str().is_some_and(|t| !t.is_empty())));
    assert!(checks[2]["criteria"].as_array().unwrap().contains(&json!("CC6.1")), "{}", checks[2]);
    let coverage = h.invoke("criteria_coverage", json!({"asOf": ""})).unwrap();
    let cc61 = coverage.as_array().unwrap().iter().find(|k| k["id"] == "CC6.1").unwrap().clone();
    assert_eq!((cc61["coverage"].clone(), cc61["controls"].clone()), (json!("unmapped"), json!(0)));
    assert_eq!(coverage.as_array().unwrap().len(), 61);
    let err = h.invoke("criteria_coverage", json!({"asOf": "last tuesday"})).unwrap_err();
    assert_eq!(err["code"], "validation");
}

#[test]
fn the_auditors_request_list_mapped_linked_and_suggested() {
    let dir = tempfile::tempdir().unwrap();
    let picked = dir.path().join("pbc.xlsx");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/core/tests/fixtures/auditor-requests.xlsx"),
        &picked,
    )
    .unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), dir.path(), Some(&picked));
    h.invoke("create_demo", json!({})).unwrap();

    // The auditor's workbook: previewed, mapped (Priority ignored), checked and imported.
    let pick = h.invoke("choose_import_file", json!({"register": "requests"})).unwrap();
    let token = pick["token"].clone();
    let preview =
        h.invoke("preview_import_file", json!({"register": "requests", "token": token, "sheet": null})).unwrap();
    assert_eq!(preview["needs_mapping"], true);
    assert_eq!(
        preview["columns"][4],
        json!({"header": "Priority", "samples": ["High", "Medium", "Low"], "column": null, "matched": "unmatched"})
    );
    let columns: Vec<Value> = preview["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"header": c["header"], "column": c["column"]}))
        .collect();
    let import = |columns: Value, dry_run: bool| {
        h.invoke(
            "import_file",
            json!({"register": "requests", "token": token, "sheet": null, "columns": columns,
                   "options": {"dry_run": dry_run, "allow_clearing": false}}),
        )
    };
    let mut twice = columns.clone();
    twice[4]["column"] = json!("description");
    let err = import(json!(twice), false).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("columns")));
    assert_eq!(
        h.invoke(
            "list_requests",
            json!({"query": {"search": "", "status": null, "overdue_only": false, "include_archived": false}})
        )
        .unwrap()
        .as_array()
        .unwrap()
        .len(),
        5
    );
    let dry = import(json!(columns), true).unwrap();
    assert_eq!((dry["created"].clone(), dry["applied"].clone()), (json!(3), json!(false)));
    let done = import(json!(columns), false).unwrap();
    assert_eq!(done["applied"], true);
    let list = h
        .invoke(
            "list_requests",
            json!({"query": {"search": "", "status": null, "overdue_only": false, "include_archived": false}}),
        )
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 8);

    // One request, edited, with suggestions accepted and a link removed.
    let created = h
        .invoke(
            "create_request",
            json!({"input": {"reference": "PBC-200", "description": "Quarterly user access reviews", "criteria": "CC6.2",
                   "control_ids": [], "due_on": "2026-12-20", "owner_id": null, "status": "open", "notes": ""}}),
        )
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let updated = h
        .invoke(
            "update_request",
            json!({"id": id, "input": {"reference": "PBC-200", "description": "Quarterly user access reviews", "criteria": "CC6.2",
                   "control_ids": [], "due_on": "2026-12-20", "owner_id": null, "status": "provided", "notes": ""}}),
        )
        .unwrap();
    assert_eq!(updated["status"], "provided");
    let suggestions = h.invoke("request_suggestions", json!({"id": id})).unwrap();
    let control = suggestions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["link"]["kind"] == "control")
        .unwrap_or_else(|| panic!("a control meeting CC6.2: {suggestions}"))["link"]
        .clone();
    let detail = h.invoke("link_request", json!({"id": id, "link": control})).unwrap();
    assert_eq!(detail["request"]["controls"].as_array().unwrap().len(), 1);
    let found = h.invoke("find_evidence", json!({"text": "access"})).unwrap();
    let evidence = found[0]["evidence"]["id"].clone();
    assert!(found[0]["owner"].as_str().unwrap().len() > 3, "{found}");
    let detail = h.invoke("link_request", json!({"id": id, "link": {"kind": "evidence", "id": evidence}})).unwrap();
    assert_eq!(detail["evidence"][0]["evidence"]["id"], evidence);
    let detail = h.invoke("unlink_request", json!({"id": id, "link": control})).unwrap();
    assert!(detail["request"]["controls"].as_array().unwrap().is_empty());
    assert!(detail["history"].as_array().unwrap().len() >= 4, "created, updated, linked twice, unlinked");

    // A link to nothing is refused, and the request is unchanged.
    let err = h.invoke("link_request", json!({"id": id, "link": {"kind": "policy", "id": 99999}})).unwrap_err();
    assert_eq!(err["code"], "not_found");
    let after = h.invoke("request_detail", json!({"id": id})).unwrap();
    assert_eq!(after, detail);

    let archived = h.invoke("set_request_archived", json!({"id": id, "archived": true})).unwrap();
    assert_eq!(archived["archived"], true);
    assert_eq!(
        h.invoke(
            "list_requests",
            json!({"query": {"search": "", "status": null, "overdue_only": false, "include_archived": false}})
        )
        .unwrap()
        .as_array()
        .unwrap()
        .len(),
        8
    );
}
