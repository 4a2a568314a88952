// Which screen shows for each area of the app, and the area's name in the sidebar. App.svelte
// renders from this table; its type makes an area without a route (or a route for no area) a
// type error. The sidebar lists the areas in the order written here.
import type { Component } from 'svelte';
import type { IconName } from '$lib/icons';
import type { Area, DetailArea } from '$lib/nav.svelte';
import AccessReviews from './features/access_reviews/AccessReviews.svelte';
import Actions from './features/actions/Actions.svelte';
import Changes from './features/changes/Changes.svelte';
import ControlDetail from './features/controls/ControlDetail.svelte';
import Controls from './features/controls/Controls.svelte';
import Criteria from './features/criteria/Criteria.svelte';
import Dashboard from './features/dashboard/Dashboard.svelte';
import IncidentDetail from './features/incidents/IncidentDetail.svelte';
import Incidents from './features/incidents/Incidents.svelte';
import Leavers from './features/leavers/Leavers.svelte';
import People from './features/people/People.svelte';
import Policies from './features/policies/Policies.svelte';
import PolicyDetail from './features/policies/PolicyDetail.svelte';
import Profile from './features/profile/Profile.svelte';
import RequestDetail from './features/requests/RequestDetail.svelte';
import Requests from './features/requests/Requests.svelte';
import DataTypeDetail from './features/retention/DataTypeDetail.svelte';
import Retention from './features/retention/Retention.svelte';
import RiskDetail from './features/risks/RiskDetail.svelte';
import Risks from './features/risks/Risks.svelte';
import Settings from './features/settings/Settings.svelte';
import SystemDetail from './features/systems/SystemDetail.svelte';
import Systems from './features/systems/Systems.svelte';
import ExerciseView from './features/tabletop/ExerciseView.svelte';
import Tabletop from './features/tabletop/Tabletop.svelte';
import Training from './features/training/Training.svelte';
import VendorDetail from './features/vendors/VendorDetail.svelte';
import Vendors from './features/vendors/Vendors.svelte';

/** The sidebar's groups, in order. */
export const groups = ['Overview', 'Registers', 'Activities', 'Library'] as const;
export type Group = (typeof groups)[number];

export type Route = {
  /** The area's name in the sidebar. */
  label: string;
  /** The sidebar group it is listed under. */
  group: Group;
  /** Its icon in the sidebar. */
  icon: IconName;
  /** The register or page shown when no record is open. */
  list: Component;
  /** The screen for one record, shown while the area's field of `nav` (see `detailFields`)
   *  holds its id, below a link back to the list (`back` is its text). */
  detail?: { screen: Component<{ id: number }>; back: string };
};

/** Every area has a route, and exactly the areas with a field for an open record in `nav`
 *  have a detail screen: adding an area or a detail field without its screen fails type
 *  checking here. */
type Routes = { [A in Area]: A extends DetailArea ? Route & { detail: NonNullable<Route['detail']> } : Omit<Route, 'detail'> };

export const routes: Routes = {
  dashboard: { label: 'Readiness', group: 'Overview', icon: 'gauge', list: Dashboard },
  profile: { label: 'Organization', group: 'Overview', icon: 'building', list: Profile },
  controls: { label: 'Controls', group: 'Registers', icon: 'shield', list: Controls, detail: { screen: ControlDetail, back: 'All controls' } },
  policies: { label: 'Policies', group: 'Registers', icon: 'document', list: Policies, detail: { screen: PolicyDetail, back: 'All policies' } },
  risks: { label: 'Risks', group: 'Registers', icon: 'warning', list: Risks, detail: { screen: RiskDetail, back: 'All risks' } },
  vendors: { label: 'Vendors', group: 'Registers', icon: 'truck', list: Vendors, detail: { screen: VendorDetail, back: 'All vendors' } },
  systems: { label: 'Systems', group: 'Registers', icon: 'server', list: Systems, detail: { screen: SystemDetail, back: 'All systems' } },
  access_reviews: { label: 'Access reviews', group: 'Activities', icon: 'key', list: AccessReviews },
  training: { label: 'Training', group: 'Activities', icon: 'cap', list: Training },
  leavers: { label: 'Leavers', group: 'Activities', icon: 'door', list: Leavers },
  changes: { label: 'Changes', group: 'Activities', icon: 'branch', list: Changes },
  retention: { label: 'Retention', group: 'Registers', icon: 'archive', list: Retention, detail: { screen: DataTypeDetail, back: 'Retention schedule' } },
  incidents: { label: 'Incidents', group: 'Activities', icon: 'siren', list: Incidents, detail: { screen: IncidentDetail, back: 'All incidents' } },
  tabletop: { label: 'Tabletop', group: 'Activities', icon: 'tabletop', list: Tabletop, detail: { screen: ExerciseView, back: 'All exercises' } },
  actions: { label: 'Actions', group: 'Overview', icon: 'check', list: Actions },
  requests: { label: 'Auditor requests', group: 'Overview', icon: 'inbox', list: Requests, detail: { screen: RequestDetail, back: 'All requests' } },
  people: { label: 'People', group: 'Registers', icon: 'users', list: People },
  criteria: { label: 'Criteria', group: 'Library', icon: 'book', list: Criteria },
  settings: { label: 'Settings', group: 'Library', icon: 'gear', list: Settings },
};

/** The areas in sidebar order. */
export const areas = (Object.keys(routes) as Area[]).map((id) => ({ id, label: routes[id].label, group: routes[id].group, icon: routes[id].icon }));

/** The sidebar: each group with its areas, in the order written above. */
export const sidebar = groups.map((group) => ({ group, areas: areas.filter((a) => a.group === group) }));
