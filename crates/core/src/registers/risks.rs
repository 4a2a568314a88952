//! The risk register: what could go wrong, how likely and how bad, how it is treated, which
//! controls mitigate it, and what is left afterwards.

use std::collections::BTreeSet;

use chrono::{DateTime, Months, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::controls::ControlStatus;
use crate::csv_import::{Applied, Cells};
use crate::csvio::{shown, split_list};
use crate::error::{Error, ErrorCode, Result};
use crate::history::{self, Diff, HistoryEntry};
use crate::list::{direction, Filter, Page};
use crate::record::{self, Editable};
use crate::refs::PersonRef;
use crate::refs::Register;
use crate::scoring::{impact_label, likelihood_label, Band, Rating};
use crate::settings::{self, BandThresholds};
use crate::validate::{parse_date, Referenced, Validator};

pub use crate::refs::RiskCategory;

string_enum!(
    Treatment {
        /// Controls lower it; needs a residual rating.
        Mitigate = "mitigate" / "Mitigate",
        /// Lived with, by a named person until a date.
        Accept = "accept" / "Accept",
        /// Moved to someone else (insurance, contract); needs a residual rating.
        Transfer = "transfer" / "Transfer",
        /// The activity that causes it is stopped.
        Avoid = "avoid" / "Avoid",
    }
);

string_enum!(
    RiskStatus {
        Open = "open" / "Open",
        Treated = "treated" / "Treated",
        Closed = "closed" / "Closed",
    }
);

string_enum!(
    ReviewCadence {
        Monthly = "monthly" / "Monthly",
        Quarterly = "quarterly" / "Quarterly",
        Semiannual = "semiannual" / "Every six months",
        Annual = "annual" / "Annual",
    }
);

impl ReviewCadence {
    /// The interval, in months.
    pub fn months(self) -> u32 {
        match self {
            ReviewCadence::Monthly => 1,
            ReviewCadence::Quarterly => 3,
            ReviewCadence::Semiannual => 6,
            ReviewCadence::Annual => 12,
        }
    }

    pub fn next_due(self, last: NaiveDate) -> Option<NaiveDate> {
        last.checked_add_months(Months::new(self.months()))
    }
}

/// A mitigating control as the risk shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ControlLink {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: ControlStatus,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Risk {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub description: String,
    pub category: RiskCategory,
    pub owner: Option<PersonRef>,
    pub inherent: Rating,
    /// None while the treatment is still to be decided.
    pub treatment: Option<Treatment>,
    pub residual: Option<Rating>,
    /// Where the risk sits now: the residual rating when there is one, else the inherent one.
    pub current: Rating,
    pub controls: Vec<ControlLink>,
    pub accepted_by: Option<PersonRef>,
    pub accepted_until: Option<NaiveDate>,
    /// Accepted, and the acceptance ended before the as-of date.
    pub acceptance_expired: bool,
    pub status: RiskStatus,
    pub last_reviewed_on: Option<NaiveDate>,
    pub review_cadence: ReviewCadence,
    pub review_due: Option<NaiveDate>,
    /// Not closed, and the next review (counted from the last one, or from when the risk was
    /// added if it was never reviewed) is before the as-of date.
    pub review_overdue: bool,
    pub starter_key: Option<String>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RiskInput {
    /// Empty: the next free RISK-nnn is assigned.
    pub reference: String,
    pub title: String,
    pub description: String,
    pub category: RiskCategory,
    pub owner_id: Option<i64>,
    pub inherent_likelihood: Option<u8>,
    pub inherent_impact: Option<u8>,
    pub treatment: Option<Treatment>,
    pub residual_likelihood: Option<u8>,
    pub residual_impact: Option<u8>,
    pub control_ids: Vec<i64>,
    pub accepted_by_id: Option<i64>,
    pub accepted_until: String,
    pub status: RiskStatus,
    pub last_reviewed_on: String,
    pub review_cadence: ReviewCadence,
}

impl Default for RiskInput {
    fn default() -> Self {
        Self {
            reference: String::new(),
            title: String::new(),
            description: String::new(),
            category: RiskCategory::Security,
            owner_id: None,
            inherent_likelihood: None,
            inherent_impact: None,
            treatment: None,
            residual_likelihood: None,
            residual_impact: None,
            control_ids: Vec::new(),
            accepted_by_id: None,
            accepted_until: String::new(),
            status: RiskStatus::Open,
            last_reviewed_on: String::new(),
            review_cadence: ReviewCadence::Annual,
        }
    }
}

/// Which rating a view or filter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RatingView {
    #[default]
    Inherent,
    /// The residual rating, or the inherent one for a risk without a residual rating.
    Residual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RiskSort {
    #[default]
    Reference,
    Title,
    Category,
    Owner,
    Inherent,
    Residual,
    Status,
    ReviewDue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RiskQuery {
    pub search: String,
    pub category: Option<RiskCategory>,
    pub owner_id: Option<i64>,
    /// With `band_view`: only risks whose inherent (or residual) rating is in this band.
    pub band: Option<Band>,
    pub band_view: RatingView,
    pub treatment: Option<Treatment>,
    pub status: Option<RiskStatus>,
    /// Only risks linked to this control.
    pub control_id: Option<i64>,
    pub include_archived: bool,
    pub sort: RiskSort,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for RiskQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            category: None,
            owner_id: None,
            band: None,
            band_view: RatingView::Inherent,
            treatment: None,
            status: None,
            control_id: None,
            include_archived: false,
            sort: RiskSort::Reference,
            descending: false,
            offset: 0,
            limit: 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RiskDetail {
    pub risk: Risk,
    pub history: Vec<HistoryEntry>,
    /// For a risk from the starter library: the suggested owner role, treatment and residual.
    pub suggestion: Option<crate::starter::risks::RiskSuggestion>,
}

const SELECT: &str = "
    SELECT r.id, r.reference, r.title, r.description, r.category, r.owner_id, o.name,
           r.inherent_likelihood, r.inherent_impact, r.treatment, r.residual_likelihood, r.residual_impact,
           r.accepted_by_id, a.name, r.accepted_until, r.status, r.last_reviewed_on, r.review_cadence,
           r.starter_key, r.archived_at, r.created_at, r.updated_at
    FROM risks r
    LEFT JOIN people o ON o.id = r.owner_id
    LEFT JOIN people a ON a.id = r.accepted_by_id";

/// SQL for the score a view uses (residual falls back to inherent).
pub(crate) fn score_sql(view: RatingView) -> &'static str {
    match view {
        RatingView::Inherent => "(r.inherent_likelihood * r.inherent_impact)",
        RatingView::Residual => {
            "(coalesce(r.residual_likelihood, r.inherent_likelihood) * coalesce(r.residual_impact, r.inherent_impact))"
        }
    }
}

fn person(id: Option<i64>, name: Option<String>) -> Option<PersonRef> {
    id.zip(name).map(|(id, name)| PersonRef { id, name })
}

fn from_row(r: &Row<'_>, t: &BandThresholds, as_of: NaiveDate) -> rusqlite::Result<Risk> {
    let id: i64 = r.get(0)?;
    let bad = |what: &str, v: String| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("risk {id} holds {what} {v:?}, which we never write").into(),
        )
    };
    let category: String = r.get(4)?;
    let category = RiskCategory::parse(&category).ok_or_else(|| bad("category", category))?;
    let inherent = Rating::new(r.get(7)?, r.get(8)?, t);
    let treatment = match r.get::<_, Option<String>>(9)? {
        None => None,
        Some(s) => Some(Treatment::parse(&s).ok_or_else(|| bad("treatment", s))?),
    };
    let residual = match (r.get::<_, Option<u8>>(10)?, r.get::<_, Option<u8>>(11)?) {
        (Some(l), Some(i)) => Some(Rating::new(l, i, t)),
        _ => None,
    };
    let status: String = r.get(15)?;
    let status = RiskStatus::parse(&status).ok_or_else(|| bad("status", status))?;
    let cadence: String = r.get(17)?;
    let review_cadence = ReviewCadence::parse(&cadence).ok_or_else(|| bad("review cadence", cadence))?;
    let last_reviewed_on = r.get::<_, Option<String>>(16)?.as_deref().and_then(parse_date);
    let created_at: String = r.get(20)?;
    let added_on = created_at.get(..10).and_then(parse_date);
    let review_due = last_reviewed_on.or(added_on).and_then(|d| review_cadence.next_due(d));
    let accepted_until = r.get::<_, Option<String>>(14)?.as_deref().and_then(parse_date);
    let live = status != RiskStatus::Closed;
    Ok(Risk {
        id,
        reference: r.get(1)?,
        title: r.get(2)?,
        description: r.get(3)?,
        category,
        owner: person(r.get(5)?, r.get(6)?),
        current: residual.unwrap_or(inherent),
        inherent,
        treatment,
        residual,
        controls: Vec::new(),
        accepted_by: person(r.get(12)?, r.get(13)?),
        acceptance_expired: live && treatment == Some(Treatment::Accept) && accepted_until.is_some_and(|d| d < as_of),
        accepted_until,
        status,
        last_reviewed_on,
        review_cadence,
        review_overdue: live && review_due.is_some_and(|d| d < as_of),
        review_due,
        starter_key: r.get(18)?,
        archived: r.get::<_, Option<String>>(19)?.is_some(),
        created_at,
        updated_at: r.get(21)?,
    })
}

fn controls_of(conn: &Connection, risk_id: i64) -> Result<Vec<ControlLink>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.reference, c.title, c.status, c.archived_at IS NOT NULL
         FROM risk_controls rc JOIN controls c ON c.id = rc.control_id
         WHERE rc.risk_id = ?1 ORDER BY c.reference COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([risk_id], |r| {
        Ok(ControlLink {
            id: r.get(0)?,
            reference: r.get(1)?,
            title: r.get(2)?,
            status: ControlStatus::parse(&r.get::<_, String>(3)?).unwrap_or_default(),
            archived: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A page of risks. `as_of` decides which reviews and acceptances are overdue.
pub fn list(conn: &Connection, q: &RiskQuery, as_of: NaiveDate) -> Result<Page<Risk>> {
    let t = settings::band_thresholds(conn)?;
    let mut f = Filter::new();
    f.archived(q.include_archived, "r")
        .search(&q.search, &["r.reference", "r.title", "r.description"])
        .eq("r.category", q.category.map(|c| c.as_str().to_owned()))
        .eq("r.owner_id", q.owner_id)
        .eq("r.treatment", q.treatment.map(|t| t.as_str().to_owned()))
        .eq("r.status", q.status.map(|s| s.as_str().to_owned()));
    if let Some(b) = q.band {
        let (lo, hi) = b.range(&t);
        f.clause(format!("{} BETWEEN {lo} AND {hi}", score_sql(q.band_view)));
    }
    if let Some(c) = q.control_id {
        let p = f.arg(c);
        f.clause(format!("EXISTS (SELECT 1 FROM risk_controls rc WHERE rc.risk_id = r.id AND rc.control_id = {p})"));
    }
    let dir = direction(q.descending);
    let order = match q.sort {
        RiskSort::Reference => format!("r.reference COLLATE NOCASE {dir}"),
        RiskSort::Title => format!("r.title COLLATE NOCASE {dir}"),
        RiskSort::Category => format!("r.category {dir}"),
        RiskSort::Owner => format!("o.name IS NULL, o.name COLLATE NOCASE {dir}"),
        RiskSort::Inherent => format!("{} {dir}, r.inherent_likelihood {dir}", score_sql(RatingView::Inherent)),
        RiskSort::Residual => format!("{} {dir}", score_sql(RatingView::Residual)),
        RiskSort::Status => format!("r.status {dir}"),
        RiskSort::ReviewDue => format!("coalesce(r.last_reviewed_on, substr(r.created_at, 1, 10)) {dir}"),
    };
    let order = format!("{order}, r.reference COLLATE NOCASE");
    let mut page = f.page(conn, "FROM risks r", SELECT, &order, (q.offset, q.limit), |r| from_row(r, &t, as_of))?;
    for risk in &mut page.rows {
        risk.controls = controls_of(conn, risk.id)?;
    }
    Ok(page)
}

pub fn get(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<Risk> {
    let t = settings::band_thresholds(conn)?;
    let mut risk = conn
        .prepare_cached(&format!("{SELECT} WHERE r.id = ?1"))?
        .query_row([id], |r| from_row(r, &t, as_of))
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No risk with id {id}.")))?;
    risk.controls = controls_of(conn, id)?;
    Ok(risk)
}

pub fn detail(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<RiskDetail> {
    let risk = get(conn, id, as_of)?;
    let suggestion = risk.starter_key.as_deref().and_then(crate::starter::risks::suggestion);
    Ok(RiskDetail { risk, history: history::list(conn, Register::Risks, id)?, suggestion })
}

/// Takes the starter library's suggestion for a risk: its treatment and residual rating (an
/// accepted risk is accepted by its owner for a year). Refused for a risk the library did not
/// give, and, for acceptance, for a risk without an owner.
pub fn accept_suggestion(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64) -> Result<Risk> {
    let today = now.date_naive();
    let r = get(tx, id, today)?;
    let Some(s) = r.starter_key.as_deref().and_then(crate::starter::risks::suggestion) else {
        return Err(Error::new(
            ErrorCode::Conflict,
            "This risk is not from the starter library, so there is no suggestion to take.",
        ));
    };
    let treatment = Treatment::ALL.iter().copied().find(|t| t.as_str() == s.treatment);
    let accepting = treatment == Some(Treatment::Accept);
    if accepting && r.owner.is_none() {
        return Err(Error::field("owner_id", "Give the risk an owner first: the owner accepts it."));
    }
    let input = RiskInput {
        reference: r.reference.clone(),
        title: r.title.clone(),
        description: r.description.clone(),
        category: r.category,
        owner_id: r.owner.as_ref().map(|o| o.id),
        inherent_likelihood: Some(r.inherent.likelihood),
        inherent_impact: Some(r.inherent.impact),
        treatment,
        residual_likelihood: Some(s.residual_likelihood),
        residual_impact: Some(s.residual_impact),
        control_ids: r.controls.iter().map(|c| c.id).collect(),
        accepted_by_id: if accepting { r.owner.as_ref().map(|o| o.id) } else { r.accepted_by.as_ref().map(|p| p.id) },
        accepted_until: match (accepting, r.accepted_until) {
            (true, _) => (today + chrono::Days::new(365)).to_string(),
            (false, d) => d.map(|d| d.to_string()).unwrap_or_default(),
        },
        status: r.status,
        last_reviewed_on: r.last_reviewed_on.map(|d| d.to_string()).unwrap_or_default(),
        review_cadence: r.review_cadence,
    };
    update(tx, now, id, &input)
}

pub struct Valid {
    reference: String,
    /// The starter library entry it was added from (set on creation only).
    starter_key: Option<&'static str>,
    title: String,
    description: String,
    category: RiskCategory,
    owner_id: Option<i64>,
    inherent: (u8, u8),
    treatment: Option<Treatment>,
    residual: Option<(u8, u8)>,
    control_ids: Vec<i64>,
    accepted_by_id: Option<i64>,
    accepted_until: Option<NaiveDate>,
    status: RiskStatus,
    last_reviewed_on: Option<NaiveDate>,
    review_cadence: ReviewCadence,
}

fn level(v: &mut Validator, field: &str, value: Option<u8>, missing: &str) -> Option<u8> {
    match value {
        None => {
            v.add(field, missing);
            None
        }
        Some(n) if !(1..=5).contains(&n) => {
            v.add(field, "Choose a level from 1 to 5.");
            None
        }
        Some(n) => Some(n),
    }
}

fn rating_text((l, i): (u8, u8)) -> String {
    format!("{} x {} = {} ({} x {})", l, i, l * i, likelihood_label(l), impact_label(i))
}

record_kind!(Risk in Risks, load(conn, id, now) { get(conn, id, now.date_naive()) }, editable(RiskInput), archive = set_archived);

impl Editable for Risk {
    type Input = RiskInput;
    type Valid = Valid;
    const COLUMNS: &'static [&'static str] = &[
        "reference",
        "title",
        "description",
        "category",
        "owner_id",
        "inherent_likelihood",
        "inherent_impact",
        "treatment",
        "residual_likelihood",
        "residual_impact",
        "accepted_by_id",
        "accepted_until",
        "status",
        "last_reviewed_on",
        "review_cadence",
    ];

    fn validate(conn: &Connection, now: DateTime<Utc>, input: &RiskInput, this: Option<&Self>) -> Result<Valid> {
        let today = now.date_naive();
        let mut v = Validator::new();
        let reference = v.numbered_reference(
            conn,
            Referenced::Risks,
            &input.reference,
            32,
            this.map(|r| (r.id, r.reference.as_str())),
        )?;
        let title = v.required("title", "Title", &input.title, 200);
        let description = v.optional("description", "Description", &input.description, 20_000);
        v.active_person(conn, "owner_id", input.owner_id, this.and_then(|r| r.owner.as_ref().map(|o| o.id)), "owner")?;
        let il = level(
            &mut v,
            "inherent_likelihood",
            input.inherent_likelihood,
            "Choose how likely this is before any controls.",
        );
        let ii =
            level(&mut v, "inherent_impact", input.inherent_impact, "Choose how bad it would be before any controls.");

        let needs_residual = matches!(input.treatment, Some(Treatment::Mitigate | Treatment::Transfer));
        let treatment_word = input.treatment.map(|t| t.label().to_lowercase()).unwrap_or_default();
        let residual_level =
            |v: &mut Validator, field: &str, value: Option<u8>, other: Option<u8>, what: &str| match value {
                None if needs_residual => {
                    v.add(
                        field,
                        format!("A risk you {treatment_word} needs a residual {what}: the rating after treatment."),
                    );
                    None
                }
                None if other.is_some() => {
                    v.add(field, format!("Give the residual {what} too, or clear both residual fields."));
                    None
                }
                None => None,
                Some(n) if !(1..=5).contains(&n) => {
                    v.add(field, "Choose a level from 1 to 5.");
                    None
                }
                Some(n) => Some(n),
            };
        let rl = residual_level(
            &mut v,
            "residual_likelihood",
            input.residual_likelihood,
            input.residual_impact,
            "likelihood",
        );
        let ri = residual_level(&mut v, "residual_impact", input.residual_impact, input.residual_likelihood, "impact");
        if let (Some(r), Some(i)) = (rl, il) {
            if r > i {
                v.add(
                    "residual_likelihood",
                    format!(
                        "Residual likelihood ({}) cannot be above the inherent likelihood ({}): treatment lowers a risk, it never raises it.",
                        likelihood_label(r),
                        likelihood_label(i)
                    ),
                );
            }
        }
        if let (Some(r), Some(i)) = (ri, ii) {
            if r > i {
                v.add(
                    "residual_impact",
                    format!(
                        "Residual impact ({}) cannot be above the inherent impact ({}): treatment lowers a risk, it never raises it.",
                        impact_label(r),
                        impact_label(i)
                    ),
                );
            }
        }

        let accepted_until = v.date("accepted_until", "Accepted until", &input.accepted_until);
        let previous_acceptor = this.and_then(|r| r.accepted_by.as_ref().map(|p| p.id));
        v.active_person(conn, "accepted_by_id", input.accepted_by_id, previous_acceptor, "person")?;
        if input.treatment == Some(Treatment::Accept) {
            if input.accepted_by_id.is_none() {
                v.add(
                    "accepted_by_id",
                    "Say who accepted this risk; an accepted risk needs a named owner of the decision.",
                );
            }
            if input.accepted_until.trim().is_empty() {
                v.add("accepted_until", "Say until when the risk is accepted, so the decision is revisited.");
            }
        }
        if input.status == RiskStatus::Treated && input.treatment.is_none() {
            v.add("treatment", "Choose how the risk is treated before marking it treated.");
        }
        let last_reviewed_on = v.date("last_reviewed_on", "Last reviewed on", &input.last_reviewed_on);
        if last_reviewed_on.is_some_and(|d| d > today) {
            v.add("last_reviewed_on", "A review cannot be dated in the future.");
        }

        let mut control_ids: Vec<i64> =
            input.control_ids.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
        let linked_before: BTreeSet<i64> = this.map(|r| r.controls.iter().map(|c| c.id).collect()).unwrap_or_default();
        for &id in &control_ids {
            let archived: Option<bool> = conn
                .prepare_cached("SELECT archived_at IS NOT NULL FROM controls WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            match archived {
                None => v.add("control_ids", "One of the chosen controls does not exist."),
                Some(true) if !linked_before.contains(&id) => {
                    v.add("control_ids", "One of the chosen controls is archived; restore it or choose another.")
                }
                _ => {}
            }
        }
        control_ids.sort_unstable();
        v.finish()?;
        let (Some(il), Some(ii)) = (il, ii) else {
            return Err(Error::internal("validated inherent rating missing"));
        };
        // Acceptance fields only mean something for an accepted risk; other treatments clear them.
        let accepted = input.treatment == Some(Treatment::Accept);
        Ok(Valid {
            reference,
            starter_key: None,
            title,
            description,
            category: input.category,
            owner_id: input.owner_id,
            inherent: (il, ii),
            treatment: input.treatment,
            residual: rl.zip(ri),
            control_ids,
            accepted_by_id: if accepted { input.accepted_by_id } else { None },
            accepted_until: if accepted { accepted_until } else { None },
            status: input.status,
            last_reviewed_on,
            review_cadence: input.review_cadence,
        })
    }

    fn diff(conn: &Connection, old: Option<&Self>, new: &Valid) -> Result<Diff> {
        let refs = record::names_of(conn, "SELECT reference FROM controls WHERE id = ?1", &new.control_ids)?;
        let mut d = Diff::new();
        d.field("reference", old.map(|r| r.reference.clone()), Some(new.reference.clone()))
            .field("title", old.map(|r| r.title.clone()), Some(new.title.clone()))
            .field("description", old.map(|r| r.description.clone()), Some(new.description.clone()))
            .field("category", old.map(|r| r.category.label().to_owned()), Some(new.category.label().to_owned()))
            .person("owner", old.and_then(|r| r.owner.as_ref()), crate::people::name_of(conn, new.owner_id)?)
            .field(
                "inherent",
                old.map(|r| rating_text((r.inherent.likelihood, r.inherent.impact))),
                Some(rating_text(new.inherent)),
            )
            .field(
                "treatment",
                old.and_then(|r| r.treatment.map(|t| t.label().to_owned())),
                new.treatment.map(|t| t.label().to_owned()),
            )
            .field(
                "residual",
                old.and_then(|r| r.residual.map(|x| rating_text((x.likelihood, x.impact)))),
                new.residual.map(rating_text),
            )
            .field(
                "controls",
                old.map(|r| r.controls.iter().map(|c| c.reference.clone()).collect::<Vec<_>>().join(", ")),
                Some(refs),
            )
            .person(
                "accepted_by",
                old.and_then(|r| r.accepted_by.as_ref()),
                crate::people::name_of(conn, new.accepted_by_id)?,
            )
            .field(
                "accepted_until",
                old.and_then(|r| r.accepted_until.map(|d| d.to_string())),
                new.accepted_until.map(|d| d.to_string()),
            )
            .field("status", old.map(|r| r.status.label().to_owned()), Some(new.status.label().to_owned()))
            .field(
                "last_reviewed_on",
                old.and_then(|r| r.last_reviewed_on.map(|d| d.to_string())),
                new.last_reviewed_on.map(|d| d.to_string()),
            )
            .field(
                "review_cadence",
                old.map(|r| r.review_cadence.label().to_owned()),
                Some(new.review_cadence.label().to_owned()),
            );
        Ok(d)
    }

    fn values(v: &Valid) -> Vec<Value> {
        vec![
            v.reference.clone().into(),
            v.title.clone().into(),
            v.description.clone().into(),
            v.category.as_str().to_owned().into(),
            v.owner_id.into(),
            v.inherent.0.into(),
            v.inherent.1.into(),
            v.treatment.map(|t| t.as_str().to_owned()).into(),
            v.residual.map(|r| r.0).into(),
            v.residual.map(|r| r.1).into(),
            v.accepted_by_id.into(),
            v.accepted_until.map(|d| d.to_string()).into(),
            v.status.as_str().to_owned().into(),
            v.last_reviewed_on.map(|d| d.to_string()).into(),
            v.review_cadence.as_str().to_owned().into(),
        ]
    }

    fn creation_values(valid: &Valid) -> Vec<(&'static str, Value)> {
        vec![("starter_key", valid.starter_key.map(str::to_owned).into())]
    }

    fn write_children(tx: &Transaction<'_>, id: i64, valid: &Valid) -> Result<()> {
        tx.execute("DELETE FROM risk_controls WHERE risk_id = ?1", [id])?;
        let mut stmt = tx.prepare_cached("INSERT INTO risk_controls (risk_id, control_id) VALUES (?1, ?2)")?;
        for c in &valid.control_ids {
            stmt.execute([id, *c])?;
        }
        Ok(())
    }
}

/// One risk of the starter library, as the picker shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StarterRiskOption {
    pub key: String,
    pub title: String,
    pub description: String,
    pub category: RiskCategory,
    pub inherent: Rating,
    /// Starter control references; `present` says whether the workspace has that control.
    pub suggested_controls: Vec<SuggestedControl>,
    /// Already in the register (added from the library earlier).
    pub added: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SuggestedControl {
    pub reference: String,
    pub title: String,
    pub present: bool,
}

/// The starter risk library, marking what is already added and which suggested controls exist.
pub fn starter_library(conn: &Connection) -> Result<Vec<StarterRiskOption>> {
    let t = settings::band_thresholds(conn)?;
    let mut out = Vec::new();
    for s in crate::starter::risks::STARTER_RISKS {
        let added: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM risks WHERE starter_key = ?1)")?
            .query_row([s.key], |r| r.get(0))?;
        let mut suggested = Vec::new();
        for reference in s.controls {
            let present: bool = conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM controls WHERE reference = ?1 AND archived_at IS NULL)")?
                .query_row([reference], |r| r.get(0))?;
            let title = crate::starter::controls::STARTER_CONTROLS
                .iter()
                .find(|c| c.reference == *reference)
                .map(|c| c.title)
                .unwrap_or_default();
            suggested.push(SuggestedControl { reference: reference.to_string(), title: title.to_owned(), present });
        }
        out.push(StarterRiskOption {
            key: s.key.to_owned(),
            title: s.title.to_owned(),
            description: s.description.to_owned(),
            category: s.category,
            inherent: Rating::new(s.likelihood, s.impact, &t),
            suggested_controls: suggested,
            added,
        });
    }
    Ok(out)
}

/// Adds the chosen starter risks (open, treatment to be decided), linked to the suggested
/// controls the workspace has. Already-added ones are skipped. Returns how many were added.
pub fn add_starter(tx: &Transaction<'_>, now: DateTime<Utc>, keys: &[String]) -> Result<u32> {
    let mut added = 0;
    for key in keys {
        let s = crate::starter::risks::STARTER_RISKS
            .iter()
            .find(|s| s.key == key.as_str())
            .ok_or_else(|| Error::field("keys", format!("The starter library has no risk {key:?}.")))?;
        let exists: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM risks WHERE starter_key = ?1)")?
            .query_row([s.key], |r| r.get(0))?;
        if exists {
            continue;
        }
        let mut control_ids = Vec::new();
        for reference in s.controls {
            let id: Option<i64> = tx
                .prepare_cached("SELECT id FROM controls WHERE reference = ?1 AND archived_at IS NULL")?
                .query_row([reference], |r| r.get(0))
                .optional()?;
            control_ids.extend(id);
        }
        let owner = match crate::starter::risks::suggestion(s.key) {
            Some(g) => crate::roles::active_holder(tx, &g.role, now.date_naive())?,
            None => None,
        };
        let input = RiskInput {
            title: s.title.to_owned(),
            description: s.description.to_owned(),
            owner_id: owner.map(|p| p.id),
            category: s.category,
            inherent_likelihood: Some(s.likelihood),
            inherent_impact: Some(s.impact),
            control_ids,
            ..RiskInput::default()
        };
        let valid = Valid { starter_key: Some(s.key), ..Risk::validate(tx, now, &input, None)? };
        record::insert_valid::<Risk>(tx, now, &valid)?;
        added += 1;
    }
    Ok(added)
}

/// The risks CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "reference",
        "title",
        "description",
        "category",
        "owner_email",
        "inherent_likelihood",
        "inherent_impact",
        "treatment",
        "residual_likelihood",
        "residual_impact",
        "controls",
        "accepted_by_email",
        "accepted_until",
        "status",
        "last_reviewed_on",
        "review_cadence",
    ],
    required: &["title", "category", "inherent_likelihood", "inherent_impact"],
    aliases: &[],
    example: &[
        "",
        "Laptop lost with customer data on it",
        "A stolen or lost laptop exposes customer data kept locally.",
        "security",
        "ana@example.com",
        "3",
        "4",
        "mitigate",
        "2",
        "2",
        "AC-01",
        "",
        "",
        "open",
        "2026-06-01",
        "annual",
    ],
};

fn email_of(conn: &Connection, p: &Option<PersonRef>) -> Result<String> {
    Ok(match p {
        Some(p) => conn
            .prepare_cached("SELECT email FROM people WHERE id = ?1")?
            .query_row([p.id], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// A risk as CSV cells, in [`CSV_COLUMNS`] order.
fn csv_cells(conn: &Connection, r: Risk) -> Result<Vec<String>> {
    let controls = controls_of(conn, r.id)?;
    let opt = |n: Option<u8>| n.map(|n| n.to_string()).unwrap_or_default();
    Ok(vec![
        r.reference.clone(),
        r.title.clone(),
        r.description.clone(),
        r.category.as_str().to_owned(),
        email_of(conn, &r.owner)?,
        r.inherent.likelihood.to_string(),
        r.inherent.impact.to_string(),
        r.treatment.map(|t| t.as_str().to_owned()).unwrap_or_default(),
        opt(r.residual.map(|x| x.likelihood)),
        opt(r.residual.map(|x| x.impact)),
        controls.iter().map(|c| c.reference.as_str()).collect::<Vec<_>>().join(" "),
        email_of(conn, &r.accepted_by)?,
        r.accepted_until.map(|d| d.to_string()).unwrap_or_default(),
        r.status.as_str().to_owned(),
        r.last_reviewed_on.map(|d| d.to_string()).unwrap_or_default(),
        r.review_cadence.as_str().to_owned(),
    ])
}

/// Risks in CSV, matched on reference; rows without one get the next RISK-nnn. Levels may be
/// numbers (1-5) or labels ("Likely"). See [`crate::csv_import`].
pub struct RisksCsv;

impl crate::csv_import::CsvRegister for RisksCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["reference"];
    const FIND: &'static str = "SELECT id FROM risks WHERE reference = ?1";
    const EXPORT_IDS: &'static str = "SELECT id FROM risks WHERE archived_at IS NULL ORDER BY reference COLLATE NOCASE";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        csv_cells(conn, get(conn, id, NaiveDate::MIN)?)
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        use crate::scoring::{parse_level, IMPACT_LABELS, LIKELIHOOD_LABELS};
        let mut level = |column: &str, labels: &[&str; 5], required: bool| -> Option<u8> {
            let cell = c.text(column);
            if cell.is_empty() {
                if required {
                    c.problem(column, "A level from 1 to 5 is required.");
                }
                return None;
            }
            let n = parse_level(&cell, labels);
            if n.is_none() {
                c.problem(
                    column,
                    format!("{:?} is not a level: use 1-5 or one of {}.", shown(&cell), labels.join(", ")),
                );
            }
            n
        };
        let inherent_likelihood = level("inherent_likelihood", &LIKELIHOOD_LABELS, true);
        let inherent_impact = level("inherent_impact", &IMPACT_LABELS, true);
        let residual_likelihood = level("residual_likelihood", &LIKELIHOOD_LABELS, false);
        let residual_impact = level("residual_impact", &IMPACT_LABELS, false);
        let references = split_list(c.row.get("controls"));
        let input = RiskInput {
            reference: c.text("reference"),
            title: c.text("title"),
            description: c.text("description"),
            category: c.required_choice("category").unwrap_or(RiskCategory::Security),
            owner_id: c.person(tx, "owner_email")?,
            inherent_likelihood,
            inherent_impact,
            treatment: c.choice_or_none("treatment"),
            residual_likelihood,
            residual_impact,
            control_ids: c.ids(tx, "controls", references, "SELECT id FROM controls WHERE reference = ?1", |r| {
                format!("No control has the reference {r}.")
            })?,
            accepted_by_id: c.person(tx, "accepted_by_email")?,
            accepted_until: c.text("accepted_until"),
            status: c.choice("status", RiskStatus::Open),
            last_reviewed_on: c.text("last_reviewed_on"),
            review_cadence: c.choice("review_cadence", ReviewCadence::Annual),
        };
        record::save_row::<Risk>(tx, now, existing, &input, &c.errors)
    }
}
