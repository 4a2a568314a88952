import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import EvidenceList from './EvidenceList.svelte';
import ReferenceForm from './ReferenceForm.svelte';
import { backend, validation } from '../../test/backend';
import { notices } from '$lib/notices.svelte';
import type { Evidence } from '$lib/api';
import { evidenceFile, evidenceReference } from '../../test/fixtures';
import { refusedWith } from '../../test/forms';

const file = (extra: Partial<Evidence> = {}) => evidenceFile({ added_by: { id: 2, name: 'Ann Lee' }, ...extra });
const reference = (extra: Partial<Evidence> = {}) => file({ ...evidenceReference(), description: 'The review ticket, closed by Ann', ...extra });

describe('Evidence list', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    notices.splice(0);
  });

  it('shows a reference as written, never opening it as a file, and withdrawn evidence struck through', async () => {
    const calls = backend({ open_evidence: () => null });
    render(EvidenceList, {
      props: {
        label: 'Evidence',
        evidence: [
          reference(),
          file({ id: 11, file_name: 'old-export.csv', removed_at: '2026-09-02T08:15:00Z', removed_reason: 'Wrong system exported' }),
          file(),
        ],
      },
    });
    const table = screen.getByRole('table', { name: 'Evidence' });
    const ref = within(table).getByTestId('evidence-10');
    expect(ref.textContent).toContain('https://tickets.example.com/OPS-142');
    expect(ref.textContent).toContain('The review ticket, closed by Ann');
    expect(within(ref).queryByRole('button')).toBeNull();
    expect(within(ref).queryByRole('link')).toBeNull();
    const withdrawn = within(table).getByTestId('evidence-11');
    expect(withdrawn.textContent).toContain('Withdrawn on 2026-09-02: Wrong system exported · not counted');
    expect(withdrawn.querySelector('s')?.textContent).toBe('old-export.csv');
    // Without `onchanged` nothing can be withdrawn here.
    expect(within(table).queryByRole('button', { name: 'Withdraw' })).toBeNull();
    await userEvent.click(within(table).getByRole('button', { name: 'users-q3.csv' }));
    expect(calls.map((c) => c.cmd)).toEqual(['open_evidence']);
    expect(calls[0].args).toEqual({ id: 9 });
  });

  it('withdraws an item with a reason, refusing an empty reason next to its field', async () => {
    const onchanged = vi.fn();
    const calls = backend({
      withdraw_evidence: (a) => {
        if ((a.reason as string).trim() === '') throw validation({ reason: 'Reason is required.' });
        return file({ removed_at: '2026-11-26T09:00:00Z', removed_reason: a.reason as string });
      },
    });
    render(EvidenceList, {
      props: { label: 'Evidence', evidence: [file(), file({ id: 11, removed_at: '2026-09-02T08:15:00Z', removed_reason: 'Wrong file' })], onchanged },
    });
    // Only what still counts can be withdrawn.
    expect(within(screen.getByTestId('evidence-11')).queryByRole('button', { name: 'Withdraw' })).toBeNull();
    await userEvent.click(within(screen.getByTestId('evidence-9')).getByRole('button', { name: 'Withdraw' }));
    const form = screen.getByRole('form', { name: 'Withdraw users-q3.csv' });
    await refusedWith(form, 'Withdraw evidence', 'Reason is required.');
    expect(within(form).getByLabelText('Why withdraw it').getAttribute('aria-invalid')).toBe('true');
    expect(onchanged).not.toHaveBeenCalled();
    expect(screen.getByTestId('evidence-9').textContent).not.toContain('Withdrawn');

    await userEvent.type(within(form).getByLabelText('Why withdraw it'), 'Exported from the wrong system');
    await userEvent.click(within(form).getByRole('button', { name: 'Withdraw evidence' }));
    expect(onchanged).toHaveBeenCalledTimes(1);
    expect(calls.at(-1)).toEqual({ cmd: 'withdraw_evidence', args: { id: 9, reason: 'Exported from the wrong system' } });
    expect(screen.queryByRole('form', { name: 'Withdraw users-q3.csv' })).toBeNull();
  });

  it('says so when the item was withdrawn meanwhile', async () => {
    const onchanged = vi.fn();
    backend({
      withdraw_evidence: () => {
        throw { code: 'conflict', message: 'This evidence was already withdrawn.', fields: [] };
      },
    });
    render(EvidenceList, { props: { label: 'Evidence', evidence: [file()], onchanged } });
    await userEvent.click(screen.getByRole('button', { name: 'Withdraw' }));
    await userEvent.type(screen.getByLabelText('Why withdraw it'), 'Duplicate');
    await userEvent.click(screen.getByRole('button', { name: 'Withdraw evidence' }));
    expect(notices.at(-1)).toMatchObject({ kind: 'error', text: 'This evidence was already withdrawn.' });
    expect(onchanged).not.toHaveBeenCalled();
  });
});

describe('Reference form', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('adds a reference to its record and shows a bad field next to it', async () => {
    const onadded = vi.fn();
    const calls = backend({
      add_evidence_reference: (a) => {
        const input = a.input as { effective_date: string; reference: string };
        if (input.effective_date > '2026-11-26')
          throw validation({ effective_date: 'Evidence counts from when the activity happened, which cannot be in the future.' });
        return reference({ reference: input.reference });
      },
    });
    render(ReferenceForm, { props: { id: 'ref', target: { kind: 'access_review', id: 5 }, effective: '2026-08-31', onadded } });
    expect((screen.getByLabelText('Effective date') as HTMLInputElement).value).toBe('2026-08-31');
    await userEvent.type(screen.getByLabelText('Reference'), 'OPS-142');
    await userEvent.type(screen.getByLabelText('What it shows'), 'The review ticket');
    await userEvent.clear(screen.getByLabelText('Effective date'));
    await userEvent.type(screen.getByLabelText('Effective date'), '2099-01-01');
    await userEvent.click(screen.getByRole('button', { name: 'Add reference' }));
    expect(await screen.findByText('Evidence counts from when the activity happened, which cannot be in the future.')).toBeTruthy();
    expect(screen.getByLabelText('Effective date').getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByLabelText('Reference') as HTMLInputElement).value).toBe('OPS-142');
    expect(onadded).not.toHaveBeenCalled();

    await userEvent.clear(screen.getByLabelText('Effective date'));
    await userEvent.type(screen.getByLabelText('Effective date'), '2026-08-31');
    await userEvent.click(screen.getByRole('button', { name: 'Add reference' }));
    expect(onadded).toHaveBeenCalledTimes(1);
    expect(calls.at(-1)?.args).toEqual({
      target: { kind: 'access_review', id: 5 },
      input: { reference: 'OPS-142', description: 'The review ticket', effective_date: '2026-08-31', expires_on: '', added_by: null },
    });
    expect((screen.getByLabelText('Reference') as HTMLInputElement).value).toBe('');
  });
});
