//! Field validation shared by every input DTO. Collects all problems at once so a
//! form can show every message next to its field in one round trip.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, FieldError, Result};

/// Registers whose records carry a unique, user-visible reference (ACT-0001, RSK-001, …).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Referenced {
    Actions,
    Changes,
    Incidents,
    Risks,
}

impl Referenced {
    fn lookup_sql(self) -> &'static str {
        match self {
            Referenced::Actions => "SELECT id FROM actions WHERE reference = ?1",
            Referenced::Changes => "SELECT id FROM changes WHERE reference = ?1",
            Referenced::Incidents => "SELECT id FROM incidents WHERE reference = ?1",
            Referenced::Risks => "SELECT id FROM risks WHERE reference = ?1",
        }
    }
}

impl Referenced {
    /// The prefix and digit count of the references the app gives (ACT-0001, RISK-001).
    fn numbering(self) -> (&'static str, &'static str, usize) {
        match self {
            Referenced::Actions => ("actions", "ACT-", 4),
            Referenced::Changes => ("changes", "CHG-", 4),
            Referenced::Incidents => ("incidents", "INC-", 4),
            Referenced::Risks => ("risks", "RISK-", 3),
        }
    }

    /// The reference a record gets: the one typed, else the one it has, else the next free
    /// number after the highest of the app's own references.
    pub fn typed_or_next(self, conn: &Connection, typed: String, current: Option<&str>) -> Result<String> {
        if !typed.is_empty() {
            return Ok(typed);
        }
        if let Some(current) = current {
            return Ok(current.to_owned());
        }
        let (table, prefix, width) = self.numbering();
        // Read from the register's reference-number index (migration 0026): the expression
        // is written exactly as the index has it, so SQLite reads one entry from its end.
        let start = prefix.len() + 1;
        let number = format!(
            "CASE WHEN upper(substr(reference, 1, {len})) = '{prefix}' AND substr(reference, {start}) GLOB '[0-9]*' \
             THEN CAST(substr(reference, {start}) AS INTEGER) END",
            len = prefix.len()
        );
        let max: Option<i64> = conn
            .prepare_cached(&format!(
                "SELECT {number} FROM {table} WHERE {number} IS NOT NULL ORDER BY {number} DESC LIMIT 1"
            ))?
            .query_row([], |r| r.get(0))
            .optional()?;
        Ok(format!("{prefix}{:0width$}", max.unwrap_or(0) + 1))
    }
}

/// The id of the record with this reference (references compare without case), if any.
pub(crate) fn id_by_reference(conn: &Connection, register: Referenced, reference: &str) -> Result<Option<i64>> {
    Ok(conn.prepare_cached(register.lookup_sql())?.query_row([reference], |r| r.get(0)).optional()?)
}

#[derive(Debug, Default)]
pub(crate) struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        // One message per field: the first problem found is the one to fix first.
        if !self.has(field) {
            self.errors.push(FieldError { field: field.to_owned(), message: message.into() });
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    /// Trims the value; reports it when empty or longer than `max` characters.
    pub fn required(&mut self, field: &str, label: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.add(field, format!("{label} is required."));
        } else {
            self.check_len(field, label, value, max);
        }
        value.to_owned()
    }

    /// Trims the value; reports it when longer than `max` characters.
    pub fn optional(&mut self, field: &str, label: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        self.check_len(field, label, value, max);
        value.to_owned()
    }

    /// An optional reference (RISK-004, CHG-0012). References end up in spreadsheets, so one
    /// that starts like a formula (`=`, `+`, `-`, `@`) or with the formula guard `'` is refused.
    pub fn reference(&mut self, field: &str, label: &str, value: &str, max: usize) -> String {
        let value = self.optional(field, label, value, max);
        if value.starts_with(['=', '+', '-', '@', '\'']) {
            self.add(
                field,
                format!("{label} cannot start with =, +, -, @ or ': a spreadsheet would read it as a formula."),
            );
        }
        value
    }

    fn check_len(&mut self, field: &str, label: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, format!("{label} must be at most {max} characters."));
        }
    }

    /// Parses an optional ISO date (`YYYY-MM-DD`); empty means none.
    pub fn date(&mut self, field: &str, label: &str, value: &str) -> Option<NaiveDate> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        match parse_date(value) {
            Some(date) => Some(date),
            None => {
                self.add(field, format!("{label} must be a real date written as YYYY-MM-DD."));
                None
            }
        }
    }

    /// Parses a required ISO date.
    pub fn required_date(&mut self, field: &str, label: &str, value: &str) -> Option<NaiveDate> {
        if value.trim().is_empty() {
            self.add(field, format!("{label} is required."));
            return None;
        }
        self.date(field, label, value)
    }

    /// The name of a record in a register whose names are unique: required, at most 200
    /// characters, and not the name of another record than `this`. `find` reads the id of the
    /// record with the name `?1`; `noun` names the kind ("system", "course", …).
    pub fn unique_name(
        &mut self,
        conn: &Connection,
        label: &str,
        value: &str,
        find: &str,
        this: Option<i64>,
        noun: &str,
    ) -> Result<String> {
        let name = self.required("name", label, value, 200);
        if !name.is_empty() {
            let clash: Option<i64> = conn.prepare_cached(find)?.query_row([&name], |r| r.get(0)).optional()?;
            if clash.is_some_and(|id| Some(id) != this) {
                self.add("name", format!("There is already a {noun} named {name}."));
            }
        }
        Ok(name)
    }

    /// Refuses a reference already used by another record than `this` (`noun`: "risk", "change", …).
    /// An empty reference is left alone: the register assigns the next one.
    pub fn unique_reference(
        &mut self,
        conn: &Connection,
        register: Referenced,
        reference: &str,
        this: Option<i64>,
        noun: &str,
    ) -> Result<()> {
        if !reference.is_empty() {
            let clash = id_by_reference(conn, register, reference)?;
            if clash.is_some_and(|id| Some(id) != this) {
                self.add("reference", format!("{reference} is already used by another {noun}."));
            }
        }
        Ok(())
    }

    /// The reference field of a numbered register: checked, unique, and when left empty the
    /// one the record has (`this`: its id and reference) or the next free number.
    pub fn numbered_reference(
        &mut self,
        conn: &Connection,
        register: Referenced,
        typed: &str,
        max: usize,
        this: Option<(i64, &str)>,
    ) -> Result<String> {
        let reference = self.reference("reference", "Reference", typed, max);
        let noun = register.numbering().0.trim_end_matches('s');
        self.unique_reference(conn, register, &reference, this.map(|t| t.0), noun)?;
        register.typed_or_next(conn, reference, this.map(|t| t.1))
    }

    /// Refuses a person who does not exist, or who is archived unless the record already
    /// named them (`previous`): an old record keeps its archived owner, a new choice cannot.
    pub fn active_person(
        &mut self,
        conn: &Connection,
        field: &str,
        id: Option<i64>,
        previous: Option<i64>,
        noun: &str,
    ) -> Result<()> {
        let Some(id) = id else { return Ok(()) };
        let archived: Option<bool> = conn
            .prepare_cached("SELECT archived_at IS NOT NULL FROM people WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        match archived {
            None => self.add(field, "That person does not exist."),
            Some(true) if previous != Some(id) => {
                self.add(field, format!("That person is archived; choose an active {noun}."))
            }
            _ => {}
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::validation(self.errors))
        }
    }
}

/// Strict `YYYY-MM-DD` (four-digit year, real calendar date).
pub(crate) fn parse_date(value: &str) -> Option<NaiveDate> {
    let bytes = value.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    // Read digit by digit (the shape is checked): imports read a date or two a row, and
    // chrono's format parser cost more than the row's lookups.
    let n = |from: usize, to: usize| bytes[from..to].iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    NaiveDate::from_ymd_opt(n(0, 4) as i32, n(5, 7), n(8, 10))
}

/// A deliberately simple e-mail shape check: one `@`, something before it, a dot in the
/// domain, no spaces. Deliverability is not our business; typos like `ann.example.com` are.
pub(crate) fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace)
}

/// Normalises an enum cell: "Not started", "not-started" and "NOT_STARTED" all read "not_started".
pub fn enum_key(cell: &str) -> String {
    cell.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_real_iso_dates() {
        assert_eq!(parse_date("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(parse_date("2023-02-29"), None, "2023 is not a leap year");
        assert_eq!(parse_date("2024-2-9"), None);
        assert_eq!(parse_date("29/02/2024"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("+2024-01-01"), None);
    }

    #[test]
    fn email_shape() {
        assert!(is_email("ann@example.com"));
        assert!(is_email("a.b+c@sub.example.co.uk"));
        for bad in ["", "ann", "ann@", "@example.com", "ann@example", "ann @example.com", "a@b@c.com", "ann@.com"] {
            assert!(!is_email(bad), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn collects_one_message_per_field() {
        let mut v = Validator::new();
        v.required("name", "Name", "  ", 10);
        v.add("name", "second problem");
        v.date("start", "Start", "2024-02-30");
        let err = v.finish().unwrap_err();
        assert_eq!(err.fields.len(), 2);
        assert_eq!(err.fields[0].message, "Name is required.");
        assert_eq!(err.message, "2 fields need attention.");
    }
}
