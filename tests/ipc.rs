//! IPC tests through Tauri's mock runtime: the real command handlers, the real core,
//! a real workspace file, and the JSON that crosses IPC (including `{code, message, fields}`).

mod common;

use common::{clock, picked_file, staged_file, with_dialogs, Harness};
use readyroom_app::state::Dialogs;
use readyroom_core::{Access, OpenOptions, Secret, Workspace};
use serde_json::{json, Value};

fn profile_input(audit_type: &str, start: &str, end: &str) -> Value {
    json!({
        "name": "Acme Analytics",
        "system_description": "Analytics SaaS",
        "categories": {"availability": true, "confidentiality": false, "processing_integrity": false, "privacy": false},
        "audit_type": audit_type,
        "window_start": start,
        "window_end": end,
        "auditor": "",
        "target_report_date": ""
    })
}

#[test]
fn profile_round_trip_and_field_errors_cross_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    assert_eq!(h.invoke("get_profile", json!({})), Ok(Value::Null));

    let err = h.invoke("save_profile", json!({"input": profile_input("type2", "2027-01-01", "")})).unwrap_err();
    assert_eq!(err["code"], "validation");
    assert_eq!(err["fields"][0]["field"], "window_end");
    assert_eq!(err["fields"][0]["message"], "Observation window end is required.");
    assert_eq!(h.invoke("get_profile", json!({})), Ok(Value::Null), "nothing stored");

    let saved = h.invoke("save_profile", json!({"input": profile_input("type2", "2027-01-01", "2027-06-30")})).unwrap();
    assert_eq!(saved["name"], "Acme Analytics");
    assert_eq!(saved["window_end"], "2027-06-30");
    assert_eq!(h.invoke("get_profile", json!({})).unwrap(), saved);

    let criteria = h.invoke("list_criteria", json!({})).unwrap();
    let criteria = criteria.as_array().unwrap();
    assert_eq!(criteria.len(), 61);
    assert_eq!(criteria.iter().filter(|c| c["in_scope"] == true).count(), 36, "Security + Availability");
}

#[test]
fn people_commands() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let ann = json!({"name": "Ann Lee", "email": "ann@example.com", "role": "CTO", "start_date": "2024-01-15", "end_date": ""});
    let created = h.invoke("create_person", json!({"input": ann})).unwrap();
    assert_eq!(created["email"], "ann@example.com");

    let err = h.invoke("create_person", json!({"input": ann})).unwrap_err();
    assert_eq!(
        err,
        json!({"code": "validation", "message": "Ann Lee already uses this email.", "fields": [{"field": "email", "message": "Ann Lee already uses this email."}]})
    );

    let id = created["id"].as_i64().unwrap();
    let mut edit = ann.clone();
    edit["end_date"] = json!("2026-11-30");
    let updated = h.invoke("update_person", json!({"id": id, "input": edit})).unwrap();
    assert_eq!(updated["end_date"], "2026-11-30");

    h.invoke("set_person_archived", json!({"id": id, "archived": true})).unwrap();
    let listed = h.invoke("list_people", json!({"query": {"search": "", "include_archived": false}})).unwrap();
    assert_eq!(listed, json!([]));
    let listed = h.invoke("list_people", json!({"query": {"search": "ann", "include_archived": true}})).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let err = h.invoke("update_person", json!({"id": 4242, "input": ann})).unwrap_err();
    assert_eq!(err["code"], "not_found");
}

#[test]
fn a_workspace_that_failed_to_open_answers_every_command_with_its_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.readyroom");
    std::fs::write(&path, "plain text").unwrap();
    let h = Harness::new(&path);
    for cmd in ["workspace_info", "get_profile", "list_criteria"] {
        let err = h.invoke(cmd, json!({})).unwrap_err();
        assert_eq!(err["code"], "not_a_workspace", "{cmd}");
        assert!(err["message"].as_str().unwrap().contains("not a Readyroom workspace"));
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "plain text");
}

#[test]
fn the_workspace_report_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acme.readyroom");
    let h = Harness::new(&path);
    let info = h.invoke("workspace_info", json!({})).unwrap();
    assert_eq!(info["path"], path.display().to_string());
    assert_eq!(info["created"], true);
    assert_eq!(info["read_only"], false);
}

#[test]
fn a_malformed_request_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    assert!(h.invoke("save_profile", json!({"input": {"name": 5}})).is_err());
    assert!(h.invoke("update_person", json!({"id": "x"})).is_err());
}

#[test]
fn app_arguments() {
    use readyroom_app::{parse_args, Args};
    let parse = |v: &[&str]| parse_args(v.iter().map(|s| s.to_string()));
    assert_eq!(parse(&[]).unwrap(), Args::default());
    assert_eq!(parse(&["--db", "a.readyroom"]).unwrap().db.unwrap().to_str(), Some("a.readyroom"));
    assert_eq!(parse(&["--db=b.readyroom"]).unwrap().db.unwrap().to_str(), Some("b.readyroom"));
    assert!(parse(&["--db"]).is_err());
}

#[test]
fn control_commands_map_criteria_and_record_activities() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    assert_eq!(h.invoke("starter_controls_summary", json!({})).unwrap()["missing"], 94);
    let input = json!({
        "reference": "AC-03", "title": "Role-based access", "description": "", "owner_id": null,
        "status": "implemented", "na_justification": "", "cadence": "quarterly", "criteria": ["CC6.3", "CC6.1"]
    });
    let created = h.invoke("create_control", json!({"input": input})).unwrap();
    assert_eq!(created["criteria"], json!(["CC6.1", "CC6.3"]));
    let id = created["id"].as_i64().unwrap();

    let err = h
        .invoke(
            "add_control_activity",
            json!({"id": id, "input": {"performed_on": "2026-13-01", "performed_by": null, "notes": ""}}),
        )
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "performed_on");
    h.invoke(
        "add_control_activity",
        json!({"id": id, "input": {"performed_on": "2026-10-15", "performed_by": null, "notes": "Q4 review"}}),
    )
    .unwrap();
    let detail = h.invoke("control_detail", json!({"id": id})).unwrap();
    assert_eq!(detail["control"]["next_due"], "2027-01-15");
    assert_eq!(detail["activities"][0]["notes"], "Q4 review");
    assert_eq!(detail["history"].as_array().unwrap().len(), 2);

    let query = json!({"search": "", "status": null, "cadence": null, "owner_id": null, "criterion": "CC6.3",
        "include_archived": false, "sort": "reference", "descending": false, "offset": 0, "limit": 50});
    let page = h.invoke("list_controls", json!({"query": query})).unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(h.invoke("delete_control", json!({"id": id})).unwrap_err()["code"], "conflict");
    // AC-03 is also a starter reference: the library adds only what the workspace lacks.
    assert_eq!(h.invoke("install_starter_controls", json!({})).unwrap(), 93);
}

#[test]
fn action_commands_judge_overdue_on_todays_date() {
    let dir = tempfile::tempdir().unwrap();
    // The harness clock says 2026-11-26.
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let base = json!({"reference": "", "title": "Approve the incident response plan", "description": "",
        "owner_id": null, "due_date": "2026-11-20", "status": "open", "wont_do_reason": "", "source_control_id": null});
    let created = h.invoke("create_action", json!({"input": base})).unwrap();
    assert_eq!(created["reference"], "ACT-0001");
    let query = json!({"search": "", "status": null, "open_only": true, "overdue_only": true,
        "source_control_id": null, "include_archived": false, "offset": 0, "limit": 50});
    let page = h.invoke("list_actions", json!({"query": query})).unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["overdue"], true);

    let mut wont = base.clone();
    wont["status"] = json!("wont_do");
    let err = h.invoke("update_action", json!({"id": created["id"], "input": wont})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "wont_do_reason");
    let detail = h.invoke("action_detail", json!({"id": created["id"]})).unwrap();
    assert_eq!(detail["action"]["status"], "open", "the rejected edit changed nothing");
}

#[test]
fn policy_commands_approve_and_acknowledge() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let cleo = cleo_ode(&h);
    // The 13 expected policies and the 5 recommended ones (Privacy is not in scope).
    assert_eq!(h.invoke("install_expected_policies", json!({})).unwrap(), 18);
    let list = h.invoke("list_policies", json!({"includeArchived": false})).unwrap();
    let id = list.as_array().unwrap().iter().find(|p| p["title"] == "Code of Conduct").unwrap()["id"].clone();
    let err = h
        .invoke(
            "approve_policy",
            json!({"id": id, "input": {"approved_on": "2026-11-30", "approver_id": cleo, "next_review_due": ""}}),
        )
        .unwrap_err();
    assert_eq!(err["fields"][0]["message"], "An approval cannot be dated in the future.");
    let approved = h
        .invoke(
            "approve_policy",
            json!({"id": id, "input": {"approved_on": "2026-11-20", "approver_id": cleo, "next_review_due": ""}}),
        )
        .unwrap();
    assert_eq!(approved["next_review_due"], "2027-11-20");
    let ack =
        h.invoke("acknowledge_policy", json!({"id": id, "personId": cleo, "acknowledgedOn": "2026-11-21"})).unwrap();
    assert_eq!(ack["version"], "0.1");
    let detail = h.invoke("policy_detail", json!({"id": id})).unwrap();
    assert_eq!(detail["approvals"].as_array().unwrap().len(), 1);
    assert_eq!(detail["acknowledgements"][0]["person"]["name"], "Cleo Ode");
    // Dated before the approval: refused on its field; then withdrawn for a reason.
    let early = json!({"kind": "acknowledgement", "input": {"acknowledged_on": "2026-11-19", "person_id": cleo}});
    let ack = ack["id"].clone();
    let err = h.invoke("correct_dated", json!({"id": ack, "correction": early})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "acknowledged_on", "{err}");
    h.invoke(
        "withdraw_dated",
        json!({"register": "acknowledgements", "id": ack, "reason": "Recorded for the wrong person"}),
    )
    .unwrap();
    let detail = h.invoke("policy_detail", json!({"id": id})).unwrap();
    assert_eq!(
        detail["acknowledgements"][0]["acknowledged_on"], "2026-11-21",
        "the refused correction changed nothing"
    );
    assert_eq!(detail["acknowledgements"][0]["withdrawn"]["reason"], "Recorded for the wrong person");
    // The approval is corrected (the acknowledgement is withdrawn, so a later day is allowed);
    // it is never withdrawn.
    let approval = detail["approvals"][0]["id"].clone();
    let later =
        json!({"kind": "approval", "input": {"approved_on": "2026-11-22", "approver_id": cleo, "next_review_due": ""}});
    assert_eq!(h.invoke("correct_dated", json!({"id": approval, "correction": later})).unwrap(), json!(true));
    let err = h
        .invoke("withdraw_dated", json!({"register": "approvals", "id": approval, "reason": "Wrong policy"}))
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "reason", "{err}");
    let detail = h.invoke("policy_detail", json!({"id": id})).unwrap();
    assert_eq!(detail["policy"]["approved_on"], "2026-11-22");
    assert_eq!(detail["policy"]["next_review_due"], "2027-11-22");
}

#[test]
fn evidence_is_copied_from_the_picked_file_and_checked() {
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
    assert_eq!(e["size"], 8);
    assert!(dir.path().join("acme.attachments").join(e["sha256"].as_str().unwrap()).exists());
    assert_eq!(h.invoke("verify_evidence", json!({})).unwrap(), json!([]));
    // A token the app never gave, or a pick not copied yet, is refused on the file's field.
    let err = h
        .invoke(
            "attach_evidence",
            json!({"target": {"kind": "policy", "id": p["id"]}, "input": input, "staged": "made-up"}),
        )
        .unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("file_name")));
    std::fs::write(open.path().join("empty.txt"), b"").unwrap();
    let picked = h.invoke("choose_evidence_file", json!({})).unwrap();
    assert_eq!((picked["name"].as_str(), picked["size"].as_u64()), (Some("empty.txt"), Some(0)));
    let err = h.invoke("stage_evidence_file", json!({"token": picked["token"], "job": "empty"})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "file_name");
    std::fs::remove_file(dir.path().join("acme.attachments").join(e["sha256"].as_str().unwrap())).unwrap();
    let problems = h.invoke("verify_evidence", json!({})).unwrap();
    assert_eq!(problems[0]["code"], "evidence_missing");
}

fn risk_input(title: &str, inherent: (u8, u8), treatment: Option<&str>, residual: Option<(u8, u8)>) -> Value {
    json!({
        "reference": "", "title": title, "description": "", "category": "security", "owner_id": null,
        "inherent_likelihood": inherent.0, "inherent_impact": inherent.1, "treatment": treatment,
        "residual_likelihood": residual.map(|r| r.0), "residual_impact": residual.map(|r| r.1),
        "control_ids": [], "accepted_by_id": null, "accepted_until": "", "status": "open",
        "last_reviewed_on": "", "review_cadence": "annual"
    })
}

#[test]
fn risk_commands_score_map_and_assess() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let scale = h.invoke("risk_scale", json!({})).unwrap();
    assert_eq!(scale["thresholds"], json!({"medium_from": 5, "high_from": 10, "critical_from": 20}));
    assert_eq!(scale["likelihood_labels"][4], "Almost certain");
    assert_eq!(scale["bands"][3][3], "high");

    let err = h
        .invoke("create_risk", json!({"input": risk_input("Worse", (2, 2), Some("mitigate"), Some((3, 2)))}))
        .unwrap_err();
    assert_eq!(err["code"], "validation");
    assert_eq!(err["fields"][0]["field"], "residual_likelihood");

    let r = h.invoke("create_risk", json!({"input": risk_input("Phishing", (4, 4), Some("mitigate"), Some((2, 2)))}));
    let r = r.unwrap();
    assert_eq!(r["inherent"], json!({"likelihood": 4, "impact": 4, "score": 16, "band": "high"}));
    assert_eq!(r["residual"]["band"], "low");
    let page = h.invoke("list_risks", json!({"query": {
        "search": "", "category": null, "owner_id": null, "band": "high", "band_view": "inherent", "treatment": null,
        "status": null, "control_id": null, "include_archived": false, "sort": "inherent", "descending": true,
        "offset": 0, "limit": 50
    }}));
    assert_eq!(page.unwrap()["total"], 1);
    let map = h
        .invoke(
            "risk_heatmap",
            json!({"query": {"view": "residual", "category": null, "owner_id": null, "include_closed": false}}),
        )
        .unwrap();
    assert_eq!(map["rows"][3][1]["label"], "Unlikely x Minor: 1 risk");

    let err = h
        .invoke("save_band_thresholds", json!({"input": {"medium_from": 5, "high_from": 4, "critical_from": 20}}))
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "high_from");

    let starter = h.invoke("starter_risks", json!({})).unwrap();
    let key = starter[0]["key"].clone();
    assert_eq!(h.invoke("add_starter_risks", json!({"keys": [key]})).unwrap(), 1);

    let a = h
        .invoke(
            "create_risk_assessment",
            json!({"input": {"performed_on": "2026-11-20", "performed_by_id": null, "participants": "Ops", "notes": ""}}),
        )
        .unwrap();
    assert_eq!(a["risks"].as_array().unwrap().len(), 2);
    let id = a["summary"]["id"].clone();
    let listed = h.invoke("list_risk_assessments", json!({})).unwrap();
    assert_eq!(listed[0]["risk_count"], 2);
    let snap = h.invoke("risk_assessment_heatmap", json!({"id": id, "view": "inherent"})).unwrap();
    assert_eq!(snap["rows"][1][3]["risks"].as_array().unwrap().len(), 2);
    let same = h.invoke("compare_risk_assessments", json!({"from": id, "to": id})).unwrap();
    assert_eq!(same["unchanged"], 2);
    assert_eq!(h.invoke("risk_assessment", json!({"id": 999})).unwrap_err()["code"], "not_found");
    // A correction is an amendment beside the snapshot; an empty one is refused on its field.
    let err = h.invoke("amend_risk_assessment", json!({"id": id, "input": {"text": " ", "by_id": null}})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("text")));
    let text = "The phishing risk's impact was 4, not 3.";
    let amended = h.invoke("amend_risk_assessment", json!({"id": id, "input": {"text": text, "by_id": null}})).unwrap();
    assert_eq!(amended["amendments"].as_array().map(Vec::len), Some(1));
    assert_eq!(amended["amendments"][0]["text"], text);
    assert_eq!(amended["risks"], a["risks"], "the snapshot is as it was");
}

#[test]
fn vendor_commands_report_worksheet_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let open = tempfile::tempdir().unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), dir.path(), Some(open.path()));
    let input = json!({
        "name": "Okta", "service": "Identity", "website": "https://okta.com", "criticality": "critical",
        "data_access": "personal_data", "systems": "SSO", "owner_id": null, "status": "active", "offboarded_on": "",
        "contract_start": "2025-01-01", "contract_end": "", "security_clause": true, "breach_clause": true,
        "breach_notice_hours": 48, "dpa_signed": true, "last_assessed_on": ""
    });
    let v = h.invoke("create_vendor", json!({"input": input})).unwrap();
    assert_eq!(v["report_status"], "missing");
    assert_eq!(v["flags"][0]["kind"], "assessment_overdue");
    let id = v["id"].clone();
    let report = json!({
        "report_type": "type2", "period_start": "2025-10-01", "period_end": "2026-09-30", "auditor": "A&B",
        "opinion": "qualified", "bridge_letter_on": "", "bridge_covers_until": "", "notes": "",
        "exceptions": [{"text": "Late leaver", "relevant": true}],
        "subservices": [{"name": "AWS", "method": "carve_out"}],
        "cuecs": [{"text": "Enforce MFA", "control_id": null}]
    });
    let r = h.invoke("save_soc2_report", json!({"vendorId": id, "reportId": null, "input": report})).unwrap();
    assert_eq!(r["coverage_until"], "2027-09-30");
    let bad = json!({"vendorId": id, "reportId": null, "input": {"period_end": "2026-09-30", "period_start": "",
        "report_type": "type2", "auditor": "", "opinion": "unqualified", "bridge_letter_on": "", "bridge_covers_until": "",
        "notes": "", "exceptions": [], "subservices": [], "cuecs": []}});
    let err = h.invoke("save_soc2_report", bad).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "period_start");
    let assessment = json!({"performed_on": "2026-11-01", "performed_by_id": null, "method": "soc2_review",
        "outcome": "approved", "notes": ""});
    let staged = staged_file(&h, open.path(), "review.txt", b"Report reviewed.");
    let a = h.invoke("add_vendor_assessment", json!({"id": id, "input": assessment, "staged": staged})).unwrap();
    assert_eq!(a["evidence"][0]["file_name"], "review.txt");
    let detail = h.invoke("vendor_detail", json!({"id": id})).unwrap();
    assert_eq!(detail["vendor"]["report_status"], "current");
    assert_eq!(detail["vendor"]["next_assessment_due"], "2027-11-01");
    assert_eq!(detail["vendor"]["unlinked_cuecs"], 1);
    assert_eq!(detail["reports"][0]["subservices"][0]["method"], "carve_out");
    let page = h
        .invoke(
            "list_vendors",
            json!({"query": {"search": "", "criticality": null, "status": null, "report_status": null,
                "attention_only": true, "include_archived": false, "sort": "name", "descending": false,
                "offset": 0, "limit": 100}}),
        )
        .unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["failing_key_vendors"], 1);
    let intervals = h.invoke("vendor_intervals", json!({})).unwrap();
    assert_eq!(intervals, json!({"critical_days": 365, "high_days": 365, "medium_days": 730, "low_days": null}));
    h.invoke("delete_soc2_report", json!({"vendorId": id, "reportId": r["id"]})).unwrap();
    let detail = h.invoke("vendor_detail", json!({"id": id})).unwrap();
    assert_eq!(detail["vendor"]["report_status"], "missing");
}

#[test]
fn operational_register_commands() {
    let dir = tempfile::tempdir().unwrap();
    let open = tempfile::tempdir().unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), dir.path(), Some(open.path()));
    let system = json!({
        "name": "AWS", "description": "", "owner_id": null, "criticality": "critical", "in_scope": true,
        "holds_customer_data": true, "data_type_ids": [], "mfa_enforced": true, "role_based_access": true,
        "shared_accounts": false, "shared_accounts_reason": "", "encryption_at_rest": true, "tls_in_transit": true,
        "tls_min_version": "1.2", "logs_forwarded": true, "alerting": true,
        "certificates": [{"name": "api.acme.test", "expires_on": "2027-03-01"}]
    });
    let s = h.invoke("create_system", json!({"input": system})).unwrap();
    assert_eq!(s["gaps"], json!([]));
    let aws = s["id"].clone();
    // Two lists picked in the dialog, read by the app from where they are.
    let previous = picked_file(&h, open.path(), "q3.csv", b"username,role\nann,admin\n");
    let current = picked_file(&h, open.path(), "q4.csv", b"username,role\nann,viewer\nbo,admin\n");
    let diff = h.invoke("diff_access_lists", json!({"previous": previous, "current": current})).unwrap();
    assert_eq!(diff["changes"].as_array().unwrap().len(), 2);
    assert_eq!(diff["changes"][0]["change"], "added");
    let err = h.invoke("diff_access_lists", json!({"previous": previous, "current": "not-a-pick"})).unwrap_err();
    assert_eq!(err["code"], "validation", "{err}");
    let review = json!({"system_id": aws, "reviewer_id": null, "performed_on": "2026-11-02", "period_start": "",
        "period_end": "", "accounts_reviewed": 2, "accounts_changed": 0, "findings": "", "changes": diff["changes"]});
    // The current list, copied into the workspace, is the review's evidence.
    let staged = h.invoke("stage_evidence_file", json!({"token": current, "job": "stage-q4"})).unwrap();
    let r = h.invoke("create_access_review", json!({"input": review, "staged": staged["token"]})).unwrap();
    let evidence = h.invoke("access_review_detail", json!({"id": r["id"]})).unwrap()["review"]["evidence"].clone();
    assert_eq!(evidence[0]["file_name"], "q4.csv", "{evidence}");
    assert_eq!(r["changes"].as_array().unwrap().len(), 2);
    // Corrected (an empty count is refused, not read as 0), then withdrawn for a reason.
    let review_id = r["id"].clone();
    let fix = json!({"kind": "access_review", "input": {"performed_on": "2026-11-03", "reviewer_id": null,
        "accounts_reviewed": null, "accounts_changed": 0, "findings": ""}});
    let err = h.invoke("correct_dated", json!({"id": review_id, "correction": fix})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "accounts_reviewed");
    let fix = json!({"kind": "access_review", "input": {"performed_on": "2026-11-03", "reviewer_id": null,
        "accounts_reviewed": 2, "accounts_changed": 0, "findings": ""}});
    assert_eq!(h.invoke("correct_dated", json!({"id": review_id, "correction": fix})).unwrap(), json!(true));
    h.invoke("withdraw_dated", json!({"register": "access_reviews", "id": review_id, "reason": "Wrong system"}))
        .unwrap();
    let detail = h.invoke("access_review_detail", json!({"id": review_id})).unwrap();
    assert_eq!(detail["review"]["performed_on"], "2026-11-03");
    assert_eq!(detail["review"]["withdrawn"]["reason"], "Wrong system");

    let ann = h
        .invoke("create_person", json!({"input": {"name": "Ann", "email": "ann@acme.test", "role": "", "start_date": "2026-01-05", "end_date": ""}}))
        .unwrap()["id"]
        .clone();
    let course = h
        .invoke("create_course", json!({"input": {"name": "Security awareness", "description": "", "validity_days": null, "required": true}}))
        .unwrap()["id"]
        .clone();
    let before = h.invoke("training_overview", json!({})).unwrap();
    assert_eq!(before["people"][0]["state"], "new_hire_overdue");
    let added = h
        .invoke(
            "record_training_session",
            json!({"input": {"course_id": course, "completed_on": "2026-11-20", "person_ids": [ann]}}),
        )
        .unwrap();
    assert_eq!(added, 1);
    assert_eq!(h.invoke("training_overview", json!({})).unwrap()["current"], 1);

    // A course is edited and archived; both land in its history, next to the completion.
    let edited = h
        .invoke("update_course", json!({"id": course, "input": {"name": "Security awareness", "description": "", "validity_days": 180, "required": true}}))
        .unwrap();
    assert_eq!(edited["validity_days"], 180);
    h.invoke("set_course_archived", json!({"id": course, "archived": true})).unwrap();
    assert_eq!(h.invoke("list_courses", json!({"includeArchived": false})).unwrap(), json!([]));
    let history = h.invoke("course_history", json!({"id": course})).unwrap();
    let actions: Vec<&str> = history.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"archive") && actions.contains(&"update"), "{actions:?}");
    h.invoke("set_course_archived", json!({"id": course, "archived": false})).unwrap();
    let r_detail = h.invoke("access_review_detail", json!({"id": r["id"]})).unwrap();
    assert_eq!(r_detail["review"]["archived"], false);
    h.invoke("set_access_review_archived", json!({"id": r["id"], "archived": true})).unwrap();
    assert_eq!(
        h.invoke("list_access_reviews", json!({"systemId": null, "includeArchived": false})).unwrap(),
        json!([])
    );

    let change = json!({"reference": "", "title": "Deploy", "description": "", "system_id": aws, "author_id": ann,
        "approver_id": ann, "approved_at": "", "tested": false, "test_notes": "", "deployed_at": "2026-11-20 10:00",
        "rollback_plan": "", "emergency": false});
    let err = h.invoke("create_change", json!({"input": change})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "approver_id");
    assert_eq!(h.invoke("list_leavers", json!({"aheadDays": 14})).unwrap(), json!([]));
}

#[test]
fn exports_write_only_where_the_user_chose_once_and_never_onto_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("acme.readyroom");
    let saves = tempfile::tempdir().unwrap();
    let h = with_dialogs(&db, saves.path(), None);
    h.invoke(
        "create_person",
        json!({"input": {"name": "Ann Lee", "email": "ann@acme.test", "role": "", "start_date": "", "end_date": ""}}),
    )
    .unwrap();

    // The page cannot name a path: only a token from the dialog, used once.
    let err = h.invoke("export_csv", json!({"register": "people", "target": "/etc/passwd"})).unwrap_err();
    assert_eq!(err["code"], "validation");
    let target = h.invoke("choose_save_path", json!({"kind": "csv", "suggestedName": "people.csv"})).unwrap();
    let token = target["token"].as_str().unwrap().to_owned();
    assert_eq!(target["path"], saves.path().join("people.csv").display().to_string());
    let written = h.invoke("export_csv", json!({"register": "people", "target": token})).unwrap();
    assert_eq!(written, saves.path().join("people.csv").display().to_string());
    assert!(std::fs::read_to_string(saves.path().join("people.csv")).unwrap().contains("ann@acme.test"));
    let again = h.invoke("export_csv", json!({"register": "people", "target": token})).unwrap_err();
    assert_eq!(again["code"], "validation", "a token is used once");
    let pdf = h.invoke("choose_save_path", json!({"kind": "pdf", "suggestedName": "r.pdf"})).unwrap();
    let wrong_kind = h.invoke("export_csv", json!({"register": "people", "target": pdf["token"]})).unwrap_err();
    assert_eq!(wrong_kind["code"], "validation");

    // A dialog answer that is the workspace (or one of its files) is refused at once.
    let before = std::fs::read(&db).unwrap();
    let h2 = with_dialogs(&db.with_file_name("other.readyroom"), dir.path(), None);
    for name in ["other.readyroom", "other.readyroom-wal", "other.readyroom.lock"] {
        let err = h2.invoke("choose_save_path", json!({"kind": "pdf", "suggestedName": name})).unwrap_err();
        assert_eq!(err["code"], "output_refused", "{name}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn open_file_opens_only_what_the_app_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let outside = dir.path().join("notes.txt");
    std::fs::write(&outside, "hello").unwrap();
    for path in
        [outside.display().to_string(), "/etc/passwd".into(), dir.path().join("acme.readyroom").display().to_string()]
    {
        let err = h.invoke("open_file", json!({"path": path})).unwrap_err();
        assert_eq!(err["code"], "validation", "{path}");
        assert!(err["message"].as_str().unwrap().contains("not written by Readyroom"), "{err}");
    }
}

#[test]
fn an_import_that_would_clear_values_needs_the_users_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let picked = dir.path().join("people.csv");
    std::fs::write(&picked, "name,email,role\nAnn Lee,ann@acme.test,\n").unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), dir.path(), Some(&picked));
    h.invoke(
        "create_person",
        json!({"input": {"name": "Ann Lee", "email": "ann@acme.test", "role": "CTO", "start_date": "2024-01-02", "end_date": ""}}),
    )
    .unwrap();
    // The page never names a path: only the token of the file picked in the dialog.
    let err = h
        .invoke(
            "import_file",
            json!({"register": "people", "token": picked.display().to_string(), "sheet": null,
                   "options": {"dry_run": true, "allow_clearing": false}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "validation");
    let pick = h.invoke("choose_import_file", json!({"register": "people"})).unwrap();
    assert_eq!(pick["source"], json!({"file_name": "people.csv", "sheets": [], "sheet": null}));
    let token = pick["token"].clone();
    let run = |dry_run: bool, allow_clearing: bool| {
        h.invoke(
            "import_file",
            json!({"register": "people", "token": token, "sheet": null,
                   "options": {"dry_run": dry_run, "allow_clearing": allow_clearing}}),
        )
        .unwrap()
    };
    let dry = run(true, false);
    assert_eq!(dry["cleared"], 1);
    assert_eq!(dry["changes"][0]["fields"][0], json!({"column": "role", "old": "CTO", "new": "", "cleared": true}));
    let refused = run(false, false);
    assert_eq!((refused["applied"].clone(), refused["clearing_refused"].clone()), (json!(false), json!(true)));
    let people = h.invoke("list_people", json!({"query": {"search": "", "include_archived": false}})).unwrap();
    assert_eq!(people[0]["role"], "CTO", "nothing changed");
    let done = run(false, true);
    assert_eq!(done["applied"], true);
    let people = h.invoke("list_people", json!({"query": {"search": "", "include_archived": false}})).unwrap();
    assert_eq!(people[0]["role"], "");
}

#[test]
fn a_template_is_the_header_and_one_example_row() {
    let dir = tempfile::tempdir().unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), dir.path(), None);
    let target =
        h.invoke("choose_save_path", json!({"kind": "csv", "suggestedName": "access_reviews-template.csv"})).unwrap();
    let written =
        h.invoke("export_template", json!({"register": "access_reviews", "target": target["token"]})).unwrap();
    let text = std::fs::read_to_string(written.as_str().unwrap()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("system,performed_on,reviewer_email,"), "{text}");
    assert!(lines[1].starts_with("GitHub,2026-10-02,"), "{text}");
    let target = h.invoke("choose_save_path", json!({"kind": "csv", "suggestedName": "x.csv"})).unwrap();
    let err = h.invoke("export_template", json!({"register": "criteria", "target": target["token"]})).unwrap_err();
    assert_eq!(err["code"], "validation");
}

#[test]
fn a_read_only_workspace_refuses_changes_with_its_own_code() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acme.readyroom");
    drop(Workspace::open(&path, OpenOptions::new(Access::Create, clock())).unwrap());
    let h = Harness::opened(&path, Access::ReadOnly, Dialogs::default());
    assert_eq!(h.invoke("workspace_info", json!({})).unwrap()["read_only"], true);
    let err = h
        .invoke(
            "create_person",
            json!({"input": {"name": "Ann", "email": "ann@acme.test", "role": "", "start_date": "", "end_date": ""}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "workspace_read_only");
    assert!(err["message"].as_str().unwrap().contains("you can look but not change"), "{err}");
    let people = h.invoke("list_people", json!({"query": {"search": "", "include_archived": false}})).unwrap();
    assert_eq!(people, json!([]), "nothing stored, and reading still works");
}

#[test]
fn a_missing_workspace_is_created_only_when_the_user_asks() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("Acme").join("acme.readyrom");
    let h = Harness::opened(&typo, Access::ReadWrite, Dialogs::default());
    let err = h.invoke("workspace_info", json!({})).unwrap_err();
    assert_eq!(err["code"], "workspace_missing");
    assert!(!dir.path().join("Acme").exists(), "nothing was created");
    let report = h.invoke("create_requested_workspace", json!({"passphrase": null})).unwrap();
    assert_eq!(report["created"], true);
    assert!(typo.exists());
    assert_eq!(h.invoke("workspace_info", json!({})).unwrap()["created"], true);
    let again = h.invoke("create_requested_workspace", json!({"passphrase": null})).unwrap_err();
    assert_eq!(again["code"], "conflict", "only a missing workspace can be created this way");
}

#[test]
fn on_first_start_the_apps_own_workspace_is_created_encrypted_when_the_user_gives_a_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join("dev.readyroom.desktop").join("workspace.readyroom");
    let h = Harness::with_state(readyroom_app::state::AppState::first_start(own.clone(), clock()));
    let err = h.invoke("workspace_info", json!({})).unwrap_err();
    assert_eq!(err["code"], "no_workspace_yet");
    assert!(!own.exists(), "nothing is created before the user chooses");
    let err = h.invoke("create_requested_workspace", json!({"passphrase": "short"})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "passphrase");
    assert!(!own.exists());
    let report = h.invoke("create_requested_workspace", json!({"passphrase": "correct horse battery"})).unwrap();
    assert_eq!((report["created"].as_bool(), report["encrypted"].as_bool()), (Some(true), Some(true)));
    assert_eq!(report["recovery_key"].as_str().map(str::len), Some(69));
    assert!(!std::fs::read(&own).unwrap().starts_with(b"SQLite format 3"));
}

#[test]
fn open_and_new_workspace_are_separate_and_a_failed_open_keeps_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.readyroom");
    let not_a_workspace = dir.path().join("notes.readyroom");
    std::fs::write(&not_a_workspace, "plain text").unwrap();
    let h = with_dialogs(&first, dir.path(), Some(&not_a_workspace));
    let err = h.invoke("open_workspace", json!({})).unwrap_err();
    assert_eq!(err["code"], "not_a_workspace");
    assert_eq!(h.invoke("workspace_info", json!({})).unwrap()["path"], first.display().to_string(), "still open");
    assert_eq!(std::fs::read_to_string(&not_a_workspace).unwrap(), "plain text");

    // New never replaces an existing file.
    std::fs::write(dir.path().join("workspace.readyroom"), "keep me").unwrap();
    let err = h.invoke("new_workspace", json!({"passphrase": null})).unwrap_err();
    assert_eq!(err["code"], "conflict");
    assert_eq!(std::fs::read_to_string(dir.path().join("workspace.readyroom")).unwrap(), "keep me");
    std::fs::remove_file(dir.path().join("workspace.readyroom")).unwrap();
    let created = h.invoke("new_workspace", json!({"passphrase": null})).unwrap();
    assert_eq!(created["created"], true);
    assert_eq!(created["path"], dir.path().join("workspace.readyroom").display().to_string());

    // Open an existing one.
    let other = dir.path().join("other.readyroom");
    drop(Workspace::open(&other, OpenOptions::new(Access::Create, clock())).unwrap());
    let h2 = with_dialogs(&first, dir.path(), Some(&other));
    let opened = h2.invoke("open_workspace", json!({})).unwrap();
    assert_eq!(opened["path"], other.display().to_string());
    assert_eq!(opened["created"], false);
}

#[test]
fn an_encrypted_workspace_is_created_with_a_passphrase_and_opens_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.readyroom");
    let h = with_dialogs(&first, dir.path(), None);
    let err = h.invoke("new_workspace", json!({"passphrase": "short"})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("passphrase")));
    assert!(!dir.path().join("workspace.readyroom").exists(), "nothing was created");
    let created = h.invoke("new_workspace", json!({"passphrase": "correct horse battery"})).unwrap();
    assert_eq!((created["created"].as_bool(), created["encrypted"].as_bool()), (Some(true), Some(true)));
    let recovery = created["recovery_key"].as_str().unwrap().to_owned();
    assert_eq!(recovery.len(), 69);
    assert_eq!(h.invoke("workspace_info", json!({})).unwrap()["recovery_key"], json!(null), "shown once");
    assert!(!std::fs::read(dir.path().join("workspace.readyroom")).unwrap().starts_with(b"SQLite format 3"));

    // (The mock app keeps its workspace open after the harness is dropped: the next harnesses
    // get encrypted workspaces of their own.)
    let encrypted_file = |name: &str| {
        let path = dir.path().join(name);
        let ws = Workspace::open(
            &path,
            OpenOptions::new(Access::Create, clock()).with_secret(Some(Secret::passphrase("correct horse battery"))),
        )
        .unwrap();
        let key = ws.report().recovery_key.clone().unwrap();
        (path, key)
    };
    let (encrypted, _) = encrypted_file("started-on.readyroom");

    // Started on it: it waits for the passphrase; a wrong one is said on the field.
    let h = Harness::opened(&encrypted, Access::ReadWrite, Dialogs::default());
    assert_eq!(h.invoke("workspace_info", json!({})).unwrap_err()["code"], "key_required");
    let err = h.invoke("unlock_workspace", json!({"secret": "", "recoveryKey": false, "remember": false})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("secret")));
    let err = h
        .invoke("unlock_workspace", json!({"secret": "not the passphrase", "recoveryKey": false, "remember": false}))
        .unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("wrong_key"), Some("secret")));
    assert_eq!(h.invoke("workspace_info", json!({})).unwrap_err()["code"], "key_required", "still locked");
    let opened = h
        .invoke("unlock_workspace", json!({"secret": "correct horse battery", "recoveryKey": false, "remember": false}))
        .unwrap();
    assert_eq!(opened["encrypted"], true);
    assert_eq!(h.invoke("workspace_info", json!({})).unwrap()["path"], encrypted.display().to_string());

    // Chosen with Open workspace while another is open: that one stays until the key is given.
    let (encrypted, recovery) = encrypted_file("chosen.readyroom");
    let first = dir.path().join("second-start.readyroom");
    let h = with_dialogs(&first, dir.path(), Some(&encrypted));
    assert_eq!(h.invoke("open_workspace", json!({})).unwrap_err()["code"], "key_required");
    assert_eq!(h.invoke("workspace_info", json!({})).unwrap()["path"], first.display().to_string());
    let opened =
        h.invoke("unlock_workspace", json!({"secret": recovery, "recoveryKey": true, "remember": false})).unwrap();
    assert_eq!(opened["path"], encrypted.display().to_string());
    let err = h
        .invoke("unlock_workspace", json!({"secret": "correct horse battery", "recoveryKey": false, "remember": false}))
        .unwrap_err();
    assert_eq!(err["code"], "conflict", "nothing is waiting for a key any more");

    // Its archive would be plain: written only when the user agrees, or sealed under a
    // passphrase of its own (too short a one is said on its field before a dialog opens).
    let target = h.invoke("choose_save_path", json!({"kind": "archive", "suggestedName": "chosen.zip"})).unwrap();
    let err = h.invoke("export_archive", json!({"target": target["token"], "job": "e", "plain": false})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("plain")));
    assert!(!dir.path().join("chosen.zip").exists());
    let target = h.invoke("choose_save_path", json!({"kind": "archive", "suggestedName": "chosen.zip"})).unwrap();
    h.invoke("export_archive", json!({"target": target["token"], "job": "f", "plain": true})).unwrap();
    assert!(dir.path().join("chosen.zip").exists());
    let err = h.invoke("check_new_passphrase", json!({"passphrase": "short"})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "passphrase");
    h.invoke("check_new_passphrase", json!({"passphrase": "the archive's passphrase"})).unwrap();
    let target = h.invoke("choose_save_path", json!({"kind": "archive", "suggestedName": "sealed.zip"})).unwrap();
    let args = json!({"target": target["token"], "job": "g", "plain": false, "passphrase": "the archive's passphrase"});
    let summary = h.invoke("export_archive", args).unwrap();
    assert_eq!(summary["encrypted"], true);
    let sealed = dir.path().join("sealed.zip");
    assert!(!std::fs::read(&sealed).unwrap().starts_with(b"PK"));

    // Its import asks for the archive's passphrase, checked before the save dialog.
    let saves = dir.path().join("saves");
    std::fs::create_dir_all(&saves).unwrap();
    let h2 = with_dialogs(&dir.path().join("second.readyroom"), &saves, Some(&sealed));
    let pick = h2.invoke("choose_archive", json!({})).unwrap();
    assert_eq!(pick["encrypted"], true);
    let import = |passphrase: Value| {
        h2.invoke("import_archive", json!({"token": pick["token"], "passphrase": passphrase, "job": "i"}))
    };
    let check =
        |passphrase: &str| h2.invoke("check_archive", json!({"token": pick["token"], "passphrase": passphrase}));
    assert_eq!(check("not the one at all").unwrap_err()["fields"][0]["field"], "passphrase");
    check("the archive's passphrase").unwrap();
    let err = import(Value::Null).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("key_required"), Some("passphrase")));
    let err = import(json!("correct horse battery")).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("wrong_key"), Some("passphrase")));
    assert_eq!(std::fs::read_dir(&saves).unwrap().count(), 0, "nothing written");
    let opened = import(json!("the archive's passphrase")).unwrap();
    assert_eq!(opened["path"], saves.join("sealed.readyroom").display().to_string());
    // Rebuilt encrypted, under the archive's passphrase, with a recovery key of its own.
    assert_eq!(opened["encrypted"], true);
    assert_eq!(opened["recovery_key"].as_str().map(str::len), Some(69));
    assert!(!std::fs::read(saves.join("sealed.readyroom")).unwrap().starts_with(b"SQLite format 3"));
    let reopened = Workspace::open(
        &saves.join("sealed.readyroom"),
        OpenOptions::new(Access::ReadOnly, clock()).with_secret(Some(Secret::passphrase("the archive's passphrase"))),
    );
    assert!(reopened.is_ok());
}

#[test]
fn a_remembered_passphrase_opens_the_workspace_without_asking_until_it_is_forgotten() {
    use readyroom_app::keychain::{Keychain, MemoryKeychain};
    use readyroom_app::state::open_remembered;
    use readyroom_app::AppState;
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let encrypted = |name: &str| {
        let path = dir.path().join(name);
        let secret = Some(Secret::passphrase("correct horse battery"));
        drop(Workspace::open(&path, OpenOptions::new(Access::Create, clock()).with_secret(secret)).unwrap());
        path
    };
    let kept = encrypted("kept.readyroom");
    let keychain = Arc::new(MemoryKeychain::default());
    let first = dir.path().join("first.readyroom");
    let dialogs =
        Dialogs { automation_save_dir: Some(dir.path().to_owned()), automation_open_file: Some(kept.clone()) };
    let opened = Workspace::open(&first, OpenOptions::new(Access::Create, clock()));
    let h = Harness::with_state(
        AppState::new(first.clone(), opened, clock()).with_dialogs(dialogs).with_keychain(keychain.clone()),
    );

    // Chosen with Open: it waits for its passphrase. A wrong one is not kept, even with "remember".
    assert_eq!(h.invoke("open_workspace", json!({})).unwrap_err()["code"], "key_required");
    let args = |secret: &str| json!({"secret": secret, "recoveryKey": false, "remember": true});
    assert_eq!(h.invoke("unlock_workspace", args("not the passphrase")).unwrap_err()["code"], "wrong_key");
    assert_eq!(keychain.get(&kept).unwrap(), None);
    h.invoke("unlock_workspace", args("correct horse battery")).unwrap();
    assert_eq!(keychain.get(&kept).unwrap().as_deref(), Some("correct horse battery"));
    assert_eq!(h.invoke("passphrase_remembered", json!({})).unwrap(), true);
    // A new passphrase follows into the keychain.
    let change = json!({"current": "correct horse battery", "recoveryKey": false, "passphrase": "a better passphrase"});
    h.invoke("change_passphrase", change).unwrap();
    assert_eq!(keychain.get(&kept).unwrap().as_deref(), Some("a better passphrase"));

    // Away and back: it opens without asking.
    h.invoke("new_workspace", json!({"passphrase": null})).unwrap();
    let back = h.invoke("open_workspace", json!({})).unwrap();
    assert_eq!(
        (back["path"].as_str(), back["encrypted"].as_bool()),
        (Some(kept.display().to_string().as_str()), Some(true))
    );
    h.invoke("forget_passphrase", json!({})).unwrap();
    assert_eq!(h.invoke("passphrase_remembered", json!({})).unwrap(), false);
    assert_eq!(keychain.get(&kept).unwrap(), None);

    // At start: opened with what the keychain holds; a stale passphrase (changed on another
    // computer) is dropped and the workspace waits for its key.
    let other = encrypted("other.readyroom");
    let start = |keychain: &MemoryKeychain| open_remembered(&other, Access::ReadWrite, clock(), None, keychain);
    assert_eq!(start(&keychain).unwrap_err().code, readyroom_core::ErrorCode::KeyRequired);
    keychain.set(&other, "correct horse battery").unwrap();
    drop(start(&keychain).unwrap());
    keychain.set(&other, "an old passphrase").unwrap();
    assert_eq!(start(&keychain).unwrap_err().code, readyroom_core::ErrorCode::KeyRequired);
    assert_eq!(keychain.get(&other).unwrap(), None, "the stale one is forgotten");

    // A keychain that cannot be reached is a warning, not a failure.
    let failing = Arc::new(MemoryKeychain::default());
    *failing.failing.lock().unwrap() = Some("no secret service".into());
    let locked = open_remembered(&other, Access::ReadWrite, clock(), None, failing.as_ref());
    let h = Harness::with_state(AppState::new(other.clone(), locked, clock()).with_keychain(failing));
    let opened = h.invoke("unlock_workspace", args("correct horse battery")).unwrap();
    let warning = opened["warnings"][0].as_str().unwrap();
    assert!(warning.contains("could not be kept in this computer's keychain (no secret service)"), "{warning}");
}

#[test]
fn the_open_workspace_is_encrypted_in_place_and_its_passphrase_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acme.readyroom");
    let h = Harness::new(&path);
    let ann = json!({"input": {"name": "Ann", "email": "ann@acme.test", "role": "", "start_date": "", "end_date": ""}});
    h.invoke("create_person", ann).unwrap();
    let err = h.invoke("encrypt_workspace", json!({"passphrase": "short"})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("passphrase")));
    assert!(std::fs::read(&path).unwrap().starts_with(b"SQLite format 3"), "still plain");

    let report = h.invoke("encrypt_workspace", json!({"passphrase": "correct horse battery"})).unwrap();
    assert_eq!(report["encrypted"], true);
    let recovery = report["recovery_key"].as_str().unwrap().to_owned();
    assert!(!std::fs::read(&path).unwrap().starts_with(b"SQLite format 3"));
    assert_eq!(h.invoke("workspace_info", json!({})).unwrap()["encrypted"], true);
    let people = h.invoke("list_people", json!({"query": {"search": "", "include_archived": false}})).unwrap();
    assert_eq!(people[0]["name"], "Ann", "reopened with its records");
    let err = h.invoke("encrypt_workspace", json!({"passphrase": "correct horse battery"})).unwrap_err();
    assert_eq!(err["code"], "conflict");

    // A new passphrase: a wrong current one is said on its field; the recovery key works too.
    let args = |current: &str, recovery: bool| json!({"current": current, "recoveryKey": recovery, "passphrase": "a better passphrase"});
    let err = h.invoke("change_passphrase", args("not it at all", false)).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("wrong_key"), Some("current")));
    h.invoke("change_passphrase", args("correct horse battery", false)).unwrap();
    h.invoke("change_passphrase", args(&recovery, true)).unwrap();
    let reopened = Workspace::open(
        &path,
        OpenOptions::new(Access::ReadOnly, clock()).with_secret(Some(Secret::passphrase("a better passphrase"))),
    );
    assert!(reopened.is_ok(), "the new passphrase opens it");
}

#[test]
fn the_page_is_locked_down_strict_csp_and_no_plugin_permissions() {
    let conf: Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    let csp = conf["app"]["security"]["csp"].as_str().expect("a CSP is set");
    for forbidden in ["unsafe-eval", "https:", "http:*", "*", "data: 'self'", "blob:"] {
        assert!(!csp.split([' ', ';']).any(|t| t == forbidden), "{forbidden} in {csp}");
    }
    for directive in
        ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]
    {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    // The only remote-looking source is Tauri's own IPC endpoint.
    let hosts: Vec<&str> = csp.split([' ', ';']).filter(|t| t.contains("://")).collect();
    assert_eq!(hosts, ["http://ipc.localhost"]);
    let caps: Value = serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
    assert_eq!(caps["permissions"], json!(["core:default"]), "no dialog, opener or fs permission for the page");
}

#[test]
fn the_archive_is_exported_to_a_chosen_path_and_imported_into_a_new_workspace_that_opens() {
    let dir = tempfile::tempdir().unwrap();
    let saves = dir.path().join("saves");
    std::fs::create_dir_all(&saves).unwrap();
    let first = dir.path().join("acme.readyroom");
    let h = with_dialogs(&first, &saves, None);
    h.invoke("create_demo", json!({})).unwrap();
    // Only a token from the dialog names where it goes, used once.
    let err = h.invoke("export_archive", json!({"target": "/tmp/x.zip", "job": "a", "plain": false})).unwrap_err();
    assert_eq!(err["code"], "validation");
    let target =
        h.invoke("choose_save_path", json!({"kind": "archive", "suggestedName": "acme.readyroom-archive"})).unwrap();
    let summary = h.invoke("export_archive", json!({"target": target["token"], "job": "a", "plain": false})).unwrap();
    let archive = saves.join("acme.readyroom-archive");
    assert_eq!(summary["path"], archive.display().to_string());
    assert!(summary["rows"].as_u64().unwrap() > 1000);

    // A cancel that arrives first stops the job before it writes anything.
    let target = h.invoke("choose_save_path", json!({"kind": "archive", "suggestedName": "second.zip"})).unwrap();
    assert_eq!(h.invoke("cancel_job", json!({"job": "b"})).unwrap(), false, "not running yet");
    let err = h.invoke("export_archive", json!({"target": target["token"], "job": "b", "plain": false})).unwrap_err();
    assert_eq!(err["code"], "cancelled");
    assert!(!saves.join("second.zip").exists());

    // Import: the open dialog gives the archive, the save dialog the new workspace's place.
    let h2 = with_dialogs(&first, &saves, Some(&archive));
    let pick = h2.invoke("choose_archive", json!({})).unwrap();
    assert_eq!((pick["name"].as_str(), pick["encrypted"].as_bool()), (Some("acme.readyroom-archive"), Some(false)));
    let import = |h: &Harness, job: &str| {
        let pick = h.invoke("choose_archive", json!({})).unwrap();
        h.invoke("import_archive", json!({"token": pick["token"], "passphrase": null, "job": job}))
    };
    let opened = import(&h2, "c").unwrap();
    assert_eq!(opened["path"], saves.join("acme.readyroom").display().to_string());
    assert_eq!(h2.invoke("workspace_info", json!({})).unwrap()["path"], opened["path"], "the new one is open");
    let people = h2.invoke("list_people", json!({"query": {"search": "", "include_archived": true}})).unwrap();
    assert_eq!(people.as_array().unwrap().len(), 40, "the demo's people came across");
    // An existing file is never replaced.
    let err = import(&h2, "d").unwrap_err();
    assert_eq!(err["code"], "conflict");
    // A damaged archive is refused and the current workspace stays open.
    let bad = dir.path().join("bad.zip");
    std::fs::write(&bad, b"not a zip").unwrap();
    let third = dir.path().join("third.readyroom");
    let h3 = with_dialogs(&third, dir.path().join("other").as_path(), Some(&bad));
    let err = import(&h3, "e").unwrap_err();
    assert_eq!(err["code"], "archive_invalid");
    assert_eq!(h3.invoke("workspace_info", json!({})).unwrap()["path"], third.display().to_string());
    assert!(!dir.path().join("other").join("bad.readyroom").exists(), "nothing written");
}

#[test]
fn the_binder_range_defaults_to_the_window_and_the_binder_is_written_where_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let saves = dir.path().join("saves");
    std::fs::create_dir_all(&saves).unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), &saves, None);
    h.invoke("create_demo", json!({})).unwrap();
    // The demo's request list: three not yet provided, one due this week, two overdue.
    let counts = h.invoke("request_counts", json!({})).unwrap();
    assert_eq!(counts["open"], 3, "{counts}");
    let range = h.invoke("binder_range", json!({"from": "", "to": ""})).unwrap();
    let window = &range["window"];
    assert!(window.is_object(), "the demo has a Type II window: {range}");
    assert_eq!(range["from"], window["start"], "the default starts with the window");
    // Bad dates come back on their fields; nothing is written.
    let err = h.invoke("binder_range", json!({"from": "2026-02-30", "to": ""})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["fields"][0]["field"].as_str()), (Some("validation"), Some("from")));
    let err = h.invoke("binder_range", json!({"from": "2026-06-01", "to": "2026-05-01"})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "to");
    let target = h.invoke("choose_save_path", json!({"kind": "binder", "suggestedName": "acme-binder.zip"})).unwrap();
    let err = h
        .invoke(
            "export_binder",
            json!({"from": "2026-06-01", "to": "2026-05-01", "allowMissing": false, "target": target["token"], "job": "b0"}),
        )
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "to");
    assert!(!saves.join("acme-binder.zip").exists());

    let summary = h
        .invoke(
            "export_binder",
            json!({"from": range["from"], "to": range["to"], "allowMissing": false, "target": target["token"], "job": "b1"}),
        )
        .unwrap();
    let written = saves.join("acme-binder.zip");
    assert_eq!(summary["path"], written.display().to_string());
    assert_eq!(summary["populations"], 10);
    assert!(readyroom_core::binder::verify(&written).unwrap().ok());
}

#[test]
fn a_policy_text_is_written_frozen_by_approval_compared_and_printed() {
    let dir = tempfile::tempdir().unwrap();
    let saves = tempfile::tempdir().unwrap();
    let h = with_dialogs(&dir.path().join("acme.readyroom"), saves.path(), None);
    let cleo = cleo_ode(&h);
    h.invoke("install_expected_policies", json!({})).unwrap();
    let list = h.invoke("list_policies", json!({"includeArchived": false})).unwrap();
    let id = list.as_array().unwrap().iter().find(|p| p["title"] == "Access Control Policy").unwrap()["id"].clone();
    let text = h.invoke("policy_text", json!({"id": id, "version": null})).unwrap();
    assert_eq!((text["version"].clone(), text["frozen"].clone()), (json!("0.1"), json!(false)));
    assert!(text["words"].as_u64().unwrap() >= 500, "the template fills the first draft");
    assert_eq!(h.invoke("policy_template", json!({"id": id})).unwrap(), text["body"]);
    let saved =
        h.invoke("save_policy_text", json!({"id": id, "body": "# Access Control Policy\n\nShort draft.\n"})).unwrap();
    assert_eq!(saved["words"], 5);
    h.invoke(
        "approve_policy",
        json!({"id": id, "input": {"approved_on": "2026-11-20", "approver_id": cleo, "next_review_due": ""}}),
    )
    .unwrap();
    let err = h.invoke("save_policy_text", json!({"id": id, "body": "after approval"})).unwrap_err();
    assert_eq!(err["code"], "conflict");
    assert_eq!(
        h.invoke("policy_text", json!({"id": id, "version": "0.1"})).unwrap()["body"],
        saved["body"],
        "unchanged"
    );
    h.invoke("new_policy_version", json!({"id": id, "version": "1.1"})).unwrap();
    h.invoke("save_policy_text", json!({"id": id, "body": "# Access Control Policy\n\nA longer draft.\n"})).unwrap();
    let diff = h.invoke("compare_policy_versions", json!({"id": id, "from": "0.1", "to": "1.1"})).unwrap();
    let kinds: Vec<(String, String)> = diff
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["kind"].as_str().unwrap().to_owned(), l["text"].as_str().unwrap().to_owned()))
        .collect();
    assert!(
        kinds.contains(&("removed".into(), "Short draft.".into()))
            && kinds.contains(&("added".into(), "A longer draft.".into()))
    );
    let versions = h.invoke("policy_versions", json!({"id": id})).unwrap();
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(h.invoke("policy_text", json!({"id": id, "version": "9.9"})).unwrap_err()["code"], "not_found");

    let target = h.invoke("choose_save_path", json!({"kind": "pdf", "suggestedName": "access-control.pdf"})).unwrap();
    let written =
        h.invoke("export_policy_pdf", json!({"id": id, "version": "0.1", "target": target["token"]})).unwrap();
    let bytes = std::fs::read(written.as_str().unwrap()).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let err = h.invoke("export_policy_pdf", json!({"id": id, "version": null, "target": "/tmp/x.pdf"})).unwrap_err();
    assert_eq!(err["code"], "validation", "only a token from the save dialog names a file");
}

#[test]
fn roles_are_mapped_to_people_and_a_starter_risk_takes_its_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::new(&dir.path().join("acme.readyroom"));
    let cleo = cleo_ode(&h);
    h.invoke("install_starter_controls", json!({})).unwrap();
    let roles = h.invoke("role_holders", json!({})).unwrap();
    let security = roles.as_array().unwrap().iter().find(|r| r["key"] == "security_lead").unwrap().clone();
    assert!(security["person"].is_null() && security["unowned"].as_u64().unwrap() > 0);
    let done = h.invoke("assign_role", json!({"role": "security_lead", "personId": cleo})).unwrap();
    assert_eq!(done["holder"]["person"]["name"], "Cleo Ode");
    assert_eq!(done["moved"], security["unowned"]);
    let err = h.invoke("assign_role", json!({"role": "security_lead", "personId": 999})).unwrap_err();
    assert_eq!((err["code"].clone(), err["fields"][0]["field"].clone()), (json!("validation"), json!("person_id")));

    h.invoke("add_starter_risks", json!({"keys": ["phishing-credentials"]})).unwrap();
    // The workspace's first risk.
    let id = json!(1);
    let taken = h.invoke("accept_risk_suggestion", json!({"id": id})).unwrap();
    assert_eq!(taken["treatment"], "mitigate");
    assert_eq!(h.invoke("accept_risk_suggestion", json!({"id": 9999})).unwrap_err()["code"], "not_found");
}

/// Adds Cleo Ode to the people and gives her id.
fn cleo_ode(h: &Harness) -> serde_json::Value {
    h.invoke("create_person", json!({"input": {"name": "Cleo Ode", "email": "cleo@example.com", "role": "", "start_date": "", "end_date": ""}}))
        .unwrap()["id"]
        .clone()
}
