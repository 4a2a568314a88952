import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import CsvTransfer from './CsvTransfer.svelte';
import { backend } from '../../test/backend';
import { workspace } from '$lib/workspace.svelte';
import type { ImportReport } from '$lib/api';

const csv = (text: string) => new File([text], 'controls.csv', { type: 'text/csv' });

function report(over: Partial<ImportReport>): ImportReport {
  return {
    dry_run: true,
    applied: false,
    created: 0,
    updated: 0,
    unchanged: 0,
    errors: [],
    error_count: 0,
    changes: [],
    cleared: 0,
    clearing_refused: false,
    ...over,
  };
}

describe('CSV import and export', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    workspace.readOnly = false;
  });

  it('checks the file first and lists every problem, importing nothing', async () => {
    const calls = backend({
      import_csv: () =>
        report({ errors: [{ line: 3, column: 'status', message: 'Status must be one of …' }], error_count: 140 }),
    });
    const onimported = vi.fn();
    render(CsvTransfer, { props: { register: 'controls', label: 'controls', onimported } });
    await userEvent.upload(screen.getByLabelText('CSV file to import into controls'), csv('reference,title\n'));
    const dialog = await screen.findByRole('dialog', { name: 'Import check' });
    expect(within(dialog).getByText('controls.csv cannot be imported')).toBeTruthy();
    expect(within(dialog).getByTestId('import-summary').textContent).toContain('these 140 problems');
    expect(within(dialog).getByTestId('import-more').textContent).toBe('Showing the first 1 of 140 problems.');
    const row = within(within(dialog).getByRole('table', { name: 'Import problems' })).getAllByRole('row')[1];
    expect(row.textContent).toContain('3');
    expect(row.textContent).toContain('status');
    expect(calls.map((c) => [c.cmd, c.args.options])).toEqual([['import_csv', { dry_run: true, allow_clearing: false }]]);
    expect(Array.from(calls[0].args.bytes as number[])).toEqual([...new TextEncoder().encode('reference,title\n')]);
    expect(within(dialog).queryByRole('button', { name: 'Import' })).toBeNull();
    expect(onimported).not.toHaveBeenCalled();
  });

  it('lists the fields that change and imports after the check when the user confirms', async () => {
    const calls = backend({
      import_csv: (a) => {
        const o = a.options as { dry_run: boolean };
        return report({
          dry_run: o.dry_run,
          applied: !o.dry_run,
          created: 1,
          updated: 1,
          changes: [
            { line: 2, key: 'ann@acme.test', action: 'updated', fields: [{ column: 'role', old: 'CTO', new: 'CEO', cleared: false }] },
            { line: 3, key: 'bo@acme.test', action: 'created', fields: [] },
          ],
        });
      },
    });
    const onimported = vi.fn();
    render(CsvTransfer, { props: { register: 'people', label: 'people', onimported } });
    await userEvent.upload(screen.getByLabelText('CSV file to import into people'), csv('name,email\n'));
    expect((await screen.findByTestId('import-summary')).textContent?.trim()).toBe('1 new, 1 updated, 0 unchanged.');
    const rows = within(screen.getByRole('table', { name: 'Changes' })).getAllByRole('row');
    expect(rows[1].textContent).toMatch(/ann@acme\.test\s*role\s*CTO\s*CEO/);
    expect(rows[2].textContent).toContain('bo@acme.test');
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect(onimported).toHaveBeenCalledOnce();
    expect(calls.map((c) => c.args.options)).toEqual([
      { dry_run: true, allow_clearing: false },
      { dry_run: false, allow_clearing: false },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('will not clear stored values until the user ticks the confirmation', async () => {
    const cleared = { line: 2, key: 'GitHub', action: 'updated' as const, fields: [{ column: 'mfa_enforced', old: 'yes', new: 'no', cleared: true }] };
    const calls = backend({
      import_csv: (a) => {
        const o = a.options as { dry_run: boolean; allow_clearing: boolean };
        return report({ dry_run: o.dry_run, applied: !o.dry_run, updated: 1, cleared: 1, changes: [cleared] });
      },
    });
    const onimported = vi.fn();
    render(CsvTransfer, { props: { register: 'systems', label: 'systems', onimported } });
    await userEvent.upload(screen.getByLabelText('CSV file to import into systems'), csv('name,criticality,mfa_enforced\n'));
    const dialog = await screen.findByRole('dialog', { name: 'Import check' });
    expect(within(dialog).getByRole('alert').textContent).toContain('1 stored value will be cleared');
    const importButton = within(dialog).getByRole('button', { name: 'Import' }) as HTMLButtonElement;
    expect(importButton.disabled).toBe(true);
    await userEvent.click(within(dialog).getByLabelText('Clear this value'));
    expect(importButton.disabled).toBe(false);
    await userEvent.click(importButton);
    expect(calls.map((c) => c.args.options)).toEqual([
      { dry_run: true, allow_clearing: false },
      { dry_run: false, allow_clearing: true },
    ]);
    expect(onimported).toHaveBeenCalledOnce();
  });

  it('exports where the app asked the user to save, and does nothing when cancelled', async () => {
    let answer: unknown = null;
    const calls = backend({
      choose_save_path: () => answer,
      export_csv: () => '/home/ops/controls.csv',
    });
    render(CsvTransfer, { props: { register: 'controls', label: 'controls', onimported: () => {} } });
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await vi.waitFor(() => expect(calls.map((c) => c.cmd)).toEqual(['choose_save_path']));
    expect(calls[0].args).toEqual({ kind: 'csv', suggestedName: 'controls.csv' });
    answer = { token: 't-1', path: '/home/ops/controls.csv' };
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await vi.waitFor(() =>
      expect(calls.slice(1)).toEqual([
        { cmd: 'choose_save_path', args: { kind: 'csv', suggestedName: 'controls.csv' } },
        { cmd: 'export_csv', args: { register: 'controls', target: 't-1' } },
      ]),
    );
  });

  it('offers no import in a read-only workspace', () => {
    backend({});
    workspace.readOnly = true;
    render(CsvTransfer, { props: { register: 'controls', label: 'controls', onimported: () => {} } });
    expect(screen.queryByLabelText('CSV file to import into controls')).toBeNull();
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeTruthy();
  });
});
