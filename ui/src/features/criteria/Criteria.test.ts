import { describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Criteria from './Criteria.svelte';
import { backend } from '../../test/backend';

const c = (id: string, category: string, in_scope: boolean) => ({
  id,
  category,
  series: id.split('.')[0],
  series_title: `Series ${id.split('.')[0]}`,
  title: `Title of ${id}`,
  summary: `Summary of ${id}`,
  in_scope,
});

describe('Criteria library', () => {
  it('groups criteria by category and marks the ones out of scope', async () => {
    backend({ list_criteria: () => [c('CC1.1', 'security', true), c('CC1.2', 'security', true), c('A1.1', 'availability', false)], criteria_coverage: () => [] });
    render(Criteria);
    const security = await screen.findByRole('region', { name: 'Security (common criteria)' });
    expect(within(security).getByText('In scope')).toBeTruthy();
    expect(within(security).getAllByRole('row')).toHaveLength(2);
    const availability = screen.getByRole('region', { name: 'Availability' });
    expect(within(availability).getByText('Out of scope')).toBeTruthy();
    expect(screen.getByTestId('criteria-count').textContent).toBe('3 of 3 criteria · 2 in scope');
  });

  it('filters by ID or words', async () => {
    backend({ list_criteria: () => [c('CC1.1', 'security', true), c('A1.1', 'availability', false)], criteria_coverage: () => [] });
    render(Criteria);
    await screen.findByText('Title of A1.1');
    await userEvent.type(screen.getByLabelText('Filter criteria'), 'a1.');
    expect(screen.queryByText('Title of CC1.1')).toBeNull();
    expect(screen.getByTestId('criteria-count').textContent).toBe('1 of 2 criteria · 1 in scope');
  });

  it('shows how each in-scope criterion is covered today, and narrows to the gaps', async () => {
    const k = (id: string, coverage: string, controls: number, implemented: number) => ({ id, coverage, controls, implemented });
    const calls = backend({
      list_criteria: () => [c('CC6.1', 'security', true), c('CC6.2', 'security', true), c('CC6.3', 'security', true), c('CC7.1', 'security', true), c('A1.1', 'availability', false)],
      criteria_coverage: () => [k('CC6.1', 'covered', 2, 1), k('CC6.2', 'not_operating', 1, 1), k('CC6.3', 'not_implemented', 1, 0), k('CC7.1', 'unmapped', 0, 0), k('A1.1', 'unmapped', 0, 0)],
      list_controls: () => ({ rows: [], total: 0 }),
    });
    render(Criteria);
    expect((await screen.findByTestId('coverage-CC6.1')).textContent).toBe('Covered');
    expect(screen.getByTestId('coverage-CC6.2').textContent).toBe('Not operating');
    expect(screen.getByTestId('coverage-CC6.3').textContent).toBe('Not implemented');
    expect(screen.getByTestId('coverage-CC7.1').textContent).toBe('No control');
    expect(screen.getByTestId('coverage-CC6.1').className).toContain('tag-ok');
    expect(screen.getByTestId('coverage-CC7.1').className).toContain('tag-danger');
    // Out of scope: the mapping is shown, but no verdict.
    expect(screen.queryByTestId('coverage-A1.1')).toBeNull();
    expect(screen.getByText('2 controls, 1 implemented')).toBeTruthy();
    expect(screen.getByTestId('criteria-count').textContent).toBe('5 of 5 criteria · 4 in scope · 1 of 4 covered today');
    expect(calls.find((x) => x.cmd === 'criteria_coverage')?.args).toEqual({ asOf: '' });

    await userEvent.click(screen.getByLabelText('Only in-scope gaps'));
    expect(screen.queryByText('Title of CC6.1')).toBeNull();
    expect(screen.queryByText('Title of A1.1')).toBeNull();
    expect(screen.getByText('Title of CC6.2')).toBeTruthy();
    expect(screen.getByText('Title of CC7.1')).toBeTruthy();
    expect(screen.getByTestId('criteria-count').textContent).toBe('3 of 5 criteria · 4 in scope · 1 of 4 covered today');
  });
});
