import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import CsvTransfer from './CsvTransfer.svelte';
import { backend } from '../../test/backend';
import { workspace } from '$lib/workspace.svelte';
import type { ImportPreview, ImportReport } from '$lib/api';

/** What the open dialog answers: a CSV file (no sheets) unless told otherwise. */
const picked = (file_name: string, sheets: string[] = [], sheet: string | null = null) => () => ({
  token: 'pick-1',
  source: { file_name, sheets, sheet },
});

/** The preview of a file whose headings are all the register's: no column step. */
const plain = (a: Record<string, unknown>): ImportPreview => ({
  source: { file_name: 'file.csv', sheets: [], sheet: (a.sheet as string | null) ?? null },
  columns: [],
  register_columns: [],
  required: [],
  rows: 1,
  needs_mapping: false,
});

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

const imports = (calls: { cmd: string; args: Record<string, unknown> }[]) => calls.filter((c) => c.cmd === 'import_file');

describe('CSV import and export', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    workspace.readOnly = false;
  });

  it('checks the file first and lists every problem, importing nothing', async () => {
    const calls = backend({
      choose_import_file: picked('controls.csv'),
      preview_import_file: plain,
      import_file: () =>
        report({ errors: [{ line: 3, column: 'status', message: 'Status must be one of …' }], error_count: 140 }),
    });
    const onimported = vi.fn();
    render(CsvTransfer, { props: { register: 'controls', label: 'controls', onimported } });
    await userEvent.click(screen.getByRole('button', { name: 'Import controls from a CSV file or workbook' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import check' });
    expect(within(dialog).getByText('controls.csv cannot be imported')).toBeTruthy();
    expect(within(dialog).getByTestId('import-summary').textContent).toContain('these 140 problems');
    expect(within(dialog).getByTestId('import-more').textContent).toBe('Showing the first 1 of 140 problems.');
    const row = within(within(dialog).getByRole('table', { name: 'Import problems' })).getAllByRole('row')[1];
    expect(row.textContent).toContain('3');
    expect(row.textContent).toContain('status');
    expect(calls).toEqual([
      { cmd: 'choose_import_file', args: { register: 'controls' } },
      { cmd: 'preview_import_file', args: { register: 'controls', token: 'pick-1', sheet: null } },
      {
        cmd: 'import_file',
        args: {
          register: 'controls',
          token: 'pick-1',
          sheet: null,
          columns: null,
          options: { dry_run: true, allow_clearing: false },
        },
      },
    ]);
    expect(within(dialog).queryByRole('button', { name: 'Import' })).toBeNull();
    expect(onimported).not.toHaveBeenCalled();
  });

  it('lists the fields that change and imports after the check when the user confirms', async () => {
    const calls = backend({
      choose_import_file: picked('people.csv'),
      preview_import_file: plain,
      import_file: (a) => {
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
    await userEvent.click(screen.getByRole('button', { name: 'Import people from a CSV file or workbook' }));
    expect((await screen.findByTestId('import-summary')).textContent?.trim()).toBe('1 new, 1 updated, 0 unchanged.');
    const rows = within(screen.getByRole('table', { name: 'Changes' })).getAllByRole('row');
    expect(rows[1].textContent).toMatch(/ann@acme\.test\s*role\s*CTO\s*CEO/);
    expect(rows[2].textContent).toContain('bo@acme.test');
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect(onimported).toHaveBeenCalledOnce();
    expect(imports(calls).map((c) => c.args.options)).toEqual([
      { dry_run: true, allow_clearing: false },
      { dry_run: false, allow_clearing: false },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('will not clear stored values until the user ticks the confirmation', async () => {
    const cleared = { line: 2, key: 'GitHub', action: 'updated' as const, fields: [{ column: 'mfa_enforced', old: 'yes', new: 'no', cleared: true }] };
    const calls = backend({
      choose_import_file: picked('systems.csv'),
      preview_import_file: plain,
      import_file: (a) => {
        const o = a.options as { dry_run: boolean; allow_clearing: boolean };
        return report({ dry_run: o.dry_run, applied: !o.dry_run, updated: 1, cleared: 1, changes: [cleared] });
      },
    });
    const onimported = vi.fn();
    render(CsvTransfer, { props: { register: 'systems', label: 'systems', onimported } });
    await userEvent.click(screen.getByRole('button', { name: 'Import systems from a CSV file or workbook' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import check' });
    expect(within(dialog).getByRole('alert').textContent).toContain('1 stored value will be cleared');
    const importButton = within(dialog).getByRole('button', { name: 'Import' }) as HTMLButtonElement;
    expect(importButton.disabled).toBe(true);
    await userEvent.click(within(dialog).getByLabelText('Clear this value'));
    expect(importButton.disabled).toBe(false);
    await userEvent.click(importButton);
    expect(imports(calls).map((c) => c.args.options)).toEqual([
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
    const menu = screen.getByRole('button', { name: 'controls as CSV: export or template' });
    await userEvent.click(menu);
    await userEvent.click(screen.getByRole('menuitem', { name: 'Export CSV' }));
    await vi.waitFor(() => expect(calls.map((c) => c.cmd)).toEqual(['choose_save_path']));
    expect(calls[0].args).toEqual({ kind: 'csv', suggestedName: 'controls.csv' });
    expect(screen.queryByRole('menu')).toBeNull();
    answer = { token: 't-1', path: '/home/ops/controls.csv' };
    await userEvent.click(menu);
    await userEvent.click(screen.getByRole('menuitem', { name: 'Export CSV' }));
    await vi.waitFor(() =>
      expect(calls.slice(1)).toEqual([
        { cmd: 'choose_save_path', args: { kind: 'csv', suggestedName: 'controls.csv' } },
        { cmd: 'export_csv', args: { register: 'controls', target: 't-1' } },
      ]),
    );
  });

  it('offers no import in a read-only workspace', async () => {
    backend({});
    workspace.readOnly = true;
    render(CsvTransfer, { props: { register: 'controls', label: 'controls', onimported: () => {} } });
    expect(screen.queryByRole('button', { name: 'Import controls from a CSV file or workbook' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'controls as CSV: export or template' }));
    expect(screen.getAllByRole('menuitem').map((m) => m.textContent?.trim())).toEqual(['Export CSV']);
  });

  it('asks which sheet of a workbook to read when none is named after the register, and checks again on a change', async () => {
    const calls = backend({
      choose_import_file: picked('auditor.xlsx', ['Notes', 'Reviews Q3', 'Reviews Q4']),
      preview_import_file: plain,
      import_file: (a) => report({ created: a.sheet === 'Reviews Q4' ? 4 : 3 }),
    });
    render(CsvTransfer, { props: { register: 'access_reviews', label: 'access reviews', onimported: () => {} } });
    await userEvent.click(screen.getByRole('button', { name: 'Import access reviews from a CSV file or workbook' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import check' });
    expect(within(dialog).getByRole('heading').textContent).toBe('Which sheet of auditor.xlsx holds the access reviews?');
    // Nothing is read before the sheet is chosen.
    expect(calls.map((c) => c.cmd)).toEqual(['choose_import_file']);
    const select = within(dialog).getByLabelText('Sheet of auditor.xlsx');
    await userEvent.selectOptions(select, 'Reviews Q3');
    expect((await within(dialog).findByTestId('import-summary')).textContent?.trim()).toBe('3 new, 0 updated, 0 unchanged.');
    await userEvent.selectOptions(select, 'Reviews Q4');
    await vi.waitFor(() =>
      expect(within(dialog).getByTestId('import-summary').textContent?.trim()).toBe('4 new, 0 updated, 0 unchanged.'),
    );
    expect(imports(calls).map((c) => c.args.sheet)).toEqual(['Reviews Q3', 'Reviews Q4']);
  });

  it('reads the sheet named after the register at once, and a cancelled dialog does nothing', async () => {
    let answer: unknown = null;
    const calls = backend({
      choose_import_file: () => answer,
      preview_import_file: plain,
      import_file: () => report({ created: 2 }),
    });
    render(CsvTransfer, { props: { register: 'access_reviews', label: 'access reviews', onimported: () => {} } });
    const button = screen.getByRole('button', { name: 'Import access reviews from a CSV file or workbook' });
    await userEvent.click(button);
    expect(screen.queryByRole('dialog')).toBeNull();
    answer = picked('auditor.xlsx', ['Notes', 'Access reviews'], 'Access reviews')();
    await userEvent.click(button);
    expect((await screen.findByTestId('import-summary')).textContent?.trim()).toBe('2 new, 0 updated, 0 unchanged.');
    expect(calls.map((c) => [c.cmd, c.args.sheet])).toEqual([
      ['choose_import_file', undefined],
      ['choose_import_file', undefined],
      ['preview_import_file', 'Access reviews'],
      ['import_file', 'Access reviews'],
    ]);
  });

  it('a second file of a screen is one menu: import, template and export, closed by Escape', async () => {
    const calls = backend({ choose_import_file: () => null });
    render(CsvTransfer, {
      props: { register: 'activities', label: 'control activities', title: 'Activities', onimported: () => {} },
    });
    const menuButton = screen.getByRole('button', { name: 'Activities: import, template or export' });
    expect(menuButton.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(menuButton);
    expect(menuButton.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getAllByRole('menuitem').map((m) => m.textContent?.trim())).toEqual(['Import…', 'Template', 'Export CSV']);
    await vi.waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe('Import…'));
    await userEvent.keyboard('{ArrowDown}');
    expect(document.activeElement?.textContent?.trim()).toBe('Template');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(menuButton);
    await userEvent.click(menuButton);
    await userEvent.click(screen.getByRole('menuitem', { name: 'Import control activities from a CSV file or workbook' }));
    await vi.waitFor(() => expect(calls).toEqual([{ cmd: 'choose_import_file', args: { register: 'activities' } }]));
  });

  it('saves a template where the user chose', async () => {
    const calls = backend({
      choose_save_path: () => ({ token: 't-9', path: '/home/ops/access_reviews-template.csv' }),
      export_template: () => '/home/ops/access_reviews-template.csv',
    });
    render(CsvTransfer, { props: { register: 'access_reviews', label: 'access reviews', onimported: () => {} } });
    await userEvent.click(screen.getByRole('button', { name: 'access reviews as CSV: export or template' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Template' }));
    await vi.waitFor(() =>
      expect(calls).toEqual([
        { cmd: 'choose_save_path', args: { kind: 'csv', suggestedName: 'access_reviews-template.csv' } },
        { cmd: 'export_template', args: { register: 'access_reviews', target: 't-9' } },
      ]),
    );
  });

  it("asks which column holds what when the file's headings are someone else's, and imports as chosen", async () => {
    const choice = (header: string, column: string | null, matched: string, samples: string[] = []) => ({
      header,
      column,
      matched,
      samples,
    });
    const calls = backend({
      choose_import_file: picked('pbc.xlsx', ['PBC List'], 'PBC List'),
      preview_import_file: () => ({
        source: { file_name: 'pbc.xlsx', sheets: ['PBC List'], sheet: 'PBC List' },
        columns: [
          choice('PBC #', 'request_id', 'named', ['PBC-101', 'PBC-102']),
          choice('Information Requested', 'description', 'named'),
          choice('Priority', null, 'unmatched', ['High', 'Low']),
          choice('Request Status', 'status', 'guessed'),
        ],
        register_columns: ['request_id', 'description', 'status', 'notes'],
        required: ['request_id', 'description'],
        rows: 2,
        needs_mapping: true,
      }),
      import_file: () => report({ created: 2 }),
    });
    render(CsvTransfer, { props: { register: 'requests', label: 'requests', onimported: () => {} } });
    await userEvent.click(screen.getByRole('button', { name: 'Import requests from a CSV file or workbook' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import check' });
    expect(within(dialog).getByRole('heading').textContent).toBe('Which column of pbc.xlsx holds what?');
    const table = within(dialog).getByRole('table', { name: 'Columns of the file' });
    expect(within(table).getAllByRole('row')[1].textContent).toContain('PBC-101 · PBC-102');
    expect(within(table).getByText('guessed: check it')).toBeTruthy();
    expect(within(table).getByText('not recognised: ignored')).toBeTruthy();
    const check = within(dialog).getByRole('button', { name: 'Check the file' }) as HTMLButtonElement;
    // Two headings read as one column: refused next to the field, and nothing is checked.
    const priority = within(dialog).getByLabelText('Read Priority as');
    await userEvent.selectOptions(priority, 'description');
    expect(within(table).getAllByRole('alert')[0].textContent).toContain('Another heading is read as description');
    expect(check.disabled).toBe(true);
    // A required column left without a heading: said so, still nothing checked.
    await userEvent.selectOptions(priority, '');
    await userEvent.selectOptions(within(dialog).getByLabelText('Read PBC # as'), '');
    expect(within(dialog).getByTestId('mapping-missing').textContent).toContain('request_id');
    expect(check.disabled).toBe(true);
    expect(imports(calls)).toEqual([]);
    await userEvent.selectOptions(within(dialog).getByLabelText('Read PBC # as'), 'request_id');
    await userEvent.selectOptions(priority, 'notes');
    expect(within(table).getByText('your choice')).toBeTruthy();
    await userEvent.click(check);
    expect((await within(dialog).findByTestId('import-summary')).textContent?.trim()).toBe('2 new, 0 updated, 0 unchanged.');
    expect(imports(calls)[0].args.columns).toEqual([
      { header: 'PBC #', column: 'request_id' },
      { header: 'Information Requested', column: 'description' },
      { header: 'Priority', column: 'notes' },
      { header: 'Request Status', column: 'status' },
    ]);
    // Back to the columns from the check.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Columns…' }));
    expect(within(dialog).getByRole('heading').textContent).toBe('Which column of pbc.xlsx holds what?');
  });
});
