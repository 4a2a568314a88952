//! IPC commands. Each one: DTO in, one core call, core error mapped by `?`.

use readyroom_core::criteria::{self, Criterion};
use readyroom_core::people::{self, PeopleQuery, Person, PersonInput};
use readyroom_core::profile::{self, Profile, ProfileInput};
use readyroom_core::OpenReport;
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command]
pub async fn workspace_info(state: State<'_, AppState>) -> IpcResult<OpenReport> {
    Ok(state.workspace()?.report().clone())
}

#[tauri::command]
pub async fn get_profile(state: State<'_, AppState>) -> IpcResult<Option<Profile>> {
    Ok(state.workspace()?.read(profile::get)?)
}

#[tauri::command]
pub async fn save_profile(state: State<'_, AppState>, input: ProfileInput) -> IpcResult<Profile> {
    Ok(state.workspace()?.write(|tx, now| profile::save(tx, now, &input))?)
}

#[tauri::command]
pub async fn list_criteria(state: State<'_, AppState>) -> IpcResult<Vec<Criterion>> {
    Ok(state.workspace()?.read(criteria::list)?)
}

#[tauri::command]
pub async fn list_people(state: State<'_, AppState>, query: PeopleQuery) -> IpcResult<Vec<Person>> {
    Ok(state.workspace()?.read(|c| people::list(c, &query))?)
}

#[tauri::command]
pub async fn create_person(state: State<'_, AppState>, input: PersonInput) -> IpcResult<Person> {
    Ok(state.workspace()?.write(|tx, now| people::create(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_person(state: State<'_, AppState>, id: i64, input: PersonInput) -> IpcResult<Person> {
    Ok(state.workspace()?.write(|tx, now| people::update(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn set_person_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<Person> {
    Ok(state.workspace()?.write(|tx, now| people::set_archived(tx, now, id, archived))?)
}
