//! Where the registers live: the workspace file and its migrations, the change history,
//! the evidence store beside it, and the workspace's settings.

pub mod evidence;
pub mod history;
pub mod list;
pub mod occurrences;
pub mod past;
pub mod record;
pub mod settings;
pub mod workspace;
