import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Policies from './Policies.svelte';
import PolicyDetail from './PolicyDetail.svelte';
import { backend, validation } from '../../test/backend';

const policy = (extra: Record<string, unknown> = {}) => ({
  id: 4,
  title: 'Access Control Policy',
  version: '0.1',
  status: 'draft',
  owner: null,
  document_link: '',
  approved_version: null,
  approved_on: null,
  approver: null,
  next_review_due: null,
  archived: false,
  created_at: '',
  updated_at: '',
  ...extra,
});

describe('Policies', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('flags reviews that are overdue', async () => {
    backend({
      list_policies: () => [policy({ status: 'approved', approved_version: '0.1', approved_on: '2020-01-01', next_review_due: '2021-01-01' })],
      expected_policies_summary: () => ({ total: 13, missing: [] }),
    });
    render(Policies);
    const table = await screen.findByRole('table', { name: 'Policies' });
    expect(within(table).getByText('Review overdue')).toBeTruthy();
  });

  it('approves with the review date left to the default and shows a bad date next to its field', async () => {
    let approved = false;
    const calls = backend({
      policy_detail: () => ({
        policy: approved
          ? policy({ status: 'approved', approved_version: '0.1', approved_on: '2026-11-02', approver: { id: 1, name: 'Cleo Ode' }, next_review_due: '2027-11-02' })
          : policy(),
        approvals: [],
        acknowledgements: [],
        evidence: [],
        history: [],
      }),
      list_actions: () => ({ total: 0, rows: [] }),
      list_people: () => [{ id: 1, name: 'Cleo Ode', email: 'c@x.io', role: '', start_date: null, end_date: null, archived: false, created_at: '', updated_at: '' }],
      approve_policy: (a) => {
        const input = a.input as { approved_on: string };
        if (input.approved_on > '2026-11-26') throw validation({ approved_on: 'An approval cannot be dated in the future.' });
        approved = true;
        return null;
      },
    });
    render(PolicyDetail, { props: { id: 4 } });
    await userEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    await userEvent.type(screen.getByLabelText('Approved on'), '2099-01-01');
    await userEvent.selectOptions(screen.getByLabelText('Approved by'), '1');
    const panel = screen.getByRole('complementary', { name: 'Approve policy' });
    await userEvent.click(within(panel).getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('An approval cannot be dated in the future.')).toBeTruthy();
    await userEvent.clear(screen.getByLabelText('Approved on'));
    await userEvent.type(screen.getByLabelText('Approved on'), '2026-11-02');
    await userEvent.click(within(panel).getByRole('button', { name: 'Approve' }));
    expect((await screen.findByTestId('next-review')).textContent).toBe('2027-11-02');
    const sent = calls.filter((c) => c.cmd === 'approve_policy').at(-1)?.args.input;
    expect(sent).toEqual({ approved_on: '2026-11-02', approver_id: 1, next_review_due: '' });
  });
});
