//! The one error type of the core. Its `code` is a contract with the UI and the CLI.

use serde::Serialize;
use ts_rs::TS;

/// Stable machine-readable error codes. The UI branches on these, never on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// Input failed validation; `fields` says which field and why.
    Validation,
    /// The record asked for does not exist.
    NotFound,
    /// The request conflicts with stored data (e.g. a duplicate key).
    Conflict,
    /// The file is not a Readyroom workspace (not SQLite, or another app's database).
    NotAWorkspace,
    /// The workspace was written by a newer Readyroom and is left untouched.
    WorkspaceTooNew,
    /// The workspace needs a schema upgrade that this (read-only) access cannot do.
    WorkspaceOutdated,
    /// Another Readyroom process has this workspace open for writing.
    WorkspaceInUse,
    /// No workspace exists at the given path; only `init`, `demo` and "New workspace" create one.
    WorkspaceMissing,
    /// The workspace can be read but not changed (read-only file, folder or disk).
    WorkspaceReadOnly,
    /// The workspace file has more than one name (hard links), so writes could be lost.
    WorkspaceLinked,
    /// The app's own workspace does not exist yet (its first start): the user creates it,
    /// encrypted or plain.
    NoWorkspaceYet,
    /// The workspace is encrypted: it opens with its passphrase or its recovery key.
    KeyRequired,
    /// The passphrase or recovery key given does not open this workspace; nothing changed.
    WrongKey,
    /// The workspace is encrypted and its key file (beside it) is missing: only the recovery
    /// key opens it.
    KeyFileMissing,
    /// The key file beside the workspace is damaged or not a Readyroom key file.
    KeyFileInvalid,
    /// An output path is the workspace or one of its files; nothing was written.
    OutputRefused,
    /// An evidence file is missing from the attachment folder.
    EvidenceMissing,
    /// An evidence file's content no longer matches the SHA-256 recorded for it.
    EvidenceAltered,
    /// A file given as a workspace archive is not one, is incomplete, or was altered.
    ArchiveInvalid,
    /// The archive was written by a newer Readyroom (a newer schema or layout).
    ArchiveTooNew,
    /// The user cancelled long work; nothing was kept.
    Cancelled,
    /// A file-system operation failed.
    Io,
    /// The database reported an error.
    Database,
    /// A bug: an invariant did not hold.
    Internal,
}

/// A problem with one input field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldError {
    /// The input field's name as it appears in the input DTO (snake_case).
    pub field: String,
    pub message: String,
}

/// The error every core operation returns. It crosses IPC as `{code, message, fields}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export, rename = "AppError")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), fields: Vec::new() }
    }

    /// A validation error carrying one or more field errors.
    pub fn validation(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => one.message.clone(),
            _ => format!("{} fields need attention.", fields.len()),
        };
        Self { code: ErrorCode::Validation, message, fields }
    }

    /// A validation error on a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError { field: field.to_owned(), message: message.into() }])
    }

    /// The same error, said next to `field` as well.
    pub fn with_field(mut self, field: &str, message: impl Into<String>) -> Self {
        self.fields.push(FieldError { field: field.to_owned(), message: message.into() });
        self
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, what)
    }

    /// An invariant failed. The message states which and why it should have held.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        Self::new(ErrorCode::Database, format!("Database error: {err}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Self::new(ErrorCode::Io, format!("File error: {err}"))
    }
}
