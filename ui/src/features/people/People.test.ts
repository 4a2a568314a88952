import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import People from './People.svelte';
import { backend, validation } from '../../test/backend';
import { notices } from '$lib/notices.svelte';

type P = { id: number; name: string; email: string; role: string; start_date: string | null; end_date: string | null; archived: boolean };

function fakeDirectory(initial: P[] = []) {
  const people = [...initial];
  return backend({
    people_page: (a) => {
      const q = a.query as { search: string; include_archived: boolean; leavers_only: boolean; descending: boolean };
      const rows = people.filter(
        (p) =>
          (q.include_archived || !p.archived) &&
          (!q.leavers_only || p.end_date !== null) &&
          p.name.toLowerCase().includes(q.search.toLowerCase()),
      );
      if (q.descending) rows.reverse();
      return { total: rows.length, rows };
    },
    create_person: (a) => {
      const input = a.input as P;
      if (people.some((p) => p.email === input.email)) throw validation({ email: 'Ann Lee already uses this email.' });
      const p = { ...input, id: people.length + 1, archived: false, start_date: input.start_date || null, end_date: input.end_date || null };
      people.push(p);
      return p;
    },
  });
}

describe('People', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('says what to do when there is nobody yet', async () => {
    fakeDirectory();
    render(People);
    expect(await screen.findByText('No people yet')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add the first person' })).toBeTruthy();
  });

  it('adds a person who then appears in the list', async () => {
    fakeDirectory();
    render(People);
    await userEvent.click(await screen.findByRole('button', { name: 'Add the first person' }));
    await userEvent.type(screen.getByLabelText('Name'), 'Ann Lee');
    await userEvent.type(screen.getByLabelText('Email'), 'ann@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Save person' }));
    const table = await screen.findByRole('table', { name: 'People' });
    expect(within(table).getByText('ann@example.com')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Person' })).toBeNull();
  });

  it('shows a duplicate email next to the email field and keeps the form open', async () => {
    fakeDirectory([{ id: 1, name: 'Ann Lee', email: 'ann@example.com', role: '', start_date: null, end_date: null, archived: false }]);
    render(People);
    await userEvent.click(await screen.findByRole('button', { name: 'Add person' }));
    await userEvent.type(screen.getByLabelText('Name'), 'Other Ann');
    await userEvent.type(screen.getByLabelText('Email'), 'ann@example.com');
    const form = screen.getByRole('form', { name: 'Person' });
    await userEvent.click(within(form).getByRole('button', { name: 'Save person' }));
    expect(await screen.findByText('Ann Lee already uses this email.')).toBeTruthy();
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Email')));
    expect(screen.getByLabelText('Name')).toHaveProperty('value', 'Other Ann');
  });

  it('says why a save was refused when the refusal names no field, and keeps the form open', async () => {
    notices.splice(0);
    backend({
      people_page: () => ({ total: 0, rows: [] }),
      create_person: () => {
        throw { code: 'validation', message: 'This workspace holds as many people as it can.', fields: [] };
      },
    });
    render(People);
    await userEvent.click(await screen.findByRole('button', { name: 'Add the first person' }));
    await userEvent.type(screen.getByLabelText('Name'), 'Ann Lee');
    await userEvent.click(screen.getByRole('button', { name: 'Save person' }));
    await waitFor(() => expect(notices.map((n) => n.text)).toEqual(['This workspace holds as many people as it can.']));
    expect(screen.getByRole('form', { name: 'Person' })).toBeTruthy();
  });

  it('debounces search and marks leavers', async () => {
    const calls = fakeDirectory([
      { id: 1, name: 'Ann Lee', email: 'ann@example.com', role: 'CTO', start_date: '2024-01-01', end_date: null, archived: false },
      { id: 2, name: 'Bob Stone', email: 'bob@example.com', role: 'Eng', start_date: '2024-01-01', end_date: '2026-10-31', archived: false },
    ]);
    render(People);
    expect(await screen.findByText('Leaver · 2026-10-31')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Search people'), 'bob');
    await waitFor(() => expect(screen.queryByText('ann@example.com')).toBeNull());
    const searches = calls.filter((c) => c.cmd === 'people_page').map((c) => (c.args.query as { search: string }).search);
    expect(searches.at(-1)).toBe('bob');
    expect(searches.length).toBeLessThan(4);
  });
});

describe('People list', () => {
  it('sorts by a column and filters leavers', async () => {
    const calls = fakeDirectory([
      { id: 1, name: 'Ann Lee', email: 'ann@example.com', role: 'CTO', start_date: '2024-01-01', end_date: null, archived: false },
      { id: 2, name: 'Bob Stone', email: 'bob@example.com', role: 'Eng', start_date: '2024-01-01', end_date: '2026-10-31', archived: false },
    ]);
    render(People);
    await screen.findByText('ann@example.com');
    await userEvent.click(screen.getByRole('button', { name: /Name/ }));
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('descending');
    await userEvent.click(screen.getByLabelText('Leavers only'));
    await waitFor(() => expect(screen.queryByText('ann@example.com')).toBeNull());
    expect(screen.getByTestId('people-count').textContent).toBe('1 person');
    const last = calls.filter((c) => c.cmd === 'people_page').at(-1)?.args.query;
    expect(last).toMatchObject({ sort: 'name', descending: true, leavers_only: true, offset: 0 });
  });
});
