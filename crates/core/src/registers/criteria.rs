//! The Trust Services Criteria reference library (installed by migration 0002).

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::profile;

/// A Trust Services category. Security (the common criteria) is always in scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Category {
    Security,
    Availability,
    Confidentiality,
    ProcessingIntegrity,
    Privacy,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Security,
        Category::Availability,
        Category::Confidentiality,
        Category::ProcessingIntegrity,
        Category::Privacy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Availability => "availability",
            Category::Confidentiality => "confidentiality",
            Category::ProcessingIntegrity => "processing_integrity",
            Category::Privacy => "privacy",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Security => "Security",
            Category::Availability => "Availability",
            Category::Confidentiality => "Confidentiality",
            Category::ProcessingIntegrity => "Processing Integrity",
            Category::Privacy => "Privacy",
        }
    }

    pub fn parse(value: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

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
