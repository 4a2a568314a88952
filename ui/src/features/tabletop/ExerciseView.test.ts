import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ExerciseView from './ExerciseView.svelte';
import { backend, validation } from '../../test/backend';

const person = (id: number, name: string) => ({ id, name, email: '', role: '', start_date: null, end_date: null, archived: false, created_at: '', updated_at: '' });

const exercise = (extra: Record<string, unknown> = {}) => ({
  summary: {
    id: 4,
    reference: 'TTX-004',
    title: 'Ransomware drill',
    scenario: 'ransomware',
    planned_on: '2026-10-20',
    facilitator: { id: 1, name: 'Ana Lead' },
    status: 'planned',
    attendees: 0,
    open_actions: 0,
    completed_at: null,
    held_on: null,
    recorded_afterwards: false,
    ...extra,
  },
  script: {
    format: '1',
    title: 'Ransomware',
    scenario: 'ransomware',
    summary: 'Files are encrypted.',
    duration_minutes: 60,
    ground_rules: [],
    assumptions: ['The attacker has had access for two days.'],
    artificialities: ['Time is compressed.'],
    objectives: [{ text: 'Test the restore.', criteria: ['CC7.5'], ir_plan_sections: [], evaluation: ['The team names the backup owner.'] }],
    roles: [],
    injects: [{ title: 'First signs' }],
    hot_wash: ['What went well?', 'What would you change?'],
  },
  started_at: null,
  elapsed_seconds: 0,
  current_inject: 0,
  participants: [
    { person: { id: 2, name: 'Ben Eng' }, role: 'Engineering lead', attended: false },
    { person: { id: 3, name: 'Cy Ceo' }, role: 'CEO', attended: false },
  ],
  notes: [],
  coverage: [],
  hot_wash_answers: ['', ''],
  strengths: '',
  improvements: '',
  actions: [],
  history: [],
});

describe('Exercise held without running it here', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('records the day it was held, who attended and the debrief; problems show next to their fields first', async () => {
    let current = exercise();
    const calls = backend({
      exercise_detail: () => current,
      list_people: () => [person(2, 'Ben Eng'), person(3, 'Cy Ceo')],
      record_exercise_held: (a) => {
        const input = a.input as { held_on: string; attendee_ids: number[]; debrief: { strengths: string } };
        if (input.held_on === '' || input.attendee_ids.length === 0)
          throw validation({ held_on: 'Held on is required.', attendee_ids: 'Tick who attended.' });
        current = exercise({ status: 'completed', held_on: input.held_on, recorded_afterwards: true, attendees: 1, completed_at: '2026-11-30T10:00:00Z' });
        return current;
      },
    });
    render(ExerciseView, { id: 4 });
    // The briefing before the run: how each objective is judged, and what the scenario assumes.
    expect((await screen.findByTestId('objectives')).textContent).toMatch(/Met when:\s*The team names the backup owner./);
    expect(screen.getByTestId('assumptions').textContent).toBe('The attacker has had access for two days.');
    expect(screen.getByText('Time is compressed.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Participant handout (PDF)' })).toBeTruthy();
    await userEvent.click(await screen.findByRole('button', { name: 'Record as already held' }));
    const form = screen.getByRole('form', { name: 'Exercise held' });
    await userEvent.click(within(form).getByRole('button', { name: 'Record as held' }));
    expect(await within(form).findByText('Held on is required.')).toBeTruthy();
    expect(within(form).getByText('Tick who attended.')).toBeTruthy();

    await userEvent.type(within(form).getByLabelText('Held on'), '2026-10-20');
    await userEvent.click(within(form).getByLabelText(/Ben Eng/));
    await userEvent.type(within(form).getByLabelText('What went well?'), 'Quick escalation');
    await userEvent.type(within(form).getByLabelText('Strengths'), 'Clear roles');
    await userEvent.type(within(form).getByLabelText('Areas for improvement'), 'Test restores');
    await userEvent.click(within(form).getByRole('button', { name: 'Record as held' }));

    const sent = calls.filter((c) => c.cmd === 'record_exercise_held').at(-1)!.args;
    expect(sent).toEqual({
      id: 4,
      input: {
        held_on: '2026-10-20',
        attendee_ids: [2],
        notes: '',
        debrief: { hot_wash_answers: ['Quick escalation', ''], strengths: 'Clear roles', improvements: 'Test restores' },
      },
    });
    expect((await screen.findByTestId('exercise-status')).textContent).toBe('Completed');
    expect(screen.getByTestId('recorded-afterwards').textContent).toBe('(recorded afterwards, on 2026-11-30)');
    expect(screen.queryByRole('form', { name: 'Exercise held' })).toBeNull();
  });
});
