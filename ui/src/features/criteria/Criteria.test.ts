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
    backend({ list_criteria: () => [c('CC1.1', 'security', true), c('CC1.2', 'security', true), c('A1.1', 'availability', false)] });
    render(Criteria);
    const security = await screen.findByRole('region', { name: 'Security (common criteria)' });
    expect(within(security).getByText('In scope')).toBeTruthy();
    expect(within(security).getAllByRole('row')).toHaveLength(2);
    const availability = screen.getByRole('region', { name: 'Availability' });
    expect(within(availability).getByText('Out of scope')).toBeTruthy();
    expect(screen.getByTestId('criteria-count').textContent).toBe('3 of 3 criteria · 2 in scope');
  });

  it('filters by ID or words', async () => {
    backend({ list_criteria: () => [c('CC1.1', 'security', true), c('A1.1', 'availability', false)] });
    render(Criteria);
    await screen.findByText('Title of A1.1');
    await userEvent.type(screen.getByLabelText('Filter criteria'), 'a1.');
    expect(screen.queryByText('Title of CC1.1')).toBeNull();
    expect(screen.getByTestId('criteria-count').textContent).toBe('1 of 2 criteria · 1 in scope');
  });
});
