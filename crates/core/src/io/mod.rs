//! Files in and out: CSV reading and writing, the one CSV import every register uses, and
//! the guard that keeps every output off the workspace's own files.

pub mod column_map;
pub mod csv_import;
pub mod csvio;
pub mod outputs;
pub mod table_file;
