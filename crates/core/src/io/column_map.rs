//! Reading a file whose columns are someone else's (the auditor's request list): which of the
//! register's columns each header stands for. A header is matched by name (a column or one of
//! its aliases), by what the user chose for it before (remembered per register), or guessed
//! from the names it contains; the user confirms or changes the choice before the import, and
//! the import reads the file with the header renamed accordingly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::csvio::{header_key, Columns};
use crate::error::{Error, Result};
use crate::table_file::{head, rename_header, TableSource};

/// A file's header and the register column it is read as (none: the column is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MappedColumn {
    pub header: String,
    pub column: Option<String>,
}

/// How a header's column was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ColumnMatch {
    /// The header is the column's name or one of its aliases.
    Named,
    /// The user chose it for this header before.
    Remembered,
    /// The header contains the column's name: to be confirmed.
    Guessed,
    /// Nothing matches: ignored unless the user chooses a column.
    Unmatched,
}

/// One column of the picked file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ColumnChoice {
    pub header: String,
    /// Its first values, to tell what it holds.
    pub samples: Vec<String>,
    pub column: Option<String>,
    pub matched: ColumnMatch,
}

/// What the import would read from a picked file, before anything is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub source: TableSource,
    pub columns: Vec<ColumnChoice>,
    /// The register's columns, and those a file must have.
    pub register_columns: Vec<String>,
    pub required: Vec<String>,
    pub rows: u32,
    /// Some header is guessed or unmatched, or a required column has no header: the user
    /// should see the choice before the import.
    pub needs_mapping: bool,
}

/// How many values of each column a preview shows.
const SAMPLES: usize = 3;

/// Chooses a column for each header of `csv`: by name, then as remembered, then guessed.
pub fn preview(
    source: TableSource,
    csv: &[u8],
    columns: &Columns,
    remembered: &BTreeMap<String, String>,
) -> ImportPreview {
    let h = head(csv, SAMPLES);
    let mut taken: Vec<&str> = Vec::new();
    let mut choices: Vec<ColumnChoice> = h
        .header
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let key = header_key(header);
            let samples = h.rows.iter().map(|r| r[i].clone()).filter(|v| !v.is_empty()).collect();
            let (column, matched) = match (remembered.get(&key), columns.recognise(&key)) {
                (Some(c), _) if c.is_empty() => (None, ColumnMatch::Remembered),
                (Some(c), _) if columns.all.contains(&c.as_str()) => (Some(c.clone()), ColumnMatch::Remembered),
                (_, Some(c)) => (Some(c.to_owned()), ColumnMatch::Named),
                _ => (None, ColumnMatch::Unmatched),
            };
            if let Some(c) = &column {
                taken.push(columns.all.iter().find(|a| **a == c.as_str()).copied().unwrap_or_default());
            }
            ColumnChoice { header: header.clone(), samples, column, matched }
        })
        .collect();
    // Guesses for the rest: the longest column name or alias (five letters or more) the
    // header contains, if no other header has that column.
    for choice in choices.iter_mut().filter(|c| c.matched == ColumnMatch::Unmatched && !c.header.is_empty()) {
        let key = header_key(&choice.header);
        let names = columns.all.iter().map(|c| (*c, *c)).chain(columns.aliases.iter().map(|(a, c)| (*a, *c)));
        let best = names
            .filter(|(name, column)| name.len() >= 5 && key.contains(name) && !taken.contains(column))
            .max_by_key(|(name, _)| name.len());
        if let Some((_, column)) = best {
            taken.push(column);
            choice.column = Some(column.to_owned());
            choice.matched = ColumnMatch::Guessed;
        }
    }
    let missing_required = columns.required.iter().any(|r| !choices.iter().any(|c| c.column.as_deref() == Some(*r)));
    let needs_mapping = missing_required
        || choices
            .iter()
            .any(|c| !c.header.is_empty() && matches!(c.matched, ColumnMatch::Guessed | ColumnMatch::Unmatched));
    ImportPreview {
        source,
        columns: choices,
        register_columns: columns.all.iter().map(|c| c.to_string()).collect(),
        required: columns.required.iter().map(|c| c.to_string()).collect(),
        rows: h.row_count,
        needs_mapping,
    }
}

/// The file's CSV with its header renamed: by `mapping` when the user chose (a header it does
/// not name is read as it is), else by what is remembered. Returns the choices to remember.
pub fn apply(
    csv: Vec<u8>,
    columns: &Columns,
    mapping: Option<&[MappedColumn]>,
    remembered: &BTreeMap<String, String>,
) -> Result<(Vec<u8>, BTreeMap<String, String>)> {
    // Either way the header is found as the preview found it (below a title line, say).
    let Some(mapping) = mapping else {
        let renamed = rename_header(&csv, |name| match remembered.get(&header_key(name)) {
            Some(c) if c.is_empty() || columns.all.contains(&c.as_str()) => c.clone(),
            _ => name.to_owned(),
        });
        return Ok((renamed, BTreeMap::new()));
    };
    let mut chosen = BTreeMap::new();
    for m in mapping {
        let column = m.column.clone().unwrap_or_default();
        if !column.is_empty() && !columns.all.contains(&column.as_str()) {
            return Err(Error::field(
                "columns",
                format!("{column:?} is not a column of this register; the columns are: {}.", columns.all.join(", ")),
            ));
        }
        if !column.is_empty() && mapping.iter().filter(|o| o.column.as_deref() == Some(column.as_str())).count() > 1 {
            return Err(Error::field(
                "columns",
                format!("Two of the file's columns are read as {column}; choose one."),
            ));
        }
        chosen.insert(header_key(&m.header), column);
    }
    let renamed = rename_header(&csv, |name| {
        mapping
            .iter()
            .find(|m| m.header.trim() == name)
            .map_or_else(|| name.to_owned(), |m| m.column.clone().unwrap_or_default())
    });
    Ok((renamed, chosen))
}
