// Which area of the app is showing, and which record within it. Only areas that work are listed.
export type Area = 'profile' | 'people' | 'controls' | 'policies' | 'actions' | 'criteria';

export const areas: { id: Area; label: string }[] = [
  { id: 'profile', label: 'Organization' },
  { id: 'controls', label: 'Controls' },
  { id: 'policies', label: 'Policies' },
  { id: 'actions', label: 'Actions' },
  { id: 'people', label: 'People' },
  { id: 'criteria', label: 'Criteria' },
];

export const nav = $state<{ area: Area; controlId: number | null; criterionId: string | null; policyId: number | null }>({
  area: 'profile',
  controlId: null,
  criterionId: null,
  policyId: null,
});

export function go(area: Area): void {
  nav.area = area;
  nav.controlId = null;
  nav.criterionId = null;
  nav.policyId = null;
}

export function openPolicy(id: number): void {
  nav.area = 'policies';
  nav.policyId = id;
}

export function openControl(id: number): void {
  nav.area = 'controls';
  nav.controlId = id;
}

export function openCriterion(id: string): void {
  nav.area = 'criteria';
  nav.criterionId = id;
}
