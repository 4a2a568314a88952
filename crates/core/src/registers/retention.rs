//! The data retention schedule: each data type, how long it is kept and why, where it lives,
//! how it is disposed of, and the dated disposal records that prove the schedule is followed.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::csv_import::{Applied, Cells};
use crate::error::{Error, Result};
use crate::evidence::{self, Evidence, EvidenceTarget};
use crate::history::{self, Diff, HistoryEntry};
use crate::list::Filter;
use crate::occurrences::{record_with_evidence, written, EvidenceFile, OccurrenceKind};
use crate::record::{self, Editable};
use crate::refs::NamedRef;
use crate::refs::PersonRef;
use crate::refs::Register;
use crate::risks::ReviewCadence;
use crate::validate::{parse_date, Validator};

string_enum!(
    RetentionUnit {
        Days = "days" / "days",
        Months = "months" / "months",
        Years = "years" / "years",
        /// Kept while the customer is active, then N days.
        AfterCustomer = "after_customer" / "days after the customer leaves",
    }
);

/// How long a data type is kept, in words ("3 years", "while the customer is active + 30 days").
pub fn retention_text(unit: RetentionUnit, value: u32) -> String {
    match unit {
        RetentionUnit::AfterCustomer if value == 0 => "while the customer is active".into(),
        RetentionUnit::AfterCustomer => format!("while the customer is active + {value} days"),
        u => {
            let word = u.label();
            if value == 1 {
                format!("1 {}", word.trim_end_matches('s'))
            } else {
                format!("{value} {word}")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DataType {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub retention_unit: RetentionUnit,
    pub retention_value: u32,
    /// The period in words.
    pub retention: String,
    pub legal_basis: String,
    pub disposal_method: String,
    pub disposal_cadence: ReviewCadence,
    pub systems: Vec<NamedRef>,
    pub last_disposal: Option<NaiveDate>,
    /// One cadence after the last disposal, or after the data type was added if never disposed.
    pub next_disposal_due: Option<NaiveDate>,
    pub disposal_overdue: bool,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DataTypeInput {
    pub name: String,
    pub description: String,
    pub retention_unit: RetentionUnit,
    pub retention_value: Option<u32>,
    pub legal_basis: String,
    pub disposal_method: String,
    pub disposal_cadence: ReviewCadence,
    pub system_ids: Vec<i64>,
}

impl Default for DataTypeInput {
    fn default() -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            retention_unit: RetentionUnit::Years,
            retention_value: None,
            legal_basis: String::new(),
            disposal_method: String::new(),
            disposal_cadence: ReviewCadence::Annual,
            system_ids: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Disposal {
    pub id: i64,
    pub performed_on: NaiveDate,
    pub performed_by: Option<PersonRef>,
    pub what: String,
    pub evidence: Vec<Evidence>,
    /// Set when it was withdrawn: it is kept, struck through, and counts nowhere.
    pub withdrawn: Option<crate::occurrences::Withdrawal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisposalInput {
    pub performed_on: String,
    pub performed_by_id: Option<i64>,
    /// What was disposed of, and how much.
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DataTypeDetail {
    pub data_type: DataType,
    pub disposals: Vec<Disposal>,
    pub history: Vec<HistoryEntry>,
}

const SELECT: &str = "
    SELECT d.id, d.name, d.description, d.retention_unit, d.retention_value, d.legal_basis, d.disposal_method,
           d.disposal_cadence, (SELECT max(x.performed_on) FROM disposals x WHERE x.data_type_id = d.id AND x.withdrawn_at IS NULL),
           d.archived_at, d.created_at, d.updated_at
    FROM data_types d";

fn from_row(r: &Row<'_>, as_of: NaiveDate) -> rusqlite::Result<DataType> {
    let id: i64 = r.get(0)?;
    let bad = |what: &str, v: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("data type {id} holds {what} {v:?}, which we never write").into(),
        )
    };
    let unit: String = r.get(3)?;
    let retention_unit = RetentionUnit::parse(&unit).ok_or_else(|| bad("retention unit", &unit))?;
    let retention_value: u32 = r.get(4)?;
    let cadence: String = r.get(7)?;
    let disposal_cadence = ReviewCadence::parse(&cadence).ok_or_else(|| bad("disposal cadence", &cadence))?;
    let last_disposal = r.get::<_, Option<String>>(8)?.as_deref().and_then(parse_date);
    let archived = r.get::<_, Option<String>>(9)?.is_some();
    let created_at: String = r.get(10)?;
    let added = created_at.get(..10).and_then(parse_date);
    let next_disposal_due = last_disposal.or(added).and_then(|d| disposal_cadence.next_due(d));
    Ok(DataType {
        id,
        name: r.get(1)?,
        description: r.get(2)?,
        retention: retention_text(retention_unit, retention_value),
        retention_unit,
        retention_value,
        legal_basis: r.get(5)?,
        disposal_method: r.get(6)?,
        disposal_cadence,
        systems: Vec::new(),
        last_disposal,
        disposal_overdue: !archived && next_disposal_due.is_some_and(|d| d < as_of),
        next_disposal_due,
        archived,
        created_at,
        updated_at: r.get(11)?,
    })
}

fn systems_of(conn: &Connection, id: i64) -> Result<Vec<NamedRef>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.id, s.name FROM system_data_types sd JOIN systems s ON s.id = sd.system_id
             WHERE sd.data_type_id = ?1 ORDER BY s.name COLLATE NOCASE",
        )?
        .query_map([id], |r| Ok(NamedRef { id: r.get(0)?, name: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn list(conn: &Connection, search: &str, include_archived: bool, as_of: NaiveDate) -> Result<Vec<DataType>> {
    let mut f = Filter::new();
    f.archived(include_archived, "d").search(search, &["d.name", "d.description"]);
    let mut out = f.all(conn, SELECT, "d.name COLLATE NOCASE, d.id", |r| from_row(r, as_of))?;
    for d in &mut out {
        d.systems = systems_of(conn, d.id)?;
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<DataType> {
    let mut d = conn
        .prepare_cached(&format!("{SELECT} WHERE d.id = ?1"))?
        .query_row([id], |r| from_row(r, as_of))
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No data type with id {id}.")))?;
    d.systems = systems_of(conn, id)?;
    Ok(d)
}

fn disposals_of(conn: &Connection, id: i64) -> Result<Vec<Disposal>> {
    let sql = "SELECT x.id, x.performed_on, x.performed_by_id, p.name, x.what, x.created_at, x.withdrawn_at,
        x.withdrawn_reason FROM disposals x
        LEFT JOIN people p ON p.id = x.performed_by_id WHERE x.data_type_id = ?1 ORDER BY x.performed_on DESC, x.id DESC";
    crate::occurrences::dated_rows(conn, sql, id, "disposal")?
        .into_iter()
        .map(|r| {
            let evidence = evidence::for_target(conn, EvidenceTarget::Disposal(r.id))?;
            Ok(Disposal {
                id: r.id,
                performed_on: r.performed_on,
                performed_by: r.performed_by,
                what: r.text,
                evidence,
                withdrawn: r.withdrawn,
            })
        })
        .collect()
}

pub fn detail(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<DataTypeDetail> {
    Ok(DataTypeDetail {
        data_type: get(conn, id, as_of)?,
        disposals: disposals_of(conn, id)?,
        history: history::list(conn, Register::Retention, id)?,
    })
}

pub struct Valid {
    name: String,
    description: String,
    unit: RetentionUnit,
    value: u32,
    legal_basis: String,
    disposal_method: String,
    cadence: ReviewCadence,
    system_ids: Vec<i64>,
}

record_kind!(DataType in Retention, load(conn, id, now) { get(conn, id, now.date_naive()) }, editable(DataTypeInput), archive = set_archived);

impl Editable for DataType {
    type Input = DataTypeInput;
    type Valid = Valid;
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "description",
        "retention_unit",
        "retention_value",
        "legal_basis",
        "disposal_method",
        "disposal_cadence",
    ];

    fn validate(conn: &Connection, _now: DateTime<Utc>, input: &DataTypeInput, old: Option<&Self>) -> Result<Valid> {
        let this = old.map(|d| d.id);
        let mut v = Validator::new();
        let name = v.unique_name(
            conn,
            "Data type",
            &input.name,
            "SELECT id FROM data_types WHERE name = ?1",
            this,
            "data type",
        )?;
        let description = v.optional("description", "Description", &input.description, 5_000);
        let value = match (input.retention_unit, input.retention_value) {
            (RetentionUnit::AfterCustomer, None) => 0,
            (_, None) => {
                v.add("retention_value", "Say how long it is kept.");
                0
            }
            (RetentionUnit::AfterCustomer, Some(n)) if n <= 3650 => n,
            (RetentionUnit::Days, Some(n)) if (1..=36_500).contains(&n) => n,
            (RetentionUnit::Months, Some(n)) if (1..=1_200).contains(&n) => n,
            (RetentionUnit::Years, Some(n)) if (1..=100).contains(&n) => n,
            _ => {
                v.add("retention_value", "That period is out of range: check the number and the unit.");
                0
            }
        };
        let legal_basis = v.optional("legal_basis", "Legal basis or reason", &input.legal_basis, 2_000);
        let disposal_method = v.optional("disposal_method", "Disposal method", &input.disposal_method, 2_000);
        let mut system_ids = input.system_ids.clone();
        system_ids.sort_unstable();
        system_ids.dedup();
        for id in &system_ids {
            let exists: bool = conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM systems WHERE id = ?1)")?
                .query_row([id], |r| r.get(0))?;
            if !exists {
                v.add("system_ids", "One of the chosen systems does not exist.");
            }
        }
        v.finish()?;
        Ok(Valid {
            name,
            description,
            unit: input.retention_unit,
            value,
            legal_basis,
            disposal_method,
            cadence: input.disposal_cadence,
            system_ids,
        })
    }

    fn diff(conn: &Connection, old: Option<&Self>, new: &Valid) -> Result<Diff> {
        let names = record::names_of(conn, "SELECT name FROM systems WHERE id = ?1", &new.system_ids)?;
        let mut d = Diff::new();
        d.field("name", old.map(|x| x.name.clone()), Some(new.name.clone()))
            .field("description", old.map(|x| x.description.clone()), Some(new.description.clone()))
            .field("retention", old.map(|x| x.retention.clone()), Some(retention_text(new.unit, new.value)))
            .field("legal_basis", old.map(|x| x.legal_basis.clone()), Some(new.legal_basis.clone()))
            .field("disposal_method", old.map(|x| x.disposal_method.clone()), Some(new.disposal_method.clone()))
            .field("disposal_cadence", old.map(|x| x.disposal_cadence.label().into()), Some(new.cadence.label().into()))
            .field(
                "systems",
                old.map(|x| x.systems.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(", ")),
                Some(names),
            );
        Ok(d)
    }

    fn values(v: &Valid) -> Vec<Value> {
        vec![
            v.name.clone().into(),
            v.description.clone().into(),
            v.unit.as_str().to_owned().into(),
            v.value.into(),
            v.legal_basis.clone().into(),
            v.disposal_method.clone().into(),
            v.cadence.as_str().to_owned().into(),
        ]
    }

    fn write_children(tx: &Transaction<'_>, id: i64, valid: &Valid) -> Result<()> {
        tx.execute("DELETE FROM system_data_types WHERE data_type_id = ?1", [id])?;
        for s in &valid.system_ids {
            tx.prepare_cached("INSERT INTO system_data_types (system_id, data_type_id) VALUES (?1, ?2)")?
                .execute([*s, id])?;
        }
        Ok(())
    }
}

pub(crate) const DISPOSAL: OccurrenceKind = OccurrenceKind {
    what: "a disposal",
    what_plural: "disposals",
    history_field: "disposal",
    parent: Register::Retention,
    by_field: "performed_by_id",
    evidence_of: Some(EvidenceTarget::Disposal),
    table: "disposals",
    parent_column: "data_type_id",
    text_columns: &["what"],
    describe: crate::occurrences::in_words,
    date_column: "performed_on",
    date_label: "Performed on",
    person_word: "by",
    withdrawable: true,
};

/// Records a disposal, with an optional evidence file, in one transaction.
pub fn add_disposal(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    attachments: &crate::attachments::Attachments,
    data_type_id: i64,
    input: &DisposalInput,
    file: Option<crate::evidence::Upload<'_>>,
) -> Result<Disposal> {
    let dt = get(tx, data_type_id, now.date_naive())?;
    let occurrence = DISPOSAL.on(data_type_id, dt.archived, &input.performed_on, input.performed_by_id);
    let id = record_with_evidence(
        tx,
        now,
        attachments,
        &occurrence,
        |v| Ok(v.required("what", "What was disposed of", &input.what, 2_000)),
        |on, what| {
            tx.execute(
                "INSERT INTO disposals (data_type_id, performed_on, performed_by_id, what, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![data_type_id, on.to_string(), input.performed_by_id, what, stamp(now)],
            )?;
            Ok((tx.last_insert_rowid(), format!("{on}: {what}")))
        },
        file.map(EvidenceFile::from),
    )?;
    written(disposals_of(tx, data_type_id)?, |x| x.id == id, "disposal")
}

/// Corrects disposal `id` (its date, who did it and what was disposed of), with the values
/// before in the data type's history. Returns whether anything changed.
pub fn correct_disposal(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &DisposalInput) -> Result<bool> {
    crate::occurrences::correct(tx, now, &DISPOSAL, id, (&input.performed_on, input.performed_by_id), |v| {
        Ok(vec![v.required("what", "What was disposed of", &input.what, 2_000).into()])
    })
}

/// The retention schedule CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "name",
        "description",
        "retention_value",
        "retention_unit",
        "legal_basis",
        "disposal_method",
        "disposal_cadence",
        "systems",
    ],
    required: &["name", "retention_unit"],
    aliases: &[],
    example: &[
        "Application logs",
        "Logs written by the production services",
        "12",
        "months",
        "Contract with customers",
        "Deleted automatically by the log store",
        "monthly",
        "GitHub",
    ],
};

/// A data type as CSV cells, in [`CSV_COLUMNS`] order.
fn csv_cells(d: DataType) -> Vec<String> {
    vec![
        d.name,
        d.description,
        d.retention_value.to_string(),
        d.retention_unit.as_str().into(),
        d.legal_basis,
        d.disposal_method,
        d.disposal_cadence.as_str().into(),
        d.systems.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join("; "),
    ]
}

/// The retention schedule in CSV, matched on the data type's name (see [`crate::csv_import`]).
pub struct RetentionCsv;

impl crate::csv_import::CsvRegister for RetentionCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["name"];
    const FIND: &'static str = "SELECT id FROM data_types WHERE name = ?1";
    const EXPORT_IDS: &'static str =
        "SELECT id FROM data_types WHERE archived_at IS NULL ORDER BY name COLLATE NOCASE, id";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        Ok(csv_cells(get(conn, id, NaiveDate::MIN)?))
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        let input = DataTypeInput {
            name: c.text("name"),
            description: c.text("description"),
            retention_unit: c.required_choice("retention_unit").unwrap_or(RetentionUnit::Years),
            retention_value: c.number("retention_value"),
            legal_basis: c.text("legal_basis"),
            disposal_method: c.text("disposal_method"),
            disposal_cadence: c.choice("disposal_cadence", ReviewCadence::Annual),
            system_ids: c.names(tx, "systems", "SELECT id FROM systems WHERE name = ?1", |name| {
                format!("No system is named {name}.")
            })?,
        };
        record::save_row::<DataType>(tx, now, existing, &input, &c.errors)
    }
}

/// The disposals CSV columns (documented in docs/csv.md).
pub const DISPOSAL_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "data_type",
        "performed_on",
        "performed_by_email",
        "what",
        "evidence_files",
        "evidence_reference",
        "evidence_note",
    ],
    required: &["data_type", "performed_on", "what"],
    aliases: &[],
    example: &["Application logs", "2026-10-01", "ana@example.com", "Logs older than 12 months deleted", "", "", ""],
};

/// Disposals of data in CSV: each row adds one; a row naming one already recorded (data
/// type, date and person) must match it.
pub struct DisposalsCsv;

impl crate::csv_import::DatedCsv for DisposalsCsv {
    crate::dated_csv! {
        columns: DISPOSAL_COLUMNS, table: "disposals", target: Disposal, what: "This disposal",
        parent: "data_type" = "data_types"."name" via "data_type_id",
        missing: "No data type is named {}; add it under Retention first.",
        by: "performed_by_email" = "performed_by_id", cells: "r.what",
        live: "r.withdrawn_at IS NULL"
    }

    fn record(r: crate::csv_import::DatedRow<'_, '_, '_>) -> Result<Option<(i64, NaiveDate)>> {
        let input = DisposalInput {
            performed_on: r.cells.text("performed_on"),
            performed_by_id: r.by,
            what: r.cells.text("what"),
        };
        let d = add_disposal(r.tx, r.now, &crate::attachments::Attachments::default(), r.parent_id, &input, None)?;
        Ok(Some((d.id, d.performed_on)))
    }
}
