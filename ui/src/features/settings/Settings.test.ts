import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Settings from './Settings.svelte';
import { backend, validation } from '../../test/backend';
import { go, nav, openSettings } from '$lib/nav.svelte';
import { answer, asking } from '$lib/confirm.svelte';
import { notices } from '$lib/notices.svelte';
import { scale } from '$lib/riskScale.svelte';
import { refusedWith } from '../../test/forms';

const L = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'];
const I = ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'];

function settingsBackend(extra: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  return backend({
    check_settings: () => ({ warn_days: 30, access_review_days: 92, evidence_optional: ['incident_response'] }),
    check_setting_fields: () => [
      { field: 'warn_days', label: 'Warn this many days before something falls due', unit: 'days', min: 1, max: 365, default: 30 },
      { field: 'access_review_days', label: 'Review access to each system within this many days (Type I)', unit: 'days', min: 7, max: 366, default: 92 },
    ],
    check_list: () => [
      { key: 'mfa', title: 'MFA on critical systems', criteria: ['CC6.1'] },
      { key: 'access_reviews', title: 'Quarterly access reviews', criteria: ['CC6.2'] },
    ],
    risk_scale: () => ({ thresholds: { medium_from: 5, high_from: 10, critical_from: 20 }, likelihood_labels: L, impact_labels: I, bands: [], colors: [] }),
    role_holders: () => [],
    list_people: () => [],
    vendor_intervals: () => ({ critical_days: 365, high_days: 365, medium_days: null, low_days: null }),
    workspace_info: () => ({
      path: '/home/olga/acme.readyroom',
      schema_version: 16,
      created: false,
      upgraded_from: 15,
      backup_path: '/home/olga/acme.readyroom.v15.bak',
      read_only: false,
      read_only_reason: null,
      warnings: [],
    }),
    ...extra,
  });
}

const section = (name: string) => screen.findByRole('region', { name });

describe('Settings', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    notices.splice(0);
    go('settings');
  });

  it('gathers the check settings, the risk bands, the vendor intervals and the workspace facts', async () => {
    settingsBackend();
    render(Settings);
    const checks = await section('Readiness checks');
    expect(((await within(checks).findByLabelText('Warn this many days before something falls due (days)')) as HTMLInputElement).value).toBe('30');
    const bands = await section('Risk scoring bands');
    await waitFor(() => expect((within(bands).getByLabelText('High starts at') as HTMLInputElement).value).toBe('10'));
    const intervals = await section('Vendor assessment intervals');
    await waitFor(() => expect((within(intervals).getByLabelText('Critical (days)') as HTMLInputElement).value).toBe('365'));
    expect((within(intervals).getByLabelText('Low (days)') as HTMLInputElement).value).toBe('');
    const ws = await section('Workspace');
    expect((await within(ws).findByTestId('settings-path')).textContent).toBe('/home/olga/acme.readyroom');
    expect(ws.textContent).toContain('Upgraded from schema 15');
    expect(ws.textContent).toContain('/home/olga/acme.readyroom.v15.bak');
  });

  it('edits the check settings the core lists, with evidence required per check, and shows errors next to their fields', async () => {
    let saved: Record<string, unknown> | null = null;
    const calls = settingsBackend({
      save_check_settings: (a) => {
        const input = a.input as Record<string, unknown>;
        if ((input.access_review_days as number) > 366) throw validation({ access_review_days: 'Give a number of days from 7 to 366.' });
        saved = input;
        return input;
      },
    });
    render(Settings);
    const form = await section('Readiness checks');
    const days = (await within(form).findByLabelText('Review access to each system within this many days (Type I) (days)')) as HTMLInputElement;
    expect(days.value).toBe('92');
    expect(form.textContent).toContain('From 7 to 366 days; 92 by default.');
    await waitFor(() => expect((within(form).getByLabelText('MFA on critical systems') as HTMLInputElement).checked).toBe(true));
    expect((within(form).getByLabelText('Quarterly access reviews') as HTMLInputElement).checked).toBe(true);

    // Not a number: refused before anything is sent.
    await userEvent.clear(days);
    await userEvent.type(days, 'ninety');
    await refusedWith(form, 'Save check settings', 'Give a whole number of days.');
    expect(days.getAttribute('aria-invalid')).toBe('true');
    expect(calls.some((c) => c.cmd === 'save_check_settings')).toBe(false);

    // Out of range: the core's message, next to the field; the other values stay.
    await userEvent.clear(days);
    await userEvent.type(days, '400');
    await refusedWith(form, 'Save check settings', 'Give a number of days from 7 to 366.');
    expect((within(form).getByLabelText('Warn this many days before something falls due (days)') as HTMLInputElement).value).toBe('30');
    expect(saved).toBeNull();

    await userEvent.clear(days);
    await userEvent.type(days, '90');
    await userEvent.click(within(form).getByLabelText('Quarterly access reviews'));
    await userEvent.click(within(form).getByRole('button', { name: 'Save check settings' }));
    await waitFor(() => expect(saved).not.toBeNull());
    // Unticked means evidence is optional; a check not listed keeps what was stored.
    expect(saved).toEqual({ warn_days: 30, access_review_days: 90, evidence_optional: ['incident_response', 'access_reviews'] });
    expect(notices.map((n) => n.text)).toContain('Saved the check settings. Readiness, the home screen and the report use them now.');
    expect(within(form).queryByText('Give a number of days from 7 to 366.')).toBeNull();
  });

  it('saves the risk bands, showing the core refusal next to its field, and undoes unsaved edits', async () => {
    const sent: unknown[] = [];
    settingsBackend({
      save_band_thresholds: (a) => {
        const input = a.input as { medium_from: number; high_from: number; critical_from: number };
        sent.push(input);
        if (input.high_from <= input.medium_from) throw validation({ high_from: 'High must start above medium.' });
        return { thresholds: input, likelihood_labels: L, impact_labels: I, bands: [], colors: [] };
      },
    });
    render(Settings);
    const form = await section('Risk scoring bands');
    const high = within(form).getByLabelText('High starts at') as HTMLInputElement;
    await waitFor(() => expect(high.value).toBe('10'));
    await userEvent.clear(high);
    await userEvent.type(high, '4');
    await refusedWith(form, 'Save bands', 'High must start above medium.');
    expect(scale.value?.thresholds.high_from).toBe(10);

    // Undoing an edit is leaving it: it asks first.
    await userEvent.click(within(form).getByRole('button', { name: 'Undo changes' }));
    expect(asking.question?.title).toBe('Discard unsaved changes?');
    answer(true);
    await waitFor(() => expect(high.value).toBe('10'));
    expect(within(form).queryByText('High must start above medium.')).toBeNull();

    await userEvent.clear(high);
    await userEvent.type(high, '12');
    await userEvent.click(within(form).getByRole('button', { name: 'Save bands' }));
    await waitFor(() => expect(scale.value?.thresholds.high_from).toBe(12));
    expect(sent).toEqual([
      { medium_from: 5, high_from: 4, critical_from: 20 },
      { medium_from: 5, high_from: 12, critical_from: 20 },
    ]);
  });

  it('saves the vendor intervals, an empty box meaning no periodic assessment', async () => {
    let saved: unknown = null;
    settingsBackend({ save_vendor_intervals: (a) => (saved = a.input) });
    render(Settings);
    const form = await section('Vendor assessment intervals');
    const medium = within(form).getByLabelText('Medium (days)') as HTMLInputElement;
    await waitFor(() => expect((within(form).getByLabelText('Critical (days)') as HTMLInputElement).value).toBe('365'));
    await userEvent.type(medium, '730');
    await userEvent.clear(within(form).getByLabelText('High (days)'));
    await userEvent.click(within(form).getByRole('button', { name: 'Save intervals' }));
    await waitFor(() => expect(saved).toEqual({ critical_days: 365, high_days: null, medium_days: 730, low_days: null }));
  });

  it('opens at the section another screen links to', async () => {
    settingsBackend();
    openSettings('intervals');
    expect(nav).toMatchObject({ area: 'settings', settingsSection: 'intervals' });
    render(Settings);
    await waitFor(() => expect(document.activeElement?.id).toBe('settings-intervals'));
    go('dashboard');
    expect(nav.settingsSection).toBeNull();
  });
});
