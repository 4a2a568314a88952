#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use readyroom_core::clock::FixedClock;
use readyroom_core::{Access, OpenOptions, Workspace};

pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(Utc.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).single().expect("valid instant")))
}

pub fn open(path: &Path) -> readyroom_core::Result<Workspace> {
    Workspace::open(path, OpenOptions { access: Access::ReadWrite, clock: clock() })
}

pub fn open_read_only(path: &Path) -> readyroom_core::Result<Workspace> {
    Workspace::open(path, OpenOptions { access: Access::ReadOnly, clock: clock() })
}

pub fn temp_workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("acme.readyroom");
    (dir, path)
}
