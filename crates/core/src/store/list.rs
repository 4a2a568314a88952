//! One way to list a register: filters, search, sorting and paging all in SQL, the count and
//! the page read in the same read transaction (`Workspace::read`), so they never disagree.
//! Each register says which columns its search covers, what its filters mean and how it
//! sorts; this module does the rest.

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, Row};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;

/// The most rows one page may hold.
pub const MAX_PAGE: u32 = 1000;

/// One page of a register: the rows asked for, and how many match the filters in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Page<T> {
    /// Rows matching the filters, before paging.
    pub total: u32,
    pub rows: Vec<T>,
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The WHERE clause of a list query and its parameters, built up filter by filter.
#[derive(Debug, Default)]
pub struct Filter {
    clauses: Vec<String>,
    args: Vec<Value>,
}

impl Filter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Binds a value and returns its placeholder (`?3`).
    pub fn arg(&mut self, value: impl Into<Value>) -> String {
        self.args.push(value.into());
        format!("?{}", self.args.len())
    }

    /// Adds a clause as written (it may use placeholders from [`Filter::arg`]).
    pub fn clause(&mut self, sql: impl Into<String>) -> &mut Self {
        self.clauses.push(sql.into());
        self
    }

    /// `column = value` when there is a value.
    pub fn eq(&mut self, column: &str, value: Option<impl Into<Value>>) -> &mut Self {
        if let Some(v) = value {
            let p = self.arg(v);
            self.clauses.push(format!("{column} = {p}"));
        }
        self
    }

    /// Archived rows only when asked for (`alias.archived_at`).
    pub fn archived(&mut self, include: bool, alias: &str) -> &mut Self {
        if !include {
            self.clauses.push(format!("{alias}.archived_at IS NULL"));
        }
        self
    }

    /// Case-insensitive substring search over `columns`; an empty search matches all.
    pub fn search(&mut self, text: &str, columns: &[&str]) -> &mut Self {
        let text = text.trim();
        if text.is_empty() || columns.is_empty() {
            return self;
        }
        let p = self.arg(format!("%{}%", escape_like(text)));
        let any: Vec<String> = columns.iter().map(|c| format!("{c} LIKE {p} ESCAPE '\\'")).collect();
        self.clauses.push(format!("({})", any.join(" OR ")));
        self
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1".to_owned()
        } else {
            self.clauses.join(" AND ")
        }
    }

    /// Counts the matching rows (`from` is the FROM clause with any joins the filters use)
    /// and reads one page of them (`select` is the whole SELECT … FROM … joins), ordered by
    /// `order` (which should end on a unique column so paging is stable), `(offset, limit)`.
    pub fn page<T>(
        &self,
        conn: &Connection,
        from: &str,
        select: &str,
        order: &str,
        (offset, limit): (u32, u32),
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Page<T>> {
        let filter = self.sql();
        let total: u32 = conn
            .prepare_cached(&format!("SELECT count(*) {from} WHERE {filter}"))?
            .query_row(params_from_iter(self.args.iter()), |r| r.get(0))?;
        let limit = limit.clamp(1, MAX_PAGE);
        let rows = conn
            .prepare_cached(&format!("{select} WHERE {filter} ORDER BY {order} LIMIT {limit} OFFSET {offset}"))?
            .query_map(params_from_iter(self.args.iter()), map)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, rows })
    }

    /// Every matching row, ordered (exports and the checks read whole registers this way).
    pub fn all<T>(
        &self,
        conn: &Connection,
        select: &str,
        order: &str,
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let filter = self.sql();
        Ok(conn
            .prepare_cached(&format!("{select} WHERE {filter} ORDER BY {order}"))?
            .query_map(params_from_iter(self.args.iter()), map)?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// `ASC` or `DESC`.
pub fn direction(descending: bool) -> &'static str {
    if descending {
        "DESC"
    } else {
        "ASC"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_escapes_like_wildcards_and_pages_are_counted_before_paging() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, archived_at TEXT);
             INSERT INTO t (name, archived_at) VALUES ('100% done', NULL), ('1000 done', NULL), ('a_b', NULL),
                 ('ab', NULL), ('gone 100%', 'x');",
        )
        .unwrap();
        let names = |f: &Filter, offset, limit| {
            f.page(&conn, "FROM t", "SELECT name FROM t", "id", (offset, limit), |r| r.get::<_, String>(0)).unwrap()
        };
        let mut f = Filter::new();
        f.archived(false, "t").search("100%", &["t.name"]);
        assert_eq!(names(&f, 0, 10), Page { total: 1, rows: vec!["100% done".to_owned()] }, "% is not a wildcard");
        let mut f = Filter::new();
        f.search("a_b", &["t.name"]);
        assert_eq!(names(&f, 0, 10).rows, ["a_b"], "_ is not a wildcard");
        let mut f = Filter::new();
        f.archived(true, "t");
        assert_eq!(names(&f, 3, 1), Page { total: 5, rows: vec!["ab".to_owned()] });
        assert_eq!(names(&f, 0, 0).rows.len(), 1, "a page holds at least one row");
    }
}
