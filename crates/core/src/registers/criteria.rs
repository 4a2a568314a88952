//! The Trust Services Criteria reference library (installed by migration 0002).

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::profile;

pub use crate::refs::Category;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Criterion {
    /// The public identifier, e.g. `CC6.1`.
    pub id: String,
    pub category: Category,
    /// The series the criterion belongs to, e.g. `CC6`.
    pub series: String,
    pub series_title: String,
    pub title: String,
    /// What the criterion asks for, in our own words.
    pub summary: String,
    /// Whether the criterion's category is in the organization's audit scope.
    pub in_scope: bool,
}

/// Every criterion in library order, marked in or out of the profile's scope.
pub fn list(conn: &Connection) -> Result<Vec<Criterion>> {
    let scope = profile::categories_in_scope(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, category, series, series_title, title, summary FROM criteria ORDER BY sort_order",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, category, series, series_title, title, summary) = row?;
        let category = Category::parse(&category).ok_or_else(|| {
            Error::internal(format!(
                "criterion {id} has unknown category {category:?}; the schema CHECK allows only known ones"
            ))
        })?;
        out.push(Criterion { in_scope: scope.contains(&category), id, category, series, series_title, title, summary });
    }
    Ok(out)
}
