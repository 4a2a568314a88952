//! What the app-level tests share: the real command handlers on Tauri's mock runtime, a
//! real workspace file, and the JSON that crosses IPC (including `{code, message, fields}`).
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use readyroom_app::state::Dialogs;
use readyroom_app::{with_commands, AppState};
use readyroom_core::clock::FixedClock;
use readyroom_core::{Access, OpenOptions, Workspace};
use serde_json::Value;
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{ipc::InvokeBody, Manager};

pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).single().expect("instant")))
}

pub struct Harness {
    _app: tauri::App<tauri::test::MockRuntime>,
    webview: tauri::WebviewWindow<tauri::test::MockRuntime>,
}

impl Harness {
    /// The app on a workspace at `path`, created when missing.
    pub fn new(path: &Path) -> Self {
        Self::opened(path, Access::Create, Dialogs::default())
    }

    pub fn opened(path: &Path, access: Access, dialogs: Dialogs) -> Self {
        let clock = clock();
        let opened = Workspace::open(path, OpenOptions::new(access, clock.clone()));
        Self::with_state(AppState::new(path.to_owned(), opened, clock).with_dialogs(dialogs))
    }

    pub fn with_state(state: AppState) -> Self {
        let app = with_commands(mock_builder()).build(mock_context(noop_assets())).expect("mock app builds");
        app.manage(state);
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("webview");
        Self { _app: app, webview }
    }

    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().expect("url"),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("JSON body"))
    }
}

/// A harness whose save dialogs answer with files in `saves` and open dialogs with `open`.
pub fn with_dialogs(path: &Path, saves: &Path, open: Option<&Path>) -> Harness {
    let dialogs =
        Dialogs { automation_save_dir: Some(saves.to_owned()), automation_open_file: open.map(Path::to_owned) };
    Harness::opened(path, Access::Create, dialogs)
}

/// Writes `name` with `content` into `open` (the folder the harness's open dialog answers
/// from) and picks it in the dialog: the token the page gets.
pub fn picked_file(h: &Harness, open: &Path, name: &str, content: &[u8]) -> Value {
    std::fs::write(open.join(name), content).expect("write the file to pick");
    let picked = h.invoke("choose_evidence_file", serde_json::json!({})).expect("a pick");
    assert_eq!(picked["name"], name);
    picked["token"].clone()
}

/// Writes `name` with `content` into `open` (the folder the harness's open dialog answers
/// from), picks it as evidence and copies it into the workspace, as the app does before it
/// saves the record: the token to save the record with.
pub fn staged_file(h: &Harness, open: &Path, name: &str, content: &[u8]) -> Value {
    let token = picked_file(h, open, name, content);
    let job = format!("stage-{name}");
    let staged = h.invoke("stage_evidence_file", serde_json::json!({"token": token, "job": job})).expect("staged");
    assert_eq!(staged["size"], content.len());
    staged["token"].clone()
}
