import type { RecordRef } from '$lib/bindings/RecordRef';
import type { Register } from '$lib/bindings/Register';

// Which area of the app is showing, and which record within it. Only areas that work are listed.
export type Area =
  | 'dashboard'
  | 'profile'
  | 'people'
  | 'controls'
  | 'policies'
  | 'risks'
  | 'vendors'
  | 'systems'
  | 'access_reviews'
  | 'training'
  | 'leavers'
  | 'changes'
  | 'retention'
  | 'incidents'
  | 'tabletop'
  | 'actions'
  | 'criteria';
export type RiskTab = 'register' | 'heatmap' | 'assessments';

export const areas: { id: Area; label: string }[] = [
  { id: 'dashboard', label: 'Readiness' },
  { id: 'profile', label: 'Organization' },
  { id: 'controls', label: 'Controls' },
  { id: 'policies', label: 'Policies' },
  { id: 'risks', label: 'Risks' },
  { id: 'vendors', label: 'Vendors' },
  { id: 'systems', label: 'Systems' },
  { id: 'access_reviews', label: 'Access reviews' },
  { id: 'training', label: 'Training' },
  { id: 'leavers', label: 'Leavers' },
  { id: 'changes', label: 'Changes' },
  { id: 'retention', label: 'Retention' },
  { id: 'incidents', label: 'Incidents' },
  { id: 'tabletop', label: 'Tabletop' },
  { id: 'actions', label: 'Actions' },
  { id: 'people', label: 'People' },
  { id: 'criteria', label: 'Criteria' },
];

export const nav = $state<{
  area: Area;
  controlId: number | null;
  criterionId: string | null;
  policyId: number | null;
  riskId: number | null;
  riskTab: RiskTab;
  vendorId: number | null;
  systemId: number | null;
  dataTypeId: number | null;
  incidentId: number | null;
  exerciseId: number | null;
}>({
  area: 'profile',
  controlId: null,
  criterionId: null,
  policyId: null,
  riskId: null,
  riskTab: 'register',
  vendorId: null,
  systemId: null,
  dataTypeId: null,
  incidentId: null,
  exerciseId: null,
});

export function go(area: Area): void {
  nav.area = area;
  nav.controlId = null;
  nav.criterionId = null;
  nav.policyId = null;
  nav.riskId = null;
  nav.vendorId = null;
  nav.systemId = null;
  nav.dataTypeId = null;
  nav.incidentId = null;
  nav.exerciseId = null;
}

export function openPolicy(id: number): void {
  go('policies');
  nav.policyId = id;
}

export function openControl(id: number): void {
  go('controls');
  nav.controlId = id;
}

export function openCriterion(id: string): void {
  go('criteria');
  nav.criterionId = id;
}

export function openRisk(id: number): void {
  go('risks');
  nav.riskId = id;
}

/** The risks area on one of its tabs (register, heatmap, assessments). */
export function openRiskTab(tab: RiskTab): void {
  go('risks');
  nav.riskTab = tab;
}

/** Opens a record of any register: its detail where it has one, else its register. The
 *  switch is exhaustive: a register added in the core fails type checking here until it is
 *  handled. */
export function openSource(kind: Register, id: number): void {
  switch (kind) {
    case 'controls':
      return openControl(id);
    case 'policies':
      return openPolicy(id);
    case 'risks':
      return openRisk(id);
    case 'vendors':
      return openVendor(id);
    case 'systems':
      return openSystem(id);
    case 'retention':
      return openDataType(id);
    case 'incidents':
      return openIncident(id);
    case 'exercises':
      return openExercise(id);
    case 'people':
    case 'actions':
    case 'changes':
    case 'access_reviews':
    case 'training':
    case 'leavers':
    case 'criteria':
      return go(kind);
    case 'courses':
      return go('training');
    default: {
      const unhandled: never = kind;
      throw new Error(`no screen for records of ${String(unhandled)}`);
    }
  }
}

/** The registers a remediation action can come from, and such a source. */
export type ActionSourceKind = Extract<Register, 'controls' | 'policies' | 'risks' | 'incidents' | 'exercises'>;
export type ActionSource = { kind: ActionSourceKind; id: number; label: string };
const ACTION_SOURCES: readonly Register[] = ['controls', 'policies', 'risks', 'incidents', 'exercises'];

export function isActionSourceKind(kind: Register): kind is ActionSourceKind {
  return ACTION_SOURCES.includes(kind);
}

/** Opens what a finding or an obligation points at; false when there is nothing to open
 *  (a finding about the workspace as a whole). */
export function openRecord(record: RecordRef): boolean {
  if (record.kind === 'criteria') {
    openCriterion(record.reference);
    return true;
  }
  if (record.kind === null || record.id === null) return false;
  openSource(record.kind, record.id);
  return true;
}

/** Whether `openRecord` has somewhere to go. */
export function canOpen(record: RecordRef): boolean {
  return record.kind === 'criteria' || (record.kind !== null && record.id !== null);
}

export function openVendor(id: number): void {
  go('vendors');
  nav.vendorId = id;
}

export function openSystem(id: number): void {
  go('systems');
  nav.systemId = id;
}

export function openDataType(id: number): void {
  go('retention');
  nav.dataTypeId = id;
}

export function openIncident(id: number): void {
  go('incidents');
  nav.incidentId = id;
}

export function openExercise(id: number): void {
  go('tabletop');
  nav.exerciseId = id;
}
