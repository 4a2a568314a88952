//! The one mapping from core errors to what crosses IPC: `{code, message, fields}`
//! (TypeScript: `AppError`). The UI branches on `code` and shows `fields` inline.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct IpcError(pub readyroom_core::Error);

impl From<readyroom_core::Error> for IpcError {
    fn from(err: readyroom_core::Error) -> Self {
        Self(err)
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
