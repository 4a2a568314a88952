//! readyroom-core: the domain, storage and rules of Readyroom.
//!
//! This crate never depends on Tauri. The desktop shell and the CLI are thin
//! edges over it: they parse input, call into this crate and present results.
//!
//! Layout, bottom up (a module only uses the ones above it in this list):
//! - `error`, `clock`, `validate`, `refs`: the error contract, time as an input, field
//!   validation, and the shared record references;
//! - `store/`: the workspace file, migrations, history, evidence store, settings;
//! - `io/`: CSV reading and writing, the shared CSV import, the output guard;
//! - `registers/`: one module per register;
//! - `readiness`, `scoring`, `heatmap`, `tabletop/`, `starter/`: rules and content over the
//!   registers;
//! - `documents/`: the PDF layer and the reports; `demo`: the demo company.
//!
//! Conventions:
//! - Reads take a `&rusqlite::Connection`, writes take a `&rusqlite::Transaction`
//!   and are run through [`Workspace::write`], so one command is one transaction.
//! - Time is an input: nothing here reads the system clock except [`clock::SystemClock`],
//!   which only the edges construct.
//! - Errors are [`Error`] values with a stable [`ErrorCode`]; callers never match on text.

/// A string-valued enum: stable snake_case keys in the database, CSV and IPC, a label for
/// people, `parse` for stored keys and `parse_cell` for what a spreadsheet may hold.
macro_rules! string_enum {
    // `Name default Variant { … }`: the same, with `Variant` as the default value.
    ($(#[$meta:meta])* $name:ident default $default:ident { $($body:tt)+ }) => {
        string_enum!($(#[$meta])* $name { $($body)+ });

        // A macro cannot add `#[default]` to one variant of the derive, so it says it here.
        #[allow(clippy::derivable_impls)]
        impl Default for $name {
            fn default() -> Self {
                $name::$default
            }
        }
    };
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        // Each variant serialises as its stored key, so IPC, CSV and the database agree.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Human label, as the app and the report show it.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// Reads a CSV cell: the key ("legal_compliance") or the label ("Legal / compliance").
            pub fn parse_cell(cell: &str) -> Option<Self> {
                let key = crate::validate::enum_key(cell);
                Self::ALL.iter().copied().find(|v| v.as_str() == key || crate::validate::enum_key(v.label()) == key)
            }
        }

        impl crate::labels::Labelled for $name {
            const NAME: &'static str = stringify!($name);

            fn entries() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|v| (v.as_str(), v.label())).collect()
            }

            fn from_cell(cell: &str) -> Option<Self> {
                Self::parse_cell(cell)
            }
        }
    };
}

/// A record kind's place in the register contract ([`record::Kept`]): its register and how one
/// record is loaded, plus the functions callers use on it. `editable(Input)` adds `create`
/// and `update` (the kind implements [`record::Editable`]); `archive` adds `set_archived`.
macro_rules! record_kind {
    ($ty:ident in $register:ident, load($conn:ident, $id:ident, $now:ident) $load:block $(, editable($input:ident))? $(, archive = $archive:ident)?) => {
        impl crate::record::Kept for $ty {
            const REGISTER: crate::refs::Register = crate::refs::Register::$register;

            #[allow(unused_variables)]
            fn load($conn: &rusqlite::Connection, $id: i64, $now: chrono::DateTime<chrono::Utc>) -> crate::error::Result<Self> $load

            fn archived(&self) -> bool {
                self.archived
            }
        }

        $(
            /// Creates a record from the user's input, with its history (see [`crate::record`]).
            pub fn create(
                tx: &rusqlite::Transaction<'_>,
                now: chrono::DateTime<chrono::Utc>,
                input: &$input,
            ) -> crate::error::Result<$ty> {
                crate::record::create(tx, now, input)
            }

            /// Replaces a record's values with the user's input; nothing is written when nothing changes.
            pub fn update(
                tx: &rusqlite::Transaction<'_>,
                now: chrono::DateTime<chrono::Utc>,
                id: i64,
                input: &$input,
            ) -> crate::error::Result<$ty> {
                crate::record::update(tx, now, id, input)
            }
        )?

        $(
            /// Archives or restores a record: records are kept for the auditor, never deleted.
            pub fn $archive(
                tx: &rusqlite::Transaction<'_>,
                now: chrono::DateTime<chrono::Utc>,
                id: i64,
                archived: bool,
            ) -> crate::error::Result<$ty> {
                crate::record::set_archived(tx, now, id, archived)
            }
        )?
    };
}

pub mod attention;
pub mod clock;
pub mod demo;
pub mod documents;
pub mod error;
pub mod heatmap;
pub mod io;
pub mod labels;
pub mod overview;
pub mod readiness;
pub mod refs;
pub mod registers;
pub mod scoring;
pub mod starter;
pub mod store;
pub mod tabletop;
mod validate;

// The modules by their short names, as callers (the shell, the CLI, the tests) know them.
pub use documents::{after_action, binder, pdf, policy, report};
pub use io::{column_map, csv_import, csvio, outputs, table_file};
pub use registers::{
    access_reviews, actions, changes, controls, criteria, incidents, leavers, people, policies, policy_text, profile,
    requests, retention, risk_assessments, risks, roles, systems, training, vendors,
};
pub use store::{
    archive, attachments, encryption, evidence, history, keys, list, occurrences, past, record, settings, workspace,
};

pub use error::{Error, ErrorCode, FieldError, Result};
pub use refs::Register;
pub use workspace::{Access, OpenOptions, OpenReport, Secret, Workspace};
