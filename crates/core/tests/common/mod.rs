#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use readyroom_core::clock::FixedClock;
use readyroom_core::{Access, OpenOptions, Workspace};

pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(Utc.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).single().expect("valid instant")))
}

/// Opens the workspace with the clock at 09:30 on `day` (for stories told over time: each
/// write is recorded on the day it was made, as the history-true checks expect).
pub fn open_on(path: &Path, day: &str) -> readyroom_core::Result<Workspace> {
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("a YYYY-MM-DD day");
    let at = Utc.from_utc_datetime(&d.and_hms_opt(9, 30, 0).expect("a valid time"));
    Workspace::open(path, OpenOptions::new(Access::Create, Arc::new(FixedClock(at))))
}

/// Opens the workspace for changes, creating it when missing (as `init` does).
pub fn open(path: &Path) -> readyroom_core::Result<Workspace> {
    Workspace::open(path, OpenOptions::new(Access::Create, clock()))
}

/// Opens an existing workspace for changes (as every command but `init` and `demo` does).
pub fn open_existing(path: &Path) -> readyroom_core::Result<Workspace> {
    Workspace::open(path, OpenOptions::new(Access::ReadWrite, clock()))
}

pub fn open_read_only(path: &Path) -> readyroom_core::Result<Workspace> {
    Workspace::open(path, OpenOptions::new(Access::ReadOnly, clock()))
}

pub fn temp_workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("acme.readyroom");
    (dir, path)
}

/// Every register that can be imported from CSV.
pub const IMPORTABLE: &[readyroom_core::Register] = {
    use readyroom_core::Register::*;
    &[
        People,
        Controls,
        Policies,
        Actions,
        Risks,
        Vendors,
        Systems,
        Retention,
        Courses,
        Training,
        Leavers,
        Changes,
        AccessReviews,
        Activities,
        LogReviews,
        Disposals,
        VendorAssessments,
        Soc2Reports,
        RiskAssessments,
        Approvals,
        Acknowledgements,
        Incidents,
        Exercises,
        Requests,
    ]
};
