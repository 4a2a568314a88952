//! Where the registers live: the workspace file and its migrations, the change history,
//! the evidence store beside it, the workspace's settings, and the archive that carries it all.

pub mod archive;
pub mod evidence;
pub mod history;
pub mod list;
pub mod occurrences;
pub mod past;
pub mod record;
pub mod settings;
pub mod workspace;
