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
pub mod profile;
pub mod retention;
pub mod risk_assessments;
pub mod risks;
pub mod systems;
pub mod training;
pub mod vendors;
