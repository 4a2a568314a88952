import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Harness from '../../test/DataTableHarness.svelte';

const fruit = [
  { id: 1, name: 'Apple' },
  { id: 2, name: 'Pear' },
];

function query(over: Partial<{ offset: number; limit: number }> = {}) {
  return { offset: 0, limit: 2, goTo: vi.fn(), sort: 'name' as const, descending: false, sortBy: vi.fn(), ...over };
}

describe('DataTable', () => {
  it('shows nothing until the rows are loaded', () => {
    render(Harness, { props: { rows: null } });
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByText('No fruit yet')).toBeNull();
  });

  it('shows the empty state instead of a table without rows', () => {
    render(Harness, { props: { rows: [] } });
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('No fruit yet')).toBeTruthy();
  });

  it('lists one row per record under plain headings', () => {
    render(Harness, { props: { rows: fruit } });
    const table = screen.getByRole('table', { name: 'Fruit' });
    const headings = within(table).getAllByRole('columnheader');
    expect(headings.map((h) => h.textContent)).toEqual(['Colour', 'Kg']);
    expect(headings[1].getAttribute('title')).toBe('Weight in kilograms');
    const cells = within(table).getAllByRole('cell').map((c) => c.textContent);
    expect(cells).toEqual(['Apple', '0', '—', 'Pear', '1', '—']);
    expect(screen.queryByRole('button', { name: 'Next' })).toBeNull();
  });

  it('pages and sorts a list query, empty by its total', async () => {
    const list = query();
    const { rerender } = render(Harness, { props: { page: { rows: fruit, total: 5 }, list } });
    const table = screen.getByRole('table', { name: 'Fruit' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name ▴', 'Colour', 'Kg']);
    await userEvent.click(within(table).getByRole('button', { name: /Name/ }));
    expect(list.sortBy).toHaveBeenCalledWith('name');
    expect(screen.getByText('1–2 of 5')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(list.goTo).toHaveBeenCalledWith(2);

    await rerender({ page: { rows: [], total: 0 }, list });
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('No fruit yet')).toBeTruthy();
  });
});
