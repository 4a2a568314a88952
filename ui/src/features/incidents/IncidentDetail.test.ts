import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import IncidentDetail from './IncidentDetail.svelte';
import { backend, validation } from '../../test/backend';
import { refusedWith } from '../../test/forms';

const note = { required: false, deadline: null, done_at: null, overdue: false };
const incident = {
  id: 4,
  reference: 'INC-0004',
  title: 'Mailbox takeover',
  summary: '',
  detected_at: '2026-04-29 08:15',
  reported_by: null,
  severity: 'sev2',
  status: 'contained',
  contained_at: '2026-04-29 09:45',
  closed_at: null,
  minutes_to_contain: 90,
  minutes_to_close: null,
  affected_systems: [],
  affected_data: '',
  personal_data: false,
  root_cause: '',
  lessons_learned: '',
  customers: note,
  regulator: note,
  insurer: note,
  risks: [],
  controls: [],
  archived: false,
  created_at: '',
  updated_at: '',
};
const entry = (id: number, at: string, what: string, withdrawn: { at: string; reason: string } | null = null) => ({ id, at, what, who: '', withdrawn });

describe('An incident timeline', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('corrects an entry in a dialog (a refused time shown on its field) and shows a withdrawn one struck through with its reason', async () => {
    let timeline = [entry(1, '2026-04-29 18:20', 'Password reset'), entry(2, '2026-04-29 09:00', 'Wrong incident', { at: '2026-04-30T10:00:00Z', reason: 'Belongs to INC-0003' })];
    let attempts = 0;
    const calls = backend({
      incident_detail: () => ({ incident, timeline, history: [] }),
      list_actions: () => ({ total: 0, rows: [] }),
      correct_dated: (a) => {
        attempts += 1;
        if (attempts === 1) throw validation({ at: 'When cannot be in the future.' });
        const input = (a.correction as { input: { at: string; what: string; who: string } }).input;
        timeline = [{ ...timeline[0], ...input }, timeline[1]];
        return true;
      },
    });
    render(IncidentDetail, { id: 4 });
    const section = await screen.findByRole('region', { name: 'Timeline' });
    const withdrawn = (await within(section).findByText('Wrong incident')).closest('li')!;
    expect(withdrawn.classList.contains('withdrawn')).toBe(true);
    expect(within(withdrawn).getByText(/Belongs to INC-0003/)).toBeTruthy();
    expect(within(withdrawn).queryByRole('button', { name: /Correct/ })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Correct timeline entry of 2026-04-29 18:20' }));
    const form = screen.getByRole('form', { name: 'Correct the timeline entry of 2026-04-29 18:20' });
    const when = within(form).getByLabelText('When') as HTMLInputElement;
    expect(when.value).toBe('2026-04-29 18:20');
    expect((within(form).getByLabelText('What happened') as HTMLInputElement).value).toBe('Password reset');
    await refusedWith(form, 'Save correction', 'When cannot be in the future.');
    await userEvent.clear(when);
    await userEvent.type(when, '2026-04-29 08:20');
    await userEvent.type(within(form).getByLabelText('Who'), 'Ben');
    await userEvent.click(within(form).getByRole('button', { name: 'Save correction' }));
    expect(await screen.findByText('2026-04-29 08:20')).toBeTruthy();
    const sent = calls.filter((c) => c.cmd === 'correct_dated').at(-1)!.args;
    expect(sent).toEqual({ id: 1, correction: { kind: 'timeline_entry', input: { at: '2026-04-29 08:20', what: 'Password reset', who: 'Ben' } } });
  });
});
