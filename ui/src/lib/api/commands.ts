// Generated from src-tauri/src/commands.rs by `cargo test -p readyroom-app --test commands`.
// Do not edit: change the command in Rust and run the test. Every command, with its
// parameters (camelCase, as Tauri passes them) and its result type.

import { call } from './call';
import type { AccessDiff } from '$lib/bindings/AccessDiff';
import type { AccessReview } from '$lib/bindings/AccessReview';
import type { AccessReviewDetail } from '$lib/bindings/AccessReviewDetail';
import type { AccessReviewInput } from '$lib/bindings/AccessReviewInput';
import type { Acknowledgement } from '$lib/bindings/Acknowledgement';
import type { Action } from '$lib/bindings/Action';
import type { ActionDetail } from '$lib/bindings/ActionDetail';
import type { ActionInput } from '$lib/bindings/ActionInput';
import type { ActionQuery } from '$lib/bindings/ActionQuery';
import type { Activity } from '$lib/bindings/Activity';
import type { ActivityFile } from '$lib/bindings/ActivityFile';
import type { ActivityInput } from '$lib/bindings/ActivityInput';
import type { AmendmentInput } from '$lib/bindings/AmendmentInput';
import type { ApproveInput } from '$lib/bindings/ApproveInput';
import type { ArchivePick } from '$lib/bindings/ArchivePick';
import type { ArchiveSummary } from '$lib/bindings/ArchiveSummary';
import type { Assessment } from '$lib/bindings/Assessment';
import type { AssessmentComparison } from '$lib/bindings/AssessmentComparison';
import type { AssessmentInput } from '$lib/bindings/AssessmentInput';
import type { AssessmentSummary } from '$lib/bindings/AssessmentSummary';
import type { AuditRequest } from '$lib/bindings/AuditRequest';
import type { AuditRequestInput } from '$lib/bindings/AuditRequestInput';
import type { BandThresholds } from '$lib/bindings/BandThresholds';
import type { BinderRange } from '$lib/bindings/BinderRange';
import type { BinderSummary } from '$lib/bindings/BinderSummary';
import type { CastRole } from '$lib/bindings/CastRole';
import type { Change } from '$lib/bindings/Change';
import type { ChangeDetail } from '$lib/bindings/ChangeDetail';
import type { ChangeInput } from '$lib/bindings/ChangeInput';
import type { ChangeQuery } from '$lib/bindings/ChangeQuery';
import type { CheckInfo } from '$lib/bindings/CheckInfo';
import type { CheckSettings } from '$lib/bindings/CheckSettings';
import type { Completion } from '$lib/bindings/Completion';
import type { Control } from '$lib/bindings/Control';
import type { ControlDetail } from '$lib/bindings/ControlDetail';
import type { ControlInput } from '$lib/bindings/ControlInput';
import type { ControlQuery } from '$lib/bindings/ControlQuery';
import type { ControlTimeline } from '$lib/bindings/ControlTimeline';
import type { CorrectiveActionInput } from '$lib/bindings/CorrectiveActionInput';
import type { Course } from '$lib/bindings/Course';
import type { CourseInput } from '$lib/bindings/CourseInput';
import type { Coverage } from '$lib/bindings/Coverage';
import type { Criterion } from '$lib/bindings/Criterion';
import type { CriterionCoverage } from '$lib/bindings/CriterionCoverage';
import type { DataType } from '$lib/bindings/DataType';
import type { DataTypeDetail } from '$lib/bindings/DataTypeDetail';
import type { DataTypeInput } from '$lib/bindings/DataTypeInput';
import type { DatedCorrection } from '$lib/bindings/DatedCorrection';
import type { DebriefInput } from '$lib/bindings/DebriefInput';
import type { DeprovisionInput } from '$lib/bindings/DeprovisionInput';
import type { DiffLine } from '$lib/bindings/DiffLine';
import type { Disposal } from '$lib/bindings/Disposal';
import type { DisposalInput } from '$lib/bindings/DisposalInput';
import type { Evidence } from '$lib/bindings/Evidence';
import type { EvidenceInput } from '$lib/bindings/EvidenceInput';
import type { EvidenceProblem } from '$lib/bindings/EvidenceProblem';
import type { EvidenceTarget } from '$lib/bindings/EvidenceTarget';
import type { ExceptionItem } from '$lib/bindings/ExceptionItem';
import type { ExceptionResponseInput } from '$lib/bindings/ExceptionResponseInput';
import type { Exercise } from '$lib/bindings/Exercise';
import type { ExerciseSummary } from '$lib/bindings/ExerciseSummary';
import type { ExpectedSummary } from '$lib/bindings/ExpectedSummary';
import type { FindingActions } from '$lib/bindings/FindingActions';
import type { Heatmap } from '$lib/bindings/Heatmap';
import type { HeatmapQuery } from '$lib/bindings/HeatmapQuery';
import type { HeldInput } from '$lib/bindings/HeldInput';
import type { HistoryEntry } from '$lib/bindings/HistoryEntry';
import type { ImportOptions } from '$lib/bindings/ImportOptions';
import type { ImportPick } from '$lib/bindings/ImportPick';
import type { ImportPreview } from '$lib/bindings/ImportPreview';
import type { ImportReport } from '$lib/bindings/ImportReport';
import type { Incident } from '$lib/bindings/Incident';
import type { IncidentDetail } from '$lib/bindings/IncidentDetail';
import type { IncidentInput } from '$lib/bindings/IncidentInput';
import type { IncidentQuery } from '$lib/bindings/IncidentQuery';
import type { Leaver } from '$lib/bindings/Leaver';
import type { LogReview } from '$lib/bindings/LogReview';
import type { LogReviewInput } from '$lib/bindings/LogReviewInput';
import type { MappedColumn } from '$lib/bindings/MappedColumn';
import type { Note } from '$lib/bindings/Note';
import type { Obligation } from '$lib/bindings/Obligation';
import type { OpenReport } from '$lib/bindings/OpenReport';
import type { Overview } from '$lib/bindings/Overview';
import type { OwnedEvidence } from '$lib/bindings/OwnedEvidence';
import type { Page } from '$lib/bindings/Page';
import type { PeoplePageQuery } from '$lib/bindings/PeoplePageQuery';
import type { PeopleQuery } from '$lib/bindings/PeopleQuery';
import type { Person } from '$lib/bindings/Person';
import type { PersonInput } from '$lib/bindings/PersonInput';
import type { PickedFile } from '$lib/bindings/PickedFile';
import type { PlanChange } from '$lib/bindings/PlanChange';
import type { PlanInput } from '$lib/bindings/PlanInput';
import type { Policy } from '$lib/bindings/Policy';
import type { PolicyDetail } from '$lib/bindings/PolicyDetail';
import type { PolicyInput } from '$lib/bindings/PolicyInput';
import type { PolicyText } from '$lib/bindings/PolicyText';
import type { PolicyVersion } from '$lib/bindings/PolicyVersion';
import type { Profile } from '$lib/bindings/Profile';
import type { ProfileInput } from '$lib/bindings/ProfileInput';
import type { RatingView } from '$lib/bindings/RatingView';
import type { Readiness } from '$lib/bindings/Readiness';
import type { RecordAttention } from '$lib/bindings/RecordAttention';
import type { ReferenceInput } from '$lib/bindings/ReferenceInput';
import type { Register } from '$lib/bindings/Register';
import type { RegisterAttention } from '$lib/bindings/RegisterAttention';
import type { RequestCounts } from '$lib/bindings/RequestCounts';
import type { RequestDetail } from '$lib/bindings/RequestDetail';
import type { RequestLink } from '$lib/bindings/RequestLink';
import type { RequestQuery } from '$lib/bindings/RequestQuery';
import type { RequestRow } from '$lib/bindings/RequestRow';
import type { Risk } from '$lib/bindings/Risk';
import type { RiskDetail } from '$lib/bindings/RiskDetail';
import type { RiskInput } from '$lib/bindings/RiskInput';
import type { RiskQuery } from '$lib/bindings/RiskQuery';
import type { RiskScale } from '$lib/bindings/RiskScale';
import type { RoleAssigned } from '$lib/bindings/RoleAssigned';
import type { RoleHolder } from '$lib/bindings/RoleHolder';
import type { SaveKind } from '$lib/bindings/SaveKind';
import type { SaveTarget } from '$lib/bindings/SaveTarget';
import type { Script } from '$lib/bindings/Script';
import type { ScriptDraft } from '$lib/bindings/ScriptDraft';
import type { ScriptRef } from '$lib/bindings/ScriptRef';
import type { ScriptSummary } from '$lib/bindings/ScriptSummary';
import type { SessionInput } from '$lib/bindings/SessionInput';
import type { SettingField } from '$lib/bindings/SettingField';
import type { Soc2Report } from '$lib/bindings/Soc2Report';
import type { Soc2ReportInput } from '$lib/bindings/Soc2ReportInput';
import type { StarterRiskOption } from '$lib/bindings/StarterRiskOption';
import type { StarterSummary } from '$lib/bindings/StarterSummary';
import type { Suggestion } from '$lib/bindings/Suggestion';
import type { System } from '$lib/bindings/System';
import type { SystemDetail } from '$lib/bindings/SystemDetail';
import type { SystemInput } from '$lib/bindings/SystemInput';
import type { SystemQuery } from '$lib/bindings/SystemQuery';
import type { TimelineEntry } from '$lib/bindings/TimelineEntry';
import type { TimelineInput } from '$lib/bindings/TimelineInput';
import type { TrainingOverview } from '$lib/bindings/TrainingOverview';
import type { Vendor } from '$lib/bindings/Vendor';
import type { VendorAssessment } from '$lib/bindings/VendorAssessment';
import type { VendorAssessmentInput } from '$lib/bindings/VendorAssessmentInput';
import type { VendorDetail } from '$lib/bindings/VendorDetail';
import type { VendorInput } from '$lib/bindings/VendorInput';
import type { VendorIntervals } from '$lib/bindings/VendorIntervals';
import type { VendorPage } from '$lib/bindings/VendorPage';
import type { VendorQuery } from '$lib/bindings/VendorQuery';

export const commands = {
  workspaceInfo: () => call<OpenReport>('workspace_info'),
  getProfile: () => call<Profile | null>('get_profile'),
  saveProfile: (input: ProfileInput) => call<Profile>('save_profile', { input }),
  listCriteria: () => call<Array<Criterion>>('list_criteria'),
  listPeople: (query: PeopleQuery) => call<Array<Person>>('list_people', { query }),
  createPerson: (input: PersonInput) => call<Person>('create_person', { input }),
  updatePerson: (id: number, input: PersonInput) => call<Person>('update_person', { id, input }),
  setPersonArchived: (id: number, archived: boolean) => call<Person>('set_person_archived', { id, archived }),
  personHistory: (id: number) => call<Array<HistoryEntry>>('person_history', { id }),
  listControls: (query: ControlQuery) => call<Page<Control>>('list_controls', { query }),
  controlDetail: (id: number) => call<ControlDetail>('control_detail', { id }),
  createControl: (input: ControlInput) => call<Control>('create_control', { input }),
  updateControl: (id: number, input: ControlInput) => call<Control>('update_control', { id, input }),
  setControlArchived: (id: number, archived: boolean) => call<Control>('set_control_archived', { id, archived }),
  deleteControl: (id: number) => call<null>('delete_control', { id }),
  /** Records an activity, with an optional evidence file already copied into the workspace */
  /** (`staged`: the token of its pick, see `stage_evidence_file`) attached in the same */
  /** transaction; `file` gives its name and expiry. */
  addControlActivity: (id: number, input: ActivityInput, file: ActivityFile | null, staged: string | null) => call<Activity>('add_control_activity', { id, input, file, staged }),
  starterControlsSummary: () => call<StarterSummary>('starter_controls_summary'),
  installStarterControls: () => call<number>('install_starter_controls'),
  /** Asks for a CSV file or workbook to import into `register` (nothing when cancelled) and */
  /** says which sheets it has. The file is read by the app, from where it is: evidence files */
  /** its rows name are found beside it. */
  chooseImportFile: (register: Register) => call<ImportPick | null>('choose_import_file', { register }),
  /** Checks (dry run) or imports the picked file (`sheet`: a workbook's sheet; `columns`: the */
  /** user's choice of what each header is, remembered once imported); all or nothing. */
  /** Clearing stored values with empty cells needs `options.allow_clearing` (the user's */
  /** confirmation). */
  importFile: (register: Register, token: string, sheet: string | null, columns: Array<MappedColumn> | null, options: ImportOptions) => call<ImportReport>('import_file', { register, token, sheet, columns, options }),
  /** Writes a register's CSV template (its header and one example row) where the user chose. */
  exportTemplate: (register: Register, target: string) => call<string>('export_template', { register, target }),
  /** Writes a register's CSV where the user chose (`target`: a token from `choose_save_path`). */
  exportCsv: (register: Register, target: string) => call<string>('export_csv', { register, target }),
  listActions: (query: ActionQuery) => call<Page<Action>>('list_actions', { query }),
  actionDetail: (id: number) => call<ActionDetail>('action_detail', { id }),
  createAction: (input: ActionInput) => call<Action>('create_action', { input }),
  updateAction: (id: number, input: ActionInput) => call<Action>('update_action', { id, input }),
  setActionArchived: (id: number, archived: boolean) => call<Action>('set_action_archived', { id, archived }),
  listPolicies: (includeArchived: boolean) => call<Array<Policy>>('list_policies', { includeArchived }),
  policyDetail: (id: number) => call<PolicyDetail>('policy_detail', { id }),
  createPolicy: (input: PolicyInput) => call<Policy>('create_policy', { input }),
  updatePolicy: (id: number, input: PolicyInput) => call<Policy>('update_policy', { id, input }),
  approvePolicy: (id: number, input: ApproveInput) => call<Policy>('approve_policy', { id, input }),
  newPolicyVersion: (id: number, version: string) => call<Policy>('new_policy_version', { id, version }),
  acknowledgePolicy: (id: number, personId: number | null, acknowledgedOn: string) => call<Acknowledgement>('acknowledge_policy', { id, personId, acknowledgedOn }),
  setPolicyArchived: (id: number, archived: boolean) => call<Policy>('set_policy_archived', { id, archived }),
  expectedPoliciesSummary: () => call<ExpectedSummary>('expected_policies_summary'),
  installExpectedPolicies: () => call<number>('install_expected_policies'),
  /** The text of `version` of a policy (none: its working version). */
  policyText: (id: number, version: string | null) => call<PolicyText>('policy_text', { id, version }),
  /** Every version of a policy with text or an approval, oldest first. */
  policyVersions: (id: number) => call<Array<PolicyVersion>>('policy_versions', { id }),
  /** Writes the working version's text; refused once that version is approved. */
  savePolicyText: (id: number, body: string) => call<PolicyText>('save_policy_text', { id, body }),
  /** The lines of version `to` compared with those of version `from`. */
  comparePolicyVersions: (id: number, from: string, to: string) => call<Array<DiffLine>>('compare_policy_versions', { id, from, to }),
  /** The starter text for the policy, filled for this workspace, when a template writes it. */
  policyTemplate: (id: number) => call<string | null>('policy_template', { id }),
  /** Prints `version` of a policy (none: the working one) with its cover and approval block to */
  /** the PDF file the user chose (`target`, a save token). */
  exportPolicyPdf: (id: number, version: string | null, target: string) => call<string>('export_policy_pdf', { id, version, target }),
  /** Attaches a file already copied into the workspace (`staged`: the token of its pick). */
  attachEvidence: (target: EvidenceTarget, input: EvidenceInput, staged: string) => call<Evidence>('attach_evidence', { target, input, staged }),
  /** Opens an evidence file with the OS default app, after checking it is there and unchanged */
  /** (from an encrypted workspace, a decrypted copy in the temporary folder: other apps cannot */
  /** read the sealed file). */
  openEvidence: (id: number) => call<null>('open_evidence', { id }),
  /** Lists evidence files that are missing or were changed after they were attached. */
  verifyEvidence: () => call<Array<EvidenceProblem>>('verify_evidence'),
  deletePolicy: (id: number) => call<null>('delete_policy', { id }),
  peoplePage: (query: PeoplePageQuery) => call<Page<Person>>('people_page', { query }),
  riskScale: () => call<RiskScale>('risk_scale'),
  saveBandThresholds: (input: BandThresholds) => call<RiskScale>('save_band_thresholds', { input }),
  listRisks: (query: RiskQuery) => call<Page<Risk>>('list_risks', { query }),
  riskDetail: (id: number) => call<RiskDetail>('risk_detail', { id }),
  createRisk: (input: RiskInput) => call<Risk>('create_risk', { input }),
  updateRisk: (id: number, input: RiskInput) => call<Risk>('update_risk', { id, input }),
  /** Takes the starter library's suggested treatment and residual rating for a risk. */
  acceptRiskSuggestion: (id: number) => call<Risk>('accept_risk_suggestion', { id }),
  /** Every role the starter content names, with who holds it. */
  roleHolders: () => call<Array<RoleHolder>>('role_holders'),
  /** Maps a role to a person (or to nobody); the role's unowned starter records, and those of */
  /** the previous holder, become theirs. */
  assignRole: (role: string, personId: number | null) => call<RoleAssigned>('assign_role', { role, personId }),
  setRiskArchived: (id: number, archived: boolean) => call<Risk>('set_risk_archived', { id, archived }),
  starterRisks: () => call<Array<StarterRiskOption>>('starter_risks'),
  addStarterRisks: (keys: Array<string>) => call<number>('add_starter_risks', { keys }),
  riskHeatmap: (query: HeatmapQuery) => call<Heatmap>('risk_heatmap', { query }),
  listRiskAssessments: () => call<Array<AssessmentSummary>>('list_risk_assessments'),
  riskAssessment: (id: number) => call<Assessment>('risk_assessment', { id }),
  riskAssessmentHeatmap: (id: number, view: RatingView) => call<Heatmap>('risk_assessment_heatmap', { id, view }),
  createRiskAssessment: (input: AssessmentInput) => call<Assessment>('create_risk_assessment', { input }),
  /** Notes a correction beside a recorded risk assessment (the snapshot itself never changes). */
  amendRiskAssessment: (id: number, input: AmendmentInput) => call<Assessment>('amend_risk_assessment', { id, input }),
  compareRiskAssessments: (from: number, to: number) => call<AssessmentComparison>('compare_risk_assessments', { from, to }),
  vendorIntervals: () => call<VendorIntervals>('vendor_intervals'),
  saveVendorIntervals: (input: VendorIntervals) => call<VendorIntervals>('save_vendor_intervals', { input }),
  listVendors: (query: VendorQuery) => call<VendorPage>('list_vendors', { query }),
  vendorDetail: (id: number) => call<VendorDetail>('vendor_detail', { id }),
  createVendor: (input: VendorInput) => call<Vendor>('create_vendor', { input }),
  updateVendor: (id: number, input: VendorInput) => call<Vendor>('update_vendor', { id, input }),
  setVendorArchived: (id: number, archived: boolean) => call<Vendor>('set_vendor_archived', { id, archived }),
  /** Records a vendor assessment, with an optional evidence file (staged) in the same transaction. */
  addVendorAssessment: (id: number, input: VendorAssessmentInput, staged: string | null) => call<VendorAssessment>('add_vendor_assessment', { id, input, staged }),
  saveSoc2Report: (vendorId: number, reportId: number | null, input: Soc2ReportInput) => call<Soc2Report>('save_soc2_report', { vendorId, reportId, input }),
  deleteSoc2Report: (vendorId: number, reportId: number) => call<null>('delete_soc2_report', { vendorId, reportId }),
  /** Asks for an evidence file in the system's open dialog (nothing when cancelled): the page */
  /** gets a token, the name and the size, never the path or the bytes. */
  chooseEvidenceFile: () => call<PickedFile | null>('choose_evidence_file'),
  /** Copies the evidence file picked as `token` into the workspace's attachments as job `job`: */
  /** read from where it is, hashed while it is copied (sealed in an encrypted workspace), with */
  /** progress and cancel, and no size limit. The record it belongs to is saved next, naming the */
  /** same token; copying it again is not needed if that save is refused. */
  stageEvidenceFile: (token: string, job: string) => call<PickedFile>('stage_evidence_file', { token, job }),
  listSystems: (query: SystemQuery) => call<Array<System>>('list_systems', { query }),
  systemDetail: (id: number) => call<SystemDetail>('system_detail', { id }),
  createSystem: (input: SystemInput) => call<System>('create_system', { input }),
  updateSystem: (id: number, input: SystemInput) => call<System>('update_system', { id, input }),
  setSystemArchived: (id: number, archived: boolean) => call<System>('set_system_archived', { id, archived }),
  addLogReview: (id: number, input: LogReviewInput, staged: string | null) => call<LogReview>('add_log_review', { id, input, staged }),
  listDataTypes: (search: string, includeArchived: boolean) => call<Array<DataType>>('list_data_types', { search, includeArchived }),
  dataTypeDetail: (id: number) => call<DataTypeDetail>('data_type_detail', { id }),
  createDataType: (input: DataTypeInput) => call<DataType>('create_data_type', { input }),
  updateDataType: (id: number, input: DataTypeInput) => call<DataType>('update_data_type', { id, input }),
  setDataTypeArchived: (id: number, archived: boolean) => call<DataType>('set_data_type_archived', { id, archived }),
  addDisposal: (id: number, input: DisposalInput, staged: string | null) => call<Disposal>('add_disposal', { id, input, staged }),
  /** Corrects a recorded activity, log review, disposal or vendor assessment (its date, who did */
  /** it and its text); the parent's history keeps the values before. Whether anything changed. */
  correctDated: (id: number, correction: DatedCorrection) => call<boolean>('correct_dated', { id, correction }),
  /** Withdraws a dated record (see `registers::withdraw_dated` for the kinds) for a reason: it is */
  /** kept, struck through, and counts nowhere from then on. */
  withdrawDated: (register: Register, id: number, reason: string) => call<null>('withdraw_dated', { register, id, reason }),
  /** Compares the two access lists picked in the open dialog (`previous` and `current` are */
  /** their tokens, from `choose_evidence_file`): read by the app from where they are; nothing */
  /** is stored. */
  diffAccessLists: (previous: string, current: string) => call<AccessDiff>('diff_access_lists', { previous, current }),
  listAccessReviews: (systemId: number | null, includeArchived: boolean) => call<Array<AccessReview>>('list_access_reviews', { systemId, includeArchived }),
  accessReviewDetail: (id: number) => call<AccessReviewDetail>('access_review_detail', { id }),
  /** Records an access review. Its evidence is the current access list the page compared, */
  /** copied into the workspace first (`staged`: its token, after `stage_evidence_file`). */
  createAccessReview: (input: AccessReviewInput, staged: string | null) => call<AccessReview>('create_access_review', { input, staged }),
  setAccessReviewArchived: (id: number, archived: boolean) => call<AccessReview>('set_access_review_archived', { id, archived }),
  trainingOverview: () => call<TrainingOverview>('training_overview'),
  listCourses: (includeArchived: boolean) => call<Array<Course>>('list_courses', { includeArchived }),
  createCourse: (input: CourseInput) => call<Course>('create_course', { input }),
  updateCourse: (id: number, input: CourseInput) => call<Course>('update_course', { id, input }),
  courseHistory: (id: number) => call<Array<HistoryEntry>>('course_history', { id }),
  setCourseArchived: (id: number, archived: boolean) => call<Course>('set_course_archived', { id, archived }),
  recordTrainingSession: (input: SessionInput, staged: string | null) => call<number>('record_training_session', { input, staged }),
  listCompletions: (personId: number | null) => call<Array<Completion>>('list_completions', { personId }),
  listLeavers: (aheadDays: number) => call<Array<Leaver>>('list_leavers', { aheadDays }),
  recordDeprovisioning: (input: DeprovisionInput) => call<null>('record_deprovisioning', { input }),
  listChanges: (query: ChangeQuery) => call<Page<Change>>('list_changes', { query }),
  changeDetail: (id: number) => call<ChangeDetail>('change_detail', { id }),
  createChange: (input: ChangeInput) => call<Change>('create_change', { input }),
  updateChange: (id: number, input: ChangeInput) => call<Change>('update_change', { id, input }),
  setChangeArchived: (id: number, archived: boolean) => call<Change>('set_change_archived', { id, archived }),
  listIncidents: (query: IncidentQuery) => call<Array<Incident>>('list_incidents', { query }),
  incidentDetail: (id: number) => call<IncidentDetail>('incident_detail', { id }),
  createIncident: (input: IncidentInput) => call<Incident>('create_incident', { input }),
  updateIncident: (id: number, input: IncidentInput) => call<Incident>('update_incident', { id, input }),
  setIncidentArchived: (id: number, archived: boolean) => call<Incident>('set_incident_archived', { id, archived }),
  addIncidentTimeline: (id: number, input: TimelineInput) => call<TimelineEntry>('add_incident_timeline', { id, input }),
  tabletopLibrary: () => call<Array<ScriptSummary>>('tabletop_library'),
  tabletopScriptSource: (script: ScriptRef) => call<string>('tabletop_script_source', { script }),
  /** The script's roles, each with the person the role mapping casts in it on `planned_on` */
  /** (empty: today): what the plan form starts from. */
  exerciseCast: (script: ScriptRef, plannedOn: string) => call<Array<CastRole>>('exercise_cast', { script, plannedOn }),
  /** Saves the workspace's own script (new when `id` is null); errors carry their line numbers. */
  saveTabletopScript: (id: number | null, source: string) => call<ScriptSummary>('save_tabletop_script', { id, source }),
  /** A new script for the editor's form to fill in (a facilitator and a player, one objective */
  /** and one inject to complete, the usual ground rules and debrief questions). */
  tabletopScriptTemplate: () => call<Script>('tabletop_script_template'),
  /** Reads a script's TOML into the editor's form, with the problems it still has (each with its */
  /** field and line); text that is not a script is a validation error with its line. */
  readTabletopScript: (source: string) => call<ScriptDraft>('read_tabletop_script', { source }),
  /** The TOML a script in the editor's form is written as (its TOML view). */
  renderTabletopScript: (script: Script) => call<string>('render_tabletop_script', { script }),
  /** Saves a script built in the editor's form (new when `id` is null); each problem is a field */
  /** error on its field, such as `injects.1.title`. */
  saveTabletopScriptForm: (id: number | null, script: Script) => call<ScriptSummary>('save_tabletop_script_form', { id, script }),
  duplicateTabletopScript: (script: ScriptRef) => call<ScriptSummary>('duplicate_tabletop_script', { script }),
  archiveTabletopScript: (id: number) => call<null>('archive_tabletop_script', { id }),
  /** Writes a script's TOML to a file the user chose. */
  exportTabletopScript: (script: ScriptRef, target: string) => call<string>('export_tabletop_script', { script, target }),
  /** The exercises, newest first; archived ones too when asked. */
  listExercises: (includeArchived: boolean) => call<Array<ExerciseSummary>>('list_exercises', { includeArchived }),
  exerciseDetail: (id: number) => call<Exercise>('exercise_detail', { id }),
  planExercise: (input: PlanInput) => call<Exercise>('plan_exercise', { input }),
  /** Changes a planned exercise's title, date, facilitator and participants (refused once it */
  /** has started); its history keeps the plan before. */
  updateExercisePlan: (id: number, input: PlanChange) => call<Exercise>('update_exercise_plan', { id, input }),
  /** Archives or restores an exercise (a cancelled plan, one recorded by mistake). */
  setExerciseArchived: (id: number, archived: boolean) => call<Exercise>('set_exercise_archived', { id, archived }),
  startExercise: (id: number) => call<Exercise>('start_exercise', { id }),
  exerciseGoTo: (id: number, index: number) => call<Exercise>('exercise_go_to', { id, index }),
  addExerciseNote: (id: number, inject: number, text: string) => call<Note>('add_exercise_note', { id, inject, text }),
  setExerciseCoverage: (id: number, inject: number, action: number, coverage: Coverage | null) => call<null>('set_exercise_coverage', { id, inject, action, coverage }),
  setExerciseAttendance: (id: number, personId: number, attended: boolean) => call<null>('set_exercise_attendance', { id, personId, attended }),
  saveExerciseDebrief: (id: number, input: DebriefInput) => call<Exercise>('save_exercise_debrief', { id, input }),
  addCorrectiveAction: (id: number, input: CorrectiveActionInput) => call<Action>('add_corrective_action', { id, input }),
  completeExercise: (id: number) => call<Exercise>('complete_exercise', { id }),
  /** Records a planned exercise as already held on a past day, with who attended, its notes and */
  /** its debrief (completing it); the readiness checks count it from that day. */
  recordExerciseHeld: (id: number, input: HeldInput) => call<Exercise>('record_exercise_held', { id, input }),
  /** Renders an exercise's after-action report where the user chose (A4 or Letter). */
  exportAfterActionReport: (id: number, target: string, letter: boolean) => call<string>('export_after_action_report', { id, target, letter }),
  /** Writes an exercise's participant handout (scenario, roles, ground rules; no injects or */
  /** facilitator notes) where the user chose. */
  exportExerciseHandout: (id: number, target: string) => call<string>('export_exercise_handout', { id, target }),
  /** Opens, with the OS default app, a file this app wrote since it started (a report, an */
  /** export). Any other path is refused: the page cannot make the app open arbitrary files. */
  openFile: (path: string) => call<null>('open_file', { path }),
  /** Asks the user where to save a file (the native dialog, run here in Rust). Returns a */
  /** one-time token for the export command, or nothing when the user cancelled. */
  chooseSavePath: (kind: SaveKind, suggestedName: string) => call<SaveTarget | null>('choose_save_path', { kind, suggestedName }),
  /** Opens another existing workspace chosen in a dialog. The current one stays open when */
  /** the chosen file cannot be opened (the error says why). */
  openWorkspace: () => call<OpenReport | null>('open_workspace'),
  /** Creates a new, empty workspace where the user chooses in a save dialog and opens it: */
  /** encrypted under `passphrase` (the report then holds the recovery key, to show once), or */
  /** plain when there is none. An existing file is never replaced: that is what Open is for. */
  newWorkspace: (passphrase: string | null) => call<OpenReport | null>('new_workspace', { passphrase }),
  /** Encrypts the open plain workspace in place and reopens it; the report holds the recovery */
  /** key, shown once. */
  encryptWorkspace: (passphrase: string) => call<OpenReport>('encrypt_workspace', { passphrase }),
  /** Sets a new passphrase for the open encrypted workspace, given its current passphrase (or, */
  /** when `recovery_key` is true, its recovery key). Only the key file changes. A wrong current */
  /** one is refused on the `current` field. */
  changePassphrase: (current: string, recoveryKey: boolean, passphrase: string) => call<null>('change_passphrase', { current, recoveryKey, passphrase }),
  /** Whether the open workspace's passphrase is remembered in this computer's keychain. */
  passphraseRemembered: () => call<boolean>('passphrase_remembered'),
  /** Removes the open workspace's passphrase from this computer's keychain: it is asked for */
  /** again next time. */
  forgetPassphrase: () => call<null>('forget_passphrase'),
  /** Opens the encrypted workspace that is waiting for its key, with its passphrase or (when */
  /** `recovery_key` is true) its recovery key. A wrong one is refused on the `secret` field and */
  /** changes nothing. With `remember`, the passphrase is kept in this computer's keychain and the */
  /** workspace opens without asking next time. */
  unlockWorkspace: (secret: string, recoveryKey: boolean, remember: boolean) => call<OpenReport>('unlock_workspace', { secret, recoveryKey, remember }),
  /** Creates the workspace the app was started on when that file did not exist yet (on first */
  /** start, the app's own): encrypted under `passphrase` (the report then holds the recovery */
  /** key, to show once), or plain when there is none. */
  createRequestedWorkspace: (passphrase: string | null) => call<OpenReport>('create_requested_workspace', { passphrase }),
  /** Writes the workspace archive (every record and evidence file) where the user chose */
  /** (`target`: a token from `choose_save_path`), as job `job`, sealed under `passphrase` when */
  /** one is given. From an encrypted workspace a plain archive is refused (on the `plain` field) */
  /** unless `plain` says the user agreed to it. */
  exportArchive: (target: string, job: string, plain: boolean, passphrase: string | null) => call<ArchiveSummary>('export_archive', { target, job, plain, passphrase }),
  /** Refuses a passphrase too short for a new workspace or archive (on the `passphrase` field), */
  /** before a save dialog opens. */
  checkNewPassphrase: (passphrase: string) => call<null>('check_new_passphrase', { passphrase }),
  /** The auditor's requests a query selects, by request id, as they stand today. */
  listRequests: (query: RequestQuery) => call<Array<RequestRow>>('list_requests', { query }),
  /** A request with what answers it and its history. */
  requestDetail: (id: number) => call<RequestDetail>('request_detail', { id }),
  createRequest: (input: AuditRequestInput) => call<AuditRequest>('create_request', { input }),
  updateRequest: (id: number, input: AuditRequestInput) => call<AuditRequest>('update_request', { id, input }),
  setRequestArchived: (id: number, archived: boolean) => call<AuditRequest>('set_request_archived', { id, archived }),
  /** Links a control, evidence, a policy or a population to a request. */
  linkRequest: (id: number, link: RequestLink) => call<RequestDetail>('link_request', { id, link }),
  unlinkRequest: (id: number, link: RequestLink) => call<RequestDetail>('unlink_request', { id, link }),
  /** What may answer a request, from the binder's default range (the observation window up to */
  /** today). */
  requestSuggestions: (id: number) => call<Array<Suggestion>>('request_suggestions', { id }),
  /** Evidence on record whose name, reference, note or record contains `text` (newest first). */
  findEvidence: (text: string) => call<Array<OwnedEvidence>>('find_evidence', { text }),
  /** How the import would read the picked file's columns (`sheet`: a workbook's sheet). */
  previewImportFile: (register: Register, token: string, sheet: string | null) => call<ImportPreview>('preview_import_file', { register, token, sheet }),
  /** How the auditor's request list stands today: open, due within a week, overdue. */
  requestCounts: () => call<RequestCounts>('request_counts'),
  /** The range an auditor binder would cover: `from` and `to` as typed (empty: the default, the */
  /** observation window up to today). A bad date comes back as a field error. */
  binderRange: (from: string, to: string) => call<BinderRange>('binder_range', { from, to }),
  /** Writes the auditor binder of the range where the user chose (`target`: a token from */
  /** `choose_save_path`), as job `job`. Missing evidence files stop it unless `allow_missing`. */
  exportBinder: (from: string, to: string, allowMissing: boolean, target: string, job: string) => call<BinderSummary>('export_binder', { from, to, allowMissing, target, job }),
  /** Asks for an archive to import (nothing when cancelled). */
  chooseArchive: () => call<ArchivePick | null>('choose_archive'),
  /** Checks the picked archive (`token` from `choose_archive`) before its import: whole, of a */
  /** schema this build reads, and opened by `passphrase` when encrypted (`key_required` or */
  /** `wrong_key` on the `passphrase` field otherwise). */
  checkArchive: (token: string, passphrase: string | null) => call<null>('check_archive', { token, passphrase }),
  /** Builds a new workspace from the picked archive (`token` from `choose_archive`; an */
  /** encrypted one opens with `passphrase`, checked before anything else, and the workspace it */
  /** rebuilds is encrypted under the same passphrase), asks where to save it, imports it as job */
  /** `job` and opens it. Nothing when the dialog is cancelled; an existing */
  /** file is never replaced. */
  importArchive: (token: string, passphrase: string | null, job: string) => call<OpenReport | null>('import_archive', { token, passphrase, job }),
  /** Asks job `job` to stop; true when it was running (a cancel that comes first still counts). */
  cancelJob: (job: string) => call<boolean>('cancel_job', { job }),
  /** Every readiness check on `as_of` (YYYY-MM-DD; empty: today). */
  readiness: (asOf: string) => call<Readiness>('readiness', { asOf }),
  /** Every criterion's coverage on `as_of` (YYYY-MM-DD; empty: today), as check 14 judges it. */
  criteriaCoverage: (asOf: string) => call<Array<CriterionCoverage>>('criteria_coverage', { asOf }),
  /** The home screen on `as_of` (YYYY-MM-DD; empty: today): the headline verdict, the audit's */
  /** dates, this week's findings and the "Get started" checklist. */
  overview: (asOf: string) => call<Overview>('overview', { asOf }),
  /** How many records of each register need attention on `as_of` (empty: today), for the */
  /** navigation's counts. */
  attention: (asOf: string) => call<Array<RegisterAttention>>('attention', { asOf }),
  /** The records of `register` that need attention on `as_of` (empty: today), for tags in lists. */
  attentionRecords: (register: Register, asOf: string) => call<Array<RecordAttention>>('attention_records', { register, asOf }),
  /** One action for every finding on `as_of` (empty: today) that no open action answers yet. */
  createActionsForFindings: (asOf: string) => call<FindingActions>('create_actions_for_findings', { asOf }),
  /** Each control's periods on `as_of` (empty: today), with their occurrences and exceptions. */
  controlTimelines: (asOf: string) => call<Array<ControlTimeline>>('control_timelines', { asOf }),
  controlTimeline: (id: number, asOf: string) => call<ControlTimeline>('control_timeline', { id, asOf }),
  /** The exceptions on `as_of` (empty: today) and their management responses. */
  exceptions: (asOf: string) => call<Array<ExceptionItem>>('exceptions', { asOf }),
  respondToException: (asOf: string, input: ExceptionResponseInput) => call<ExceptionItem>('respond_to_exception', { asOf, input }),
  addEvidenceReference: (target: EvidenceTarget, input: ReferenceInput) => call<Evidence>('add_evidence_reference', { target, input }),
  /** Withdraws evidence attached by mistake; it stays on record with the reason. */
  withdrawEvidence: (id: number, reason: string) => call<Evidence>('withdraw_evidence', { id, reason }),
  /** Every readiness check's key, title and criteria, without running them. */
  checkList: () => call<Array<CheckInfo>>('check_list'),
  /** The numeric check settings with their labels, units, bounds and defaults. */
  checkSettingFields: () => call<Array<SettingField>>('check_setting_fields'),
  obligations: (asOf: string, days: number) => call<Array<Obligation>>('obligations', { asOf, days }),
  /** Writes the obligations of the next `days` days as an .ics file where the user chose. */
  exportObligationsIcs: (asOf: string, days: number, target: string) => call<string>('export_obligations_ics', { asOf, days, target }),
  checkSettings: () => call<CheckSettings>('check_settings'),
  saveCheckSettings: (input: CheckSettings) => call<CheckSettings>('save_check_settings', { input }),
  /** Renders the readiness report on `as_of` where the user chose. */
  exportReadinessReport: (asOf: string, target: string, letter: boolean) => call<string>('export_readiness_report', { asOf, target, letter }),
  /** Whether the workspace has nothing in it yet (first start: the welcome screen). */
  workspaceIsEmpty: () => call<boolean>('workspace_is_empty'),
  /** Fills the (empty) workspace with the demo company, dated relative to today. */
  createDemo: () => call<string>('create_demo'),
};

/** The name of every command. */
export type CommandName =
  | 'workspace_info'
  | 'get_profile'
  | 'save_profile'
  | 'list_criteria'
  | 'list_people'
  | 'create_person'
  | 'update_person'
  | 'set_person_archived'
  | 'person_history'
  | 'list_controls'
  | 'control_detail'
  | 'create_control'
  | 'update_control'
  | 'set_control_archived'
  | 'delete_control'
  | 'add_control_activity'
  | 'starter_controls_summary'
  | 'install_starter_controls'
  | 'choose_import_file'
  | 'import_file'
  | 'export_template'
  | 'export_csv'
  | 'list_actions'
  | 'action_detail'
  | 'create_action'
  | 'update_action'
  | 'set_action_archived'
  | 'list_policies'
  | 'policy_detail'
  | 'create_policy'
  | 'update_policy'
  | 'approve_policy'
  | 'new_policy_version'
  | 'acknowledge_policy'
  | 'set_policy_archived'
  | 'expected_policies_summary'
  | 'install_expected_policies'
  | 'policy_text'
  | 'policy_versions'
  | 'save_policy_text'
  | 'compare_policy_versions'
  | 'policy_template'
  | 'export_policy_pdf'
  | 'attach_evidence'
  | 'open_evidence'
  | 'verify_evidence'
  | 'delete_policy'
  | 'people_page'
  | 'risk_scale'
  | 'save_band_thresholds'
  | 'list_risks'
  | 'risk_detail'
  | 'create_risk'
  | 'update_risk'
  | 'accept_risk_suggestion'
  | 'role_holders'
  | 'assign_role'
  | 'set_risk_archived'
  | 'starter_risks'
  | 'add_starter_risks'
  | 'risk_heatmap'
  | 'list_risk_assessments'
  | 'risk_assessment'
  | 'risk_assessment_heatmap'
  | 'create_risk_assessment'
  | 'amend_risk_assessment'
  | 'compare_risk_assessments'
  | 'vendor_intervals'
  | 'save_vendor_intervals'
  | 'list_vendors'
  | 'vendor_detail'
  | 'create_vendor'
  | 'update_vendor'
  | 'set_vendor_archived'
  | 'add_vendor_assessment'
  | 'save_soc2_report'
  | 'delete_soc2_report'
  | 'choose_evidence_file'
  | 'stage_evidence_file'
  | 'list_systems'
  | 'system_detail'
  | 'create_system'
  | 'update_system'
  | 'set_system_archived'
  | 'add_log_review'
  | 'list_data_types'
  | 'data_type_detail'
  | 'create_data_type'
  | 'update_data_type'
  | 'set_data_type_archived'
  | 'add_disposal'
  | 'correct_dated'
  | 'withdraw_dated'
  | 'diff_access_lists'
  | 'list_access_reviews'
  | 'access_review_detail'
  | 'create_access_review'
  | 'set_access_review_archived'
  | 'training_overview'
  | 'list_courses'
  | 'create_course'
  | 'update_course'
  | 'course_history'
  | 'set_course_archived'
  | 'record_training_session'
  | 'list_completions'
  | 'list_leavers'
  | 'record_deprovisioning'
  | 'list_changes'
  | 'change_detail'
  | 'create_change'
  | 'update_change'
  | 'set_change_archived'
  | 'list_incidents'
  | 'incident_detail'
  | 'create_incident'
  | 'update_incident'
  | 'set_incident_archived'
  | 'add_incident_timeline'
  | 'tabletop_library'
  | 'tabletop_script_source'
  | 'exercise_cast'
  | 'save_tabletop_script'
  | 'tabletop_script_template'
  | 'read_tabletop_script'
  | 'render_tabletop_script'
  | 'save_tabletop_script_form'
  | 'duplicate_tabletop_script'
  | 'archive_tabletop_script'
  | 'export_tabletop_script'
  | 'list_exercises'
  | 'exercise_detail'
  | 'plan_exercise'
  | 'update_exercise_plan'
  | 'set_exercise_archived'
  | 'start_exercise'
  | 'exercise_go_to'
  | 'add_exercise_note'
  | 'set_exercise_coverage'
  | 'set_exercise_attendance'
  | 'save_exercise_debrief'
  | 'add_corrective_action'
  | 'complete_exercise'
  | 'record_exercise_held'
  | 'export_after_action_report'
  | 'export_exercise_handout'
  | 'open_file'
  | 'choose_save_path'
  | 'open_workspace'
  | 'new_workspace'
  | 'encrypt_workspace'
  | 'change_passphrase'
  | 'passphrase_remembered'
  | 'forget_passphrase'
  | 'unlock_workspace'
  | 'create_requested_workspace'
  | 'export_archive'
  | 'check_new_passphrase'
  | 'list_requests'
  | 'request_detail'
  | 'create_request'
  | 'update_request'
  | 'set_request_archived'
  | 'link_request'
  | 'unlink_request'
  | 'request_suggestions'
  | 'find_evidence'
  | 'preview_import_file'
  | 'request_counts'
  | 'binder_range'
  | 'export_binder'
  | 'choose_archive'
  | 'check_archive'
  | 'import_archive'
  | 'cancel_job'
  | 'readiness'
  | 'criteria_coverage'
  | 'overview'
  | 'attention'
  | 'attention_records'
  | 'create_actions_for_findings'
  | 'control_timelines'
  | 'control_timeline'
  | 'exceptions'
  | 'respond_to_exception'
  | 'add_evidence_reference'
  | 'withdraw_evidence'
  | 'check_list'
  | 'check_setting_fields'
  | 'obligations'
  | 'export_obligations_ics'
  | 'check_settings'
  | 'save_check_settings'
  | 'export_readiness_report'
  | 'workspace_is_empty'
  | 'create_demo';
