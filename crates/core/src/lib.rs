//! readyroom-core: the domain, storage and rules of Readyroom.
//!
//! This crate never depends on Tauri. The desktop shell and the CLI are thin
//! edges over it: they parse input, call into this crate and present results.
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
                let key = crate::csvio::enum_key(cell);
                Self::ALL.iter().copied().find(|v| v.as_str() == key || crate::csvio::enum_key(v.label()) == key)
            }
        }
    };
}

pub mod access_reviews;
pub mod actions;
pub mod changes;
pub mod clock;
pub mod controls;
pub mod criteria;
pub mod csv_import;
pub mod csvio;
pub mod demo;
pub mod error;
pub mod evidence;
pub mod heatmap;
pub mod history;
pub mod incidents;
pub mod leavers;
pub mod outputs;
pub mod pdf;
pub mod people;
pub mod policies;
pub mod profile;
pub mod readiness;
pub mod report;
pub mod retention;
pub mod risk_assessments;
pub mod risks;
pub mod scoring;
pub mod settings;
pub mod starter;
pub mod systems;
pub mod tabletop;
pub mod training;
mod validate;
pub mod vendors;
pub mod workspace;

pub use error::{Error, ErrorCode, FieldError, Result};
pub use workspace::{Access, OpenOptions, OpenReport, Workspace};
