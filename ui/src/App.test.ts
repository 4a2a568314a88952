import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from './App.svelte';
import { backend } from './test/backend';
import { go, nav } from '$lib/nav.svelte';

const report = { path: '/home/ops/acme.readyroom', schema_version: 2, created: false, upgraded_from: null, backup_path: null, read_only: false };

describe('App shell', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    go('profile');
  });

  it('opens on the readiness dashboard once the organization is set up', async () => {
    backend({
      workspace_info: () => report,
      get_profile: () => ({ name: 'Acme' }),
      readiness: () => ({ as_of: '2026-11-26', audit_type: 'type1', pass: 0, warn: 0, fail: 0, not_applicable: 0, checks: [] }),
      obligations: () => [],
    });
    render(App);
    expect(await screen.findByRole('heading', { name: 'Readiness' })).toBeTruthy();
    expect(nav.area).toBe('dashboard');
  });

  it('shows the working areas and which workspace is open', async () => {
    backend({ workspace_info: () => report, get_profile: () => null, list_criteria: () => [] });
    render(App);
    const nav = await screen.findByRole('navigation', { name: 'Areas' });
    expect([...nav.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Readiness', 'Organization', 'Controls', 'Policies', 'Risks', 'Vendors', 'Systems', 'Access reviews', 'Training', 'Leavers', 'Changes', 'Retention', 'Incidents', 'Tabletop', 'Actions', 'People', 'Criteria']);
    expect(screen.getByTestId('workspace-path').textContent).toBe('/home/ops/acme.readyroom');
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
});
