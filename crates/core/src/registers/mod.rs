//! The registers the user keeps: one module per record kind. Each reads with a
//! `&Connection`, writes with a `&Transaction`, records history, and implements the CSV
//! contract of [`crate::io::csv_import`] where it can be imported.

pub mod access_reviews;
pub mod actions;
pub mod changes;
pub mod controls;
pub mod criteria;
pub mod incidents;
pub mod leavers;
pub mod people;
pub mod policies;
pub mod profile;
pub mod retention;
pub mod risk_assessments;
pub mod risks;
pub mod systems;
pub mod training;
pub mod vendors;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction};

use crate::error::{Error, ErrorCode, Result};
use crate::io::csv_import::{import as run, ImportOptions, ImportReport};
use crate::refs::{CsvSupport, Register};

/// A register as CSV text (what `readyroom export` and the app's Export CSV write).
pub fn export_csv(conn: &Connection, register: Register) -> Result<String> {
    match register {
        Register::Controls => controls::export_csv(conn),
        Register::Actions => actions::export_csv(conn),
        Register::Policies => policies::export_csv(conn),
        Register::People => people::export_csv(conn),
        Register::Risks => risks::export_csv(conn),
        Register::Vendors => vendors::export_csv(conn),
        Register::Systems => systems::export_csv(conn),
        Register::Retention => retention::export_csv(conn),
        Register::AccessReviews => access_reviews::export_csv(conn),
        Register::Training => training::export_csv(conn),
        Register::Leavers => leavers::export_csv(conn),
        Register::Changes => changes::export_csv(conn),
        Register::Incidents => incidents::export_csv(conn),
        Register::Courses => training::export_courses_csv(conn),
        Register::Exercises | Register::Criteria => Err(no_csv(register)),
    }
}

/// Imports CSV bytes into a register (all or nothing; see [`crate::io::csv_import`]).
pub fn import_csv(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    register: Register,
    bytes: &[u8],
    options: ImportOptions,
) -> Result<ImportReport> {
    if let CsvSupport::ExportOnly(why) = register.csv() {
        return Err(Error::new(ErrorCode::Validation, why));
    }
    match register {
        Register::Controls => run::<controls::ControlsCsv>(tx, now, bytes, options),
        Register::Actions => run::<actions::ActionsCsv>(tx, now, bytes, options),
        Register::Policies => run::<policies::PoliciesCsv>(tx, now, bytes, options),
        Register::People => run::<people::PeopleCsv>(tx, now, bytes, options),
        Register::Risks => run::<risks::RisksCsv>(tx, now, bytes, options),
        Register::Vendors => run::<vendors::VendorsCsv>(tx, now, bytes, options),
        Register::Systems => run::<systems::SystemsCsv>(tx, now, bytes, options),
        Register::Retention => run::<retention::RetentionCsv>(tx, now, bytes, options),
        Register::Training => run::<training::TrainingCsv>(tx, now, bytes, options),
        Register::Courses => run::<training::CoursesCsv>(tx, now, bytes, options),
        Register::Leavers => run::<leavers::LeaversCsv>(tx, now, bytes, options),
        Register::Changes => run::<changes::ChangesCsv>(tx, now, bytes, options),
        Register::AccessReviews | Register::Incidents | Register::Exercises | Register::Criteria => {
            Err(no_csv(register))
        }
    }
}

/// Imports CSV bytes into a workspace's register in one write transaction.
pub fn import_csv_into(
    ws: &crate::Workspace,
    register: Register,
    bytes: &[u8],
    options: ImportOptions,
) -> Result<ImportReport> {
    ws.write(|tx, now| import_csv(tx, now, register, bytes, options))
}

fn no_csv(register: Register) -> Error {
    match register.csv() {
        CsvSupport::ExportOnly(why) => Error::new(ErrorCode::Validation, why),
        _ => Error::new(ErrorCode::Validation, format!("{} have no CSV file.", register.label())),
    }
}
