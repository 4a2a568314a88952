import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/plugin-dialog', () => ({ save: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { save } from '@tauri-apps/plugin-dialog';
import CsvTransfer from './CsvTransfer.svelte';
import { backend } from '../../test/backend';

const csv = (text: string) => new File([text], 'controls.csv', { type: 'text/csv' });

describe('CSV import and export', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('checks the file first and lists every problem, importing nothing', async () => {
    const calls = backend({
      import_csv: () => ({
        dry_run: true,
        applied: false,
        created: 0,
        updated: 0,
        unchanged: 0,
        errors: [{ line: 3, column: 'status', message: 'Status must be one of …' }],
      }),
    });
    const onimported = vi.fn();
    render(CsvTransfer, { props: { register: 'controls', label: 'controls', onimported } });
    await userEvent.upload(screen.getByLabelText('CSV file to import into controls'), csv('reference,title\n'));
    const dialog = await screen.findByRole('dialog', { name: 'Import check' });
    expect(within(dialog).getByText('controls.csv cannot be imported')).toBeTruthy();
    const row = within(within(dialog).getByRole('table', { name: 'Import problems' })).getAllByRole('row')[1];
    expect(row.textContent).toContain('3');
    expect(row.textContent).toContain('status');
    expect(calls.map((c) => [c.cmd, c.args.dryRun])).toEqual([['import_csv', true]]);
    expect(Array.from(calls[0].args.bytes as number[])).toEqual([...new TextEncoder().encode('reference,title\n')]);
    expect(within(dialog).queryByRole('button', { name: 'Import' })).toBeNull();
    expect(onimported).not.toHaveBeenCalled();
  });

  it('imports after the check when the user confirms', async () => {
    const calls = backend({
      import_csv: (a) => ({ dry_run: a.dryRun, applied: !a.dryRun, created: 2, updated: 1, unchanged: 0, errors: [] }),
    });
    const onimported = vi.fn();
    render(CsvTransfer, { props: { register: 'people', label: 'people', onimported } });
    await userEvent.upload(screen.getByLabelText('CSV file to import into people'), csv('name,email\n'));
    expect((await screen.findByTestId('import-summary')).textContent?.trim()).toBe('2 new, 1 updated, 0 unchanged.');
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect(onimported).toHaveBeenCalledOnce();
    expect(calls.map((c) => c.args.dryRun)).toEqual([true, false]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('exports to the path chosen in the save dialog, and does nothing when cancelled', async () => {
    const calls = backend({ export_csv: () => null });
    vi.mocked(save).mockResolvedValueOnce(null).mockResolvedValueOnce('/home/ops/controls.csv');
    render(CsvTransfer, { props: { register: 'controls', label: 'controls', onimported: () => {} } });
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(calls.filter((c) => c.cmd !== 'automation_save_path')).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    // Each save first asks whether automation answers the dialog (it does not here).
    const exports = () => calls.filter((c) => c.cmd !== 'automation_save_path');
    await vi.waitFor(() => expect(exports()).toEqual([{ cmd: 'export_csv', args: { register: 'controls', path: '/home/ops/controls.csv' } }]));
  });
});
