import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import DateField from './DateField.svelte';

describe('DateField', () => {
  it('spells out a typed date, and says how to write one it cannot read', async () => {
    render(DateField, { props: { id: 'due', label: 'Due date', value: '' } });
    const input = screen.getByLabelText('Due date') as HTMLInputElement;
    await userEvent.type(input, '2026-05-01');
    expect(document.getElementById('due-hint')?.textContent).toBe('Friday 1 May 2026');
    await userEvent.clear(input);
    await userEvent.type(input, '01/05/2026');
    expect(document.getElementById('due-hint')?.textContent).toBe('Write it as YYYY-MM-DD.');
  });

  it('picks a day from the calendar with the mouse', async () => {
    render(DateField, { props: { id: 'due', label: 'Due date', value: '2026-05-01' } });
    await userEvent.click(screen.getByRole('button', { name: 'Pick Due date from a calendar' }));
    const dialog = screen.getByRole('dialog', { name: 'Choose Due date' });
    expect(dialog.textContent).toContain('May 2026');
    expect(screen.getByRole('button', { name: 'Friday 1 May 2026' }).getAttribute('aria-pressed')).toBe('true');
    await userEvent.click(screen.getByRole('button', { name: 'Wednesday 20 May 2026' }));
    expect((screen.getByLabelText('Due date') as HTMLInputElement).value).toBe('2026-05-20');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('moves through days and months with the keyboard, keeping a typed time', async () => {
    render(DateField, { props: { id: 'at', label: 'Detected at', value: '2026-01-31 14:30', time: true } });
    await userEvent.click(screen.getByRole('button', { name: 'Pick Detected at from a calendar' }));
    // Focus starts on the picked day; Page Down goes to the same day of next month (kept in range).
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Saturday 31 January 2026');
    await userEvent.keyboard('{PageDown}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Saturday 28 February 2026');
    await userEvent.keyboard('{ArrowRight}{ArrowDown}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Sunday 8 March 2026');
    await userEvent.keyboard('{Enter}');
    expect((screen.getByLabelText('Detected at') as HTMLInputElement).value).toBe('2026-03-08 14:30');
  });

  it('closes on Escape without changing the date, and gives focus back', async () => {
    render(DateField, { props: { id: 'due', label: 'Due date', value: '2026-05-01' } });
    const toggle = screen.getByRole('button', { name: 'Pick Due date from a calendar' });
    await userEvent.click(toggle);
    await userEvent.keyboard('{ArrowRight}{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(toggle);
    expect((screen.getByLabelText('Due date') as HTMLInputElement).value).toBe('2026-05-01');
  });

  it('shows the error the core gave in place of the spelled-out day', () => {
    render(DateField, { props: { id: 'due', label: 'Due date', value: '2026-05-01', error: 'Due date is before the start.' } });
    expect(document.getElementById('due-error')?.textContent).toBe('Due date is before the start.');
    expect(screen.getByLabelText('Due date').getAttribute('aria-describedby')).toBe('due-error');
  });
});
