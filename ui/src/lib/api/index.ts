// The only module that talks to Tauri. Everything else imports from `$lib/api`.
import { commands } from './commands';
export { toAppError } from './call';
export { cancelJob, followJob, newJobId, type JobProgress } from './jobs';
export { onAnotherLaunch, type AnotherLaunch } from './events';
import type { DiffKind } from '$lib/bindings/DiffKind';
import type { DiffLine } from '$lib/bindings/DiffLine';
import type { PolicyText } from '$lib/bindings/PolicyText';
import type { PolicyVersion } from '$lib/bindings/PolicyVersion';
import type { RoleHolder } from '$lib/bindings/RoleHolder';
import type { RoleAssigned } from '$lib/bindings/RoleAssigned';
import type { RiskSuggestion } from '$lib/bindings/RiskSuggestion';
import type { Action } from '$lib/bindings/Action';
import type { ActionDetail } from '$lib/bindings/ActionDetail';
import type { ActionInput } from '$lib/bindings/ActionInput';
import type { ActionQuery } from '$lib/bindings/ActionQuery';
import type { ActionStatus } from '$lib/bindings/ActionStatus';
import type { Acknowledgement } from '$lib/bindings/Acknowledgement';
import type { Approval } from '$lib/bindings/Approval';
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
import type { ControlGuide } from '$lib/bindings/ControlGuide';
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
import type { CriterionCoverage } from '$lib/bindings/CriterionCoverage';
import type { CoverageState } from '$lib/bindings/CoverageState';
import type { OpenReport } from '$lib/bindings/OpenReport';
import type { PeoplePageQuery } from '$lib/bindings/PeoplePageQuery';
import type { PeopleQuery } from '$lib/bindings/PeopleQuery';
import type { PeopleSort } from '$lib/bindings/PeopleSort';
import type { Person } from '$lib/bindings/Person';
import type { PersonInput } from '$lib/bindings/PersonInput';
import type { Profile } from '$lib/bindings/Profile';
import type { ProfileInput } from '$lib/bindings/ProfileInput';
import type { Readiness } from '$lib/bindings/Readiness';
import type { AttentionFilter } from '$lib/bindings/AttentionFilter';
import type { RecordAttention } from '$lib/bindings/RecordAttention';
import type { RegisterAttention } from '$lib/bindings/RegisterAttention';
import type { FindingActions } from '$lib/bindings/FindingActions';
import type { FindingGroup } from '$lib/bindings/FindingGroup';
import type { Milestone } from '$lib/bindings/Milestone';
import type { Overview } from '$lib/bindings/Overview';
import type { SetupProgress } from '$lib/bindings/SetupProgress';
import type { SetupStep } from '$lib/bindings/SetupStep';
import type { CheckResult } from '$lib/bindings/CheckResult';
import type { Finding } from '$lib/bindings/Finding';
import type { Forecast } from '$lib/bindings/Forecast';
import type { RecordRef } from '$lib/bindings/RecordRef';
import type { Verdict } from '$lib/bindings/Verdict';
import type { Obligation } from '$lib/bindings/Obligation';
import type { CheckInfo } from '$lib/bindings/CheckInfo';
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
import type { ScriptDraft } from '$lib/bindings/ScriptDraft';
import type { ScriptProblem } from '$lib/bindings/ScriptProblem';
import type { Inject } from '$lib/bindings/Inject';
import type { Objective } from '$lib/bindings/Objective';
import type { ScriptRole } from '$lib/bindings/ScriptRole';
import type { CastRole } from '$lib/bindings/CastRole';
import type { RoleKind } from '$lib/bindings/RoleKind';
import type { Exercise } from '$lib/bindings/Exercise';
import type { HeldInput } from '$lib/bindings/HeldInput';
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
import type { DatedCorrection } from '$lib/bindings/DatedCorrection';
import type { Withdrawal } from '$lib/bindings/Withdrawal';
import type { PlanChange } from '$lib/bindings/PlanChange';
import type { CompletionCorrection } from '$lib/bindings/CompletionCorrection';
import type { AcknowledgementCorrection } from '$lib/bindings/AcknowledgementCorrection';
import type { AccessReviewCorrection } from '$lib/bindings/AccessReviewCorrection';
import type { Amendment } from '$lib/bindings/Amendment';
import type { AmendmentInput } from '$lib/bindings/AmendmentInput';
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
import type { ControlTimeline } from '$lib/bindings/ControlTimeline';
import type { PeriodStatus } from '$lib/bindings/PeriodStatus';
import type { Period } from '$lib/bindings/Period';
import type { PeriodState } from '$lib/bindings/PeriodState';
import type { OccurrenceBrief } from '$lib/bindings/OccurrenceBrief';
import type { OccurrenceSource } from '$lib/bindings/OccurrenceSource';
import type { ExceptionItem } from '$lib/bindings/ExceptionItem';
import type { ExceptionResponse } from '$lib/bindings/ExceptionResponse';
import type { ExceptionResponseInput } from '$lib/bindings/ExceptionResponseInput';
import type { ReferenceInput } from '$lib/bindings/ReferenceInput';
import type { SettingField } from '$lib/bindings/SettingField';
import type { ArchiveSummary } from '$lib/bindings/ArchiveSummary';
import type { ArchivePick } from '$lib/bindings/ArchivePick';
import type { ImportPick } from '$lib/bindings/ImportPick';
import type { BinderRange } from '$lib/bindings/BinderRange';
import type { RequestCounts } from '$lib/bindings/RequestCounts';
import type { BinderSummary } from '$lib/bindings/BinderSummary';
import type { TableSource } from '$lib/bindings/TableSource';
import type { RequestRow } from '$lib/bindings/RequestRow';
import type { RequestQuery } from '$lib/bindings/RequestQuery';
import type { AuditRequest } from '$lib/bindings/AuditRequest';
import type { AuditRequestInput } from '$lib/bindings/AuditRequestInput';
import type { RequestStatus } from '$lib/bindings/RequestStatus';
import type { RequestDetail } from '$lib/bindings/RequestDetail';
import type { RequestLink } from '$lib/bindings/RequestLink';
import type { Suggestion } from '$lib/bindings/Suggestion';
import type { OwnedEvidence } from '$lib/bindings/OwnedEvidence';
import type { Population } from '$lib/bindings/Population';
import type { ImportPreview } from '$lib/bindings/ImportPreview';
import type { MappedColumn } from '$lib/bindings/MappedColumn';
import type { ColumnChoice } from '$lib/bindings/ColumnChoice';
import type { ColumnMatch } from '$lib/bindings/ColumnMatch';

export type {
  ArchiveSummary,
  ArchivePick,
  RequestRow,
  RequestQuery,
  AuditRequest,
  AuditRequestInput,
  RequestStatus,
  RequestDetail,
  RequestLink,
  Suggestion,
  OwnedEvidence,
  Population,
  ImportPreview,
  MappedColumn,
  ColumnChoice,
  ColumnMatch,
  ImportPick,
  TableSource,
  BinderRange,
  BinderSummary,
  RequestCounts,
  Evidence,
  EvidenceInput,
  EvidenceProblem,
  EvidenceTarget,
  Acknowledgement,
  Approval,
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
  ControlGuide,
  ControlInput,
  ControlQuery,
  ControlSort,
  ControlStatus,
  Criterion,
  CriterionCoverage,
  CoverageState,
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
  AttentionFilter,
  RecordAttention,
  RegisterAttention,
  FindingActions,
  FindingGroup,
  Milestone,
  Overview,
  SetupProgress,
  SetupStep,
  CheckResult,
  Finding,
  Forecast,
  RecordRef,
  Verdict,
  Obligation,
  CheckInfo,
  RoleHolder,
  RoleAssigned,
  RiskSuggestion,
  DiffKind,
  DiffLine,
  PolicyText,
  PolicyVersion,
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
  ScriptDraft,
  ScriptProblem,
  Inject,
  Objective,
  ScriptRole,
  CastRole,
  RoleKind,
  Exercise,
  HeldInput,
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
  DatedCorrection,
  Withdrawal,
  PlanChange,
  CompletionCorrection,
  AcknowledgementCorrection,
  AccessReviewCorrection,
  Amendment,
  AmendmentInput,
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
  ControlTimeline,
  PeriodStatus,
  Period,
  PeriodState,
  OccurrenceBrief,
  OccurrenceSource,
  ExceptionItem,
  ExceptionResponse,
  ExceptionResponseInput,
  ReferenceInput,
  SettingField,
};

/** Field errors keyed by input field name, for showing next to each field. */
export function fieldErrors(err: AppError | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of err?.fields ?? []) out[f.field] ??= f.message;
  return out;
}

/**
 * Every command (generated from the Rust commands, see commands.ts), with the one wrapper a
 * screen needs: an activity's evidence goes by the token of its pick (see stageFile), as every
 * evidence file does. No file's bytes cross to the app.
 */
export const api = {
  ...commands,
  /** Records an activity; with a staged file, attaches it as evidence in the same transaction. */
  addControlActivity: (id: number, input: ActivityInput, file: { token: string; name: string } | null) =>
    commands.addControlActivity(id, input, file ? { file_name: file.name, expires_on: '' } : null, file?.token ?? null),
};
