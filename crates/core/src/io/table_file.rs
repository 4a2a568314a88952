//! The files a register is imported from: a CSV file, or one sheet of a workbook (.xlsx,
//! .xls, .ods) read with calamine. A sheet becomes CSV text, so that both go through the one
//! import (and its report) alike. The format is told from the content, not the file name.
//!
//! A sheet's cells are written as the import reads them: a date cell (a spreadsheet serial
//! number formatted as a date) as YYYY-MM-DD, whole numbers without ".0", TRUE/FALSE as
//! yes/no. A cell holding a spreadsheet error (#N/A, #REF!…) fails its row: it is never read
//! as text.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use serde::Serialize;
use ts_rs::TS;

use crate::csvio::RowError;
use crate::error::{Error, ErrorCode, Result};

/// The largest file an import reads (CSV or workbook).
pub const MAX_BYTES: u64 = 200 * 1024 * 1024;

/// A file picked for import: its name, and the sheets to choose from when it is a workbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TableSource {
    pub file_name: String,
    /// Empty for a CSV file.
    pub sheets: Vec<String>,
    /// The sheet an import reads unless told otherwise (a workbook's only sheet, or the one
    /// named after the register), if any.
    pub sheet: Option<String>,
}

/// Is this a workbook (a zip: .xlsx or .ods; or an OLE file: .xls) rather than CSV text?
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// Reads a file to import, refusing what is not a readable file or is too large.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::new(ErrorCode::Io, format!("Cannot read {}: {e}", path.display())))?;
    if !meta.is_file() {
        return Err(Error::new(ErrorCode::Validation, format!("{} is not a file.", path.display())));
    }
    if meta.len() > MAX_BYTES {
        return Err(Error::new(
            ErrorCode::Validation,
            format!("{} is larger than {} MB; split it into smaller files.", path.display(), MAX_BYTES >> 20),
        ));
    }
    std::fs::read(path).map_err(|e| Error::new(ErrorCode::Io, format!("Cannot read {}: {e}", path.display())))
}

/// The folder a file's relative paths (evidence files named in its rows) start from.
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Describes a picked file: its sheets when it is a workbook, and the one an import reads by
/// default (`preferred`: names that mean this register, such as "access_reviews" or "Access reviews").
pub fn describe(file_name: &str, bytes: &[u8], preferred: &[&str]) -> Result<TableSource> {
    if !is_workbook(bytes) {
        return Ok(TableSource { file_name: file_name.to_owned(), sheets: Vec::new(), sheet: None });
    }
    let sheets = open(bytes)?.sheet_names();
    let sheet = default_sheet(&sheets, preferred);
    Ok(TableSource { file_name: file_name.to_owned(), sheets, sheet })
}

fn open(bytes: &[u8]) -> Result<calamine::Sheets<Cursor<&[u8]>>> {
    open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::new(
            ErrorCode::Validation,
            format!("This workbook cannot be read ({e}). Save it again as .xlsx, .ods or CSV."),
        )
    })
}

fn normal(name: &str) -> String {
    name.trim().to_lowercase().replace(['_', '-'], " ")
}

fn default_sheet(sheets: &[String], preferred: &[&str]) -> Option<String> {
    if let [only] = sheets {
        return Some(only.clone());
    }
    sheets.iter().find(|s| preferred.iter().any(|p| normal(p) == normal(s))).cloned()
}

/// A file as CSV text, and how its lines map to the sheet's rows.
#[derive(Debug, Default)]
pub struct Converted {
    pub csv: Vec<u8>,
    /// For a sheet whose cells hold line breaks: the sheet row of each CSV line (index 0 is
    /// line 1). Empty when the lines are the rows.
    pub rows: Vec<u64>,
}

impl Converted {
    /// The sheet row (or file line) a CSV line stands for.
    pub fn row_of(&self, line: u64) -> u64 {
        usize::try_from(line).ok().and_then(|l| self.rows.get(l.wrapping_sub(1))).copied().unwrap_or(line)
    }
}

/// The file as CSV text: CSV bytes as they are; a workbook's sheet (by name, or the default
/// of [`describe`]) converted. A sheet whose cells hold spreadsheet errors gives those rows'
/// problems instead.
pub fn to_csv(
    bytes: Vec<u8>,
    sheet: Option<&str>,
    preferred: &[&str],
) -> Result<std::result::Result<Converted, Vec<RowError>>> {
    if !is_workbook(&bytes) {
        return Ok(Ok(Converted { csv: bytes, rows: Vec::new() }));
    }
    let mut book = open(&bytes)?;
    let sheets = book.sheet_names();
    let name = match sheet {
        Some(name) => {
            sheets.iter().find(|s| s.as_str() == name || normal(s) == normal(name)).cloned().ok_or_else(|| {
                Error::new(
                    ErrorCode::Validation,
                    format!("The workbook has no sheet named {name:?}; its sheets are {}.", quoted(&sheets)),
                )
            })?
        }
        None => default_sheet(&sheets, preferred).ok_or_else(|| {
            Error::new(
                ErrorCode::Validation,
                format!("The workbook has {} sheets ({}); choose the one to import.", sheets.len(), quoted(&sheets)),
            )
        })?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| Error::new(ErrorCode::Validation, format!("The sheet {name:?} cannot be read ({e}).")))?;
    let first_row = range.start().map(|(row, _)| row).unwrap_or(0);
    let first_col = range.start().map(|(_, col)| col).unwrap_or(0);
    let mut errors = Vec::new();
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    // Rows above the used range are blank: written as empty lines, so that the import's line
    // numbers are the sheet's row numbers.
    let mut out = Vec::new();
    let mut rows: Vec<u64> = Vec::new();
    for r in 0..first_row {
        out.extend_from_slice(b"\n");
        rows.push(u64::from(r) + 1);
    }
    let mut broken = false;
    for (i, row) in range.rows().enumerate() {
        let line = u64::from(first_row) + i as u64 + 1;
        let mut cells: Vec<String> = vec![String::new(); first_col as usize];
        for (j, cell) in row.iter().enumerate() {
            match text(cell) {
                Ok(t) => cells.push(t),
                Err(e) => {
                    errors.push(RowError {
                        line,
                        column: None,
                        message: format!(
                            "Cell {}{line} holds a spreadsheet error ({e}); fix it in the workbook.",
                            column_letters(first_col as usize + j)
                        ),
                    });
                    cells.push(String::new());
                }
            }
        }
        // A cell may hold line breaks (kept: they are part of the text); the row then spans
        // more than one CSV line, and `rows` maps the lines back to the sheet's row.
        let cells: Vec<String> = cells.into_iter().map(|c| c.replace("\r\n", "\n").replace('\r', "\n")).collect();
        let spans = 1 + cells.iter().map(|c| c.matches('\n').count()).sum::<usize>();
        broken |= spans > 1;
        rows.extend(std::iter::repeat_n(line, spans));
        w.write_record(&cells).map_err(|e| Error::internal(format!("writing CSV in memory: {e}")))?;
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    out.extend(w.into_inner().map_err(|e| Error::internal(format!("writing CSV in memory: {e}")))?);
    Ok(Ok(Converted { csv: out, rows: if broken { rows } else { Vec::new() } }))
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
}

/// "A", "B", … "Z", "AA": the column letters a spreadsheet shows.
fn column_letters(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// One cell as the import reads it, or the spreadsheet error it holds.
fn text(cell: &Data) -> std::result::Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        Data::DateTime(d) if d.is_duration() => number(d.as_f64()),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => dt.date().to_string(),
            Some(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => number(d.as_f64()),
        },
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(e.to_string()),
    })
}

/// A number as typed: 12 rather than 12.0; no exponent for everyday values.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// The header and the first rows of CSV text (as [`to_csv`] gives it).
pub struct Head {
    pub header: Vec<String>,
    /// Up to `n` rows after the header, each as long as the header.
    pub rows: Vec<Vec<String>>,
    /// How many rows follow the header (blank ones left out).
    pub row_count: u32,
}

fn reader(csv: &[u8]) -> csv::Reader<&[u8]> {
    let bytes = csv.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(csv);
    csv::ReaderBuilder::new()
        .delimiter(crate::csvio::sniff_delimiter(bytes))
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes)
}

/// How many of the first records to look through for the header.
const HEADER_SEARCH: usize = 20;

/// Finds the header: the first record with two cells or more among the first records, else
/// the first that is not blank (someone else's file may open with a title line above it).
/// Gives its position among the records, and where it starts and ends in the text.
fn find_header(csv: &[u8]) -> Option<(usize, csv::ByteRecord, usize, usize)> {
    let mut r = reader(csv);
    let mut record = csv::ByteRecord::new();
    let mut first = None;
    for i in 0..HEADER_SEARCH {
        let start = r.position().byte() as usize;
        match r.read_byte_record(&mut record) {
            Ok(true) => {}
            _ => break,
        }
        let end = r.position().byte() as usize;
        let filled = record.iter().filter(|c| !c.trim_ascii().is_empty()).count();
        if filled >= 2 {
            return Some((i, record, start, end));
        }
        if filled == 1 && first.is_none() {
            first = Some((i, record.clone(), start, end));
        }
    }
    first
}

/// Reads the header and up to `n` rows. Text that is not UTF-8 or not CSV gives an empty
/// head: the import then reports its problems by line.
pub fn head(csv: &[u8], n: usize) -> Head {
    let mut out = Head { header: Vec::new(), rows: Vec::new(), row_count: 0 };
    let Some((at, header, _, _)) = find_header(csv) else { return out };
    out.header = header.iter().map(|c| String::from_utf8_lossy(c).trim().to_owned()).collect();
    for record in reader(csv).into_records().skip(at + 1) {
        let Ok(record) = record else { break };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.row_count += 1;
        if out.rows.len() < n {
            let mut cells: Vec<String> =
                record.iter().map(|c| crate::csvio::unguard_formula(c.trim()).to_owned()).collect();
            cells.resize(out.header.len(), String::new());
            out.rows.push(cells);
        }
    }
    out
}

/// The CSV text with its header's names replaced by `rename` (given each name as the file has
/// it, trimmed), and the lines above the header (a title) left blank; every line keeps its
/// number, so problems still name the file's lines.
pub fn rename_header(csv: &[u8], rename: impl Fn(&str) -> String) -> Vec<u8> {
    let bytes = csv.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(csv);
    let delimiter = crate::csvio::sniff_delimiter(bytes);
    let Some((_, record, start, end)) = find_header(csv) else { return csv.to_vec() };
    let end = end.min(bytes.len());
    let names: Vec<String> = record.iter().map(|c| rename(String::from_utf8_lossy(c).trim())).collect();
    let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
    if w.write_record(&names).is_err() {
        return csv.to_vec();
    }
    let Ok(mut line) = w.into_inner() else { return csv.to_vec() };
    // Blank lines the reader passed over before the header stay above it, and a header
    // spanning several lines (a quoted line break) keeps the line count.
    let record = &bytes[start..end];
    let blank =
        record.iter().take_while(|b| matches!(b, b'\n' | b'\r' | b' ' | b'\t')).filter(|b| **b == b'\n').count();
    let spanned = record.iter().filter(|b| **b == b'\n').count() - blank;
    line.extend(std::iter::repeat_n(b'\n', spanned.saturating_sub(1)));
    if spanned == 0 {
        line.pop(); // the file ends with its header, without a line break
    }
    let mut out: Vec<u8> = bytes[..start].iter().filter(|b| **b == b'\n').copied().collect();
    out.extend(std::iter::repeat_n(b'\n', blank));
    out.extend(line);
    out.extend_from_slice(&bytes[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_run_past_z() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(2.5), "2.5");
    }

    #[test]
    fn csv_passes_through_and_is_not_a_workbook() {
        let csv = b"name\nAnn\n".to_vec();
        assert!(!is_workbook(&csv));
        assert_eq!(to_csv(csv.clone(), None, &[]).unwrap().unwrap().csv, csv);
        assert_eq!(describe("a.csv", &csv, &[]).unwrap().sheets, Vec::<String>::new());
    }

    #[test]
    fn the_sheet_named_after_the_register_is_the_default() {
        let sheets = vec!["Notes".to_owned(), "Access Reviews".to_owned()];
        assert_eq!(default_sheet(&sheets, &["access_reviews"]), Some("Access Reviews".to_owned()));
        assert_eq!(default_sheet(&sheets, &["people"]), None);
        assert_eq!(default_sheet(&sheets[..1], &["people"]), Some("Notes".to_owned()));
    }

    #[test]
    fn a_header_below_a_title_is_renamed_and_every_line_keeps_its_number() {
        let csv = b"Acme - request list\n\nPBC #;Asked\nPBC-1;\"two\nlines\"\nPBC-2;x\n";
        let h = head(csv, 5);
        assert_eq!(h.header, ["PBC #", "Asked"]);
        assert_eq!(h.row_count, 2);
        let out = rename_header(csv, |n| if n == "PBC #" { "request_id".into() } else { n.to_owned() });
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "\n\nrequest_id;Asked\nPBC-1;\"two\nlines\"\nPBC-2;x\n");
        // A header with a line break in a heading keeps the lines after it where they were.
        let csv = b"\"PBC\n#\",Asked\nPBC-1,x";
        let text = String::from_utf8(rename_header(csv, |_| "h".into())).unwrap();
        assert_eq!(text.lines().nth(2), Some("PBC-1,x"), "{text:?}");
        // A single-column title line alone is the header when nothing better follows.
        assert_eq!(head(b"only\na\n", 5).header, ["only"]);
    }
}
