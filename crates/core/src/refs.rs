//! What every register shares: the closed set of registers ([`Register`]), and the small
//! references one record keeps to another (a person, a named record, a record of any kind).
//! It sits at the bottom of the module graph so that no register imports another for them.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

string_enum!(
    /// Every kind of record Readyroom keeps. The key is what the CLI, CSV files and IPC use;
    /// the compiler checks every use, in Rust and (through the generated union) in TypeScript.
    Register {
        People = "people" / "People",
        Controls = "controls" / "Controls",
        Activities = "activities" / "Control activities",
        Policies = "policies" / "Policies",
        Approvals = "approvals" / "Policy approvals",
        Acknowledgements = "acknowledgements" / "Policy acknowledgements",
        Actions = "actions" / "Remediation actions",
        Risks = "risks" / "Risks",
        RiskAssessments = "risk_assessments" / "Risk assessments",
        Vendors = "vendors" / "Vendors",
        VendorAssessments = "vendor_assessments" / "Vendor assessments",
        Soc2Reports = "soc2_reports" / "Vendor SOC 2 reports",
        Systems = "systems" / "Systems",
        LogReviews = "log_reviews" / "Log reviews",
        Retention = "retention" / "Retention schedule",
        Disposals = "disposals" / "Disposals",
        AccessReviews = "access_reviews" / "Access reviews",
        Courses = "courses" / "Training courses",
        Training = "training" / "Training completions",
        Leavers = "leavers" / "Leavers",
        Changes = "changes" / "Changes",
        Incidents = "incidents" / "Incidents",
        IncidentTimeline = "incident_timeline" / "Incident timeline entries",
        Exercises = "exercises" / "Tabletop exercises",
        Requests = "requests" / "Auditor requests",
        Criteria = "criteria" / "Criteria",
    }
);

string_enum!(
    /// A Trust Services category. Security (the common criteria) is always in scope.
    Category {
        Security = "security" / "Security",
        Availability = "availability" / "Availability",
        Confidentiality = "confidentiality" / "Confidentiality",
        ProcessingIntegrity = "processing_integrity" / "Processing Integrity",
        Privacy = "privacy" / "Privacy",
    }
);

string_enum!(
    /// How often a control is performed (the starter library and the registers share it).
    Cadence default Annual {
        Continuous = "continuous" / "Continuous",
        Monthly = "monthly" / "Monthly",
        Quarterly = "quarterly" / "Quarterly",
        Annual = "annual" / "Annual",
        PerEvent = "per_event" / "Per event",
    }
);

impl Cadence {
    /// When the next performance is due after one on `last`. Calendar months: a monthly
    /// control last run on 31 January is due on the last day of February. Continuous and
    /// per-event controls have no fixed next date.
    pub fn next_due(self, last: NaiveDate) -> Option<NaiveDate> {
        let months = match self {
            Cadence::Monthly => 1,
            Cadence::Quarterly => 3,
            Cadence::Annual => 12,
            Cadence::Continuous | Cadence::PerEvent => return None,
        };
        last.checked_add_months(Months::new(months))
    }
}

string_enum!(
    /// What kind of risk a risk is (the starter library and the registers share it).
    RiskCategory {
        Security = "security" / "Security",
        Operational = "operational" / "Operational",
        Vendor = "vendor" / "Vendor",
        LegalCompliance = "legal_compliance" / "Legal / compliance",
        Availability = "availability" / "Availability",
        Fraud = "fraud" / "Fraud",
        Privacy = "privacy" / "Privacy",
    }
);

string_enum!(
    /// The policies an auditor expects (domain brief, section 3). A policy says which of them
    /// it covers, so a renamed policy, or one that merges two, still counts.
    PolicyType {
        InformationSecurity = "information_security" / "Information security",
        AcceptableUse = "acceptable_use" / "Acceptable use",
        AccessControl = "access_control" / "Access control",
        RiskManagement = "risk_management" / "Risk management",
        IncidentResponse = "incident_response" / "Incident response",
        ChangeManagement = "change_management" / "Change management",
        VendorManagement = "vendor_management" / "Vendor management",
        DataRetention = "data_retention" / "Data retention and disposal",
        Encryption = "encryption" / "Encryption and key management",
        LoggingMonitoring = "logging_monitoring" / "Logging and monitoring",
        SecurityAwareness = "security_awareness" / "Security awareness",
        BusinessContinuity = "business_continuity" / "Business continuity and disaster recovery",
        CodeOfConduct = "code_of_conduct" / "Code of conduct",
    }
);

string_enum!(
    /// Which registers' records count as occurrences of a control. The first group are dated
    /// occurrences; the last four are populations, where every event needs its own evidence.
    OccurrenceSource {
        AccessReviews = "access_reviews" / "Access reviews",
        LogReviews = "log_reviews" / "Log reviews",
        Training = "training" / "Training completions",
        Exercises = "exercises" / "Tabletop exercises held",
        RiskAssessments = "risk_assessments" / "Risk assessments",
        VendorAssessments = "vendor_assessments" / "Vendor assessments",
        Disposals = "disposals" / "Disposals",
        PolicyApprovals = "policy_approvals" / "Policy approvals",
        Changes = "changes" / "Changes (each one approved)",
        Leavers = "leavers" / "Leavers (each one deprovisioned)",
        NewHires = "new_hires" / "New hires (each one trained)",
        Incidents = "incidents" / "Incidents (each one reviewed)",
    }
);

impl OccurrenceSource {
    /// A population: each event is judged, rather than one occurrence per period.
    pub fn is_population(self) -> bool {
        matches!(self, Self::Changes | Self::Leavers | Self::NewHires | Self::Incidents)
    }

    /// The source's records are themselves the evidence (a completion, an approval, a held
    /// exercise with its report, a frozen assessment); the others need a file or a reference.
    pub fn self_evidenced(self) -> bool {
        matches!(self, Self::Training | Self::Exercises | Self::RiskAssessments | Self::PolicyApprovals)
    }

    /// Where a dated source's occurrences are stored, as the readiness checks count them today:
    /// the table (read as `x`), the occurrence's date column, and what else a row needs to count
    /// (not withdrawn; a review or exercise not archived). Populations have none.
    pub fn stored(self) -> Option<(&'static str, &'static str, &'static str)> {
        use OccurrenceSource::*;
        Some(match self {
            AccessReviews => ("access_reviews", "performed_on", "x.withdrawn_at IS NULL AND x.archived_at IS NULL"),
            LogReviews => ("log_reviews", "performed_on", "x.withdrawn_at IS NULL"),
            Disposals => ("disposals", "performed_on", "x.withdrawn_at IS NULL"),
            VendorAssessments => ("vendor_assessments", "performed_on", "x.withdrawn_at IS NULL"),
            Training => ("training_completions", "completed_on", "x.withdrawn_at IS NULL"),
            Exercises => ("exercises", "held_on", "x.status = 'completed' AND x.archived_at IS NULL"),
            RiskAssessments => ("risk_assessments", "performed_on", "1"),
            PolicyApprovals => ("policy_approvals", "approved_on", "1"),
            Changes | Leavers | NewHires | Incidents => return None,
        })
    }
}

string_enum!(
    /// The lists auditors sample from, as the binder writes them (populations/<name>.csv).
    Population {
        NewHires = "new_hires" / "New hires",
        Leavers = "leavers" / "Leavers",
        Changes = "changes" / "Changes",
        Incidents = "incidents" / "Incidents",
        AccessReviews = "access_reviews" / "Access reviews",
        TrainingCompletions = "training_completions" / "Training completions",
        PolicyApprovals = "policy_approvals" / "Policy approvals",
        PolicyAcknowledgements = "policy_acknowledgements" / "Policy acknowledgements",
        Vendors = "vendors" / "Vendors",
        Systems = "systems" / "Systems",
    }
);

impl Population {
    /// The register whose file it is cut from, and the date column that puts a row in a
    /// range (none: the register as it stands).
    pub fn source(self) -> (Register, Option<&'static str>) {
        match self {
            Self::NewHires => (Register::People, Some("start_date")),
            Self::Leavers => (Register::People, Some("end_date")),
            Self::Changes => (Register::Changes, Some("deployed_at")),
            Self::Incidents => (Register::Incidents, Some("detected_at")),
            Self::AccessReviews => (Register::AccessReviews, Some("performed_on")),
            Self::TrainingCompletions => (Register::Training, Some("completed_on")),
            Self::PolicyApprovals => (Register::Approvals, Some("approved_on")),
            Self::PolicyAcknowledgements => (Register::Acknowledgements, Some("acknowledged_on")),
            Self::Vendors => (Register::Vendors, None),
            Self::Systems => (Register::Systems, None),
        }
    }

    /// Its file in a binder.
    pub fn path(self) -> String {
        format!("populations/{}.csv", self.as_str())
    }
}

/// How far a register goes with CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvSupport {
    /// Exported and imported (all or nothing, see `io::csv_import`).
    ImportExport,
    /// Exported only, with the reason an import is refused.
    ExportOnly(&'static str),
    /// Neither.
    None,
}

impl Register {
    /// The table that holds one row per record.
    pub fn table(self) -> &'static str {
        match self {
            Register::People => "people",
            Register::Controls => "controls",
            Register::Policies => "policies",
            Register::Actions => "actions",
            Register::Risks => "risks",
            Register::Vendors => "vendors",
            Register::Systems => "systems",
            Register::Retention => "data_types",
            Register::AccessReviews => "access_reviews",
            Register::Courses => "courses",
            Register::Training => "training_completions",
            Register::Leavers => "deprovisioning",
            Register::Changes => "changes",
            Register::Incidents => "incidents",
            Register::IncidentTimeline => "incident_timeline",
            Register::Exercises => "exercises",
            Register::Criteria => "criteria",
            Register::Activities => "control_activities",
            Register::LogReviews => "log_reviews",
            Register::Disposals => "disposals",
            Register::VendorAssessments => "vendor_assessments",
            Register::Acknowledgements => "policy_acknowledgements",
            Register::Approvals => "policy_approvals",
            Register::Soc2Reports => "soc2_reports",
            Register::RiskAssessments => "risk_assessments",
            Register::Requests => "audit_requests",
        }
    }

    /// The register whose screen shows this register's records (dated records are kept on
    /// the record they belong to: a control's activities on the control).
    pub fn shown_in(self) -> Register {
        match self {
            Register::Activities => Register::Controls,
            Register::LogReviews => Register::Systems,
            Register::Disposals => Register::Retention,
            Register::VendorAssessments | Register::Soc2Reports => Register::Vendors,
            Register::Acknowledgements | Register::Approvals => Register::Policies,
            Register::RiskAssessments => Register::Risks,
            Register::IncidentTimeline => Register::Incidents,
            other => other,
        }
    }

    /// One record of the register, in words ("person", "data type").
    pub fn record_name(self) -> &'static str {
        match self {
            Register::People => "person",
            Register::Controls => "control",
            Register::Policies => "policy",
            Register::Actions => "action",
            Register::Risks => "risk",
            Register::Vendors => "vendor",
            Register::Systems => "system",
            Register::Retention => "data type",
            Register::AccessReviews => "access review",
            Register::Courses => "course",
            Register::Training => "training completion",
            Register::Leavers => "deprovisioning record",
            Register::Changes => "change",
            Register::Incidents => "incident",
            Register::IncidentTimeline => "incident timeline entry",
            Register::Exercises => "exercise",
            Register::Criteria => "criterion",
            Register::Activities => "control activity",
            Register::LogReviews => "log review",
            Register::Disposals => "disposal",
            Register::VendorAssessments => "vendor assessment",
            Register::Acknowledgements => "policy acknowledgement",
            Register::Approvals => "policy approval",
            Register::Soc2Reports => "SOC 2 report",
            Register::RiskAssessments => "risk assessment",
            Register::Requests => "request",
        }
    }

    /// The key its records' change history is stored under, for registers that keep one
    /// (training completions are historied on their course, deprovisioning on the person).
    pub fn history_key(self) -> Option<&'static str> {
        match self {
            Register::People => Some("person"),
            Register::Controls => Some("control"),
            Register::Policies => Some("policy"),
            Register::Actions => Some("action"),
            Register::Risks => Some("risk"),
            Register::Vendors => Some("vendor"),
            Register::Systems => Some("system"),
            Register::Retention => Some("data_type"),
            Register::AccessReviews => Some("access_review"),
            Register::Courses => Some("course"),
            Register::Changes => Some("change"),
            Register::Incidents => Some("incident"),
            Register::Exercises => Some("exercise"),
            Register::Requests => Some("request"),
            // Historied on the record they belong to (a course, a person, a control…).
            Register::Training
            | Register::Leavers
            | Register::Criteria
            | Register::Activities
            | Register::LogReviews
            | Register::Disposals
            | Register::VendorAssessments
            | Register::Acknowledgements
            | Register::Approvals
            | Register::Soc2Reports
            | Register::RiskAssessments
            | Register::IncidentTimeline => None,
        }
    }

    /// The column naming the person who answers for a record (its owner; a change's author,
    /// an exercise's facilitator), for registers whose records have one.
    pub fn owner_column(self) -> Option<&'static str> {
        match self {
            Register::Policies | Register::Systems | Register::Risks | Register::Vendors | Register::Controls => {
                Some("owner_id")
            }
            Register::Actions | Register::Requests => Some("owner_id"),
            Register::Changes => Some("author_id"),
            Register::Exercises => Some("facilitator_id"),
            _ => None,
        }
    }

    /// What the register does with CSV files.
    pub fn csv(self) -> CsvSupport {
        match self {
            // Timeline entries travel in the archive, with their incident.
            Register::Criteria | Register::IncidentTimeline => CsvSupport::None,
            _ => CsvSupport::ImportExport,
        }
    }

    /// The registers with a CSV file, in the order the CLI lists them.
    pub fn with_csv() -> impl Iterator<Item = Register> {
        Self::ALL.iter().copied().filter(|r| r.csv() != CsvSupport::None)
    }
}

string_enum!(
    /// How much a system or a vendor matters to the audit.
    Criticality {
        Critical = "critical" / "Critical",
        High = "high" / "High",
        Medium = "medium" / "Medium",
        Low = "low" / "Low",
    }
);

impl Criticality {
    /// Critical and high vendors must be assessed and hold a current SOC 2 report (check 10).
    pub fn is_key(self) -> bool {
        matches!(self, Criticality::Critical | Criticality::High)
    }
}

/// A person a record points at (owner, approver, reviewer), with the name to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PersonRef {
    pub id: i64,
    pub name: String,
}

/// Any other record a record points at by name (a system, a data type, a course).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct NamedRef {
    pub id: i64,
    pub name: String,
}

/// A record of any register, as a finding, an obligation or an action's source names it;
/// `kind` is none when the finding is about the workspace as a whole (nothing to point at).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RecordRef {
    pub kind: Option<Register>,
    pub id: Option<i64>,
    pub reference: String,
    pub title: String,
}

impl RecordRef {
    pub fn new(kind: Register, id: i64, reference: impl Into<String>, title: impl Into<String>) -> Self {
        Self { kind: Some(kind), id: Some(id), reference: reference.into(), title: title.into() }
    }

    /// The record as people name it: its reference and title ("AC-01 Access review"), or
    /// whichever of the two it has.
    pub fn name(&self) -> String {
        match (self.reference.is_empty(), self.title.is_empty()) {
            (false, false) if self.reference != self.title => format!("{} {}", self.reference, self.title),
            (false, _) => self.reference.clone(),
            _ => self.title.clone(),
        }
    }

    /// A record known by its reference only (a criterion: "CC6.1").
    pub fn by_reference(kind: Register, reference: impl Into<String>, title: impl Into<String>) -> Self {
        Self { kind: Some(kind), id: None, reference: reference.into(), title: title.into() }
    }

    /// The workspace as a whole, when there is no record to point at yet.
    pub fn workspace(what: &str) -> Self {
        Self { kind: None, id: None, reference: String::new(), title: what.into() }
    }
}

/// Which records a list keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AttentionFilter {
    /// Failing a check now.
    Overdue,
    /// Failing now or falling due soon.
    NeedsAttention,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_register_has_a_table_and_the_historied_ones_a_key() {
        let mut tables = std::collections::HashSet::new();
        for r in Register::ALL {
            assert!(tables.insert(r.table()), "{r:?} shares a table");
            assert_eq!(Register::parse_cell(r.label()), Some(*r));
        }
        assert_eq!(Register::parse_cell("access-reviews"), Some(Register::AccessReviews));
        let historied: Vec<_> = Register::ALL.iter().filter_map(|r| r.history_key()).collect();
        assert_eq!(historied.len(), 14);
        assert_eq!(Register::with_csv().count(), 24);
    }
}
