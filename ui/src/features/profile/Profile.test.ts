import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Profile from './Profile.svelte';
import { backend, validation } from '../../test/backend';

const stored = {
  name: 'Acme Analytics',
  system_description: 'Analytics SaaS',
  categories: { availability: true, confidentiality: false, processing_integrity: false, privacy: false },
  audit_type: 'type2',
  window_start: '2027-01-01',
  window_end: '2027-06-30',
  auditor: 'Example LLP',
  target_report_date: null,
  updated_at: '2026-11-26T10:00:00Z',
};

describe('Organization profile', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('shows the stored profile in labelled fields', async () => {
    backend({ get_profile: () => stored });
    render(Profile);
    expect(await screen.findByLabelText('Organization name')).toHaveProperty('value', 'Acme Analytics');
    expect(screen.getByLabelText('Availability')).toHaveProperty('checked', true);
    expect(screen.getByLabelText('Privacy')).toHaveProperty('checked', false);
    expect(screen.getByLabelText('Security')).toHaveProperty('disabled', true);
    expect(screen.getByLabelText('Type II')).toHaveProperty('checked', true);
    expect(screen.getByLabelText('Observation window end')).toHaveProperty('value', '2027-06-30');
  });

  it('flags an empty name without calling the backend', async () => {
    const calls = backend({ get_profile: () => null });
    render(Profile);
    await userEvent.click(await screen.findByRole('button', { name: 'Save profile' }));
    expect(screen.getByText('Organization name is required.')).toBeTruthy();
    expect(calls.map((c) => c.cmd)).toEqual(['get_profile']);
  });

  it('shows core validation errors next to their fields', async () => {
    backend({
      get_profile: () => null,
      save_profile: () => {
        throw validation({ window_end: 'Observation window end is required.' });
      },
    });
    render(Profile);
    await userEvent.type(await screen.findByLabelText('Organization name'), 'Acme');
    await userEvent.click(screen.getByLabelText('Type II'));
    await userEvent.type(screen.getByLabelText('Observation window start'), '2027-01-01');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    const end = screen.getByLabelText('Observation window end');
    await waitFor(() => expect(end.getAttribute('aria-invalid')).toBe('true'));
    const message = document.getElementById(end.getAttribute('aria-describedby') ?? '');
    expect(message?.textContent).toBe('Observation window end is required.');
    expect(screen.getByTestId('profile-status').textContent).toBe('Not saved: fix the highlighted fields.');
  });

  it('sends the whole form and confirms the save', async () => {
    const calls = backend({ get_profile: () => null, save_profile: (a) => ({ ...stored, ...(a.input as object), target_report_date: null }) });
    render(Profile);
    await userEvent.type(await screen.findByLabelText('Organization name'), 'Acme');
    await userEvent.click(screen.getByLabelText('Confidentiality'));
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await screen.findByText('Saved.');
    const sent = calls.find((c) => c.cmd === 'save_profile')?.args.input as Record<string, unknown>;
    expect(sent.name).toBe('Acme');
    expect(sent.audit_type).toBe('type1');
    expect(sent.categories).toEqual({ availability: false, confidentiality: true, processing_integrity: false, privacy: false });
  });
});
