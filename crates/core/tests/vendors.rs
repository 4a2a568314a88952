//! Vendors on real workspace files: next assessment due per criticality, SOC 2 report status
//! at its boundaries (12 months, bridge letters, Type I vs Type II), unlinked user entity
//! controls, flags, evidence on reports, CSV round trip and rejection, and the v8 upgrade.

mod common;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::controls::{self, ControlInput};
use readyroom_core::evidence::{self, EvidenceInput, EvidenceTarget};
use readyroom_core::settings::{self, VendorIntervals};
use readyroom_core::vendors::{
    self, coverage_until, report_status, AssessmentMethod, AssessmentOutcome, Criticality, CuecInput, ReportException,
    ReportRules, ReportStatus, ReportType, Soc2ReportInput, Subservice, SubserviceMethod, VendorAssessmentInput,
    VendorFlagKind, VendorInput, VendorQuery, VendorStatus,
};
use readyroom_core::{registers, Register};
use readyroom_core::{ErrorCode, Workspace};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    day("2026-11-26")
}

fn vendor(name: &str, criticality: Criticality) -> VendorInput {
    VendorInput { name: name.into(), criticality, security_clause: true, ..Default::default() }
}

fn create(ws: &Workspace, input: &VendorInput) -> readyroom_core::Result<vendors::Vendor> {
    ws.write(|tx, now| vendors::create(tx, now, input))
}

fn fields(err: &readyroom_core::Error) -> Vec<&str> {
    err.fields.iter().map(|f| f.field.as_str()).collect()
}

fn type2(start: &str, end: &str) -> Soc2ReportInput {
    Soc2ReportInput {
        report_type: ReportType::Type2,
        period_start: start.into(),
        period_end: end.into(),
        auditor: "Example & Partners".into(),
        ..Default::default()
    }
}

#[test]
fn next_assessment_due_follows_criticality_and_settings() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let due = |c: Criticality, name: &str| {
        create(&ws, &VendorInput { last_assessed_on: "2026-01-15".into(), ..vendor(name, c) })
            .unwrap()
            .next_assessment_due
    };
    assert_eq!(due(Criticality::Critical, "AWS"), Some(day("2027-01-15")));
    assert_eq!(due(Criticality::High, "Stripe"), Some(day("2027-01-15")));
    assert_eq!(due(Criticality::Medium, "Figma"), Some(day("2028-01-15")));
    assert_eq!(due(Criticality::Low, "Coffee"), None);
    let leap = create(&ws, &VendorInput { last_assessed_on: "2024-02-29".into(), ..vendor("Leap", Criticality::High) });
    assert_eq!(leap.unwrap().next_assessment_due, Some(day("2025-02-28")), "365 days, not a calendar year");

    let custom =
        VendorIntervals { critical_days: Some(180), high_days: Some(365), medium_days: None, low_days: Some(1095) };
    ws.write(|tx, now| settings::save_vendor_intervals(tx, now, &custom)).unwrap();
    let page = ws.read(|c| vendors::list(c, &VendorQuery::default(), today())).unwrap();
    let by = |n: &str| page.rows.iter().find(|v| v.name == n).unwrap().next_assessment_due;
    assert_eq!(by("AWS"), Some(day("2026-07-14")));
    assert_eq!(by("Figma"), None);
    assert_eq!(by("Coffee"), Some(day("2029-01-14")));
    let bad = VendorIntervals { critical_days: Some(0), ..custom };
    let err = ws.write(|tx, now| settings::save_vendor_intervals(tx, now, &bad)).unwrap_err();
    assert_eq!(fields(&err), ["critical_days"]);
    assert_eq!(ws.read(settings::vendor_intervals).unwrap(), custom, "nothing stored");

    // A recorded assessment later than the typed-in date wins.
    let aws = page.rows.iter().find(|v| v.name == "AWS").unwrap().id;
    let input = VendorAssessmentInput {
        performed_on: "2026-10-01".into(),
        performed_by_id: None,
        method: AssessmentMethod::Soc2Review,
        outcome: AssessmentOutcome::ApprovedWithConditions,
        notes: "Two exceptions reviewed.".into(),
    };
    ws.write(|tx, now| {
        vendors::add_assessment(
            tx,
            now,
            &readyroom_core::attachments::Attachments::plain("/nonexistent"),
            aws,
            &input,
            None,
        )
    })
    .unwrap();
    let v = ws.read(|c| vendors::get(c, aws, today())).unwrap();
    assert_eq!(v.last_assessed_on, Some(day("2026-10-01")));
    assert_eq!(v.last_assessed_on_entered, Some(day("2026-01-15")));
    assert_eq!(v.next_assessment_due, Some(day("2027-03-30")));
}

#[test]
fn report_status_at_the_boundaries() {
    let as_of = day("2026-11-26");
    let rules = ReportRules::default();
    let key = |latest| report_status(Criticality::Critical, VendorStatus::Active, latest, as_of, rules).0;
    // Exactly 12 months after the period end is still current; a day later it is stale.
    assert_eq!(key(Some((day("2025-11-26"), None))), ReportStatus::Current);
    assert_eq!(key(Some((day("2025-11-25"), None))), ReportStatus::Stale);
    // A bridge letter extends coverage to the date it covers, by 3 months at most.
    assert_eq!(coverage_until(day("2025-06-30"), Some(day("2026-08-26")), rules), day("2026-08-26"));
    assert_eq!(key(Some((day("2025-08-26"), Some(day("2026-11-26"))))), ReportStatus::Current);
    assert_eq!(key(Some((day("2025-08-26"), Some(day("2026-11-25"))))), ReportStatus::Stale);
    // A letter that claims two years counts for 3 months past the report's own 12.
    assert_eq!(coverage_until(day("2025-06-30"), Some(day("2027-06-30")), rules), day("2026-09-30"));
    assert_eq!(key(Some((day("2025-06-30"), Some(day("2027-06-30"))))), ReportStatus::Stale);
    // A bridge letter that ends before the report's own 12 months changes nothing.
    assert_eq!(coverage_until(day("2026-03-31"), Some(day("2026-04-30")), rules), day("2027-03-31"));
    // No report: missing for critical/high, not required for medium/low and offboarded vendors.
    assert_eq!(key(None), ReportStatus::Missing);
    assert_eq!(
        report_status(Criticality::High, VendorStatus::Prospective, None, as_of, rules).0,
        ReportStatus::Missing
    );
    assert_eq!(
        report_status(Criticality::Medium, VendorStatus::Active, None, as_of, rules).0,
        ReportStatus::NotRequired
    );
    assert_eq!(
        report_status(Criticality::Critical, VendorStatus::Offboarded, None, as_of, rules).0,
        ReportStatus::NotRequired
    );
    // A medium vendor that did send a report gets its status shown.
    let old = Some((day("2024-01-31"), None));
    assert_eq!(report_status(Criticality::Medium, VendorStatus::Active, old, as_of, rules).0, ReportStatus::Stale);
    // 31 August + 12 months = 31 August; 29 February + 12 months = 28 February.
    assert_eq!(coverage_until(day("2024-02-29"), None, rules), day("2025-02-28"));
}

#[test]
fn type_i_and_type_ii_reports_and_their_validation() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let v = create(&ws, &vendor("Stripe", Criticality::High)).unwrap();
    assert_eq!(v.report_status, ReportStatus::Missing);
    assert!(v.flags.iter().any(|f| f.kind == VendorFlagKind::ReportMissing && f.failing));

    let save = |input: &Soc2ReportInput| ws.write(|tx, now| vendors::save_report(tx, now, v.id, None, input));
    assert_eq!(fields(&save(&type2("", "2026-06-30")).unwrap_err()), ["period_start"]);
    assert_eq!(fields(&save(&type2("2026-07-01", "2026-06-30")).unwrap_err()), ["period_start"]);
    assert_eq!(fields(&save(&type2("2026-01-01", "2027-01-31")).unwrap_err()), ["period_end"]);
    let type1_with_start = Soc2ReportInput { report_type: ReportType::Type1, ..type2("2025-01-01", "2025-06-30") };
    assert_eq!(fields(&save(&type1_with_start).unwrap_err()), ["period_start"]);
    let bridge_inside = Soc2ReportInput {
        bridge_letter_on: "2026-07-15".into(),
        bridge_covers_until: "2026-05-31".into(),
        ..type2("2025-07-01", "2026-06-30")
    };
    assert_eq!(fields(&save(&bridge_inside).unwrap_err()), ["bridge_covers_until"]);
    let half_bridge = Soc2ReportInput { bridge_letter_on: "2026-07-15".into(), ..type2("2025-07-01", "2026-06-30") };
    assert_eq!(fields(&save(&half_bridge).unwrap_err()), ["bridge_covers_until"]);
    assert!(ws.read(|c| vendors::detail(c, v.id, today())).unwrap().reports.is_empty(), "nothing stored");

    // A Type I report (as of one date) counts for 12 months from that date.
    let type1 =
        Soc2ReportInput { report_type: ReportType::Type1, period_start: String::new(), ..type2("", "2025-12-15") };
    let r = save(&type1).unwrap();
    assert_eq!((r.period_start, r.coverage_until), (None, day("2026-12-15")));
    let v1 = ws.read(|c| vendors::get(c, v.id, today())).unwrap();
    assert_eq!(v1.report_status, ReportStatus::Current);
    assert!(v1.flags.iter().any(|f| f.kind == VendorFlagKind::ReportExpiringSoon && !f.failing), "{:?}", v1.flags);
    let later = ws.read(|c| vendors::get(c, v.id, day("2026-12-16"))).unwrap();
    assert_eq!(later.report_status, ReportStatus::Stale);

    // A newer Type II report becomes the latest.
    save(&type2("2025-10-01", "2026-09-30")).unwrap();
    let v2 = ws.read(|c| vendors::get(c, v.id, day("2027-06-01"))).unwrap();
    assert_eq!((v2.report_status, v2.coverage_until), (ReportStatus::Current, Some(day("2027-09-30"))));
}

#[test]
fn unlinked_cuecs_are_flagged_and_linking_clears_them() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let mfa = ws
        .write(|tx, now| {
            controls::create(
                tx,
                now,
                &ControlInput { reference: "AC-02".into(), title: "MFA".into(), ..Default::default() },
            )
        })
        .unwrap();
    let v = create(&ws, &vendor("Okta", Criticality::Critical)).unwrap();
    let mut input = Soc2ReportInput {
        exceptions: vec![
            ReportException { text: "One leaver kept access for 9 days.".into(), relevant: true },
            ReportException { text: "A change lacked a ticket.".into(), relevant: false },
        ],
        subservices: vec![Subservice { name: "AWS".into(), method: SubserviceMethod::CarveOut }],
        cuecs: vec![
            CuecInput { text: "Customers enforce MFA for their admins.".into(), control_id: Some(mfa.id) },
            CuecInput { text: "Customers review their user lists.".into(), control_id: None },
        ],
        ..type2("2025-10-01", "2026-09-30")
    };
    let r = ws.write(|tx, now| vendors::save_report(tx, now, v.id, None, &input)).unwrap();
    assert_eq!(r.cuecs[0].control.as_ref().map(|c| c.reference.as_str()), Some("AC-02"));
    assert_eq!(r.cuecs[1].control, None);
    assert_eq!(r.exceptions.len(), 2);
    assert_eq!(r.subservices[0].method, SubserviceMethod::CarveOut);
    let flagged = ws.read(|c| vendors::get(c, v.id, today())).unwrap();
    assert_eq!(flagged.unlinked_cuecs, 1);
    let flag = flagged.flags.iter().find(|f| f.kind == VendorFlagKind::CuecsUnlinked).unwrap();
    assert_eq!(flag.message, "1 complementary user entity control is not linked to one of our controls.");
    let attention = VendorQuery { attention_only: true, ..Default::default() };
    assert_eq!(ws.read(|c| vendors::list(c, &attention, today())).unwrap().total, 1);

    // An empty line is refused, naming the row.
    input.cuecs.push(CuecInput { text: " ".into(), control_id: None });
    let err = ws.write(|tx, now| vendors::save_report(tx, now, v.id, Some(r.id), &input)).unwrap_err();
    assert_eq!(fields(&err), ["cuecs.2"]);
    input.cuecs.pop();
    input.cuecs[1].control_id = Some(mfa.id);
    let r2 = ws.write(|tx, now| vendors::save_report(tx, now, v.id, Some(r.id), &input)).unwrap();
    assert_eq!(r2.id, r.id);
    assert!(r2.cuecs.iter().all(|c| c.control.is_some()));
    let clean = ws.read(|c| vendors::get(c, v.id, today())).unwrap();
    assert_eq!(clean.unlinked_cuecs, 0);
    assert!(clean.flags.is_empty() || clean.flags.iter().all(|f| f.kind == VendorFlagKind::AssessmentOverdue));

    // The report file is evidence on the report.
    let dir = ws.attachments_dir();
    let ev =
        EvidenceInput { file_name: "okta-soc2.pdf".into(), effective_date: "2026-10-15".into(), ..Default::default() };
    ws.write(|tx, now| evidence::attach(tx, now, &dir, EvidenceTarget::Soc2Report(r.id), b"%PDF-1.7 report", &ev))
        .unwrap();
    let detail = ws.read(|c| vendors::detail(c, v.id, today())).unwrap();
    assert_eq!(detail.reports[0].evidence[0].file_name, "okta-soc2.pdf");
    let history: Vec<_> = detail.history.iter().flat_map(|h| h.changes.iter().map(|c| c.field.as_str())).collect();
    assert!(history.contains(&"soc2_report"));
}

#[test]
fn vendor_validation_flags_and_list() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let bad = VendorInput {
        name: " ".into(),
        website: "not a site".into(),
        status: VendorStatus::Offboarded,
        contract_start: "2026-05-01".into(),
        contract_end: "2026-04-01".into(),
        breach_notice_hours: Some(72),
        last_assessed_on: "2027-01-01".into(),
        ..Default::default()
    };
    let err = create(&ws, &bad).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(
        fields(&err),
        ["name", "website", "offboarded_on", "contract_end", "breach_notice_hours", "last_assessed_on"]
    );
    create(&ws, &vendor("AWS", Criticality::Critical)).unwrap();
    let dup = create(&ws, &vendor("aws", Criticality::Low)).unwrap_err();
    assert_eq!(fields(&dup), ["name"]);

    let no_clause = create(&ws, &VendorInput { security_clause: false, ..vendor("Slack", Criticality::High) }).unwrap();
    let kinds: Vec<_> = no_clause.flags.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [VendorFlagKind::AssessmentOverdue, VendorFlagKind::ReportMissing, VendorFlagKind::NoSecurityClause]
    );
    let fine = create(&ws, &vendor("Coffee", Criticality::Low)).unwrap();
    assert!(fine.flags.is_empty());
    let gone = create(
        &ws,
        &VendorInput {
            status: VendorStatus::Offboarded,
            offboarded_on: "2026-10-01".into(),
            ..vendor("Old", Criticality::Critical)
        },
    )
    .unwrap();
    assert!(gone.flags.is_empty(), "offboarded vendors need nothing");

    let page = ws.read(|c| vendors::list(c, &VendorQuery::default(), today())).unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(page.failing_key_vendors, 2);
    let crit = VendorQuery { criticality: Some(Criticality::Critical), ..Default::default() };
    assert_eq!(ws.read(|c| vendors::list(c, &crit, today())).unwrap().total, 2);
    let missing = VendorQuery { report_status: Some(ReportStatus::Missing), ..Default::default() };
    assert_eq!(ws.read(|c| vendors::list(c, &missing, today())).unwrap().total, 2);
    ws.write(|tx, now| vendors::set_archived(tx, now, fine.id, true)).unwrap();
    assert_eq!(ws.read(|c| vendors::list(c, &VendorQuery::default(), today())).unwrap().total, 3);
    let err = ws
        .write(|tx, now| vendors::save_report(tx, now, fine.id, None, &type2("2025-01-01", "2025-12-31")))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
}

#[test]
fn csv_round_trip_and_rejection() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let csv = "name,service,criticality,data_access,status,contract_start,contract_end,security_clause,breach_clause,breach_notice_hours,dpa_signed,last_assessed_on\r\n\
               AWS,Hosting,Critical,customer data,active,2024-01-01,2027-01-01,yes,yes,72,yes,2026-03-01\r\n\
               Figma,Design,medium,internal_only,,,,no,no,,no,\r\n";
    let report = registers::import_csv_into(
        &ws,
        Register::Vendors,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((report.created, report.errors.len()), (2, 0), "{:?}", report.errors);
    let page = ws.read(|c| vendors::list(c, &VendorQuery::default(), today())).unwrap();
    let aws = &page.rows[0];
    assert_eq!((aws.criticality, aws.breach_notice_hours, aws.dpa_signed), (Criticality::Critical, Some(72), true));
    assert_eq!(aws.next_assessment_due, Some(day("2027-03-01")));

    let exported = ws.read(|c| registers::export_csv(c, Register::Vendors)).unwrap();
    let again = registers::import_csv_into(
        &ws,
        Register::Vendors,
        exported.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(ws.read(|c| registers::export_csv(c, Register::Vendors)).unwrap(), exported);

    let bad = "name,criticality,security_clause,breach_clause,breach_notice_hours,contract_start,contract_end\r\n\
               Good,low,no,no,,,\r\n\
               Bad,urgent,maybe,yes,soon,2026-05-01,2026-01-01\r\n\
               good,high,yes,no,,,\r\n";
    let report = registers::import_csv_into(
        &ws,
        Register::Vendors,
        bad.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert!(!report.applied);
    let at: Vec<_> = report.errors.iter().map(|e| (e.line, e.column.clone().unwrap_or_default())).collect();
    for column in ["criticality", "security_clause", "breach_notice_hours", "contract_end"] {
        assert!(at.contains(&(3, column.into())), "{column} in {at:?}");
    }
    assert!(at.contains(&(4, "name".into())), "duplicate name: {at:?}");
    assert_eq!(ws.read(|c| vendors::list(c, &VendorQuery::default(), today())).unwrap().total, 2, "all or nothing");
}

#[test]
fn a_version_8_workspace_upgrades_and_keeps_its_evidence() {
    let (_dir, path) = temp_workspace();
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(include_str!("fixtures/schema_v8.sql")).unwrap();
        c.execute_batch(
            "INSERT INTO policies (title, version, status, created_at, updated_at)
                 VALUES ('Access control', '1.0', 'draft', 'x', 'x');
             INSERT INTO evidence (sha256, file_name, size, effective_date, policy_id, created_at)
                 VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'policy.pdf', 10, '2026-01-01', 1, 'x');",
        )
        .unwrap();
    }
    let ws = open(&path).expect("upgrade from schema 8");
    assert_eq!(ws.report().upgraded_from, Some(8));
    let files = ws.read(|c| evidence::for_policy(c, 1)).unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name, "policy.pdf");
    // The rebuilt table still refuses evidence attached to two records at once.
    let both = ws.write(|tx, _| {
        tx.execute(
            "INSERT INTO evidence (sha256, file_name, size, effective_date, policy_id, activity_id, created_at)
             VALUES ('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'x', 1, '2026-01-01', 1, 1, 'x')",
            [],
        )?;
        Ok(())
    });
    let err = both.unwrap_err();
    assert!(err.message.contains("CHECK constraint failed"), "{}", err.message);
    create(&ws, &vendor("AWS", Criticality::Critical)).expect("vendor tables exist after the upgrade");
}

#[test]
fn a_vendor_assessed_without_a_typed_date_round_trips_its_csv_unchanged() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let v = create(&ws, &vendor("AWS", Criticality::Critical)).unwrap();
    let input = VendorAssessmentInput {
        performed_on: "2026-10-01".into(),
        performed_by_id: None,
        method: AssessmentMethod::Questionnaire,
        outcome: AssessmentOutcome::Approved,
        notes: String::new(),
    };
    ws.write(|tx, now| {
        vendors::add_assessment(
            tx,
            now,
            &readyroom_core::attachments::Attachments::plain("/nonexistent"),
            v.id,
            &input,
            None,
        )
    })
    .unwrap();
    // The export shows the recorded assessment's date; importing it back is no change.
    let exported = ws.read(|c| registers::export_csv(c, Register::Vendors)).unwrap();
    assert!(exported.contains("2026-10-01"), "{exported}");
    let again = registers::import_csv_into(
        &ws,
        Register::Vendors,
        exported.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 1), "{:?}", again.changes);
}

#[test]
fn a_page_of_vendors_read_in_sql_is_the_slice_of_the_whole_list_it_stands_for() {
    use readyroom_core::vendors::{every, list, Criticality, VendorInput, VendorQuery, VendorSort};
    let (_dir, path) = common::temp_workspace();
    let ws = common::open(&path).unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| {
        for i in 0..230 {
            let criticality = [Criticality::Critical, Criticality::High, Criticality::Medium, Criticality::Low][i % 4];
            let name = if i % 3 == 0 { format!("acme cloud {i:03}") } else { format!("Beta Service {i:03}") };
            let input = VendorInput { name, service: "Hosting".into(), criticality, ..Default::default() };
            let v = vendors::create(tx, now, &input)?;
            if i % 10 == 0 {
                vendors::set_archived(tx, now, v.id, true)?;
            }
        }
        Ok(())
    })
    .unwrap();
    let queries = [
        VendorQuery::default(),
        VendorQuery { sort: VendorSort::Criticality, offset: 100, ..Default::default() },
        VendorQuery { sort: VendorSort::Criticality, descending: true, offset: 40, limit: 50, ..Default::default() },
        VendorQuery { search: "ACME".into(), descending: true, ..Default::default() },
        VendorQuery { criticality: Some(Criticality::High), include_archived: true, ..Default::default() },
    ];
    for q in queries {
        let page = ws.read(|c| list(c, &q, as_of)).unwrap();
        let all = ws.read(|c| every(c, &q, as_of)).unwrap();
        let slice: Vec<&str> =
            all.iter().skip(q.offset as usize).take(q.limit as usize).map(|v| v.name.as_str()).collect();
        let names: Vec<&str> = page.rows.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, slice, "{q:?}");
        assert_eq!(page.total as usize, all.len(), "{q:?}");
        assert!(!names.is_empty(), "{q:?} selects something");
    }
    // The filters leave out what they must: archived vendors, other criticalities, other names.
    let high = ws
        .read(|c| list(c, &VendorQuery { criticality: Some(Criticality::High), ..Default::default() }, as_of))
        .unwrap();
    assert!(high.rows.iter().all(|v| v.criticality == Criticality::High && !v.archived));
    let acme = ws.read(|c| list(c, &VendorQuery { search: "acme".into(), ..Default::default() }, as_of)).unwrap();
    assert!(acme.rows.iter().all(|v| v.name.starts_with("acme")) && acme.total < 230);
}
