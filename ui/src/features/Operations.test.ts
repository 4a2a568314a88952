import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn(async () => () => {}) }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import AccessReviews from './access_reviews/AccessReviews.svelte';
import ChangeForm from './changes/ChangeForm.svelte';
import Training from './training/Training.svelte';
import { backend, validation } from '../test/backend';

const person = (id: number, name: string) => ({
  id,
  name,
  email: `${name.toLowerCase()}@acme.test`,
  role: '',
  start_date: null,
  end_date: null,
  archived: false,
  created_at: '',
  updated_at: '',
});

const review = (id: number, archived: boolean) => ({
  id,
  system: { id: 4, name: 'AWS' },
  reviewer: null,
  performed_on: '2026-10-05',
  period_start: null,
  period_end: null,
  accounts_reviewed: 3,
  accounts_changed: 0,
  findings: '',
  changes: [],
  evidence: [],
  archived,
  created_at: '',
});

const system = { id: 4, name: 'AWS', criticality: 'critical', in_scope: true, gaps: [], data_types: [], certificates: [] };

/** Opens a new access review for AWS on 2026-10-05 and picks the previous and the current
 *  export (the backend's choose_evidence_file answers with each in turn). */
async function startReview() {
  render(AccessReviews);
  await userEvent.click(await screen.findByRole('button', { name: 'Record the first review' }));
  await userEvent.selectOptions(screen.getByLabelText('System'), '4');
  await userEvent.type(screen.getByLabelText('Performed on'), '2026-10-05');
  await userEvent.click(screen.getByLabelText('Previous export'));
  await userEvent.click(screen.getByLabelText('Current export'));
}

describe('Access reviews', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('compares two access lists picked in the dialog (by token, never their bytes), shows the difference and keeps the current one with the review', async () => {
    const picks = [
      { token: 'p1', name: 'q3.csv', size: 25 },
      { token: 'p2', name: 'q4.csv', size: 25 },
    ];
    const calls = backend({
      choose_evidence_file: () => picks.shift(),
      stage_evidence_file: (a) => ({ token: a.token, name: 'q4.csv', size: 25 }),
      list_access_reviews: () => [],
      list_systems: () => [system],
      list_people: () => [person(1, 'Rita')],
      diff_access_lists: () => ({
        previous_accounts: 3,
        current_accounts: 3,
        unchanged: 1,
        changes: [
          { username: 'dave', change: 'added', old_role: '', new_role: 'support' },
          { username: 'carol', change: 'removed', old_role: 'support', new_role: '' },
          { username: 'bob', change: 'role_changed', old_role: 'developer', new_role: 'admin' },
        ],
        errors: [],
      }),
      create_access_review: (a) => ({
        id: 9,
        system: { id: 4, name: 'AWS' },
        reviewer: null,
        performed_on: (a.input as { performed_on: string }).performed_on,
        period_start: null,
        period_end: null,
        accounts_reviewed: 3,
        accounts_changed: 3,
        findings: '',
        changes: (a.input as { changes: unknown[] }).changes,
        evidence: [],
        archived: false,
        created_at: '',
      }),
      access_review_detail: () => ({ review: review(9, false), history: [] }),
    });
    await startReview();
    expect((await screen.findByTestId('ar-current-chosen')).textContent).toContain('q4.csv');
    await userEvent.click(screen.getByRole('button', { name: 'Compare lists' }));
    const summary = await screen.findByTestId('diff-summary');
    expect(summary.textContent).toContain('1 added');
    expect(summary.textContent).toContain('1 removed');
    expect(summary.textContent).toContain('1 role changed');
    const table = screen.getByRole('table', { name: 'Account differences' });
    expect(within(table).getByText('bob').closest('tr')?.textContent).toContain('developer');
    expect((screen.getByLabelText('Accounts reviewed') as HTMLInputElement).value).toBe('3');
    await userEvent.click(screen.getByRole('button', { name: 'Save review' }));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'create_access_review')).toBe(true));
    expect(calls.find((c) => c.cmd === 'diff_access_lists')!.args).toEqual({ previous: 'p1', current: 'p2' });
    expect(calls.find((c) => c.cmd === 'stage_evidence_file')!.args.token).toBe('p2');
    const sent = calls.find((c) => c.cmd === 'create_access_review')?.args as { input: { changes: unknown[]; system_id: number }; staged: string };
    expect(sent.input.system_id).toBe(4);
    expect(sent.input.changes).toHaveLength(3);
    expect(sent.staged).toBe('p2');
  });

  it('drops a comparison when another file is chosen, and keeps the current export as evidence even uncompared', async () => {
    const picks = [
      { token: 'p1', name: 'q3.csv', size: 25 },
      { token: 'p2', name: 'q4.csv', size: 25 },
      { token: 'p3', name: 'q4-final.csv', size: 26 },
    ];
    const calls = backend({
      list_access_reviews: () => [],
      list_systems: () => [system],
      list_people: () => [],
      choose_evidence_file: () => picks.shift(),
      diff_access_lists: () => ({ previous_accounts: 1, current_accounts: 1, unchanged: 1, changes: [], errors: [] }),
      stage_evidence_file: (a) => ({ token: a.token, name: 'q4-final.csv', size: 26 }),
      create_access_review: () => ({ ...review(9, false), changes: [] }),
      access_review_detail: () => ({ review: review(9, false), history: [] }),
    });
    await startReview();
    await screen.findByTestId('ar-current-chosen');
    await userEvent.click(screen.getByRole('button', { name: 'Compare lists' }));
    await screen.findByTestId('diff-summary');
    // Another current export: the comparison was of the other file, so it goes.
    await userEvent.click(screen.getByLabelText('Current export'));
    await waitFor(() => expect(screen.queryByTestId('diff-summary')).toBeNull());
    await userEvent.click(screen.getByRole('button', { name: 'Save review' }));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'create_access_review')).toBe(true));
    const sent = calls.find((c) => c.cmd === 'create_access_review')!.args as { input: { changes: unknown[] }; staged: string };
    expect(sent.staged).toBe('p3');
    expect(sent.input.changes).toEqual([]);
  });

  it('opens a review with its history, archives it, and shows archived reviews on request', async () => {
    let archived = false;
    const calls = backend({
      list_access_reviews: (a) => (archived && !a.includeArchived ? [] : [review(9, archived)]),
      list_systems: () => [system],
      list_people: () => [],
      access_review_detail: () => ({
        review: review(9, archived),
        history: [{ id: 1, at: '2026-10-05T09:00:00Z', action: 'create', changes: [] }],
      }),
      set_access_review_archived: (a) => {
        archived = a.archived as boolean;
        return review(9, archived);
      },
    });
    render(AccessReviews);
    await userEvent.click(await screen.findByRole('button', { name: '2026-10-05' }));
    const panel = screen.getByRole('complementary', { name: 'Access review' });
    expect(within(panel).getByRole('list', { name: 'History' }).textContent).toContain('Created');
    await userEvent.click(within(panel).getByRole('button', { name: 'Archive' }));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'set_access_review_archived' && c.args.archived === true)).toBe(true));
    await waitFor(() => expect(screen.queryByRole('table', { name: 'Access reviews' })).toBeNull());
    expect(await within(panel).findByRole('button', { name: 'Restore' })).toBeTruthy();
    await userEvent.click(screen.getByLabelText('Show archived'));
    const table = await screen.findByRole('table', { name: 'Access reviews' });
    expect(within(table).getByText('Archived')).toBeTruthy();
  });
});

const course = { id: 1, name: 'Security awareness', description: '', validity_days: 365, required: true, completions: 1, archived: false };

describe('Training', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('shows each person with their status and filters by it', async () => {
    const standing = (state: string, due: string) => [{ course_id: 1, course: 'Security awareness', last_completed: null, due, state }];
    backend({
      training_overview: () => ({
        courses: [{ id: 1, name: 'Security awareness', description: '', validity_days: 365, required: true, completions: 1, archived: false }],
        people: [
          { person: { id: 1, name: 'Ann' }, role: '', start_date: null, state: 'current', courses: standing('current', '2027-11-20') },
          { person: { id: 2, name: 'Cal' }, role: '', start_date: '2026-11-10', state: 'new_hire_overdue', courses: standing('new_hire_overdue', '2026-11-17') },
        ],
        current: 1,
        due_soon: 0,
        overdue: 0,
        new_hire_overdue: 1,
      }),
      list_completions: () => [],
      list_courses: () => [course],
    });
    render(Training);
    const rows = await screen.findAllByTestId('training-row');
    expect(rows).toHaveLength(2);
    expect(rows[1].textContent).toContain('New hire, not trained within 7 days');
    expect(rows[1].textContent).toContain('2026-11-17');
    await userEvent.click(screen.getByRole('button', { name: /new hires not trained in 7 days/ }));
    expect(screen.getAllByTestId('training-row')).toHaveLength(1);
  });

  it('edits a course, shows its history and archives it', async () => {
    let current = { ...course };
    const calls = backend({
      training_overview: () => ({ courses: [current], people: [], current: 0, due_soon: 0, overdue: 0, new_hire_overdue: 0 }),
      list_completions: () => [],
      list_courses: () => [current],
      course_history: () => [{ id: 1, at: '2026-01-05T09:00:00Z', action: 'create', changes: [] }],
      update_course: (a) => {
        const input = a.input as { validity_days: number };
        current = { ...current, validity_days: input.validity_days };
        return current;
      },
      set_course_archived: (a) => (current = { ...current, archived: a.archived as boolean }),
    });
    render(Training);
    await userEvent.click(await screen.findByRole('button', { name: 'Edit Security awareness' }));
    const panel = screen.getByRole('complementary', { name: 'Edit course' });
    expect(await within(panel).findByText('Created')).toBeTruthy();
    const days = within(panel).getByLabelText('Valid for (days)');
    await userEvent.clear(days);
    await userEvent.type(days, 'often');
    await userEvent.click(within(panel).getByRole('button', { name: 'Save course' }));
    expect(within(panel).getByText('Give a whole number of days (365: yearly).')).toBeTruthy();
    expect(calls.some((c) => c.cmd === 'update_course')).toBe(false);
    await userEvent.clear(days);
    await userEvent.type(days, '180');
    await userEvent.click(within(panel).getByRole('button', { name: 'Save course' }));
    await waitFor(() => expect(calls.find((c) => c.cmd === 'update_course')?.args).toMatchObject({ id: 1, input: { validity_days: 180 } }));
    const courses = await screen.findByRole('table', { name: 'Courses' });
    await waitFor(() => expect(within(courses).getByText('180 days')).toBeTruthy());
    await userEvent.click(screen.getByRole('button', { name: 'Edit Security awareness' }));
    await userEvent.click(screen.getByRole('button', { name: 'Archive' }));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'set_course_archived' && c.args.archived === true)).toBe(true));
  });
});

describe('Change form', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('shows the approver error next to the field when the author approves their own change', async () => {
    backend({
      list_people: () => [person(1, 'Dan'), person(2, 'Lee')],
      list_systems: () => [system],
      create_change: () => {
        throw validation({ approver_id: 'The approver must be someone other than the author: nobody approves their own change.' });
      },
    });
    const onsaved = vi.fn();
    render(ChangeForm, { change: null, onsaved, oncancel: () => {} });
    await userEvent.type(screen.getByLabelText('Title'), 'Rotate credentials');
    await waitFor(() => expect(screen.getAllByRole('option', { name: 'Dan' }).length).toBe(2));
    await userEvent.selectOptions(screen.getByLabelText('Author'), '1');
    await userEvent.selectOptions(screen.getByLabelText('Approver'), '1');
    await userEvent.click(screen.getByRole('button', { name: 'Save change' }));
    await screen.findByText(/nobody approves their own change/);
    expect(screen.getByLabelText('Approver').getAttribute('aria-invalid')).toBe('true');
    expect(onsaved).not.toHaveBeenCalled();
  });
});
