//! Vendors: who we depend on, how critical they are, when we last assessed them, and the SOC 2
//! reports they gave us (with the worksheet an auditor expects: opinion, exceptions,
//! subservice organisations, complementary user entity controls, bridge letter).

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::csv_import::{Applied, Cells};
use crate::error::{Error, Result};
use crate::evidence::{self, Evidence};
use crate::history::{self, Diff, HistoryAction, HistoryEntry};
use crate::occurrences::{record_with_evidence, written, EvidenceFile, OccurrenceKind};
use crate::record::{self, Editable};
use crate::refs::PersonRef;
use crate::refs::Register;
use crate::settings::{self, VendorIntervals};
use crate::validate::{parse_date, Validator};

pub use crate::refs::Criticality;

string_enum!(
    DataAccess {
        CustomerData = "customer_data" / "Customer data",
        PersonalData = "personal_data" / "Personal data",
        InternalOnly = "internal_only" / "Internal data only",
        NoData = "none" / "No data",
    }
);

string_enum!(
    VendorStatus {
        Prospective = "prospective" / "Prospective",
        Active = "active" / "Active",
        Offboarded = "offboarded" / "Offboarded",
    }
);

string_enum!(
    AssessmentMethod {
        Soc2Review = "soc2_review" / "SOC 2 report review",
        Questionnaire = "questionnaire" / "Questionnaire",
        Other = "other" / "Other",
    }
);

string_enum!(
    AssessmentOutcome {
        Approved = "approved" / "Approved",
        ApprovedWithConditions = "approved_with_conditions" / "Approved with conditions",
        Rejected = "rejected" / "Rejected",
    }
);

string_enum!(
    ReportType {
        Type1 = "type1" / "Type I",
        Type2 = "type2" / "Type II",
    }
);

string_enum!(
    Opinion {
        Unqualified = "unqualified" / "Unqualified",
        Qualified = "qualified" / "Qualified",
        Adverse = "adverse" / "Adverse",
        Disclaimer = "disclaimer" / "Disclaimer",
    }
);

string_enum!(
    SubserviceMethod {
        CarveOut = "carve_out" / "Carve-out",
        Inclusive = "inclusive" / "Inclusive",
    }
);

string_enum!(
    /// Whether the vendor's SOC 2 coverage holds on the as-of date.
    ReportStatus {
        /// The latest report's period ended within 12 months, or a bridge letter covers the gap.
        Current = "current" / "Current",
        /// The latest report is too old and no bridge letter covers to within 3 months.
        Stale = "stale" / "Stale",
        /// A critical or high vendor without any report.
        Missing = "missing" / "Missing",
        /// Medium or low vendors (or offboarded ones) need no report.
        NotRequired = "not_required" / "Not required",
    }
);

/// Dates this close ahead are "due soon".
pub const DUE_SOON_DAYS: u64 = 30;

/// How long a SOC 2 report counts (check settings): for `max_age_months` after its period
/// ends, and a bridge letter extends that by at most `bridge_max_months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportRules {
    pub max_age_months: u32,
    pub bridge_max_months: u32,
}

impl ReportRules {
    pub fn of(s: &crate::settings::CheckSettings) -> Self {
        Self { max_age_months: s.soc2_report_max_age_months, bridge_max_months: s.bridge_letter_max_months }
    }
}

impl Default for ReportRules {
    fn default() -> Self {
        Self::of(&crate::settings::CheckSettings::default())
    }
}

/// When a report's coverage ends: its set life after the period end, extended by a bridge
/// letter up to the date the letter covers, but never by more than the set cap (a letter that
/// claims two years is not two years of assurance; the next report is).
pub fn coverage_until(period_end: NaiveDate, bridge_covers_until: Option<NaiveDate>, rules: ReportRules) -> NaiveDate {
    let by_report = period_end.checked_add_months(Months::new(rules.max_age_months)).unwrap_or(NaiveDate::MAX);
    let cap = by_report.checked_add_months(Months::new(rules.bridge_max_months)).unwrap_or(NaiveDate::MAX);
    let by_bridge = bridge_covers_until.map_or(NaiveDate::MIN, |d| d.min(cap));
    by_report.max(by_bridge)
}

/// The report status of a vendor on `as_of`, from its latest report's dates (if any).
pub fn report_status(
    criticality: Criticality,
    status: VendorStatus,
    latest: Option<(NaiveDate, Option<NaiveDate>)>,
    as_of: NaiveDate,
    rules: ReportRules,
) -> (ReportStatus, Option<NaiveDate>) {
    if status == VendorStatus::Offboarded {
        return (ReportStatus::NotRequired, None);
    }
    match latest {
        None if criticality.is_key() => (ReportStatus::Missing, None),
        None => (ReportStatus::NotRequired, None),
        Some((end, bridge)) => {
            let until = coverage_until(end, bridge, rules);
            (if as_of <= until { ReportStatus::Current } else { ReportStatus::Stale }, Some(until))
        }
    }
}

string_enum!(
    /// Why a vendor needs attention.
    VendorFlagKind {
        AssessmentOverdue = "assessment_overdue" / "Assessment overdue",
        AssessmentDueSoon = "assessment_due_soon" / "Assessment due soon",
        ReportMissing = "report_missing" / "SOC 2 report missing",
        ReportStale = "report_stale" / "SOC 2 report stale",
        ReportExpiringSoon = "report_expiring_soon" / "SOC 2 coverage ending soon",
        CuecsUnlinked = "cuecs_unlinked" / "User entity controls not covered",
        NoSecurityClause = "no_security_clause" / "No security clause",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct VendorFlag {
    pub kind: VendorFlagKind,
    /// One sentence with the date concerned.
    pub message: String,
    /// Overdue/missing/stale (true) or only coming up (false).
    pub failing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Vendor {
    pub id: i64,
    pub name: String,
    pub service: String,
    pub website: String,
    pub criticality: Criticality,
    pub data_access: DataAccess,
    pub systems: String,
    pub owner: Option<PersonRef>,
    pub status: VendorStatus,
    pub offboarded_on: Option<NaiveDate>,
    pub contract_start: Option<NaiveDate>,
    pub contract_end: Option<NaiveDate>,
    pub security_clause: bool,
    pub breach_clause: bool,
    pub breach_notice_hours: Option<u32>,
    pub dpa_signed: bool,
    /// The later of the recorded assessments and the date typed in (or imported).
    pub last_assessed_on: Option<NaiveDate>,
    /// The date typed in or imported, for the form.
    pub last_assessed_on_entered: Option<NaiveDate>,
    /// None when the vendor needs no periodic assessment (or was never assessed).
    pub next_assessment_due: Option<NaiveDate>,
    pub report_status: ReportStatus,
    /// When the latest report's coverage ends (bridge letter included).
    pub coverage_until: Option<NaiveDate>,
    /// The latest report's unlinked complementary user entity controls.
    pub unlinked_cuecs: u32,
    pub flags: Vec<VendorFlag>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VendorInput {
    pub name: String,
    pub service: String,
    pub website: String,
    pub criticality: Criticality,
    pub data_access: DataAccess,
    pub systems: String,
    pub owner_id: Option<i64>,
    pub status: VendorStatus,
    pub offboarded_on: String,
    pub contract_start: String,
    pub contract_end: String,
    pub security_clause: bool,
    pub breach_clause: bool,
    pub breach_notice_hours: Option<u32>,
    pub dpa_signed: bool,
    pub last_assessed_on: String,
}

impl Default for VendorInput {
    fn default() -> Self {
        Self {
            name: String::new(),
            service: String::new(),
            website: String::new(),
            criticality: Criticality::Medium,
            data_access: DataAccess::NoData,
            systems: String::new(),
            owner_id: None,
            status: VendorStatus::Active,
            offboarded_on: String::new(),
            contract_start: String::new(),
            contract_end: String::new(),
            security_clause: false,
            breach_clause: false,
            breach_notice_hours: None,
            dpa_signed: false,
            last_assessed_on: String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VendorSort {
    #[default]
    Name,
    Criticality,
    NextAssessment,
    Coverage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VendorQuery {
    pub search: String,
    pub criticality: Option<Criticality>,
    pub status: Option<VendorStatus>,
    pub report_status: Option<ReportStatus>,
    /// Only vendors with a failing or upcoming flag.
    pub attention_only: bool,
    pub include_archived: bool,
    pub sort: VendorSort,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for VendorQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            criticality: None,
            status: None,
            report_status: None,
            attention_only: false,
            include_archived: false,
            sort: VendorSort::Name,
            descending: false,
            offset: 0,
            limit: 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct VendorPage {
    pub total: u32,
    /// Critical/high vendors (not archived, not offboarded) with a failing flag.
    pub failing_key_vendors: u32,
    pub rows: Vec<Vendor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct VendorAssessment {
    pub id: i64,
    pub performed_on: NaiveDate,
    pub performed_by: Option<PersonRef>,
    pub method: AssessmentMethod,
    pub outcome: AssessmentOutcome,
    pub notes: String,
    pub evidence: Vec<Evidence>,
    /// Set when it was withdrawn: it is kept, struck through, and counts nowhere.
    pub withdrawn: Option<crate::occurrences::Withdrawal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VendorAssessmentInput {
    pub performed_on: String,
    pub performed_by_id: Option<i64>,
    pub method: AssessmentMethod,
    pub outcome: AssessmentOutcome,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportException {
    pub text: String,
    /// Whether the exception matters to us (affects controls we rely on).
    pub relevant: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Subservice {
    pub name: String,
    pub method: SubserviceMethod,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CuecInput {
    pub text: String,
    pub control_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Cuec {
    pub text: String,
    pub control: Option<CuecControl>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CuecControl {
    pub id: i64,
    pub reference: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Soc2Report {
    pub id: i64,
    pub report_type: ReportType,
    pub period_start: Option<NaiveDate>,
    pub period_end: NaiveDate,
    pub auditor: String,
    pub opinion: Opinion,
    pub bridge_letter_on: Option<NaiveDate>,
    pub bridge_covers_until: Option<NaiveDate>,
    pub notes: String,
    pub coverage_until: NaiveDate,
    pub exceptions: Vec<ReportException>,
    pub subservices: Vec<Subservice>,
    pub cuecs: Vec<Cuec>,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Soc2ReportInput {
    pub report_type: ReportType,
    /// Type II only.
    pub period_start: String,
    /// The period end (Type II) or the report date (Type I).
    pub period_end: String,
    pub auditor: String,
    pub opinion: Opinion,
    pub bridge_letter_on: String,
    pub bridge_covers_until: String,
    pub notes: String,
    pub exceptions: Vec<ReportException>,
    pub subservices: Vec<Subservice>,
    pub cuecs: Vec<CuecInput>,
}

impl Default for Soc2ReportInput {
    fn default() -> Self {
        Self {
            report_type: ReportType::Type2,
            period_start: String::new(),
            period_end: String::new(),
            auditor: String::new(),
            opinion: Opinion::Unqualified,
            bridge_letter_on: String::new(),
            bridge_covers_until: String::new(),
            notes: String::new(),
            exceptions: Vec::new(),
            subservices: Vec::new(),
            cuecs: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct VendorDetail {
    pub vendor: Vendor,
    pub assessments: Vec<VendorAssessment>,
    /// Newest period end first; the first one decides the report status.
    pub reports: Vec<Soc2Report>,
    pub history: Vec<HistoryEntry>,
}

const SELECT: &str = "
    SELECT v.id, v.name, v.service, v.website, v.criticality, v.data_access, v.systems, v.owner_id, p.name,
           v.status, v.offboarded_on, v.contract_start, v.contract_end, v.security_clause, v.breach_clause,
           v.breach_notice_hours, v.dpa_signed, v.last_assessed_on,
           (SELECT max(a.performed_on) FROM vendor_assessments a WHERE a.vendor_id = v.id AND a.withdrawn_at IS NULL),
           lr.period_end, v.archived_at, v.created_at, v.updated_at, lr.bridge_covers_until,
           (SELECT count(*) FROM soc2_cuecs q WHERE q.report_id = lr.id AND q.control_id IS NULL)
    FROM vendors v
    LEFT JOIN people p ON p.id = v.owner_id
    LEFT JOIN soc2_reports lr ON lr.id =
        (SELECT r.id FROM soc2_reports r WHERE r.vendor_id = v.id ORDER BY r.period_end DESC, r.id DESC LIMIT 1)";

fn date(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(parse_date))
}

fn bad(id: i64, what: &str, v: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("vendor {id} holds {what} {v:?}, which we never write").into(),
    )
}

/// A vendor row before its derived fields are worked out.
struct Raw {
    vendor: Vendor,
    /// The latest report's period end and bridge letter cover date.
    latest_report: Option<(NaiveDate, Option<NaiveDate>)>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Raw> {
    let id: i64 = r.get(0)?;
    let text = |i: usize| r.get::<_, String>(i);
    let criticality = text(4)?;
    let data_access = text(5)?;
    let status = text(9)?;
    let entered = date(r, 17)?;
    let recorded = date(r, 18)?;
    Ok(Raw {
        vendor: Vendor {
            id,
            name: text(1)?,
            service: text(2)?,
            website: text(3)?,
            criticality: Criticality::parse(&criticality).ok_or_else(|| bad(id, "criticality", &criticality))?,
            data_access: DataAccess::parse(&data_access).ok_or_else(|| bad(id, "data access", &data_access))?,
            systems: text(6)?,
            owner: r
                .get::<_, Option<i64>>(7)?
                .zip(r.get::<_, Option<String>>(8)?)
                .map(|(id, name)| PersonRef { id, name }),
            status: VendorStatus::parse(&status).ok_or_else(|| bad(id, "status", &status))?,
            offboarded_on: date(r, 10)?,
            contract_start: date(r, 11)?,
            contract_end: date(r, 12)?,
            security_clause: r.get(13)?,
            breach_clause: r.get(14)?,
            breach_notice_hours: r.get(15)?,
            dpa_signed: r.get(16)?,
            last_assessed_on: entered.max(recorded),
            last_assessed_on_entered: entered,
            next_assessment_due: None,
            report_status: ReportStatus::NotRequired,
            coverage_until: None,
            unlinked_cuecs: r.get(24)?,
            flags: Vec::new(),
            archived: r.get::<_, Option<String>>(20)?.is_some(),
            created_at: text(21)?,
            updated_at: text(22)?,
        },
        latest_report: date(r, 19)?.map(|end| date(r, 23).map(|bridge| (end, bridge))).transpose()?,
    })
}

/// Works out due dates, report status and flags on `as_of`.
fn derive(raw: Raw, intervals: &VendorIntervals, rules: ReportRules, as_of: NaiveDate) -> Vendor {
    let mut v = raw.vendor;
    let soon = as_of.checked_add_days(Days::new(DUE_SOON_DAYS)).unwrap_or(NaiveDate::MAX);
    let live = v.status != VendorStatus::Offboarded && !v.archived;
    let interval = intervals.days_for(v.criticality);
    v.next_assessment_due = match (interval, v.last_assessed_on) {
        (Some(days), Some(last)) => last.checked_add_days(Days::new(u64::from(days))),
        _ => None,
    };
    let (status, until) = report_status(v.criticality, v.status, raw.latest_report, as_of, rules);
    v.report_status = status;
    v.coverage_until = until;
    if !live {
        return v;
    }
    let mut flag =
        |kind: VendorFlagKind, message: String, failing: bool| v.flags.push(VendorFlag { kind, message, failing });
    if interval.is_some() {
        match (v.last_assessed_on, v.next_assessment_due) {
            (None, _) => flag(VendorFlagKind::AssessmentOverdue, "Never assessed.".into(), true),
            (Some(_), Some(due)) if due < as_of => {
                flag(VendorFlagKind::AssessmentOverdue, format!("Assessment was due on {due}."), true)
            }
            (Some(_), Some(due)) if due <= soon => {
                flag(VendorFlagKind::AssessmentDueSoon, format!("Assessment due on {due}."), false)
            }
            _ => {}
        }
    }
    match (status, until) {
        (ReportStatus::Missing, _) => {
            flag(VendorFlagKind::ReportMissing, "No SOC 2 report on file for a critical or high vendor.".into(), true)
        }
        (ReportStatus::Stale, Some(u)) => flag(
            VendorFlagKind::ReportStale,
            format!("SOC 2 coverage ended on {u}; ask for the new report or a bridge letter."),
            true,
        ),
        (ReportStatus::Current, Some(u)) if u <= soon && v.criticality.is_key() => {
            flag(VendorFlagKind::ReportExpiringSoon, format!("SOC 2 coverage ends on {u}."), false)
        }
        _ => {}
    }
    if v.unlinked_cuecs > 0 {
        let n = v.unlinked_cuecs;
        flag(
            VendorFlagKind::CuecsUnlinked,
            format!(
                "{n} complementary user entity control{} not linked to one of our controls.",
                if n == 1 { " is" } else { "s are" }
            ),
            true,
        );
    }
    if v.criticality.is_key() && !v.security_clause {
        flag(VendorFlagKind::NoSecurityClause, "The contract has no security clause.".into(), true);
    }
    v
}

/// Every vendor with its derived fields, unsorted (the readiness checks read them all at once).
pub fn all(conn: &Connection, include_archived: bool, as_of: NaiveDate) -> Result<Vec<Vendor>> {
    let intervals = settings::vendor_intervals(conn)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE (?1 OR v.archived_at IS NULL)"))?;
    let raws = stmt.query_map([include_archived], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    let rules = ReportRules::of(&settings::check_settings(conn)?);
    Ok(raws.into_iter().map(|raw| derive(raw, &intervals, rules, as_of)).collect())
}

/// A page of vendors with everything derived on `as_of`. Filtering and sorting happen on the
/// derived values, so "needs attention" and report status are exact.
pub fn list(conn: &Connection, q: &VendorQuery, as_of: NaiveDate) -> Result<VendorPage> {
    // What the database can judge (search, criticality, status, name and criticality order)
    // pages in SQL, and only the page is derived; a filter or order on derived values needs
    // every vendor derived first.
    if q.report_status.is_none() && !q.attention_only && matches!(q.sort, VendorSort::Name | VendorSort::Criticality) {
        return page_in_sql(conn, q, as_of);
    }
    let (rows, failing_key_vendors) = matching(conn, q, as_of)?;
    let total = rows.len() as u32;
    let limit = q.limit.clamp(1, 1000) as usize;
    let rows = rows.into_iter().skip(q.offset as usize).take(limit).collect();
    Ok(VendorPage { total, failing_key_vendors, rows })
}

/// [`list`] for a query the database can filter and order: one page read and derived, and the
/// key vendors (critical and high) derived for the count of those failing.
fn page_in_sql(conn: &Connection, q: &VendorQuery, as_of: NaiveDate) -> Result<VendorPage> {
    let mut f = crate::store::list::Filter::new();
    f.archived(q.include_archived, "v")
        .search(&q.search, &["v.name", "v.service", "v.systems"])
        .eq("v.criticality", q.criticality.map(|c| c.as_str().to_owned()))
        .eq("v.status", q.status.map(|s| s.as_str().to_owned()));
    let dir = if q.descending { "DESC" } else { "ASC" };
    let name = format!("v.name COLLATE NOCASE {dir}, v.id {dir}");
    let order = match q.sort {
        VendorSort::Criticality => format!(
            "CASE v.criticality WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END {dir}, {name}"
        ),
        _ => name,
    };
    let intervals = settings::vendor_intervals(conn)?;
    let rules = ReportRules::of(&settings::check_settings(conn)?);
    let page = f.page(conn, "FROM vendors v", SELECT, &order, (q.offset, q.limit), from_row)?;
    let rows = page.rows.into_iter().map(|raw| derive(raw, &intervals, rules, as_of)).collect();
    let mut key = conn
        .prepare_cached(&format!("{SELECT} WHERE v.archived_at IS NULL AND v.criticality IN ('critical', 'high')"))?;
    let key = key.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    let failing_key_vendors = key
        .into_iter()
        .map(|raw| derive(raw, &intervals, rules, as_of))
        .filter(|v| v.flags.iter().any(|f| f.failing))
        .count() as u32;
    Ok(VendorPage { total: page.total, failing_key_vendors, rows })
}

/// Every vendor the query selects, in its order (not paged: a document lists them all).
pub fn every(conn: &Connection, q: &VendorQuery, as_of: NaiveDate) -> Result<Vec<Vendor>> {
    Ok(matching(conn, q, as_of)?.0)
}

/// The vendors the query selects, sorted, and how many key vendors fail a check.
fn matching(conn: &Connection, q: &VendorQuery, as_of: NaiveDate) -> Result<(Vec<Vendor>, u32)> {
    let mut rows = all(conn, q.include_archived, as_of)?;
    let failing_key_vendors =
        rows.iter().filter(|v| !v.archived && v.criticality.is_key() && v.flags.iter().any(|f| f.failing)).count()
            as u32;
    let needle = q.search.trim().to_lowercase();
    rows.retain(|v| {
        (needle.is_empty()
            || v.name.to_lowercase().contains(&needle)
            || v.service.to_lowercase().contains(&needle)
            || v.systems.to_lowercase().contains(&needle))
            && q.criticality.is_none_or(|c| v.criticality == c)
            && q.status.is_none_or(|s| v.status == s)
            && q.report_status.is_none_or(|s| v.report_status == s)
            && (!q.attention_only || !v.flags.is_empty())
    });
    let rank = |c: Criticality| Criticality::ALL.iter().position(|x| *x == c).unwrap_or(0);
    rows.sort_by(|a, b| {
        let name = || a.name.to_lowercase().cmp(&b.name.to_lowercase());
        let ord = match q.sort {
            VendorSort::Name => name(),
            VendorSort::Criticality => rank(a.criticality).cmp(&rank(b.criticality)).then_with(name),
            // Undated (never assessed) first: they are the most urgent.
            VendorSort::NextAssessment => a.next_assessment_due.cmp(&b.next_assessment_due).then_with(name),
            VendorSort::Coverage => a.coverage_until.cmp(&b.coverage_until).then_with(name),
        };
        if q.descending {
            ord.reverse()
        } else {
            ord
        }
    });
    Ok((rows, failing_key_vendors))
}

pub fn get(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<Vendor> {
    let intervals = settings::vendor_intervals(conn)?;
    let raw = conn
        .prepare_cached(&format!("{SELECT} WHERE v.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No vendor with id {id}.")))?;
    Ok(derive(raw, &intervals, ReportRules::of(&settings::check_settings(conn)?), as_of))
}

fn reports_of(conn: &Connection, vendor_id: i64) -> Result<Vec<Soc2Report>> {
    let rules = ReportRules::of(&settings::check_settings(conn)?);
    let mut stmt = conn.prepare_cached(
        "SELECT id, report_type, period_start, period_end, auditor, opinion, bridge_letter_on, bridge_covers_until, notes
         FROM soc2_reports WHERE vendor_id = ?1 ORDER BY period_end DESC, id DESC",
    )?;
    let heads = stmt
        .query_map([vendor_id], |r| {
            let id: i64 = r.get(0)?;
            let t: String = r.get(1)?;
            let o: String = r.get(5)?;
            let end: String = r.get(3)?;
            let period_end = parse_date(&end).ok_or_else(|| bad(id, "report period end", &end))?;
            let bridge_covers_until = date(r, 7)?;
            Ok(Soc2Report {
                id,
                report_type: ReportType::parse(&t).ok_or_else(|| bad(id, "report type", &t))?,
                period_start: date(r, 2)?,
                period_end,
                auditor: r.get(4)?,
                opinion: Opinion::parse(&o).ok_or_else(|| bad(id, "opinion", &o))?,
                bridge_letter_on: date(r, 6)?,
                bridge_covers_until,
                notes: r.get(8)?,
                coverage_until: coverage_until(period_end, bridge_covers_until, rules),
                exceptions: Vec::new(),
                subservices: Vec::new(),
                cuecs: Vec::new(),
                evidence: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(heads.len());
    for mut rep in heads {
        rep.exceptions = conn
            .prepare_cached("SELECT text, relevant FROM soc2_exceptions WHERE report_id = ?1 ORDER BY position")?
            .query_map([rep.id], |r| Ok(ReportException { text: r.get(0)?, relevant: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rep.subservices = conn
            .prepare_cached("SELECT name, method FROM soc2_subservices WHERE report_id = ?1 ORDER BY position")?
            .query_map([rep.id], |r| {
                let m: String = r.get(1)?;
                Ok(Subservice {
                    name: r.get(0)?,
                    method: SubserviceMethod::parse(&m).unwrap_or(SubserviceMethod::CarveOut),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rep.cuecs = conn
            .prepare_cached(
                "SELECT q.text, c.id, c.reference, c.title FROM soc2_cuecs q LEFT JOIN controls c ON c.id = q.control_id
                 WHERE q.report_id = ?1 ORDER BY q.position",
            )?
            .query_map([rep.id], |r| {
                let control = match r.get::<_, Option<i64>>(1)? {
                    Some(id) => Some(CuecControl { id, reference: r.get(2)?, title: r.get(3)? }),
                    None => None,
                };
                Ok(Cuec { text: r.get(0)?, control })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rep.evidence = evidence::for_soc2_report(conn, rep.id)?;
        out.push(rep);
    }
    Ok(out)
}

fn assessments_of(conn: &Connection, vendor_id: i64) -> Result<Vec<VendorAssessment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.performed_on, a.performed_by_id, p.name, a.method, a.outcome, a.notes, a.withdrawn_at,
                a.withdrawn_reason
         FROM vendor_assessments a LEFT JOIN people p ON p.id = a.performed_by_id
         WHERE a.vendor_id = ?1 ORDER BY a.performed_on DESC, a.id DESC",
    )?;
    let rows = stmt
        .query_map([vendor_id], |r| {
            let id: i64 = r.get(0)?;
            let on: String = r.get(1)?;
            let m: String = r.get(4)?;
            let o: String = r.get(5)?;
            Ok(VendorAssessment {
                id,
                performed_on: parse_date(&on).ok_or_else(|| bad(id, "assessment date", &on))?,
                performed_by: r
                    .get::<_, Option<i64>>(2)?
                    .zip(r.get::<_, Option<String>>(3)?)
                    .map(|(id, name)| PersonRef { id, name }),
                method: AssessmentMethod::parse(&m).ok_or_else(|| bad(id, "assessment method", &m))?,
                outcome: AssessmentOutcome::parse(&o).ok_or_else(|| bad(id, "assessment outcome", &o))?,
                notes: r.get(6)?,
                evidence: Vec::new(),
                withdrawn: match r.get::<_, Option<String>>(7)? {
                    Some(at) => Some(crate::occurrences::Withdrawal { at, reason: r.get(8)? }),
                    None => None,
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for mut a in rows {
        a.evidence = evidence::for_vendor_assessment(conn, a.id)?;
        out.push(a);
    }
    Ok(out)
}

pub fn detail(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<VendorDetail> {
    Ok(VendorDetail {
        vendor: get(conn, id, as_of)?,
        assessments: assessments_of(conn, id)?,
        reports: reports_of(conn, id)?,
        history: history::list(conn, Register::Vendors, id)?,
    })
}

pub struct Valid {
    name: String,
    service: String,
    website: String,
    criticality: Criticality,
    data_access: DataAccess,
    systems: String,
    owner_id: Option<i64>,
    status: VendorStatus,
    offboarded_on: Option<NaiveDate>,
    contract_start: Option<NaiveDate>,
    contract_end: Option<NaiveDate>,
    security_clause: bool,
    breach_clause: bool,
    breach_notice_hours: Option<u32>,
    dpa_signed: bool,
    last_assessed_on: Option<NaiveDate>,
}

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

fn opt_date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn recorded_last(conn: &Connection, id: Option<i64>) -> Result<Option<NaiveDate>> {
    let Some(id) = id else { return Ok(None) };
    let d: Option<String> = conn
        .prepare_cached(
            "SELECT max(performed_on) FROM vendor_assessments WHERE vendor_id = ?1 AND withdrawn_at IS NULL",
        )?
        .query_row([id], |r| r.get(0))?;
    Ok(d.as_deref().and_then(parse_date))
}

record_kind!(Vendor in Vendors, load(conn, id, now) { get(conn, id, now.date_naive()) }, editable(VendorInput), archive = set_archived);

impl Editable for Vendor {
    type Input = VendorInput;
    type Valid = Valid;
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "service",
        "website",
        "criticality",
        "data_access",
        "systems",
        "owner_id",
        "status",
        "offboarded_on",
        "contract_start",
        "contract_end",
        "security_clause",
        "breach_clause",
        "breach_notice_hours",
        "dpa_signed",
        "last_assessed_on",
    ];

    fn validate(conn: &Connection, now: DateTime<Utc>, input: &VendorInput, this: Option<&Self>) -> Result<Valid> {
        let today = now.date_naive();
        let mut v = Validator::new();
        let name = v.unique_name(
            conn,
            "Name",
            &input.name,
            "SELECT id FROM vendors WHERE name = ?1",
            this.map(|x| x.id),
            "vendor",
        )?;
        let service = v.optional("service", "Service", &input.service, 500);
        let website = v.optional("website", "Website", &input.website, 500);
        if !website.is_empty() && (website.contains(char::is_whitespace) || !website.contains('.')) {
            v.add("website", "Write the website as an address, e.g. https://example.com.");
        }
        let systems = v.optional("systems", "Systems", &input.systems, 2_000);
        v.active_person(conn, "owner_id", input.owner_id, this.and_then(|x| x.owner.as_ref().map(|o| o.id)), "owner")?;
        let offboarded_on = v.date("offboarded_on", "Offboarded on", &input.offboarded_on);
        if input.status == VendorStatus::Offboarded && input.offboarded_on.trim().is_empty() {
            v.add("offboarded_on", "Say when the vendor was offboarded.");
        }
        if offboarded_on.is_some_and(|d| d > today) {
            v.add("offboarded_on", "An offboarding date cannot be in the future; keep the vendor active until then.");
        }
        let contract_start = v.date("contract_start", "Contract start", &input.contract_start);
        let contract_end = v.date("contract_end", "Contract end", &input.contract_end);
        if let (Some(s), Some(e)) = (contract_start, contract_end) {
            if e < s {
                v.add("contract_end", "The contract cannot end before it starts.");
            }
        }
        match input.breach_notice_hours {
            Some(0) => v.add("breach_notice_hours", "The notification deadline must be at least one hour."),
            Some(h) if h > 24 * 365 => v.add("breach_notice_hours", "Give the deadline in hours, e.g. 72."),
            Some(_) if !input.breach_clause => {
                v.add("breach_notice_hours", "A notification deadline needs the breach-notification clause ticked.")
            }
            _ => {}
        }
        let last_assessed_on = v.date("last_assessed_on", "Last assessed on", &input.last_assessed_on);
        if last_assessed_on.is_some_and(|d| d > today) {
            v.add("last_assessed_on", "An assessment cannot be dated in the future.");
        }
        v.finish()?;
        Ok(Valid {
            name,
            service,
            website,
            criticality: input.criticality,
            data_access: input.data_access,
            systems,
            owner_id: input.owner_id,
            status: input.status,
            offboarded_on: if input.status == VendorStatus::Offboarded { offboarded_on } else { None },
            contract_start,
            contract_end,
            security_clause: input.security_clause,
            breach_clause: input.breach_clause,
            breach_notice_hours: input.breach_notice_hours.filter(|_| input.breach_clause),
            dpa_signed: input.dpa_signed,
            last_assessed_on,
        })
    }

    fn diff(conn: &Connection, old: Option<&Self>, new: &Valid) -> Result<Diff> {
        let owner = crate::people::name_of(conn, new.owner_id)?;
        let recorded = recorded_last(conn, old.map(|v| v.id))?;
        let mut d = Diff::new();
        d.field("name", old.map(|v| v.name.clone()), Some(new.name.clone()))
            .field("service", old.map(|v| v.service.clone()), Some(new.service.clone()))
            .field("website", old.map(|v| v.website.clone()), Some(new.website.clone()))
            .field("criticality", old.map(|v| v.criticality.label().into()), Some(new.criticality.label().into()))
            .field("data_access", old.map(|v| v.data_access.label().into()), Some(new.data_access.label().into()))
            .field("systems", old.map(|v| v.systems.clone()), Some(new.systems.clone()))
            .field("owner", old.and_then(|v| v.owner.as_ref().map(|o| o.name.clone())), owner)
            .field("status", old.map(|v| v.status.label().into()), Some(new.status.label().into()))
            .field("offboarded_on", old.and_then(|v| opt_date(v.offboarded_on)), opt_date(new.offboarded_on))
            .field("contract_start", old.and_then(|v| opt_date(v.contract_start)), opt_date(new.contract_start))
            .field("contract_end", old.and_then(|v| opt_date(v.contract_end)), opt_date(new.contract_end))
            .field("security_clause", old.map(|v| yes(v.security_clause)), Some(yes(new.security_clause)))
            .field("breach_clause", old.map(|v| yes(v.breach_clause)), Some(yes(new.breach_clause)))
            .field(
                "breach_notice_hours",
                old.and_then(|v| v.breach_notice_hours.map(|h| h.to_string())),
                new.breach_notice_hours.map(|h| h.to_string()),
            )
            .field("dpa_signed", old.map(|v| yes(v.dpa_signed)), Some(yes(new.dpa_signed)))
            // The effective date: typing in an older date than a recorded assessment changes nothing.
            .field(
                "last_assessed_on",
                old.and_then(|v| opt_date(v.last_assessed_on)),
                opt_date(new.last_assessed_on.max(recorded)),
            );
        Ok(d)
    }

    fn values(v: &Valid) -> Vec<Value> {
        vec![
            v.name.clone().into(),
            v.service.clone().into(),
            v.website.clone().into(),
            v.criticality.as_str().to_owned().into(),
            v.data_access.as_str().to_owned().into(),
            v.systems.clone().into(),
            v.owner_id.into(),
            v.status.as_str().to_owned().into(),
            opt_date(v.offboarded_on).into(),
            opt_date(v.contract_start).into(),
            opt_date(v.contract_end).into(),
            v.security_clause.into(),
            v.breach_clause.into(),
            v.breach_notice_hours.into(),
            v.dpa_signed.into(),
            opt_date(v.last_assessed_on).into(),
        ]
    }

    /// The typed-in assessment date may change without changing the effective one; typing back
    /// the date already shown (a recorded assessment's, as the CSV exports it) changes nothing.
    fn quiet_change(old: &Self, valid: &Valid) -> bool {
        old.last_assessed_on_entered != valid.last_assessed_on && old.last_assessed_on != valid.last_assessed_on
    }
}

fn check_vendor(tx: &Transaction<'_>, vendor_id: i64) -> Result<()> {
    let archived: Option<bool> = tx
        .prepare_cached("SELECT archived_at IS NOT NULL FROM vendors WHERE id = ?1")?
        .query_row([vendor_id], |r| r.get(0))
        .optional()?;
    match archived {
        None => Err(Error::not_found(format!("No vendor with id {vendor_id}."))),
        Some(true) => Err(Error::new(
            crate::ErrorCode::Conflict,
            "This vendor is archived; restore it before adding to its record.",
        )),
        Some(false) => Ok(()),
    }
}

pub(crate) const ASSESSMENT: OccurrenceKind = OccurrenceKind {
    what: "an assessment",
    what_plural: "assessments",
    history_field: "assessment",
    parent: Register::Vendors,
    by_field: "performed_by_id",
    evidence_of: Some(evidence::EvidenceTarget::VendorAssessment),
    table: "vendor_assessments",
    parent_column: "vendor_id",
    text_columns: &["method", "outcome", "notes"],
    describe: |t| {
        let method = AssessmentMethod::parse(&t[0]).map_or(t[0].as_str(), |m| m.label());
        let outcome = AssessmentOutcome::parse(&t[1]).map_or(t[1].as_str(), |o| o.label());
        crate::occurrences::in_words(&[format!("{method}, {outcome}"), t[2].clone()])
    },
    date_column: "performed_on",
    date_label: "Performed on",
    person_word: "by",
    withdrawable: true,
};

/// Records a dated assessment of a vendor, with an optional evidence file, in one transaction.
pub fn add_assessment(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    attachments: &crate::attachments::Attachments,
    vendor_id: i64,
    input: &VendorAssessmentInput,
    file: Option<crate::evidence::Upload<'_>>,
) -> Result<VendorAssessment> {
    check_vendor(tx, vendor_id)?;
    let occurrence = ASSESSMENT.on(vendor_id, false, &input.performed_on, input.performed_by_id);
    let id = record_with_evidence(
        tx,
        now,
        attachments,
        &occurrence,
        |v| Ok(v.optional("notes", "Notes", &input.notes, 20_000)),
        |on, notes| {
            tx.execute(
                "INSERT INTO vendor_assessments (vendor_id, performed_on, performed_by_id, method, outcome, notes, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    vendor_id,
                    on.to_string(),
                    input.performed_by_id,
                    input.method.as_str(),
                    input.outcome.as_str(),
                    notes,
                    stamp(now)
                ],
            )?;
            Ok((tx.last_insert_rowid(), format!("{on}: {} ({})", input.outcome.label(), input.method.label())))
        },
        file.map(EvidenceFile::from),
    )?;
    written(assessments_of(tx, vendor_id)?, |a| a.id == id, "assessment")
}

/// Corrects assessment `id` (its date, who did it, method, outcome and notes), with the values
/// before in the vendor's history. Returns whether anything changed.
pub fn correct_assessment(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    id: i64,
    input: &VendorAssessmentInput,
) -> Result<bool> {
    crate::occurrences::correct(tx, now, &ASSESSMENT, id, (&input.performed_on, input.performed_by_id), |v| {
        let notes = v.optional("notes", "Notes", &input.notes, 20_000);
        Ok(vec![input.method.as_str().to_owned().into(), input.outcome.as_str().to_owned().into(), notes.into()])
    })
}

struct ValidReport {
    period_start: Option<NaiveDate>,
    period_end: NaiveDate,
    auditor: String,
    bridge_letter_on: Option<NaiveDate>,
    bridge_covers_until: Option<NaiveDate>,
    notes: String,
}

fn validate_report(tx: &Transaction<'_>, input: &Soc2ReportInput, today: NaiveDate) -> Result<ValidReport> {
    let mut v = Validator::new();
    let end_label = if input.report_type == ReportType::Type1 { "Report date" } else { "Period end" };
    let end = v.required_date("period_end", end_label, &input.period_end);
    let start = match input.report_type {
        ReportType::Type2 => v.required_date("period_start", "Period start", &input.period_start),
        ReportType::Type1 => {
            if !input.period_start.trim().is_empty() {
                v.add("period_start", "A Type I report is as of one date: leave the period start empty.");
            }
            None
        }
    };
    if let (Some(s), Some(e)) = (start, end) {
        if s >= e {
            v.add("period_start", "The period must start before it ends.");
        }
    }
    if end.is_some_and(|e| e > today) {
        v.add("period_end", "A report cannot cover a period that has not ended yet.");
    }
    let auditor = v.optional("auditor", "Auditor", &input.auditor, 200);
    let bridge_letter_on = v.date("bridge_letter_on", "Bridge letter date", &input.bridge_letter_on);
    let bridge_covers_until = v.date("bridge_covers_until", "Bridge letter covers until", &input.bridge_covers_until);
    match (bridge_letter_on, bridge_covers_until) {
        (Some(_), None) if !v.has("bridge_covers_until") => {
            v.add("bridge_covers_until", "Say until when the bridge letter covers.")
        }
        (None, Some(_)) if !v.has("bridge_letter_on") => v.add("bridge_letter_on", "Give the bridge letter's date."),
        (Some(_), Some(until)) if end.is_some_and(|e| until <= e) => {
            v.add("bridge_covers_until", "A bridge letter covers the time after the report period ends.")
        }
        _ => {}
    }
    if bridge_letter_on.is_some_and(|d| d > today) {
        v.add("bridge_letter_on", "A bridge letter cannot be dated in the future.");
    }
    let notes = v.optional("notes", "Notes", &input.notes, 20_000);
    for (i, e) in input.exceptions.iter().enumerate() {
        if e.text.trim().is_empty() {
            v.add(&format!("exceptions.{i}"), "Describe the exception, or remove the empty line.");
        }
    }
    for (i, s) in input.subservices.iter().enumerate() {
        if s.name.trim().is_empty() {
            v.add(&format!("subservices.{i}"), "Name the subservice organisation, or remove the empty line.");
        }
    }
    for (i, c) in input.cuecs.iter().enumerate() {
        if c.text.trim().is_empty() {
            v.add(&format!("cuecs.{i}"), "Write the user entity control, or remove the empty line.");
        }
        if let Some(id) = c.control_id {
            let exists: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM controls WHERE id = ?1)")?
                .query_row([id], |r| r.get(0))?;
            if !exists {
                v.add(&format!("cuecs.{i}"), "That control does not exist.");
            }
        }
    }
    v.finish()?;
    Ok(ValidReport {
        period_start: start,
        period_end: end.ok_or_else(|| Error::internal("validated date missing"))?,
        auditor,
        bridge_letter_on,
        bridge_covers_until,
        notes,
    })
}

/// Saves a SOC 2 report worksheet: a new one (`report_id` None) or a full replacement of an
/// existing one, lists included, in one transaction.
pub fn save_report(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    vendor_id: i64,
    report_id: Option<i64>,
    input: &Soc2ReportInput,
) -> Result<Soc2Report> {
    check_vendor(tx, vendor_id)?;
    let valid = validate_report(tx, input, now.date_naive())?;
    let at = stamp(now);
    let id = match report_id {
        None => {
            tx.execute(
                "INSERT INTO soc2_reports (vendor_id, report_type, period_start, period_end, auditor, opinion,
                     bridge_letter_on, bridge_covers_until, notes, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                params![
                    vendor_id,
                    input.report_type.as_str(),
                    opt_date(valid.period_start),
                    valid.period_end.to_string(),
                    valid.auditor,
                    input.opinion.as_str(),
                    opt_date(valid.bridge_letter_on),
                    opt_date(valid.bridge_covers_until),
                    valid.notes,
                    at
                ],
            )?;
            tx.last_insert_rowid()
        }
        Some(id) => {
            let n = tx.execute(
                "UPDATE soc2_reports SET report_type = ?3, period_start = ?4, period_end = ?5, auditor = ?6, opinion = ?7,
                     bridge_letter_on = ?8, bridge_covers_until = ?9, notes = ?10, updated_at = ?11
                 WHERE id = ?1 AND vendor_id = ?2",
                params![
                    id,
                    vendor_id,
                    input.report_type.as_str(),
                    opt_date(valid.period_start),
                    valid.period_end.to_string(),
                    valid.auditor,
                    input.opinion.as_str(),
                    opt_date(valid.bridge_letter_on),
                    opt_date(valid.bridge_covers_until),
                    valid.notes,
                    at
                ],
            )?;
            if n == 0 {
                return Err(Error::not_found(format!("This vendor has no SOC 2 report with id {id}.")));
            }
            for table in ["soc2_exceptions", "soc2_subservices", "soc2_cuecs"] {
                tx.execute(&format!("DELETE FROM {table} WHERE report_id = ?1"), [id])?;
            }
            id
        }
    };
    for (i, e) in input.exceptions.iter().enumerate() {
        tx.prepare_cached("INSERT INTO soc2_exceptions (report_id, position, text, relevant) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![id, i as i64, e.text.trim(), e.relevant])?;
    }
    for (i, s) in input.subservices.iter().enumerate() {
        tx.prepare_cached("INSERT INTO soc2_subservices (report_id, position, name, method) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![id, i as i64, s.name.trim(), s.method.as_str()])?;
    }
    for (i, c) in input.cuecs.iter().enumerate() {
        tx.prepare_cached("INSERT INTO soc2_cuecs (report_id, position, text, control_id) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![id, i as i64, c.text.trim(), c.control_id])?;
    }
    let linked = input.cuecs.iter().filter(|c| c.control_id.is_some()).count();
    let summary = format!(
        "{} {} to {}, {} opinion, {} exception(s), {}/{} user entity controls linked",
        input.report_type.label(),
        valid.period_start.map(|d| d.to_string()).unwrap_or_else(|| "as of".into()),
        valid.period_end,
        input.opinion.label().to_lowercase(),
        input.exceptions.len(),
        linked,
        input.cuecs.len()
    );
    let mut d = Diff::new();
    d.field("soc2_report", None, Some(summary));
    history::record(tx, now, Register::Vendors, vendor_id, HistoryAction::Update, d.into_changes())?;
    written(reports_of(tx, vendor_id)?, |r| r.id == id, "report")
}

/// Removes a SOC 2 report worksheet (e.g. entered against the wrong vendor).
pub fn delete_report(tx: &Transaction<'_>, now: DateTime<Utc>, vendor_id: i64, report_id: i64) -> Result<()> {
    let end: Option<String> = tx
        .prepare_cached("SELECT period_end FROM soc2_reports WHERE id = ?1 AND vendor_id = ?2")?
        .query_row([report_id, vendor_id], |r| r.get(0))
        .optional()?;
    let end = end.ok_or_else(|| Error::not_found(format!("This vendor has no SOC 2 report with id {report_id}.")))?;
    tx.execute("DELETE FROM soc2_reports WHERE id = ?1", [report_id])?;
    let mut d = Diff::new();
    d.field("soc2_report", Some(format!("report ending {end}")), None);
    history::record(tx, now, Register::Vendors, vendor_id, HistoryAction::Update, d.into_changes())
}

/// The vendors CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "name",
        "service",
        "website",
        "criticality",
        "data_access",
        "systems",
        "owner_email",
        "status",
        "offboarded_on",
        "contract_start",
        "contract_end",
        "security_clause",
        "breach_clause",
        "breach_notice_hours",
        "dpa_signed",
        "last_assessed_on",
    ],
    required: &["name", "criticality"],
    aliases: &[],
    example: &[
        "Cloud Host Inc",
        "Production hosting",
        "https://cloudhost.example.com",
        "critical",
        "customer_data",
        "GitHub",
        "ana@example.com",
        "active",
        "",
        "2025-01-01",
        "2027-12-31",
        "yes",
        "yes",
        "72",
        "yes",
        "",
    ],
};

/// A vendor as CSV cells, in [`CSV_COLUMNS`] order.
fn csv_cells(conn: &Connection, v: Vendor) -> Result<Vec<String>> {
    let d = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    Ok(vec![
        v.name,
        v.service,
        v.website,
        v.criticality.as_str().into(),
        v.data_access.as_str().into(),
        v.systems,
        crate::people::email_of(conn, v.owner.as_ref().map(|o| o.id))?,
        v.status.as_str().into(),
        d(v.offboarded_on),
        d(v.contract_start),
        d(v.contract_end),
        yes(v.security_clause),
        yes(v.breach_clause),
        v.breach_notice_hours.map(|h| h.to_string()).unwrap_or_default(),
        yes(v.dpa_signed),
        d(v.last_assessed_on),
    ])
}

/// Vendors in CSV, matched on name, case-insensitively (see [`crate::csv_import`]).
pub struct VendorsCsv;

impl crate::csv_import::CsvRegister for VendorsCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["name"];
    const FIND: &'static str = "SELECT id FROM vendors WHERE name = ?1 COLLATE NOCASE";
    const EXPORT_IDS: &'static str =
        "SELECT id FROM vendors WHERE archived_at IS NULL ORDER BY name COLLATE NOCASE, id";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        csv_cells(conn, get(conn, id, NaiveDate::MIN)?)
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        let breach_notice_hours = match c.row.get("breach_notice_hours") {
            "" => None,
            h => h
                .parse::<u32>()
                .map_err(|_| {
                    c.problem(
                        "breach_notice_hours",
                        "Give the notification deadline as a whole number of hours, e.g. 72.",
                    )
                })
                .ok(),
        };
        let input = VendorInput {
            name: c.text("name"),
            service: c.text("service"),
            website: c.text("website"),
            criticality: c.required_choice("criticality").unwrap_or(Criticality::Medium),
            data_access: c.choice("data_access", DataAccess::NoData),
            systems: c.text("systems"),
            owner_id: c.person(tx, "owner_email")?,
            status: c.choice("status", VendorStatus::Active),
            offboarded_on: c.text("offboarded_on"),
            contract_start: c.text("contract_start"),
            contract_end: c.text("contract_end"),
            security_clause: c.flag("security_clause", false),
            breach_clause: c.flag("breach_clause", false),
            breach_notice_hours,
            dpa_signed: c.flag("dpa_signed", false),
            last_assessed_on: c.text("last_assessed_on"),
        };
        record::save_row::<Vendor>(tx, now, existing, &input, &c.errors)
    }
}

/// The vendor assessments CSV columns (documented in docs/csv.md).
pub const ASSESSMENT_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "vendor",
        "performed_on",
        "performed_by_email",
        "method",
        "outcome",
        "notes",
        "evidence_files",
        "evidence_reference",
        "evidence_note",
    ],
    required: &["vendor", "performed_on", "method", "outcome"],
    aliases: &[],
    example: &[
        "Cloud Host Inc",
        "2026-03-10",
        "ana@example.com",
        "soc2_review",
        "approved",
        "Read their SOC 2 Type II report; no exceptions that affect us.",
        "",
        "https://vendors.example.com/cloud-host/soc2-2025.pdf",
        "Their SOC 2 report as downloaded from the trust portal",
    ],
};

/// Vendor assessments in CSV: each row adds one; a row naming one already recorded (vendor,
/// date and person) must match it.
pub struct AssessmentsCsv;

impl crate::csv_import::DatedCsv for AssessmentsCsv {
    crate::dated_csv! {
        columns: ASSESSMENT_COLUMNS, table: "vendor_assessments", target: VendorAssessment, what: "This assessment",
        parent: "vendor" = "vendors"."name" via "vendor_id", missing: "No vendor is named {}; add it under Vendors first.",
        by: "performed_by_email" = "performed_by_id", cells: "r.method, r.outcome, r.notes",
        live: "r.withdrawn_at IS NULL"
    }

    fn record(r: crate::csv_import::DatedRow<'_, '_, '_>) -> Result<Option<(i64, NaiveDate)>> {
        let (Some(method), Some(outcome)) = (r.cells.required_choice("method"), r.cells.required_choice("outcome"))
        else {
            return Ok(None);
        };
        let input = VendorAssessmentInput {
            performed_on: r.cells.text("performed_on"),
            performed_by_id: r.by,
            method,
            outcome,
            notes: r.cells.text("notes"),
        };
        let a = add_assessment(r.tx, r.now, &crate::attachments::Attachments::default(), r.parent_id, &input, None)?;
        Ok(Some((a.id, a.performed_on)))
    }
}

/// The SOC 2 report worksheets CSV columns (documented in docs/csv.md).
pub const REPORT_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "vendor",
        "report_type",
        "period_start",
        "period_end",
        "auditor",
        "opinion",
        "bridge_letter_on",
        "bridge_covers_until",
        "notes",
        "exceptions",
        "subservices",
        "user_entity_controls",
        "evidence_files",
        "evidence_reference",
        "evidence_note",
    ],
    required: &["vendor", "report_type", "period_end", "opinion"],
    aliases: &[],
    example: &[
        "Cloud Host Inc",
        "type2",
        "2025-01-01",
        "2025-12-31",
        "Example Audit LLP",
        "unqualified",
        "",
        "",
        "Read in full; nothing that affects us beyond the exception below.",
        "relevant: Two terminated users kept access for ten days",
        "Big Cloud Co=carve_out",
        "Customers review who has access to their account | AC-01",
        "",
        "https://trust.example.com/cloud-host/soc2-2025.pdf",
        "The report as downloaded from their trust portal",
    ],
};

/// How an exception that affects controls we rely on is marked in the `exceptions` cell.
const RELEVANT: &str = "relevant:";

/// Vendors' SOC 2 report worksheets in CSV: each row adds one report (its exceptions one per
/// line, subservice organisations as `name=method`, user entity controls one per line with
/// `| CONTROL` naming the control that covers it), with its evidence; a row naming one already
/// recorded (vendor, type and period end) must match it.
pub struct ReportsCsv;

impl crate::csv_import::DatedCsv for ReportsCsv {
    const COLUMNS: &'static crate::csvio::Columns = &REPORT_COLUMNS;
    const KEY: &'static [&'static str] = &["vendor", "report_type", "period_end"];
    const FIND: &'static str = "SELECT r.id FROM soc2_reports r JOIN vendors v ON v.id = r.vendor_id
        WHERE v.name = ?1 COLLATE NOCASE AND r.report_type = ?2 AND r.period_end = ?3 ORDER BY r.id LIMIT 1";
    const EXPORT_IDS: &'static str = "SELECT r.id FROM soc2_reports r JOIN vendors v ON v.id = r.vendor_id
        WHERE v.archived_at IS NULL ORDER BY v.name COLLATE NOCASE, r.period_end, r.id";
    const CELLS: &'static str = "SELECT v.name, r.report_type, r.period_start, r.period_end, r.auditor, r.opinion,
            r.bridge_letter_on, r.bridge_covers_until, r.notes,
            COALESCE((SELECT group_concat(CASE WHEN x.relevant THEN 'relevant: ' ELSE '' END || x.text, char(10))
                FROM (SELECT relevant, text FROM soc2_exceptions WHERE report_id = r.id ORDER BY position) x), ''),
            COALESCE((SELECT group_concat(x.name || '=' || x.method, '; ')
                FROM (SELECT name, method FROM soc2_subservices WHERE report_id = r.id ORDER BY position) x), ''),
            COALESCE((SELECT group_concat(x.text || COALESCE(' | ' || (SELECT reference FROM controls WHERE id = x.control_id), ''), char(10))
                FROM (SELECT text, control_id FROM soc2_cuecs WHERE report_id = r.id ORDER BY position) x), '')
        FROM soc2_reports r JOIN vendors v ON v.id = r.vendor_id WHERE r.id = ?1";
    const PARENT: crate::csv_import::Parent = crate::csv_import::Parent {
        column: "vendor",
        find: "SELECT id FROM vendors WHERE name = ?1 COLLATE NOCASE",
        missing: "No vendor is named {}; add it under Vendors first.",
    };
    const BY_COLUMN: Option<&'static str> = None;
    const WHAT: &'static str = "This report";

    const TARGET: fn(i64) -> crate::evidence::EvidenceTarget = crate::evidence::EvidenceTarget::Soc2Report;

    fn record(r: crate::csv_import::DatedRow<'_, '_, '_>) -> Result<Option<(i64, NaiveDate)>> {
        let crate::csv_import::DatedRow { tx, now, cells: c, parent_id: vendor_id, .. } = r;
        let exceptions = c
            .text("exceptions")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| match l.get(..RELEVANT.len()).filter(|p| p.eq_ignore_ascii_case(RELEVANT)) {
                Some(_) => ReportException { text: l[RELEVANT.len()..].trim().to_owned(), relevant: true },
                None => ReportException { text: l.to_owned(), relevant: false },
            })
            .collect();
        let mut subservices = Vec::new();
        for item in c.text("subservices").split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let method =
                item.rsplit_once('=').and_then(|(name, m)| Some((name, SubserviceMethod::parse_cell(m.trim())?)));
            match method {
                Some((name, method)) => subservices.push(Subservice { name: name.trim().to_owned(), method }),
                None => c.problem(
                    "subservices",
                    format!("Write {:?} as name=carve_out or name=inclusive.", crate::csvio::shown(item)),
                ),
            }
        }
        let mut cuecs = Vec::new();
        for line in c.text("user_entity_controls").lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (text, control) = match line.rsplit_once(" | ") {
                Some((text, reference)) => (text.trim(), Some(reference.trim())),
                None => (line, None),
            };
            let control_id = match control {
                None => None,
                Some(reference) => {
                    let id = tx
                        .prepare_cached("SELECT id FROM controls WHERE reference = ?1 COLLATE NOCASE")?
                        .query_row([reference], |r| r.get::<_, i64>(0))
                        .optional()?;
                    if id.is_none() {
                        c.problem(
                            "user_entity_controls",
                            format!("No control has the reference {}.", crate::csvio::shown(reference)),
                        );
                    }
                    id
                }
            };
            cuecs.push(CuecInput { text: text.to_owned(), control_id });
        }
        let (Some(report_type), Some(opinion)) = (c.required_choice("report_type"), c.required_choice("opinion"))
        else {
            return Ok(None);
        };
        let input = Soc2ReportInput {
            report_type,
            period_start: c.text("period_start"),
            period_end: c.text("period_end"),
            auditor: c.text("auditor"),
            opinion,
            bridge_letter_on: c.text("bridge_letter_on"),
            bridge_covers_until: c.text("bridge_covers_until"),
            notes: c.text("notes"),
            exceptions,
            subservices,
            cuecs,
        };
        let r = save_report(tx, now, vendor_id, None, &input)?;
        Ok(Some((r.id, r.period_end)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_what_serde_writes() {
        for d in DataAccess::ALL {
            assert_eq!(serde_json::to_value(d).ok(), Some(serde_json::Value::String(d.as_str().into())));
        }
        for c in Criticality::ALL {
            assert_eq!(serde_json::to_value(c).ok(), Some(serde_json::Value::String(c.as_str().into())));
        }
        assert_eq!(serde_json::to_value(ReportType::Type2).ok(), Some("type2".into()));
        assert_eq!(serde_json::to_value(AssessmentMethod::Soc2Review).ok(), Some("soc2_review".into()));
    }
}
