//! Where the registers live: the workspace file and its migrations, the change history,
//! the evidence store beside it, the workspace's settings, and the archive that carries it all.

pub mod archive;
pub mod attachments;
pub mod encryption;
pub mod evidence;
pub mod history;
pub mod keys;
pub mod list;
pub mod occurrences;
pub mod past;
pub mod record;
pub mod sealed_file;
pub mod settings;
pub mod workspace;

use rusqlite::{Connection, Params, Row};

/// Every row `sql` gives with `params`, each read as a tuple of its columns in order (the
/// tuple's types say how: `(i64, String, Option<String>, bool)`).
pub fn tuples<T>(conn: &Connection, sql: &str, params: impl Params) -> crate::error::Result<Vec<T>>
where
    T: for<'r> TryFrom<&'r Row<'r>, Error = rusqlite::Error>,
{
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| T::try_from(r))?.collect::<rusqlite::Result<Vec<T>>>()?;
    Ok(rows)
}
