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

/// The workspace's id: made once, when the workspace is created (or upgraded to schema 15),
/// and kept by archives, so that a binder names the workspace it came from.
pub fn workspace_id(conn: &Connection) -> Result<String> {
    get_raw(conn, WORKSPACE_ID)?.ok_or_else(|| Error::internal("the workspace has no id"))
}

const WORKSPACE_ID: &str = "workspace.id";
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

/// The columns the user chose for a register's import files, by header key (an empty column:
/// the header is ignored). Remembered so that the auditor's next list needs no mapping.
pub fn import_columns(
    conn: &Connection,
    register: crate::Register,
) -> Result<std::collections::BTreeMap<String, String>> {
    match get_raw(conn, &format!("import.columns.{}", register.as_str()))? {
        None => Ok(Default::default()),
        Some(v) => serde_json::from_str(&v)
            .map_err(|_| Error::internal(format!("the remembered {} import columns are not valid", register.as_str()))),
    }
}

/// Remembers columns chosen for a register's import files (added to those remembered before).
pub fn remember_import_columns(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    register: crate::Register,
    chosen: &std::collections::BTreeMap<String, String>,
) -> Result<()> {
    let mut all = import_columns(tx, register)?;
    all.extend(chosen.iter().map(|(k, v)| (k.clone(), v.clone())));
    let json = serde_json::to_string(&all).map_err(|e| Error::internal(e.to_string()))?;
    put(tx, now, &format!("import.columns.{}", register.as_str()), json)
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

/// Declares the checks' numeric settings once: the struct, its defaults, its storage keys, its
/// bounds and the words the app shows for each.
macro_rules! check_settings {
    ($($field:ident: $default:literal, $min:literal..=$max:literal, $unit:literal, $label:literal;)+) => {
        /// The tunable numbers of the checks, with the domain brief's defaults (section 4), and
        /// the checks that accept an occurrence without evidence. Kept in workspace settings.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub struct CheckSettings {
            $(pub $field: u32,)+
            /// Keys of the checks that count occurrences without evidence (none by default:
            /// evidence is required everywhere).
            pub evidence_optional: Vec<String>,
        }

        impl Default for CheckSettings {
            fn default() -> Self {
                Self { $($field: $default,)+ evidence_optional: Vec::new() }
            }
        }

        /// Every numeric check setting, as the settings screen lists it.
        pub fn check_setting_fields() -> Vec<SettingField> {
            vec![$(SettingField {
                field: stringify!($field).into(),
                label: $label.into(),
                unit: $unit.into(),
                min: $min,
                max: $max,
                default: $default,
            },)+]
        }

        impl CheckSettings {
            fn numbers(&self) -> Vec<(&'static str, u32)> {
                vec![$((stringify!($field), self.$field),)+]
            }

            fn set(&mut self, field: &str, n: u32) {
                match field {
                    $(stringify!($field) => self.$field = n,)+
                    _ => {}
                }
            }
        }
    };
}

check_settings! {
    warn_days: 30, 1..=365, "days", "Warn this many days before something falls due (at most a third of its interval)";
    policy_review_days: 365, 30..=1095, "days", "Review each policy within this many days of its approval";
    acknowledgement_days: 30, 1..=365, "days", "People acknowledge a policy within this many days of joining or of its approval";
    access_review_days: 92, 7..=366, "days", "Review access to each system within this many days (Type I)";
    risk_assessment_days: 365, 30..=730, "days", "Hold a risk assessment within this many days";
    risk_register_review_days: 92, 7..=366, "days", "Review every open risk within this many days";
    log_review_days: 31, 1..=92, "days", "Review each system's logs within this many days (Type I)";
    new_hire_training_days: 7, 1..=90, "days", "Train new hires within this many days of starting";
    tabletop_days: 365, 30..=730, "days", "Hold a tabletop exercise within this many days";
    change_lookback_days: 365, 30..=730, "days", "Judge changes deployed within this many days (Type I)";
    emergency_approval_business_days: 1, 1..=10, "business days", "Approve an emergency change within this many business days of deploying it";
    leaver_business_days: 1, 1..=10, "business days", "Remove a leaver's access within this many business days";
    continuous_evidence_months: 3, 1..=12, "months", "Continuous controls need dated evidence this often";
    soc2_report_max_age_months: 12, 1..=24, "months", "A vendor's SOC 2 report period must have ended within this many months";
    bridge_letter_max_months: 3, 1..=12, "months", "A bridge letter extends a report's coverage by at most this many months";
    certificate_warn_days: 30, 1..=180, "days", "Warn this many days before a certificate expires";
}

/// One numeric check setting: its field, label, unit, bounds and default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SettingField {
    pub field: String,
    pub label: String,
    pub unit: String,
    pub min: u32,
    pub max: u32,
    pub default: u32,
}

const EVIDENCE_OPTIONAL: &str = "check.evidence_optional";

/// The keys of the readiness checks, in their order (the readiness module tests they match).
pub const CHECK_KEYS: [&str; 14] = [
    "policies",
    "rbac",
    "mfa",
    "access_reviews",
    "risk",
    "logging",
    "training",
    "changes",
    "incident_response",
    "vendors",
    "encryption",
    "retention",
    "leavers",
    "coverage",
];

impl CheckSettings {
    /// Whether check `key` counts an occurrence only when it has evidence.
    pub fn evidence_required(&self, key: &str) -> bool {
        !self.evidence_optional.iter().any(|k| k == key)
    }
}

/// The readiness checks' settings (the brief's defaults where not set).
pub fn check_settings(conn: &Connection) -> Result<CheckSettings> {
    let mut s = CheckSettings::default();
    for (field, _) in CheckSettings::default().numbers() {
        let key = format!("check.{field}");
        if let Some(v) = get_raw(conn, &key)? {
            let n: u32 =
                v.parse().map_err(|_| Error::internal(format!("setting {key} holds {v:?}, which we never write")))?;
            s.set(field, n);
        }
    }
    if let Some(v) = get_raw(conn, EVIDENCE_OPTIONAL)? {
        s.evidence_optional = v.split(',').filter(|k| !k.is_empty()).map(str::to_owned).collect();
    }
    Ok(s)
}

pub fn save_check_settings(tx: &Transaction<'_>, now: DateTime<Utc>, input: &CheckSettings) -> Result<CheckSettings> {
    let mut v = Validator::new();
    for f in check_setting_fields() {
        let n = input.numbers().into_iter().find(|(name, _)| *name == f.field).map(|(_, n)| n).unwrap_or(0);
        if !(f.min..=f.max).contains(&n) {
            v.add(&f.field, format!("Give a number of {} from {} to {}.", f.unit, f.min, f.max));
        }
    }
    let known = CHECK_KEYS;
    let mut optional: Vec<String> = input.evidence_optional.clone();
    optional.sort();
    optional.dedup();
    if optional.iter().any(|k| !known.contains(&k.as_str())) {
        v.add("evidence_optional", "One of the checks named does not exist.");
    }
    v.finish()?;
    for (field, n) in input.numbers() {
        put(tx, now, &format!("check.{field}"), n.to_string())?;
    }
    put(tx, now, EVIDENCE_OPTIONAL, optional.join(","))?;
    check_settings(tx)
}
