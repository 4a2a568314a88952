//! One app at a time. A second launch hands its arguments to the app already running, which
//! brings its window to the front and tells the page (the `another-launch` event), and then
//! the second launch exits. On Linux the two meet on the session D-Bus: where there is none (a
//! bare X server, a build box) each launch runs on its own as before, and a workspace already
//! open in another window is refused by its lock, with a message.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use ts_rs::TS;

use crate::state::AppState;

/// Set (to anything) to let launches run side by side: the end-to-end tests start one app
/// per test and must not be handed to the one before, still closing.
pub const OFF_VAR: &str = "READYROOM_MULTI_INSTANCE";

/// The event the page hears when the app was launched again.
pub const EVENT: &str = "another-launch";

/// What the page is told when the app is launched again while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AnotherLaunch {
    /// The workspace the launch named (`--db`), when it is not the one open here: this window
    /// stays on its own, and the page says how to switch.
    pub other_workspace: Option<String>,
}

/// Whether launches are kept to one: not when turned off, and on Linux only with a session
/// D-Bus to meet on (its address in the environment, or the bus socket of the user's session).
pub fn enabled() -> bool {
    if std::env::var_os(OFF_VAR).is_some() {
        return false;
    }
    if !cfg!(target_os = "linux") {
        return true;
    }
    let address = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty());
    let socket = std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).join("bus").exists());
    address || socket
}

/// What a second launch with `argv` (its program name first) and working folder `cwd` asks of
/// the app that has `open` open: `other_workspace` when it named another file.
pub fn launch_of(argv: &[String], cwd: &str, open: Option<&Path>) -> AnotherLaunch {
    let named = crate::parse_args(argv.iter().skip(1).cloned()).ok().and_then(|a| a.db);
    let named = named.map(|p| if p.is_relative() { Path::new(cwd).join(p) } else { p });
    let same = |a: &Path, b: &Path| canonical(a) == canonical(b);
    let other = match (named, open) {
        (Some(n), Some(o)) if same(&n, o) => None,
        (named, _) => named,
    };
    AnotherLaunch { other_workspace: other.map(|p| p.display().to_string()) }
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// The running app's answer to a second launch: its window to the front, and the page told.
pub fn on_launch<R: Runtime>(app: &AppHandle<R>, argv: Vec<String>, cwd: String) {
    let open = app.try_state::<AppState>().and_then(|s| s.open_path());
    let launch = launch_of(&argv, &cwd, open.as_deref());
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    // Also on stderr, for whoever started the app from a terminal (and the end-to-end test).
    match &launch.other_workspace {
        Some(other) => eprintln!("readyroom: launched again for {other}; the open window was brought to the front"),
        None => eprintln!("readyroom: launched again; the open window was brought to the front"),
    }
    let _ = app.emit(EVENT, &launch);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_launch_names_another_workspace_only_when_it_differs() {
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("acme.readyroom");
        std::fs::write(&open, b"").unwrap();
        let cwd = dir.path().to_str().unwrap();
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        // No file named, the same file (relative to where it was launched, or absolute).
        assert_eq!(launch_of(&args(&["readyroom-app"]), cwd, Some(&open)).other_workspace, None);
        assert_eq!(
            launch_of(&args(&["readyroom-app", "--db", "acme.readyroom"]), cwd, Some(&open)).other_workspace,
            None
        );
        let absolute = format!("--db={}", open.display());
        assert_eq!(launch_of(&args(&["readyroom-app", &absolute]), "/", Some(&open)).other_workspace, None);
        // Another file, resolved against the launch's folder.
        let other = launch_of(&args(&["readyroom-app", "--db", "beta.readyroom"]), cwd, Some(&open));
        assert_eq!(other.other_workspace, Some(dir.path().join("beta.readyroom").display().to_string()));
        // Nothing open here (the app failed to open its file): the named file is reported.
        let none = launch_of(&args(&["readyroom-app", "--db", "acme.readyroom"]), cwd, None);
        assert_eq!(none.other_workspace, Some(open.display().to_string()));
    }
}
