// A slow answer to an earlier query must never overwrite the answer to a newer one: typing
// "aws" then "gcp" quickly shows the GCP rows even when the "aws" answer arrives last.
import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import type { Component } from 'svelte';
import Changes from './changes/Changes.svelte';
import Incidents from './incidents/Incidents.svelte';
import Systems from './systems/Systems.svelte';
import { backend } from '../test/backend';

type Deferred = { search: string; resolve: (v: unknown) => void };

const system = (id: number, name: string) => ({
  id,
  name,
  description: '',
  owner: null,
  criticality: 'high',
  in_scope: true,
  holds_customer_data: false,
  data_types: [],
  mfa_enforced: true,
  role_based_access: true,
  shared_accounts: false,
  shared_accounts_reason: '',
  encryption_at_rest: true,
  tls_in_transit: true,
  tls_min_version: '',
  logs_forwarded: true,
  alerting: true,
  certificates: [],
  gaps: [],
  archived: false,
  created_at: '',
  updated_at: '',
});

const incident = (id: number, title: string) => ({
  id,
  reference: `INC-00${id}`,
  title,
  summary: '',
  severity: 'sev3',
  status: 'open',
  detected_at: '2026-11-20 10:00',
  reported_by: '',
  contained_at: null,
  eradicated_at: null,
  recovered_at: null,
  closed_at: null,
  minutes_to_contain: null,
  minutes_to_close: null,
  personal_data: false,
  customers: { required: false, deadline: null, done_at: null, overdue: false },
  regulator: { required: false, deadline: null, done_at: null, overdue: false },
  insurer: { required: false, deadline: null, done_at: null, overdue: false },
  archived: false,
});

const change = (id: number, title: string) => ({
  id,
  reference: `CHG-000${id}`,
  title,
  description: '',
  system: null,
  author: null,
  approver: null,
  approved_at: null,
  tested: true,
  test_notes: '',
  deployed_at: '2026-11-20 10:00',
  rollback_plan: 'Revert',
  emergency: false,
  flags: [],
  archived: false,
  created_at: '',
  updated_at: '',
});

const cases: { name: string; screen: Component; command: string; label: string; rows: (n: number, t: string) => unknown }[] = [
  { name: 'Systems', screen: Systems, command: 'list_systems', label: 'Search systems', rows: (n, t) => [system(n, t)] },
  { name: 'Incidents', screen: Incidents, command: 'list_incidents', label: 'Search incidents', rows: (n, t) => [incident(n, t)] },
  {
    name: 'Changes',
    screen: Changes,
    command: 'list_changes',
    label: 'Search changes',
    rows: (n, t) => ({ total: 1, rows: [change(n, t)] }),
  },
];

describe('lists ignore answers to superseded queries', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  for (const c of cases) {
    it(`${c.name}: a slow answer for an old search does not replace the newer one`, async () => {
      const pending: Deferred[] = [];
      backend({
        [c.command]: (a) => {
          const q = a.query as { search: string };
          return new Promise((resolve) => pending.push({ search: q.search, resolve }));
        },
        list_systems: (a) =>
          c.command === 'list_systems'
            ? new Promise((resolve) => pending.push({ search: (a.query as { search: string }).search, resolve }))
            : [],
      });
      render(c.screen);
      await waitFor(() => expect(pending.length).toBeGreaterThan(0));
      pending.shift()?.resolve(c.rows(9, 'Initial'));
      const box = screen.getByLabelText(c.label);
      await userEvent.type(box, 'aws');
      await waitFor(() => expect(pending.some((p) => p.search === 'aws')).toBe(true));
      await userEvent.clear(box);
      await userEvent.type(box, 'gcp');
      await waitFor(() => expect(pending.some((p) => p.search === 'gcp')).toBe(true));
      // The newer answer arrives first, the older one last.
      pending.find((p) => p.search === 'gcp')?.resolve(c.rows(2, 'GCP production'));
      expect(await screen.findByText('GCP production')).toBeTruthy();
      for (const p of pending.filter((p) => p.search !== 'gcp')) p.resolve(c.rows(1, 'AWS production'));
      await new Promise((r) => setTimeout(r, 50));
      expect(screen.queryByText('AWS production')).toBeNull();
      expect(screen.getByText('GCP production')).toBeTruthy();
    });
  }
});
