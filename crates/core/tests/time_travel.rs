//! History-true checks, by replay: a generated sequence of dated edits across the registers is
//! applied day by day with the clock on that day, and every check's result is recorded each
//! day. Afterwards, on the final workspace, checking "as of" each past day must give exactly
//! what was recorded on that day: the checks see the past as it was, not as it is now.
//!
//! The edits are those whose effect history keeps (creating, updating and archiving records,
//! recording dated occurrences and their evidence). A fixed seed makes every run the same.

mod common;

use chrono::{Days, NaiveDate};
use common::{open_on, temp_workspace};
use readyroom_core::evidence::Upload;
use readyroom_core::readiness::{self, Readiness};
use readyroom_core::refs::{Cadence, Criticality, OccurrenceSource};
use readyroom_core::{
    access_reviews, changes, controls, people, policies, profile, retention, risks, systems, vendors, Workspace,
};

/// A small deterministic generator (xorshift), so the sequence is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const START: &str = "2026-01-01";
const DAYS: u64 = 210;

/// What exists so far, for edits to pick from.
#[derive(Default)]
struct Known {
    people: Vec<i64>,
    systems: Vec<i64>,
    data_types: Vec<i64>,
    vendors: Vec<i64>,
    risks: Vec<i64>,
    controls: Vec<i64>,
    policies: Vec<i64>,
    n: usize,
}

fn date_back(day: NaiveDate, rng: &mut Rng, max: u64) -> String {
    day.checked_sub_days(Days::new(rng.next() % (max + 1))).unwrap().to_string()
}

/// One random edit on `day`. Returns whether it wrote something.
fn edit(ws: &Workspace, day: NaiveDate, rng: &mut Rng, k: &mut Known) -> bool {
    k.n += 1;
    let n = k.n;
    let dir = ws.attachments_dir();
    let file: &[u8] = b"evidence\n";
    let result: readyroom_core::Result<()> = match rng.below(13) {
        0 => ws.write(|tx, now| {
            let input = people::PersonInput {
                name: format!("Person {n}"),
                email: format!("p{n}@acme.test"),
                start_date: date_back(day, rng, 20),
                ..Default::default()
            };
            k.people.push(people::create(tx, now, &input)?.id);
            Ok(())
        }),
        1 if !k.people.is_empty() => {
            let id = k.people[rng.below(k.people.len())];
            ws.write(|tx, now| {
                let p = people::get(tx, id)?;
                let input = people::PersonInput {
                    name: p.name,
                    email: p.email,
                    role: p.role,
                    start_date: p.start_date.map(|d| d.to_string()).unwrap_or_default(),
                    end_date: if p.end_date.is_some() { String::new() } else { date_back(day, rng, 3) },
                };
                people::update(tx, now, id, &input).map(|_| ())
            })
        }
        2 => ws.write(|tx, now| {
            let input = systems::SystemInput {
                name: format!("System {n}"),
                criticality: [Criticality::Critical, Criticality::High, Criticality::Medium][rng.below(3)],
                holds_customer_data: rng.chance(50),
                mfa_enforced: rng.chance(60),
                role_based_access: rng.chance(70),
                logs_forwarded: rng.chance(70),
                alerting: rng.chance(70),
                encryption_at_rest: rng.chance(70),
                tls_in_transit: rng.chance(80),
                ..Default::default()
            };
            k.systems.push(systems::create(tx, now, &input)?.id);
            Ok(())
        }),
        3 if !k.systems.is_empty() => {
            let id = k.systems[rng.below(k.systems.len())];
            ws.write(|tx, now| {
                let s = systems::get(tx, id, day)?;
                if rng.chance(15) {
                    return systems::set_archived(tx, now, id, !s.archived).map(|_| ());
                }
                let input = systems::SystemInput {
                    name: s.name,
                    criticality: [Criticality::Critical, Criticality::High, Criticality::Low][rng.below(3)],
                    in_scope: rng.chance(90),
                    holds_customer_data: rng.chance(50),
                    mfa_enforced: rng.chance(60),
                    role_based_access: rng.chance(80),
                    logs_forwarded: rng.chance(70),
                    alerting: rng.chance(70),
                    encryption_at_rest: rng.chance(70),
                    tls_in_transit: rng.chance(80),
                    ..Default::default()
                };
                systems::update(tx, now, id, &input).map(|_| ())
            })
        }
        4 if !k.systems.is_empty() => {
            let id = k.systems[rng.below(k.systems.len())];
            let evidence = rng.chance(70).then_some(Upload::bytes("users.csv", file));
            let input = access_reviews::AccessReviewInput {
                system_id: Some(id),
                reviewer_id: None,
                performed_on: date_back(day, rng, 10),
                period_start: String::new(),
                period_end: String::new(),
                accounts_reviewed: Some(3),
                accounts_changed: Some(0),
                findings: String::new(),
                changes: vec![],
            };
            ws.write(|tx, now| access_reviews::create(tx, now, &dir, &input, evidence).map(|_| ()))
        }
        5 if !k.systems.is_empty() => {
            let id = k.systems[rng.below(k.systems.len())];
            let evidence = rng.chance(70).then_some(Upload::bytes("log.txt", file));
            let input = systems::LogReviewInput {
                performed_on: date_back(day, rng, 5),
                performed_by_id: None,
                notes: "ok".into(),
            };
            ws.write(|tx, now| systems::add_log_review(tx, now, &dir, id, &input, evidence).map(|_| ()))
        }
        6 => ws.write(|tx, now| {
            let input = retention::DataTypeInput {
                name: format!("Data {n}"),
                retention_unit: retention::RetentionUnit::Months,
                retention_value: Some(12),
                disposal_cadence: [risks::ReviewCadence::Monthly, risks::ReviewCadence::Quarterly][rng.below(2)],
                ..Default::default()
            };
            k.data_types.push(retention::create(tx, now, &input)?.id);
            Ok(())
        }),
        7 if !k.data_types.is_empty() => {
            let id = k.data_types[rng.below(k.data_types.len())];
            let evidence = rng.chance(70).then_some(Upload::bytes("wipe.pdf", file));
            let input = retention::DisposalInput {
                performed_on: date_back(day, rng, 5),
                performed_by_id: None,
                what: "old".into(),
            };
            ws.write(|tx, now| retention::add_disposal(tx, now, &dir, id, &input, evidence).map(|_| ()))
        }
        8 if k.people.len() >= 2 => {
            let a = k.people[rng.below(k.people.len())];
            let b = k.people[rng.below(k.people.len())];
            let deployed = date_back(day, rng, 5);
            let approved = rng.chance(70) && a != b;
            let input = changes::ChangeInput {
                title: format!("Change {n}"),
                author_id: Some(a),
                approver_id: approved.then_some(b),
                approved_at: if approved { format!("{deployed} 08:00") } else { String::new() },
                deployed_at: format!("{deployed} 10:00"),
                tested: rng.chance(80),
                test_notes: "CI".into(),
                rollback_plan: if rng.chance(70) { "revert".into() } else { String::new() },
                emergency: rng.chance(10),
                ..Default::default()
            };
            ws.write(|tx, now| changes::create(tx, now, &input).map(|_| ()))
        }
        9 => ws.write(|tx, now| {
            if !k.risks.is_empty() && rng.chance(50) {
                let id = k.risks[rng.below(k.risks.len())];
                let r = risks::get(tx, id, day)?;
                let input = risks::RiskInput {
                    reference: r.reference,
                    title: r.title,
                    inherent_likelihood: Some(r.inherent.likelihood),
                    inherent_impact: Some(r.inherent.impact),
                    treatment: r.treatment,
                    residual_likelihood: r.residual.map(|x| x.likelihood),
                    residual_impact: r.residual.map(|x| x.impact),
                    last_reviewed_on: date_back(day, rng, 3),
                    ..Default::default()
                };
                return risks::update(tx, now, id, &input).map(|_| ());
            }
            let input = risks::RiskInput {
                title: format!("Risk {n}"),
                inherent_likelihood: Some(1 + rng.below(5) as u8),
                inherent_impact: Some(1 + rng.below(5) as u8),
                last_reviewed_on: date_back(day, rng, 30),
                ..Default::default()
            };
            k.risks.push(risks::create(tx, now, &input)?.id);
            Ok(())
        }),
        10 => ws.write(|tx, now| {
            if !k.vendors.is_empty() && rng.chance(60) {
                let id = k.vendors[rng.below(k.vendors.len())];
                let evidence = rng.chance(70).then_some(Upload::bytes("questionnaire.pdf", file));
                let input = vendors::VendorAssessmentInput {
                    performed_on: date_back(day, rng, 5),
                    performed_by_id: None,
                    method: vendors::AssessmentMethod::Questionnaire,
                    outcome: vendors::AssessmentOutcome::Approved,
                    notes: String::new(),
                };
                return vendors::add_assessment(tx, now, &dir, id, &input, evidence).map(|_| ());
            }
            let input = vendors::VendorInput {
                name: format!("Vendor {n}"),
                criticality: [Criticality::Critical, Criticality::High, Criticality::Low][rng.below(3)],
                security_clause: rng.chance(70),
                ..Default::default()
            };
            k.vendors.push(vendors::create(tx, now, &input)?.id);
            Ok(())
        }),
        11 => ws.write(|tx, now| {
            if !k.controls.is_empty() && rng.chance(70) {
                let id = k.controls[rng.below(k.controls.len())];
                let input = controls::ActivityInput {
                    performed_on: date_back(day, rng, 10),
                    performed_by: None,
                    notes: "done".into(),
                };
                let meta = controls::ActivityFile { file_name: "proof.png".into(), expires_on: String::new() };
                let with = rng.chance(75).then_some((&meta, readyroom_core::evidence::Content::Bytes(file)));
                return controls::add_activity_with_file(tx, now, &dir, id, &input, with).map(|_| ());
            }
            let cadence = [Cadence::Monthly, Cadence::Quarterly, Cadence::Continuous, Cadence::PerEvent][rng.below(4)];
            let sources = match rng.below(4) {
                0 => vec![OccurrenceSource::AccessReviews],
                1 => vec![OccurrenceSource::Changes],
                _ => vec![],
            };
            let input = controls::ControlInput {
                reference: format!("C-{n}"),
                title: format!("Control {n}"),
                status: controls::ControlStatus::Implemented,
                cadence,
                criteria: vec![["CC6.1", "CC6.2", "CC7.2", "CC8.1"][rng.below(4)].to_owned()],
                sources: Some(sources),
                ..Default::default()
            };
            k.controls.push(controls::create(tx, now, &input)?.id);
            Ok(())
        }),
        _ => ws.write(|tx, now| {
            if k.policies.is_empty() {
                policies::install_expected(tx, now)?;
                k.policies = policies::list(tx, false)?.into_iter().map(|p| p.id).collect();
                return Ok(());
            }
            let Some(&approver) = k.people.first() else { return Ok(()) };
            let id = k.policies[rng.below(k.policies.len())];
            let input = policies::ApproveInput {
                approved_on: date_back(day, rng, 3),
                approver_id: Some(approver),
                next_review_due: String::new(),
            };
            match policies::approve(tx, now, id, &input) {
                // Approving the same version twice is refused; a new version first.
                Err(_) => {
                    let p = policies::get(tx, id)?;
                    policies::new_version(tx, now, id, &format!("{}.1", p.version)).map(|_| ())
                }
                Ok(_) => Ok(()),
            }
        }),
    };
    result.is_ok()
}

#[test]
fn checking_as_of_a_past_day_gives_what_the_checks_said_on_that_day() {
    let (_dir, path) = temp_workspace();
    let start = NaiveDate::parse_from_str(START, "%Y-%m-%d").unwrap();
    {
        let ws = open_on(&path, START).unwrap();
        let p = profile::ProfileInput {
            name: "Replay Ltd".into(),
            audit_type: profile::AuditType::Type2,
            window_start: "2026-02-01".into(),
            window_end: "2026-12-31".into(),
            ..Default::default()
        };
        ws.write(|tx, now| profile::save(tx, now, &p)).unwrap();
    }
    let mut rng = Rng(0x5eed_2026_1130);
    let mut known = Known::default();
    let mut recorded: Vec<(NaiveDate, Readiness)> = Vec::new();
    let mut edits = 0;
    for offset in 0..DAYS {
        let day = start + Days::new(offset);
        let ws = open_on(&path, &day.to_string()).unwrap();
        for _ in 0..(1 + rng.below(4)) {
            if edit(&ws, day, &mut rng, &mut known) {
                edits += 1;
            }
        }
        recorded.push((day, ws.read(|c| readiness::check_all(c, day)).unwrap()));
    }
    assert!(edits >= 500, "at least 500 edits were applied (got {edits})");
    let last = start + Days::new(DAYS);
    let ws = open_on(&path, &last.to_string()).unwrap();
    let mut verdicts = std::collections::BTreeSet::new();
    for (day, then) in &recorded {
        let now = ws.read(|c| readiness::check_all(c, *day)).unwrap();
        for (a, b) in then.checks.iter().zip(&now.checks) {
            assert_eq!(a, b, "check {} as of {day}: what it said that day, and what it says now", a.key);
            verdicts.insert((a.key.clone(), a.verdict));
        }
    }
    // The replay exercised passing, failing and warning results, not only one.
    let kinds: std::collections::BTreeSet<_> = verdicts.iter().map(|(_, v)| *v).collect();
    assert!(kinds.len() >= 3, "{verdicts:?}");
}
