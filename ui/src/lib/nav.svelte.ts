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

/** Opens whatever record an action or finding points at. */
export function openSource(kind: string, id: number): void {
  if (kind === 'policy') openPolicy(id);
  else if (kind === 'risk') openRisk(id);
  else if (kind === 'incident') openIncident(id);
  else if (kind === 'exercise') openExercise(id);
  else if (kind === 'system') openSystem(id);
  else if (kind === 'vendor') openVendor(id);
  else if (kind === 'data_type') openDataType(id);
  else if (kind === 'person') go('people');
  else if (kind === 'change') go('changes');
  else if (kind === 'action') go('actions');
  else openControl(id);
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
