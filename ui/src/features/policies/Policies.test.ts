import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Policies from './Policies.svelte';
import PolicyDetail from './PolicyDetail.svelte';
import { backend, validation } from '../../test/backend';
import { evidenceFile, policyRecord } from '../../test/fixtures';
import { refusedWith, retype } from '../../test/forms';

const policy = policyRecord;

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

describe('Policy evidence', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('withdraws a policy file with a reason and reads the policy again', async () => {
    let withdrawn = false;
    const doc = () =>
      evidenceFile({
        id: 6,
        file_name: 'access-policy-0.1.pdf',
        size: 4096,
        effective_date: '2026-10-01',
        activity_id: null,
        policy_id: 4,
        removed_at: withdrawn ? '2026-11-26T09:00:00Z' : null,
        removed_reason: withdrawn ? 'Draft attached by mistake' : '',
      });
    const calls = backend({
      policy_detail: () => ({ policy: policy(), approvals: [], acknowledgements: [], evidence: [doc()], history: [] }),
      list_actions: () => ({ total: 0, rows: [] }),
      list_people: () => [],
      withdraw_evidence: (a) => {
        if ((a.reason as string) === '') throw validation({ reason: 'Reason is required.' });
        withdrawn = true;
        return doc();
      },
    });
    render(PolicyDetail, { props: { id: 4 } });
    await userEvent.click(await screen.findByRole('button', { name: 'Withdraw' }));
    await userEvent.click(screen.getByRole('button', { name: 'Withdraw evidence' }));
    expect(await screen.findByText('Reason is required.')).toBeTruthy();
    expect(calls.filter((c) => c.cmd === 'policy_detail')).toHaveLength(1);
    await userEvent.type(screen.getByLabelText('Why withdraw it'), 'Draft attached by mistake');
    await userEvent.click(screen.getByRole('button', { name: 'Withdraw evidence' }));
    expect((await screen.findByTestId('evidence-6')).textContent).toContain('Withdrawn on 2026-11-26: Draft attached by mistake · not counted');
    expect(calls.filter((c) => c.cmd === 'policy_detail')).toHaveLength(2);
    // References can be added where files are attached.
    expect(screen.getByRole('form', { name: 'Add a reference' })).toBeTruthy();
  });
  it('corrects an approval in a dialog (a refused date shown on its field), and offers no withdrawal', async () => {
    const cleo = { id: 1, name: 'Cleo Ode' };
    const dan = { id: 2, name: 'Dan Dev' };
    let approval = { id: 9, version: '1.0', approved_on: '2026-04-10', approver: cleo, next_review_due: '2027-04-10' };
    const person = (p: { id: number; name: string }) => ({ ...p, email: '', role: '', start_date: null, end_date: null, archived: false, created_at: '', updated_at: '' });
    const calls = backend({
      policy_detail: () => ({ policy: policy({ status: 'approved', approved_version: '1.0' }), approvals: [approval], acknowledgements: [], evidence: [], history: [] }),
      list_actions: () => ({ total: 0, rows: [] }),
      list_people: () => [person(cleo), person(dan)],
      correct_dated: (a) => {
        const input = (a.correction as { input: { approved_on: string; approver_id: number; next_review_due: string } }).input;
        if (input.approved_on > '2026-11-26') throw validation({ approved_on: 'An approval cannot be recorded before it happens.' });
        approval = { ...approval, approved_on: input.approved_on, approver: input.approver_id === 2 ? dan : cleo, next_review_due: input.next_review_due };
        return true;
      },
    });
    render(PolicyDetail, { props: { id: 4 } });
    const table = await screen.findByRole('table', { name: 'Approvals by version' });
    expect(within(table).queryByRole('button', { name: /Withdraw/ })).toBeNull();
    await userEvent.click(within(table).getByRole('button', { name: 'Correct approval of version 1.0' }));
    const form = screen.getByRole('form', { name: 'Correct the approval of version 1.0' });
    const on = within(form).getByLabelText('Approved on') as HTMLInputElement;
    expect(on.value).toBe('2026-04-10');
    expect((within(form).getByLabelText('Next review due') as HTMLInputElement).value).toBe('2027-04-10');
    await retype(on, '2099-04-08');
    await refusedWith(form, 'Save correction', 'An approval cannot be recorded before it happens.');
    await retype(on, '2026-04-08');
    await userEvent.selectOptions(within(form).getByLabelText('Approved by'), '2');
    await userEvent.clear(within(form).getByLabelText('Next review due'));
    await userEvent.click(within(form).getByRole('button', { name: 'Save correction' }));
    expect(await within(table).findByText('Dan Dev')).toBeTruthy();
    const sent = calls.filter((c) => c.cmd === 'correct_dated').at(-1)!.args;
    expect(sent).toEqual({ id: 9, correction: { kind: 'approval', input: { approved_on: '2026-04-08', approver_id: 2, next_review_due: '' } } });
  });
});
