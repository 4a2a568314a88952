// Display labels for enum values: the core's own labels (generated in bindings/labels.ts),
// under the names the screens use, plus the tag colours and helpers of the UI.
import * as labels from '$lib/bindings/labels';
import type {
  Severity,
  DeprovisionState,
  TrainingState,
  ReportStatus,
  Period,
  PeriodState,
} from '$lib/api';

export const statusLabels = labels.ControlStatusLabels;

export const cadenceLabels = labels.CadenceLabels;

export const occurrenceSourceLabels = labels.OccurrenceSourceLabels;

export const periodStateLabels = labels.PeriodStateLabels;

/** The sign drawn in a period's chip, so its state never rests on colour alone. */
export const periodStateSign: Record<PeriodState, string> = {
  met: '✓',
  missed: '✗',
  due: '!',
  not_yet: '–',
};

/** What the signs of the period chips mean, in one line. */
export const periodLegend = (Object.keys(periodStateSign) as PeriodState[])
  .map((s) => `${periodStateSign[s]} ${periodStateLabels[s].toLowerCase()}`)
  .join(' · ');

/** A period as "2026-04-01 to 2026-06-30". */
export function periodText(p: Period): string {
  return p.start === p.end ? p.start : `${p.start} to ${p.end}`;
}

/** The date of a stored timestamp ("2026-05-02T10:00:00Z" → "2026-05-02"). */
export function dateOf(at: string): string {
  return at.slice(0, 10);
}

export function stamp(at: string): string {
  return at.replace('T', ' ').replace(/:\d\dZ$/, ' UTC');
}

export const actionStatusLabels = labels.ActionStatusLabels;

export const policyStatusLabels = labels.PolicyStatusLabels;

export const requestStatusLabels = labels.RequestStatusLabels;
export const populationLabels = labels.PopulationLabels;

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Today's date (YYYY-MM-DD) on this computer. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export const riskCategoryLabels = labels.RiskCategoryLabels;

export const treatmentLabels = labels.TreatmentLabels;

export const riskStatusLabels = labels.RiskStatusLabels;

export const reviewCadenceLabels = labels.ReviewCadenceLabels;

export const bandLabels = labels.BandLabels;

export const criticalityLabels = labels.CriticalityLabels;

export const dataAccessLabels = labels.DataAccessLabels;

export const vendorStatusLabels = labels.VendorStatusLabels;

export const assessmentMethodLabels = labels.AssessmentMethodLabels;

export const assessmentOutcomeLabels = labels.AssessmentOutcomeLabels;

export const reportTypeLabels = labels.ReportTypeLabels;

export const opinionLabels = labels.OpinionLabels;

export const subserviceMethodLabels = labels.SubserviceMethodLabels;

export const reportStatusLabels = labels.ReportStatusLabels;

/** Tag colour class for a report status. */
export const reportStatusTag: Record<ReportStatus, string> = {
  current: 'tag-ok',
  stale: 'tag-danger',
  missing: 'tag-danger',
  not_required: '',
};

export const trainingStateLabels = labels.TrainingStateLabels;

export const trainingStateTag: Record<TrainingState, string> = {
  current: 'tag-ok',
  due_soon: 'tag-warn',
  overdue: 'tag-danger',
  new_hire_overdue: 'tag-danger',
};

export const deprovisionStateLabels = labels.DeprovisionStateLabels;

export const deprovisionStateTag: Record<DeprovisionState, string> = {
  on_time: 'tag-ok',
  late: 'tag-warn',
  no_access: '',
  pending: 'tag-warn',
  overdue: 'tag-danger',
};

export const retentionUnitLabels = labels.RetentionUnitLabels;

export const accountChangeLabels = labels.AccountChangeKindLabels;

export const severityLabels = labels.SeverityLabels;

/** What each severity means, shown in the incident form. */
export const severityMeanings: Record<Severity, string> = {
  sev1: 'Critical: customer data exposed or the service down for everyone; all hands now.',
  sev2: 'Major: a confirmed compromise or a serious outage for some customers; respond today.',
  sev3: 'Minor: limited impact, contained quickly, no customer data involved.',
  sev4: 'Low: a suspicious event or near miss worth recording and learning from.',
};

export const severityTag: Record<Severity, string> = { sev1: 'tag-danger', sev2: 'tag-danger', sev3: 'tag-warn', sev4: '' };

export const incidentStatusLabels = labels.IncidentStatusLabels;

export const exerciseStatusLabels = labels.ExerciseStatusLabels;

export const coverageLabels = labels.CoverageLabels;
export const roleKindLabels = labels.RoleKindLabels;
export const coverageStateLabels = labels.CoverageStateLabels;

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

/** A label table as select options, in the table's order. */
export function options<T extends string>(table: Record<T, string>): { value: T; label: string }[] {
  return (Object.entries(table) as [T, string][]).map(([value, label]) => ({ value, label }));
}

/** A file's size for people: bytes, KB or MB (1,024 steps). */
export function fileSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
