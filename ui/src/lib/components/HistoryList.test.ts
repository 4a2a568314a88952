import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import HistoryList from './HistoryList.svelte';

describe('HistoryList', () => {
  it('names who made each change, when it is known', () => {
    render(HistoryList, {
      entries: [
        { id: 2, action: 'update', at: '2026-05-01T09:30:00Z', actor: 'ana', changes: [{ field: 'log review', old: 'on 2026-03-30', new: 'on 2026-04-30' }] },
        { id: 1, action: 'create', at: '2026-04-01T08:00:00Z', actor: '', changes: [] },
      ],
    });
    const [changed, created] = within(screen.getByRole('list', { name: 'History' })).getAllByRole('listitem').filter((li) => li.parentElement?.getAttribute('aria-label') === 'History');
    expect(within(changed).getByText('by ana')).toBeTruthy();
    expect(changed.textContent).toContain('on 2026-03-30 → on 2026-04-30');
    expect(created.querySelector('.history-who')).toBeNull();
  });
});
