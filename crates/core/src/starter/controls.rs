//! The starter control library: controls a 10-200 person SaaS company typically runs, each
//! mapped to the Trust Services Criteria it supports. Every CC criterion is covered
//! (a test checks), and the optional categories where a small company sensibly would.

use crate::refs::Cadence::{self, Annual, Continuous, Monthly, PerEvent, Quarterly};

pub struct StarterControl {
    pub reference: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub cadence: Cadence,
    pub criteria: &'static [&'static str],
}

const fn c(
    reference: &'static str,
    title: &'static str,
    description: &'static str,
    cadence: Cadence,
    criteria: &'static [&'static str],
) -> StarterControl {
    StarterControl { reference, title, description, cadence, criteria }
}

#[rustfmt::skip]
pub static STARTER_CONTROLS: &[StarterControl] = &[
    // Governance and people
    c("GOV-01", "Code of conduct", "Everyone accepts the code of conduct when they join and again each year; breaches are handled through the disciplinary process.", Annual, &["CC1.1"]),
    c("GOV-02", "Leadership oversight of security", "Leadership (or the board) reviews the security programme, its risks and open findings at least once a year, and the review is minuted.", Annual, &["CC1.2", "CC4.2"]),
    c("GOV-03", "Security roles and reporting lines", "An up-to-date org chart exists and a named person is accountable for security, with the authority and time to do the job.", Annual, &["CC1.3"]),
    c("GOV-04", "Security duties in job descriptions", "Roles with security responsibilities say so in their job description, and performance reviews consider them.", Annual, &["CC1.3", "CC1.5"]),
    c("GOV-05", "Independent oversight of security", "A board member or outside adviser who is independent of management, and knows enough about security to challenge it, receives the security report each quarter, meets the security lead without other managers present, and has their questions and decisions minuted.", Quarterly, &["CC1.2", "CC2.2"]),
    c("HR-01", "Background checks", "New hires are background-checked before they start, as far as local law allows.", PerEvent, &["CC1.4"]),
    c("HR-02", "Confidentiality agreements", "Employees and contractors sign a confidentiality agreement before they get access to company or customer data.", PerEvent, &["CC1.1", "C1.1"]),
    c("HR-03", "Security awareness training", "Everyone completes security awareness training within a week of starting and then every year; completion is recorded.", Annual, &["CC1.4", "CC2.2"]),
    c("HR-04", "Disciplinary process", "A documented disciplinary process applies to violations of security policies, and people know it exists.", Annual, &["CC1.5"]),
    c("HR-05", "Leaver offboarding", "When someone leaves, their access to every system is removed within one business day and company devices are returned; the offboarding checklist is kept.", PerEvent, &["CC6.2", "CC6.3"]),
    // Policies and communication
    c("POL-01", "Security policies approved and reviewed", "The set of security policies is approved by leadership and reviewed at least every year.", Annual, &["CC5.3", "CC1.1", "CC2.2"]),
    c("POL-02", "Policies published and acknowledged", "Policies are published where staff can find them, and staff acknowledge the ones that apply to them.", Annual, &["CC2.2", "CC5.3"]),
    c("COM-01", "Commitments to customers", "Security, availability and confidentiality commitments are written into customer terms and a public security page, and kept current.", Annual, &["CC2.3"]),
    c("COM-02", "Security contact for outsiders", "Customers and researchers can report security issues through a published address, and reports are answered.", Continuous, &["CC2.3", "CC7.3"]),
    c("COM-03", "Internal reporting of concerns", "Staff can raise security or ethics concerns, anonymously if they wish, without fear of retaliation.", Continuous, &["CC2.2", "CC1.1"]),
    c("COM-04", "System description and data flows", "An architecture diagram and data-flow description of the product are kept current and used in risk and change decisions.", Annual, &["CC2.1", "PI1.1"]),
    c("COM-05", "Reliable information for controls", "The reports and data that controls rely on (user lists, scan results, vendor and asset lists, log sources) are listed with their source system and owner; each is exported from its source with its date and checked for completeness before use, and the list is reviewed every year.", Annual, &["CC2.1"]),
    // Risk
    c("RSK-01", "Annual risk assessment", "Once a year, and after major changes, the company identifies and scores risks to its objectives and decides how to treat each.", Annual, &["CC3.1", "CC3.2", "CC3.4"]),
    c("RSK-02", "Risk register reviewed", "The risk register, with an owner and treatment for every risk, is reviewed every quarter.", Quarterly, &["CC3.2", "CC9.1"]),
    c("RSK-03", "Fraud risk", "The risk assessment explicitly covers fraud: payment fraud, misuse of access, manipulated records and incentives to cheat.", Annual, &["CC3.3"]),
    c("RSK-04", "Assessing significant change", "New products, acquisitions, new vendors for core services and changes in key staff are assessed for new risks before they happen.", PerEvent, &["CC3.4"]),
    c("RSK-05", "Security objectives", "Measurable security objectives are set each year and progress is reported to leadership.", Annual, &["CC3.1"]),
    c("RSK-06", "Anti-fraud checks in finance", "New payees and changes to supplier or payroll bank details are confirmed by a call-back to a known number and approved by a second person; each month someone other than the preparer reviews the bank reconciliation and the list of bank-detail changes.", Monthly, &["CC3.3", "CC5.1"]),
    // Monitoring
    c("MON-01", "Control self-assessment", "Each quarter control owners confirm their controls operated and attach evidence; gaps become remediation actions.", Quarterly, &["CC4.1"]),
    c("MON-02", "Independent penetration test", "An independent firm tests the product and infrastructure every year; findings are tracked to closure.", Annual, &["CC4.1", "CC7.1"]),
    c("MON-03", "Tracking deficiencies to closure", "Control gaps and audit findings are logged as actions with an owner and due date, and reported to leadership until closed.", Continuous, &["CC4.2"]),
    // Control design
    c("CA-01", "Control set mapped to risks", "The control list is mapped to risks and criteria and reviewed yearly, so each significant risk has controls that address it.", Annual, &["CC5.1"]),
    c("CA-02", "Technology baselines", "Standard hardened configurations for cloud accounts, servers and laptops are defined and applied automatically where possible.", Annual, &["CC5.2", "CC7.1"]),
    c("CA-03", "Segregation of duties", "A matrix lists the duties that must not sit with one person (writing and approving a change, requesting and granting access, adding and paying a vendor); where the team is too small to separate them, a compensating review is named and performed. The matrix is reviewed every year.", Annual, &["CC5.1", "CC6.3"]),
    // Access
    c("AC-01", "Unique accounts, no sharing", "Everyone has their own account on every system; shared accounts are not used, or are documented with a reason and an owner.", Continuous, &["CC6.1", "CC6.2"]),
    c("AC-02", "Multi-factor authentication", "MFA is enforced on the identity provider, cloud consoles, code hosting and every other critical system.", Continuous, &["CC6.1", "CC6.6"]),
    c("AC-03", "Role-based least privilege", "Access is granted by role, limited to what the job needs, and incompatible duties are separated.", Continuous, &["CC6.3", "CC6.1"]),
    c("AC-04", "Approved access requests", "Access to systems holding customer data is requested and approved before it is granted, and the approval is kept.", PerEvent, &["CC6.2"]),
    c("AC-05", "Quarterly access reviews", "Each quarter the owner of every critical system reviews who has access and removes what is no longer needed.", Quarterly, &["CC6.2", "CC6.3"]),
    c("AC-06", "Privileged access", "Administrator rights are held by few people, used only when needed and logged.", Quarterly, &["CC6.1", "CC6.3"]),
    c("AC-07", "Password manager and standard", "Staff use the company password manager; passwords meet the password standard and are never reused or shared in chat.", Continuous, &["CC6.1"]),
    c("AC-08", "Controlled production access", "Production is reached only through an approved, logged path (SSO, bastion or just-in-time access).", Continuous, &["CC6.1", "CC6.6"]),
    c("AC-09", "Service accounts and API keys", "Machine credentials are inventoried, owned, scoped to what they need and rotated.", Quarterly, &["CC6.1", "CC6.2"]),
    // Physical and assets
    c("PHY-01", "Office access", "Offices are locked and visitors are signed in and escorted; no customer data is kept on office premises.", Annual, &["CC6.4"]),
    c("PHY-02", "Data centre security inherited", "Physical security of hosting is inherited from the cloud provider, whose SOC 2 report is reviewed every year.", Annual, &["CC6.4", "CC9.2"]),
    c("AST-01", "Asset inventory", "Laptops, servers and cloud resources are kept in an inventory with an owner.", Quarterly, &["CC6.1", "CC3.2"]),
    c("AST-02", "Secure disposal", "Devices and media are wiped or destroyed before disposal or reuse, with a record or certificate.", PerEvent, &["CC6.5", "C1.2"]),
    // Endpoints, network and encryption
    c("END-01", "Managed, encrypted laptops", "Laptops are enrolled in device management with full-disk encryption, screen lock and a firewall enforced.", Continuous, &["CC6.7", "CC6.8"]),
    c("END-02", "Malware protection", "Endpoint protection runs on every laptop and server that supports it, and its alerts are watched.", Continuous, &["CC6.8"]),
    c("END-03", "Operating system updates", "Operating system and browser updates are enforced within a set time on all company devices.", Monthly, &["CC6.8", "CC7.1"]),
    c("NET-01", "Network boundaries", "Firewalls and security groups allow only the traffic needed; rules are reviewed quarterly.", Quarterly, &["CC6.6"]),
    c("NET-02", "Encryption in transit", "All external and internal service traffic uses TLS 1.2 or newer; certificates are renewed automatically and monitored.", Continuous, &["CC6.7", "CC6.1"]),
    c("NET-03", "Edge protection", "Public endpoints sit behind a web application firewall and DDoS protection.", Continuous, &["CC6.6", "A1.1"]),
    c("ENC-01", "Encryption at rest", "Databases, storage buckets and backups holding customer data are encrypted at rest.", Continuous, &["CC6.1", "CC6.7", "C1.1"]),
    c("ENC-02", "Key management", "Encryption keys live in a managed key service, access to them is restricted, and keys are rotated on schedule.", Annual, &["CC6.1"]),
    c("ENC-03", "Secrets management", "Secrets are kept in a secrets manager, never in source code; repositories are scanned for leaked secrets.", Continuous, &["CC6.1"]),
    c("DLP-01", "Limits on data export", "Bulk export of customer data and use of removable media are restricted to approved people and logged.", Continuous, &["CC6.7", "C1.1"]),
    // Operations
    c("VUL-01", "Vulnerability scanning", "Infrastructure, container images and dependencies are scanned for known vulnerabilities at least monthly.", Monthly, &["CC7.1"]),
    c("VUL-02", "Patching within deadlines", "Vulnerabilities are fixed within deadlines set by severity; exceptions are approved and tracked.", Monthly, &["CC7.1"]),
    c("VUL-03", "Configuration drift detection", "Cloud configuration is checked continuously against the baseline and drift raises an alert.", Continuous, &["CC7.1", "CC5.2"]),
    c("LOG-01", "Central logging", "Security-relevant logs from production, the identity provider and cloud accounts go to one central place.", Continuous, &["CC7.2"]),
    c("LOG-02", "Security alerting", "Alerts for suspicious activity reach an on-call person who acknowledges and triages them.", Continuous, &["CC7.2", "CC7.3"]),
    c("LOG-03", "Log review", "Someone reviews security logs and alerts each month and records what they found.", Monthly, &["CC7.2", "CC4.1"]),
    c("LOG-04", "Log retention and integrity", "Logs are kept for at least a year and protected from change or deletion.", Continuous, &["CC7.2"]),
    // Incident response
    c("IR-01", "Incident response plan", "An incident response plan with roles, severities and contacts is approved and reviewed every year.", Annual, &["CC7.3", "CC7.4"]),
    c("IR-02", "Triage of security events", "Security events are triaged against the severity definitions, and incidents are declared when the criteria are met.", PerEvent, &["CC7.3"]),
    c("IR-03", "Incident records", "Every incident is recorded with a timeline, root cause, lessons learned and follow-up actions, and tracked to closure.", PerEvent, &["CC7.4", "CC7.5"]),
    c("IR-04", "Tabletop exercise", "The response team rehearses the plan with a tabletop exercise at least once a year and acts on the improvement items.", Annual, &["CC7.4", "CC7.5"]),
    c("IR-05", "Breach notification", "Customers, regulators and insurers are notified of breaches within the legal and contractual deadlines.", PerEvent, &["CC7.4", "CC2.3", "P6.6"]),
    c("IR-06", "Recovery after incidents", "After an incident, systems are restored from known-good state and verified before normal service resumes.", PerEvent, &["CC7.5"]),
    // Change management
    c("CHG-01", "Version control and peer review", "All code and infrastructure changes go through version control and a pull request reviewed by someone else.", PerEvent, &["CC8.1"]),
    c("CHG-02", "Approval before production", "A change reaches production only after someone other than its author approves it.", PerEvent, &["CC8.1"]),
    c("CHG-03", "Automated tests before deploy", "Automated tests and checks run on every change and must pass before it can be deployed.", PerEvent, &["CC8.1"]),
    c("CHG-04", "Emergency changes", "Emergency changes are documented and approved after the fact within one business day.", PerEvent, &["CC8.1"]),
    c("CHG-05", "Separate environments", "Development, testing and production are separate, and production data is not copied to lower environments.", Continuous, &["CC8.1", "CC5.2", "C1.1"]),
    // Continuity and availability
    c("BCP-01", "Continuity and recovery plan", "A business continuity and disaster recovery plan sets recovery objectives and is approved every year.", Annual, &["CC9.1", "A1.2"]),
    c("BCP-02", "Backups", "Production data is backed up daily, encrypted and kept in a separate location; failed backups raise an alert.", Continuous, &["A1.2", "CC9.1"]),
    c("BCP-03", "Restore test", "A restore from backup is tested every quarter and the result recorded.", Quarterly, &["A1.3"]),
    c("BCP-04", "Disaster recovery test", "Failover or full recovery is tested every year against the recovery objectives.", Annual, &["A1.3", "CC9.1"]),
    c("BCP-05", "Insurance", "Cyber insurance cover is reviewed every year against the risk register.", Annual, &["CC9.1"]),
    c("AVL-01", "Capacity monitoring", "Usage and capacity are monitored with alerts, and capacity is planned ahead of growth.", Continuous, &["A1.1"]),
    c("AVL-02", "Redundant infrastructure", "Production runs across more than one availability zone, without single points of failure in critical paths.", Continuous, &["A1.2"]),
    // Vendors
    c("VEN-01", "Vendor inventory", "Vendors are inventoried with their service, criticality and the data they can reach.", Quarterly, &["CC9.2"]),
    c("VEN-02", "Vendor assessments", "Critical and high vendors are assessed every year, including a review of their SOC 2 report.", Annual, &["CC9.2"]),
    c("VEN-03", "Vendor contract clauses", "Contracts with vendors that touch our data include security, confidentiality and breach-notice clauses.", PerEvent, &["CC9.2", "P6.4", "P6.5"]),
    c("VEN-04", "User entity controls of vendors", "The complementary user entity controls named in vendors' SOC 2 reports are mapped to our controls and in place.", Annual, &["CC9.2"]),
    // Data
    c("DAT-01", "Data classification", "Data is classified by sensitivity and handled according to its class.", Annual, &["C1.1"]),
    c("DAT-02", "Retention and disposal schedule", "Each data type has a retention period; data past it is disposed of on schedule and the disposal recorded.", Quarterly, &["C1.2", "CC6.5", "P4.2", "P4.3"]),
    c("DAT-03", "Deletion at contract end", "Customer data is deleted within the agreed time after a contract ends, and the customer is told.", PerEvent, &["C1.2", "P4.3"]),
    // Processing integrity
    c("PI-01", "Product specifications", "Data definitions and processing specifications are documented and kept with the code.", Annual, &["PI1.1"]),
    c("PI-02", "Input validation", "The application validates inputs and rejects incomplete or malformed data with a clear error.", Continuous, &["PI1.2"]),
    c("PI-03", "Processing monitoring", "Jobs and pipelines are monitored; failures and backlogs alert the on-call engineer.", Continuous, &["PI1.3", "PI1.4"]),
    c("PI-04", "Output and storage reconciliation", "Outputs and stored data are reconciled against inputs to catch loss or corruption.", Monthly, &["PI1.4", "PI1.5"]),
    // Privacy
    c("PRV-01", "Privacy notice", "A privacy notice explains what personal data is collected, why, and the choices people have; it is reviewed every year.", Annual, &["P1.1", "P2.1"]),
    c("PRV-02", "Consent records", "Where consent is the basis for processing it is obtained explicitly and recorded, and can be withdrawn.", Continuous, &["P2.1", "P3.2"]),
    c("PRV-03", "Data subject requests", "Requests to access, correct or delete personal data are verified and answered within the legal deadline.", PerEvent, &["P5.1", "P5.2"]),
    c("PRV-04", "Personal data inventory", "A record of what personal data is processed, for which purpose and where, is kept current; collection beyond the purpose is refused.", Annual, &["P3.1", "P4.1", "P7.1"]),
    c("PRV-05", "Disclosures and subprocessors", "Disclosures to third parties are recorded and the subprocessor list is published and kept current.", Quarterly, &["P6.1", "P6.2", "P6.7"]),
    c("PRV-06", "Unauthorised disclosures and complaints", "Unauthorised disclosures are logged, and privacy complaints are handled and their outcome recorded.", PerEvent, &["P6.3", "P8.1"]),
];

/// The registers whose records are occurrences of a starter control (by reference). The same
/// links are made for existing workspaces by migration 13.
pub static STARTER_SOURCES: &[(&str, &[crate::refs::OccurrenceSource])] = {
    use crate::refs::OccurrenceSource::*;
    &[
        ("AC-05", &[AccessReviews]),
        ("LOG-03", &[LogReviews]),
        ("HR-03", &[Training]),
        ("HR-05", &[Leavers]),
        ("POL-01", &[PolicyApprovals]),
        ("RSK-01", &[RiskAssessments]),
        ("RSK-02", &[RiskAssessments]),
        ("IR-03", &[Incidents]),
        ("IR-04", &[Exercises]),
        ("CHG-01", &[Changes]),
        ("CHG-02", &[Changes]),
        ("CHG-03", &[Changes]),
        ("CHG-04", &[Changes]),
        ("VEN-02", &[VendorAssessments]),
        ("DAT-02", &[Disposals]),
    ]
};

/// The sources a starter control reference comes with.
pub fn sources_of(reference: &str) -> Vec<crate::refs::OccurrenceSource> {
    STARTER_SOURCES.iter().find(|(r, _)| *r == reference).map(|(_, s)| s.to_vec()).unwrap_or_default()
}

/// How an auditor tests a starter control and what to keep for it: guidance from the library
/// (`control_guides.toml`), shown beside the control.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ControlGuide {
    /// The key of the role that usually owns it (see `policy_texts::ROLES`).
    pub role: String,
    /// That role's title ("Security Lead").
    #[serde(default)]
    pub role_title: String,
    /// The procedures an auditor would use, and the sample size by cadence.
    pub test: String,
    /// What to keep each period so the control can be tested.
    pub evidence: String,
}

static GUIDES: std::sync::LazyLock<std::collections::HashMap<String, ControlGuide>> =
    std::sync::LazyLock::new(|| toml::from_str(include_str!("control_guides.toml")).unwrap_or_default());

/// The library's guidance for a starter control reference (none for the user's own controls).
pub fn guide(reference: &str) -> Option<ControlGuide> {
    let mut g = GUIDES.get(reference.trim()).cloned()?;
    g.role_title = super::policy_texts::ROLES.iter().find(|(k, _)| *k == g.role).map_or("", |(_, t)| t).to_owned();
    Some(g)
}
