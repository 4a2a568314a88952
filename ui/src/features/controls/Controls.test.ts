import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Controls from './Controls.svelte';
import ControlDetail from './ControlDetail.svelte';
import ControlForm from './ControlForm.svelte';
import { backend, validation } from '../../test/backend';
import { evidenceFile } from '../../test/fixtures';
import type { Evidence } from '$lib/api';
import { nav } from '$lib/nav.svelte';
import { refusedWith } from '../../test/forms';

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
  sources: [],
  last_performed: null,
  next_due: null,
  archived: false,
  created_at: '2026-11-26T09:30:00Z',
  updated_at: '2026-11-26T09:30:00Z',
  ...extra,
});

const notImplemented = {
  control: { kind: 'controls', id: 7, reference: 'AC-05', title: 'Title AC-05' },
  cadence: 'quarterly',
  criteria: ['CC6.1', 'CC6.3'],
  sources: [],
  implemented: false,
  periods: [],
  rule: 'Not implemented on this date: no periods are judged.',
};

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

  it('tags the controls the checks find failing or due soon, and filters to them', async () => {
    const calls = backend({
      list_controls: (a) => {
        const q = a.query as { attention?: string };
        const all = [control(1, 'AC-01', { status: 'implemented' }), control(2, 'AC-02', { status: 'implemented' }), control(3, 'AC-03')];
        return q.attention === 'overdue' ? { total: 1, rows: [all[0]] } : { total: 3, rows: all };
      },
      starter_controls_summary: () => ({ total: 90, missing: 0 }),
      attention_records: () => [
        { id: 1, overdue: true, since: '2026-10-20', due: null, problems: ['No occurrence in 2026-07-01 to 2026-09-30.'] },
        { id: 2, overdue: false, since: null, due: '2026-12-15', problems: ['AC-02 is due on 2026-12-15.'] },
      ],
    });
    render(Controls);
    const table = await screen.findByRole('table', { name: 'Controls' });
    await waitFor(() => expect(within(table).getAllByTestId('control-attention')).toHaveLength(2));
    const tags = within(table).getAllByTestId('control-attention').map((t) => t.textContent);
    expect(tags).toEqual(['Failing', 'Due 2026-12-15']);
    // The implemented but failing control is not shown as on track alone.
    const row1 = within(table).getByText('AC-01').closest('tr')!;
    expect(row1.textContent).toContain('Implemented');
    expect(row1.textContent).toContain('Failing');
    const row3 = within(table).getByText('AC-03').closest('tr')!;
    expect(within(row3).queryByTestId('control-attention')).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Filter by what needs attention'), 'overdue');
    await waitFor(() => expect(screen.getByTestId('controls-count').textContent).toBe('1 control'));
    const last = calls.filter((c) => c.cmd === 'list_controls').at(-1)?.args.query as Record<string, unknown>;
    expect(last.attention).toBe('overdue');
    expect(within(screen.getByRole('table', { name: 'Controls' })).queryByText('AC-02')).toBeNull();
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
      control_timeline: () => notImplemented,
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
      control_detail: () => ({
        control: control(7, 'AC-05'),
        activities: [],
        evidence: [],
        history: [],
        guide: { role: 'security_lead', role_title: 'Security Lead', test: 'Inquiry: ask who reviews. Sample: quarterly control, 2.', evidence: 'The review record with the user list.' },
      }),
      list_people: () => [],
      list_actions: () => ({ total: 0, rows: [] }),
      control_timeline: () => notImplemented,
      add_control_activity: () => {
        throw validation({ performed_on: 'An activity cannot be recorded before it happens.' });
      },
    });
    render(ControlDetail, { props: { id: 7 } });
    // A starter control says how it is tested and what to keep.
    const guide = await screen.findByRole('region', { name: 'How an auditor tests it' });
    expect(guide.textContent).toContain('Usually owned by the Security Lead.');
    expect(screen.getByTestId('guide-test').textContent).toBe('Inquiry: ask who reviews. Sample: quarterly control, 2.');
    expect(screen.getByTestId('guide-evidence').textContent).toBe('The review record with the user list.');
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
      list_actions: () => ({ total: 0, rows: [] }),
      control_timeline: () => notImplemented,
    });
    render(ControlDetail, { props: { id: 7 } });
    await waitFor(() => expect(screen.getByTestId('next-due').textContent?.trim()).toBe('2026-11-30'));
    expect(within(screen.getByRole('table', { name: 'Activities' })).getByText('Ann Lee')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'History' })).getByText(/not_started → in_progress/)).toBeTruthy();
    const files = screen.getByRole('table', { name: 'Evidence files' });
    expect(within(files).getByText('2.0 KB')).toBeTruthy();
  });
});

const q = (start: string, end: string, state: string, extra: Record<string, unknown> = {}) => ({
  period: { start, end },
  state,
  occurrences: [],
  occurrence_count: Array.isArray(extra.occurrences) ? extra.occurrences.length : 0,
  events: 0,
  events_met: 0,
  problem: '',
  exception: null,
  response: null,
  ...extra,
});
const activity = { id: 1, performed_on: '2026-02-10', performed_by: { id: 2, name: 'Ann Lee' }, notes: 'Q1 review', created_at: '' };
const evidenceOf = (id: number, extra: Partial<Evidence> = {}) => evidenceFile({ id, file_name: `file-${id}.csv`, size: 10, effective_date: '2026-02-10', ...extra });
const people = [{ id: 2, name: 'Ann Lee', email: '', role: '', start_date: null, end_date: null, archived: false, created_at: '', updated_at: '' }];

describe('Control periods', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  /** A quarterly control of a Type II window: Q1 met, Q2 missed (an access review without evidence). */
  const timeline = (answered: boolean) => ({
    control: { kind: 'controls', id: 7, reference: 'AC-05', title: 'Title AC-05' },
    cadence: 'quarterly',
    criteria: ['CC6.2'],
    sources: ['access_reviews'],
    implemented: true,
    rule: 'One occurrence with evidence every quarter of the window.',
    periods: [
      q('2026-01-01', '2026-03-31', 'met', {
        occurrences: [{ on: '2026-02-10', what: 'Activity: Q1 review', record: { kind: 'controls', id: 7, reference: 'AC-05', title: 'Title AC-05' }, evidence: 1, counted: true }],
        occurrence_count: 25,
      }),
      q('2026-04-01', '2026-06-30', 'missed', {
        occurrences: [{ on: '2026-05-03', what: 'Access review of AWS', record: { kind: 'systems', id: 3, reference: '', title: 'AWS' }, evidence: 0, counted: false }],
        problem: 'Access review of AWS on 2026-05-03 has no evidence.',
        exception: 'coverage:controls:7:2026-04-01',
        response: answered
          ? { management_response: 'The export was lost.', remediation: 'Exports go to the drive.', responded_by: null, action_id: null, recorded_at: '2026-11-26T09:00:00Z' }
          : null,
      }),
      q('2026-07-01', '2026-09-30', 'due', { problem: 'No occurrence yet this quarter.' }),
      q('2026-10-01', '2026-12-31', 'not_yet'),
    ],
  });

  it('shows each period with its occurrences, and records the occurrence or an exception for a missed one', async () => {
    let answered = false;
    const calls = backend({
      control_detail: () => ({ control: control(7, 'AC-05', { status: 'implemented' }), activities: [activity], evidence: [evidenceOf(4)], history: [] }),
      control_timeline: () => timeline(answered),
      list_people: () => people,
      list_actions: () => ({ total: 0, rows: [] }),
      respond_to_exception: (a) => {
        const input = a.input as { management_response: string };
        if (input.management_response === '') throw validation({ management_response: 'Management response is required.' });
        answered = true;
        return {};
      },
    });
    render(ControlDetail, { props: { id: 7 } });
    expect((await screen.findByTestId('period-rule')).textContent).toBe('One occurrence with evidence every quarter of the window.');
    const strip = screen.getByRole('list', { name: 'Periods of AC-05' });
    const missed = within(strip).getByRole('button', { name: '2026-04-01 to 2026-06-30: missed' });
    expect(missed.textContent).toBe('✗');
    // The missed period shows first.
    expect(missed.getAttribute('aria-pressed')).toBe('true');
    const region = screen.getByRole('region', { name: 'Period 2026-04-01 to 2026-06-30' });
    expect(region.textContent).toContain('Access review of AWS on 2026-05-03 has no evidence.');
    const occurrences = within(region).getByRole('table', { name: 'Occurrences in 2026-04-01 to 2026-06-30' });
    expect(occurrences.textContent).toContain('2026-05-03');
    expect(occurrences.textContent).toContain('None');
    expect(occurrences.textContent).toContain('✗ Not counted: no evidence attached');

    await userEvent.click(within(strip).getByRole('button', { name: '2026-01-01 to 2026-03-31: met' }));
    const met = screen.getByRole('region', { name: 'Period 2026-01-01 to 2026-03-31' });
    expect(met.textContent).toContain('✓ Counted');
    expect(met.textContent).toContain('1 item');
    expect(within(met).getByTestId('occurrences-shown').textContent).toContain('The first 1 of 25 occurrences in this period');
    expect(within(met).queryByRole('button', { name: 'Record the occurrence' })).toBeNull();

    // Record the occurrence: the activity form, dated inside the period.
    await userEvent.click(within(strip).getByRole('button', { name: '2026-04-01 to 2026-06-30: missed' }));
    await userEvent.click(screen.getByRole('button', { name: 'Record the occurrence' }));
    const date = screen.getByLabelText('Performed on') as HTMLInputElement;
    expect(date.value).toBe('2026-06-30');
    expect(document.activeElement).toBe(date);
    expect(screen.getByTestId('occurrence-for').textContent).toContain('2026-04-01 to 2026-06-30');

    // Record an exception: the management response, refused empty next to its field.
    await userEvent.click(screen.getByRole('button', { name: 'Record an exception' }));
    const panel = screen.getByRole('complementary', { name: 'Exception response' });
    expect(panel.textContent).toContain('Access review of AWS on 2026-05-03 has no evidence.');
    const timelinesBefore = calls.filter((c) => c.cmd === 'control_timeline').length;
    await refusedWith(panel, 'Save response', 'Management response is required.');
    expect(within(panel).getByLabelText('Management response').getAttribute('aria-invalid')).toBe('true');
    expect(calls.filter((c) => c.cmd === 'control_timeline').length).toBe(timelinesBefore);
    await userEvent.type(within(panel).getByLabelText('Management response'), 'The export was lost.');
    await userEvent.click(within(panel).getByRole('button', { name: 'Save response' }));
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Exception response' })).toBeNull());
    const sent = calls.filter((c) => c.cmd === 'respond_to_exception').at(-1);
    expect(sent?.args).toEqual({
      asOf: '',
      input: { key: 'coverage:controls:7:2026-04-01', management_response: 'The export was lost.', remediation: '', responded_by_id: null, action_id: null },
    });
    // The timeline is read again; the period keeps its place and shows the response.
    expect(calls.filter((c) => c.cmd === 'control_timeline').length).toBe(timelinesBefore + 1);
    const after = await screen.findByRole('region', { name: 'Period 2026-04-01 to 2026-06-30' });
    await waitFor(() => expect(within(after).getByTestId('exception-response').textContent).toContain('The export was lost.'));
    expect(within(after).getByRole('button', { name: 'Change the response' })).toBeTruthy();
  });

  it('adds a reference to an activity, showing a bad field next to it, and withdraws evidence', async () => {
    let evidence: Record<string, unknown>[] = [evidenceOf(4)];
    const calls = backend({
      control_detail: () => ({ control: control(7, 'AC-05', { status: 'implemented' }), activities: [activity], evidence, history: [] }),
      control_timeline: () => timeline(false),
      list_people: () => people,
      list_actions: () => ({ total: 0, rows: [] }),
      add_evidence_reference: (a) => {
        const input = a.input as { reference: string; description: string };
        if (input.reference === '') throw validation({ reference: 'Reference is required.' });
        const added = evidenceOf(5, { sha256: null, file_name: '', reference: input.reference, description: input.description });
        evidence = [added, ...evidence];
        return added;
      },
      withdraw_evidence: (a) => {
        evidence = evidence.map((e) => (e.id === a.id ? { ...e, removed_at: '2026-11-26T09:00:00Z', removed_reason: a.reason as string } : e));
        return evidence.find((e) => e.id === a.id);
      },
    });
    render(ControlDetail, { props: { id: 7 } });
    const activities = await screen.findByRole('table', { name: 'Activities' });
    expect(activities.textContent).toContain('1 item');
    await userEvent.click(within(activities).getByRole('button', { name: 'Add a reference to the activity of 2026-02-10' }));
    const form = screen.getByRole('form', { name: 'Add a reference to the activity of 2026-02-10' });
    expect((within(form).getByLabelText('Effective date') as HTMLInputElement).value).toBe('2026-02-10');
    await userEvent.type(within(form).getByLabelText('What it shows'), 'The Q1 review ticket');
    const detailsBefore = calls.filter((c) => c.cmd === 'control_detail').length;
    await refusedWith(form, 'Add reference', 'Reference is required.');
    expect(within(form).getByLabelText('Reference').getAttribute('aria-invalid')).toBe('true');
    expect((within(form).getByLabelText('What it shows') as HTMLInputElement).value).toBe('The Q1 review ticket');
    expect(calls.filter((c) => c.cmd === 'control_detail').length).toBe(detailsBefore);

    await userEvent.type(within(form).getByLabelText('Reference'), 'https://tickets.example.com/OPS-7');
    await userEvent.click(within(form).getByRole('button', { name: 'Add reference' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Add a reference to the activity of 2026-02-10' })).toBeNull());
    expect(calls.find((c) => c.cmd === 'add_evidence_reference')?.args.target).toEqual({ kind: 'activity', id: 1 });
    const files = await screen.findByRole('table', { name: 'Evidence files' });
    await waitFor(() => expect(files.textContent).toContain('https://tickets.example.com/OPS-7'));
    expect(screen.getByRole('table', { name: 'Activities' }).textContent).toContain('2 items');

    await userEvent.click(within(screen.getByTestId('evidence-4')).getByRole('button', { name: 'Withdraw' }));
    await userEvent.type(screen.getByLabelText('Why withdraw it'), 'Wrong quarter');
    await userEvent.click(screen.getByRole('button', { name: 'Withdraw evidence' }));
    await waitFor(() => expect(screen.getByTestId('evidence-4').textContent).toContain('Withdrawn on 2026-11-26: Wrong quarter · not counted'));
    expect(screen.getByRole('table', { name: 'Activities' }).textContent).toContain('1 item');
    expect(calls.some((c) => c.cmd === 'open_evidence')).toBe(false);
  });
});

describe('Control form', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('saves where occurrences come from, and keeps the choice when a field is refused', async () => {
    const onsaved = vi.fn();
    const calls = backend({
      list_people: () => [],
      list_criteria: () => [],
      create_control: (a) => {
        const input = a.input as { reference: string };
        if (input.reference === '') throw validation({ reference: 'Reference is required.' });
        return control(9, input.reference);
      },
    });
    render(ControlForm, { props: { control: null, onsaved, oncancel: () => {} } });
    const group = screen.getByRole('group', { name: 'Occurrences come from' });
    expect(within(group).getAllByRole('checkbox')).toHaveLength(12);
    await userEvent.click(within(group).getByLabelText('Access reviews'));
    await userEvent.click(within(group).getByLabelText('Leavers (each one deprovisioned)'));
    await userEvent.type(screen.getByLabelText('Title'), 'Quarterly access review');
    await userEvent.click(screen.getByRole('button', { name: 'Save control' }));
    expect(await screen.findByText('Reference is required.')).toBeTruthy();
    expect(screen.getByLabelText('Reference').getAttribute('aria-invalid')).toBe('true');
    expect((within(group).getByLabelText('Access reviews') as HTMLInputElement).checked).toBe(true);
    expect(onsaved).not.toHaveBeenCalled();

    await userEvent.type(screen.getByLabelText('Reference'), 'AC-09');
    await userEvent.click(screen.getByRole('button', { name: 'Save control' }));
    await waitFor(() => expect(onsaved).toHaveBeenCalledTimes(1));
    const sent = calls.filter((c) => c.cmd === 'create_control').at(-1)?.args.input as { sources: string[] };
    expect(sent.sources).toEqual(['access_reviews', 'leavers']);
  });

  it('shows the sources a control has and sends them back as they are', async () => {
    const calls = backend({
      list_people: () => [],
      list_criteria: () => [],
      update_control: (a) => control(7, 'AC-05', { sources: (a.input as { sources: string[] }).sources }),
    });
    render(ControlForm, { props: { control: control(7, 'AC-05', { sources: ['log_reviews'] }) as never, onsaved: () => {}, oncancel: () => {} } });
    expect((screen.getByLabelText('Log reviews') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Access reviews') as HTMLInputElement).checked).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'update_control')).toBe(true));
    expect((calls.find((c) => c.cmd === 'update_control')?.args.input as { sources: string[] }).sources).toEqual(['log_reviews']);
  });
});
