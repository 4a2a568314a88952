import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Controls from './Controls.svelte';
import ControlDetail from './ControlDetail.svelte';
import { backend, validation } from '../../test/backend';
import { nav } from '$lib/nav.svelte';

const control = (id: number, reference: string, extra: Record<string, unknown> = {}) => ({
  id,
  reference,
  title: `Title ${reference}`,
  description: '',
  owner: null,
  status: 'in_progress',
  na_justification: '',
  cadence: 'quarterly',
  criteria: ['CC6.1', 'CC6.3'],
  last_performed: null,
  next_due: null,
  archived: false,
  created_at: '2026-11-26T09:30:00Z',
  updated_at: '2026-11-26T09:30:00Z',
  ...extra,
});

describe('Controls list', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('offers the starter library on an empty register and lists the controls once added', async () => {
    let installed = false;
    const calls = backend({
      list_controls: () => (installed ? { total: 2, rows: [control(1, 'AC-01'), control(2, 'AC-02')] } : { total: 0, rows: [] }),
      starter_controls_summary: () => ({ total: 90, missing: installed ? 0 : 90 }),
      install_starter_controls: () => {
        installed = true;
        return 90;
      },
    });
    render(Controls);
    await screen.findByText('No controls yet');
    await userEvent.click(screen.getByRole('button', { name: 'Add the starter controls' }));
    const table = await screen.findByRole('table', { name: 'Controls' });
    expect(within(table).getByText('AC-02')).toBeTruthy();
    expect(screen.getByTestId('controls-count').textContent).toBe('2 controls');
    expect(calls.some((c) => c.cmd === 'install_starter_controls')).toBe(true);
  });

  it('sorts by a column and pages through results', async () => {
    const calls = backend({
      list_controls: (a) => {
        const q = a.query as { offset: number };
        return { total: 250, rows: [control(q.offset + 1, `T-${q.offset}`)] };
      },
      starter_controls_summary: () => ({ total: 90, missing: 90 }),
    });
    render(Controls);
    await screen.findByText('1–100 of 250');
    await userEvent.click(screen.getByRole('button', { name: 'Title' }));
    await userEvent.click(screen.getByRole('button', { name: /Title/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('101–200 of 250');
    const last = calls.filter((c) => c.cmd === 'list_controls').at(-1)?.args.query as Record<string, unknown>;
    expect(last).toMatchObject({ sort: 'title', descending: true, offset: 100, limit: 100 });
    expect(screen.getByRole('columnheader', { name: /Title/ }).getAttribute('aria-sort')).toBe('descending');
  });
});

describe('Control detail', () => {
  it('reports a missing evidence file when opening it', async () => {
    backend({
      control_detail: () => ({
        control: control(7, 'AC-05'),
        activities: [],
        evidence: [{ id: 9, sha256: 'ab'.repeat(32), file_name: 'users-q3.csv', size: 10, effective_date: '2026-08-31', expires_on: null, added_by: null, description: '', activity_id: 1, policy_id: null, created_at: '' }],
        history: [],
      }),
      list_people: () => [],
      list_actions: () => ({ total: 0, rows: [] }),
      open_evidence: () => {
        throw { code: 'evidence_missing', message: 'users-q3.csv is missing from the attachment folder.', fields: [] };
      },
    });
    render(ControlDetail, { props: { id: 7 } });
    await userEvent.click(await screen.findByRole('button', { name: 'users-q3.csv' }));
    const { notices } = await import('$lib/notices.svelte');
    expect(notices.at(-1)).toMatchObject({ kind: 'error', text: 'users-q3.csv is missing from the attachment folder.' });
  });

  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('shows criteria as links and reports a bad activity date next to its field', async () => {
    backend({
      control_detail: () => ({ control: control(7, 'AC-05'), activities: [], evidence: [], history: [] }),
      list_people: () => [],
      add_control_activity: () => {
        throw validation({ performed_on: 'An activity cannot be recorded before it happens.' });
      },
    });
    render(ControlDetail, { props: { id: 7 } });
    await userEvent.click(await screen.findByRole('button', { name: 'CC6.3' }));
    expect(nav).toMatchObject({ area: 'criteria', criterionId: 'CC6.3' });
    await userEvent.type(screen.getByLabelText('Performed on'), '2099-01-01');
    await userEvent.click(screen.getByRole('button', { name: 'Record activity' }));
    expect(await screen.findByText('An activity cannot be recorded before it happens.')).toBeTruthy();
    expect(screen.getByLabelText('Performed on').getAttribute('aria-invalid')).toBe('true');
  });

  it('shows next due, activities and history', async () => {
    backend({
      control_detail: () => ({
        control: control(7, 'AC-05', { last_performed: '2026-08-31', next_due: '2026-11-30' }),
        activities: [{ id: 1, performed_on: '2026-08-31', performed_by: { id: 2, name: 'Ann Lee' }, notes: 'All good', created_at: '' }],
        evidence: [
          { id: 9, sha256: 'ab'.repeat(32), file_name: 'users-q3.csv', size: 2048, effective_date: '2026-08-31', expires_on: null,
            added_by: { id: 2, name: 'Ann Lee' }, description: '', activity_id: 1, policy_id: null, created_at: '' },
        ],
        history: [{ id: 3, action: 'update', at: '2026-11-26T09:30:00Z', changes: [{ field: 'status', old: 'not_started', new: 'in_progress' }] }],
      }),
      list_people: () => [],
    });
    render(ControlDetail, { props: { id: 7 } });
    await waitFor(() => expect(screen.getByTestId('next-due').textContent?.trim()).toBe('2026-11-30'));
    expect(within(screen.getByRole('table', { name: 'Activities' })).getByText('Ann Lee')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'History' })).getByText(/not_started → in_progress/)).toBeTruthy();
    const files = screen.getByRole('table', { name: 'Evidence files' });
    expect(within(files).getByText('2.0 KB')).toBeTruthy();
  });
});
