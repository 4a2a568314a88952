//! Documents the app prints: the PDF layout layer, the readiness report and the after-action
//! report of an exercise.

pub mod after_action;
pub mod binder;
pub mod pdf;
pub mod report;
