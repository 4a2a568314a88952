import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Dashboard from './Dashboard.svelte';
import { backend } from '../../test/backend';
import { nav } from '$lib/nav.svelte';

const mfa = {
  id: 3,
  key: 'mfa',
  title: 'MFA on critical systems',
  verdict: 'fail',
  reason: 'AWS is critical and does not enforce MFA.',
  criteria: ['CC6.1', 'CC6.6'],
  findings: [
    {
      record: { kind: 'systems', id: 7, reference: '', title: 'AWS' },
      problem: 'AWS is critical and does not enforce MFA.',
      since: null,
      until: null,
      fix: 'Enforce MFA for every account on it.',
      failing: true,
      owner: 'Olga Ops',
    },
  ],
  forecast: null,
};
const access = {
  id: 4,
  key: 'access_reviews',
  title: 'Quarterly access reviews',
  verdict: 'pass',
  reason: 'Every critical system (1) had its accounts reviewed within 92 days.',
  criteria: ['CC6.2'],
  findings: [],
  forecast: { fails_on: '2027-01-02', what: 'AWS (the next access review of AWS is due on 2027-01-01)' },
};

describe('Readiness dashboard', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('shows each verdict, the forecast, findings with their record, and prepares an action', async () => {
    const calls = backend({
      readiness: () => ({ as_of: '2026-11-26', audit_type: 'type1', pass: 1, warn: 0, fail: 1, not_applicable: 0, checks: [mfa, access] }),
      obligations: () => [{ date: '2027-01-01', what: 'Access review of AWS', kind: 'access_review', record: { kind: 'systems', id: 7, reference: '', title: 'AWS' }, owner: null }],
      list_people: () => [],
    });
    render(Dashboard);
    const card = await screen.findByTestId('check-mfa');
    expect(within(card).getByText('Fail')).toBeTruthy();
    await userEvent.click(within(card).getByRole('button', { name: /MFA on critical systems/ }));
    expect(card.textContent).toContain('owner Olga Ops');
    await userEvent.click(within(card).getByRole('button', { name: /MFA on critical systems/ }));
    expect(screen.getByTestId('check-access_reviews').textContent).toContain('Would fail on 2027-01-02');
    expect(screen.getByTestId('readiness-summary').textContent).toContain('1 failing');
    await userEvent.click(within(card).getByRole('button', { name: /MFA on critical systems/ }));
    await userEvent.click(within(card).getByRole('button', { name: 'Create remediation action' }));
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Enforce MFA for every account on it');
    await userEvent.click(within(card).getByRole('button', { name: 'AWS' }));
    expect(nav.area).toBe('systems');
    expect(nav.systemId).toBe(7);
    await userEvent.clear(screen.getByLabelText('As of'));
    expect(calls.filter((c) => c.cmd === 'readiness')[0].args.asOf).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(screen.getByRole('table', { name: 'Obligations calendar' }).textContent).toContain('Access review of AWS');
  });
});
