import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import RolesForm from './RolesForm.svelte';
import { backend, validation } from '../../test/backend';
import { notices } from '$lib/notices.svelte';

const holder = (key: string, title: string, person: { id: number; name: string } | null, extra = {}) => ({
  key,
  title,
  person,
  person_leaves_on: null,
  records: 34,
  unowned: person ? 0 : 34,
  ...extra,
});
const person = (id: number, name: string) => ({ id, name, email: '', role: '', start_date: null, end_date: null, archived: false, created_at: '', updated_at: '' });

describe('Roles', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    notices.splice(0);
  });

  it('maps a role to a person, says how many records moved, and flags a holder who leaves', async () => {
    const calls = backend({
      role_holders: () => [holder('security_lead', 'Security Lead', null), holder('people_lead', 'People Lead', { id: 3, name: 'Pat' }, { person_leaves_on: '2026-12-15', records: 9 })],
      list_people: () => [person(2, 'Cleo'), person(3, 'Pat')],
      assign_role: (a) => ({ holder: holder('security_lead', 'Security Lead', { id: a.personId as number, name: 'Cleo' }), moved: 34 }),
    });
    render(RolesForm);
    const select = (await screen.findByLabelText('Security Lead')) as HTMLSelectElement;
    expect(screen.getByTestId('role-security_lead-records').textContent).toBe('34 (34 without an owner)');
    expect(screen.getByTestId('role-people_lead-leaving').textContent).toBe('Pat leaves on 2026-12-15: map the role to a successor.');
    await waitFor(() => expect(select.querySelectorAll('option')).toHaveLength(3));
    await userEvent.selectOptions(select, '2');
    await waitFor(() => expect(screen.getByTestId('role-security_lead-records').textContent).toBe('34'));
    expect(calls.find((c) => c.cmd === 'assign_role')?.args).toEqual({ role: 'security_lead', personId: 2 });
    expect(notices.map((n) => n.text)).toContain('Cleo is now Security Lead, and owns 34 more records of the role.');
  });

  it('shows a refused mapping next to its role and keeps the holder as it was', async () => {
    backend({
      role_holders: () => [holder('security_lead', 'Security Lead', null)],
      list_people: () => [person(2, 'Cleo')],
      assign_role: () => {
        throw validation({ person_id: 'That person is archived; choose an active holder.' });
      },
    });
    render(RolesForm);
    const select = (await screen.findByLabelText('Security Lead')) as HTMLSelectElement;
    await waitFor(() => expect(select.querySelectorAll('option')).toHaveLength(2));
    await userEvent.selectOptions(select, '2');
    expect(await screen.findByText('That person is archived; choose an active holder.')).toBeTruthy();
    await waitFor(() => expect(select.value).toBe(''));
    expect(select.getAttribute('aria-invalid')).toBe('true');
  });
});
