//! A large Type II workspace built with plain SQL inserts (shared by the benchmark examples;
//! included with `#[path]`, not an example itself): 1,000 controls and 10,000 records in each
//! register the checks read, each row recorded on the day it happened.
#![allow(dead_code)]

use chrono::{Days, NaiveDate};
use readyroom_core::Workspace;
use rusqlite::params;

pub const CONTROLS: usize = 1_000;
pub const RECORDS: usize = 10_000;
pub const WINDOW_START: &str = "2025-12-01";
pub const AS_OF: &str = "2026-11-30";

pub fn day(n: usize) -> NaiveDate {
    let start = NaiveDate::parse_from_str(WINDOW_START, "%Y-%m-%d").unwrap();
    start + Days::new((n % 364) as u64)
}

pub fn stamp(d: NaiveDate) -> String {
    format!("{d}T17:00:00Z")
}

/// People, systems, vendors, data types and controls, then a year of dated records.
pub fn build(ws: &Workspace) -> Result<(), Box<dyn std::error::Error>> {
    let base = "2025-10-01T09:00:00Z";
    ws.write(|tx, _| {
        tx.execute(
            "INSERT INTO organization_profile (id, name, audit_type, window_start, window_end, updated_at)
             VALUES (1, 'Bench Ltd', 'type2', ?1, '2026-11-30', ?2)",
            params![WINDOW_START, base],
        )?;
        let ins = |sql: &str, rows: usize, f: &dyn Fn(usize) -> Vec<rusqlite::types::Value>| -> readyroom_core::Result<()> {
            let mut stmt = tx.prepare(sql)?;
            for i in 0..rows {
                stmt.execute(rusqlite::params_from_iter(f(i)))?;
            }
            Ok(())
        };
        let s = |x: String| rusqlite::types::Value::from(x);
        let n = |x: i64| rusqlite::types::Value::from(x);
        ins(
            "INSERT INTO people (name, email, role, start_date, end_date, created_at, updated_at) VALUES (?1, ?2, '', ?3, ?4, ?5, ?5)",
            RECORDS,
            &|i| {
                let end = if i % 40 == 0 { Some(day(i).to_string()) } else { None };
                vec![
                    s(format!("Person {i}")),
                    s(format!("p{i}@bench.test")),
                    s(if i % 20 == 0 { day(i).to_string() } else { "2024-01-01".into() }),
                    end.map(s).unwrap_or(rusqlite::types::Value::Null),
                    s(base.into()),
                ]
            },
        )?;
        ins(
            "INSERT INTO systems (name, criticality, in_scope, holds_customer_data, mfa_enforced, role_based_access,
                 logs_forwarded, alerting, encryption_at_rest, tls_in_transit, created_at, updated_at)
             VALUES (?1, ?2, 1, ?3, 1, 1, 1, 1, 1, 1, ?4, ?4)",
            200,
            &|i| vec![s(format!("System {i}")), s(["critical", "high", "medium"][i % 3].into()), n((i % 2) as i64), s(base.into())],
        )?;
        ins(
            "INSERT INTO vendors (name, criticality, security_clause, created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?3)",
            500,
            &|i| vec![s(format!("Vendor {i}")), s(["critical", "high", "medium", "low"][i % 4].into()), s(base.into())],
        )?;
        ins(
            "INSERT INTO data_types (name, retention_unit, retention_value, disposal_cadence, created_at, updated_at)
             VALUES (?1, 'months', 12, 'quarterly', ?2, ?2)",
            100,
            &|i| vec![s(format!("Data {i}")), s(base.into())],
        )?;
        ins(
            "INSERT INTO controls (reference, title, status, cadence, created_at, updated_at)
             VALUES (?1, ?2, 'implemented', ?3, ?4, ?4)",
            CONTROLS,
            &|i| {
                vec![
                    s(format!("C-{i:04}")),
                    s(format!("Control {i}")),
                    s(["monthly", "quarterly", "annual", "continuous", "per_event"][i % 5].into()),
                    s(base.into()),
                ]
            },
        )?;
        tx.execute_batch(
            "INSERT INTO control_criteria (control_id, criterion_id)
                 WITH k AS (SELECT id, row_number() OVER (ORDER BY sort_order) - 1 AS n FROM criteria WHERE id LIKE 'CC%')
                 SELECT c.id, k.id FROM controls c JOIN k ON k.n = c.id % 33;
             INSERT INTO control_sources (control_id, source)
                 SELECT id, CASE id % 4 WHEN 0 THEN 'access_reviews' WHEN 1 THEN 'changes' WHEN 2 THEN 'log_reviews' ELSE 'disposals' END
                 FROM controls WHERE id % 10 = 0;",
        )?;
        // Evidence by reference (a ticket per record), so the workspace needs no files.
        let ev = |table_col: &str, rows: usize| -> String {
            format!(
                "INSERT INTO evidence (sha256, file_name, reference, size, effective_date, {table_col}, created_at)
                 SELECT NULL, '', 'BENCH-' || id, 0, substr(created_at, 1, 10), id, created_at FROM {} WHERE id % 10 <> 0 AND id <= {rows}",
                match table_col {
                    "access_review_id" => "access_reviews",
                    "log_review_id" => "log_reviews",
                    "disposal_id" => "disposals",
                    "vendor_assessment_id" => "vendor_assessments",
                    _ => "control_activities",
                }
            )
        };
        ins(
            "INSERT INTO access_reviews (system_id, performed_on, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            RECORDS,
            &|i| vec![n((1 + i % 200) as i64), s(day(i).to_string()), s(stamp(day(i)))],
        )?;
        ins(
            "INSERT INTO log_reviews (system_id, performed_on, created_at) VALUES (?1, ?2, ?3)",
            RECORDS,
            &|i| vec![n((1 + (i * 7) % 200) as i64), s(day(i * 3).to_string()), s(stamp(day(i * 3)))],
        )?;
        ins(
            "INSERT INTO disposals (data_type_id, performed_on, what, created_at) VALUES (?1, ?2, 'old', ?3)",
            RECORDS,
            &|i| vec![n((1 + i % 100) as i64), s(day(i * 5).to_string()), s(stamp(day(i * 5)))],
        )?;
        ins(
            "INSERT INTO vendor_assessments (vendor_id, performed_on, method, outcome, created_at)
             VALUES (?1, ?2, 'questionnaire', 'approved', ?3)",
            RECORDS,
            &|i| vec![n((1 + i % 500) as i64), s(day(i * 11).to_string()), s(stamp(day(i * 11)))],
        )?;
        ins(
            "INSERT INTO control_activities (control_id, performed_on, created_at) VALUES (?1, ?2, ?3)",
            12_000,
            &|i| vec![n((1 + i % CONTROLS) as i64), s(day(i * 13).to_string()), s(stamp(day(i * 13)))],
        )?;
        ins(
            "INSERT INTO changes (reference, title, author_id, approver_id, approved_at, tested, deployed_at, rollback_plan,
                 created_at, updated_at)
             VALUES (?1, 'Change', ?2, ?3, ?4, 1, ?5, 'revert', ?6, ?6)",
            RECORDS,
            &|i| {
                let d = day(i * 17);
                vec![
                    s(format!("CHG-{i:05}")),
                    n((1 + i % 100) as i64),
                    n((101 + i % 100) as i64),
                    s(format!("{d} 08:00")),
                    s(format!("{d} 10:00")),
                    s(stamp(d)),
                ]
            },
        )?;
        tx.execute(
            "INSERT INTO courses (name, validity_days, required, created_at, updated_at) VALUES ('Awareness', 365, 1, ?1, ?1)",
            [base],
        )?;
        ins(
            "INSERT INTO training_completions (person_id, course_id, completed_on, created_at) VALUES (?1, 1, ?2, ?3)",
            RECORDS,
            &|i| vec![n((1 + i) as i64), s(day(i).to_string()), s(stamp(day(i)))],
        )?;
        for col in ["access_review_id", "log_review_id", "disposal_id", "vendor_assessment_id", "activity_id"] {
            tx.execute_batch(&ev(col, if col == "activity_id" { 12_000 } else { RECORDS }))?;
        }
        Ok(())
    })?;
    Ok(())
}
