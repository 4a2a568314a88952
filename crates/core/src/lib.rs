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

pub mod actions;
pub mod clock;
pub mod controls;
pub mod criteria;
pub mod csvio;
pub mod error;
pub mod evidence;
pub mod heatmap;
pub mod history;
pub mod people;
pub mod policies;
pub mod profile;
pub mod risk_assessments;
pub mod risks;
pub mod scoring;
pub mod settings;
pub mod starter;
mod validate;
pub mod workspace;

pub use error::{Error, ErrorCode, FieldError, Result};
pub use workspace::{Access, OpenOptions, OpenReport, Workspace};
