import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Dashboard from './Dashboard.svelte';
import { backend, validation } from '../../test/backend';
import { go, nav } from '$lib/nav.svelte';
import { refusedWith } from '../../test/forms';

const mfa = {
  id: 3,
  key: 'mfa',
  title: 'MFA on critical systems',
  verdict: 'fail',
  reason: 'AWS is critical and does not enforce MFA.',
  criteria: ['CC6.1', 'CC6.6'],
  findings: [
    {
      record: { kind: 'systems', id: 7, reference: '', title: 'AWS' },
      problem: 'AWS is critical and does not enforce MFA.',
      since: null,
      until: null,
      fix: 'Enforce MFA for every account on it.',
      failing: true,
      owner: 'Olga Ops',
      period: null,
      exception: null,
      response: null,
    },
  ],
  forecast: null,
};
const access = {
  id: 4,
  key: 'access_reviews',
  title: 'Quarterly access reviews',
  verdict: 'pass',
  reason: 'Every critical system (1) had its accounts reviewed within 92 days.',
  criteria: ['CC6.2'],
  findings: [],
  forecast: { fails_on: '2027-01-02', what: 'AWS (the next access review of AWS is due on 2027-01-01)' },
};

const readiness = (checks: unknown[], audit_type = 'type1') => ({
  as_of: '2026-11-26',
  audit_type,
  pass: 1,
  warn: 0,
  fail: 1,
  not_applicable: 0,
  checks,
});

const profile = (audit_type: 'type1' | 'type2') => ({
  name: 'Acme',
  system_description: '',
  categories: {},
  audit_type,
  window_start: audit_type === 'type2' ? '2026-01-01' : null,
  window_end: audit_type === 'type2' ? '2026-12-31' : null,
  auditor: '',
  target_report_date: null,
  updated_at: '',
});

const setupStep = (key: string, title: string, done: boolean, register: string | null, settings_section: string | null = null) => ({ key, title, done, detail: `${title}: detail.`, register, settings_section });
const setup = {
  steps: [
    setupStep('profile', 'Describe the organisation and the audit', true, null),
    setupStep('roles', 'Name who holds each role', false, null, 'roles'),
    setupStep('systems', 'List the systems in scope', false, 'systems'),
    setupStep('vendors', 'List the vendors', false, 'vendors'),
  ],
  done: 1,
  total: 4,
  next: 'systems',
};

/** The overview the core would give for `checks`: a headline, no dates, and this week's
 *  groups (one per failing finding here). */
const overviewOf = (checks: { key: string; title: string; verdict: string; findings: { failing: boolean; fix: string; problem: string; since: string | null; until: string | null; owner: string | null }[] }[], audit_type: string, extra: Record<string, unknown> = {}) => ({
  as_of: '2026-11-26',
  verdict: checks.some((c) => c.verdict === 'fail') ? 'fail' : 'pass',
  headline: 'Not ready: 1 of 2 checks fails',
  first: null,
  milestones: [],
  this_week: checks.flatMap((c) =>
    c.findings
      .filter((f) => f.failing)
      .map((f) => ({ check_key: c.key, check_title: c.title, failing: true, fix: f.fix, problem: f.problem, findings: [f], owners: f.owner ? [f.owner] : [], since: f.since, due: f.until })),
  ),
  readiness: readiness(checks, audit_type),
  setup: { ...setup, done: setup.total, next: null },
  ...extra,
});

/** The dashboard's backend: the readiness of `checks` for a Type I or II audit, with no
 * obligations, exceptions or timelines unless `extra` answers them. */
const dashboardBackend = (checks: unknown[], audit_type: 'type1' | 'type2', extra: Parameters<typeof backend>[0] = {}) =>
  backend({
    overview: () => overviewOf(checks as Parameters<typeof overviewOf>[0], audit_type),
    obligations: () => [],
    exceptions: () => [],
    control_timelines: () => [],
    get_profile: () => profile(audit_type),
    ...extra,
  });

const q2 = { start: '2026-04-01', end: '2026-06-30' };
const response = {
  management_response: 'The reviewer left in April; the review was done late in July.',
  remediation: 'A second reviewer is named for every system.',
  responded_by: { id: 2, name: 'Ann Lee' },
  action_id: null,
  recorded_at: '2026-08-02T10:00:00Z',
};
const exception = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  check: 'access_reviews',
  check_title: 'Quarterly access reviews',
  criteria: ['CC6.2'],
  record: { kind: 'systems', id: 7, reference: '', title: 'AWS' },
  period: q2,
  problem: 'No access review of AWS in 2026-04-01 to 2026-06-30.',
  fix: 'Review the accounts of AWS and record it.',
  owner: 'Olga Ops',
  response: null,
  ...extra,
});

const period = (start: string, end: string, state: string) => ({
  period: { start, end },
  state,
  occurrences: [],
  occurrence_count: 0,
  events: 0,
  events_met: 0,
  problem: state === 'missed' ? 'No occurrence.' : '',
  exception: null,
  response: null,
});
const timeline = (id: number, reference: string, states: string[], implemented = true) => ({
  control: { kind: 'controls', id, reference, title: `Title ${reference}` },
  cadence: 'quarterly',
  criteria: ['CC6.2'],
  sources: [],
  implemented,
  periods: implemented
    ? states.map((s, i) => period(['2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01'][i], ['2026-03-31', '2026-06-30', '2026-09-30', '2026-12-31'][i], s))
    : [],
  rule: 'One occurrence with evidence every quarter of the window.',
});

describe('Readiness dashboard', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    go('dashboard');
  });

  it('shows each verdict, the forecast, findings with their record, and prepares an action', async () => {
    const calls = dashboardBackend([mfa, access], 'type1', {
      obligations: () => [{ date: '2027-01-01', what: 'Access review of AWS', kind: 'access_review', record: { kind: 'systems', id: 7, reference: '', title: 'AWS' }, owner: null }],
      list_people: () => [],
    });
    render(Dashboard);
    const card = await screen.findByTestId('check-mfa');
    expect(within(card).getByText('Fail')).toBeTruthy();
    await userEvent.click(within(card).getByRole('button', { name: /MFA on critical systems/ }));
    expect(card.textContent).toContain('owner Olga Ops');
    // A finding without an exception offers no response.
    expect(within(card).queryByRole('button', { name: 'Record a response' })).toBeNull();
    await userEvent.click(within(card).getByRole('button', { name: /MFA on critical systems/ }));
    expect(screen.getByTestId('check-access_reviews').textContent).toContain('Would fail on 2027-01-02');
    expect(screen.getByTestId('readiness-summary').textContent).toContain('1 failing');
    await userEvent.click(within(card).getByRole('button', { name: /MFA on critical systems/ }));
    await userEvent.click(within(card).getByRole('button', { name: 'Create remediation action' }));
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Enforce MFA for every account on it');
    await userEvent.click(within(card).getByRole('button', { name: 'AWS' }));
    expect(nav.area).toBe('systems');
    expect(nav.systemId).toBe(7);
    await userEvent.clear(screen.getByLabelText('As of'));
    expect(calls.filter((c) => c.cmd === 'overview')[0].args.asOf).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(screen.getByRole('table', { name: 'Obligations calendar' }).textContent).toContain('Access review of AWS');
    // Type I: exceptions belong to a Type II window, and the card says so.
    expect(screen.getByTestId('exceptions').textContent).toContain('Exceptions apply to a Type II observation window');
  });

  it('says plainly when a Type II window has no exceptions', async () => {
    dashboardBackend([access], 'type2');
    render(Dashboard);
    await waitFor(() => expect(screen.getByTestId('exceptions').textContent).toContain('No exceptions: every period of the window so far is met.'));
  });

  it("counts the auditor's open requests, and offers importing the list when there is none", async () => {
    let counts = { open: 3, due_this_week: 1, overdue: 2 };
    dashboardBackend([access], 'type2', {
      request_counts: () => counts,
    });
    const { unmount } = render(Dashboard);
    await waitFor(() =>
      expect(screen.getByTestId('requests').textContent?.replace(/\s+/g, ' ')).toContain('3 open · 1 due within a week · 2 overdue'),
    );
    expect(screen.getByRole('button', { name: 'Request list: import, template or export' })).toBeTruthy();
    unmount();
    counts = { open: 0, due_this_week: 0, overdue: 0 };
    render(Dashboard);
    await waitFor(() => expect(screen.getByTestId('requests').textContent).toContain("Import the auditor's request list"));
  });

  it('lists the exceptions and records a management response, refusing an empty one next to its field', async () => {
    let answered = false;
    const calls = dashboardBackend([access], 'type2', {
      exceptions: () => [
        exception('access_reviews:systems:7:2026-04-01', answered ? { response } : {}),
        exception('logging:systems:7:2026-01-01', {
          check: 'logging',
          check_title: 'Logging and monitoring',
          record: { kind: null, id: null, reference: '', title: 'The workspace' },
          period: { start: '2026-01-01', end: '2026-03-31' },
          problem: 'No log review in 2026-01-01 to 2026-03-31.',
          owner: null,
          response: { ...response, management_response: 'Logs were reviewed but not recorded.', remediation: '', responded_by: null },
        }),
      ],
      list_people: () => [{ id: 2, name: 'Ann Lee', email: '', role: '', start_date: null, end_date: null, archived: false }],
      respond_to_exception: (a) => {
        const input = a.input as { management_response: string };
        if (input.management_response.trim() === '') throw validation({ management_response: 'Management response is required.' });
        answered = true;
        return exception('access_reviews:systems:7:2026-04-01', { response });
      },
    });
    render(Dashboard);
    const open = await screen.findByTestId('exception-access_reviews:systems:7:2026-04-01');
    expect(open.textContent).toContain('2026-04-01 to 2026-06-30');
    expect(open.textContent).toContain('Quarterly access reviews');
    expect(open.textContent).toContain('No access review of AWS in 2026-04-01 to 2026-06-30.');
    expect(open.textContent).toContain('owner Olga Ops');
    expect(open.textContent).toContain('No response yet');
    expect(screen.getByTestId('exceptions-count').textContent).toBe('2 · 1 with a response');
    // The one answered already shows its response, remediation aside, and when it was recorded.
    const done = screen.getByTestId('exception-logging:systems:7:2026-01-01');
    expect(done.textContent).toContain('Logs were reviewed but not recorded.');
    expect(done.textContent).toContain('2026-08-02 10:00 UTC');
    expect(within(done).getByText('The workspace')).toBeTruthy();
    expect(within(done).queryByRole('button', { name: 'The workspace' })).toBeNull();

    await userEvent.click(within(open).getByRole('button', { name: 'Record a response' }));
    const panel = screen.getByRole('complementary', { name: 'Exception response' });
    await waitFor(() => expect(within(panel).getByRole('option', { name: 'Ann Lee' })).toBeTruthy());
    const loadsBefore = calls.filter((c) => c.cmd === 'exceptions').length;
    await userEvent.type(within(panel).getByLabelText('Remediation'), 'Name a second reviewer.');
    await refusedWith(panel, 'Save response', 'Management response is required.');
    expect(within(panel).getByLabelText('Management response').getAttribute('aria-invalid')).toBe('true');
    // Nothing else changed: the panel keeps what was typed, nothing was reloaded.
    expect((within(panel).getByLabelText('Remediation') as HTMLTextAreaElement).value).toBe('Name a second reviewer.');
    expect(calls.filter((c) => c.cmd === 'exceptions').length).toBe(loadsBefore);
    expect(open.textContent).toContain('No response yet');

    await userEvent.type(within(panel).getByLabelText('Management response'), 'The reviewer left in April.');
    await userEvent.selectOptions(within(panel).getByLabelText('Responded by'), 'Ann Lee');
    await userEvent.click(within(panel).getByRole('button', { name: 'Save response' }));
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Exception response' })).toBeNull());
    const sent = calls.find((c) => c.cmd === 'respond_to_exception' && (c.args.input as { management_response: string }).management_response !== '');
    expect(sent?.args).toEqual({
      asOf: '2026-11-26',
      input: {
        key: 'access_reviews:systems:7:2026-04-01',
        management_response: 'The reviewer left in April.',
        remediation: 'Name a second reviewer.',
        responded_by_id: 2,
        action_id: null,
      },
    });
    // Exceptions and checks are read again, and the response shows.
    await waitFor(() => expect(screen.getByTestId('exception-access_reviews:systems:7:2026-04-01').textContent).toContain('A second reviewer is named for every system.'));
    expect(calls.filter((c) => c.cmd === 'exceptions').length).toBe(loadsBefore + 1);
    expect(calls.filter((c) => c.cmd === 'overview').length).toBe(2);
    await userEvent.click(within(screen.getByTestId('exception-access_reviews:systems:7:2026-04-01')).getByRole('button', { name: 'AWS' }));
    expect(nav).toMatchObject({ area: 'systems', systemId: 7 });
  });

  it('shows the period of a finding and links an exception to its response', async () => {
    const finding = (exceptionKey: string, start: string, end: string, answered: boolean) => ({
      record: { kind: 'systems', id: 7, reference: '', title: 'AWS' },
      problem: `No access review of AWS in ${start} to ${end}.`,
      since: null,
      until: null,
      fix: 'Review the accounts of AWS and record it.',
      failing: true,
      owner: null,
      period: { start, end },
      exception: exceptionKey,
      response: answered ? response : null,
    });
    const failing = {
      ...access,
      verdict: 'fail',
      forecast: null,
      findings: [finding('k-q1', '2026-01-01', '2026-03-31', true), finding('k-q2', '2026-04-01', '2026-06-30', false)],
    };
    dashboardBackend([failing], 'type2', { list_people: () => [] });
    render(Dashboard);
    const card = await screen.findByTestId('check-access_reviews');
    await userEvent.click(within(card).getByRole('button', { name: /Quarterly access reviews/ }));
    expect(card.textContent).toContain('(period 2026-01-01 to 2026-03-31)');
    expect(card.textContent).toContain('(period 2026-04-01 to 2026-06-30)');
    await userEvent.click(within(card).getByRole('button', { name: /Response recorded/ }));
    const panel = screen.getByRole('complementary', { name: 'Exception response' });
    expect(within(panel).getByRole('heading', { name: 'Change the response' })).toBeTruthy();
    expect((within(panel).getByLabelText('Management response') as HTMLTextAreaElement).value).toBe(response.management_response);
    await userEvent.click(within(card).getByRole('button', { name: 'Record a response' }));
    const fresh = screen.getByRole('complementary', { name: 'Exception response' });
    expect(within(fresh).getByRole('heading', { name: 'Record a response' })).toBeTruthy();
    expect(fresh.textContent).toContain('2026-04-01 to 2026-06-30');
    expect((within(fresh).getByLabelText('Management response') as HTMLTextAreaElement).value).toBe('');
  });

  it('shows implemented controls by period, filters to missed ones, and opens a control', async () => {
    dashboardBackend([access], 'type2', {
      control_timelines: () => [
        timeline(1, 'AC-01', ['met', 'missed', 'due', 'not_yet']),
        timeline(2, 'AC-02', ['met', 'met', 'met', 'not_yet']),
        timeline(3, 'AC-03', [], false),
      ],
    });
    render(Dashboard);
    const list = await screen.findByRole('list', { name: 'Controls and their periods' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(list.textContent).not.toContain('AC-03');
    const row = screen.getByTestId('timeline-AC-01');
    const missed = within(row).getByRole('img', { name: '2026-04-01 to 2026-06-30: missed' });
    // Colour is not the only signal: each chip carries a sign.
    expect(missed.textContent).toBe('✗');
    expect(within(row).getByRole('img', { name: '2026-01-01 to 2026-03-31: met' }).textContent).toBe('✓');
    expect(within(row).getByRole('img', { name: '2026-07-01 to 2026-09-30: due' }).textContent).toBe('!');
    expect(within(row).getByRole('img', { name: '2026-10-01 to 2026-12-31: not yet' }).textContent).toBe('–');
    expect(row.textContent).toContain('1 missed');

    await userEvent.click(screen.getByLabelText('Only controls with missed periods'));
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(screen.queryByTestId('timeline-AC-02')).toBeNull();

    await userEvent.click(screen.getByTestId('timeline-AC-01'));
    expect(nav).toMatchObject({ area: 'controls', controlId: 1 });
  });

  it('opens with the verdict and the dates, lists this week with a one-click fix, and creates actions for all findings', async () => {
    let made = 0;
    const calls = dashboardBackend([mfa, access], 'type2', {
      overview: () =>
        overviewOf([mfa, access] as Parameters<typeof overviewOf>[0], 'type2', {
          first: 'MFA on critical systems: Enforce MFA for every account on it (AWS)',
          milestones: [
            { date: '2026-01-01', days: -329, text: 'The observation window started 329 days ago', until: 'until the observation window starts' },
            { date: '2026-12-31', days: 35, text: 'The observation window ends in 35 days', until: 'until the observation window ends' },
            { date: '2026-11-27', days: 1, text: 'The target report date is tomorrow', until: 'until the target report date' },
          ],
        }),
      create_actions_for_findings: () => {
        made += 1;
        return made === 1 ? { created: [{ id: 1 }], already: 2 } : { created: [], already: 3 };
      },
    });
    render(Dashboard);
    const head = await screen.findByTestId('headline');
    expect(head.textContent).toContain('Not ready: 1 of 2 checks fails');
    expect(head.textContent).toContain('Enforce MFA for every account on it (AWS)');
    // A countdown says its number once; the past and tomorrow read as sentences.
    const dates = [...within(head).getByRole('list', { name: "The audit's dates" }).querySelectorAll('li')].map((li) =>
      li.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(dates).toEqual([
      'The observation window started 329 days ago 2026-01-01',
      '35 days until the observation window ends 2026-12-31',
      'The target report date is tomorrow 2026-11-27',
    ]);
    const week = screen.getByTestId('this-week');
    const items = within(week).getAllByTestId('week-item');
    expect(items).toHaveLength(1);
    expect(items[0].textContent).toContain('MFA on critical systems');
    expect(items[0].textContent).toContain('owner Olga Ops');
    // A passing check has no line this week.
    expect(week.textContent).not.toContain('Quarterly access reviews');
    await userEvent.click(within(week).getByRole('button', { name: 'Create actions for all findings' }));
    await waitFor(() => expect(calls.filter((c) => c.cmd === 'create_actions_for_findings')).toHaveLength(1));
    expect(calls.find((c) => c.cmd === 'create_actions_for_findings')?.args.asOf).toBe(calls.find((c) => c.cmd === 'overview')?.args.asOf);
    await waitFor(() => expect(calls.filter((c) => c.cmd === 'overview')).toHaveLength(2));
    // The one-click fix opens the record.
    await userEvent.click(within(items[0]).getByRole('button', { name: 'Fix' }));
    expect(nav).toMatchObject({ area: 'systems', systemId: 7 });
  });

  it('lists every record of a group, separated and linked, and says how many more there are', async () => {
    const finding = (id: number, title: string) => ({ ...mfa.findings[0], record: { kind: 'systems', id, reference: '', title } });
    const findings = [finding(7, 'AWS'), finding(8, 'GitHub'), finding(9, 'Okta'), finding(10, 'Slack'), finding(11, 'Zoom'), finding(12, 'Jira')];
    dashboardBackend([mfa], 'type1', {
      overview: () =>
        overviewOf([mfa] as Parameters<typeof overviewOf>[0], 'type1', {
          this_week: [{ check_key: 'mfa', check_title: 'MFA on critical systems', failing: true, fix: 'Enforce MFA.', problem: '6 records, for example AWS', findings, owners: ['Olga Ops'], since: null, due: null }],
        }),
    });
    render(Dashboard);
    const item = (await screen.findAllByTestId('week-item'))[0];
    expect(item.textContent).toContain('6 records: AWS, GitHub, Okta, Slack, and 2 more');
    await userEvent.click(within(item).getByRole('button', { name: 'Okta' }));
    expect(nav).toMatchObject({ area: 'systems', systemId: 9 });
  });

  it('shows the Get started checklist until every step is done, each step opening its register', async () => {
    dashboardBackend([mfa, access], 'type1', {
      overview: () => overviewOf([mfa, access] as Parameters<typeof overviewOf>[0], 'type1', { setup }),
    });
    render(Dashboard);
    const card = await screen.findByTestId('get-started');
    expect(within(card).getByTestId('setup-progress').textContent).toBe('1 of 4 done');
    expect(within(card).getByTestId('step-systems').textContent).toContain('Next');
    expect(within(card).getByTestId('step-profile').textContent).toContain('Done:');
    await userEvent.click(within(card).getByRole('button', { name: 'List the vendors' }));
    expect(nav.area).toBe('vendors');
    // The roles are mapped in Settings, not in a register.
    await userEvent.click(within(card).getByRole('button', { name: 'Name who holds each role' }));
    expect(nav).toMatchObject({ area: 'settings', settingsSection: 'roles' });
    await userEvent.click(within(card).getByRole('button', { name: 'Describe the organisation and the audit' }));
    expect(nav.area).toBe('profile');
  });

  it('hides Get started once everything is done and lists failing checks first', async () => {
    dashboardBackend([access, mfa], 'type1');
    render(Dashboard);
    await screen.findByTestId('headline');
    expect(screen.queryByTestId('get-started')).toBeNull();
    const checks = within(screen.getByRole('list', { name: 'Checks' })).getAllByRole('listitem').filter((li) => li.dataset.testid?.startsWith('check-'));
    expect(checks.map((li) => li.dataset.testid)).toEqual(['check-mfa', 'check-access_reviews']);
  });
});
