import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));
import { listen } from '@tauri-apps/api/event';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { backend } from '../../test/backend';
import { stageFile } from '$lib/staging.svelte';
import type { ChosenFile } from '$lib/files';
import EvidenceFileField from './EvidenceFileField.svelte';
import Harness from '../../test/EvidenceFileFieldHarness.svelte';

describe('Evidence files chosen in the system dialog', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    vi.mocked(listen).mockImplementation(async () => () => {});
  });

  it('shows the chosen name and size, and forgets it on Remove; a cancelled dialog keeps nothing', async () => {
    let answer: unknown = { token: 't1', name: 'siem-export.log', size: 209715200 };
    backend({ choose_evidence_file: () => answer });
    render(EvidenceFileField, { props: { id: 'log-file', label: 'Evidence file' } });
    await userEvent.click(screen.getByRole('button', { name: /Evidence file/ }));
    expect((await screen.findByTestId('log-file-chosen')).textContent).toBe('siem-export.log (200.0 MB)');
    await userEvent.click(screen.getByRole('button', { name: 'Remove the chosen file siem-export.log' }));
    expect(screen.queryByTestId('log-file-chosen')).toBeNull();
    answer = null;
    await userEvent.click(screen.getByRole('button', { name: /Evidence file/ }));
    expect(screen.getByText('No file chosen')).toBeTruthy();
  });

  it('binds to an entry of a record that is not there yet (one picker per row)', async () => {
    backend({ choose_evidence_file: () => ({ token: 't9', name: 'soc2-2026.pdf', size: 2048 }) });
    render(Harness);
    await userEvent.click(screen.getByRole('button', { name: /Report file/ }));
    expect((await screen.findByTestId('report-file-7-chosen')).textContent).toBe('soc2-2026.pdf (2.0 KB)');
  });

  it('copies a file once, even when the save that follows is refused and tried again', async () => {
    const calls = backend({ stage_evidence_file: (a) => ({ token: a.token, name: 'list.csv', size: 10 }) });
    const file: ChosenFile = { token: 't2', name: 'list.csv', size: 10, staged: false };
    expect(await stageFile(null)).toBeNull();
    expect(await stageFile(file)).toBe('t2');
    expect(await stageFile(file)).toBe('t2');
    expect(calls.filter((c) => c.cmd === 'stage_evidence_file').length).toBe(1);
  });

  it('refuses the save on the file field when the copy fails or is cancelled', async () => {
    backend({
      stage_evidence_file: () => {
        throw { code: 'cancelled', message: 'Cancelled; the file was not kept.', fields: [] };
      },
    });
    const file: ChosenFile = { token: 't3', name: 'big.bin', size: 10, staged: false };
    await expect(stageFile(file)).rejects.toMatchObject({ code: 'validation', fields: [{ field: 'file_name' }] });
    expect(file.staged).toBe(false);
  });
});
