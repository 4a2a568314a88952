//! Documents the app prints: the PDF layout layer, the readiness report and the after-action
//! report of an exercise.

pub mod after_action;
pub mod binder;
mod fonts;
pub mod pdf;
mod pdf_file;
pub mod policy;
pub mod report;

use crate::profile::{AuditType, Profile};

/// The audit as a document's cover names it: its type, and a Type II's observation window.
fn audit_text(profile: Option<&Profile>) -> String {
    match profile.map(|p| (p.audit_type, p.window_start, p.window_end)) {
        Some((AuditType::Type2, Some(a), Some(z))) => format!("SOC 2 Type II, observation window {a} to {z}"),
        Some((AuditType::Type2, _, _)) => "SOC 2 Type II".into(),
        Some(_) => "SOC 2 Type I".into(),
        None => "Not set up".into(),
    }
}

/// The Trust Services categories in scope, as a document's cover lists them.
fn categories_text(profile: Option<&Profile>) -> String {
    profile
        .map(|p| p.categories.in_scope().iter().map(|c| c.label()).collect::<Vec<_>>().join(", "))
        .unwrap_or_else(|| "Security".into())
}

/// "1 file", "3 files": a count with its noun in the right number.
pub(crate) fn count<N: TryInto<i64>>(n: N, one: &str, many: &str) -> String {
    let n: i64 = n.try_into().unwrap_or(i64::MAX);
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_count_takes_the_noun_in_its_number() {
        assert_eq!(super::count(1_usize, "minute", "minutes"), "1 minute");
        assert_eq!(super::count(0_i64, "file", "files"), "0 files");
        assert_eq!(super::count(17_u32, "file", "files"), "17 files");
    }
}
