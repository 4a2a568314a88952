//! Starter policy texts: one Markdown template per expected policy and per recommended one,
//! written in our own words for a 10-200 person SaaS company. A template names the company,
//! the review interval and roles by placeholder (`{{company}}`, `{{review_interval}}`,
//! `{{role:security_lead}}`); [`render`] fills them from the workspace.

use crate::refs::PolicyType;

/// The roles a template may name, by key, with the title printed for each.
pub const ROLES: &[(&str, &str)] = &[
    ("ceo", "Chief Executive Officer"),
    ("security_lead", "Security Lead"),
    ("engineering_lead", "Engineering Lead"),
    ("people_lead", "People Lead"),
    ("finance_lead", "Finance Lead"),
    ("compliance_lead", "Compliance Lead"),
    ("privacy_lead", "Privacy Lead"),
];

/// A policy template: the expected policy it writes (none for a recommended one) and its
/// source (front matter, then the Markdown body).
pub struct Template {
    pub key: &'static str,
    pub kind: Option<PolicyType>,
    /// Offered only when the Privacy category is in scope.
    pub privacy_only: bool,
    source: &'static str,
}

macro_rules! templates {
    ($($key:literal => $kind:expr, $privacy:expr;)+) => {
        &[$(Template { key: $key, kind: $kind, privacy_only: $privacy, source: include_str!(concat!("policy_texts/", $key, ".md")) }),+]
    };
}

/// Every template: the 13 expected policies first, in the brief's order, then the recommended.
pub static TEMPLATES: &[Template] = templates! {
    "information_security" => Some(PolicyType::InformationSecurity), false;
    "acceptable_use" => Some(PolicyType::AcceptableUse), false;
    "access_control" => Some(PolicyType::AccessControl), false;
    "risk_management" => Some(PolicyType::RiskManagement), false;
    "incident_response" => Some(PolicyType::IncidentResponse), false;
    "change_management" => Some(PolicyType::ChangeManagement), false;
    "vendor_management" => Some(PolicyType::VendorManagement), false;
    "data_retention" => Some(PolicyType::DataRetention), false;
    "encryption" => Some(PolicyType::Encryption), false;
    "logging_monitoring" => Some(PolicyType::LoggingMonitoring), false;
    "security_awareness" => Some(PolicyType::SecurityAwareness), false;
    "business_continuity" => Some(PolicyType::BusinessContinuity), false;
    "code_of_conduct" => Some(PolicyType::CodeOfConduct), false;
    "data_classification" => None, false;
    "secure_development" => None, false;
    "vulnerability_management" => None, false;
    "backup_recovery" => None, false;
    "hr_security" => None, false;
    "privacy" => None, true;
};

impl Template {
    fn front(&self, name: &str) -> &'static str {
        let head = self.source.strip_prefix("---\n").and_then(|s| s.split_once("\n---\n")).map_or("", |(h, _)| h);
        head.lines().find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(':'))).map_or("", str::trim)
    }

    pub fn title(&self) -> &'static str {
        self.front("title")
    }

    /// The key of the role that owns the policy (one of [`ROLES`]).
    pub fn owner_role(&self) -> &'static str {
        self.front("owner_role")
    }

    /// The Markdown body, placeholders unfilled.
    pub fn body(&self) -> &'static str {
        self.source.strip_prefix("---\n").and_then(|s| s.split_once("\n---\n")).map_or(self.source, |(_, b)| b)
    }
}

/// The template whose title is `title` (case and surrounding spaces aside).
pub fn for_title(title: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.title().eq_ignore_ascii_case(title.trim()))
}

/// What fills a template's placeholders.
pub struct Fill<'a> {
    /// The organisation's name ("the company" when no profile is saved).
    pub company: &'a str,
    /// Days between policy reviews (check settings), printed in months.
    pub review_days: u32,
}

/// "12 months" for 365 days; "30 days" below a month.
pub fn interval_text(days: u32) -> String {
    let months = (f64::from(days) / 30.44).round() as u32;
    match (days, months) {
        (0..=27, _) => format!("{days} days"),
        (_, 1) => "1 month".into(),
        (_, m) => format!("{m} months"),
    }
}

/// The template's body with every placeholder filled. An unknown placeholder is left as
/// written (the tests keep the templates free of them).
pub fn render(body: &str, fill: &Fill<'_>) -> String {
    let mut out = String::with_capacity(body.len() + 256);
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &rest[start + 2..start + len];
        match name {
            "company" => out.push_str(fill.company),
            "review_interval" => out.push_str(&interval_text(fill.review_days)),
            _ => match name.strip_prefix("role:").and_then(|k| ROLES.iter().find(|(key, _)| *key == k)) {
                Some((_, title)) => out.push_str(title),
                None => out.push_str(&rest[start..start + len + 2]),
            },
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}
