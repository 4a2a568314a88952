import { describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Harness from '../../test/DetailPageHarness.svelte';

describe('DetailPage', () => {
  it('shows the title with its reference, the subtitle, the cards and the history', () => {
    render(Harness, { props: { archive: vi.fn(), onchanged: vi.fn() } });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('SYS-1 · Billing');
    expect(screen.getByText('Owned by Ana')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Facts' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Change history' })).toBeTruthy();
  });

  it('opens the record form on Edit and closes it on cancel', async () => {
    render(Harness, { props: { archive: vi.fn(), onchanged: vi.fn() } });
    expect(screen.queryByRole('complementary', { name: 'Edit record' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    expect(screen.getByRole('complementary', { name: 'Edit record' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel edit' }));
    expect(screen.queryByRole('complementary', { name: 'Edit record' })).toBeNull();
  });

  it('archives the record, then reloads', async () => {
    const archive = vi.fn(() => Promise.resolve());
    const onchanged = vi.fn();
    render(Harness, { props: { archive, onchanged } });
    await userEvent.click(screen.getByRole('button', { name: 'Archive' }));
    expect(archive).toHaveBeenCalledWith(true);
    expect(onchanged).toHaveBeenCalled();
  });

  it("shows the screen's own panel instead of the form while it is open", async () => {
    render(Harness, { props: { archive: vi.fn(), onchanged: vi.fn(), panel: true } });
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    expect(screen.getByRole('complementary', { name: 'Other panel' })).toBeTruthy();
    expect(screen.queryByRole('complementary', { name: 'Edit record' })).toBeNull();
  });
});
