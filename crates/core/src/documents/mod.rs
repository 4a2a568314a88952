//! Documents the app prints: the PDF layout layer and the readiness report.

pub mod pdf;
pub mod report;
