//! What the shell holds: the open workspace (or why it could not be opened), the file paths
//! the user chose in dialogs, and the files the app wrote. A failed open (file in use, newer
//! version, not a workspace, missing) is shown by the UI, not a crash.
//!
//! Paths never come from the web page: save and open dialogs run here, in Rust, and the page
//! only gets a one-time token for a chosen save path. `open_file` opens only what the app
//! itself wrote since it started (or, through `open_evidence`, files of the attachment store).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use readyroom_core::clock::Clock;
use readyroom_core::evidence::StoredFile;
use readyroom_core::{Access, Error, ErrorCode, OpenOptions, OpenReport, Secret, Workspace};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::IpcError;
use crate::keychain::{Keychain, MemoryKeychain};

/// What a save dialog is for: its file filter and the extension it suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SaveKind {
    Csv,
    Pdf,
    Ics,
    Toml,
    Workspace,
    Archive,
    /// A file to import into a register: CSV or a workbook (open dialogs only).
    Table,
    /// The auditor's binder (a zip).
    Binder,
    /// An evidence file: any file (open dialogs only).
    Evidence,
}

impl SaveKind {
    pub fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            SaveKind::Csv => ("CSV", &["csv"]),
            SaveKind::Pdf => ("PDF", &["pdf"]),
            SaveKind::Ics => ("Calendar", &["ics"]),
            SaveKind::Toml => ("Tabletop script", &["toml"]),
            SaveKind::Workspace => ("Readyroom workspace", &["readyroom"]),
            SaveKind::Archive => ("Readyroom archive", &["readyroom-archive", "zip"]),
            SaveKind::Table => ("CSV or workbook", &["csv", "xlsx", "xls", "ods"]),
            SaveKind::Binder => ("Auditor binder (zip)", &["zip"]),
            SaveKind::Evidence => ("Any file", &[]),
        }
    }
}

/// How far a long job has come, sent to the page as the `job-progress` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct JobProgress {
    /// The id the page gave the job.
    pub job: String,
    pub done: u64,
    pub total: u64,
}

/// The name of the event that carries [`JobProgress`].
pub const JOB_PROGRESS: &str = "job-progress";

/// An evidence file the user picked, as the page sees it: a token, its name and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PickedFile {
    pub token: String,
    pub name: String,
    pub size: u64,
}

/// A save path the user chose, as the page sees it: a one-time token and the path to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SaveTarget {
    pub token: String,
    pub path: String,
}

/// How dialogs are answered. For people: by the OS dialogs. For automated runs of the real
/// app (the end-to-end tests), by files in folders named in the environment.
#[derive(Debug, Clone, Default)]
pub struct Dialogs {
    /// Save dialogs answer with `<dir>/<suggested name>`.
    pub automation_save_dir: Option<PathBuf>,
    /// Open dialogs answer with this file; or, when it is a folder, with the file put in it
    /// last (so a test can offer a file under its own name, beside the files it refers to).
    pub automation_open_file: Option<PathBuf>,
}

/// The environment variable that, when set to a folder, makes save dialogs answer with a file
/// in it instead of asking (for automated runs of the real app; unset for people).
pub const AUTOMATION_SAVE_DIR: &str = "READYROOM_AUTOMATION_SAVE_DIR";
/// Likewise for the open dialog (a file path).
pub const AUTOMATION_OPEN_FILE: &str = "READYROOM_AUTOMATION_OPEN_FILE";

impl Dialogs {
    /// The file an automated open dialog answers with (see `automation_open_file`).
    pub fn automated_pick(&self) -> Option<PathBuf> {
        let path = self.automation_open_file.as_ref()?;
        if !path.is_dir() {
            return Some(path.clone());
        }
        let newest = std::fs::read_dir(path)
            .ok()?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .max();
        newest.map(|(_, p)| p)
    }

    pub fn from_env() -> Self {
        let path = |var: &str| std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from);
        Self { automation_save_dir: path(AUTOMATION_SAVE_DIR), automation_open_file: path(AUTOMATION_OPEN_FILE) }
    }
}

struct Slot {
    /// The path the app was asked to open (`--db`, `READYROOM_DB` or the default).
    requested: Option<PathBuf>,
    workspace: Result<Arc<Workspace>, Error>,
}

/// Where this process writes decrypted copies of evidence files for other apps to open; it is
/// removed when the app exits.
pub fn open_scratch() -> PathBuf {
    std::env::temp_dir().join(format!("readyroom-open-{}", std::process::id()))
}

/// Opens `path`. An encrypted workspace given no secret opens with the passphrase remembered
/// for it in `keychain`, when there is one; a remembered passphrase that no longer opens it
/// (changed on another computer) is forgotten, and the workspace waits for its key as usual.
pub fn open_remembered(
    path: &Path,
    access: Access,
    clock: Arc<dyn Clock>,
    secret: Option<Secret>,
    keychain: &dyn Keychain,
) -> Result<Workspace, Error> {
    let options = |secret| OpenOptions::new(access, clock.clone()).with_secret(secret);
    match Workspace::open(path, options(secret.clone())) {
        Err(e) if e.code == ErrorCode::KeyRequired && secret.is_none() => {
            let Ok(Some(remembered)) = keychain.get(path) else { return Err(e) };
            match Workspace::open(path, options(Some(Secret::passphrase(remembered)))) {
                Err(wrong) if wrong.code == ErrorCode::WrongKey => {
                    let _ = keychain.forget(path);
                    Err(e)
                }
                other => other,
            }
        }
        other => other,
    }
}

/// An error that a passphrase or recovery key would get past.
pub fn needs_key(e: &Error) -> bool {
    matches!(e.code, ErrorCode::KeyRequired | ErrorCode::WrongKey | ErrorCode::KeyFileMissing)
}

pub struct AppState {
    slot: RwLock<Slot>,
    /// An encrypted workspace the user chose to open, waiting for its passphrase: the page
    /// names the secret, never the path.
    locked: Mutex<Option<PathBuf>>,
    clock: Arc<dyn Clock>,
    pub dialogs: Dialogs,
    pending_saves: Mutex<HashMap<String, (SaveKind, PathBuf)>>,
    /// Files picked in open dialogs, by token: read as often as the page asks (a check, then
    /// the import), never a path the page made up.
    picked: Mutex<HashMap<String, PathBuf>>,
    /// Evidence files already copied into the workspace's attachments, by the token of their
    /// pick: the record that takes one is written next (the copy is kept for a retry).
    staged: Mutex<HashMap<String, (String, StoredFile)>>,
    written: Mutex<HashSet<PathBuf>>,
    tokens: AtomicU64,
    /// Long jobs by the id the page gave them, with their cancel flag. A cancel may arrive
    /// before its job starts (the page asks at once); the job then starts cancelled.
    jobs: Mutex<HashMap<String, Arc<AtomicBool>>>,
    /// Where passphrases the user asked to be remembered are kept (the OS keychain in the app).
    keychain: Arc<dyn Keychain>,
}

impl AppState {
    pub fn new(path: PathBuf, workspace: Result<Workspace, Error>, clock: Arc<dyn Clock>) -> Self {
        Self::with_slot(Some(path), workspace, clock)
    }

    /// The app's first start: its own workspace at `path` does not exist yet.
    pub fn first_start(path: PathBuf, clock: Arc<dyn Clock>) -> Self {
        let why = Error::new(
            ErrorCode::NoWorkspaceYet,
            format!(
                "Readyroom keeps its registers in one file on this computer, {}; it does not exist yet.",
                path.display()
            ),
        );
        Self::with_slot(Some(path), Err(why), clock)
    }

    pub fn failed(err: Error, clock: Arc<dyn Clock>) -> Self {
        Self::with_slot(None, Err(err), clock)
    }

    fn with_slot(requested: Option<PathBuf>, workspace: Result<Workspace, Error>, clock: Arc<dyn Clock>) -> Self {
        Self {
            slot: RwLock::new(Slot { requested, workspace: workspace.map(Arc::new) }),
            locked: Mutex::new(None),
            clock,
            dialogs: Dialogs::default(),
            pending_saves: Mutex::new(HashMap::new()),
            picked: Mutex::new(HashMap::new()),
            staged: Mutex::new(HashMap::new()),
            written: Mutex::new(HashSet::new()),
            tokens: AtomicU64::new(0),
            jobs: Mutex::new(HashMap::new()),
            keychain: Arc::new(MemoryKeychain::default()),
        }
    }

    pub fn with_dialogs(mut self, dialogs: Dialogs) -> Self {
        self.dialogs = dialogs;
        self
    }

    /// The same state keeping remembered passphrases in `keychain` (the default keeps them in
    /// memory only).
    pub fn with_keychain(mut self, keychain: Arc<dyn Keychain>) -> Self {
        self.keychain = keychain;
        self
    }

    /// The keychain passphrases are remembered in.
    pub fn keychain(&self) -> &dyn Keychain {
        self.keychain.as_ref()
    }

    /// The open workspace, or the error that kept it from opening.
    pub fn workspace(&self) -> Result<Arc<Workspace>, IpcError> {
        let slot = self.slot.read().map_err(|_| poisoned())?;
        slot.workspace.clone().map_err(IpcError)
    }

    /// Opens `path` (creating it with `Access::Create`) and, when that works, makes it the
    /// app's workspace. A failure leaves the current workspace open and is returned.
    /// An encrypted workspace it could not open for want of a key is kept as the one to unlock.
    pub fn switch_to(&self, path: &Path, access: Access, secret: Option<Secret>) -> Result<OpenReport, IpcError> {
        let mut slot = self.slot.write().map_err(|_| poisoned())?;
        let same =
            slot.workspace.as_ref().is_ok_and(|ws| Some(ws.path()) == std::fs::canonicalize(path).ok().as_deref());
        if same {
            return Err(IpcError(Error::new(ErrorCode::Conflict, format!("{} is already open.", path.display()))));
        }
        let ws = match open_remembered(path, access, self.clock.clone(), secret, self.keychain.as_ref()) {
            Ok(ws) => ws,
            Err(e) => {
                if needs_key(&e) {
                    *self.locked.lock().map_err(|_| poisoned())? = Some(path.to_owned());
                }
                return Err(IpcError(e));
            }
        };
        *self.locked.lock().map_err(|_| poisoned())? = None;
        let report = ws.report().clone();
        slot.requested = Some(path.to_owned());
        slot.workspace = Ok(Arc::new(ws));
        Ok(report)
    }

    /// Opens the encrypted workspace waiting for its key (the one just chosen, or the one the
    /// app was started on) with `secret`. A wrong key leaves everything as it was. With
    /// `remember`, a passphrase that opened it is kept in the keychain (a keychain that cannot
    /// keep it is a warning in the report, not a failure).
    pub fn unlock(&self, secret: Secret, remember: bool) -> Result<OpenReport, IpcError> {
        let chosen = self.locked.lock().map_err(|_| poisoned())?.clone();
        let path = match chosen {
            Some(path) => path,
            None => {
                let slot = self.slot.read().map_err(|_| poisoned())?;
                match (&slot.workspace, &slot.requested) {
                    (Err(e), Some(path)) if needs_key(e) => path.clone(),
                    _ => {
                        return Err(IpcError(Error::new(
                            ErrorCode::Conflict,
                            "No encrypted workspace is waiting for its passphrase: open it first.",
                        )))
                    }
                }
            }
        };
        let passphrase = match &secret {
            Secret::Passphrase(p) => Some(p.clone()),
            Secret::RecoveryKey(_) => None,
        };
        let mut report = self.switch_to(&path, Access::ReadWrite, Some(secret))?;
        if let (true, Some(passphrase)) = (remember, passphrase) {
            if let Err(why) = self.keychain.set(&path, &passphrase) {
                report.warnings.push(format!(
                    "The passphrase could not be kept in this computer's keychain ({why}); Readyroom will ask for it next time."
                ));
            }
        }
        Ok(report)
    }

    /// Whether the keychain holds a passphrase for the open workspace.
    pub fn remembered(&self) -> Result<bool, IpcError> {
        let ws = self.workspace()?;
        Ok(ws.is_encrypted() && self.keychain.get(ws.path()).ok().flatten().is_some())
    }

    /// Encrypts the open (plain) workspace in place with `passphrase` and opens it again,
    /// encrypted. The workspace is closed for the time it takes (encrypting needs it to
    /// itself); when encrypting fails, the plain workspace is opened again, as it was. The
    /// report holds the recovery key, to show once.
    pub fn encrypt_current(&self, passphrase: &str) -> Result<OpenReport, IpcError> {
        let mut slot = self.slot.write().map_err(|_| poisoned())?;
        let ws = slot.workspace.clone().map_err(IpcError)?;
        if ws.is_encrypted() {
            return Err(IpcError(Error::new(
                ErrorCode::Conflict,
                format!("{} is already encrypted.", ws.path().display()),
            )));
        }
        readyroom_core::keys::check_new_passphrase(passphrase)?;
        let path = ws.path().to_owned();
        drop(ws);
        // The slot's handle is the last one unless a long job is still reading.
        let held = std::mem::replace(&mut slot.workspace, Err(Error::new(ErrorCode::WorkspaceInUse, "Encrypting…")));
        let only = match held {
            Ok(arc) => match Arc::try_unwrap(arc) {
                Ok(ws) => {
                    drop(ws);
                    true
                }
                Err(arc) => {
                    slot.workspace = Ok(arc);
                    false
                }
            },
            Err(e) => return Err(IpcError(e)),
        };
        if !only {
            return Err(IpcError(Error::new(
                ErrorCode::WorkspaceInUse,
                "A long job is still using the workspace: wait for it to finish, then encrypt.",
            )));
        }
        let clock = self.clock.clone();
        let reopen = |secret: Option<Secret>| {
            Workspace::open(&path, OpenOptions::new(Access::ReadWrite, clock.clone()).with_secret(secret))
        };
        match readyroom_core::encryption::encrypt(&path, passphrase) {
            Ok(recovery_key) => {
                let ws = reopen(Some(Secret::passphrase(passphrase)))?;
                let report = OpenReport { recovery_key: Some(recovery_key), ..ws.report().clone() };
                slot.workspace = Ok(Arc::new(ws));
                Ok(report)
            }
            Err(e) => {
                slot.workspace = reopen(None).map(Arc::new);
                Err(IpcError(e))
            }
        }
    }

    /// Creates the workspace the app was asked to open when it was missing (or, on first
    /// start, its own), encrypted under `passphrase` when there is one.
    pub fn create_requested(&self, passphrase: Option<String>) -> Result<OpenReport, IpcError> {
        let requested = {
            let slot = self.slot.read().map_err(|_| poisoned())?;
            match (&slot.workspace, &slot.requested) {
                (Err(e), Some(path)) if matches!(e.code, ErrorCode::WorkspaceMissing | ErrorCode::NoWorkspaceYet) => {
                    path.clone()
                }
                _ => {
                    return Err(IpcError(Error::new(
                        ErrorCode::Conflict,
                        "There is no missing workspace to create: use New workspace to choose where.",
                    )))
                }
            }
        };
        self.switch_to(&requested, Access::Create, passphrase.map(Secret::passphrase))
    }

    /// Keeps a path the user chose in a save dialog and returns the token the page may use
    /// once to write it. The path is checked against the workspace's own files right away.
    pub fn remember_save(&self, kind: SaveKind, path: PathBuf) -> Result<SaveTarget, IpcError> {
        if kind != SaveKind::Workspace {
            if let Ok(ws) = self.workspace() {
                ws.protected().check(&path)?;
            }
        }
        let n = self.tokens.fetch_add(1, Ordering::Relaxed);
        let token = format!("{:016x}{n:08x}", std::collections::hash_map::RandomState::new().hash_one(n));
        let shown = path.display().to_string();
        self.pending_saves.lock().map_err(|_| poisoned())?.insert(token.clone(), (kind, path));
        Ok(SaveTarget { token, path: shown })
    }

    /// The path behind a save token, which is used up.
    pub fn take_save(&self, token: &str, kind: SaveKind) -> Result<PathBuf, IpcError> {
        let taken = self.pending_saves.lock().map_err(|_| poisoned())?.remove(token);
        match taken {
            Some((k, path)) if k == kind => Ok(path),
            _ => Err(IpcError(Error::new(
                ErrorCode::Validation,
                "Choose where to save the file first (the choice is used once).",
            ))),
        }
    }

    /// Remembers a file the user picked in an open dialog; the page refers to it by the token.
    pub fn remember_pick(&self, path: PathBuf) -> Result<String, IpcError> {
        let n = self.tokens.fetch_add(1, Ordering::Relaxed);
        let token = format!("{:016x}{n:08x}", std::collections::hash_map::RandomState::new().hash_one(n));
        self.picked.lock().map_err(|_| poisoned())?.insert(token.clone(), path);
        Ok(token)
    }

    /// The file behind a pick token.
    pub fn picked(&self, token: &str) -> Result<PathBuf, IpcError> {
        self.picked
            .lock()
            .map_err(|_| poisoned())?
            .get(token)
            .cloned()
            .ok_or_else(|| IpcError(Error::new(ErrorCode::Validation, "Choose the file first (in the open dialog).")))
    }

    /// Keeps the copy made of the file picked as `token` (its name and stored content).
    pub fn stage(&self, token: &str, name: String, file: StoredFile) -> Result<(), IpcError> {
        self.staged.lock().map_err(|_| poisoned())?.insert(token.to_owned(), (name, file));
        Ok(())
    }

    /// The copy made of the file picked as `token`: its name and stored content.
    pub fn staged(&self, token: &str) -> Result<(String, StoredFile), IpcError> {
        self.staged.lock().map_err(|_| poisoned())?.get(token).cloned().ok_or_else(|| {
            IpcError(Error::field("file_name", "The file was not copied into the workspace yet; choose it again."))
        })
    }

    /// Registers a long job; the flag turns true when the page cancels it.
    pub fn start_job(&self, job: &str) -> Result<Arc<AtomicBool>, IpcError> {
        let mut jobs = self.jobs.lock().map_err(|_| poisoned())?;
        Ok(jobs.entry(job.to_owned()).or_default().clone())
    }

    /// Asks the job to stop (it stops at its next progress step). Returns whether it was running.
    pub fn cancel_job(&self, job: &str) -> Result<bool, IpcError> {
        let mut jobs = self.jobs.lock().map_err(|_| poisoned())?;
        let running = jobs.contains_key(job);
        jobs.entry(job.to_owned()).or_default().store(true, Ordering::Relaxed);
        Ok(running)
    }

    pub fn end_job(&self, job: &str) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.remove(job);
        }
    }

    /// Remembers a file the app wrote (for `open_file`).
    pub fn remember_written(&self, path: &Path) {
        if let Ok(mut w) = self.written.lock() {
            w.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned()));
        }
    }

    /// Writes an output through the workspace's guard and remembers it for `open_file`.
    pub fn write_output(&self, ws: &Workspace, path: &Path, bytes: &[u8]) -> Result<String, IpcError> {
        let written = ws.protected().write(path, bytes)?;
        self.written.lock().map_err(|_| poisoned())?.insert(written.clone());
        Ok(written.display().to_string())
    }

    /// Whether the app wrote `path` since it started.
    pub fn wrote(&self, path: &Path) -> bool {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.written.lock().is_ok_and(|w| w.contains(&path))
    }

    /// The workspace file open in this window, or the one it was asked to open.
    pub fn open_path(&self) -> Option<PathBuf> {
        let slot = self.slot.read().ok()?;
        match &slot.workspace {
            Ok(ws) => Some(ws.path().to_path_buf()),
            Err(_) => slot.requested.clone(),
        }
    }

    pub fn window_title(&self) -> String {
        let Ok(slot) = self.slot.read() else { return "Readyroom".to_owned() };
        let name = slot.requested.as_ref().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
        match (&slot.workspace, name) {
            (Ok(ws), _) => {
                let name = ws.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let ro = if ws.is_read_only() { " (read-only)" } else { "" };
                format!("Readyroom — {name}{ro}")
            }
            (Err(e), Some(name)) if e.code == ErrorCode::WorkspaceInUse => format!("Readyroom — {name} (in use)"),
            _ => "Readyroom".to_owned(),
        }
    }
}

fn poisoned() -> IpcError {
    IpcError(Error::internal("app state lock poisoned: an earlier command panicked"))
}

use std::hash::BuildHasher;
