//! Exceptions: the missed periods and failed events of the Type II observation window, as the
//! auditor will list them in the report, with the management response recorded for each. An
//! exception is computed by the checks; what the user records is the response to it (what
//! happened, why, and what was done), under the exception's stable key.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{check_all, ExceptionResponse, Period};
use crate::clock::stamp;
use crate::error::{Error, ErrorCode, Result};
use crate::refs::{PersonRef, RecordRef};
use crate::validate::Validator;

/// One exception on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExceptionItem {
    pub key: String,
    /// The check that found it (its key) and its title.
    pub check: String,
    pub check_title: String,
    pub criteria: Vec<String>,
    pub record: RecordRef,
    pub period: Period,
    pub problem: String,
    pub fix: String,
    pub owner: Option<String>,
    pub response: Option<ExceptionResponse>,
}

/// A management response to record (or replace) for exception `key`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExceptionResponseInput {
    pub key: String,
    /// What happened and why, as management explains it to the auditor.
    pub management_response: String,
    /// What was done so it does not happen again.
    pub remediation: String,
    pub responded_by_id: Option<i64>,
    pub action_id: Option<i64>,
}

/// Every recorded response, by exception key.
pub fn responses(conn: &Connection) -> Result<HashMap<String, ExceptionResponse>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.key, r.management_response, r.remediation, r.responded_by, p.name, r.action_id, r.updated_at
         FROM exception_responses r LEFT JOIN people p ON p.id = r.responded_by",
    )?;
    let rows = stmt.query_map([], |r| {
        let by: Option<i64> = r.get(3)?;
        let name: Option<String> = r.get(4)?;
        Ok((
            r.get::<_, String>(0)?,
            ExceptionResponse {
                management_response: r.get(1)?,
                remediation: r.get(2)?,
                responded_by: by.zip(name).map(|(id, name)| PersonRef { id, name }),
                action_id: r.get(5)?,
                recorded_at: r.get(6)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The exceptions on `as_of`, in the order of the checks, each once.
pub fn list(conn: &Connection, as_of: NaiveDate) -> Result<Vec<ExceptionItem>> {
    let r = check_all(conn, as_of)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for c in &r.checks {
        for f in &c.findings {
            let (Some(key), Some(period)) = (&f.exception, f.period) else { continue };
            if !seen.insert(key.clone()) {
                continue;
            }
            out.push(ExceptionItem {
                key: key.clone(),
                check: c.key.clone(),
                check_title: c.title.clone(),
                criteria: c.criteria.clone(),
                record: f.record.clone(),
                period,
                problem: f.problem.clone(),
                fix: f.fix.clone(),
                owner: f.owner.clone(),
                response: f.response.clone(),
            });
        }
    }
    Ok(out)
}

/// Records (or replaces) the management response to an exception found on `as_of`.
pub fn respond(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    as_of: NaiveDate,
    input: &ExceptionResponseInput,
) -> Result<ExceptionItem> {
    let found = list(tx, as_of)?.into_iter().find(|e| e.key == input.key).ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!("There is no exception {} on {as_of}: it may have been resolved, or the date changed.", input.key),
        )
    })?;
    let mut v = Validator::new();
    let response = v.required("management_response", "Management response", &input.management_response, 5_000);
    let remediation = v.optional("remediation", "Remediation", &input.remediation, 5_000);
    v.active_person(tx, "responded_by_id", input.responded_by_id, None, "person")?;
    if let Some(id) = input.action_id {
        let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM actions WHERE id = ?1)", [id], |r| r.get(0))?;
        if !exists {
            v.add("action_id", "That action does not exist.");
        }
    }
    v.finish()?;
    let summary = format!("{}: {}", found.check_title, found.problem);
    let existing: Option<i64> =
        tx.query_row("SELECT id FROM exception_responses WHERE key = ?1", [&input.key], |r| r.get(0)).optional()?;
    let at = stamp(now);
    match existing {
        Some(id) => {
            tx.execute(
                "UPDATE exception_responses SET summary = ?2, management_response = ?3, remediation = ?4,
                     responded_by = ?5, action_id = ?6, updated_at = ?7 WHERE id = ?1",
                params![id, summary, response, remediation, input.responded_by_id, input.action_id, at],
            )?;
        }
        None => {
            tx.execute(
                "INSERT INTO exception_responses (key, check_key, summary, period_start, period_end, management_response,
                     remediation, responded_by, action_id, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                params![
                    input.key,
                    found.check,
                    summary,
                    found.period.start.to_string(),
                    found.period.end.to_string(),
                    response,
                    remediation,
                    input.responded_by_id,
                    input.action_id,
                    at
                ],
            )?;
        }
    }
    list(tx, as_of)?
        .into_iter()
        .find(|e| e.key == input.key)
        .ok_or_else(|| Error::internal("the exception answered a moment ago is still there"))
}
