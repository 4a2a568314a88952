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
