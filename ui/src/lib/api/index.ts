// The only module that talks to Tauri. Everything else imports from `$lib/api`.
import { invoke } from '@tauri-apps/api/core';
import type { Action } from '$lib/bindings/Action';
import type { ActionDetail } from '$lib/bindings/ActionDetail';
import type { ActionInput } from '$lib/bindings/ActionInput';
import type { ActionQuery } from '$lib/bindings/ActionQuery';
import type { ActionStatus } from '$lib/bindings/ActionStatus';
import type { Acknowledgement } from '$lib/bindings/Acknowledgement';
import type { Activity } from '$lib/bindings/Activity';
import type { ApproveInput } from '$lib/bindings/ApproveInput';
import type { Evidence } from '$lib/bindings/Evidence';
import type { EvidenceInput } from '$lib/bindings/EvidenceInput';
import type { EvidenceProblem } from '$lib/bindings/EvidenceProblem';
import type { EvidenceTarget } from '$lib/bindings/EvidenceTarget';
import type { ExpectedSummary } from '$lib/bindings/ExpectedSummary';
import type { Policy } from '$lib/bindings/Policy';
import type { PolicyDetail } from '$lib/bindings/PolicyDetail';
import type { PolicyInput } from '$lib/bindings/PolicyInput';
import type { PolicyStatus } from '$lib/bindings/PolicyStatus';
import type { ActivityInput } from '$lib/bindings/ActivityInput';
import type { AppError } from '$lib/bindings/AppError';
import type { Cadence } from '$lib/bindings/Cadence';
import type { Control } from '$lib/bindings/Control';
import type { ControlDetail } from '$lib/bindings/ControlDetail';
import type { ControlInput } from '$lib/bindings/ControlInput';
import type { ControlQuery } from '$lib/bindings/ControlQuery';
import type { ControlSort } from '$lib/bindings/ControlSort';
import type { ControlStatus } from '$lib/bindings/ControlStatus';
import type { HistoryEntry } from '$lib/bindings/HistoryEntry';
import type { ImportReport } from '$lib/bindings/ImportReport';
import type { Page } from '$lib/bindings/Page';
import type { ImportOptions } from '$lib/bindings/ImportOptions';
import type { RowChange } from '$lib/bindings/RowChange';
import type { CellChange } from '$lib/bindings/CellChange';
import type { SaveKind } from '$lib/bindings/SaveKind';
import type { SaveTarget } from '$lib/bindings/SaveTarget';
import type { Register } from '$lib/bindings/Register';
import type { StarterSummary } from '$lib/bindings/StarterSummary';
import type { Criterion } from '$lib/bindings/Criterion';
import type { OpenReport } from '$lib/bindings/OpenReport';
import type { PeoplePageQuery } from '$lib/bindings/PeoplePageQuery';
import type { PeopleQuery } from '$lib/bindings/PeopleQuery';
import type { PeopleSort } from '$lib/bindings/PeopleSort';
import type { Person } from '$lib/bindings/Person';
import type { PersonInput } from '$lib/bindings/PersonInput';
import type { Profile } from '$lib/bindings/Profile';
import type { ProfileInput } from '$lib/bindings/ProfileInput';
import type { Readiness } from '$lib/bindings/Readiness';
import type { CheckResult } from '$lib/bindings/CheckResult';
import type { Finding } from '$lib/bindings/Finding';
import type { Forecast } from '$lib/bindings/Forecast';
import type { RecordRef } from '$lib/bindings/RecordRef';
import type { Verdict } from '$lib/bindings/Verdict';
import type { Obligation } from '$lib/bindings/Obligation';
import type { CheckSettings } from '$lib/bindings/CheckSettings';
import type { Incident } from '$lib/bindings/Incident';
import type { IncidentDetail } from '$lib/bindings/IncidentDetail';
import type { IncidentInput } from '$lib/bindings/IncidentInput';
import type { IncidentQuery } from '$lib/bindings/IncidentQuery';
import type { IncidentStatus } from '$lib/bindings/IncidentStatus';
import type { Severity } from '$lib/bindings/Severity';
import type { Notification } from '$lib/bindings/Notification';
import type { NotificationState } from '$lib/bindings/NotificationState';
import type { TimelineEntry } from '$lib/bindings/TimelineEntry';
import type { TimelineInput } from '$lib/bindings/TimelineInput';
import type { ScriptRef } from '$lib/bindings/ScriptRef';
import type { ScriptSummary } from '$lib/bindings/ScriptSummary';
import type { Script } from '$lib/bindings/Script';
import type { Inject } from '$lib/bindings/Inject';
import type { Objective } from '$lib/bindings/Objective';
import type { ScriptRole } from '$lib/bindings/ScriptRole';
import type { RoleKind } from '$lib/bindings/RoleKind';
import type { Exercise } from '$lib/bindings/Exercise';
import type { ExerciseSummary } from '$lib/bindings/ExerciseSummary';
import type { ExerciseStatus } from '$lib/bindings/ExerciseStatus';
import type { Participant } from '$lib/bindings/Participant';
import type { ParticipantInput } from '$lib/bindings/ParticipantInput';
import type { PlanInput } from '$lib/bindings/PlanInput';
import type { Note } from '$lib/bindings/Note';
import type { CoverageMark } from '$lib/bindings/CoverageMark';
import type { Coverage } from '$lib/bindings/Coverage';
import type { DebriefInput } from '$lib/bindings/DebriefInput';
import type { CorrectiveActionInput } from '$lib/bindings/CorrectiveActionInput';
import type { AccessDiff } from '$lib/bindings/AccessDiff';
import type { AccessReview } from '$lib/bindings/AccessReview';
import type { AccessReviewDetail } from '$lib/bindings/AccessReviewDetail';
import type { AccessReviewInput } from '$lib/bindings/AccessReviewInput';
import type { AccountChange } from '$lib/bindings/AccountChange';
import type { AccountChangeKind } from '$lib/bindings/AccountChangeKind';
import type { Certificate } from '$lib/bindings/Certificate';
import type { CertificateStatus } from '$lib/bindings/CertificateStatus';
import type { Change } from '$lib/bindings/Change';
import type { ChangeDetail } from '$lib/bindings/ChangeDetail';
import type { ChangeFlag } from '$lib/bindings/ChangeFlag';
import type { ChangeFlagKind } from '$lib/bindings/ChangeFlagKind';
import type { ChangeInput } from '$lib/bindings/ChangeInput';
import type { ChangeQuery } from '$lib/bindings/ChangeQuery';
import type { Completion } from '$lib/bindings/Completion';
import type { Course } from '$lib/bindings/Course';
import type { CourseInput } from '$lib/bindings/CourseInput';
import type { CourseStanding } from '$lib/bindings/CourseStanding';
import type { DataType } from '$lib/bindings/DataType';
import type { DataTypeDetail } from '$lib/bindings/DataTypeDetail';
import type { DataTypeInput } from '$lib/bindings/DataTypeInput';
import type { DeprovisionInput } from '$lib/bindings/DeprovisionInput';
import type { DeprovisionState } from '$lib/bindings/DeprovisionState';
import type { Disposal } from '$lib/bindings/Disposal';
import type { DisposalInput } from '$lib/bindings/DisposalInput';
import type { Leaver } from '$lib/bindings/Leaver';
import type { ListError } from '$lib/bindings/ListError';
import type { LogReview } from '$lib/bindings/LogReview';
import type { LogReviewInput } from '$lib/bindings/LogReviewInput';
import type { NamedRef } from '$lib/bindings/NamedRef';
import type { PersonTraining } from '$lib/bindings/PersonTraining';
import type { RetentionUnit } from '$lib/bindings/RetentionUnit';
import type { SessionInput } from '$lib/bindings/SessionInput';
import type { System } from '$lib/bindings/System';
import type { SystemAccess } from '$lib/bindings/SystemAccess';
import type { SystemDetail } from '$lib/bindings/SystemDetail';
import type { SystemInput } from '$lib/bindings/SystemInput';
import type { SystemQuery } from '$lib/bindings/SystemQuery';
import type { TrainingOverview } from '$lib/bindings/TrainingOverview';
import type { TrainingState } from '$lib/bindings/TrainingState';
import type { AssessmentMethod } from '$lib/bindings/AssessmentMethod';
import type { AssessmentOutcome } from '$lib/bindings/AssessmentOutcome';
import type { Criticality } from '$lib/bindings/Criticality';
import type { Cuec } from '$lib/bindings/Cuec';
import type { CuecControl } from '$lib/bindings/CuecControl';
import type { CuecInput } from '$lib/bindings/CuecInput';
import type { DataAccess } from '$lib/bindings/DataAccess';
import type { Opinion } from '$lib/bindings/Opinion';
import type { ReportException } from '$lib/bindings/ReportException';
import type { ReportStatus } from '$lib/bindings/ReportStatus';
import type { ReportType } from '$lib/bindings/ReportType';
import type { Soc2Report } from '$lib/bindings/Soc2Report';
import type { Soc2ReportInput } from '$lib/bindings/Soc2ReportInput';
import type { Subservice } from '$lib/bindings/Subservice';
import type { SubserviceMethod } from '$lib/bindings/SubserviceMethod';
import type { Vendor } from '$lib/bindings/Vendor';
import type { VendorAssessment } from '$lib/bindings/VendorAssessment';
import type { VendorAssessmentInput } from '$lib/bindings/VendorAssessmentInput';
import type { VendorDetail } from '$lib/bindings/VendorDetail';
import type { VendorFlag } from '$lib/bindings/VendorFlag';
import type { VendorFlagKind } from '$lib/bindings/VendorFlagKind';
import type { VendorInput } from '$lib/bindings/VendorInput';
import type { VendorIntervals } from '$lib/bindings/VendorIntervals';
import type { VendorPage } from '$lib/bindings/VendorPage';
import type { VendorQuery } from '$lib/bindings/VendorQuery';
import type { VendorSort } from '$lib/bindings/VendorSort';
import type { VendorStatus } from '$lib/bindings/VendorStatus';
import type { Assessment } from '$lib/bindings/Assessment';
import type { AssessmentComparison } from '$lib/bindings/AssessmentComparison';
import type { AssessmentInput } from '$lib/bindings/AssessmentInput';
import type { AssessmentSummary } from '$lib/bindings/AssessmentSummary';
import type { Band } from '$lib/bindings/Band';
import type { BandThresholds } from '$lib/bindings/BandThresholds';
import type { ControlLink } from '$lib/bindings/ControlLink';
import type { Heatmap } from '$lib/bindings/Heatmap';
import type { HeatmapCell } from '$lib/bindings/HeatmapCell';
import type { HeatmapQuery } from '$lib/bindings/HeatmapQuery';
import type { HeatmapRisk } from '$lib/bindings/HeatmapRisk';
import type { Rating } from '$lib/bindings/Rating';
import type { RatingView } from '$lib/bindings/RatingView';
import type { ReviewCadence } from '$lib/bindings/ReviewCadence';
import type { Risk } from '$lib/bindings/Risk';
import type { RiskCategory } from '$lib/bindings/RiskCategory';
import type { RiskDetail } from '$lib/bindings/RiskDetail';
import type { RiskInput } from '$lib/bindings/RiskInput';
import type { RiskQuery } from '$lib/bindings/RiskQuery';
import type { RiskScale } from '$lib/bindings/RiskScale';
import type { RiskSort } from '$lib/bindings/RiskSort';
import type { RiskStatus } from '$lib/bindings/RiskStatus';
import type { SnapshotChange } from '$lib/bindings/SnapshotChange';
import type { SnapshotRisk } from '$lib/bindings/SnapshotRisk';
import type { StarterRiskOption } from '$lib/bindings/StarterRiskOption';
import type { SuggestedControl } from '$lib/bindings/SuggestedControl';
import type { Treatment } from '$lib/bindings/Treatment';
import type { SourceRef } from '$lib/bindings/SourceRef';

export type {
  Evidence,
  EvidenceInput,
  EvidenceProblem,
  EvidenceTarget,
  Acknowledgement,
  ApproveInput,
  ExpectedSummary,
  Policy,
  PolicyDetail,
  PolicyInput,
  PolicyStatus,
  Action,
  ActionDetail,
  ActionInput,
  ActionQuery,
  ActionStatus,
  Activity,
  ActivityInput,
  AppError,
  Cadence,
  Control,
  ControlDetail,
  ControlInput,
  ControlQuery,
  ControlSort,
  ControlStatus,
  Criterion,
  HistoryEntry,
  ImportReport,
  Page,
  ImportOptions,
  RowChange,
  CellChange,
  SaveKind,
  SaveTarget,
  OpenReport,
  PeoplePageQuery,
  PeopleQuery,
  PeopleSort,
  Person,
  PersonInput,
  Profile,
  ProfileInput,
  Register,
  StarterSummary,
  Readiness,
  CheckResult,
  Finding,
  Forecast,
  RecordRef,
  Verdict,
  Obligation,
  CheckSettings,
  Incident,
  IncidentDetail,
  IncidentInput,
  IncidentQuery,
  IncidentStatus,
  Severity,
  Notification,
  NotificationState,
  TimelineEntry,
  TimelineInput,
  ScriptRef,
  ScriptSummary,
  Script,
  Inject,
  Objective,
  ScriptRole,
  RoleKind,
  Exercise,
  ExerciseSummary,
  ExerciseStatus,
  Participant,
  ParticipantInput,
  PlanInput,
  Note,
  CoverageMark,
  Coverage,
  DebriefInput,
  CorrectiveActionInput,
  AccessDiff,
  AccessReview,
  AccessReviewDetail,
  AccessReviewInput,
  AccountChange,
  AccountChangeKind,
  Certificate,
  CertificateStatus,
  Change,
  ChangeDetail,
  ChangeFlag,
  ChangeFlagKind,
  ChangeInput,
  ChangeQuery,
  Completion,
  Course,
  CourseInput,
  CourseStanding,
  DataType,
  DataTypeDetail,
  DataTypeInput,
  DeprovisionInput,
  DeprovisionState,
  Disposal,
  DisposalInput,
  Leaver,
  ListError,
  LogReview,
  LogReviewInput,
  NamedRef,
  PersonTraining,
  RetentionUnit,
  SessionInput,
  System,
  SystemAccess,
  SystemDetail,
  SystemInput,
  SystemQuery,
  TrainingOverview,
  TrainingState,
  AssessmentMethod,
  AssessmentOutcome,
  Criticality,
  Cuec,
  CuecControl,
  CuecInput,
  DataAccess,
  Opinion,
  ReportException,
  ReportStatus,
  ReportType,
  Soc2Report,
  Soc2ReportInput,
  Subservice,
  SubserviceMethod,
  Vendor,
  VendorAssessment,
  VendorAssessmentInput,
  VendorDetail,
  VendorFlag,
  VendorFlagKind,
  VendorInput,
  VendorIntervals,
  VendorPage,
  VendorQuery,
  VendorSort,
  VendorStatus,
  Assessment,
  AssessmentComparison,
  AssessmentInput,
  AssessmentSummary,
  Band,
  BandThresholds,
  ControlLink,
  Heatmap,
  HeatmapCell,
  HeatmapQuery,
  HeatmapRisk,
  Rating,
  RatingView,
  ReviewCadence,
  Risk,
  RiskCategory,
  RiskDetail,
  RiskInput,
  RiskQuery,
  RiskScale,
  RiskSort,
  RiskStatus,
  SnapshotChange,
  SnapshotRisk,
  StarterRiskOption,
  SuggestedControl,
  Treatment,
  SourceRef,
};

/** Whatever the backend threw, as an `AppError`. The UI branches on `code`, never on text. */
export function toAppError(err: unknown): AppError {
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const e = err as Partial<AppError>;
    return { code: e.code ?? 'internal', message: String(e.message), fields: Array.isArray(e.fields) ? e.fields : [] };
  }
  return { code: 'internal', message: typeof err === 'string' ? err : 'Something went wrong.', fields: [] };
}

/** Field errors keyed by input field name, for showing next to each field. */
export function fieldErrors(err: AppError | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of err?.fields ?? []) out[f.field] ??= f.message;
  return out;
}

/** Bytes as base64, in chunks so large files do not overflow the argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Adds an optional file (name + base64 bytes) to a command's arguments. */
function withFile(args: Record<string, unknown>, file?: { name: string; bytes: Uint8Array }): Record<string, unknown> {
  return file ? { ...args, fileName: file.name, dataBase64: toBase64(file.bytes) } : args;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw toAppError(err);
  }
}

export const api = {
  workspaceInfo: () => call<OpenReport>('workspace_info'),
  getProfile: () => call<Profile | null>('get_profile'),
  saveProfile: (input: ProfileInput) => call<Profile>('save_profile', { input }),
  listCriteria: () => call<Criterion[]>('list_criteria'),
  /** Everyone matching (for pickers). */
  listPeople: (query: PeopleQuery) => call<Person[]>('list_people', { query }),
  /** One sorted page of the directory. */
  peoplePage: (query: PeoplePageQuery) => call<Page<Person>>('people_page', { query }),
  createPerson: (input: PersonInput) => call<Person>('create_person', { input }),
  updatePerson: (id: number, input: PersonInput) => call<Person>('update_person', { id, input }),
  setPersonArchived: (id: number, archived: boolean) => call<Person>('set_person_archived', { id, archived }),
  personHistory: (id: number) => call<HistoryEntry[]>('person_history', { id }),
  listControls: (query: ControlQuery) => call<Page<Control>>('list_controls', { query }),
  controlDetail: (id: number) => call<ControlDetail>('control_detail', { id }),
  createControl: (input: ControlInput) => call<Control>('create_control', { input }),
  updateControl: (id: number, input: ControlInput) => call<Control>('update_control', { id, input }),
  setControlArchived: (id: number, archived: boolean) => call<Control>('set_control_archived', { id, archived }),
  deleteControl: (id: number) => call<null>('delete_control', { id }),
  /** Records an activity; with `file`, attaches it as evidence in the same transaction. */
  addControlActivity: (id: number, input: ActivityInput, file?: { name: string; bytes: Uint8Array }) =>
    call<Activity>(
      'add_control_activity',
      file
        ? { id, input, file: { file_name: file.name, expires_on: '' }, dataBase64: toBase64(file.bytes) }
        : { id, input },
    ),
  attachEvidence: (target: EvidenceTarget, input: EvidenceInput, bytes: Uint8Array) =>
    call<Evidence>('attach_evidence', { target, input, dataBase64: toBase64(bytes) }),
  openEvidence: (id: number) => call<null>('open_evidence', { id }),
  verifyEvidence: () => call<EvidenceProblem[]>('verify_evidence'),
  starterControlsSummary: () => call<StarterSummary>('starter_controls_summary'),
  installStarterControls: () => call<number>('install_starter_controls'),
  listActions: (query: ActionQuery) => call<Page<Action>>('list_actions', { query }),
  actionDetail: (id: number) => call<ActionDetail>('action_detail', { id }),
  createAction: (input: ActionInput) => call<Action>('create_action', { input }),
  updateAction: (id: number, input: ActionInput) => call<Action>('update_action', { id, input }),
  setActionArchived: (id: number, archived: boolean) => call<Action>('set_action_archived', { id, archived }),
  listPolicies: (includeArchived: boolean) => call<Policy[]>('list_policies', { includeArchived }),
  policyDetail: (id: number) => call<PolicyDetail>('policy_detail', { id }),
  createPolicy: (input: PolicyInput) => call<Policy>('create_policy', { input }),
  updatePolicy: (id: number, input: PolicyInput) => call<Policy>('update_policy', { id, input }),
  approvePolicy: (id: number, input: ApproveInput) => call<Policy>('approve_policy', { id, input }),
  newPolicyVersion: (id: number, version: string) => call<Policy>('new_policy_version', { id, version }),
  acknowledgePolicy: (id: number, personId: number | null, acknowledgedOn: string) =>
    call<Acknowledgement>('acknowledge_policy', { id, personId, acknowledgedOn }),
  deletePolicy: (id: number) => call<null>('delete_policy', { id }),
  setPolicyArchived: (id: number, archived: boolean) => call<Policy>('set_policy_archived', { id, archived }),
  expectedPoliciesSummary: () => call<ExpectedSummary>('expected_policies_summary'),
  installExpectedPolicies: () => call<number>('install_expected_policies'),
  riskScale: () => call<RiskScale>('risk_scale'),
  saveBandThresholds: (input: BandThresholds) => call<RiskScale>('save_band_thresholds', { input }),
  listRisks: (query: RiskQuery) => call<Page<Risk>>('list_risks', { query }),
  riskDetail: (id: number) => call<RiskDetail>('risk_detail', { id }),
  createRisk: (input: RiskInput) => call<Risk>('create_risk', { input }),
  updateRisk: (id: number, input: RiskInput) => call<Risk>('update_risk', { id, input }),
  setRiskArchived: (id: number, archived: boolean) => call<Risk>('set_risk_archived', { id, archived }),
  starterRisks: () => call<StarterRiskOption[]>('starter_risks'),
  addStarterRisks: (keys: string[]) => call<number>('add_starter_risks', { keys }),
  riskHeatmap: (query: HeatmapQuery) => call<Heatmap>('risk_heatmap', { query }),
  listRiskAssessments: () => call<AssessmentSummary[]>('list_risk_assessments'),
  riskAssessment: (id: number) => call<Assessment>('risk_assessment', { id }),
  riskAssessmentHeatmap: (id: number, view: RatingView) => call<Heatmap>('risk_assessment_heatmap', { id, view }),
  createRiskAssessment: (input: AssessmentInput) => call<Assessment>('create_risk_assessment', { input }),
  compareRiskAssessments: (from: number, to: number) => call<AssessmentComparison>('compare_risk_assessments', { from, to }),
  vendorIntervals: () => call<VendorIntervals>('vendor_intervals'),
  saveVendorIntervals: (input: VendorIntervals) => call<VendorIntervals>('save_vendor_intervals', { input }),
  listVendors: (query: VendorQuery) => call<VendorPage>('list_vendors', { query }),
  vendorDetail: (id: number) => call<VendorDetail>('vendor_detail', { id }),
  createVendor: (input: VendorInput) => call<Vendor>('create_vendor', { input }),
  updateVendor: (id: number, input: VendorInput) => call<Vendor>('update_vendor', { id, input }),
  setVendorArchived: (id: number, archived: boolean) => call<Vendor>('set_vendor_archived', { id, archived }),
  /** Records an assessment; with `file`, attaches it as evidence in the same transaction. */
  addVendorAssessment: (id: number, input: VendorAssessmentInput, file?: { name: string; bytes: Uint8Array }) =>
    call<VendorAssessment>(
      'add_vendor_assessment',
      file ? { id, input, fileName: file.name, dataBase64: toBase64(file.bytes) } : { id, input },
    ),
  saveSoc2Report: (vendorId: number, reportId: number | null, input: Soc2ReportInput) =>
    call<Soc2Report>('save_soc2_report', { vendorId, reportId, input }),
  deleteSoc2Report: (vendorId: number, reportId: number) => call<null>('delete_soc2_report', { vendorId, reportId }),
  listSystems: (query: SystemQuery) => call<System[]>('list_systems', { query }),
  systemDetail: (id: number) => call<SystemDetail>('system_detail', { id }),
  createSystem: (input: SystemInput) => call<System>('create_system', { input }),
  updateSystem: (id: number, input: SystemInput) => call<System>('update_system', { id, input }),
  setSystemArchived: (id: number, archived: boolean) => call<System>('set_system_archived', { id, archived }),
  addLogReview: (id: number, input: LogReviewInput, file?: { name: string; bytes: Uint8Array }) =>
    call<LogReview>('add_log_review', withFile({ id, input }, file)),
  listDataTypes: (search: string, includeArchived: boolean) => call<DataType[]>('list_data_types', { search, includeArchived }),
  dataTypeDetail: (id: number) => call<DataTypeDetail>('data_type_detail', { id }),
  createDataType: (input: DataTypeInput) => call<DataType>('create_data_type', { input }),
  updateDataType: (id: number, input: DataTypeInput) => call<DataType>('update_data_type', { id, input }),
  setDataTypeArchived: (id: number, archived: boolean) => call<DataType>('set_data_type_archived', { id, archived }),
  addDisposal: (id: number, input: DisposalInput, file?: { name: string; bytes: Uint8Array }) =>
    call<Disposal>('add_disposal', withFile({ id, input }, file)),
  /** Compares two exported access lists; nothing is stored. */
  diffAccessLists: (previous: Uint8Array, current: Uint8Array) =>
    call<AccessDiff>('diff_access_lists', { previousBase64: toBase64(previous), currentBase64: toBase64(current) }),
  listAccessReviews: (systemId: number | null, includeArchived: boolean) =>
    call<AccessReview[]>('list_access_reviews', { systemId, includeArchived }),
  accessReviewDetail: (id: number) => call<AccessReviewDetail>('access_review_detail', { id }),
  createAccessReview: (input: AccessReviewInput, file?: { name: string; bytes: Uint8Array }) =>
    call<AccessReview>('create_access_review', withFile({ input }, file)),
  setAccessReviewArchived: (id: number, archived: boolean) =>
    call<AccessReview>('set_access_review_archived', { id, archived }),
  trainingOverview: () => call<TrainingOverview>('training_overview'),
  listCourses: (includeArchived: boolean) => call<Course[]>('list_courses', { includeArchived }),
  createCourse: (input: CourseInput) => call<Course>('create_course', { input }),
  updateCourse: (id: number, input: CourseInput) => call<Course>('update_course', { id, input }),
  setCourseArchived: (id: number, archived: boolean) => call<Course>('set_course_archived', { id, archived }),
  courseHistory: (id: number) => call<HistoryEntry[]>('course_history', { id }),
  recordTrainingSession: (input: SessionInput, file?: { name: string; bytes: Uint8Array }) =>
    call<number>('record_training_session', withFile({ input }, file)),
  listCompletions: (personId: number | null) => call<Completion[]>('list_completions', { personId }),
  deleteCompletion: (id: number) => call<null>('delete_completion', { id }),
  listLeavers: (aheadDays: number) => call<Leaver[]>('list_leavers', { aheadDays }),
  recordDeprovisioning: (input: DeprovisionInput) => call<null>('record_deprovisioning', { input }),
  listChanges: (query: ChangeQuery) => call<Page<Change>>('list_changes', { query }),
  changeDetail: (id: number) => call<ChangeDetail>('change_detail', { id }),
  createChange: (input: ChangeInput) => call<Change>('create_change', { input }),
  updateChange: (id: number, input: ChangeInput) => call<Change>('update_change', { id, input }),
  setChangeArchived: (id: number, archived: boolean) => call<Change>('set_change_archived', { id, archived }),
  listIncidents: (query: IncidentQuery) => call<Incident[]>('list_incidents', { query }),
  incidentDetail: (id: number) => call<IncidentDetail>('incident_detail', { id }),
  createIncident: (input: IncidentInput) => call<Incident>('create_incident', { input }),
  updateIncident: (id: number, input: IncidentInput) => call<Incident>('update_incident', { id, input }),
  setIncidentArchived: (id: number, archived: boolean) => call<Incident>('set_incident_archived', { id, archived }),
  addIncidentTimeline: (id: number, input: TimelineInput) => call<TimelineEntry>('add_incident_timeline', { id, input }),
  tabletopLibrary: () => call<ScriptSummary[]>('tabletop_library'),
  tabletopScriptSource: (script: ScriptRef) => call<string>('tabletop_script_source', { script }),
  saveTabletopScript: (id: number | null, source: string) => call<ScriptSummary>('save_tabletop_script', { id, source }),
  duplicateTabletopScript: (script: ScriptRef) => call<ScriptSummary>('duplicate_tabletop_script', { script }),
  archiveTabletopScript: (id: number) => call<null>('archive_tabletop_script', { id }),
  /** Writes a script's TOML where the user chose (a `chooseSavePath` token); returns the path written. */
  exportTabletopScript: (script: ScriptRef, target: string) => call<string>('export_tabletop_script', { script, target }),
  listExercises: () => call<ExerciseSummary[]>('list_exercises'),
  exerciseDetail: (id: number) => call<Exercise>('exercise_detail', { id }),
  planExercise: (input: PlanInput) => call<Exercise>('plan_exercise', { input }),
  startExercise: (id: number) => call<Exercise>('start_exercise', { id }),
  exerciseGoTo: (id: number, index: number) => call<Exercise>('exercise_go_to', { id, index }),
  addExerciseNote: (id: number, inject: number, text: string) => call<Note>('add_exercise_note', { id, inject, text }),
  setExerciseCoverage: (id: number, inject: number, action: number, coverage: Coverage | null) =>
    call<null>('set_exercise_coverage', { id, inject, action, coverage }),
  setExerciseAttendance: (id: number, personId: number, attended: boolean) =>
    call<null>('set_exercise_attendance', { id, personId, attended }),
  saveExerciseDebrief: (id: number, input: DebriefInput) => call<Exercise>('save_exercise_debrief', { id, input }),
  addCorrectiveAction: (id: number, input: CorrectiveActionInput) => call<Action>('add_corrective_action', { id, input }),
  completeExercise: (id: number) => call<Exercise>('complete_exercise', { id }),
  exportAfterActionReport: (id: number, target: string, letter: boolean) =>
    call<string>('export_after_action_report', { id, target, letter }),
  /** Opens a file the app wrote in this session (e.g. a report) with the OS default app. */
  openFile: (path: string) => call<null>('open_file', { path }),
  readiness: (asOf: string) => call<Readiness>('readiness', { asOf }),
  obligations: (asOf: string, days: number) => call<Obligation[]>('obligations', { asOf, days }),
  exportObligationsIcs: (asOf: string, days: number, target: string) =>
    call<string>('export_obligations_ics', { asOf, days, target }),
  exportReadinessReport: (asOf: string, target: string, letter: boolean) =>
    call<string>('export_readiness_report', { asOf, target, letter }),
  workspaceIsEmpty: () => call<boolean>('workspace_is_empty'),
  createDemo: () => call<string>('create_demo'),
  checkSettings: () => call<CheckSettings>('check_settings'),
  saveCheckSettings: (input: CheckSettings) => call<CheckSettings>('save_check_settings', { input }),
  /** Checks (dry run) or imports a CSV file's bytes; all or nothing. Empty cells that clear
   *  stored values need `allow_clearing` (the user's confirmation). */
  importCsv: (register: Register, bytes: Uint8Array, options: ImportOptions) =>
    call<ImportReport>('import_csv', { register, bytes: Array.from(bytes), options }),
  exportCsv: (register: Register, target: string) => call<string>('export_csv', { register, target }),
  /** Asks where to save a file (the dialog runs in the app, not the page); null when the
   *  user cancels. The token is passed once to the export command. */
  chooseSavePath: (kind: SaveKind, suggestedName: string) =>
    call<SaveTarget | null>('choose_save_path', { kind, suggestedName }),
  /** Opens another existing workspace chosen in a dialog; null when cancelled. */
  openWorkspace: () => call<OpenReport | null>('open_workspace'),
  /** Creates a new, empty workspace where the user chooses; null when cancelled. */
  newWorkspace: () => call<OpenReport | null>('new_workspace'),
  /** Creates the workspace the app was started on, when that file did not exist. */
  createRequestedWorkspace: () => call<OpenReport>('create_requested_workspace'),
};
