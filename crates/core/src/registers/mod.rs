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
pub mod policy_text;
pub mod profile;
pub mod requests;
pub mod retention;
pub mod risk_assessments;
pub mod risks;
pub mod roles;
pub mod systems;
pub mod training;
pub mod vendors;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction};

use crate::error::{Error, ErrorCode, Result};
use crate::io::csv_import::{import as run, CsvRegister, ImportFiles, ImportOptions, ImportReport};
use crate::refs::{CsvSupport, Register};

/// A register as CSV text (what `readyroom export` and the app's Export CSV write).
pub fn export_csv(conn: &Connection, register: Register) -> Result<String> {
    struct Export<'a>(&'a Connection);
    impl Visit for Export<'_> {
        type Out = Result<String>;
        fn visit<R: CsvRegister>(self) -> Self::Out {
            crate::io::csv_import::export::<R>(self.0)
        }
    }
    dispatch(register, Export(conn)).unwrap_or_else(|| Err(no_csv(register)))
}

/// Imports CSV bytes into a register (all or nothing; see [`crate::io::csv_import`]).
/// Bytes without a place on disk: a row naming an evidence file is refused.
pub fn import_csv(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    register: Register,
    bytes: &[u8],
    options: ImportOptions,
) -> Result<ImportReport> {
    import_csv_with(tx, now, register, bytes, options, &ImportFiles::default())
}

/// Imports CSV bytes into a register, reading the evidence files its rows name through `files`.
pub fn import_csv_with(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    register: Register,
    bytes: &[u8],
    options: ImportOptions,
    files: &ImportFiles,
) -> Result<ImportReport> {
    if let CsvSupport::ExportOnly(why) = register.csv() {
        return Err(Error::new(ErrorCode::Validation, why));
    }
    struct Import<'a, 't> {
        tx: &'a Transaction<'t>,
        now: DateTime<Utc>,
        bytes: &'a [u8],
        options: ImportOptions,
        files: &'a ImportFiles,
    }
    impl Visit for Import<'_, '_> {
        type Out = Result<ImportReport>;
        fn visit<R: CsvRegister>(self) -> Self::Out {
            run::<R>(self.tx, self.now, self.bytes, self.options, self.files)
        }
    }
    dispatch(register, Import { tx, now, bytes, options, files }).unwrap_or_else(|| Err(no_csv(register)))
}

/// A register's CSV template: its header and one example row (docs/csv.md explains each column).
pub fn template_csv(register: Register) -> Result<String> {
    struct Template;
    impl Visit for Template {
        type Out = Result<String>;
        fn visit<R: CsvRegister>(self) -> Self::Out {
            let example = R::COLUMNS.example.iter().map(|c| c.to_string()).collect();
            crate::csvio::write(R::COLUMNS.all, [example])
        }
    }
    dispatch(register, Template).unwrap_or_else(|| Err(no_csv(register)))
}

/// Something done with a register's CSV contract, whichever register it is.
trait Visit {
    type Out;
    fn visit<R: CsvRegister>(self) -> Self::Out;
}

/// Runs `v` with the CSV contract of `register` (none when the register cannot be imported).
fn dispatch<V: Visit>(register: Register, v: V) -> Option<V::Out> {
    Some(match register {
        Register::Controls => v.visit::<controls::ControlsCsv>(),
        Register::Activities => v.visit::<controls::ActivitiesCsv>(),
        Register::Actions => v.visit::<actions::ActionsCsv>(),
        Register::Policies => v.visit::<policies::PoliciesCsv>(),
        Register::Acknowledgements => v.visit::<policies::AcknowledgementsCsv>(),
        Register::Approvals => v.visit::<policies::ApprovalsCsv>(),
        Register::People => v.visit::<people::PeopleCsv>(),
        Register::Risks => v.visit::<risks::RisksCsv>(),
        Register::RiskAssessments => v.visit::<risk_assessments::AssessmentsCsv>(),
        Register::Vendors => v.visit::<vendors::VendorsCsv>(),
        Register::VendorAssessments => v.visit::<vendors::AssessmentsCsv>(),
        Register::Soc2Reports => v.visit::<vendors::ReportsCsv>(),
        Register::Systems => v.visit::<systems::SystemsCsv>(),
        Register::LogReviews => v.visit::<systems::LogReviewsCsv>(),
        Register::Retention => v.visit::<retention::RetentionCsv>(),
        Register::Disposals => v.visit::<retention::DisposalsCsv>(),
        Register::AccessReviews => v.visit::<access_reviews::AccessReviewsCsv>(),
        Register::Training => v.visit::<training::TrainingCsv>(),
        Register::Courses => v.visit::<training::CoursesCsv>(),
        Register::Leavers => v.visit::<leavers::LeaversCsv>(),
        Register::Changes => v.visit::<changes::ChangesCsv>(),
        Register::Incidents => v.visit::<incidents::IncidentsCsv>(),
        Register::Requests => v.visit::<requests::RequestsCsv>(),
        Register::Exercises => v.visit::<crate::tabletop::exercises::HeldCsv>(),
        Register::Criteria | Register::IncidentTimeline => return None,
    })
}

/// New values for a dated record, by its kind: what a correction of it takes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "kind", content = "input", rename_all = "snake_case")]
#[ts(export)]
pub enum DatedCorrection {
    Activity(controls::ActivityInput),
    LogReview(systems::LogReviewInput),
    Disposal(retention::DisposalInput),
    VendorAssessment(vendors::VendorAssessmentInput),
    TrainingCompletion(training::CompletionCorrection),
    Acknowledgement(policies::AcknowledgementCorrection),
    AccessReview(access_reviews::AccessReviewCorrection),
    TimelineEntry(incidents::TimelineInput),
    Approval(policies::ApprovalCorrection),
}

/// Corrects dated record `id` of the kind `correction` names, with the values before in its
/// parent's history (see [`crate::occurrences::correct`]). Returns whether anything changed.
pub fn correct_dated(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, correction: &DatedCorrection) -> Result<bool> {
    match correction {
        DatedCorrection::Activity(input) => controls::correct_activity(tx, now, id, input),
        DatedCorrection::LogReview(input) => systems::correct_log_review(tx, now, id, input),
        DatedCorrection::Disposal(input) => retention::correct_disposal(tx, now, id, input),
        DatedCorrection::VendorAssessment(input) => vendors::correct_assessment(tx, now, id, input),
        DatedCorrection::TrainingCompletion(input) => training::correct_completion(tx, now, id, input),
        DatedCorrection::Acknowledgement(input) => policies::correct_acknowledgement(tx, now, id, input),
        DatedCorrection::AccessReview(input) => access_reviews::correct(tx, now, id, input),
        DatedCorrection::TimelineEntry(input) => incidents::correct_timeline(tx, now, id, input),
        DatedCorrection::Approval(input) => policies::correct_approval(tx, now, id, input),
    }
}

/// Withdraws a dated record (a control activity, a log review, a disposal, a vendor
/// assessment, a training completion, a policy acknowledgement, an access review or an
/// incident timeline entry) for the
/// reason given: it is kept, with when and why, counts nowhere from now
/// on, and its parent's history says what it was (see [`crate::occurrences::withdraw`]).
pub fn withdraw_dated(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    register: Register,
    id: i64,
    reason: &str,
) -> Result<()> {
    let kind = match register {
        Register::Activities => &controls::ACTIVITY,
        Register::LogReviews => &systems::LOG_REVIEW,
        Register::Disposals => &retention::DISPOSAL,
        Register::VendorAssessments => &vendors::ASSESSMENT,
        Register::Training => &training::COMPLETION,
        Register::Acknowledgements => &policies::ACKNOWLEDGEMENT,
        Register::AccessReviews => &access_reviews::REVIEW,
        Register::IncidentTimeline => &incidents::TIMELINE,
        // Refused by the kind itself, with why.
        Register::Approvals => &policies::APPROVAL,
        other => {
            return Err(Error::field("register", format!("{} cannot be withdrawn one by one.", other.label())));
        }
    };
    crate::occurrences::withdraw(tx, now, kind, id, reason)
}

pub fn import_csv_into(
    ws: &crate::Workspace,
    register: Register,
    bytes: &[u8],
    options: ImportOptions,
) -> Result<ImportReport> {
    let report = ws.write(|tx, now| import_csv(tx, now, register, bytes, options))?;
    if report.applied {
        ws.checkpoint()?;
    }
    Ok(report)
}

/// What a file picked for import holds (its sheets, when it is a workbook).
pub fn describe_file(path: &std::path::Path, register: Register) -> Result<crate::io::table_file::TableSource> {
    let bytes = crate::io::table_file::read(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    crate::io::table_file::describe(&name, &bytes, &[register.as_str(), register.label()])
}

/// Imports a file from disk into a workspace's register: a CSV file, or a workbook's sheet
/// (`sheet`, or the one [`describe_file`] names). Evidence files its rows name are read from
/// the file's folder and stored only when the import is applied.
pub fn import_file(
    ws: &crate::Workspace,
    register: Register,
    path: &std::path::Path,
    sheet: Option<&str>,
    options: ImportOptions,
) -> Result<ImportReport> {
    import_mapped_file(ws, register, path, sheet, None, options)
}

/// The register's CSV columns (none for a register without a file).
pub fn columns(register: Register) -> Option<&'static crate::csvio::Columns> {
    struct Of;
    impl Visit for Of {
        type Out = &'static crate::csvio::Columns;
        fn visit<R: CsvRegister>(self) -> Self::Out {
            R::COLUMNS
        }
    }
    dispatch(register, Of)
}

/// What an import of a picked file would read: each header with the column chosen for it (by
/// name, as remembered, or guessed) and its first values.
pub fn preview_file(
    conn: &Connection,
    path: &std::path::Path,
    register: Register,
    sheet: Option<&str>,
) -> Result<crate::column_map::ImportPreview> {
    use crate::io::table_file;
    let columns = columns(register).ok_or_else(|| no_csv(register))?;
    let mut source = describe_file(path, register)?;
    if sheet.is_some() {
        source.sheet = sheet.map(str::to_owned);
    }
    let bytes = table_file::read(path)?;
    let csv = match table_file::to_csv(bytes, source.sheet.as_deref(), &[register.as_str(), register.label()])? {
        Ok(converted) => converted.csv,
        Err(_) => Vec::new(), // error cells: the import names them by row
    };
    let remembered = crate::settings::import_columns(conn, register)?;
    Ok(crate::column_map::preview(source, &csv, columns, &remembered))
}

/// Imports a file with its columns read as `mapping` says (the user's choice, then
/// remembered for the next file), or as remembered when there is none. See [`import_file`].
pub fn import_mapped_file(
    ws: &crate::Workspace,
    register: Register,
    path: &std::path::Path,
    sheet: Option<&str>,
    mapping: Option<&[crate::column_map::MappedColumn]>,
    options: ImportOptions,
) -> Result<ImportReport> {
    use crate::io::table_file;
    let bytes = table_file::read(path)?;
    let mut converted = match table_file::to_csv(bytes, sheet, &[register.as_str(), register.label()])? {
        Ok(converted) => converted,
        Err(errors) => return Ok(ImportReport::refused(options, errors)),
    };
    let columns = columns(register).ok_or_else(|| no_csv(register))?;
    let remembered = ws.read(|c| crate::settings::import_columns(c, register))?;
    let (csv, chosen) = crate::column_map::apply(std::mem::take(&mut converted.csv), columns, mapping, &remembered)?;
    converted.csv = csv;
    // Evidence files go to a scratch folder first and join the workspace's attachments only
    // when every row was accepted: a refused import or a dry run stores nothing.
    let scratch =
        scratch_dir().map_err(|e| Error::new(ErrorCode::Io, format!("Cannot create a scratch folder: {e}")))?;
    // Plain in the scratch folder (it is removed after); sealed as they join the workspace's.
    let files = ImportFiles {
        base: Some(table_file::folder_of(path)),
        attachments: crate::attachments::Attachments::plain(scratch.0.clone()),
    };
    let mut report = ws.write(|tx, now| {
        let report = import_csv_with(tx, now, register, &converted.csv, options, &files)?;
        if report.applied {
            promote(&scratch.0, &ws.attachments_dir())?;
            if !chosen.is_empty() {
                crate::settings::remember_import_columns(tx, now, register, &chosen)?;
            }
        }
        Ok(report)
    })?;
    if report.applied {
        // A bulk write: the write-ahead log goes back into the workspace file at once.
        ws.checkpoint()?;
    }
    // Problems and changes name the sheet's rows, even where a cell's line breaks made a row
    // span several CSV lines.
    for e in &mut report.errors {
        e.line = converted.row_of(e.line);
    }
    for c in &mut report.changes {
        c.line = converted.row_of(c.line);
    }
    Ok(report)
}

/// Moves the files stored in `scratch` into the attachment folder (each checked and written
/// atomically by the evidence store).
fn promote(scratch: &std::path::Path, attachments: &crate::attachments::Attachments) -> Result<()> {
    let entries = match std::fs::read_dir(scratch) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::new(ErrorCode::Io, format!("Cannot read {}: {e}", scratch.display()))),
    };
    for entry in entries {
        let path = entry.map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?.path();
        if !crate::evidence::is_sha256_hex(&path.file_name().unwrap_or_default().to_string_lossy()) {
            continue;
        }
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::new(ErrorCode::Io, format!("Cannot read {}: {e}", path.display())))?;
        crate::evidence::store(attachments, &bytes)?;
    }
    Ok(())
}

/// A scratch folder removed when dropped.
struct Scratch(std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch_dir() -> std::io::Result<Scratch> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "readyroom-import-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir(&dir)?;
    Ok(Scratch(dir))
}

fn no_csv(register: Register) -> Error {
    match register.csv() {
        CsvSupport::ExportOnly(why) => Error::new(ErrorCode::Validation, why),
        _ => Error::new(ErrorCode::Validation, format!("{} have no CSV file.", register.label())),
    }
}
