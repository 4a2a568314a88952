import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import AccessReviews from './AccessReviews.svelte';
import { backend, validation } from '../../test/backend';
import { evidenceFile } from '../../test/fixtures';
import { refusedWith } from '../../test/forms';

const file = evidenceFile({ id: 21, sha256: 'cd'.repeat(32), file_name: 'aws-users-q3.csv', size: 900, effective_date: '2026-09-15', activity_id: null });

const review = (evidence: unknown[]) => ({
  id: 5,
  system: { id: 3, name: 'AWS' },
  reviewer: { id: 2, name: 'Ann Lee' },
  performed_on: '2026-09-15',
  period_start: '2026-07-01',
  period_end: '2026-09-30',
  accounts_reviewed: 12,
  accounts_changed: 1,
  findings: '',
  changes: [],
  evidence,
  archived: false,
  created_at: '',
});

describe('Access reviews', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('adds a reference as evidence of a review, showing a refused field next to it, and withdraws a file', async () => {
    let evidence: Record<string, unknown>[] = [file];
    const calls = backend({
      list_access_reviews: () => [review(evidence)],
      access_review_detail: () => ({ review: review(evidence), history: [] }),
      list_systems: () => [],
      list_people: () => [{ id: 2, name: 'Ann Lee', email: '', role: '', start_date: null, end_date: null, archived: false, created_at: '', updated_at: '' }],
      add_evidence_reference: (a) => {
        const input = a.input as { reference: string; description: string; effective_date: string; added_by: number | null };
        if (input.description === '') throw validation({ description: 'What it shows is required.' });
        const added = { ...file, id: 22, sha256: null, file_name: '', reference: input.reference, description: input.description, size: 0 };
        evidence = [added, ...evidence];
        return added;
      },
      withdraw_evidence: (a) => {
        evidence = evidence.map((e) => (e.id === a.id ? { ...e, removed_at: '2026-11-26T09:00:00Z', removed_reason: a.reason } : e));
        return evidence.find((e) => e.id === a.id);
      },
    });
    render(AccessReviews);
    await userEvent.click(await screen.findByRole('button', { name: '2026-09-15' }));
    const panel = await screen.findByRole('complementary', { name: 'Access review' });
    expect(within(panel).getByRole('table', { name: 'Evidence of this review' }).textContent).toContain('aws-users-q3.csv');

    const form = within(panel).getByRole('form', { name: 'Add a reference' });
    expect((within(form).getByLabelText('Effective date') as HTMLInputElement).value).toBe('2026-09-15');
    await userEvent.type(within(form).getByLabelText('Reference'), 'JIRA-88');
    await userEvent.selectOptions(within(form).getByLabelText('Added by'), 'Ann Lee');
    const detailsBefore = calls.filter((c) => c.cmd === 'access_review_detail').length;
    await refusedWith(form, 'Add reference', 'What it shows is required.');
    expect(within(form).getByLabelText('What it shows').getAttribute('aria-invalid')).toBe('true');
    expect((within(form).getByLabelText('Reference') as HTMLInputElement).value).toBe('JIRA-88');
    expect(calls.filter((c) => c.cmd === 'access_review_detail').length).toBe(detailsBefore);

    await userEvent.type(within(form).getByLabelText('What it shows'), 'The approval of the removals');
    await userEvent.click(within(form).getByRole('button', { name: 'Add reference' }));
    await waitFor(() => expect(within(panel).getByTestId('evidence-22').textContent).toContain('JIRA-88'));
    expect(calls.filter((c) => c.cmd === 'add_evidence_reference').at(-1)?.args).toEqual({
      target: { kind: 'access_review', id: 5 },
      input: { reference: 'JIRA-88', description: 'The approval of the removals', effective_date: '2026-09-15', expires_on: '', added_by: 2 },
    });

    await userEvent.click(within(within(panel).getByTestId('evidence-21')).getByRole('button', { name: 'Withdraw' }));
    await userEvent.type(within(panel).getByLabelText('Why withdraw it'), 'Export of the wrong account');
    await userEvent.click(within(panel).getByRole('button', { name: 'Withdraw evidence' }));
    await waitFor(() => expect(within(panel).getByTestId('evidence-21').textContent).toContain('Withdrawn on 2026-11-26: Export of the wrong account'));
    expect(calls.some((c) => c.cmd === 'open_evidence')).toBe(false);
  });
});
