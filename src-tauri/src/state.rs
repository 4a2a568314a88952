//! What the shell holds: the open workspace, or why it could not be opened. A failed
//! open (file in use, newer version, not a workspace) is shown by the UI, not a crash.

use std::path::PathBuf;

use readyroom_core::{Error, ErrorCode, Workspace};

use crate::error::IpcError;

pub struct AppState {
    path: Option<PathBuf>,
    workspace: Result<Workspace, Error>,
}

impl AppState {
    pub fn new(path: PathBuf, workspace: Result<Workspace, Error>) -> Self {
        Self { path: Some(path), workspace }
    }

    pub fn failed(err: Error) -> Self {
        Self { path: None, workspace: Err(err) }
    }

    pub fn workspace(&self) -> Result<&Workspace, IpcError> {
        self.workspace.as_ref().map_err(|e| IpcError(e.clone()))
    }

    pub fn window_title(&self) -> String {
        let name = self.path.as_ref().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
        match (&self.workspace, name) {
            (Ok(_), Some(name)) => format!("Readyroom — {name}"),
            (Err(e), Some(name)) if e.code == ErrorCode::WorkspaceInUse => {
                format!("Readyroom — {name} (in use)")
            }
            _ => "Readyroom".to_owned(),
        }
    }
}
