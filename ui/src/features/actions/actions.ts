// The actions a record caused, for the detail screens that list them.
import { api, type Action } from '$lib/api';
import type { ActionSourceKind } from '$lib/nav.svelte';

/** The actions (not archived) whose source is the control, policy, risk, incident or exercise `id`. */
export async function actionsFrom(kind: ActionSourceKind, id: number): Promise<Action[]> {
  const source = (k: ActionSourceKind) => (kind === k ? id : null);
  const page = await api.listActions({
    search: '',
    status: null,
    open_only: false,
    overdue_only: false,
    source_control_id: source('controls'),
    source_policy_id: source('policies'),
    source_risk_id: source('risks'),
    source_incident_id: source('incidents'),
    source_exercise_id: source('exercises'),
    include_archived: false,
    offset: 0,
    limit: 1000,
  });
  return page.rows;
}
