//! The policy set an auditor expects of a small SaaS company (domain brief, section 3).
//! Offered as draft placeholders to fill in; the purposes are in our own words.

use crate::refs::PolicyType;

pub struct ExpectedPolicy {
    pub kind: PolicyType,
    pub title: &'static str,
    pub purpose: &'static str,
}

pub static EXPECTED_POLICIES: &[ExpectedPolicy] = &[
    ExpectedPolicy {
        kind: PolicyType::InformationSecurity,
        title: "Information Security Policy",
        purpose:
            "The umbrella: what the security programme covers, who leads it and how the other policies fit together.",
    },
    ExpectedPolicy {
        kind: PolicyType::AcceptableUse,
        title: "Acceptable Use Policy",
        purpose: "How staff may use company devices, accounts and data, and what is off limits.",
    },
    ExpectedPolicy {
        kind: PolicyType::AccessControl,
        title: "Access Control Policy",
        purpose: "How access is requested, approved, reviewed and removed; MFA and least privilege.",
    },
    ExpectedPolicy {
        kind: PolicyType::RiskManagement,
        title: "Risk Management Policy",
        purpose: "How risks are identified, scored, treated and reviewed, and who accepts what.",
    },
    ExpectedPolicy {
        kind: PolicyType::IncidentResponse,
        title: "Incident Response Policy",
        purpose: "How security incidents are detected, classified, handled, communicated and learned from.",
    },
    ExpectedPolicy {
        kind: PolicyType::ChangeManagement,
        title: "Change Management Policy",
        purpose: "How changes to code and infrastructure are reviewed, tested, approved and deployed.",
    },
    ExpectedPolicy {
        kind: PolicyType::VendorManagement,
        title: "Vendor Management Policy",
        purpose: "How vendors are chosen, assessed, contracted and reviewed according to their risk.",
    },
    ExpectedPolicy {
        kind: PolicyType::DataRetention,
        title: "Data Retention and Disposal Policy",
        purpose: "How long each kind of data is kept and how it is disposed of.",
    },
    ExpectedPolicy {
        kind: PolicyType::Encryption,
        title: "Encryption and Key Management Policy",
        purpose: "Where encryption is required, which standards apply and how keys are handled.",
    },
    ExpectedPolicy {
        kind: PolicyType::LoggingMonitoring,
        title: "Logging and Monitoring Policy",
        purpose: "What is logged, where logs go, how long they are kept and who reviews them.",
    },
    ExpectedPolicy {
        kind: PolicyType::SecurityAwareness,
        title: "Security Awareness Policy",
        purpose: "What training everyone takes, when, and how completion is tracked.",
    },
    ExpectedPolicy {
        kind: PolicyType::BusinessContinuity,
        title: "Business Continuity and Disaster Recovery Policy",
        purpose: "How the business keeps running and recovers systems and data after a disruption.",
    },
    ExpectedPolicy {
        kind: PolicyType::CodeOfConduct,
        title: "Code of Conduct",
        purpose: "The behaviour expected of everyone, and how concerns are raised and handled.",
    },
];

/// The expected policy a title names, when it is one of the starter titles.
pub fn kind_of_title(title: &str) -> Option<PolicyType> {
    EXPECTED_POLICIES.iter().find(|e| e.title.eq_ignore_ascii_case(title.trim())).map(|e| e.kind)
}
