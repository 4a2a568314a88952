//! Workspace settings: the tunable numbers behind the rules. Stored as key/value rows; a
//! missing key means the documented default, so new settings need no migration.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::error::{Error, Result};
use crate::validate::Validator;

/// Where the risk bands start on the 1-25 score scale. Low is everything below `medium_from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BandThresholds {
    pub medium_from: u8,
    pub high_from: u8,
    pub critical_from: u8,
}

impl Default for BandThresholds {
    /// Low 1-4, medium 5-9, high 10-16, critical 20-25 (domain brief, section 5).
    fn default() -> Self {
        Self { medium_from: 5, high_from: 10, critical_from: 20 }
    }
}

impl BandThresholds {
    /// Checks the thresholds climb strictly within 2..=25, so every band is reachable.
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        let in_range = |n: u8| (2..=25).contains(&n);
        for (field, label, value) in [
            ("medium_from", "Medium", self.medium_from),
            ("high_from", "High", self.high_from),
            ("critical_from", "Critical", self.critical_from),
        ] {
            if !in_range(value) {
                v.add(field, format!("{label} must start at a score between 2 and 25."));
            }
        }
        if !v.has("high_from") && self.high_from <= self.medium_from {
            v.add("high_from", "High must start above where medium starts.");
        }
        if !v.has("critical_from") && self.critical_from <= self.high_from {
            v.add("critical_from", "Critical must start above where high starts.");
        }
        v.finish()
    }
}

const MEDIUM_FROM: &str = "risk.band.medium_from";
const HIGH_FROM: &str = "risk.band.high_from";
const CRITICAL_FROM: &str = "risk.band.critical_from";

fn get_raw(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}

fn get_u8(conn: &Connection, key: &str, default: u8) -> Result<u8> {
    match get_raw(conn, key)? {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| Error::internal(format!("setting {key} holds {v:?}, which we never write"))),
    }
}

fn put(tx: &Transaction<'_>, now: DateTime<Utc>, key: &str, value: String) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![key, value, stamp(now)],
    )?;
    Ok(())
}

pub fn band_thresholds(conn: &Connection) -> Result<BandThresholds> {
    let d = BandThresholds::default();
    Ok(BandThresholds {
        medium_from: get_u8(conn, MEDIUM_FROM, d.medium_from)?,
        high_from: get_u8(conn, HIGH_FROM, d.high_from)?,
        critical_from: get_u8(conn, CRITICAL_FROM, d.critical_from)?,
    })
}

pub fn save_band_thresholds(tx: &Transaction<'_>, now: DateTime<Utc>, t: &BandThresholds) -> Result<BandThresholds> {
    t.validate()?;
    put(tx, now, MEDIUM_FROM, t.medium_from.to_string())?;
    put(tx, now, HIGH_FROM, t.high_from.to_string())?;
    put(tx, now, CRITICAL_FROM, t.critical_from.to_string())?;
    band_thresholds(tx)
}

/// Days between vendor assessments, per criticality; None: no periodic assessment needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VendorIntervals {
    pub critical_days: Option<u32>,
    pub high_days: Option<u32>,
    pub medium_days: Option<u32>,
    pub low_days: Option<u32>,
}

impl Default for VendorIntervals {
    /// Critical and high: yearly; medium: every two years; low: none.
    fn default() -> Self {
        Self { critical_days: Some(365), high_days: Some(365), medium_days: Some(730), low_days: None }
    }
}

impl VendorIntervals {
    pub fn days_for(&self, c: crate::refs::Criticality) -> Option<u32> {
        use crate::refs::Criticality::*;
        match c {
            Critical => self.critical_days,
            High => self.high_days,
            Medium => self.medium_days,
            Low => self.low_days,
        }
    }

    fn entries(&self) -> [(&'static str, &'static str, &'static str, Option<u32>); 4] {
        [
            ("critical_days", "vendor.assessment_days.critical", "Critical", self.critical_days),
            ("high_days", "vendor.assessment_days.high", "High", self.high_days),
            ("medium_days", "vendor.assessment_days.medium", "Medium", self.medium_days),
            ("low_days", "vendor.assessment_days.low", "Low", self.low_days),
        ]
    }
}

pub fn vendor_intervals(conn: &Connection) -> Result<VendorIntervals> {
    let d = VendorIntervals::default();
    let mut out = d;
    for (field, key, _, default) in d.entries() {
        let value = match get_raw(conn, key)? {
            None => default,
            Some(v) if v.is_empty() => None,
            Some(v) => Some(
                v.parse().map_err(|_| Error::internal(format!("setting {key} holds {v:?}, which we never write")))?,
            ),
        };
        match field {
            "critical_days" => out.critical_days = value,
            "high_days" => out.high_days = value,
            "medium_days" => out.medium_days = value,
            _ => out.low_days = value,
        }
    }
    Ok(out)
}

pub fn save_vendor_intervals(tx: &Transaction<'_>, now: DateTime<Utc>, i: &VendorIntervals) -> Result<VendorIntervals> {
    let mut v = Validator::new();
    for (field, _, label, value) in i.entries() {
        if value.is_some_and(|d| !(1..=3650).contains(&d)) {
            v.add(field, format!("{label}: give a number of days from 1 to 3650, or leave it empty for none."));
        }
    }
    v.finish()?;
    for (_, key, _, value) in i.entries() {
        put(tx, now, key, value.map(|d| d.to_string()).unwrap_or_default())?;
    }
    vendor_intervals(tx)
}

const CHECK_KEYS: [(&str, &str); 8] = [
    ("warn_days", "check.warn_days"),
    ("policy_review_days", "check.policy_review_days"),
    ("access_review_days", "check.access_review_days"),
    ("risk_assessment_days", "check.risk_assessment_days"),
    ("risk_register_review_days", "check.risk_register_review_days"),
    ("log_review_days", "check.log_review_days"),
    ("tabletop_days", "check.tabletop_days"),
    ("change_lookback_days", "check.change_lookback_days"),
];

/// The tunable numbers of the checks (domain brief, section 4). Kept in workspace settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckSettings {
    /// Something due within this many days makes a check warn.
    pub warn_days: u32,
    pub policy_review_days: u32,
    pub access_review_days: u32,
    pub risk_assessment_days: u32,
    pub risk_register_review_days: u32,
    pub log_review_days: u32,
    pub tabletop_days: u32,
    pub change_lookback_days: u32,
}

impl Default for CheckSettings {
    fn default() -> Self {
        Self {
            warn_days: 30,
            policy_review_days: 365,
            access_review_days: 92,
            risk_assessment_days: 365,
            risk_register_review_days: 92,
            log_review_days: 31,
            tabletop_days: 365,
            change_lookback_days: 365,
        }
    }
}

fn set_check(s: &mut CheckSettings, field: &str, n: u32) {
    match field {
        "warn_days" => s.warn_days = n,
        "policy_review_days" => s.policy_review_days = n,
        "access_review_days" => s.access_review_days = n,
        "risk_assessment_days" => s.risk_assessment_days = n,
        "risk_register_review_days" => s.risk_register_review_days = n,
        "log_review_days" => s.log_review_days = n,
        "tabletop_days" => s.tabletop_days = n,
        _ => s.change_lookback_days = n,
    }
}

fn check_value(s: &CheckSettings, field: &str) -> u32 {
    match field {
        "warn_days" => s.warn_days,
        "policy_review_days" => s.policy_review_days,
        "access_review_days" => s.access_review_days,
        "risk_assessment_days" => s.risk_assessment_days,
        "risk_register_review_days" => s.risk_register_review_days,
        "log_review_days" => s.log_review_days,
        "tabletop_days" => s.tabletop_days,
        _ => s.change_lookback_days,
    }
}

/// The readiness checks' thresholds (defaults from the domain brief when not set).
pub fn check_settings(conn: &Connection) -> Result<CheckSettings> {
    let mut s = CheckSettings::default();
    for (field, key) in CHECK_KEYS {
        if let Some(v) = get_raw(conn, key)? {
            let n: u32 =
                v.parse().map_err(|_| Error::internal(format!("setting {key} holds {v:?}, which we never write")))?;
            set_check(&mut s, field, n);
        }
    }
    Ok(s)
}

pub fn save_check_settings(tx: &Transaction<'_>, now: DateTime<Utc>, input: &CheckSettings) -> Result<CheckSettings> {
    let mut v = Validator::new();
    for (field, _) in CHECK_KEYS {
        let n = check_value(input, field);
        if !(1..=3650).contains(&n) {
            v.add(field, "Give a number of days from 1 to 3650.");
        }
    }
    v.finish()?;
    for (field, key) in CHECK_KEYS {
        put(tx, now, key, check_value(input, field).to_string())?;
    }
    check_settings(tx)
}
