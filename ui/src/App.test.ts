import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn(async () => () => {}) }));
import { listen } from '@tauri-apps/api/event';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from './App.svelte';
import { backend } from './test/backend';
import { openReport, policyRecord, policyScreens } from './test/fixtures';
import { go, nav, openPolicy } from '$lib/nav.svelte';

const report = openReport({ path: '/home/ops/acme.readyroom', schema_version: 2 });

describe('App shell', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    go('profile');
  });

  it('opens on the readiness dashboard once the organization is set up', async () => {
    backend({
      workspace_info: () => report,
      get_profile: () => ({ name: 'Acme' }),
      overview: () => ({
        as_of: '2026-11-26',
        verdict: 'pass',
        headline: 'Ready: all 0 applicable checks pass',
        first: null,
        milestones: [],
        this_week: [],
        readiness: { as_of: '2026-11-26', audit_type: 'type1', pass: 0, warn: 0, fail: 0, not_applicable: 0, checks: [] },
        setup: { steps: [], done: 0, total: 0, next: null },
      }),
      attention: () => [
        { register: 'controls', overdue: 2, due_soon: 1 },
        { register: 'activities', overdue: 1, due_soon: 0 },
        { register: 'vendors', overdue: 0, due_soon: 3 },
      ],
      obligations: () => [],
      exceptions: () => [],
      control_timelines: () => [],
      request_counts: () => ({ open: 0, due_this_week: 0, overdue: 0 }),
    });
    render(App);
    expect(await screen.findByRole('heading', { name: 'Readiness' })).toBeTruthy();
    expect(nav.area).toBe('dashboard');
    // The navigation counts what needs attention, a dated record counting for its register.
    await waitFor(() => expect(screen.getByTestId('organisation').textContent).toBe('Acme'));
    const controls = await screen.findByTestId('nav-count-controls');
    expect(controls.textContent).toContain('3');
    expect(controls.textContent).toContain('3 overdue, 1 due soon');
    expect(screen.getByRole('button', { name: 'Controls' }).getAttribute('aria-describedby')).toBe('nav-count-controls');
    expect(controls.classList.contains('overdue')).toBe(true);
    const vendors = screen.getByTestId('nav-count-vendors');
    expect(vendors.classList.contains('overdue')).toBe(false);
    expect(vendors.textContent).toContain('3 due soon');
    expect(screen.queryByTestId('nav-count-risks')).toBeNull();
  });

  it('says why its window came to the front when the app is launched again', async () => {
    backend({
      workspace_info: () => report,
      get_profile: () => ({ name: 'Acme' }),
      overview: () => ({ as_of: '2026-11-26', verdict: 'pass', headline: 'Ready', first: null, milestones: [], this_week: [], readiness: { as_of: '2026-11-26', audit_type: 'type1', pass: 0, warn: 0, fail: 0, not_applicable: 0, checks: [] }, setup: { steps: [], done: 0, total: 0, next: null } }),
      attention: () => [],
      obligations: () => [],
      exceptions: () => [],
      control_timelines: () => [],
      request_counts: () => ({ open: 0, due_this_week: 0, overdue: 0 }),
    });
    render(App);
    await screen.findByRole('heading', { name: 'Readiness' });
    const call = vi.mocked(listen).mock.calls.find((c) => c[0] === 'another-launch');
    expect(call).toBeTruthy();
    const hear = call![1] as (e: { payload: { other_workspace: string | null } }) => void;
    hear({ payload: { other_workspace: null } });
    expect(await screen.findByText('Readyroom is already open: this is its window.')).toBeTruthy();
    hear({ payload: { other_workspace: '/home/ops/beta.readyroom' } });
    expect(await screen.findByText(/To work on \/home\/ops\/beta\.readyroom, choose Open workspace… in the status bar\./)).toBeTruthy();
  });

  it('shows a record below a link back to its register, and shows another record afresh', async () => {
    const policy = (id: number, title: string) => policyRecord({ id, title });
    const titles: Record<number, string> = { 4: 'Access Control Policy', 5: 'Incident Response Policy' };
    backend({
      workspace_info: () => report,
      get_profile: () => null,
      list_criteria: () => [],
      ...policyScreens((a) => ({ policy: policy(a.id as number, titles[a.id as number]), approvals: [], acknowledgements: [], evidence: [], history: [] })),
    });
    render(App);
    await screen.findByRole('navigation', { name: 'Areas' });
    openPolicy(4);
    expect(await screen.findByRole('heading', { name: 'Access Control Policy' })).toBeTruthy();
    openPolicy(5);
    expect(await screen.findByRole('heading', { name: 'Incident Response Policy' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Access Control Policy' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: '← All policies' }));
    expect(await screen.findByRole('heading', { name: 'Policies' })).toBeTruthy();
    expect(nav.policyId).toBeNull();
    expect(screen.queryByRole('button', { name: '← All policies' })).toBeNull();
  });

  it('shows the working areas and which workspace is open', async () => {
    backend({ workspace_info: () => report, get_profile: () => null, list_criteria: () => [] });
    render(App);
    const nav = await screen.findByRole('navigation', { name: 'Areas' });
    // Grouped: what to look at, the registers, the recurring activities, the library.
    expect([...nav.querySelectorAll('h2')].map((h) => h.textContent)).toEqual(['Overview', 'Registers', 'Activities', 'Library']);
    const group = (name: string) => [...within(nav).getByRole('list', { name }).querySelectorAll('button')].map((b) => b.textContent);
    expect(group('Overview')).toEqual(['Readiness', 'Organization', 'Actions', 'Auditor requests']);
    expect(group('Registers')).toEqual(['Controls', 'Policies', 'Risks', 'Vendors', 'Systems', 'Retention', 'People']);
    expect(group('Activities')).toEqual(['Access reviews', 'Training', 'Leavers', 'Changes', 'Incidents', 'Tabletop']);
    expect(group('Library')).toEqual(['Criteria', 'Settings']);
    // Each area has its own icon, hidden from screen readers (the label says it all).
    const buttons = [...nav.querySelectorAll('button')];
    expect(buttons).toHaveLength(19);
    for (const b of buttons) expect(b.querySelector('svg')?.getAttribute('aria-hidden'), b.textContent!).toBe('true');
    expect(new Set(buttons.map((b) => b.querySelector('svg')!.innerHTML)).size).toBe(buttons.length);
    expect(screen.getByTestId('workspace-path').textContent).toBe('/home/ops/acme.readyroom');
    // The status bar names the organisation (none yet here), not the schema version.
    expect(screen.getByTestId('organisation').textContent).toBe('No organisation profile yet');
    expect(screen.queryByText('schema 2')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Criteria' }));
    expect(await screen.findByRole('heading', { name: 'Criteria' })).toBeTruthy();
  });

  it('explains a workspace that is in use instead of showing the app', async () => {
    backend({
      workspace_info: () => {
        throw { code: 'workspace_in_use', message: '/x/acme.readyroom is open in another Readyroom window or process.', fields: [] };
      },
    });
    render(App);
    expect(await screen.findByRole('heading', { name: 'This workspace is already open' })).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
  });

  it('tells the user an upgrade happened and where the backup is; the notice can be dismissed', async () => {
    backend({
      workspace_info: () => ({ ...report, upgraded_from: 1, backup_path: '/x/acme.backup.readyroom' }),
      get_profile: () => null,
    });
    render(App);
    const notice = await screen.findByText(/upgraded from schema 1 to 2.*\/x\/acme\.backup\.readyroom/);
    expect(notice).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/upgraded from schema 1/)).toBeNull();
  });

  it('offers to create a missing workspace, and opens it once created', async () => {
    let created = false;
    const calls = backend({
      workspace_info: () => {
        if (!created) throw { code: 'workspace_missing', message: 'No workspace at /x/acme.readyrom (create one with `readyroom --db FILE init`).', fields: [] };
        return { ...report, path: '/x/acme.readyrom', created: true };
      },
      create_requested_workspace: () => {
        created = true;
        return { ...report, path: '/x/acme.readyrom', created: true };
      },
      get_profile: () => null,
      workspace_is_empty: () => true,
    });
    render(App);
    expect(await screen.findByRole('heading', { name: 'There is no workspace at this path' })).toBeTruthy();
    // Nothing is created before the user asks.
    expect(calls.map((c) => c.cmd)).toEqual(['workspace_info']);
    await userEvent.click(screen.getByRole('button', { name: 'Create a new workspace here' }));
    // Encrypted unless the user says plain: here, plain.
    await userEvent.click(screen.getByLabelText('Encrypt the workspace (recommended)'));
    await userEvent.click(screen.getByRole('button', { name: 'Create the workspace' }));
    expect(await screen.findByRole('heading', { name: 'Welcome to Readyroom' })).toBeTruthy();
    expect(calls.find((c) => c.cmd === 'create_requested_workspace')!.args).toEqual({ passphrase: null });
  });

  it('on first start asks for a passphrase, creates the encrypted workspace and shows its recovery key once', async () => {
    let created = false;
    const KEY = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789-ABCD-EFGH-JKMN-PQRS-TVWX-YZ01';
    const calls = backend({
      workspace_info: () => {
        if (!created) throw { code: 'no_workspace_yet', message: 'Readyroom keeps its registers in one file on this computer, /d/workspace.readyroom; it does not exist yet.', fields: [] };
        return { ...report, path: '/d/workspace.readyroom', created: true, encrypted: true };
      },
      create_requested_workspace: (a) => {
        created = true;
        return { ...report, path: '/d/workspace.readyroom', created: true, encrypted: true, recovery_key: a.passphrase ? KEY : null };
      },
      get_profile: () => null,
      workspace_is_empty: () => true,
    });
    render(App);
    expect(await screen.findByRole('heading', { name: 'Welcome to Readyroom' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New workspace…' })).toBeNull();
    await userEvent.type(screen.getByLabelText('Passphrase'), 'correct horse');
    await userEvent.type(screen.getByLabelText('The same passphrase again'), 'correct horse');
    await userEvent.click(screen.getByRole('button', { name: 'Create the workspace' }));
    expect((await screen.findByTestId('recovery-key')).textContent).toBe(KEY);
    expect(calls.find((c) => c.cmd === 'create_requested_workspace')!.args).toEqual({ passphrase: 'correct horse' });
    await userEvent.click(screen.getByLabelText('I have kept the recovery key somewhere safe'));
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('button', { name: 'Start my own workspace' })).toBeTruthy();
  });

  it('keeps the problem screen and says why when the chosen workspace cannot be opened', async () => {
    backend({
      workspace_info: () => {
        throw { code: 'workspace_missing', message: 'No workspace at /x/a.readyroom.', fields: [] };
      },
      open_workspace: () => {
        throw { code: 'not_a_workspace', message: '/x/notes.txt is not a Readyroom workspace (not an SQLite database); it was not changed.', fields: [] };
      },
    });
    render(App);
    await userEvent.click(await screen.findByRole('button', { name: 'Open a workspace…' }));
    expect((await screen.findByTestId('problem-failure')).textContent).toContain('is not a Readyroom workspace');
    expect(screen.getByRole('heading', { name: 'There is no workspace at this path' })).toBeTruthy();
  });

  it('shows a read-only workspace with a banner and its editing buttons disabled', async () => {
    backend({
      workspace_info: () => ({ ...report, read_only: true, read_only_reason: 'the folder /mnt/share does not allow changes' }),
      get_profile: () => null,
    });
    render(App);
    const banner = await screen.findByTestId('read-only-banner');
    expect(banner.textContent).toContain('you can look but not change');
    expect(banner.textContent).toContain('the folder /mnt/share does not allow changes');
    const save = (await screen.findByRole('button', { name: 'Save profile' })) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(screen.queryByRole('heading', { name: 'Welcome to Readyroom' })).toBeNull();
  });

  it('warns when the workspace is on a network drive', async () => {
    backend({
      workspace_info: () => ({ ...report, warnings: ['/mnt/nfs/acme.readyroom is on a network drive (NFS).'] }),
      get_profile: () => null,
      workspace_is_empty: () => false,
      list_criteria: () => [],
    });
    render(App);
    expect(await screen.findByText(/is on a network drive \(NFS\)/)).toBeTruthy();
  });
});
