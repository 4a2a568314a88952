//! Where the app keeps a workspace's passphrase when the user asks it to be remembered on this
//! computer: the operating system's keychain (Secret Service on Linux, the Keychain on macOS,
//! the Credential Manager on Windows), one entry per workspace file. The passphrase never goes
//! to the workspace folder or to the app's settings.
//!
//! Only the shell touches it: the core takes a passphrase and never asks where it came from.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// The service name entries are filed under.
const SERVICE: &str = "Readyroom";

/// A store of passphrases by workspace file. Errors are the store's own words, shown to the
/// user as a warning: a keychain that cannot be reached means being asked again, never a lost
/// workspace.
pub trait Keychain: Send + Sync {
    fn get(&self, workspace: &Path) -> Result<Option<String>, String>;
    fn set(&self, workspace: &Path, passphrase: &str) -> Result<(), String>;
    /// Removes the entry; nothing when there is none.
    fn forget(&self, workspace: &Path) -> Result<(), String>;
}

/// The entry's account name: the workspace file's full path (canonical where it exists).
fn account(workspace: &Path) -> String {
    std::fs::canonicalize(workspace).unwrap_or_else(|_| workspace.to_owned()).display().to_string()
}

/// The operating system's keychain.
pub struct OsKeychain;

impl OsKeychain {
    fn entry(workspace: &Path) -> Result<keyring::Entry, String> {
        keyring::Entry::new(SERVICE, &account(workspace)).map_err(|e| e.to_string())
    }
}

impl Keychain for OsKeychain {
    fn get(&self, workspace: &Path) -> Result<Option<String>, String> {
        match Self::entry(workspace)?.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    fn set(&self, workspace: &Path, passphrase: &str) -> Result<(), String> {
        Self::entry(workspace)?.set_password(passphrase).map_err(|e| e.to_string())
    }

    fn forget(&self, workspace: &Path) -> Result<(), String> {
        match Self::entry(workspace)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Passphrases kept in memory for the life of the process: the IPC tests' keychain, and the
/// app's when it is told not to touch the system's (`READYROOM_NO_KEYCHAIN`, the end-to-end
/// tests).
#[derive(Default)]
pub struct MemoryKeychain {
    entries: Mutex<HashMap<String, String>>,
    /// The next calls fail with this message (a keychain that cannot be reached).
    pub failing: Mutex<Option<String>>,
}

impl MemoryKeychain {
    fn check(&self) -> Result<(), String> {
        match self.failing.lock().map_err(|_| "the keychain lock is poisoned".to_owned())?.as_ref() {
            Some(why) => Err(why.clone()),
            None => Ok(()),
        }
    }

    fn entries(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, String>>, String> {
        self.entries.lock().map_err(|_| "the keychain lock is poisoned".to_owned())
    }
}

impl Keychain for MemoryKeychain {
    fn get(&self, workspace: &Path) -> Result<Option<String>, String> {
        self.check()?;
        Ok(self.entries()?.get(&account(workspace)).cloned())
    }

    fn set(&self, workspace: &Path, passphrase: &str) -> Result<(), String> {
        self.check()?;
        self.entries()?.insert(account(workspace), passphrase.to_owned());
        Ok(())
    }

    fn forget(&self, workspace: &Path) -> Result<(), String> {
        self.check()?;
        self.entries()?.remove(&account(workspace));
        Ok(())
    }
}

/// The environment variable that keeps the app away from the system keychain.
pub const NO_KEYCHAIN_VAR: &str = "READYROOM_NO_KEYCHAIN";
