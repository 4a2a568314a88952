import type { RecordRef } from '$lib/bindings/RecordRef';
import type { Register } from '$lib/bindings/Register';
import { clearNotices } from '$lib/notices.svelte';
import { leaveForms } from '$lib/unsaved.svelte';

// Which area of the app is showing, and which record within it. Only areas that work are listed;
// each has its screens and its sidebar label in routes.ts.
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
  | 'requests'
  | 'criteria'
  | 'settings';
export type RiskTab = 'register' | 'heatmap' | 'assessments';
/** A section of the Settings screen another screen can link to. */
export type SettingsSection = 'roles' | 'checks' | 'bands' | 'intervals' | 'workspace';

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
  requestId: number | null;
  settingsSection: SettingsSection | null;
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
  requestId: null,
  settingsSection: null,
});

/** The field of `nav` that holds the record open in each area that has a detail screen. */
export const detailFields = {
  controls: 'controlId',
  policies: 'policyId',
  risks: 'riskId',
  vendors: 'vendorId',
  systems: 'systemId',
  retention: 'dataTypeId',
  incidents: 'incidentId',
  tabletop: 'exerciseId',
  requests: 'requestId',
} as const satisfies Partial<Record<Area, keyof typeof nav>>;
export type DetailArea = keyof typeof detailFields;

type Place = typeof nav;

/** Moves to `area` (its list), with `open` set on top: the record or tab to show there. A form
 *  with unsaved edits asks first (the move waits for the answer). What the screen being left
 *  said (its notices) goes with it; a notice raised once the new place shows stays. Moving
 *  to where the app already is does nothing. */
function navigate(area: Area, open: Partial<Place> = {}): void {
  const to: Place = { ...nav, area, criterionId: null, settingsSection: null, ...open };
  for (const field of Object.values(detailFields)) to[field] = open[field] ?? null;
  if ((Object.keys(to) as (keyof Place)[]).every((k) => to[k] === nav[k])) return;
  leaveForms(() => {
    clearNotices();
    Object.assign(nav, to);
  });
}

export function go(area: Area): void {
  navigate(area);
}

/** Opens record `id` of `area` on the area's detail screen. */
export function openDetail(area: DetailArea, id: number): void {
  navigate(area, { [detailFields[area]]: id });
}

/** The id of the record open in the current area; null while the area's list shows. */
export function detailId(): number | null {
  const field = (detailFields as Partial<Record<Area, (typeof detailFields)[DetailArea]>>)[nav.area];
  return field ? nav[field] : null;
}

export const openControl = (id: number): void => openDetail('controls', id);
export const openPolicy = (id: number): void => openDetail('policies', id);
export const openRisk = (id: number): void => openDetail('risks', id);
export const openVendor = (id: number): void => openDetail('vendors', id);
export const openSystem = (id: number): void => openDetail('systems', id);
export const openDataType = (id: number): void => openDetail('retention', id);
export const openIncident = (id: number): void => openDetail('incidents', id);
export const openExercise = (id: number): void => openDetail('tabletop', id);
export const openRequest = (id: number): void => openDetail('requests', id);

export function openCriterion(id: string): void {
  navigate('criteria', { criterionId: id });
}

/** The Settings screen, scrolled to `section`. */
export function openSettings(section: SettingsSection): void {
  navigate('settings', { settingsSection: section });
}

/** The risks area on one of its tabs (register, heatmap, assessments). */
export function openRiskTab(tab: RiskTab): void {
  navigate('risks', { riskTab: tab });
}

/** Opens a record of any register: its detail where it has one, else its register's area
 *  (`areaOf` is exhaustive: a register added in the core fails type checking there until it
 *  is handled). */
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
    case 'requests':
      return openRequest(id);
    case 'risk_assessments':
      return openRiskTab('assessments');
    default:
      return go(areaOf(kind));
  }
}

/** The area where a register's records are kept (a dated record: the register of the record
 *  it belongs to). Exhaustive, like `openSource`. */
export function areaOf(kind: Register): Area {
  switch (kind) {
    case 'controls':
    case 'policies':
    case 'risks':
    case 'vendors':
    case 'systems':
    case 'retention':
    case 'incidents':
    case 'people':
    case 'actions':
    case 'changes':
    case 'access_reviews':
    case 'training':
    case 'leavers':
    case 'criteria':
    case 'requests':
      return kind;
    case 'exercises':
      return 'tabletop';
    case 'courses':
      return 'training';
    case 'activities':
      return 'controls';
    case 'log_reviews':
      return 'systems';
    case 'disposals':
      return 'retention';
    case 'vendor_assessments':
    case 'soc2_reports':
      return 'vendors';
    case 'approvals':
    case 'acknowledgements':
      return 'policies';
    case 'risk_assessments':
      return 'risks';
    case 'incident_timeline':
      return 'incidents';
    default: {
      const unhandled: never = kind;
      throw new Error(`no area for records of ${String(unhandled)}`);
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
