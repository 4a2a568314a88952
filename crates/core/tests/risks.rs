//! The risk register on real workspace files: validation (residual never above inherent,
//! acceptance, treatment), derived scores and bands under changed thresholds, filters,
//! starter library, heatmap, assessments (frozen snapshots, comparison), actions from risks
//! and CSV.

mod common;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::actions::{self, ActionInput, ActionQuery};
use readyroom_core::controls::{self, ControlInput};
use readyroom_core::heatmap::{self, HeatmapQuery};
use readyroom_core::history::HistoryAction;
use readyroom_core::people::{self, PersonInput};
use readyroom_core::risk_assessments::{self, AssessmentInput};
use readyroom_core::risks::{self, RatingView, RiskCategory, RiskInput, RiskQuery, RiskStatus, Treatment};
use readyroom_core::scoring::Band;
use readyroom_core::settings::{self, BandThresholds};
use readyroom_core::{registers, Register};
use readyroom_core::{ErrorCode, Workspace};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    day("2026-11-26")
}

fn risk(title: &str, l: u8, i: u8) -> RiskInput {
    RiskInput { title: title.into(), inherent_likelihood: Some(l), inherent_impact: Some(i), ..Default::default() }
}

fn mitigated(title: &str, inherent: (u8, u8), residual: (u8, u8)) -> RiskInput {
    RiskInput {
        treatment: Some(Treatment::Mitigate),
        residual_likelihood: Some(residual.0),
        residual_impact: Some(residual.1),
        ..risk(title, inherent.0, inherent.1)
    }
}

fn create(ws: &Workspace, input: &RiskInput) -> readyroom_core::Result<risks::Risk> {
    ws.write(|tx, now| risks::create(tx, now, input))
}

fn person(ws: &Workspace, name: &str) -> i64 {
    let email = format!("{}@acme.test", name.to_lowercase().replace(' ', "."));
    ws.write(|tx, now| people::create(tx, now, &PersonInput { name: name.into(), email, ..Default::default() }))
        .unwrap()
        .id
}

fn fields(err: &readyroom_core::Error) -> Vec<&str> {
    err.fields.iter().map(|f| f.field.as_str()).collect()
}

#[test]
fn scores_and_bands_are_derived_and_references_assigned() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let a = create(&ws, &risk("Phishing", 4, 4)).unwrap();
    assert_eq!(a.reference, "RISK-001");
    assert_eq!((a.inherent.score, a.inherent.band), (16, Band::High));
    assert_eq!(a.current, a.inherent, "no residual yet: it sits at its inherent rating");
    let b = create(&ws, &mitigated("Ransomware", (3, 5), (2, 2))).unwrap();
    assert_eq!(b.reference, "RISK-002");
    assert_eq!((b.inherent.score, b.inherent.band), (15, Band::High));
    let residual = b.residual.unwrap();
    assert_eq!((residual.score, residual.band), (4, Band::Low));
    assert_eq!(b.current, residual);
    let c = create(&ws, &risk("Outage", 5, 4)).unwrap();
    assert_eq!((c.inherent.score, c.inherent.band), (20, Band::Critical));
    let d = create(&ws, &risk("Typo", 1, 4)).unwrap();
    assert_eq!(d.inherent.band, Band::Low);
    let e = create(&ws, &risk("Minor", 1, 5)).unwrap();
    assert_eq!(e.inherent.band, Band::Medium);
}

#[test]
fn residual_above_inherent_and_missing_ratings_are_refused() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let err = create(&ws, &mitigated("Worse after controls", (2, 3), (3, 3))).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(fields(&err), ["residual_likelihood"]);
    assert!(err.fields[0].message.contains("Possible") && err.fields[0].message.contains("Unlikely"));
    let err = create(&ws, &mitigated("Impact up", (2, 3), (1, 4))).unwrap_err();
    assert_eq!(fields(&err), ["residual_impact"]);

    // Mitigate and transfer need a residual rating; accept needs who and until when.
    let err = create(&ws, &RiskInput { treatment: Some(Treatment::Transfer), ..risk("Insured", 3, 4) }).unwrap_err();
    assert_eq!(fields(&err), ["residual_likelihood", "residual_impact"]);
    let err = create(&ws, &RiskInput { treatment: Some(Treatment::Accept), ..risk("Lived with", 2, 2) }).unwrap_err();
    assert_eq!(fields(&err), ["accepted_by_id", "accepted_until"]);
    let half = RiskInput { residual_impact: Some(1), ..risk("Half rated", 2, 2) };
    assert_eq!(fields(&create(&ws, &half).unwrap_err()), ["residual_likelihood"]);
    let empty = RiskInput { title: " ".into(), inherent_likelihood: Some(6), ..Default::default() };
    assert_eq!(fields(&create(&ws, &empty).unwrap_err()), ["title", "inherent_likelihood", "inherent_impact"]);
    let treated = RiskInput { status: RiskStatus::Treated, ..risk("Treated how?", 2, 2) };
    assert_eq!(fields(&create(&ws, &treated).unwrap_err()), ["treatment"]);
    let future = RiskInput { last_reviewed_on: "2026-11-27".into(), ..risk("Reviewed tomorrow", 2, 2) };
    assert_eq!(fields(&create(&ws, &future).unwrap_err()), ["last_reviewed_on"]);
    let bad_control = RiskInput { control_ids: vec![999], ..risk("Linked to nothing", 2, 2) };
    assert_eq!(fields(&create(&ws, &bad_control).unwrap_err()), ["control_ids"]);

    // Nothing was stored by any refused write; an edit that raises residual is refused too.
    assert_eq!(ws.read(|c| risks::list(c, &RiskQuery::default(), today())).unwrap().total, 0);
    let ok = create(&ws, &mitigated("Fine", (3, 3), (2, 2))).unwrap();
    let err = ws.write(|tx, now| risks::update(tx, now, ok.id, &mitigated("Fine", (3, 3), (4, 2)))).unwrap_err();
    assert_eq!(fields(&err), ["residual_likelihood"]);
    assert_eq!(ws.read(|c| risks::get(c, ok.id, today())).unwrap().residual, ok.residual);
}

#[test]
fn acceptance_review_dates_and_history() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let cfo = person(&ws, "Carla Finch");
    let accepted = RiskInput {
        treatment: Some(Treatment::Accept),
        accepted_by_id: Some(cfo),
        accepted_until: "2026-12-31".into(),
        last_reviewed_on: "2026-02-28".into(),
        review_cadence: risks::ReviewCadence::Quarterly,
        ..risk("Single region hosting", 2, 4)
    };
    let r = create(&ws, &accepted).unwrap();
    assert_eq!(r.accepted_by.as_ref().map(|p| p.name.as_str()), Some("Carla Finch"));
    assert_eq!(r.review_due, Some(day("2026-05-28")));
    assert!(r.review_overdue);
    assert!(!r.acceptance_expired);
    let later = ws.read(|c| risks::get(c, r.id, day("2027-01-01"))).unwrap();
    assert!(later.acceptance_expired, "the acceptance ended on 2026-12-31");
    let on_the_day = ws.read(|c| risks::get(c, r.id, day("2026-12-31"))).unwrap();
    assert!(!on_the_day.acceptance_expired);

    // Never reviewed: the first review falls due one cadence after the risk was added.
    let fresh = create(&ws, &risk("New this week", 2, 2)).unwrap();
    assert_eq!(fresh.review_due, Some(day("2027-11-26")));
    assert!(!fresh.review_overdue);
    assert!(ws.read(|c| risks::get(c, fresh.id, day("2027-11-27"))).unwrap().review_overdue);
    assert!(!ws.read(|c| risks::get(c, fresh.id, day("2027-11-26"))).unwrap().review_overdue);

    // Switching to mitigate clears the acceptance; the history says what changed.
    let changed = ws
        .write(|tx, now| {
            risks::update(
                tx,
                now,
                r.id,
                &RiskInput { reference: r.reference.clone(), ..mitigated("Single region hosting", (2, 4), (1, 4)) },
            )
        })
        .unwrap();
    assert_eq!(changed.accepted_by, None);
    assert_eq!(changed.accepted_until, None);
    let detail = ws.read(|c| risks::detail(c, r.id, today())).unwrap();
    assert_eq!(detail.history[0].action, HistoryAction::Update);
    let changed_fields: Vec<_> = detail.history[0].changes.iter().map(|c| c.field.as_str()).collect();
    assert!(changed_fields.contains(&"treatment") && changed_fields.contains(&"residual"), "{changed_fields:?}");
    assert!(changed_fields.contains(&"accepted_by"));
    let archived = ws.write(|tx, now| risks::set_archived(tx, now, r.id, true)).unwrap();
    assert!(archived.archived);
    assert_eq!(ws.read(|c| risks::list(c, &RiskQuery::default(), today())).unwrap().total, 1, "only the fresh one");
    let with_archived = RiskQuery { include_archived: true, ..Default::default() };
    assert_eq!(ws.read(|c| risks::list(c, &with_archived, today())).unwrap().total, 2);
}

#[test]
fn threshold_changes_rebands_every_view() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let r = create(&ws, &risk("Eight", 2, 4)).unwrap();
    assert_eq!(r.inherent.band, Band::Medium);
    let bad = BandThresholds { medium_from: 9, high_from: 8, critical_from: 20 };
    let err = ws.write(|tx, now| settings::save_band_thresholds(tx, now, &bad)).unwrap_err();
    assert_eq!(fields(&err), ["high_from"]);
    assert_eq!(ws.read(settings::band_thresholds).unwrap(), BandThresholds::default());
    let tighter = BandThresholds { medium_from: 3, high_from: 8, critical_from: 15 };
    ws.write(|tx, now| settings::save_band_thresholds(tx, now, &tighter)).unwrap();
    assert_eq!(ws.read(|c| risks::get(c, r.id, today())).unwrap().inherent.band, Band::High);
    let high = RiskQuery { band: Some(Band::High), ..Default::default() };
    assert_eq!(ws.read(|c| risks::list(c, &high, today())).unwrap().total, 1);
    let map = ws.read(|c| heatmap::live(c, &HeatmapQuery::default())).unwrap();
    assert_eq!(map.cell(2, 4).unwrap().band, Band::High);
    assert_eq!(map.scale.thresholds, tighter);
}

#[test]
fn list_filters_and_sorts() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let owner = person(&ws, "Olga Owner");
    let control = ws
        .write(|tx, now| {
            controls::create(
                tx,
                now,
                &ControlInput { reference: "AC-02".into(), title: "MFA".into(), ..Default::default() },
            )
        })
        .unwrap();
    create(
        &ws,
        &RiskInput { owner_id: Some(owner), control_ids: vec![control.id], ..mitigated("Phishing", (4, 4), (2, 2)) },
    )
    .unwrap();
    create(&ws, &RiskInput { category: RiskCategory::Fraud, ..risk("Invoice fraud", 3, 3) }).unwrap();
    create(&ws, &RiskInput { category: RiskCategory::Availability, ..risk("Outage", 5, 5) }).unwrap();
    let q = |q: RiskQuery| ws.read(|c| risks::list(c, &q, today())).unwrap();
    assert_eq!(
        q(RiskQuery { category: Some(RiskCategory::Fraud), ..Default::default() }).rows[0].title,
        "Invoice fraud"
    );
    assert_eq!(q(RiskQuery { owner_id: Some(owner), ..Default::default() }).total, 1);
    assert_eq!(
        q(RiskQuery { control_id: Some(control.id), ..Default::default() }).rows[0].controls[0].reference,
        "AC-02"
    );
    assert_eq!(q(RiskQuery { search: "fraud".into(), ..Default::default() }).total, 1);
    assert_eq!(q(RiskQuery { band: Some(Band::High), ..Default::default() }).total, 1);
    let residual_low = RiskQuery { band: Some(Band::Low), band_view: RatingView::Residual, ..Default::default() };
    assert_eq!(q(residual_low).rows[0].title, "Phishing");
    let by_score = q(RiskQuery { sort: risks::RiskSort::Inherent, descending: true, ..Default::default() });
    let titles: Vec<_> = by_score.rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Outage", "Phishing", "Invoice fraud"]);
    let by_residual = q(RiskQuery { sort: risks::RiskSort::Residual, ..Default::default() });
    assert_eq!(by_residual.rows[0].title, "Phishing");
}

#[test]
fn starter_library_adds_chosen_risks_linked_to_present_controls() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    ws.write(controls::install_starter).unwrap();
    let library = ws.read(risks::starter_library).unwrap();
    assert!(library.len() >= 25);
    assert!(library.iter().all(|r| !r.added && r.suggested_controls.iter().all(|c| c.present)));
    let keys = vec!["phishing-credentials".to_owned(), "bec-invoice-fraud".to_owned()];
    assert_eq!(ws.write(|tx, now| risks::add_starter(tx, now, &keys)).unwrap(), 2);
    assert_eq!(ws.write(|tx, now| risks::add_starter(tx, now, &keys)).unwrap(), 0, "added once only");
    let page = ws.read(|c| risks::list(c, &RiskQuery::default(), today())).unwrap();
    assert_eq!(page.total, 2);
    let fraud = page.rows.iter().find(|r| r.category == RiskCategory::Fraud).unwrap();
    assert!(fraud.controls.iter().any(|c| c.reference == "RSK-03"));
    assert_eq!(fraud.treatment, None);
    let library = ws.read(risks::starter_library).unwrap();
    assert_eq!(library.iter().filter(|r| r.added).count(), 2);
    let err = ws.write(|tx, now| risks::add_starter(tx, now, &["no-such-risk".to_owned()])).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
}

#[test]
fn heatmap_filters_and_counts() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let owner = person(&ws, "Olga Owner");
    create(&ws, &RiskInput { owner_id: Some(owner), ..mitigated("A", (4, 4), (2, 3)) }).unwrap();
    create(&ws, &risk("B", 4, 4)).unwrap();
    create(&ws, &RiskInput { category: RiskCategory::Fraud, ..risk("C", 2, 3) }).unwrap();
    create(&ws, &RiskInput { status: RiskStatus::Closed, ..risk("Closed", 4, 4) }).unwrap();
    let map = |q: HeatmapQuery| ws.read(|c| heatmap::live(c, &q)).unwrap();
    let inherent = map(HeatmapQuery::default());
    assert_eq!(inherent.cell(4, 4).unwrap().risks.len(), 2, "closed risks are left out");
    assert_eq!(inherent.cell(4, 4).unwrap().label, "Likely x Major: 2 risks");
    let residual = map(HeatmapQuery { view: RatingView::Residual, ..Default::default() });
    assert_eq!(residual.cell(4, 4).unwrap().risks.len(), 1);
    assert_eq!(residual.cell(2, 3).unwrap().risks.len(), 2);
    let fraud = map(HeatmapQuery { category: Some(RiskCategory::Fraud), ..Default::default() });
    assert_eq!(fraud.risks.len(), 1);
    let mine = map(HeatmapQuery { owner_id: Some(owner), ..Default::default() });
    assert_eq!(mine.risks[0].title, "A");
    let all = map(HeatmapQuery { include_closed: true, ..Default::default() });
    assert_eq!(all.cell(4, 4).unwrap().risks.len(), 3);
}

#[test]
fn assessments_freeze_the_register_and_compare() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let lead = person(&ws, "Lee Lead");
    let a = create(&ws, &risk("Phishing", 4, 4)).unwrap();
    let b = create(&ws, &risk("Outage", 3, 4)).unwrap();
    let input = AssessmentInput {
        performed_on: "2026-06-30".into(),
        performed_by_id: Some(lead),
        participants: "CTO, Ops lead".into(),
        notes: "First annual assessment".into(),
    };
    let first = ws.write(|tx, now| risk_assessments::create(tx, now, &input)).unwrap();
    assert_eq!(first.risks.len(), 2);
    let before = ws.read(|c| risk_assessments::get(c, first.summary.id)).unwrap();

    // Later edits: re-rate one, archive the other, add a third, change the bands.
    ws.write(|tx, now| {
        risks::update(
            tx,
            now,
            a.id,
            &RiskInput { reference: a.reference.clone(), ..mitigated("Phishing", (4, 4), (2, 2)) },
        )
    })
    .unwrap();
    ws.write(|tx, now| risks::set_archived(tx, now, b.id, true)).unwrap();
    create(&ws, &risk("Vendor breach", 3, 4)).unwrap();
    let tighter = BandThresholds { medium_from: 3, high_from: 8, critical_from: 15 };
    ws.write(|tx, now| settings::save_band_thresholds(tx, now, &tighter)).unwrap();

    let after_edits = ws.read(|c| risk_assessments::get(c, first.summary.id)).unwrap();
    assert_eq!(after_edits, before, "a snapshot reads the same whatever happens later");
    assert_eq!(after_edits.risks[0].inherent.band, Band::High, "rated with that day's thresholds");
    let frozen = ws.write(|tx, _| {
        tx.execute("UPDATE risk_assessment_items SET inherent_likelihood = 1", [])?;
        Ok(())
    });
    assert!(frozen.is_err(), "the database refuses to edit a snapshot");

    let second = ws
        .write(|tx, now| {
            risk_assessments::create(
                tx,
                now,
                &AssessmentInput { performed_on: "2026-11-26".into(), ..Default::default() },
            )
        })
        .unwrap();
    let list = ws.read(risk_assessments::list).unwrap();
    assert_eq!(list.iter().map(|s| s.id).collect::<Vec<_>>(), [second.summary.id, first.summary.id]);
    let diff = ws.read(|c| risk_assessments::compare(c, first.summary.id, second.summary.id)).unwrap();
    assert_eq!(diff.added.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["Vendor breach"]);
    assert_eq!(diff.removed.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["Outage"]);
    assert_eq!(diff.changed.len(), 1);
    let fields: Vec<_> = diff.changed[0].changes.iter().map(|c| c.field.as_str()).collect();
    assert!(fields.contains(&"residual") && fields.contains(&"treatment"), "{fields:?}");
    assert_eq!(diff.changed[0].after.residual.unwrap().score, 4);
    assert_eq!(diff.unchanged, 0);

    let map = ws.read(|c| risk_assessments::heatmap(c, first.summary.id, RatingView::Inherent)).unwrap();
    assert_eq!(map.cell(4, 4).unwrap().risks.len(), 1);
    assert_eq!(map.scale.thresholds, BandThresholds::default());

    let future = AssessmentInput { performed_on: "2026-11-27".into(), ..Default::default() };
    let err = ws.write(|tx, now| risk_assessments::create(tx, now, &future)).unwrap_err();
    assert_eq!(fields_of(&err), ["performed_on"]);
}

fn fields_of(err: &readyroom_core::Error) -> Vec<String> {
    err.fields.iter().map(|f| f.field.clone()).collect()
}

#[test]
fn an_empty_register_cannot_be_assessed() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let input = AssessmentInput { performed_on: "2026-11-01".into(), ..Default::default() };
    let err = ws.write(|tx, now| risk_assessments::create(tx, now, &input)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(ws.read(risk_assessments::list).unwrap().is_empty());
}

#[test]
fn treatment_actions_link_to_the_risk() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let r = create(&ws, &risk("Phishing", 4, 4)).unwrap();
    let input =
        ActionInput { title: "Roll out hardware keys".into(), source_risk_id: Some(r.id), ..Default::default() };
    let a = ws.write(|tx, now| actions::create(tx, now, &input)).unwrap();
    let source = a.source.unwrap();
    assert_eq!((source.kind.as_str(), source.label.as_str()), ("risks", "RISK-001 Phishing"));
    let q = ActionQuery { source_risk_id: Some(r.id), ..Default::default() };
    assert_eq!(ws.read(|c| actions::list(c, &q, today())).unwrap().total, 1);
    let csv = ws.read(|c| registers::export_csv(c, Register::Actions)).unwrap();
    assert!(csv.lines().nth(1).unwrap().ends_with(",RISK-001"), "{csv}");
    let report = registers::import_csv_into(
        &ws,
        Register::Actions,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((report.unchanged, report.errors.len()), (1, 0));
    let both = ActionInput { source_control_id: Some(1), ..input };
    assert_eq!(ws.write(|tx, now| actions::create(tx, now, &both)).unwrap_err().fields[0].field, "source_risk_id");
}

#[test]
fn csv_round_trip_and_rejection() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let cfo = person(&ws, "Carla Finch");
    ws.write(|tx, now| {
        controls::create(
            tx,
            now,
            &ControlInput { reference: "AC-02".into(), title: "MFA".into(), ..Default::default() },
        )
    })
    .unwrap();
    let csv = "reference,title,category,inherent_likelihood,inherent_impact,treatment,residual_likelihood,residual_impact,controls,accepted_by_email,accepted_until\r\n\
               ,Phishing,security,Likely,Major,mitigate,2,2,AC-02,,\r\n\
               R-9,Hosting region,Availability,2,4,accept,,,,carla.finch@acme.test,2027-06-30\r\n";
    let report = registers::import_csv_into(
        &ws,
        Register::Risks,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((report.created, report.errors.len()), (2, 0), "{:?}", report.errors);
    let page = ws.read(|c| risks::list(c, &RiskQuery::default(), today())).unwrap();
    let phishing = page.rows.iter().find(|r| r.title == "Phishing").unwrap();
    assert_eq!((phishing.inherent.score, phishing.residual.unwrap().score), (16, 4));
    assert_eq!(phishing.controls[0].reference, "AC-02");
    let hosting = page.rows.iter().find(|r| r.reference == "R-9").unwrap();
    assert_eq!(hosting.accepted_by.as_ref().unwrap().id, cfo);

    let exported = ws.read(|c| registers::export_csv(c, Register::Risks)).unwrap();
    let again = registers::import_csv_into(
        &ws,
        Register::Risks,
        exported.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(ws.read(|c| registers::export_csv(c, Register::Risks)).unwrap(), exported);

    let bad =
        "title,category,inherent_likelihood,inherent_impact,treatment,residual_likelihood,residual_impact,controls\r\n\
               Good one,fraud,3,3,,,,\r\n\
               Worse after,security,2,2,mitigate,3,1,\r\n\
               Unknown,weather,7,huge,,,,NOPE-1\r\n";
    let report = registers::import_csv_into(
        &ws,
        Register::Risks,
        bad.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert!(!report.applied);
    let at: Vec<_> = report.errors.iter().map(|e| (e.line, e.column.clone().unwrap_or_default())).collect();
    assert!(at.contains(&(3, "residual_likelihood".into())), "{at:?}");
    for column in ["category", "inherent_likelihood", "inherent_impact", "controls"] {
        assert!(at.contains(&(4, column.into())), "{column} in {at:?}");
    }
    assert_eq!(ws.read(|c| risks::list(c, &RiskQuery::default(), today())).unwrap().total, 2, "all or nothing");
}

#[test]
fn a_starter_risk_comes_with_a_suggestion_the_user_takes_in_one_step() {
    use readyroom_core::starter::risks::{suggestion, STARTER_RISKS};
    for s in STARTER_RISKS {
        let g = suggestion(s.key).unwrap_or_else(|| panic!("{} has no suggestion", s.key));
        assert!(
            g.residual_likelihood <= s.likelihood && g.residual_impact <= s.impact,
            "{}: residual above inherent",
            s.key
        );
        assert!(["mitigate", "accept", "transfer", "avoid"].contains(&g.treatment.as_str()), "{}", s.key);
        assert!(!g.role_title.is_empty() && g.rationale.split_whitespace().count() >= 15, "{}", s.key);
    }
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    ws.write(|tx, now| risks::add_starter(tx, now, &["phishing-credentials".into(), "lost-laptop".into()])).unwrap();
    let all = ws.read(|c| risks::list(c, &RiskQuery::default(), day("2026-11-30"))).unwrap();
    let id_of = |key: &str| all.rows.iter().find(|r| r.starter_key.as_deref() == Some(key)).unwrap().id;
    let detail = ws.read(|c| risks::detail(c, id_of("phishing-credentials"), day("2026-11-30"))).unwrap();
    let s = detail.suggestion.unwrap();
    assert_eq!((s.treatment.as_str(), detail.risk.treatment), ("mitigate", None), "suggested, not decided");
    let taken = ws.write(|tx, now| risks::accept_suggestion(tx, now, id_of("phishing-credentials"))).unwrap();
    assert_eq!(taken.treatment, Some(risks::Treatment::Mitigate));
    assert_eq!(taken.residual.map(|r| (r.likelihood, r.impact)), Some((s.residual_likelihood, s.residual_impact)));
    // Acceptance needs an owner to accept it; nothing changes until there is one.
    let err = ws.write(|tx, now| risks::accept_suggestion(tx, now, id_of("lost-laptop"))).unwrap_err();
    assert_eq!((err.code, err.fields[0].field.as_str()), (ErrorCode::Validation, "owner_id"));
    assert_eq!(ws.read(|c| risks::detail(c, id_of("lost-laptop"), day("2026-11-30"))).unwrap().risk.treatment, None);
}
