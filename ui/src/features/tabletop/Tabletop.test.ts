import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Tabletop from './Tabletop.svelte';
import { backend } from '../../test/backend';

const person = (id: number, name: string) => ({ id, name, email: '', role: '', start_date: null, end_date: null, archived: false, created_at: '', updated_at: '' });
const script = (id: string, title: string) => ({ script: { kind: 'built_in', id }, title, scenario: id, summary: `${title}.`, injects: 5, duration_minutes: 90, built_in: true });
const role = (name: string, kind: string, person: { id: number; name: string } | null) => ({ name, kind, description: '', played_by: null, person });

const ana = { id: 1, name: 'Ana Lead' };
const ben = { id: 2, name: 'Ben Eng' };
const cy = { id: 3, name: 'Cy Ceo' };

describe('Planning an exercise', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('opened before the scripts have loaded, the plan takes the first script once they arrive', async () => {
    let library: ((v: unknown) => void) | null = null;
    backend({
      list_exercises: () => [],
      tabletop_library: () => new Promise((resolve) => (library = resolve)),
      list_people: () => [person(1, 'Ana Lead'), person(2, 'Ben Eng')],
      exercise_cast: () => [role('Facilitator', 'facilitator', ana), role('Engineering lead', 'player', ben)],
    });
    render(Tabletop);
    await userEvent.click(await screen.findByRole('button', { name: 'Plan an exercise' }));
    const form = screen.getByRole('form', { name: 'Plan' });
    expect(library).not.toBeNull();
    library!([script('ransomware', 'Ransomware'), script('ddos', 'DDoS')]);
    expect(await within(form).findByTestId('cast-note')).toBeTruthy();
    expect((within(form).getByLabelText('Script') as HTMLSelectElement).value).toBe('b:ransomware');
    // The people list arrives after the scripts; then the cast's facilitator shows.
    await vi.waitFor(() => expect((within(form).getByLabelText('Facilitator') as HTMLSelectElement).value).toBe('1'));
  });

  it('starts from who holds each role, keeps what the user changed, and ignores a late answer for another script', async () => {
    let slow: ((v: unknown) => void) | null = null;
    const calls = backend({
      list_exercises: () => [],
      tabletop_library: () => [script('ransomware', 'Ransomware'), script('lost-laptop', 'Lost laptop'), script('ddos', 'DDoS')],
      list_people: () => [person(1, 'Ana Lead'), person(2, 'Ben Eng'), person(3, 'Cy Ceo')],
      exercise_cast: (a) => {
        const id = (a.script as { id: string }).id;
        if (id === 'ransomware') return [role('Facilitator', 'facilitator', ana), role('Engineering lead', 'player', ben), role('CEO', 'player', null), role('Scribe', 'scribe', null)];
        if (id === 'lost-laptop') return new Promise((resolve) => (slow = resolve));
        return [role('Facilitator', 'facilitator', null), role('Incident lead', 'player', cy)];
      },
      plan_exercise: () => {
        throw { code: 'internal', message: 'stop here', fields: [] };
      },
    });
    render(Tabletop);
    await userEvent.click(await screen.findByRole('button', { name: 'Plan an exercise' }));
    const form = screen.getByRole('form', { name: 'Plan' });
    // The ransomware script: Ana facilitates, Ben plays the engineering lead; no one is the CEO.
    expect(await within(form).findByTestId('cast-note')).toBeTruthy();
    expect((within(form).getByLabelText('Facilitator') as HTMLSelectElement).value).toBe('1');
    expect((within(form).getByLabelText('Ben Eng') as HTMLInputElement).checked).toBe(true);
    expect((within(form).getByLabelText('Role of Ben Eng') as HTMLSelectElement).value).toBe('Engineering lead');
    expect((within(form).getByLabelText('Cy Ceo') as HTMLInputElement).checked).toBe(false);
    expect(calls.find((c) => c.cmd === 'exercise_cast')!.args.plannedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // Another script, untouched form: its cast replaces the first. The slow answer for the
    // lost-laptop script arrives after the DDoS one and is ignored.
    const scriptSelect = within(form).getByLabelText('Script');
    await userEvent.selectOptions(scriptSelect, 'b:lost-laptop');
    await userEvent.selectOptions(scriptSelect, 'b:ddos');
    await vi.waitFor(() => expect((within(form).getByLabelText('Cy Ceo') as HTMLInputElement).checked).toBe(true));
    expect((within(form).getByLabelText('Facilitator') as HTMLSelectElement).value).toBe('');
    slow!([role('Facilitator', 'facilitator', ben)]);
    await new Promise((r) => setTimeout(r, 20));
    expect((within(form).getByLabelText('Facilitator') as HTMLSelectElement).value).toBe('');
    expect((within(form).getByLabelText('Role of Cy Ceo') as HTMLSelectElement).value).toBe('Incident lead');

    // Once the user picks people by hand, a new script keeps their choice.
    await userEvent.click(within(form).getByLabelText('Ana Lead'));
    expect(within(form).queryByTestId('cast-note')).toBeNull();
    await userEvent.selectOptions(scriptSelect, 'b:ransomware');
    // The ransomware script's four roles, and the role Ana was given before, kept and shown
    // rather than silently replaced.
    await vi.waitFor(() => expect((within(form).getByLabelText('Role of Ana Lead') as HTMLSelectElement).options.length).toBe(5));
    const anaRole = within(form).getByLabelText('Role of Ana Lead') as HTMLSelectElement;
    expect(anaRole.options[anaRole.selectedIndex].textContent).toBe(anaRole.value);
    expect((within(form).getByLabelText('Cy Ceo') as HTMLInputElement).checked).toBe(true);
    expect((within(form).getByLabelText('Ben Eng') as HTMLInputElement).checked).toBe(false);
    expect((within(form).getByLabelText('Facilitator') as HTMLSelectElement).value).toBe('');
  });
});
