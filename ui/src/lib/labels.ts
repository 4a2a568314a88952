// Display labels for enum values that come from the core.
import type {
  ActionStatus,
  AccountChangeKind,
  Coverage,
  ExerciseStatus,
  IncidentStatus,
  Severity,
  AssessmentMethod,
  DeprovisionState,
  RetentionUnit,
  TrainingState,
  AssessmentOutcome,
  Band,
  Cadence,
  Criticality,
  DataAccess,
  Opinion,
  ReportStatus,
  ReportType,
  SubserviceMethod,
  VendorStatus,
  ControlStatus,
  PolicyStatus,
  ReviewCadence,
  RiskCategory,
  RiskStatus,
  Treatment,
} from '$lib/api';

export const statusLabels: Record<ControlStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  implemented: 'Implemented',
  not_applicable: 'Not applicable',
};

export const cadenceLabels: Record<Cadence, string> = {
  continuous: 'Continuous',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  annual: 'Annual',
  per_event: 'Per event',
};

export function stamp(at: string): string {
  return at.replace('T', ' ').replace(/:\d\dZ$/, ' UTC');
}

export const actionStatusLabels: Record<ActionStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  wont_do: "Won't do",
};

export const policyStatusLabels: Record<PolicyStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  approved: 'Approved',
  retired: 'Retired',
};

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Today's date (YYYY-MM-DD) on this computer. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export const riskCategoryLabels: Record<RiskCategory, string> = {
  security: 'Security',
  operational: 'Operational',
  vendor: 'Vendor',
  legal_compliance: 'Legal / compliance',
  availability: 'Availability',
  fraud: 'Fraud',
  privacy: 'Privacy',
};

export const treatmentLabels: Record<Treatment, string> = {
  mitigate: 'Mitigate',
  accept: 'Accept',
  transfer: 'Transfer',
  avoid: 'Avoid',
};

export const riskStatusLabels: Record<RiskStatus, string> = {
  open: 'Open',
  treated: 'Treated',
  closed: 'Closed',
};

export const reviewCadenceLabels: Record<ReviewCadence, string> = {
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  semiannual: 'Every six months',
  annual: 'Annual',
};

export const bandLabels: Record<Band, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export const criticalityLabels: Record<Criticality, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const dataAccessLabels: Record<DataAccess, string> = {
  customer_data: 'Customer data',
  personal_data: 'Personal data',
  internal_only: 'Internal data only',
  none: 'No data',
};

export const vendorStatusLabels: Record<VendorStatus, string> = {
  prospective: 'Prospective',
  active: 'Active',
  offboarded: 'Offboarded',
};

export const assessmentMethodLabels: Record<AssessmentMethod, string> = {
  soc2_review: 'SOC 2 report review',
  questionnaire: 'Questionnaire',
  other: 'Other',
};

export const assessmentOutcomeLabels: Record<AssessmentOutcome, string> = {
  approved: 'Approved',
  approved_with_conditions: 'Approved with conditions',
  rejected: 'Rejected',
};

export const reportTypeLabels: Record<ReportType, string> = { type1: 'Type I', type2: 'Type II' };

export const opinionLabels: Record<Opinion, string> = {
  unqualified: 'Unqualified',
  qualified: 'Qualified',
  adverse: 'Adverse',
  disclaimer: 'Disclaimer',
};

export const subserviceMethodLabels: Record<SubserviceMethod, string> = { carve_out: 'Carve-out', inclusive: 'Inclusive' };

export const reportStatusLabels: Record<ReportStatus, string> = {
  current: 'Current',
  stale: 'Stale',
  missing: 'Missing',
  not_required: 'Not required',
};

/** Tag colour class for a report status. */
export const reportStatusTag: Record<ReportStatus, string> = {
  current: 'tag-ok',
  stale: 'tag-danger',
  missing: 'tag-danger',
  not_required: '',
};

export const trainingStateLabels: Record<TrainingState, string> = {
  current: 'Current',
  due_soon: 'Due within 30 days',
  overdue: 'Overdue',
  new_hire_overdue: 'New hire, not trained within 7 days',
};

export const trainingStateTag: Record<TrainingState, string> = {
  current: 'tag-ok',
  due_soon: 'tag-warn',
  overdue: 'tag-danger',
  new_hire_overdue: 'tag-danger',
};

export const deprovisionStateLabels: Record<DeprovisionState, string> = {
  on_time: 'Removed in time',
  late: 'Removed late',
  no_access: 'No access',
  pending: 'Pending',
  overdue: 'Overdue',
};

export const deprovisionStateTag: Record<DeprovisionState, string> = {
  on_time: 'tag-ok',
  late: 'tag-warn',
  no_access: '',
  pending: 'tag-warn',
  overdue: 'tag-danger',
};

export const retentionUnitLabels: Record<RetentionUnit, string> = {
  days: 'days',
  months: 'months',
  years: 'years',
  after_customer: 'days after the customer leaves',
};

export const accountChangeLabels: Record<AccountChangeKind, string> = {
  added: 'Added',
  removed: 'Removed',
  role_changed: 'Role changed',
};

export const severityLabels: Record<Severity, string> = { sev1: 'SEV1', sev2: 'SEV2', sev3: 'SEV3', sev4: 'SEV4' };

/** What each severity means, shown in the incident form. */
export const severityMeanings: Record<Severity, string> = {
  sev1: 'Critical: customer data exposed or the service down for everyone; all hands now.',
  sev2: 'Major: a confirmed compromise or a serious outage for some customers; respond today.',
  sev3: 'Minor: limited impact, contained quickly, no customer data involved.',
  sev4: 'Low: a suspicious event or near miss worth recording and learning from.',
};

export const severityTag: Record<Severity, string> = { sev1: 'tag-danger', sev2: 'tag-danger', sev3: 'tag-warn', sev4: '' };

export const incidentStatusLabels: Record<IncidentStatus, string> = {
  open: 'Open',
  contained: 'Contained',
  eradicated: 'Eradicated',
  recovered: 'Recovered',
  closed: 'Closed',
};

export const exerciseStatusLabels: Record<ExerciseStatus, string> = { planned: 'Planned', running: 'Running', completed: 'Completed' };

export const coverageLabels: Record<Coverage, string> = { covered: 'Covered', partly: 'Partly', missed: 'Missed' };

/** Minutes as "3 h 30 min". */
export function duration(minutes: number | null): string {
  if (minutes === null) return '—';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

/** Seconds as a clock, "1:05:09" or "5:09". */
export function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}
