import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import DataTypeDetail from './DataTypeDetail.svelte';
import { backend, validation } from '../../test/backend';
import { refusedWith, retype } from '../../test/forms';

const dataType = {
  id: 3,
  name: 'Support tickets',
  description: '',
  retention_unit: 'months',
  retention_value: 12,
  retention: '12 months',
  legal_basis: '',
  disposal_method: 'Delete in Zendesk',
  disposal_cadence: 'monthly',
  systems: [],
  last_disposal: '2026-03-01',
  next_disposal_due: '2026-04-01',
  disposal_overdue: false,
  archived: false,
  created_at: '',
  updated_at: '',
};

// Rita has left and is no longer offered, but the disposal she did still names her.
const disposal = (withdrawn: { at: string; reason: string } | null) => ({
  id: 7,
  performed_on: '2026-03-01',
  performed_by: { id: 2, name: 'Rita' },
  what: 'Old tickets',
  evidence: [],
  withdrawn,
});

describe('Correcting and withdrawing a disposal', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('opens the record in a dialog, shows a refused date on its field, then saves the correction keeping the person', async () => {
    let stored = disposal(null);
    const calls = backend({
      data_type_detail: () => ({ data_type: dataType, disposals: [stored], history: [] }),
      list_people: () => [{ id: 1, name: 'Ann' }],
      correct_dated: (a) => {
        const c = a.correction as { input: { performed_on: string; what: string } };
        if (c.input.performed_on > '2026-11-30') throw validation({ performed_on: 'A disposal cannot be recorded before it happens.' });
        stored = { ...stored, performed_on: c.input.performed_on, what: c.input.what };
        return true;
      },
    });
    render(DataTypeDetail, { props: { id: 3 } });
    await userEvent.click(await screen.findByRole('button', { name: 'Correct disposal of 2026-03-01' }));
    const form = screen.getByRole('form', { name: 'Correct the disposal of 2026-03-01' });
    const date = within(form).getByLabelText('Performed on');
    expect((date as HTMLInputElement).value).toBe('2026-03-01');
    expect((within(form).getByLabelText('Performed by') as HTMLSelectElement).value).toBe('2');
    await retype(date, '2099-01-01');
    await refusedWith(form, 'Save correction', 'A disposal cannot be recorded before it happens.');
    await retype(date, '2026-03-02');
    await userEvent.click(within(form).getByRole('button', { name: 'Save correction' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: /Correct the disposal/ })).toBeNull());
    const sent = calls.filter((c) => c.cmd === 'correct_dated').at(-1)!.args;
    expect(sent).toEqual({
      id: 7,
      correction: { kind: 'disposal', input: { performed_on: '2026-03-02', performed_by_id: 2, what: 'Old tickets' } },
    });
    expect(await screen.findByText('2026-03-02')).toBeTruthy();
  });

  it('asks for a reason before withdrawing, then shows the record struck through with it', async () => {
    let stored = disposal(null);
    const calls = backend({
      data_type_detail: () => ({ data_type: dataType, disposals: [stored], history: [] }),
      list_people: () => [],
      withdraw_dated: (a) => {
        if (!(a.reason as string).trim()) throw validation({ reason: 'Give the reason.' });
        stored = { ...stored, withdrawn: { at: '2026-11-30T10:00:00Z', reason: a.reason as string } };
        return null;
      },
    });
    render(DataTypeDetail, { props: { id: 3 } });
    await userEvent.click(await screen.findByRole('button', { name: 'Withdraw disposal of 2026-03-01' }));
    const form = screen.getByRole('form', { name: 'Withdraw the disposal of 2026-03-01' });
    await refusedWith(form, 'Withdraw', 'Give the reason.');
    await userEvent.type(within(form).getByLabelText(/Reason/), 'Wrong data type');
    await userEvent.click(within(form).getByRole('button', { name: 'Withdraw' }));
    expect(calls.filter((c) => c.cmd === 'withdraw_dated').at(-1)!.args).toEqual({ register: 'disposals', id: 7, reason: 'Wrong data type' });
    const row = (await screen.findByText(/Withdrawn .*: Wrong data type/)).closest('tr')!;
    expect(row.classList.contains('withdrawn')).toBe(true);
    expect(within(row).queryByRole('button', { name: /Correct/ })).toBeNull();
  });
});
