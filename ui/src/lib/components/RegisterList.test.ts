import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Harness from '../../test/RegisterListHarness.svelte';

describe('RegisterList', () => {
  it('shows the search box, the filters, the count and the list', async () => {
    const searched = vi.fn();
    render(Harness, { props: { count: 2, searched } });
    expect(screen.getByRole('checkbox', { name: 'Ripe only' })).toBeTruthy();
    expect(screen.getByTestId('fruits-count').textContent).toBe('2 fruits');
    expect(screen.getByText('The fruit')).toBeTruthy();
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search fruit' }), 'a');
    expect(searched).toHaveBeenCalled();
  });

  it('counts one record in the singular, and nothing until loaded', async () => {
    const { rerender } = render(Harness, { props: { count: undefined } });
    expect(screen.queryByTestId('fruits-count')).toBeNull();
    await rerender({ count: 1 });
    expect(screen.getByTestId('fruits-count').textContent).toBe('1 fruit');
  });
});
