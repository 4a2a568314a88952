//! CSV import and export shared by every register.
//!
//! Reads what Excel and LibreOffice write: UTF-8 with or without a BOM, comma or semicolon
//! separated, quoted fields that may hold separators and newlines. Import is all-or-nothing:
//! every bad row is reported (line, column, reason) and nothing is written.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, FieldError, Result};

/// One problem in an import file. `line` is the 1-based line where the row starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

/// One data row: its starting line and its values by column name (trimmed, formula guard removed).
#[derive(Debug)]
pub struct Row {
    pub line: u64,
    /// A dozen cells or so: looked up in order, which costs less than hashing each name.
    values: Vec<(&'static str, String)>,
}

impl Row {
    pub fn get(&self, column: &str) -> &str {
        self.values.iter().find(|(c, _)| *c == column).map_or("", |(_, v)| v.as_str())
    }

    /// Sets a cell (the import fills absent columns from the stored record).
    pub fn set(&mut self, column: &'static str, value: String) {
        match self.values.iter_mut().find(|(c, _)| *c == column) {
            Some((_, v)) => *v = value,
            None => self.values.push((column, value)),
        }
    }
}

/// A parsed file: the columns its header names, and its rows.
#[derive(Debug)]
pub struct Parsed {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Row>,
}

/// The longest cell value quoted in a message; longer ones are cut.
const SHOWN_CHARS: usize = 60;

/// A cell value as a message quotes it: cut to a readable length.
pub fn shown(value: &str) -> String {
    if value.chars().count() <= SHOWN_CHARS {
        return value.to_owned();
    }
    let cut: String = value.chars().take(SHOWN_CHARS).collect();
    format!("{cut}…")
}

/// Characters that make a spreadsheet treat a cell as a formula (or a DDE command).
pub(crate) const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A cell as written to a file: one leading `'` when a spreadsheet would read it as a formula,
/// or when it already starts with the guard (so reading it back gives exactly `value`).
pub fn guard_formula(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(FORMULA_START) || unguard_formula(value).len() != value.len() {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// A cell as read from a file: the formula guard `'` taken off again.
pub fn unguard_formula(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) || rest.starts_with('\'') => rest,
        _ => value,
    }
}

/// The columns of a register's CSV file.
pub struct Columns {
    pub all: &'static [&'static str],
    pub required: &'static [&'static str],
    /// Other header names read as one of ours (`merged_at` as `deployed_at`), for files
    /// exported by other tools.
    pub aliases: &'static [(&'static str, &'static str)],
    /// One example row, in `all` order: the template a user fills in (see docs/csv.md).
    pub example: &'static [&'static str],
}

/// A header as the import compares it: trimmed, lowercase, spaces as underscores.
pub fn header_key(name: &str) -> String {
    name.trim().to_lowercase().replace(' ', "_")
}

impl Columns {
    /// The column a header key (see [`header_key`]) names: itself or an alias of it.
    pub fn recognise(&self, key: &str) -> Option<&'static str> {
        let key = self.aliases.iter().find(|(alias, _)| *alias == key).map_or(key, |(_, ours)| *ours);
        self.all.iter().find(|c| **c == key).copied()
    }
}

/// Parses an import file. Header names are matched case-insensitively; unknown or
/// missing columns, malformed rows and non-UTF-8 text are all reported at once.
pub fn parse(bytes: &[u8], columns: &Columns) -> std::result::Result<Parsed, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        return Err(vec![RowError {
            line,
            column: None,
            message:
                "The file is not UTF-8 text. In Excel choose “CSV UTF-8”; in LibreOffice pick the UTF-8 character set."
                    .into(),
        }]);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(vec![RowError { line: 1, column: None, message: "The file is empty.".into() }]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(bytes))
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut errors = Vec::new();
    let mut lines = LineCounter::new(bytes);
    let mut records = reader.records();

    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(vec![csv_error(&mut lines, &e)]),
        None => return Err(vec![RowError { line: 1, column: None, message: "The file is empty.".into() }]),
    };
    let mut index: Vec<Option<&'static str>> = Vec::new();
    for name in header.iter() {
        let wanted = header_key(name);
        match columns.recognise(&wanted) {
            Some(c) if index.contains(&Some(c)) => {
                errors.push(RowError {
                    line: 1,
                    column: Some(c.to_string()),
                    message: "This column appears twice.".into(),
                });
                index.push(None);
            }
            Some(c) => index.push(Some(c)),
            None if wanted.is_empty() => index.push(None),
            None => {
                errors.push(RowError {
                    line: 1,
                    column: Some(shown(name.trim())),
                    message: format!("Unknown column. The columns are: {}.", columns.all.join(", ")),
                });
                index.push(None);
            }
        }
    }
    for req in columns.required {
        if !index.contains(&Some(*req)) {
            errors.push(RowError {
                line: 1,
                column: Some(req.to_string()),
                message: "This required column is missing.".into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut rows = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(csv_error(&mut lines, &e));
                continue;
            }
        };
        let line = record.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
        if record.iter().all(|v| v.trim().is_empty()) {
            continue; // blank lines and rows of empty cells are ignored
        }
        if record.len() > index.len() && record.iter().skip(index.len()).any(|v| !v.trim().is_empty()) {
            errors.push(RowError {
                line,
                column: None,
                message: format!("This row has {} values but the header has {} columns.", record.len(), index.len()),
            });
            continue;
        }
        let mut values = Vec::with_capacity(index.len());
        for (i, col) in index.iter().enumerate() {
            if let Some(col) = col {
                values.push((*col, unguard_formula(record.get(i).unwrap_or("").trim()).to_owned()));
            }
        }
        rows.push(Row { line, values });
    }
    if errors.is_empty() {
        Ok(Parsed { columns: index.into_iter().flatten().collect(), rows })
    } else {
        Err(errors)
    }
}

/// Finds the 1-based line on which a record starting at a byte offset begins. The csv
/// crate's own line count is one short after a CRLF terminator (it starts the next record on
/// the '\n'), so lines are counted from the bytes, skipping the terminator left before the
/// record. Offsets must be asked for in increasing order: counting continues from the last one.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0, line: 1 }
    }

    fn line_at(&mut self, offset: u64) -> u64 {
        let mut target = usize::try_from(offset).unwrap_or(self.bytes.len()).min(self.bytes.len());
        while target < self.bytes.len() && matches!(self.bytes[target], b'\r' | b'\n') {
            target += 1;
        }
        if target >= self.pos {
            self.line += self.bytes[self.pos..target].iter().filter(|b| **b == b'\n').count() as u64;
            self.pos = target;
        }
        self.line
    }
}

/// Comma unless the header line has more semicolons than commas (European Excel).
pub fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut in_quotes = false;
    let (mut commas, mut semicolons) = (0, 0);
    for b in bytes {
        match b {
            b'"' => in_quotes = !in_quotes,
            // The first line with a separator decides (blank lines above a header are skipped).
            b'\n' if !in_quotes && commas + semicolons > 0 => break,
            b',' if !in_quotes => commas += 1,
            b';' if !in_quotes => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

fn csv_error(lines: &mut LineCounter<'_>, e: &csv::Error) -> RowError {
    let line = e.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "This row is not valid UTF-8 text.".to_owned(),
        _ => format!("This row cannot be read as CSV ({e})."),
    };
    RowError { line, column: None, message }
}

/// Turns a validation error for one row into row errors, naming the CSV column of each field.
pub fn row_errors(line: u64, err: Error, column_of: impl Fn(&str) -> &'static str) -> Vec<RowError> {
    if err.fields.is_empty() {
        return vec![RowError { line, column: None, message: err.message }];
    }
    err.fields
        .into_iter()
        .map(|FieldError { field, message }| RowError { line, column: Some(column_of(&field).to_owned()), message })
        .collect()
}

/// Writes a CSV file (comma separated, quoted where needed, CRLF line ends as spreadsheets
/// expect, cells that a spreadsheet would run as formulas guarded with a leading `'`).
pub fn write(columns: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<String> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let fail = |e: csv::Error| Error::internal(format!("writing CSV to memory failed: {e}"));
    w.write_record(columns).map_err(fail)?;
    for row in rows {
        w.write_record(row.iter().map(|c| guard_formula(c).into_owned())).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::internal(format!("flushing CSV to memory failed: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::internal(format!("CSV from UTF-8 strings is UTF-8: {e}")))
}

/// Splits a cell holding several IDs ("CC6.1 CC6.3", "CC6.1;CC6.3", "CC6.1, CC6.3").
pub fn split_list(cell: &str) -> Vec<String> {
    cell.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Reads a yes/no cell ("yes", "y", "true", "1" / "no", "n", "false", "0"); None for anything else.
pub fn parse_yes_no(cell: &str) -> Option<bool> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Some(true),
        "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

pub use crate::validate::enum_key;

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: Columns = Columns {
        all: &["reference", "title", "criteria"],
        required: &["reference", "title"],
        aliases: &[],
        example: &[],
    };

    #[test]
    fn reads_excel_style_semicolon_files_with_bom_and_quoted_newlines() {
        let file = "\u{FEFF}Reference;Title;Criteria\r\nAC-01;\"Unique accounts;\nno sharing\";CC6.1 CC6.2\r\n;;\r\nAC-02;MFA;CC6.1\r\n";
        let rows = parse(file.as_bytes(), &COLS).unwrap().rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get("title"), "Unique accounts;\nno sharing");
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].line, 5, "the quoted newline and the blank row count as lines");
        let lf = parse(b"reference,title\nA,B\n\nC,D\n", &COLS).unwrap().rows;
        assert_eq!((lf[0].line, lf[1].line), (2, 4), "LF files too");
        assert_eq!(split_list(rows[0].get("criteria")), ["CC6.1", "CC6.2"]);
    }

    #[test]
    fn header_problems_are_all_reported() {
        let errs = parse(b"reference,colour,reference\nA,b,c\n", &COLS).unwrap_err();
        let msgs: Vec<(Option<&str>, &str)> = errs.iter().map(|e| (e.column.as_deref(), e.message.as_str())).collect();
        assert_eq!(msgs[0].0, Some("colour"));
        assert_eq!(msgs[1], (Some("reference"), "This column appears twice."));
        assert_eq!(msgs[2], (Some("title"), "This required column is missing."));
    }

    #[test]
    fn rejects_non_utf8_empty_and_ragged_files() {
        let errs = parse(b"reference,title\nA,caf\xe9\n", &COLS).unwrap_err();
        assert_eq!(errs[0].line, 2);
        assert!(errs[0].message.contains("UTF-8"));
        assert_eq!(parse(b"  \n", &COLS).unwrap_err()[0].message, "The file is empty.");
        let errs = parse(b"reference,title\nA,B,extra\n", &COLS).unwrap_err();
        assert_eq!(
            (errs[0].line, errs[0].message.as_str()),
            (2, "This row has 3 values but the header has 2 columns.")
        );
        assert!(parse(b"reference,title\nA,B,\n", &COLS).is_ok(), "a trailing empty cell is fine");
    }

    #[test]
    fn writes_quoted_csv_that_reads_back() {
        let out = write(&["reference", "title", "criteria"], [vec!["A".into(), "x, \"y\"\nz".into(), "CC1.1".into()]])
            .unwrap();
        assert!(out.starts_with("reference,title,criteria\r\n"));
        let rows = parse(out.as_bytes(), &COLS).unwrap().rows;
        assert_eq!(rows[0].get("title"), "x, \"y\"\nz");
    }

    #[test]
    fn enum_keys() {
        assert_eq!(enum_key(" Not started "), "not_started");
        assert_eq!(enum_key("PER-EVENT"), "per_event");
    }
}
