//! The starter risk library: risks a 10-200 person SaaS company commonly carries, each rated
//! before controls and with the starter controls that usually mitigate it. The user picks
//! which to add and re-rates them for their own company.

use crate::refs::RiskCategory::{self, Availability, Fraud, LegalCompliance, Operational, Privacy, Security, Vendor};

pub struct StarterRisk {
    pub key: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub category: RiskCategory,
    /// Inherent likelihood and impact, 1-5.
    pub likelihood: u8,
    pub impact: u8,
    /// References of starter controls that mitigate it.
    pub controls: &'static [&'static str],
}

const fn r(
    key: &'static str,
    title: &'static str,
    description: &'static str,
    category: RiskCategory,
    likelihood: u8,
    impact: u8,
    controls: &'static [&'static str],
) -> StarterRisk {
    StarterRisk { key, title, description, category, likelihood, impact, controls }
}

#[rustfmt::skip]
pub static STARTER_RISKS: &[StarterRisk] = &[
    r("phishing-credentials", "Staff credentials stolen through phishing", "An employee enters their password on a fake login page and an attacker signs in to email, the identity provider or production tooling as them.", Security, 4, 4, &["AC-02", "HR-03", "LOG-02"]),
    r("ransomware", "Ransomware on laptops or servers", "Malware encrypts company laptops, file shares or servers and the attacker demands payment, stopping work and possibly leaking data.", Security, 3, 5, &["END-02", "END-03", "BCP-02", "BCP-03", "IR-01"]),
    r("cloud-key-leak", "Cloud access key leaked", "A long-lived cloud or API key ends up in a public repository, a log or a laptop backup, and someone uses it to reach production.", Security, 3, 5, &["ENC-03", "AC-09", "LOG-02"]),
    r("excess-access", "People keep access they no longer need", "Access granted for a project or a previous role is never removed, so more people than necessary can reach customer data.", Security, 4, 3, &["AC-03", "AC-05", "AC-04"]),
    r("leaver-access", "Leavers keep access after they go", "Accounts of people who have left stay active in one or more systems and are used by them or by someone who takes them over.", Security, 3, 4, &["HR-05", "AC-05"]),
    r("unpatched-vuln", "Known vulnerability exploited", "A public-facing system or dependency has a published vulnerability that is not patched in time and is exploited.", Security, 3, 4, &["VUL-01", "VUL-02", "NET-03"]),
    r("dependency-compromise", "Compromised open-source dependency", "A library or build tool the product depends on is hijacked and ships malicious code into our build.", Security, 2, 5, &["VUL-01", "CHG-01", "CHG-03"]),
    r("public-bucket", "Customer data exposed by misconfigured storage", "A storage bucket, database snapshot or share link is left open to the internet and exposes customer data.", Security, 3, 5, &["VUL-03", "CA-02", "DAT-01"]),
    r("lost-laptop", "Lost or stolen laptop", "A laptop holding source code, credentials or customer exports is lost or stolen.", Security, 4, 2, &["END-01", "AST-01"]),
    r("privileged-misuse", "Misuse of administrator access", "Someone with administrator or production access, by mistake or on purpose, changes or reads data they should not.", Security, 2, 5, &["AC-06", "AC-08", "LOG-01", "LOG-03"]),
    r("undetected-intrusion", "Intrusion goes unnoticed", "An attacker is inside for weeks because logs are not collected, alerts are not set up or nobody looks at them.", Security, 3, 4, &["LOG-01", "LOG-02", "LOG-03", "LOG-04"]),
    r("bec-invoice-fraud", "Invoice or payment fraud by email", "A criminal poses as a supplier or an executive and gets finance to pay a fake invoice or change bank details.", Fraud, 3, 3, &["RSK-03", "HR-03", "AC-02"]),
    r("insider-fraud", "Fraud by an employee", "Someone inside misuses their position, for example by approving their own payments, granting themselves access or hiding errors in reports to management.", Fraud, 2, 4, &["RSK-03", "COM-03", "AC-04", "GOV-02"]),
    r("unreviewed-change", "Faulty or unauthorised change reaches production", "Code or configuration is deployed without review or testing and breaks the service or weakens security.", Operational, 3, 4, &["CHG-01", "CHG-02", "CHG-03", "CHG-05"]),
    r("prod-outage", "Production outage", "The service is down for hours because of an infrastructure failure, a bad deploy or a capacity limit, breaking customer commitments.", Availability, 3, 4, &["AVL-01", "AVL-02", "BCP-01", "CHG-04"]),
    r("ddos", "Denial-of-service attack", "Traffic floods the service and makes it unavailable to customers.", Availability, 2, 4, &["NET-03", "AVL-02"]),
    r("backup-failure", "Backups cannot be restored", "When data is lost, backups turn out to be missing, incomplete or impossible to restore within the promised time.", Availability, 2, 5, &["BCP-02", "BCP-03", "BCP-04"]),
    r("vendor-breach", "Breach at a vendor or subprocessor", "A provider that holds or processes our customer data is breached, and the data or our service is affected.", Vendor, 3, 4, &["VEN-01", "VEN-02", "VEN-03", "VEN-04"]),
    r("vendor-outage", "Critical vendor unavailable", "A hosting, identity or payment provider the product depends on has a long outage or goes out of business.", Vendor, 2, 4, &["VEN-02", "BCP-01", "AVL-02"]),
    r("incident-mishandled", "Security incident handled badly", "An incident is noticed late, escalated to the wrong people or handled without a plan, so harm grows and evidence is lost.", Operational, 3, 4, &["IR-01", "IR-02", "IR-03", "IR-04"]),
    r("missed-breach-notice", "Breach notification deadline missed", "After a breach, customers, regulators or insurers are not told within the time the contract or law requires.", LegalCompliance, 2, 4, &["IR-05", "VEN-03", "COM-01"]),
    r("privacy-noncompliance", "Personal data handled against privacy law", "Personal data is collected, kept or shared without a lawful basis or beyond the notice given, inviting fines and complaints.", Privacy, 3, 3, &["PRV-01", "PRV-04", "PRV-05", "DAT-02"]),
    r("data-over-retention", "Data kept longer than needed", "Customer and personal data is never deleted, so a breach exposes far more than necessary and commitments on deletion are broken.", Privacy, 4, 3, &["DAT-02", "DAT-03", "AST-02"]),
    r("data-exfiltration", "Departing employee takes data", "Someone leaving copies customer lists, source code or exports to personal storage on their way out.", Security, 3, 3, &["DLP-01", "HR-02", "HR-05"]),
    r("key-person", "Only one person knows how to run critical systems", "Knowledge of production, billing or security sits with one person; if they are away or leave, incidents and routine work stall.", Operational, 3, 3, &["GOV-03", "BCP-01", "COM-04"]),
    r("commitment-breach", "Security commitments to customers not met", "Contracts, questionnaires or the security page promise practices the company does not actually follow.", LegalCompliance, 3, 3, &["COM-01", "POL-01", "MON-01"]),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::starter::controls::STARTER_CONTROLS;

    #[test]
    fn every_starter_risk_is_well_formed() {
        let mut keys = std::collections::HashSet::new();
        for risk in STARTER_RISKS {
            assert!(keys.insert(risk.key), "duplicate key {}", risk.key);
            assert!((1..=5).contains(&risk.likelihood) && (1..=5).contains(&risk.impact), "{}", risk.key);
            assert!(!risk.controls.is_empty(), "{} suggests no control", risk.key);
            for c in risk.controls {
                assert!(
                    STARTER_CONTROLS.iter().any(|s| s.reference == *c),
                    "{} suggests unknown control {c}",
                    risk.key
                );
            }
        }
        assert!((24..=30).contains(&STARTER_RISKS.len()));
        // CC3.3 asks the company to consider fraud.
        assert!(STARTER_RISKS.iter().any(|r| r.category == Fraud));
    }
}

/// What the library suggests for a starter risk once its controls operate: the role that
/// usually owns it, a treatment and a residual rating, and why. The user confirms it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RiskSuggestion {
    /// The key of the owning role (see `policy_texts::ROLES`).
    pub role: String,
    #[serde(default)]
    pub role_title: String,
    /// "mitigate", "accept", "transfer" or "avoid".
    pub treatment: String,
    pub residual_likelihood: u8,
    pub residual_impact: u8,
    pub rationale: String,
}

static SUGGESTIONS: std::sync::LazyLock<std::collections::HashMap<String, RiskSuggestion>> =
    std::sync::LazyLock::new(|| toml::from_str(include_str!("risk_suggestions.toml")).unwrap_or_default());

/// The library's suggestion for the starter risk `key`.
pub fn suggestion(key: &str) -> Option<RiskSuggestion> {
    let mut s = SUGGESTIONS.get(key)?.clone();
    s.role_title = super::policy_texts::ROLES.iter().find(|(k, _)| *k == s.role).map_or("", |(_, t)| t).to_owned();
    Some(s)
}
