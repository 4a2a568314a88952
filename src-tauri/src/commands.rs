//! IPC commands. Each one: DTO in, one core call, core error mapped by `?`.

use readyroom_core::access_reviews::{self, AccessDiff, AccessReview, AccessReviewDetail, AccessReviewInput};
use readyroom_core::actions::{self, Action, ActionDetail, ActionInput, ActionQuery};
use readyroom_core::archive::{self, ArchiveSummary};
use readyroom_core::binder::{self, BinderRange, BinderSummary};
use readyroom_core::changes::{self, Change, ChangeDetail, ChangeInput, ChangeQuery};
use readyroom_core::column_map::{ImportPreview, MappedColumn};
use readyroom_core::controls::{
    self, Activity, ActivityFile, ActivityInput, Control, ControlDetail, ControlInput, ControlQuery, StarterSummary,
};
use readyroom_core::criteria::{self, Criterion};
use readyroom_core::csv_import::{ImportOptions, ImportReport};
use readyroom_core::evidence::{
    self, Content, Evidence, EvidenceInput, EvidenceProblem, EvidenceTarget, OwnedEvidence, StoredFile, Upload,
};
use readyroom_core::heatmap::{self, Heatmap, HeatmapQuery};
use readyroom_core::history::HistoryEntry;
use readyroom_core::incidents::{
    self, Incident, IncidentDetail, IncidentInput, IncidentQuery, TimelineEntry, TimelineInput,
};
use readyroom_core::leavers::{self, DeprovisionInput, Leaver};
use readyroom_core::list::Page;
use readyroom_core::people::{self, PeoplePageQuery, PeopleQuery, Person, PersonInput};
use readyroom_core::policies::{
    self, Acknowledgement, ApproveInput, ExpectedSummary, Policy, PolicyDetail, PolicyInput,
};
use readyroom_core::profile::{self, Profile, ProfileInput};
use readyroom_core::readiness;
use readyroom_core::registers::DatedCorrection;
use readyroom_core::requests::{
    self, AuditRequest, AuditRequestInput, RequestDetail, RequestLink, RequestQuery, RequestRow, Suggestion,
};
use readyroom_core::retention::{self, DataType, DataTypeDetail, DataTypeInput, Disposal, DisposalInput};
use readyroom_core::risk_assessments::{
    self, AmendmentInput, Assessment, AssessmentComparison, AssessmentInput, AssessmentSummary,
};
use readyroom_core::risks::{self, RatingView, Risk, RiskDetail, RiskInput, RiskQuery, StarterRiskOption};
use readyroom_core::scoring::RiskScale;
use readyroom_core::settings::{self, BandThresholds, VendorIntervals};
use readyroom_core::systems::{self, LogReview, LogReviewInput, System, SystemDetail, SystemInput, SystemQuery};
use readyroom_core::tabletop::exercises::{
    self, CorrectiveActionInput, Coverage, DebriefInput, Exercise, ExerciseSummary, HeldInput, Note, PlanChange,
    PlanInput, ScriptDraft, ScriptRef, ScriptSummary,
};
use readyroom_core::tabletop::Script;
use readyroom_core::training::{self, Completion, Course, CourseInput, SessionInput, TrainingOverview};
use readyroom_core::vendors::{
    self, Soc2Report, Soc2ReportInput, Vendor, VendorAssessment, VendorAssessmentInput, VendorDetail, VendorInput,
    VendorPage, VendorQuery,
};
use readyroom_core::{registers, Register};
use readyroom_core::{Access, OpenReport, Secret};
use readyroom_core::{Error, ErrorCode};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, JobProgress, PickedFile, SaveKind, SaveTarget, JOB_PROGRESS};

#[tauri::command]
pub async fn workspace_info(state: State<'_, AppState>) -> IpcResult<OpenReport> {
    // The recovery key is shown once, by the command that created the workspace.
    Ok(OpenReport { recovery_key: None, ..state.workspace()?.report().clone() })
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

#[tauri::command]
pub async fn person_history(state: State<'_, AppState>, id: i64) -> IpcResult<Vec<HistoryEntry>> {
    Ok(state.workspace()?.read(|c| people::history(c, id))?)
}

#[tauri::command]
pub async fn list_controls(state: State<'_, AppState>, query: ControlQuery) -> IpcResult<Page<Control>> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| readyroom_core::attention::list_controls(c, &query, today))?)
}

#[tauri::command]
pub async fn control_detail(state: State<'_, AppState>, id: i64) -> IpcResult<ControlDetail> {
    Ok(state.workspace()?.read(|c| controls::detail(c, id))?)
}

#[tauri::command]
pub async fn create_control(state: State<'_, AppState>, input: ControlInput) -> IpcResult<Control> {
    Ok(state.workspace()?.write(|tx, now| controls::create(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_control(state: State<'_, AppState>, id: i64, input: ControlInput) -> IpcResult<Control> {
    Ok(state.workspace()?.write(|tx, now| controls::update(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn set_control_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<Control> {
    Ok(state.workspace()?.write(|tx, now| controls::set_archived(tx, now, id, archived))?)
}

#[tauri::command]
pub async fn delete_control(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    Ok(state.workspace()?.write(|tx, _| controls::delete_draft(tx, id))?)
}

/// Records an activity, with an optional evidence file already copied into the workspace
/// (`staged`: the token of its pick, see `stage_evidence_file`) attached in the same
/// transaction; `file` gives its name and expiry.
#[tauri::command]
pub async fn add_control_activity(
    state: State<'_, AppState>,
    id: i64,
    input: ActivityInput,
    file: Option<ActivityFile>,
    staged: Option<String>,
) -> IpcResult<Activity> {
    let staged = staged_file(&state, &staged)?;
    let ws = state.workspace()?;
    let dir = ws.attachments_dir();
    let upload = file.as_ref().zip(staged.as_ref().map(|(_, f)| Content::Stored(f)));
    Ok(ws.write(|tx, now| controls::add_activity_with_file(tx, now, &dir, id, &input, upload))?)
}

#[tauri::command]
pub async fn starter_controls_summary(state: State<'_, AppState>) -> IpcResult<StarterSummary> {
    Ok(state.workspace()?.read(controls::starter_summary)?)
}

#[tauri::command]
pub async fn install_starter_controls(state: State<'_, AppState>) -> IpcResult<u32> {
    Ok(state.workspace()?.write(controls::install_starter)?)
}

/// A file picked for import: the token the page passes back, and what the file holds.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportPick {
    pub token: String,
    pub source: readyroom_core::table_file::TableSource,
}

/// Asks for a CSV file or workbook to import into `register` (nothing when cancelled) and
/// says which sheets it has. The file is read by the app, from where it is: evidence files
/// its rows name are found beside it.
#[tauri::command]
pub async fn choose_import_file<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    register: Register,
) -> IpcResult<Option<ImportPick>> {
    let Some(path) = pick_file(&app, &state, SaveKind::Table) else { return Ok(None) };
    let source = registers::describe_file(&path, register)?;
    Ok(Some(ImportPick { token: state.remember_pick(path)?, source }))
}

/// Checks (dry run) or imports the picked file (`sheet`: a workbook's sheet; `columns`: the
/// user's choice of what each header is, remembered once imported); all or nothing.
/// Clearing stored values with empty cells needs `options.allow_clearing` (the user's
/// confirmation).
#[tauri::command]
pub async fn import_file(
    state: State<'_, AppState>,
    register: Register,
    token: String,
    sheet: Option<String>,
    columns: Option<Vec<MappedColumn>>,
    options: ImportOptions,
) -> IpcResult<ImportReport> {
    let path = state.picked(&token)?;
    let ws = state.workspace()?;
    Ok(registers::import_mapped_file(&ws, register, &path, sheet.as_deref(), columns.as_deref(), options)?)
}

/// Writes a register's CSV template (its header and one example row) where the user chose.
#[tauri::command]
pub async fn export_template(state: State<'_, AppState>, register: Register, target: String) -> IpcResult<String> {
    let path = state.take_save(&target, SaveKind::Csv)?;
    let ws = state.workspace()?;
    let text = registers::template_csv(register)?;
    state.write_output(&ws, &path, text.as_bytes())
}

/// Writes a register's CSV where the user chose (`target`: a token from `choose_save_path`).
#[tauri::command]
pub async fn export_csv(state: State<'_, AppState>, register: Register, target: String) -> IpcResult<String> {
    let path = state.take_save(&target, SaveKind::Csv)?;
    let ws = state.workspace()?;
    let text = ws.read(|c| registers::export_csv(c, register))?;
    state.write_output(&ws, &path, text.as_bytes())
}

// Actions: "overdue" is judged on today's date, read from the clock here at the edge.

#[tauri::command]
pub async fn list_actions(state: State<'_, AppState>, query: ActionQuery) -> IpcResult<Page<Action>> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| actions::list(c, &query, today))?)
}

#[tauri::command]
pub async fn action_detail(state: State<'_, AppState>, id: i64) -> IpcResult<ActionDetail> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| actions::detail(c, id, today))?)
}

#[tauri::command]
pub async fn create_action(state: State<'_, AppState>, input: ActionInput) -> IpcResult<Action> {
    Ok(state.workspace()?.write(|tx, now| actions::create(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_action(state: State<'_, AppState>, id: i64, input: ActionInput) -> IpcResult<Action> {
    Ok(state.workspace()?.write(|tx, now| actions::update(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn set_action_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<Action> {
    Ok(state.workspace()?.write(|tx, now| actions::set_archived(tx, now, id, archived))?)
}

#[tauri::command]
pub async fn list_policies(state: State<'_, AppState>, include_archived: bool) -> IpcResult<Vec<Policy>> {
    Ok(state.workspace()?.read(|c| policies::list(c, include_archived))?)
}

#[tauri::command]
pub async fn policy_detail(state: State<'_, AppState>, id: i64) -> IpcResult<PolicyDetail> {
    Ok(state.workspace()?.read(|c| policies::detail(c, id))?)
}

#[tauri::command]
pub async fn create_policy(state: State<'_, AppState>, input: PolicyInput) -> IpcResult<Policy> {
    Ok(state.workspace()?.write(|tx, now| policies::create(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_policy(state: State<'_, AppState>, id: i64, input: PolicyInput) -> IpcResult<Policy> {
    Ok(state.workspace()?.write(|tx, now| policies::update(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn approve_policy(state: State<'_, AppState>, id: i64, input: ApproveInput) -> IpcResult<Policy> {
    Ok(state.workspace()?.write(|tx, now| policies::approve(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn new_policy_version(state: State<'_, AppState>, id: i64, version: String) -> IpcResult<Policy> {
    Ok(state.workspace()?.write(|tx, now| policies::new_version(tx, now, id, &version))?)
}

#[tauri::command]
pub async fn acknowledge_policy(
    state: State<'_, AppState>,
    id: i64,
    person_id: Option<i64>,
    acknowledged_on: String,
) -> IpcResult<Acknowledgement> {
    Ok(state.workspace()?.write(|tx, now| policies::acknowledge(tx, now, id, person_id, &acknowledged_on))?)
}

#[tauri::command]
pub async fn set_policy_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<Policy> {
    Ok(state.workspace()?.write(|tx, now| policies::set_archived(tx, now, id, archived))?)
}

#[tauri::command]
pub async fn expected_policies_summary(state: State<'_, AppState>) -> IpcResult<ExpectedSummary> {
    Ok(state.workspace()?.read(policies::expected_summary)?)
}

#[tauri::command]
pub async fn install_expected_policies(state: State<'_, AppState>) -> IpcResult<u32> {
    Ok(state.workspace()?.write(policies::install_expected)?)
}

/// The text of `version` of a policy (none: its working version).
#[tauri::command]
pub async fn policy_text(
    state: State<'_, AppState>,
    id: i64,
    version: Option<String>,
) -> IpcResult<readyroom_core::policy_text::PolicyText> {
    Ok(state.workspace()?.read(|c| readyroom_core::policy_text::get(c, id, version.as_deref()))?)
}

/// Every version of a policy with text or an approval, oldest first.
#[tauri::command]
pub async fn policy_versions(
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<Vec<readyroom_core::policy_text::PolicyVersion>> {
    Ok(state.workspace()?.read(|c| readyroom_core::policy_text::versions(c, id))?)
}

/// Writes the working version's text; refused once that version is approved.
#[tauri::command]
pub async fn save_policy_text(
    state: State<'_, AppState>,
    id: i64,
    body: String,
) -> IpcResult<readyroom_core::policy_text::PolicyText> {
    Ok(state.workspace()?.write(|tx, now| readyroom_core::policy_text::save(tx, now, id, &body))?)
}

/// The lines of version `to` compared with those of version `from`.
#[tauri::command]
pub async fn compare_policy_versions(
    state: State<'_, AppState>,
    id: i64,
    from: String,
    to: String,
) -> IpcResult<Vec<readyroom_core::policy_text::DiffLine>> {
    Ok(state.workspace()?.read(|c| readyroom_core::policy_text::compare(c, id, &from, &to))?)
}

/// The starter text for the policy, filled for this workspace, when a template writes it.
#[tauri::command]
pub async fn policy_template(state: State<'_, AppState>, id: i64) -> IpcResult<Option<String>> {
    Ok(state.workspace()?.read(|c| readyroom_core::policy_text::template(c, id))?)
}

/// Prints `version` of a policy (none: the working one) with its cover and approval block to
/// the PDF file the user chose (`target`, a save token).
#[tauri::command]
pub async fn export_policy_pdf(
    state: State<'_, AppState>,
    id: i64,
    version: Option<String>,
    target: String,
) -> IpcResult<String> {
    let path = state.take_save(&target, SaveKind::Pdf)?;
    let ws = state.workspace()?;
    let today = ws.clock().today();
    let bytes = ws.read(|c| {
        let organisation = readyroom_core::profile::get(c)?.map(|p| p.name).unwrap_or_default();
        readyroom_core::policy::policy_pdf(
            c,
            id,
            version.as_deref(),
            &organisation,
            readyroom_core::pdf::Paper::A4,
            today,
        )
    })?;
    state.write_output(&ws, &path, &bytes)
}

/// Attaches a file already copied into the workspace (`staged`: the token of its pick).
#[tauri::command]
pub async fn attach_evidence(
    state: State<'_, AppState>,
    target: EvidenceTarget,
    input: EvidenceInput,
    staged: String,
) -> IpcResult<Evidence> {
    let (_, file) = state.staged(&staged)?;
    let ws = state.workspace()?;
    let dir = ws.attachments_dir();
    Ok(ws.write(|tx, now| evidence::attach_content(tx, now, &dir, target, Content::Stored(&file), &input))?)
}

/// Opens an evidence file with the OS default app, after checking it is there and unchanged
/// (from an encrypted workspace, a decrypted copy in the temporary folder: other apps cannot
/// read the sealed file).
#[tauri::command]
pub async fn open_evidence<R: tauri::Runtime>(app: AppHandle<R>, state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    let ws = state.workspace()?;
    let dir = ws.attachments_dir();
    let scratch = crate::state::open_scratch();
    let path = ws.read(|c| evidence::viewable(c, &dir, id, &scratch))?;
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| Error::new(ErrorCode::Io, format!("The file could not be opened: {e}")))?;
    Ok(())
}

/// Lists evidence files that are missing or were changed after they were attached.
#[tauri::command]
pub async fn verify_evidence(state: State<'_, AppState>) -> IpcResult<Vec<EvidenceProblem>> {
    let ws = state.workspace()?;
    let dir = ws.attachments_dir();
    Ok(ws.read(|c| evidence::verify_all(c, &dir))?)
}

#[tauri::command]
pub async fn delete_policy(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    Ok(state.workspace()?.write(|tx, _| policies::delete_draft(tx, id))?)
}

#[tauri::command]
pub async fn people_page(state: State<'_, AppState>, query: PeoplePageQuery) -> IpcResult<Page<Person>> {
    Ok(state.workspace()?.read(|c| people::page(c, &query))?)
}

#[tauri::command]
pub async fn risk_scale(state: State<'_, AppState>) -> IpcResult<RiskScale> {
    Ok(state.workspace()?.read(|c| Ok(RiskScale::new(settings::band_thresholds(c)?)))?)
}

#[tauri::command]
pub async fn save_band_thresholds(state: State<'_, AppState>, input: BandThresholds) -> IpcResult<RiskScale> {
    Ok(state.workspace()?.write(|tx, now| Ok(RiskScale::new(settings::save_band_thresholds(tx, now, &input)?)))?)
}

#[tauri::command]
pub async fn list_risks(state: State<'_, AppState>, query: RiskQuery) -> IpcResult<Page<Risk>> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| risks::list(c, &query, today))?)
}

#[tauri::command]
pub async fn risk_detail(state: State<'_, AppState>, id: i64) -> IpcResult<RiskDetail> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| risks::detail(c, id, today))?)
}

#[tauri::command]
pub async fn create_risk(state: State<'_, AppState>, input: RiskInput) -> IpcResult<Risk> {
    Ok(state.workspace()?.write(|tx, now| risks::create(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_risk(state: State<'_, AppState>, id: i64, input: RiskInput) -> IpcResult<Risk> {
    Ok(state.workspace()?.write(|tx, now| risks::update(tx, now, id, &input))?)
}

/// Takes the starter library's suggested treatment and residual rating for a risk.
#[tauri::command]
pub async fn accept_risk_suggestion(state: State<'_, AppState>, id: i64) -> IpcResult<Risk> {
    Ok(state.workspace()?.write(|tx, now| risks::accept_suggestion(tx, now, id))?)
}

/// Every role the starter content names, with who holds it.
#[tauri::command]
pub async fn role_holders(state: State<'_, AppState>) -> IpcResult<Vec<readyroom_core::roles::RoleHolder>> {
    Ok(state.workspace()?.read(readyroom_core::roles::list)?)
}

/// Maps a role to a person (or to nobody); the role's unowned starter records, and those of
/// the previous holder, become theirs.
#[tauri::command]
pub async fn assign_role(
    state: State<'_, AppState>,
    role: String,
    person_id: Option<i64>,
) -> IpcResult<readyroom_core::roles::RoleAssigned> {
    Ok(state.workspace()?.write(|tx, now| readyroom_core::roles::assign(tx, now, &role, person_id))?)
}

#[tauri::command]
pub async fn set_risk_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<Risk> {
    Ok(state.workspace()?.write(|tx, now| risks::set_archived(tx, now, id, archived))?)
}

#[tauri::command]
pub async fn starter_risks(state: State<'_, AppState>) -> IpcResult<Vec<StarterRiskOption>> {
    Ok(state.workspace()?.read(risks::starter_library)?)
}

#[tauri::command]
pub async fn add_starter_risks(state: State<'_, AppState>, keys: Vec<String>) -> IpcResult<u32> {
    Ok(state.workspace()?.write(|tx, now| risks::add_starter(tx, now, &keys))?)
}

#[tauri::command]
pub async fn risk_heatmap(state: State<'_, AppState>, query: HeatmapQuery) -> IpcResult<Heatmap> {
    Ok(state.workspace()?.read(|c| heatmap::live(c, &query))?)
}

#[tauri::command]
pub async fn list_risk_assessments(state: State<'_, AppState>) -> IpcResult<Vec<AssessmentSummary>> {
    Ok(state.workspace()?.read(risk_assessments::list)?)
}

#[tauri::command]
pub async fn risk_assessment(state: State<'_, AppState>, id: i64) -> IpcResult<Assessment> {
    Ok(state.workspace()?.read(|c| risk_assessments::get(c, id))?)
}

#[tauri::command]
pub async fn risk_assessment_heatmap(state: State<'_, AppState>, id: i64, view: RatingView) -> IpcResult<Heatmap> {
    Ok(state.workspace()?.read(|c| risk_assessments::heatmap(c, id, view))?)
}

#[tauri::command]
pub async fn create_risk_assessment(state: State<'_, AppState>, input: AssessmentInput) -> IpcResult<Assessment> {
    Ok(state.workspace()?.write(|tx, now| risk_assessments::create(tx, now, &input))?)
}

/// Notes a correction beside a recorded risk assessment (the snapshot itself never changes).
#[tauri::command]
pub async fn amend_risk_assessment(
    state: State<'_, AppState>,
    id: i64,
    input: AmendmentInput,
) -> IpcResult<Assessment> {
    Ok(state.workspace()?.write(|tx, now| risk_assessments::amend(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn compare_risk_assessments(
    state: State<'_, AppState>,
    from: i64,
    to: i64,
) -> IpcResult<AssessmentComparison> {
    Ok(state.workspace()?.read(|c| risk_assessments::compare(c, from, to))?)
}

#[tauri::command]
pub async fn vendor_intervals(state: State<'_, AppState>) -> IpcResult<VendorIntervals> {
    Ok(state.workspace()?.read(settings::vendor_intervals)?)
}

#[tauri::command]
pub async fn save_vendor_intervals(state: State<'_, AppState>, input: VendorIntervals) -> IpcResult<VendorIntervals> {
    Ok(state.workspace()?.write(|tx, now| settings::save_vendor_intervals(tx, now, &input))?)
}

#[tauri::command]
pub async fn list_vendors(state: State<'_, AppState>, query: VendorQuery) -> IpcResult<VendorPage> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| vendors::list(c, &query, today))?)
}

#[tauri::command]
pub async fn vendor_detail(state: State<'_, AppState>, id: i64) -> IpcResult<VendorDetail> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| vendors::detail(c, id, today))?)
}

#[tauri::command]
pub async fn create_vendor(state: State<'_, AppState>, input: VendorInput) -> IpcResult<Vendor> {
    Ok(state.workspace()?.write(|tx, now| vendors::create(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_vendor(state: State<'_, AppState>, id: i64, input: VendorInput) -> IpcResult<Vendor> {
    Ok(state.workspace()?.write(|tx, now| vendors::update(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn set_vendor_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<Vendor> {
    Ok(state.workspace()?.write(|tx, now| vendors::set_archived(tx, now, id, archived))?)
}

/// Records a vendor assessment, with an optional evidence file (staged) in the same transaction.
#[tauri::command]
pub async fn add_vendor_assessment(
    state: State<'_, AppState>,
    id: i64,
    input: VendorAssessmentInput,
    staged: Option<String>,
) -> IpcResult<VendorAssessment> {
    let staged = staged_file(&state, &staged)?;
    let ws = state.workspace()?;
    let dir = ws.attachments_dir();
    let upload = staged.as_ref().map(|(name, f)| Upload::stored(name, f));
    Ok(ws.write(|tx, now| vendors::add_assessment(tx, now, &dir, id, &input, upload))?)
}

#[tauri::command]
pub async fn save_soc2_report(
    state: State<'_, AppState>,
    vendor_id: i64,
    report_id: Option<i64>,
    input: Soc2ReportInput,
) -> IpcResult<Soc2Report> {
    Ok(state.workspace()?.write(|tx, now| vendors::save_report(tx, now, vendor_id, report_id, &input))?)
}

#[tauri::command]
pub async fn delete_soc2_report(state: State<'_, AppState>, vendor_id: i64, report_id: i64) -> IpcResult<()> {
    Ok(state.workspace()?.write(|tx, now| vendors::delete_report(tx, now, vendor_id, report_id))?)
}

/// The copy made of the evidence file picked as `staged`, if one is given.
fn staged_file(state: &AppState, staged: &Option<String>) -> Result<Option<(String, StoredFile)>, IpcError> {
    staged.as_deref().map(|token| state.staged(token)).transpose()
}

/// Asks for an evidence file in the system's open dialog (nothing when cancelled): the page
/// gets a token, the name and the size, never the path or the bytes.
#[tauri::command]
pub async fn choose_evidence_file<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<Option<PickedFile>> {
    let Some(path) = pick_file(&app, &state, SaveKind::Evidence) else { return Ok(None) };
    let (name, size) = evidence::describe_path(&path)?;
    Ok(Some(PickedFile { token: state.remember_pick(path)?, name, size }))
}

/// Copies the evidence file picked as `token` into the workspace's attachments as job `job`:
/// read from where it is, hashed while it is copied (sealed in an encrypted workspace), with
/// progress and cancel, and no size limit. The record it belongs to is saved next, naming the
/// same token; copying it again is not needed if that save is refused.
#[tauri::command]
pub async fn stage_evidence_file<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    token: String,
    job: String,
) -> IpcResult<PickedFile> {
    let path = state.picked(&token)?;
    let ws = state.workspace()?;
    let dir = ws.attachments_dir();
    let (name, _) = evidence::describe_path(&path)?;
    let file = run_job(&app, &state, &job, move |progress| evidence::store_path(&dir, &path, progress)).await?;
    let size = file.size;
    state.stage(&token, name.clone(), file)?;
    Ok(PickedFile { token, name, size })
}

#[tauri::command]
pub async fn list_systems(state: State<'_, AppState>, query: SystemQuery) -> IpcResult<Vec<System>> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| systems::list(c, &query, today))?)
}

#[tauri::command]
pub async fn system_detail(state: State<'_, AppState>, id: i64) -> IpcResult<SystemDetail> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| systems::detail(c, id, today))?)
}

#[tauri::command]
pub async fn create_system(state: State<'_, AppState>, input: SystemInput) -> IpcResult<System> {
    Ok(state.workspace()?.write(|tx, now| systems::create(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_system(state: State<'_, AppState>, id: i64, input: SystemInput) -> IpcResult<System> {
    Ok(state.workspace()?.write(|tx, now| systems::update(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn set_system_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<System> {
    Ok(state.workspace()?.write(|tx, now| systems::set_archived(tx, now, id, archived))?)
}

#[tauri::command]
pub async fn add_log_review(
    state: State<'_, AppState>,
    id: i64,
    input: LogReviewInput,
    staged: Option<String>,
) -> IpcResult<LogReview> {
    let staged = staged_file(&state, &staged)?;
    let ws = state.workspace()?;
    let dir = ws.attachments_dir();
    let upload = staged.as_ref().map(|(name, f)| Upload::stored(name, f));
    Ok(ws.write(|tx, now| systems::add_log_review(tx, now, &dir, id, &input, upload))?)
}

#[tauri::command]
pub async fn list_data_types(
    state: State<'_, AppState>,
    search: String,
    include_archived: bool,
) -> IpcResult<Vec<DataType>> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| retention::list(c, &search, include_archived, today))?)
}

#[tauri::command]
pub async fn data_type_detail(state: State<'_, AppState>, id: i64) -> IpcResult<DataTypeDetail> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| retention::detail(c, id, today))?)
}

#[tauri::command]
pub async fn create_data_type(state: State<'_, AppState>, input: DataTypeInput) -> IpcResult<DataType> {
    Ok(state.workspace()?.write(|tx, now| retention::create(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_data_type(state: State<'_, AppState>, id: i64, input: DataTypeInput) -> IpcResult<DataType> {
    Ok(state.workspace()?.write(|tx, now| retention::update(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn set_data_type_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<DataType> {
    Ok(state.workspace()?.write(|tx, now| retention::set_archived(tx, now, id, archived))?)
}

#[tauri::command]
pub async fn add_disposal(
    state: State<'_, AppState>,
    id: i64,
    input: DisposalInput,
    staged: Option<String>,
) -> IpcResult<Disposal> {
    let staged = staged_file(&state, &staged)?;
    let ws = state.workspace()?;
    let dir = ws.attachments_dir();
    let upload = staged.as_ref().map(|(name, f)| Upload::stored(name, f));
    Ok(ws.write(|tx, now| retention::add_disposal(tx, now, &dir, id, &input, upload))?)
}

/// Corrects a recorded activity, log review, disposal or vendor assessment (its date, who did
/// it and its text); the parent's history keeps the values before. Whether anything changed.
#[tauri::command]
pub async fn correct_dated(state: State<'_, AppState>, id: i64, correction: DatedCorrection) -> IpcResult<bool> {
    Ok(state.workspace()?.write(|tx, now| registers::correct_dated(tx, now, id, &correction))?)
}

/// Withdraws a dated record (see `registers::withdraw_dated` for the kinds) for a reason: it is
/// kept, struck through, and counts nowhere from then on.
#[tauri::command]
pub async fn withdraw_dated(state: State<'_, AppState>, register: Register, id: i64, reason: String) -> IpcResult<()> {
    Ok(state.workspace()?.write(|tx, now| registers::withdraw_dated(tx, now, register, id, &reason))?)
}

/// Compares the two access lists picked in the open dialog (`previous` and `current` are
/// their tokens, from `choose_evidence_file`): read by the app from where they are; nothing
/// is stored.
#[tauri::command]
pub async fn diff_access_lists(state: State<'_, AppState>, previous: String, current: String) -> IpcResult<AccessDiff> {
    let (previous, current) = (state.picked(&previous)?, state.picked(&current)?);
    Ok(access_reviews::diff_files(&previous, &current)?)
}

#[tauri::command]
pub async fn list_access_reviews(
    state: State<'_, AppState>,
    system_id: Option<i64>,
    include_archived: bool,
) -> IpcResult<Vec<AccessReview>> {
    Ok(state.workspace()?.read(|c| access_reviews::list(c, system_id, include_archived))?)
}

#[tauri::command]
pub async fn access_review_detail(state: State<'_, AppState>, id: i64) -> IpcResult<AccessReviewDetail> {
    Ok(state.workspace()?.read(|c| access_reviews::detail(c, id))?)
}

/// Records an access review. Its evidence is the current access list the page compared,
/// copied into the workspace first (`staged`: its token, after `stage_evidence_file`).
#[tauri::command]
pub async fn create_access_review(
    state: State<'_, AppState>,
    input: AccessReviewInput,
    staged: Option<String>,
) -> IpcResult<AccessReview> {
    let staged = staged_file(&state, &staged)?;
    let ws = state.workspace()?;
    let dir = ws.attachments_dir();
    let upload = staged.as_ref().map(|(name, f)| Upload::stored(name, f));
    Ok(ws.write(|tx, now| access_reviews::create(tx, now, &dir, &input, upload))?)
}

#[tauri::command]
pub async fn set_access_review_archived(
    state: State<'_, AppState>,
    id: i64,
    archived: bool,
) -> IpcResult<AccessReview> {
    Ok(state.workspace()?.write(|tx, now| access_reviews::set_archived(tx, now, id, archived))?)
}

#[tauri::command]
pub async fn training_overview(state: State<'_, AppState>) -> IpcResult<TrainingOverview> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| training::overview(c, today))?)
}

#[tauri::command]
pub async fn list_courses(state: State<'_, AppState>, include_archived: bool) -> IpcResult<Vec<Course>> {
    Ok(state.workspace()?.read(|c| training::courses(c, include_archived))?)
}

#[tauri::command]
pub async fn create_course(state: State<'_, AppState>, input: CourseInput) -> IpcResult<Course> {
    Ok(state.workspace()?.write(|tx, now| training::create_course(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_course(state: State<'_, AppState>, id: i64, input: CourseInput) -> IpcResult<Course> {
    Ok(state.workspace()?.write(|tx, now| training::update_course(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn course_history(state: State<'_, AppState>, id: i64) -> IpcResult<Vec<HistoryEntry>> {
    Ok(state.workspace()?.read(|c| training::course_history(c, id))?)
}

#[tauri::command]
pub async fn set_course_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<Course> {
    Ok(state.workspace()?.write(|tx, now| training::set_course_archived(tx, now, id, archived))?)
}

#[tauri::command]
pub async fn record_training_session(
    state: State<'_, AppState>,
    input: SessionInput,
    staged: Option<String>,
) -> IpcResult<u32> {
    let staged = staged_file(&state, &staged)?;
    let ws = state.workspace()?;
    let dir = ws.attachments_dir();
    let upload = staged.as_ref().map(|(name, f)| Upload::stored(name, f));
    Ok(ws.write(|tx, now| training::record_session(tx, now, &dir, &input, upload))?)
}

#[tauri::command]
pub async fn list_completions(state: State<'_, AppState>, person_id: Option<i64>) -> IpcResult<Vec<Completion>> {
    Ok(state.workspace()?.read(|c| training::completions(c, person_id))?)
}

#[tauri::command]
pub async fn list_leavers(state: State<'_, AppState>, ahead_days: u32) -> IpcResult<Vec<Leaver>> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| leavers::list(c, today, u64::from(ahead_days)))?)
}

#[tauri::command]
pub async fn record_deprovisioning(state: State<'_, AppState>, input: DeprovisionInput) -> IpcResult<()> {
    Ok(state.workspace()?.write(|tx, now| leavers::record(tx, now, &input))?)
}

#[tauri::command]
pub async fn list_changes(state: State<'_, AppState>, query: ChangeQuery) -> IpcResult<Page<Change>> {
    let ws = state.workspace()?;
    let now = ws.clock().now().naive_utc();
    Ok(ws.read(|c| changes::list(c, &query, now))?)
}

#[tauri::command]
pub async fn change_detail(state: State<'_, AppState>, id: i64) -> IpcResult<ChangeDetail> {
    let ws = state.workspace()?;
    let now = ws.clock().now().naive_utc();
    Ok(ws.read(|c| changes::detail(c, id, now))?)
}

#[tauri::command]
pub async fn create_change(state: State<'_, AppState>, input: ChangeInput) -> IpcResult<Change> {
    Ok(state.workspace()?.write(|tx, now| changes::create(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_change(state: State<'_, AppState>, id: i64, input: ChangeInput) -> IpcResult<Change> {
    Ok(state.workspace()?.write(|tx, now| changes::update(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn set_change_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<Change> {
    Ok(state.workspace()?.write(|tx, now| changes::set_archived(tx, now, id, archived))?)
}

#[tauri::command]
pub async fn list_incidents(state: State<'_, AppState>, query: IncidentQuery) -> IpcResult<Vec<Incident>> {
    let ws = state.workspace()?;
    let now = ws.clock().now().naive_utc();
    Ok(ws.read(|c| incidents::list(c, &query, now))?)
}

#[tauri::command]
pub async fn incident_detail(state: State<'_, AppState>, id: i64) -> IpcResult<IncidentDetail> {
    let ws = state.workspace()?;
    let now = ws.clock().now().naive_utc();
    Ok(ws.read(|c| incidents::detail(c, id, now))?)
}

#[tauri::command]
pub async fn create_incident(state: State<'_, AppState>, input: IncidentInput) -> IpcResult<Incident> {
    Ok(state.workspace()?.write(|tx, now| incidents::create(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_incident(state: State<'_, AppState>, id: i64, input: IncidentInput) -> IpcResult<Incident> {
    Ok(state.workspace()?.write(|tx, now| incidents::update(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn set_incident_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<Incident> {
    Ok(state.workspace()?.write(|tx, now| incidents::set_archived(tx, now, id, archived))?)
}

#[tauri::command]
pub async fn add_incident_timeline(
    state: State<'_, AppState>,
    id: i64,
    input: TimelineInput,
) -> IpcResult<TimelineEntry> {
    Ok(state.workspace()?.write(|tx, now| incidents::add_timeline(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn tabletop_library(state: State<'_, AppState>) -> IpcResult<Vec<ScriptSummary>> {
    Ok(state.workspace()?.read(exercises::library)?)
}

#[tauri::command]
pub async fn tabletop_script_source(state: State<'_, AppState>, script: ScriptRef) -> IpcResult<String> {
    Ok(state.workspace()?.read(|c| exercises::source(c, &script))?)
}

/// The script's roles, each with the person the role mapping casts in it on `planned_on`
/// (empty: today): what the plan form starts from.
#[tauri::command]
pub async fn exercise_cast(
    state: State<'_, AppState>,
    script: ScriptRef,
    planned_on: String,
) -> IpcResult<Vec<exercises::CastRole>> {
    let ws = state.workspace()?;
    let on = readiness::parse_as_of(&planned_on, ws.clock().today())?;
    Ok(ws.read(|c| exercises::cast(c, &script, on))?)
}

/// Saves the workspace's own script (new when `id` is null); errors carry their line numbers.
#[tauri::command]
pub async fn save_tabletop_script(
    state: State<'_, AppState>,
    id: Option<i64>,
    source: String,
) -> IpcResult<ScriptSummary> {
    Ok(state.workspace()?.write(|tx, now| exercises::save_script(tx, now, id, &source))?)
}

/// A new script for the editor's form to fill in (a facilitator and a player, one objective
/// and one inject to complete, the usual ground rules and debrief questions).
#[tauri::command]
pub async fn tabletop_script_template() -> IpcResult<Script> {
    Ok(exercises::template())
}

/// Reads a script's TOML into the editor's form, with the problems it still has (each with its
/// field and line); text that is not a script is a validation error with its line.
#[tauri::command]
pub async fn read_tabletop_script(source: String) -> IpcResult<ScriptDraft> {
    Ok(exercises::draft(&source)?)
}

/// The TOML a script in the editor's form is written as (its TOML view).
#[tauri::command]
pub async fn render_tabletop_script(script: Script) -> IpcResult<String> {
    Ok(exercises::render(&script)?)
}

/// Saves a script built in the editor's form (new when `id` is null); each problem is a field
/// error on its field, such as `injects.1.title`.
#[tauri::command]
pub async fn save_tabletop_script_form(
    state: State<'_, AppState>,
    id: Option<i64>,
    script: Script,
) -> IpcResult<ScriptSummary> {
    Ok(state.workspace()?.write(|tx, now| exercises::save_form(tx, now, id, &script))?)
}

#[tauri::command]
pub async fn duplicate_tabletop_script(state: State<'_, AppState>, script: ScriptRef) -> IpcResult<ScriptSummary> {
    Ok(state.workspace()?.write(|tx, now| exercises::duplicate(tx, now, &script))?)
}

#[tauri::command]
pub async fn archive_tabletop_script(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    Ok(state.workspace()?.write(|tx, now| exercises::archive_script(tx, now, id))?)
}

/// Writes a script's TOML to a file the user chose.
#[tauri::command]
pub async fn export_tabletop_script(
    state: State<'_, AppState>,
    script: ScriptRef,
    target: String,
) -> IpcResult<String> {
    let path = state.take_save(&target, SaveKind::Toml)?;
    let ws = state.workspace()?;
    let text = ws.read(|c| exercises::source(c, &script))?;
    state.write_output(&ws, &path, text.as_bytes())
}

/// The exercises, newest first; archived ones too when asked.
#[tauri::command]
pub async fn list_exercises(state: State<'_, AppState>, include_archived: bool) -> IpcResult<Vec<ExerciseSummary>> {
    Ok(state.workspace()?.read(|c| exercises::list(c, include_archived))?)
}

#[tauri::command]
pub async fn exercise_detail(state: State<'_, AppState>, id: i64) -> IpcResult<Exercise> {
    let ws = state.workspace()?;
    let now = ws.clock().now();
    Ok(ws.read(|c| exercises::get(c, id, now))?)
}

#[tauri::command]
pub async fn plan_exercise(state: State<'_, AppState>, input: PlanInput) -> IpcResult<Exercise> {
    Ok(state.workspace()?.write(|tx, now| exercises::plan(tx, now, &input))?)
}

/// Changes a planned exercise's title, date, facilitator and participants (refused once it
/// has started); its history keeps the plan before.
#[tauri::command]
pub async fn update_exercise_plan(state: State<'_, AppState>, id: i64, input: PlanChange) -> IpcResult<Exercise> {
    Ok(state.workspace()?.write(|tx, now| exercises::update_plan(tx, now, id, &input))?)
}

/// Archives or restores an exercise (a cancelled plan, one recorded by mistake).
#[tauri::command]
pub async fn set_exercise_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<Exercise> {
    Ok(state.workspace()?.write(|tx, now| exercises::set_archived(tx, now, id, archived))?)
}

#[tauri::command]
pub async fn start_exercise(state: State<'_, AppState>, id: i64) -> IpcResult<Exercise> {
    Ok(state.workspace()?.write(|tx, now| exercises::start(tx, now, id))?)
}

#[tauri::command]
pub async fn exercise_go_to(state: State<'_, AppState>, id: i64, index: u32) -> IpcResult<Exercise> {
    Ok(state.workspace()?.write(|tx, now| exercises::go_to(tx, now, id, index))?)
}

#[tauri::command]
pub async fn add_exercise_note(state: State<'_, AppState>, id: i64, inject: u32, text: String) -> IpcResult<Note> {
    Ok(state.workspace()?.write(|tx, now| exercises::add_note(tx, now, id, inject, &text))?)
}

#[tauri::command]
pub async fn set_exercise_coverage(
    state: State<'_, AppState>,
    id: i64,
    inject: u32,
    action: u32,
    coverage: Option<Coverage>,
) -> IpcResult<()> {
    Ok(state.workspace()?.write(|tx, now| exercises::set_coverage(tx, now, id, inject, action, coverage))?)
}

#[tauri::command]
pub async fn set_exercise_attendance(
    state: State<'_, AppState>,
    id: i64,
    person_id: i64,
    attended: bool,
) -> IpcResult<()> {
    Ok(state.workspace()?.write(|tx, now| exercises::set_attendance(tx, now, id, person_id, attended))?)
}

#[tauri::command]
pub async fn save_exercise_debrief(state: State<'_, AppState>, id: i64, input: DebriefInput) -> IpcResult<Exercise> {
    Ok(state.workspace()?.write(|tx, now| exercises::save_debrief(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn add_corrective_action(
    state: State<'_, AppState>,
    id: i64,
    input: CorrectiveActionInput,
) -> IpcResult<Action> {
    Ok(state.workspace()?.write(|tx, now| exercises::add_corrective_action(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn complete_exercise(state: State<'_, AppState>, id: i64) -> IpcResult<Exercise> {
    Ok(state.workspace()?.write(|tx, now| exercises::complete(tx, now, id))?)
}

/// Records a planned exercise as already held on a past day, with who attended, its notes and
/// its debrief (completing it); the readiness checks count it from that day.
#[tauri::command]
pub async fn record_exercise_held(state: State<'_, AppState>, id: i64, input: HeldInput) -> IpcResult<Exercise> {
    Ok(state.workspace()?.write(|tx, now| exercises::record_held(tx, now, id, &input))?)
}

/// Renders an exercise's after-action report where the user chose (A4 or Letter).
#[tauri::command]
pub async fn export_after_action_report(
    state: State<'_, AppState>,
    id: i64,
    target: String,
    letter: bool,
) -> IpcResult<String> {
    let path = state.take_save(&target, SaveKind::Pdf)?;
    let ws = state.workspace()?;
    let now = ws.clock().now();
    let paper = if letter { readyroom_core::pdf::Paper::Letter } else { readyroom_core::pdf::Paper::A4 };
    let bytes = ws.read(|c| {
        let org = profile::get(c)?.map(|p| p.name).unwrap_or_else(|| "Our organisation".into());
        readyroom_core::after_action::after_action_report(c, id, &org, paper, now)
    })?;
    state.write_output(&ws, &path, &bytes)
}

/// Writes an exercise's participant handout (scenario, roles, ground rules; no injects or
/// facilitator notes) where the user chose.
#[tauri::command]
pub async fn export_exercise_handout(state: State<'_, AppState>, id: i64, target: String) -> IpcResult<String> {
    let path = state.take_save(&target, SaveKind::Pdf)?;
    let ws = state.workspace()?;
    let now = ws.clock().now();
    let bytes = ws.read(|c| {
        let org = profile::get(c)?.map(|p| p.name).unwrap_or_else(|| "Our organisation".into());
        readyroom_core::after_action::participant_handout(c, id, &org, readyroom_core::pdf::Paper::A4, now)
    })?;
    state.write_output(&ws, &path, &bytes)
}

/// Opens, with the OS default app, a file this app wrote since it started (a report, an
/// export). Any other path is refused: the page cannot make the app open arbitrary files.
#[tauri::command]
pub async fn open_file<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
) -> IpcResult<()> {
    let path = std::path::PathBuf::from(path);
    if !state.wrote(&path) {
        return Err(Error::new(
            ErrorCode::Validation,
            format!("{} was not written by Readyroom in this session, so it is not opened from here.", path.display()),
        )
        .into());
    }
    if !path.is_file() {
        return Err(Error::new(ErrorCode::Io, format!("{} does not exist any more.", path.display())).into());
    }
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| Error::new(ErrorCode::Io, format!("The file could not be opened: {e}")))?;
    Ok(())
}

/// Asks the user where to save a file (the native dialog, run here in Rust). Returns a
/// one-time token for the export command, or nothing when the user cancelled.
#[tauri::command]
pub async fn choose_save_path<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: SaveKind,
    suggested_name: String,
) -> IpcResult<Option<SaveTarget>> {
    let name = std::path::Path::new(&suggested_name).file_name().map(|n| n.to_owned()).unwrap_or_default();
    let chosen = match &state.dialogs.automation_save_dir {
        Some(dir) => Some(dir.join(name)),
        None => {
            use tauri_plugin_dialog::DialogExt;
            let (filter, extensions) = kind.filter();
            app.dialog()
                .file()
                .add_filter(filter, extensions)
                .set_file_name(name.to_string_lossy())
                .blocking_save_file()
                .and_then(|p| p.into_path().ok())
        }
    };
    chosen.map(|path| state.remember_save(kind, path)).transpose()
}

/// The file of `kind` the user picks in an open dialog (nothing when cancelled).
fn pick_file<R: tauri::Runtime>(app: &AppHandle<R>, state: &AppState, kind: SaveKind) -> Option<std::path::PathBuf> {
    if state.dialogs.automation_open_file.is_some() {
        return state.dialogs.automated_pick();
    }
    use tauri_plugin_dialog::DialogExt;
    let (filter, extensions) = kind.filter();
    let dialog = app.dialog().file();
    let dialog = if extensions.is_empty() { dialog } else { dialog.add_filter(filter, extensions) };
    dialog.blocking_pick_file().and_then(|p| p.into_path().ok())
}

fn retitle<R: tauri::Runtime>(app: &AppHandle<R>, state: &AppState) {
    use tauri::Manager;
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&state.window_title());
    }
}

/// Opens another existing workspace chosen in a dialog. The current one stays open when
/// the chosen file cannot be opened (the error says why).
#[tauri::command]
pub async fn open_workspace<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<Option<OpenReport>> {
    let Some(path) = pick_file(&app, &state, SaveKind::Workspace) else { return Ok(None) };
    let report = state.switch_to(&path, Access::ReadWrite, None)?;
    retitle(&app, &state);
    Ok(Some(report))
}

/// Where a new workspace goes, chosen in a save dialog (nothing when cancelled). An existing
/// file is refused (`instead` says what to do), never replaced.
async fn choose_new_workspace<R: tauri::Runtime>(
    app: &AppHandle<R>,
    state: &State<'_, AppState>,
    suggested: &str,
    instead: &str,
) -> IpcResult<Option<std::path::PathBuf>> {
    let Some(target) = choose_save_path(app.clone(), state.clone(), SaveKind::Workspace, suggested.into()).await?
    else {
        return Ok(None);
    };
    let path = state.take_save(&target.token, SaveKind::Workspace)?;
    if path.exists() {
        return Err(Error::new(ErrorCode::Conflict, format!("{} already exists; {instead}.", path.display())).into());
    }
    Ok(Some(path))
}

/// Creates a new, empty workspace where the user chooses in a save dialog and opens it:
/// encrypted under `passphrase` (the report then holds the recovery key, to show once), or
/// plain when there is none. An existing file is never replaced: that is what Open is for.
#[tauri::command]
pub async fn new_workspace<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    passphrase: Option<String>,
) -> IpcResult<Option<OpenReport>> {
    // A passphrase too short is refused before the dialog, on its field.
    if let Some(p) = &passphrase {
        readyroom_core::keys::check_new_passphrase(p)?;
    }
    let Some(path) = choose_new_workspace(
        &app,
        &state,
        "workspace.readyroom",
        "use Open workspace to open it, or choose a new name",
    )
    .await?
    else {
        return Ok(None);
    };
    let report = state.switch_to(&path, Access::Create, passphrase.map(Secret::passphrase))?;
    retitle(&app, &state);
    Ok(Some(report))
}

/// A problem with the passphrase or recovery key the user typed, said next to `field`, the
/// form's field for it: the core names it `secret` when nothing was typed, and none when it is
/// wrong.
fn secret_on_field(IpcError(mut e): IpcError, field: &str) -> IpcError {
    if e.code == ErrorCode::WrongKey {
        e.fields = vec![readyroom_core::FieldError { field: field.into(), message: e.message.clone() }];
    }
    for f in &mut e.fields {
        if f.field == "secret" {
            f.field = field.into();
        }
    }
    IpcError(e)
}

/// Encrypts the open plain workspace in place and reopens it; the report holds the recovery
/// key, shown once.
#[tauri::command]
pub async fn encrypt_workspace<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    passphrase: String,
) -> IpcResult<OpenReport> {
    let report = state.encrypt_current(&passphrase)?;
    retitle(&app, &state);
    Ok(report)
}

/// Sets a new passphrase for the open encrypted workspace, given its current passphrase (or,
/// when `recovery_key` is true, its recovery key). Only the key file changes. A wrong current
/// one is refused on the `current` field.
#[tauri::command]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    recovery_key: bool,
    passphrase: String,
) -> IpcResult<()> {
    let ws = state.workspace()?;
    readyroom_core::encryption::change_passphrase(ws.path(), &Secret::typed(current, recovery_key), &passphrase)
        .map_err(|e| secret_on_field(IpcError(e), "current"))?;
    // A remembered passphrase follows the change (the old one would no longer open it).
    if state.remembered()? {
        state.keychain().set(ws.path(), &passphrase).map_err(|why| {
            Error::new(
                ErrorCode::Io,
                format!("The passphrase was changed, but this computer's keychain still holds the old one ({why}); forget it in Settings."),
            )
        })?;
    }
    Ok(())
}

/// Whether the open workspace's passphrase is remembered in this computer's keychain.
#[tauri::command]
pub async fn passphrase_remembered(state: State<'_, AppState>) -> IpcResult<bool> {
    state.remembered()
}

/// Removes the open workspace's passphrase from this computer's keychain: it is asked for
/// again next time.
#[tauri::command]
pub async fn forget_passphrase(state: State<'_, AppState>) -> IpcResult<()> {
    let ws = state.workspace()?;
    state.keychain().forget(ws.path()).map_err(|why| {
        IpcError(Error::new(ErrorCode::Io, format!("This computer's keychain could not forget the passphrase: {why}.")))
    })
}

/// Opens the encrypted workspace that is waiting for its key, with its passphrase or (when
/// `recovery_key` is true) its recovery key. A wrong one is refused on the `secret` field and
/// changes nothing. With `remember`, the passphrase is kept in this computer's keychain and the
/// workspace opens without asking next time.
#[tauri::command]
pub async fn unlock_workspace<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    secret: String,
    recovery_key: bool,
    remember: bool,
) -> IpcResult<OpenReport> {
    let report =
        state.unlock(Secret::typed(secret, recovery_key), remember).map_err(|e| secret_on_field(e, "secret"))?;
    retitle(&app, &state);
    Ok(report)
}

/// Creates the workspace the app was started on when that file did not exist yet (on first
/// start, the app's own): encrypted under `passphrase` (the report then holds the recovery
/// key, to show once), or plain when there is none.
#[tauri::command]
pub async fn create_requested_workspace<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    passphrase: Option<String>,
) -> IpcResult<OpenReport> {
    let report = state.create_requested(passphrase)?;
    retitle(&app, &state);
    Ok(report)
}

/// Runs long work off the UI thread as job `job`: progress goes to the page as `job-progress`
/// events (at most one per percent), and the page's cancel stops it at the next step.
async fn run_job<R: tauri::Runtime, T: Send + 'static>(
    app: &AppHandle<R>,
    state: &AppState,
    job: &str,
    work: impl FnOnce(&mut dyn FnMut(u64, u64) -> bool) -> readyroom_core::Result<T> + Send + 'static,
) -> IpcResult<T> {
    use tauri::Emitter;
    let cancel = state.start_job(job)?;
    let (app2, name) = (app.clone(), job.to_owned());
    let ran = tauri::async_runtime::spawn_blocking(move || {
        let mut last = u64::MAX;
        let mut step = |done: u64, total: u64| {
            let percent = done.saturating_mul(100) / total.max(1);
            if percent != last {
                last = percent;
                let _ = app2.emit(JOB_PROGRESS, JobProgress { job: name.clone(), done, total });
            }
            !cancel.load(std::sync::atomic::Ordering::Relaxed)
        };
        work(&mut step)
    })
    .await;
    state.end_job(job);
    let done = ran.map_err(|e| Error::internal(format!("the background job stopped: {e}")))?;
    Ok(done?)
}

/// Writes the workspace archive (every record and evidence file) where the user chose
/// (`target`: a token from `choose_save_path`), as job `job`, sealed under `passphrase` when
/// one is given. From an encrypted workspace a plain archive is refused (on the `plain` field)
/// unless `plain` says the user agreed to it.
#[tauri::command]
pub async fn export_archive<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    target: String,
    job: String,
    plain: bool,
    passphrase: Option<String>,
) -> IpcResult<ArchiveSummary> {
    let ws = state.workspace()?;
    let protected = match passphrase.as_deref() {
        Some(p) => ws.protected().sealing_with(p)?,
        None if plain => ws.protected().allowing_plain_copy(),
        None => ws.protected(),
    };
    let path = state.take_save(&target, SaveKind::Archive)?;
    let out = path.clone();
    let summary = run_job(&app, &state, &job, move |progress| {
        ws.read(|c| archive::export(c, &protected, &out, env!("CARGO_PKG_VERSION"), progress))
    })
    .await?;
    state.remember_written(std::path::Path::new(&summary.path));
    Ok(summary)
}

/// Refuses a passphrase too short for a new workspace or archive (on the `passphrase` field),
/// before a save dialog opens.
#[tauri::command]
pub async fn check_new_passphrase(passphrase: String) -> IpcResult<()> {
    Ok(readyroom_core::keys::check_new_passphrase(&passphrase)?)
}

/// The auditor's requests a query selects, by request id, as they stand today.
#[tauri::command]
pub async fn list_requests(state: State<'_, AppState>, query: RequestQuery) -> IpcResult<Vec<RequestRow>> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| requests::rows(c, today, &query))?)
}

/// A request with what answers it and its history.
#[tauri::command]
pub async fn request_detail(state: State<'_, AppState>, id: i64) -> IpcResult<RequestDetail> {
    Ok(state.workspace()?.read(|c| requests::detail(c, id))?)
}

#[tauri::command]
pub async fn create_request(state: State<'_, AppState>, input: AuditRequestInput) -> IpcResult<AuditRequest> {
    Ok(state.workspace()?.write(|tx, now| requests::create(tx, now, &input))?)
}

#[tauri::command]
pub async fn update_request(state: State<'_, AppState>, id: i64, input: AuditRequestInput) -> IpcResult<AuditRequest> {
    Ok(state.workspace()?.write(|tx, now| requests::update(tx, now, id, &input))?)
}

#[tauri::command]
pub async fn set_request_archived(state: State<'_, AppState>, id: i64, archived: bool) -> IpcResult<AuditRequest> {
    Ok(state.workspace()?.write(|tx, now| requests::set_archived(tx, now, id, archived))?)
}

/// Links a control, evidence, a policy or a population to a request.
#[tauri::command]
pub async fn link_request(state: State<'_, AppState>, id: i64, link: RequestLink) -> IpcResult<RequestDetail> {
    Ok(state.workspace()?.write(|tx, now| requests::link(tx, now, id, link))?)
}

#[tauri::command]
pub async fn unlink_request(state: State<'_, AppState>, id: i64, link: RequestLink) -> IpcResult<RequestDetail> {
    Ok(state.workspace()?.write(|tx, now| requests::unlink(tx, now, id, link))?)
}

/// What may answer a request, from the binder's default range (the observation window up to
/// today).
#[tauri::command]
pub async fn request_suggestions(state: State<'_, AppState>, id: i64) -> IpcResult<Vec<Suggestion>> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| {
        let range = binder::range(c, today, "", "")?;
        requests::suggestions(c, id, (range.from, range.to))
    })?)
}

/// Evidence on record whose name, reference, note or record contains `text` (newest first).
#[tauri::command]
pub async fn find_evidence(state: State<'_, AppState>, text: String) -> IpcResult<Vec<OwnedEvidence>> {
    Ok(state.workspace()?.read(|c| evidence::find(c, &text, 50))?)
}

/// How the import would read the picked file's columns (`sheet`: a workbook's sheet).
#[tauri::command]
pub async fn preview_import_file(
    state: State<'_, AppState>,
    register: Register,
    token: String,
    sheet: Option<String>,
) -> IpcResult<ImportPreview> {
    let path = state.picked(&token)?;
    Ok(state.workspace()?.read(|c| registers::preview_file(c, &path, register, sheet.as_deref()))?)
}

/// How the auditor's request list stands today: open, due within a week, overdue.
#[tauri::command]
pub async fn request_counts(state: State<'_, AppState>) -> IpcResult<requests::RequestCounts> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| requests::counts(c, today))?)
}

/// The range an auditor binder would cover: `from` and `to` as typed (empty: the default, the
/// observation window up to today). A bad date comes back as a field error.
#[tauri::command]
pub async fn binder_range(state: State<'_, AppState>, from: String, to: String) -> IpcResult<BinderRange> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.read(|c| binder::range(c, today, &from, &to))?)
}

/// Writes the auditor binder of the range where the user chose (`target`: a token from
/// `choose_save_path`), as job `job`. Missing evidence files stop it unless `allow_missing`.
#[tauri::command]
pub async fn export_binder<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    from: String,
    to: String,
    allow_missing: bool,
    target: String,
    job: String,
) -> IpcResult<BinderSummary> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    let range = ws.read(|c| binder::range(c, today, &from, &to))?;
    let path = state.take_save(&target, SaveKind::Binder)?;
    let version = env!("CARGO_PKG_VERSION");
    let summary = run_job(&app, &state, &job, move |progress| {
        ws.read(|c| binder::export(c, &ws.protected(), &path, (range.from, range.to), version, allow_missing, progress))
    })
    .await?;
    state.remember_written(std::path::Path::new(&summary.path));
    Ok(summary)
}

/// An archive picked to import: the token the page passes back, its file name, and whether
/// it needs a passphrase.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ArchivePick {
    pub token: String,
    pub name: String,
    pub encrypted: bool,
}

/// Asks for an archive to import (nothing when cancelled).
#[tauri::command]
pub async fn choose_archive<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<Option<ArchivePick>> {
    let Some(file) = pick_file(&app, &state, SaveKind::Archive) else { return Ok(None) };
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let encrypted = archive::is_encrypted(&file)?;
    Ok(Some(ArchivePick { token: state.remember_pick(file)?, name, encrypted }))
}

/// Checks the picked archive (`token` from `choose_archive`) before its import: whole, of a
/// schema this build reads, and opened by `passphrase` when encrypted (`key_required` or
/// `wrong_key` on the `passphrase` field otherwise).
#[tauri::command]
pub async fn check_archive(state: State<'_, AppState>, token: String, passphrase: Option<String>) -> IpcResult<()> {
    Ok(archive::check(&state.picked(&token)?, passphrase.as_deref())?)
}

/// Builds a new workspace from the picked archive (`token` from `choose_archive`; an
/// encrypted one opens with `passphrase`, checked before anything else, and the workspace it
/// rebuilds is encrypted under the same passphrase), asks where to save it, imports it as job
/// `job` and opens it. Nothing when the dialog is cancelled; an existing
/// file is never replaced.
#[tauri::command]
pub async fn import_archive<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    token: String,
    passphrase: Option<String>,
    job: String,
) -> IpcResult<Option<OpenReport>> {
    let file = state.picked(&token)?;
    archive::check(&file, passphrase.as_deref())?;
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "workspace".into());
    let name = format!("{stem}.readyroom");
    let Some(path) =
        choose_new_workspace(&app, &state, &name, "choose a new name for the workspace built from the archive").await?
    else {
        return Ok(None);
    };
    let into = path.clone();
    let sealed_with = passphrase.clone();
    run_job(&app, &state, &job, move |progress| archive::import_with(&file, &into, sealed_with.as_deref(), progress))
        .await?;
    state.switch_to(&path, Access::ReadWrite, None)?;
    // An encrypted archive rebuilds an encrypted workspace, under the archive's passphrase
    // (the report holds its new recovery key, to show once).
    let report = match passphrase {
        Some(p) => state.encrypt_current(&p)?,
        None => state.workspace()?.report().clone(),
    };
    retitle(&app, &state);
    Ok(Some(report))
}

/// Asks job `job` to stop; true when it was running (a cancel that comes first still counts).
#[tauri::command]
pub async fn cancel_job(state: State<'_, AppState>, job: String) -> IpcResult<bool> {
    state.cancel_job(&job)
}

/// Every readiness check on `as_of` (YYYY-MM-DD; empty: today).
#[tauri::command]
pub async fn readiness(state: State<'_, AppState>, as_of: String) -> IpcResult<readiness::Readiness> {
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    Ok(ws.read(|c| readiness::check_all(c, date))?)
}

/// Every criterion's coverage on `as_of` (YYYY-MM-DD; empty: today), as check 14 judges it.
#[tauri::command]
pub async fn criteria_coverage(
    state: State<'_, AppState>,
    as_of: String,
) -> IpcResult<Vec<readiness::CriterionCoverage>> {
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    Ok(ws.read(|c| readiness::criteria_coverage(c, date))?)
}

/// The home screen on `as_of` (YYYY-MM-DD; empty: today): the headline verdict, the audit's
/// dates, this week's findings and the "Get started" checklist.
#[tauri::command]
pub async fn overview(state: State<'_, AppState>, as_of: String) -> IpcResult<readyroom_core::overview::Overview> {
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    Ok(ws.read(|c| readyroom_core::overview::overview(c, date))?)
}

/// How many records of each register need attention on `as_of` (empty: today), for the
/// navigation's counts.
#[tauri::command]
pub async fn attention(
    state: State<'_, AppState>,
    as_of: String,
) -> IpcResult<Vec<readyroom_core::attention::RegisterAttention>> {
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    Ok(ws.read(|c| readyroom_core::attention::counts(c, date))?)
}

/// The records of `register` that need attention on `as_of` (empty: today), for tags in lists.
#[tauri::command]
pub async fn attention_records(
    state: State<'_, AppState>,
    register: readyroom_core::Register,
    as_of: String,
) -> IpcResult<Vec<readyroom_core::attention::RecordAttention>> {
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    Ok(ws.read(|c| readyroom_core::attention::records(c, date, register))?)
}

/// One action for every finding on `as_of` (empty: today) that no open action answers yet.
#[tauri::command]
pub async fn create_actions_for_findings(
    state: State<'_, AppState>,
    as_of: String,
) -> IpcResult<readyroom_core::overview::FindingActions> {
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    Ok(ws.write(|tx, now| readyroom_core::overview::create_actions_for_findings(tx, now, date))?)
}

/// Each control's periods on `as_of` (empty: today), with their occurrences and exceptions.
#[tauri::command]
pub async fn control_timelines(
    state: State<'_, AppState>,
    as_of: String,
) -> IpcResult<Vec<readiness::controls::ControlTimeline>> {
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    Ok(ws.read(|c| readiness::controls::timelines(c, date))?)
}

#[tauri::command]
pub async fn control_timeline(
    state: State<'_, AppState>,
    id: i64,
    as_of: String,
) -> IpcResult<readiness::controls::ControlTimeline> {
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    Ok(ws.read(|c| readiness::controls::timeline(c, id, date))?)
}

/// The exceptions on `as_of` (empty: today) and their management responses.
#[tauri::command]
pub async fn exceptions(
    state: State<'_, AppState>,
    as_of: String,
) -> IpcResult<Vec<readiness::exceptions::ExceptionItem>> {
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    Ok(ws.read(|c| readiness::exceptions::list(c, date))?)
}

#[tauri::command]
pub async fn respond_to_exception(
    state: State<'_, AppState>,
    as_of: String,
    input: readiness::exceptions::ExceptionResponseInput,
) -> IpcResult<readiness::exceptions::ExceptionItem> {
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    Ok(ws.write(|tx, now| readiness::exceptions::respond(tx, now, date, &input))?)
}

#[tauri::command]
pub async fn add_evidence_reference(
    state: State<'_, AppState>,
    target: EvidenceTarget,
    input: evidence::ReferenceInput,
) -> IpcResult<Evidence> {
    Ok(state.workspace()?.write(|tx, now| evidence::add_reference(tx, now, target, &input))?)
}

/// Withdraws evidence attached by mistake; it stays on record with the reason.
#[tauri::command]
pub async fn withdraw_evidence(state: State<'_, AppState>, id: i64, reason: String) -> IpcResult<Evidence> {
    Ok(state.workspace()?.write(|tx, now| evidence::withdraw(tx, now, id, &reason))?)
}

/// Every readiness check's key, title and criteria, without running them.
#[tauri::command]
pub async fn check_list() -> IpcResult<Vec<readiness::CheckInfo>> {
    Ok(readiness::check_list())
}

/// The numeric check settings with their labels, units, bounds and defaults.
#[tauri::command]
pub async fn check_setting_fields() -> IpcResult<Vec<settings::SettingField>> {
    Ok(settings::check_setting_fields())
}

#[tauri::command]
pub async fn obligations(
    state: State<'_, AppState>,
    as_of: String,
    days: u32,
) -> IpcResult<Vec<readiness::Obligation>> {
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    Ok(ws.read(|c| readiness::obligations(c, date, days))?)
}

/// Writes the obligations of the next `days` days as an .ics file where the user chose.
#[tauri::command]
pub async fn export_obligations_ics(
    state: State<'_, AppState>,
    as_of: String,
    days: u32,
    target: String,
) -> IpcResult<String> {
    let path = state.take_save(&target, SaveKind::Ics)?;
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    let text = ws.read(|c| {
        let org = profile::get(c)?.map(|p| p.name).unwrap_or_else(|| "Readyroom".into());
        Ok(readiness::obligations_ics(&readiness::obligations(c, date, days)?, &org))
    })?;
    state.write_output(&ws, &path, text.as_bytes())
}

#[tauri::command]
pub async fn check_settings(state: State<'_, AppState>) -> IpcResult<readiness::CheckSettings> {
    Ok(state.workspace()?.read(settings::check_settings)?)
}

#[tauri::command]
pub async fn save_check_settings(
    state: State<'_, AppState>,
    input: readiness::CheckSettings,
) -> IpcResult<readiness::CheckSettings> {
    Ok(state.workspace()?.write(|tx, now| settings::save_check_settings(tx, now, &input))?)
}

/// Renders the readiness report on `as_of` where the user chose.
#[tauri::command]
pub async fn export_readiness_report(
    state: State<'_, AppState>,
    as_of: String,
    target: String,
    letter: bool,
) -> IpcResult<String> {
    let path = state.take_save(&target, SaveKind::Pdf)?;
    let ws = state.workspace()?;
    let date = readiness::parse_as_of(&as_of, ws.clock().today())?;
    let paper = if letter { readyroom_core::pdf::Paper::Letter } else { readyroom_core::pdf::Paper::A4 };
    let bytes = ws.read(|c| readyroom_core::report::readiness_report(c, date, paper))?;
    state.write_output(&ws, &path, &bytes)
}

/// Whether the workspace has nothing in it yet (first start: the welcome screen).
#[tauri::command]
pub async fn workspace_is_empty(state: State<'_, AppState>) -> IpcResult<bool> {
    Ok(state.workspace()?.read(readyroom_core::demo::is_empty)?)
}

/// Fills the (empty) workspace with the demo company, dated relative to today.
#[tauri::command]
pub async fn create_demo(state: State<'_, AppState>) -> IpcResult<String> {
    let ws = state.workspace()?;
    let today = ws.clock().today();
    Ok(ws.write(|tx, now| readyroom_core::demo::create(tx, now, today))?)
}
