import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ExerciseView from './ExerciseView.svelte';
import { backend, validation } from '../../test/backend';
import { refusedWith, retype } from '../../test/forms';

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
    archived: false,
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
    roles: [
      { name: 'Facilitator', role: 'facilitator', brief: '' },
      { name: 'Engineering lead', role: 'player', brief: '' },
      { name: 'CEO', role: 'player', brief: '' },
    ],
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
    await refusedWith(form, 'Record as held', 'Held on is required.');
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

describe('Changing a plan before the exercise starts', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('opens the plan as it stands, shows a refused date on its field, saves the new date and participants, then archives it', async () => {
    let current = exercise();
    const calls = backend({
      exercise_detail: () => current,
      list_people: () => [person(1, 'Ana Lead'), person(2, 'Ben Eng'), person(3, 'Cy Ceo')],
      update_exercise_plan: (a) => {
        const input = a.input as { planned_on: string; participants: { person_id: number; role: string }[] };
        if (!/^\d{4}-\d{2}-\d{2}$/.test(input.planned_on)) throw validation({ planned_on: 'Date must be a date (YYYY-MM-DD).' });
        current = exercise({ planned_on: input.planned_on });
        return current;
      },
      set_exercise_archived: (a) => {
        current = exercise({ archived: a.archived });
        return current;
      },
    });
    render(ExerciseView, { id: 4 });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit plan' }));
    const form = screen.getByRole('form', { name: 'Change the plan' });
    const date = within(form).getByLabelText('Date') as HTMLInputElement;
    expect(date.value).toBe('2026-10-20');
    expect((within(form).getByLabelText('Role of Cy Ceo') as HTMLSelectElement).value).toBe('CEO');
    await retype(date, 'next week');
    await refusedWith(form, 'Save plan', 'Date must be a date (YYYY-MM-DD).');
    await retype(date, '2026-11-03');
    await userEvent.click(within(form).getByLabelText('Cy Ceo'));
    await userEvent.click(within(form).getByRole('button', { name: 'Save plan' }));
    const sent = calls.filter((c) => c.cmd === 'update_exercise_plan').at(-1)!.args;
    expect(sent).toEqual({
      id: 4,
      input: { title: 'Ransomware drill', planned_on: '2026-11-03', facilitator_id: 1, participants: [{ person_id: 2, role: 'Engineering lead' }] },
    });
    expect(await screen.findByText(/2026-11-03/)).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Change the plan' })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Archive' }));
    expect(await screen.findByTestId('exercise-archived')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start exercise' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Restore' })).toBeTruthy();
  });
});
