//! The one CSV import every register uses: parse, duplicate keys, the column rule, dry run,
//! the per-row and per-field report, and all or nothing. A register only says how to find a
//! record, how it looks as CSV cells, and how to write one complete row.
//!
//! The column rule: a column absent from the file leaves the stored value untouched (its cell
//! is filled from the stored record before the row is read); a present but empty cell clears
//! the value (or resets it to its default). An import that would clear stored values is
//! refused unless the caller allows it, so a file that leaves cells empty by mistake cannot
//! wipe a register.
//!
//! Each row is written through the same validation the app uses, and the whole import in one
//! savepoint: a dry run, a refused clearing or any bad row rolls everything back, so what the
//! report says is exactly what was (or would be) stored.
//!
//! Rows have no savepoint of their own. A row is checked before anything of it is written, so
//! a refused row almost always wrote nothing; when one does fail half way (the database
//! refuses a write its checks let through), the import is refused and rolled back all the
//! same, and only the rows after it are checked against what it wrote. A savepoint per row
//! cost more than the rows themselves: SQLite copies each page a row touches to its statement
//! journal and cuts that journal back at every release, which grew with the workspace (an
//! import of 5,000 changes took 0.3 s into an empty register and 0.9 s into one of 35,000).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::csvio::{parse, Columns, Row, RowError};
use crate::error::{ErrorCode, Result};

/// How many row errors a report lists; `error_count` has them all.
pub const MAX_LISTED_ERRORS: usize = 100;

/// The longest message a row error keeps (cell values quoted in it are cut already).
const MAX_MESSAGE_CHARS: usize = 400;

/// How to run an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportOptions {
    /// Check and report only; nothing is written.
    pub dry_run: bool,
    /// Write even when empty cells clear stored values (the user confirmed).
    pub allow_clearing: bool,
}

impl ImportOptions {
    pub const DRY_RUN: Self = Self { dry_run: true, allow_clearing: false };
    pub const APPLY: Self = Self { dry_run: false, allow_clearing: false };
    pub const APPLY_ALLOW_CLEARING: Self = Self { dry_run: false, allow_clearing: true };
}

/// One stored value an import changes, as CSV cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CellChange {
    pub column: String,
    pub old: String,
    pub new: String,
    /// An empty cell in the file cleared (or reset) a stored value.
    pub cleared: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RowAction {
    Created,
    Updated,
}

/// What an import does to one row's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RowChange {
    pub line: u64,
    /// The record's key as the file names it ("SYS-003", "ana@acme.test / GitHub").
    pub key: String,
    pub action: RowAction,
    /// For updates: every column whose stored value changes.
    pub fields: Vec<CellChange>,
}

/// What an import did, or would do (dry run), or why it did nothing (errors, clearing).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub dry_run: bool,
    /// True only when the rows were written.
    pub applied: bool,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// The first problems (at most [`MAX_LISTED_ERRORS`]), in line order.
    pub errors: Vec<RowError>,
    /// How many problems the file has in all.
    pub error_count: u32,
    /// Every created and updated record, with the fields that change.
    pub changes: Vec<RowChange>,
    /// How many stored values empty cells clear or reset.
    pub cleared: u32,
    /// Nothing was written because empty cells would clear stored values and the caller did
    /// not allow it (`--allow-clearing` in the CLI, a confirmation in the app).
    pub clearing_refused: bool,
}

impl ImportReport {
    /// The report of a file refused before any row was read (a sheet's error cells).
    pub fn refused(options: ImportOptions, errors: Vec<RowError>) -> Self {
        Self { dry_run: options.dry_run, ..Default::default() }.refuse(errors)
    }

    fn refuse(mut self, mut errors: Vec<RowError>) -> Self {
        errors.sort_by_key(|e| e.line);
        for e in &mut errors {
            if e.message.chars().count() > MAX_MESSAGE_CHARS {
                e.message = format!("{}…", e.message.chars().take(MAX_MESSAGE_CHARS).collect::<String>());
            }
        }
        self.error_count = errors.len() as u32;
        errors.truncate(MAX_LISTED_ERRORS);
        self.errors = errors;
        self.created = 0;
        self.updated = 0;
        self.unchanged = 0;
        self.changes.clear();
        self.cleared = 0;
        self.applied = false;
        self
    }
}

/// What writing one row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Created(i64),
    Updated(i64),
    Unchanged,
}

/// A register that can be imported from CSV.
pub trait CsvRegister {
    /// The file's columns (all, required), in export order.
    const COLUMNS: &'static Columns;
    /// The columns that name a record (a row whose key cells are all empty creates a new one).
    const KEY: &'static [&'static str];

    /// The ids of the records an export writes, in file order (archived records left out).
    const EXPORT_IDS: &'static str;

    /// How the row's key cells find a stored record: `?1`, `?2`… are the [`Self::KEY`] cells.
    const FIND: &'static str;

    /// The stored record the row's key names, if any (none when its key cells are empty).
    /// `lookups` holds the names already resolved in this import.
    fn find(tx: &Transaction<'_>, row: &Row, _lookups: &Lookups) -> Result<Option<i64>> {
        use rusqlite::OptionalExtension;
        let key: Vec<&str> = Self::KEY.iter().map(|c| row.get(c)).collect();
        if key.iter().all(|c| c.is_empty()) {
            return Ok(None);
        }
        Ok(tx.prepare_cached(Self::FIND)?.query_row(rusqlite::params_from_iter(key), |r| r.get(0)).optional()?)
    }

    /// A stored record as CSV cells, in [`Self::COLUMNS`] order (exactly what export writes).
    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>>;

    /// Called once before the rows, in the import's transaction (for registers whose rows
    /// build on each other).
    fn start(_tx: &Transaction<'_>) -> Result<()> {
        Ok(())
    }

    /// Reads a complete row (absent columns already hold the stored values), validates it and
    /// writes it (usually through [`crate::record::save_row`]). Problems with cells go to
    /// `cells`; returning an `Error` whose code is a
    /// validation, conflict or not-found also marks the row (its fields mapped by
    /// [`Self::column_of`]).
    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, cells: &mut Cells<'_>, existing: Option<i64>)
        -> Result<Applied>;

    /// The CSV column of a validation field: the column of that name, or the one a reference
    /// field stands for (`owner_id` → `owner_email`, `system_ids` → `systems`).
    fn column_of(field: &str) -> Option<&'static str> {
        let find = |name: &str| Self::COLUMNS.all.iter().copied().find(|c| *c == name);
        if let Some(column) = find(field).or_else(|| find(&format!("{field}_email"))) {
            return Some(column);
        }
        let stem = match field.strip_suffix("_ids") {
            Some(stem) => format!("{stem}s"),
            None => field.strip_suffix("_id")?.to_owned(),
        };
        find(&stem).or_else(|| find(&format!("{stem}_email")))
    }
}

/// Register `R` as CSV text: every record [`CsvRegister::EXPORT_IDS`] lists, as
/// [`CsvRegister::cells`] writes it, so that importing the file back changes nothing.
pub fn export<R: CsvRegister>(conn: &Connection) -> Result<String> {
    let ids =
        conn.prepare(R::EXPORT_IDS)?.query_map([], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        rows.push(R::cells(conn, id)?);
    }
    crate::csvio::write(R::COLUMNS.all, rows)
}

/// Imports `bytes` into register `R`. All or nothing; see the module comment.
pub fn import<R: CsvRegister>(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    bytes: &[u8],
    options: ImportOptions,
    files: &ImportFiles,
) -> Result<ImportReport> {
    let report = ImportReport { dry_run: options.dry_run, ..Default::default() };
    let parsed = match parse(bytes, R::COLUMNS) {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(report.refuse(errors)),
    };
    tx.execute_batch("SAVEPOINT csv_import")?;
    let outcome = R::start(tx).and_then(|()| import_rows::<R>(tx, now, parsed, options, files, report));
    let keep = matches!(&outcome, Ok(r) if r.applied);
    tx.execute_batch(if keep { "RELEASE csv_import" } else { "ROLLBACK TO csv_import; RELEASE csv_import" })?;
    outcome
}

fn import_rows<R: CsvRegister>(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    parsed: crate::csvio::Parsed,
    options: ImportOptions,
    files: &ImportFiles,
    mut report: ImportReport,
) -> Result<ImportReport> {
    let present = parsed.columns;
    let mut errors: Vec<RowError> = Vec::new();
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let lookups = Lookups::default();
    for mut row in parsed.rows {
        let key_cells: Vec<&str> = R::KEY.iter().map(|c| row.get(c)).collect();
        let key = key_cells.iter().filter(|c| !c.is_empty()).copied().collect::<Vec<_>>().join(" / ");
        if !key.is_empty() {
            match seen.get(&key.to_lowercase()) {
                Some(first) => {
                    errors.push(RowError {
                        line: row.line,
                        column: R::KEY.first().map(|c| c.to_string()),
                        message: format!("{} appears twice (also on line {first}).", crate::csvio::shown(&key)),
                    });
                    continue;
                }
                None => {
                    seen.insert(key.to_lowercase(), row.line);
                }
            }
        }
        let existing = R::find(tx, &row, &lookups)?;
        let before = match existing {
            Some(id) => Some(R::cells(tx, id)?),
            None => None,
        };
        let file_cells: Vec<Option<String>> =
            R::COLUMNS.all.iter().map(|c| present.contains(c).then(|| row.get(c).to_owned())).collect();
        if let Some(before) = &before {
            for (i, column) in R::COLUMNS.all.iter().enumerate() {
                if !present.contains(column) {
                    row.set(column, before.get(i).cloned().unwrap_or_default());
                }
            }
        }

        let mut cells = Cells { row: &row, errors: Vec::new(), files, lookups: &lookups };
        let outcome = R::apply(tx, now, &mut cells, existing);
        let mut row_errors = cells.errors;
        let applied = match outcome {
            Ok(applied) => Some(applied),
            // The import's savepoint rolls back whatever it wrote.
            Err(e) if matches!(e.code, ErrorCode::Io | ErrorCode::Internal) => return Err(e),
            Err(e) => {
                let found = if e.fields.is_empty() {
                    vec![RowError { line: row.line, column: None, message: e.message }]
                } else {
                    let line = row.line;
                    e.fields
                        .into_iter()
                        .map(|f| RowError {
                            line,
                            column: R::column_of(&f.field).map(str::to_owned),
                            message: f.message,
                        })
                        .collect()
                };
                for re in found {
                    if !row_errors.iter().any(|x: &RowError| x.column == re.column) {
                        row_errors.push(re);
                    }
                }
                None
            }
        };
        let applied = match applied {
            Some(applied) if row_errors.is_empty() => applied,
            _ => {
                if row_errors.is_empty() {
                    row_errors.push(RowError { line: row.line, column: None, message: "This row was refused.".into() });
                }
                // A row's problems read left to right, as the columns stand in the file.
                let position = |e: &RowError| {
                    e.column.as_deref().and_then(|c| R::COLUMNS.all.iter().position(|x| *x == c)).unwrap_or(usize::MAX)
                };
                row_errors.sort_by_key(position);
                errors.extend(row_errors);
                continue;
            }
        };
        match applied {
            Applied::Unchanged => report.unchanged += 1,
            Applied::Created(id) => {
                report.created += 1;
                // A row without a key gets one on creation (the next ACT-nnnn): show that.
                let key = if key.is_empty() { R::cells(tx, id)?.into_iter().next().unwrap_or_default() } else { key };
                report.changes.push(RowChange { line: row.line, key, action: RowAction::Created, fields: Vec::new() });
            }
            Applied::Updated(id) => {
                report.updated += 1;
                let after = R::cells(tx, id)?;
                let before = before.unwrap_or_default();
                let mut fields = Vec::new();
                for (i, column) in R::COLUMNS.all.iter().enumerate() {
                    let old = before.get(i).cloned().unwrap_or_default();
                    let new = after.get(i).cloned().unwrap_or_default();
                    if old != new {
                        let cleared = matches!(&file_cells[i], Some(cell) if cell.is_empty());
                        report.cleared += u32::from(cleared);
                        fields.push(CellChange { column: column.to_string(), old, new, cleared });
                    }
                }
                report.changes.push(RowChange { line: row.line, key, action: RowAction::Updated, fields });
            }
        }
    }
    if !errors.is_empty() {
        return Ok(report.refuse(errors));
    }
    report.clearing_refused = report.cleared > 0 && !options.dry_run && !options.allow_clearing;
    report.applied = !report.dry_run && !report.clearing_refused;
    Ok(report)
}

/// A problem with one cell of row `line`, for registers that check a cell themselves.
pub fn field(line: u64, column: &str, message: impl Into<String>) -> RowError {
    RowError { line, column: Some(column.to_owned()), message: message.into() }
}

/// Reads one row's cells into a register's input, collecting every problem with a cell on
/// the row (so the report names all of them, not only the first).
pub struct Cells<'r> {
    pub row: &'r Row,
    pub errors: Vec<RowError>,
    /// Where evidence files named in the row are read from and stored.
    pub files: &'r ImportFiles,
    lookups: &'r Lookups,
}

/// How an import finds a person by the email in a cell.
pub(crate) const PERSON_BY_EMAIL: &str = "SELECT id FROM people WHERE email = ?1";

/// The records one import has found by name (a person by email, a system by name), so a name
/// that many rows repeat is read once. Sound because no import creates, renames or removes
/// records of the kinds it looks up (changes name systems and people, completions people and
/// courses). A name not found stays not found: its row is refused, and with it the import.
/// The queries are few (one a kind of name), so they are told apart by a scan that compares
/// the query's address first, not by hashing its text for every cell.
#[derive(Default)]
pub struct Lookups(std::cell::RefCell<Vec<(&'static str, Found)>>);

/// The ids one query found, by the name asked (none: no record has that name).
type Found = std::collections::HashMap<String, Option<i64>>;

impl Lookups {
    /// The id `sql` finds for `value` (its `?1`), read from the database the first time.
    pub(crate) fn id(&self, conn: &Connection, sql: &'static str, value: &str) -> Result<Option<i64>> {
        use rusqlite::OptionalExtension;
        let same = |known: &&'static str| std::ptr::eq(*known, sql) || *known == sql;
        if let Some(found) = self.0.borrow().iter().find(|(q, _)| same(q)).and_then(|(_, names)| names.get(value)) {
            return Ok(*found);
        }
        let id = conn.prepare_cached(sql)?.query_row([value], |r| r.get(0)).optional()?;
        let mut queries = self.0.borrow_mut();
        match queries.iter_mut().find(|(q, _)| same(q)) {
            Some((_, names)) => {
                names.insert(value.to_owned(), id);
            }
            None => queries.push((sql, Found::from([(value.to_owned(), id)]))),
        }
        Ok(id)
    }
}

impl<'r> Cells<'r> {
    /// Notes a problem with `column`'s cell.
    pub fn problem(&mut self, column: &str, message: impl Into<String>) {
        self.errors.push(field(self.row.line, column, message));
    }

    /// The cell as text.
    pub fn text(&self, column: &str) -> String {
        self.row.get(column).to_owned()
    }

    /// A yes/no cell; an empty one is `default`.
    pub fn flag(&mut self, column: &str, default: bool) -> bool {
        match self.row.get(column) {
            "" => default,
            cell => crate::csvio::parse_yes_no(cell).unwrap_or_else(|| {
                self.problem(column, "Write yes or no.");
                default
            }),
        }
    }

    /// One value of a closed set, by key or label; an empty cell is `default`.
    pub fn choice<T: crate::labels::Labelled>(&mut self, column: &str, default: T) -> T {
        self.choice_or_none(column).unwrap_or(default)
    }

    /// One value of a closed set, by key or label; an empty cell is none.
    pub fn choice_or_none<T: crate::labels::Labelled>(&mut self, column: &str) -> Option<T> {
        match self.row.get(column) {
            "" => None,
            _ => self.required_choice(column),
        }
    }

    /// One value of a closed set, by key or label; an empty cell is a problem too.
    pub fn required_choice<T: crate::labels::Labelled>(&mut self, column: &str) -> Option<T> {
        let value = T::from_cell(self.row.get(column));
        if value.is_none() {
            let keys: Vec<&str> = T::entries().into_iter().map(|(key, _)| key).collect();
            let mut name = column.replace('_', " ");
            if let Some(first) = name.get(0..1) {
                name.replace_range(0..1, &first.to_uppercase());
            }
            self.problem(column, format!("{name} must be one of {}.", keys.join(", ")));
        }
        value
    }

    /// A whole number; an empty cell is none.
    pub fn number(&mut self, column: &str) -> Option<u32> {
        match self.row.get(column) {
            "" => None,
            cell => cell
                .parse()
                .map_err(|_| self.problem(column, format!("{:?} is not a whole number.", crate::csvio::shown(cell))))
                .ok(),
        }
    }

    /// The person whose email the cell holds; an empty cell is nobody.
    pub fn person(&mut self, conn: &Connection, column: &str) -> Result<Option<i64>> {
        self.lookup(conn, column, crate::csv_import::PERSON_BY_EMAIL, |email| {
            format!("No person has the email {email}; add them under People first.")
        })
    }

    /// The id of the record the cell names (`sql` finds it by `?1`); an empty cell is none,
    /// an unknown name a problem worded by `missing`.
    pub fn lookup(
        &mut self,
        conn: &Connection,
        column: &str,
        sql: &'static str,
        missing: impl FnOnce(&str) -> String,
    ) -> Result<Option<i64>> {
        let value = self.row.get(column);
        if value.is_empty() {
            return Ok(None);
        }
        let id = self.lookups.id(conn, sql, value)?;
        if id.is_none() {
            self.problem(column, missing(&crate::csvio::shown(value)));
        }
        Ok(id)
    }

    /// The ids of the records a `;`-separated list of names refers to (`sql` finds one by
    /// `?1`); each unknown name is a problem worded by `missing`.
    pub fn names(
        &mut self,
        conn: &Connection,
        column: &str,
        sql: &'static str,
        missing: impl Fn(&str) -> String,
    ) -> Result<Vec<i64>> {
        let items =
            self.row.get(column).split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        self.ids(conn, column, items, sql, missing)
    }

    /// The ids of the records `items` (read from `column`) refer to; see [`Self::names`].
    pub fn ids(
        &mut self,
        conn: &Connection,
        column: &str,
        items: Vec<String>,
        sql: &'static str,
        missing: impl Fn(&str) -> String,
    ) -> Result<Vec<i64>> {
        let mut ids = Vec::new();
        for item in items {
            match self.lookups.id(conn, sql, &item)? {
                Some(id) => ids.push(id),
                None => self.problem(column, missing(&crate::csvio::shown(&item))),
            }
        }
        Ok(ids)
    }
}

/// Where an import finds the evidence files its rows name, and where it stores them.
#[derive(Debug, Clone, Default)]
pub struct ImportFiles {
    /// The folder of the imported file: evidence paths in its rows start there. None when
    /// the rows came without a place on disk (then a row naming a file is refused).
    pub base: Option<std::path::PathBuf>,
    /// The workspace's attachment folder (a scratch folder on a dry run, so that checking a
    /// file writes nothing beside the workspace).
    pub attachments: crate::attachments::Attachments,
}

/// The evidence columns every dated record's file has: files (paths relative to the file's
/// folder, `;` between them), or a reference (a URL, a ticket id) with a note on what it shows.
pub const EVIDENCE_COLUMNS: [&str; 3] = ["evidence_files", "evidence_reference", "evidence_note"];

/// The evidence one row brings, read and checked.
#[derive(Debug, Default)]
pub struct RowEvidence {
    files: Vec<(String, Vec<u8>)>,
    reference: Option<(String, String)>,
}

impl Cells<'_> {
    /// Reads the row's evidence cells: every file named must exist (relative to the imported
    /// file's folder) and be a plain, non-empty file within the evidence size limit.
    pub fn evidence(&mut self) -> RowEvidence {
        let mut out = RowEvidence::default();
        let cell = self.row.get(EVIDENCE_COLUMNS[0]).to_owned();
        for item in cell.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let Some(base) = &self.files.base else {
                self.problem(
                    EVIDENCE_COLUMNS[0],
                    "Evidence files are read from the folder of the imported file: import the file from disk.",
                );
                break;
            };
            let path = base.join(item);
            match read_evidence(&path) {
                Ok(bytes) => {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    out.files.push((name, bytes));
                }
                Err(why) => self.problem(EVIDENCE_COLUMNS[0], format!("{} {why}", crate::csvio::shown(item))),
            }
        }
        let reference = self.text(EVIDENCE_COLUMNS[1]);
        let note = self.text(EVIDENCE_COLUMNS[2]);
        match (reference.is_empty(), note.is_empty()) {
            (false, false) => out.reference = Some((reference, note)),
            (false, true) => self.problem(EVIDENCE_COLUMNS[2], "Say what the reference shows."),
            (true, false) => self.problem(
                EVIDENCE_COLUMNS[2],
                "A note describes a reference: fill in evidence_reference too, or leave the note empty.",
            ),
            (true, true) => {}
        }
        out
    }
}

/// An evidence file named in a row, or why it cannot be read (worded to follow its name).
fn read_evidence(path: &std::path::Path) -> std::result::Result<Vec<u8>, String> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("was not found (looked for {}).", path.display()))
        }
        Err(e) => return Err(format!("cannot be read: {e}.")),
    };
    if !meta.is_file() {
        return Err("is not a file.".into());
    }
    if meta.len() == 0 {
        return Err("is empty.".into());
    }
    if meta.len() > crate::evidence::MAX_BYTES as u64 {
        return Err(format!("is larger than {} MB.", crate::evidence::MAX_BYTES >> 20));
    }
    std::fs::read(path).map_err(|e| format!("cannot be read: {e}."))
}

/// Attaches a row's evidence to the record just written: effective when it happened, added by
/// who did it. A problem is reported against the evidence column it came from.
pub fn attach_evidence(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    files: &ImportFiles,
    target: crate::evidence::EvidenceTarget,
    on: chrono::NaiveDate,
    by: Option<i64>,
    evidence: RowEvidence,
) -> Result<()> {
    use crate::evidence::{self, EvidenceInput, ReferenceInput};
    let column_of = |field: &str| match field {
        "reference" => EVIDENCE_COLUMNS[1],
        "description" => EVIDENCE_COLUMNS[2],
        _ => EVIDENCE_COLUMNS[0],
    };
    let remap = |mut e: crate::Error| {
        for f in &mut e.fields {
            f.field = column_of(&f.field).to_owned();
        }
        e
    };
    for (name, bytes) in evidence.files {
        let input = EvidenceInput {
            file_name: name,
            effective_date: on.to_string(),
            expires_on: String::new(),
            added_by: by,
            description: String::new(),
        };
        evidence::attach(tx, now, &files.attachments, target, &bytes, &input).map_err(remap)?;
    }
    if let Some((reference, description)) = evidence.reference {
        let input = ReferenceInput {
            reference,
            description,
            effective_date: on.to_string(),
            expires_on: String::new(),
            added_by: by,
        };
        evidence::add_reference(tx, now, target, &input).map_err(remap)?;
    }
    Ok(())
}

/// A record's evidence as the three [`EVIDENCE_COLUMNS`] cells: the names of its files (in
/// name order) and its first reference with its note; withdrawn evidence is left out.
pub fn evidence_cells(conn: &Connection, target: crate::evidence::EvidenceTarget) -> Result<[String; 3]> {
    let all = crate::evidence::for_target(conn, target)?;
    let current: Vec<_> = all.iter().filter(|e| e.removed_at.is_none()).collect();
    let mut names: Vec<&str> = current.iter().filter(|e| e.sha256.is_some()).map(|e| e.file_name.as_str()).collect();
    names.sort_unstable();
    let reference = current.iter().rev().find(|e| e.sha256.is_none());
    Ok([
        names.join("; "),
        reference.map(|e| e.reference.clone()).unwrap_or_default(),
        reference.map(|e| e.description.clone()).unwrap_or_default(),
    ])
}

/// For records an import adds but never changes (dated occurrences): a row naming one already
/// recorded must say what is stored, or it is refused, naming the first column that differs.
/// Evidence files are compared by name (the row may give a path).
pub fn unchanged<R: CsvRegister>(conn: &Connection, cells: &mut Cells<'_>, id: i64, what: &str) -> Result<Applied> {
    let stored = R::cells(conn, id)?;
    for (i, column) in R::COLUMNS.all.iter().enumerate() {
        let stored = stored.get(i).map(String::as_str).unwrap_or_default();
        let given = cells.row.get(column);
        let same = if *column == EVIDENCE_COLUMNS[0] {
            let names = |cell: &str| {
                let mut n: Vec<String> = cell
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| s.rsplit(['/', '\\']).next().unwrap_or(s).to_owned())
                    .collect();
                n.sort_unstable();
                n
            };
            names(stored) == names(given)
        } else {
            stored.trim() == given
        };
        if !same {
            cells.problem(
                column,
                format!(
                    "{what} is already recorded with {column} {:?}; an import adds records but does not change recorded ones.",
                    crate::csvio::shown(stored)
                ),
            );
            break;
        }
    }
    Ok(Applied::Unchanged)
}

/// The columns `sql` selects for one record (`params` name it), as CSV cells (NULL as an
/// empty cell).
pub fn row_cells(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<String>> {
    use rusqlite::types::Value;
    Ok(conn.prepare_cached(sql)?.query_row(params, |r| {
        (0..r.as_ref().column_count())
            .map(|i| {
                Ok(match r.get::<_, Value>(i)? {
                    Value::Null | Value::Blob(_) => String::new(),
                    Value::Integer(n) => n.to_string(),
                    Value::Real(f) => f.to_string(),
                    Value::Text(s) => s,
                })
            })
            .collect::<rusqlite::Result<Vec<String>>>()
    })?)
}

/// The record a dated record belongs to, named in `column` (required).
pub struct Parent {
    pub column: &'static str,
    /// Finds its id by `?1`, the cell.
    pub find: &'static str,
    /// The problem when no record has that name (`{}` is the name).
    pub missing: &'static str,
}

/// A dated record (a control activity, an access review, a log review, a disposal, a vendor
/// assessment): it belongs to a record, happened on a date, was done by a person, and brings
/// its evidence in the [`EVIDENCE_COLUMNS`]. Implementing this is all such a register does to
/// have a CSV file: the import and export are shared (a blanket [`CsvRegister`]).
///
/// Rows add records and never change recorded ones: a row naming one already recorded (by
/// [`CsvRegister::KEY`]) must say what is stored ([`unchanged`]).
pub trait DatedCsv {
    /// The columns, ending with the [`EVIDENCE_COLUMNS`].
    const COLUMNS: &'static Columns;
    const KEY: &'static [&'static str];
    const FIND: &'static str;
    const EXPORT_IDS: &'static str;
    /// Selects the record's own cells (every column before the evidence) for the id `?1`.
    const CELLS: &'static str;
    const PARENT: Parent;
    /// The column naming who did it (an email), for records that say.
    const BY_COLUMN: Option<&'static str>;
    /// "This review": how a refusal names the record.
    const WHAT: &'static str;
    /// Where the evidence of a record goes.
    const TARGET: fn(i64) -> crate::evidence::EvidenceTarget;

    /// Writes the row through the register's own validation: the new id and its date, or
    /// nothing when the row's cells had problems (noted).
    fn record(row: DatedRow<'_, '_, '_>) -> Result<Option<(i64, chrono::NaiveDate)>>;
}

/// A row of a [`DatedCsv`] file on its way in: the record it belongs to and who did it are
/// already found.
pub struct DatedRow<'a, 't, 'r> {
    pub tx: &'a Transaction<'t>,
    pub now: DateTime<Utc>,
    pub cells: &'a mut Cells<'r>,
    pub parent_id: i64,
    pub by: Option<i64>,
}

/// The SQL and names of a [`DatedCsv`] record kept in `table` (alias `r`), belonging to a
/// record of `parent_table` named by its `name` column and done by the person in `by`:
/// written once here for every such register.
#[macro_export]
macro_rules! dated_csv {
    (
        columns: $columns:expr, table: $table:literal, target: $target:ident, what: $what:literal,
        parent: $column:literal = $parent:literal . $name:literal via $fk:literal, missing: $missing:literal,
        by: $by_column:literal = $by:literal, cells: $cells:literal $(, live: $live:literal)?
    ) => {
        const COLUMNS: &'static $crate::csvio::Columns = &$columns;
        const KEY: &'static [&'static str] = &[$column, "performed_on", $by_column];
        const FIND: &'static str = concat!(
            "SELECT r.id FROM ", $table, " r JOIN ", $parent, " o ON o.id = r.", $fk,
            " LEFT JOIN people p ON p.id = r.", $by, " WHERE o.", $name, " = ?1 COLLATE NOCASE",
            " AND r.performed_on = ?2 AND COALESCE(p.email, '') = ?3 COLLATE NOCASE ORDER BY r.id LIMIT 1"
        );
        const EXPORT_IDS: &'static str = concat!(
            "SELECT r.id FROM ", $table, " r JOIN ", $parent, " o ON o.id = r.", $fk,
            " WHERE ", $($live, " AND ",)? "o.archived_at IS NULL",
            " ORDER BY o.", $name, " COLLATE NOCASE, r.performed_on, r.id"
        );
        const CELLS: &'static str = concat!(
            "SELECT o.", $name, ", r.performed_on, COALESCE(p.email, ''), ", $cells, " FROM ", $table, " r JOIN ",
            $parent, " o ON o.id = r.", $fk, " LEFT JOIN people p ON p.id = r.", $by, " WHERE r.id = ?1"
        );
        const PARENT: $crate::csv_import::Parent = $crate::csv_import::Parent {
            column: $column,
            find: concat!("SELECT id FROM ", $parent, " WHERE ", $name, " = ?1 COLLATE NOCASE"),
            missing: $missing,
        };
        const BY_COLUMN: Option<&'static str> = Some($by_column);
        const WHAT: &'static str = $what;
        const TARGET: fn(i64) -> $crate::evidence::EvidenceTarget = $crate::evidence::EvidenceTarget::$target;
    };
}

impl<T: DatedCsv> CsvRegister for T {
    const COLUMNS: &'static Columns = T::COLUMNS;
    const KEY: &'static [&'static str] = T::KEY;
    const EXPORT_IDS: &'static str = T::EXPORT_IDS;
    const FIND: &'static str = T::FIND;

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        let mut cells = row_cells(conn, T::CELLS, [id])?;
        cells.extend(evidence_cells(conn, (T::TARGET)(id))?);
        Ok(cells)
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        if let Some(id) = existing {
            return unchanged::<T>(tx, c, id, T::WHAT);
        }
        let parent = T::PARENT;
        let parent_id = c.lookup(tx, parent.column, parent.find, |name| parent.missing.replace("{}", name))?;
        if c.row.get(parent.column).is_empty() {
            c.problem(parent.column, format!("Name the {} it belongs to.", parent.column.replace('_', " ")));
        }
        let by = match T::BY_COLUMN {
            Some(column) => c.person(tx, column)?,
            None => None,
        };
        let evidence = c.evidence();
        let Some(parent_id) = parent_id else { return Ok(Applied::Unchanged) };
        let Some((id, on)) = T::record(DatedRow { tx, now, cells: c, parent_id, by })? else {
            return Ok(Applied::Unchanged);
        };
        if !c.errors.is_empty() {
            return Ok(Applied::Unchanged);
        }
        attach_evidence(tx, now, c.files, (T::TARGET)(id), on, by, evidence)?;
        Ok(Applied::Created(id))
    }
}
