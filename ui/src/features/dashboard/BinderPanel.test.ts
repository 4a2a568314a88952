import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn(async () => () => {}) }));
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import BinderPanel from './BinderPanel.svelte';
import { backend, validation } from '../../test/backend';
import { notices } from '$lib/notices.svelte';

const window = { start: '2026-01-01', end: '2026-12-31' };

describe('The auditor binder panel', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    notices.splice(0);
  });

  it('starts on the window the core proposes, and writes the binder where the user chose, as a job', async () => {
    const calls = backend({
      binder_range: (a) => ({ from: (a.from as string) || '2026-01-01', to: (a.to as string) || '2026-11-30', window }),
      choose_save_path: () => ({ token: 't-7', path: '/home/ops/binder.zip' }),
      export_binder: () => ({
        path: '/home/ops/binder.zip',
        evidence_files: 12,
        evidence_bytes: 4096,
        populations: 10,
        missing: [],
        outside_window: false,
      }),
    });
    const onclose = vi.fn();
    render(BinderPanel, { props: { onclose } });
    const from = (await screen.findByLabelText(/^From/)) as HTMLInputElement;
    await vi.waitFor(() => expect(from.value).toBe('2026-01-01'));
    expect((screen.getByLabelText(/^To/) as HTMLInputElement).value).toBe('2026-11-30');
    expect(screen.getByText('Observation window: 2026-01-01 to 2026-12-31.')).toBeTruthy();
    await userEvent.clear(from);
    await userEvent.type(from, '2026-04-01');
    await userEvent.click(screen.getByRole('button', { name: 'Export binder' }));
    await vi.waitFor(() => expect(onclose).toHaveBeenCalledOnce());
    expect(calls.map((c) => c.cmd)).toEqual(['binder_range', 'binder_range', 'choose_save_path', 'export_binder']);
    expect(calls[2].args).toEqual({ kind: 'binder', suggestedName: 'auditor-binder-2026-04-01-to-2026-11-30.zip' });
    const exported = calls[3].args;
    expect([exported.from, exported.to, exported.allowMissing, exported.target]).toEqual(['2026-04-01', '2026-11-30', false, 't-7']);
    expect(notices.at(-1)?.text).toContain('Wrote the auditor binder to /home/ops/binder.zip: 12 evidence files and 10 populations.');
  });

  it('shows a bad date next to its field and writes nothing', async () => {
    const calls = backend({
      binder_range: (a) => {
        if (a.to === '2026-02-30') throw validation({ to: 'To must be a real date written as YYYY-MM-DD.' });
        return { from: '2026-01-01', to: '2026-11-30', window: null };
      },
    });
    const onclose = vi.fn();
    render(BinderPanel, { props: { onclose } });
    const to = (await screen.findByLabelText(/^To/)) as HTMLInputElement;
    await vi.waitFor(() => expect(to.value).toBe('2026-11-30'));
    await userEvent.clear(to);
    await userEvent.type(to, '2026-02-30');
    await userEvent.click(screen.getByRole('button', { name: 'Export binder' }));
    expect(await screen.findByText('To must be a real date written as YYYY-MM-DD.')).toBeTruthy();
    expect(calls.map((c) => c.cmd)).toEqual(['binder_range', 'binder_range']);
    expect(onclose).not.toHaveBeenCalled();
  });
});
