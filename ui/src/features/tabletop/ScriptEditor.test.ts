import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ScriptEditor from './ScriptEditor.svelte';
import Tabletop from './Tabletop.svelte';
import { backend, validation } from '../../test/backend';
import type { Inject, Script } from '$lib/api';

const inject = (at: number, title: string, targets: string[] = []): Inject => ({
  at_minutes: at,
  module: '',
  title,
  facts: `${title} happens.`,
  targets,
  questions: ['What now?'],
  expected_actions: ['Act.'],
  facilitator_notes: '',
});

function template(): Script {
  return {
    format: 'readyroom-tabletop/1',
    title: '',
    scenario: '',
    summary: '',
    duration_minutes: 60,
    ground_rules: ['Test the plan, not the people.'],
    assumptions: [],
    artificialities: [],
    objectives: [{ text: '', criteria: [], ir_plan_sections: [], evaluation: [] }],
    roles: [
      { role: 'facilitator', name: 'Facilitator', description: '' },
      { role: 'player', name: 'Incident lead', description: '' },
    ],
    injects: [{ ...inject(0, ''), facts: '', questions: [], expected_actions: [] }],
    hot_wash: ['What went well?'],
  };
}

const criteria = [
  { id: 'CC6.1', category: 'security', series: 'CC6', series_title: 'Logical and physical access', title: 'Access security', summary: '', in_scope: true },
  { id: 'CC7.4', category: 'security', series: 'CC7', series_title: 'System operations', title: 'Incident response', summary: '', in_scope: true },
];
const holders = [{ key: 'engineering_lead', title: 'Engineering lead', person: null, records: 0 }];
const common = { list_criteria: () => criteria, role_holders: () => holders };

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const card = (n: number) => screen.getByRole('listitem', { name: `Inject ${n}` });

/** The editor open on `script` as the core reads it; returns the calls it makes. */
function editing(script: Script) {
  const calls = backend({ ...common, read_tabletop_script: () => ({ script, problems: [], standard_layout: true }), render_tabletop_script: () => '' });
  render(ScriptEditor, { id: 3, name: 'x', source: 'x', onsaved: () => {}, oncancel: () => {} });
  return calls;
}

/** Renames role `n` (as typed, then leaving the field). */
async function renameRole(n: number, name: string) {
  const input = (await screen.findByRole('group', { name: `Role ${n}` })).querySelector('input')!;
  await userEvent.clear(input);
  await userEvent.type(input, name);
  await userEvent.tab();
}

describe('The script editor', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('builds a new two-inject script in the form, reorders by keyboard keeping the clock, and saves it', async () => {
    const calls = backend({
      ...common,
      tabletop_script_template: () => template(),
      save_tabletop_script_form: (a) => ({ script: { kind: 'custom', id: 7 }, title: (a.script as Script).title, scenario: '', summary: '', injects: 2, duration_minutes: 45, built_in: false }),
    });
    const onsaved = vi.fn();
    render(ScriptEditor, { id: null, name: '', source: null, onsaved, oncancel: () => {} });
    await userEvent.type(await screen.findByLabelText('Script title'), 'Stolen admin session');
    await userEvent.type(field('Scenario'), 'session_theft');
    await userEvent.type(field('Summary'), 'A stolen session is replayed.');
    await userEvent.clear(field('Length in minutes'));
    await userEvent.type(field('Length in minutes'), '45');
    await userEvent.type(field('What the exercise should show'), 'Revoke sessions fast.');
    await userEvent.selectOptions(field('Criteria it supports'), 'CC7.4');
    expect(screen.getByRole('list', { name: 'Criteria it supports: chosen' }).textContent).toContain('Incident response');
    // The first inject.
    const first = within(card(1));
    await userEvent.type(first.getByLabelText('Title'), 'Logins from two countries');
    await userEvent.type(first.getByLabelText('What the players learn'), 'The same session in two places.');
    await userEvent.click(first.getByLabelText('Incident lead'));
    await userEvent.type(first.getByLabelText('Discussion questions'), 'Who revokes it?{Enter}Who is told?');
    await userEvent.type(first.getByLabelText('Expected actions'), 'Revoke all sessions.');
    // A second, added after it ten minutes later, then moved first with the keyboard: the
    // content moves, the minutes stay with the places.
    await userEvent.click(screen.getByRole('button', { name: 'Add inject' }));
    const second = within(card(2));
    expect((second.getByLabelText('Minute') as HTMLInputElement).value).toBe('10');
    await userEvent.type(second.getByLabelText('Title'), 'An API key appears');
    await userEvent.type(second.getByLabelText('What the players learn'), 'A key was created.');
    await userEvent.type(second.getByLabelText('Discussion questions'), 'What else changed?');
    await userEvent.type(second.getByLabelText('Expected actions'), 'Revoke the key.');
    screen.getByRole('button', { name: 'Move inject 2' }).focus();
    await userEvent.keyboard('{ArrowUp}');
    expect(within(card(1)).getByRole('heading').textContent).toBe('Inject 1: An API key appears');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move inject 1' }));
    expect(screen.getByText(/moved to place 1 of 2, at minute 0/)).toBeTruthy();
    // And back down with the button.
    await userEvent.click(within(card(1)).getByRole('button', { name: 'Move down' }));
    expect(within(card(2)).getByRole('heading').textContent).toBe('Inject 2: An API key appears');

    await userEvent.click(screen.getByRole('button', { name: 'Save script' }));
    await vi.waitFor(() => expect(onsaved).toHaveBeenCalled());
    const sent = calls.find((c) => c.cmd === 'save_tabletop_script_form')!.args;
    expect(sent.id).toBeNull();
    const s = sent.script as Script;
    expect([s.title, s.scenario, s.duration_minutes]).toEqual(['Stolen admin session', 'session_theft', 45]);
    expect(s.objectives[0].criteria).toEqual(['CC7.4']);
    expect(s.injects.map((x) => [x.at_minutes, x.title])).toEqual([
      [0, 'Logins from two countries'],
      [10, 'An API key appears'],
    ]);
    expect(s.injects[0].questions).toEqual(['Who revokes it?', 'Who is told?']);
    expect(s.injects[0].targets).toEqual(['Incident lead']);
  });

  it('shows each problem the core finds next to its field, and a bad minute before anything is sent', async () => {
    const script = template();
    script.title = 'Half done';
    script.injects = [inject(0, 'One'), inject(5, 'Two')];
    const calls = backend({
      ...common,
      read_tabletop_script: () => ({ script, problems: [], standard_layout: true }),
      save_tabletop_script_form: () => {
        throw validation({ scenario: 'The scenario must not be empty.', 'injects.1.questions': 'Inject 2 (Two) needs at least one discussion question.' });
      },
    });
    render(ScriptEditor, { id: 3, name: 'Half done', source: 'format = …', onsaved: () => {}, oncancel: () => {} });
    await screen.findByLabelText('Scenario');
    // An empty minute is refused in the form: nothing is sent.
    await userEvent.clear(within(card(2)).getByLabelText('Minute'));
    await userEvent.click(screen.getByRole('button', { name: 'Save script' }));
    expect(await within(card(2)).findByText('Enter the minute as a whole number, 0 or more.')).toBeTruthy();
    expect(calls.some((c) => c.cmd === 'save_tabletop_script_form')).toBe(false);
    await userEvent.type(within(card(2)).getByLabelText('Minute'), '5');
    await userEvent.click(screen.getByRole('button', { name: 'Save script' }));
    const questions = await within(card(2)).findByLabelText('Discussion questions');
    await vi.waitFor(() => expect(questions.getAttribute('aria-invalid')).toBe('true'));
    expect(within(card(2)).getByText('Inject 2 (Two) needs at least one discussion question.')).toBeTruthy();
    expect(field('Scenario').getAttribute('aria-invalid')).toBe('true');
    expect(within(screen.getByRole('alert')).getByText('The scenario must not be empty.')).toBeTruthy();
    expect(within(card(1)).getByLabelText('Discussion questions').getAttribute('aria-invalid')).toBe('false');
  });

  it('shows the same script in the TOML view and back; text that is not a script stays in the TOML view with its line', async () => {
    const script = template();
    script.title = 'Round trip';
    script.injects = [inject(0, 'One', ['Incident lead'])];
    const edited: Script = { ...script, title: 'Edited in TOML' };
    const calls = backend({
      ...common,
      read_tabletop_script: (a) => {
        if (a.source === 'broken') throw validation({ source: 'Line 5: Not a valid script: invalid string' });
        return { script: a.source === 'edited' ? edited : script, problems: a.source === 'edited' ? [{ line: 9, field: 'hot_wash', message: 'hot_wash needs at least one debrief question.' }] : [], standard_layout: a.source !== 'commented' };
      },
      render_tabletop_script: (a) => `title = "${(a.script as Script).title}"`,
    });
    render(ScriptEditor, { id: 3, name: 'Round trip', source: 'commented', onsaved: () => {}, oncancel: () => {} });
    // A file with its own layout opens in the form with a warning that saving there rewrites it.
    expect(await screen.findByTestId('layout-note')).toBeTruthy();
    await userEvent.clear(field('Script title'));
    await userEvent.type(field('Script title'), 'Changed in the form');
    await userEvent.click(screen.getByRole('tab', { name: 'TOML' }));
    const source = (await screen.findByLabelText('Script source')) as HTMLTextAreaElement;
    expect(source.value).toBe('title = "Changed in the form"');
    expect((calls.find((c) => c.cmd === 'render_tabletop_script')!.args.script as Script).title).toBe('Changed in the form');
    // Not a script: the view stays, with the problem and its line.
    await userEvent.clear(source);
    await userEvent.type(source, 'broken');
    await userEvent.click(screen.getByRole('tab', { name: 'Form' }));
    expect(await screen.findByText('Line 5: Not a valid script: invalid string')).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'TOML' }).getAttribute('aria-selected')).toBe('true');
    // A script with a problem opens in the form, the problem at its field.
    await userEvent.clear(source);
    await userEvent.type(source, 'edited');
    await userEvent.click(screen.getByRole('tab', { name: 'Form' }));
    expect(((await screen.findByLabelText('Script title')) as HTMLInputElement).value).toBe('Edited in TOML');
    expect(field('Debrief questions').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('layout-note')).toBeNull();
  });

  it('renames a role where injects aim at it, drops a removed role from them, and moves an inject by dragging', async () => {
    const script = template();
    script.injects = [inject(0, 'One', ['Incident lead']), inject(15, 'Two', ['Incident lead'])];
    const calls = editing(script);
    await renameRole(2, 'Ops lead');
    expect((within(card(1)).getByLabelText('Ops lead') as HTMLInputElement).checked).toBe(true);
    expect((within(card(2)).getByLabelText('Ops lead') as HTMLInputElement).checked).toBe(true);
    // Dragged: the second card dropped on the first.
    const handle = screen.getByRole('button', { name: 'Move inject 2' });
    await fireEvent.dragStart(handle, { dataTransfer: { setData: () => {}, getData: () => '1' } });
    await fireEvent.dragOver(card(1));
    await fireEvent.drop(card(1), { dataTransfer: { getData: () => '1' } });
    expect(within(card(1)).getByRole('heading').textContent).toBe('Inject 1: Two');
    expect((within(card(1)).getByLabelText('Minute') as HTMLInputElement).value).toBe('0');
    expect((within(card(2)).getByLabelText('Minute') as HTMLInputElement).value).toBe('15');
    await userEvent.click(screen.getByRole('button', { name: 'Remove role 2' }));
    expect(within(card(1)).queryByLabelText('Ops lead')).toBeNull();
    await userEvent.click(screen.getByRole('tab', { name: 'TOML' }));
    const sent = calls.find((c) => c.cmd === 'render_tabletop_script')!.args.script as Script;
    expect(sent.roles.map((r) => r.name)).toEqual(['Facilitator']);
    expect(sent.injects.map((x) => x.targets)).toEqual([[], []]);
  });
});

describe('The script editor, with roles that share names or change places', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('keeps working while a new role is typed with another role\'s name, and never moves targets between roles', async () => {
    const script = template();
    script.roles = [
      { role: 'facilitator', name: 'Facilitator', description: '' },
      { role: 'player', name: 'Comms', description: '' },
      { role: 'player', name: 'Comms lead', description: '' },
    ];
    script.injects = [inject(0, 'One', ['Comms']), inject(10, 'Two', ['Comms lead'])];
    const calls = editing(script);
    // "Comms lead" becomes "Comms desk", passing through "Comms": the real Comms keeps its
    // inject, and Comms lead's follows the new name once it is in.
    await renameRole(3, 'Comms desk');
    expect((within(card(1)).getByLabelText('Comms') as HTMLInputElement).checked).toBe(true);
    expect((within(card(1)).getByLabelText('Comms desk') as HTMLInputElement).checked).toBe(false);
    expect((within(card(2)).getByLabelText('Comms desk') as HTMLInputElement).checked).toBe(true);
    // A new role typed as "Comms" (for a moment the same name twice): the cards still show.
    await userEvent.click(screen.getByRole('button', { name: 'Add role' }));
    const fourth = screen.getByRole('group', { name: 'Role 4' }).querySelector('input')!;
    await userEvent.type(fourth, 'Comms');
    expect(within(card(1)).getAllByLabelText('Comms')).toHaveLength(1);
    await userEvent.type(fourth, ' 2');
    await userEvent.tab();
    expect((within(card(1)).getByLabelText('Comms') as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByRole('tab', { name: 'TOML' }));
    const sent = calls.find((c) => c.cmd === 'render_tabletop_script')!.args.script as Script;
    expect(sent.injects.map((x) => x.targets)).toEqual([['Comms'], ['Comms desk']]);
  });

  it('reads roles swapped in the TOML view as they are, without re-aiming injects', async () => {
    const first = template();
    first.roles.push({ role: 'player', name: 'Legal', description: '' });
    first.injects = [inject(0, 'One', ['Legal'])];
    const swapped: Script = { ...first, roles: [first.roles[0], first.roles[2], first.roles[1]] };
    const calls = backend({
      ...common,
      read_tabletop_script: (a) => ({ script: a.source === 'swapped' ? swapped : first, problems: [], standard_layout: true }),
      render_tabletop_script: () => 'first',
    });
    render(ScriptEditor, { id: 3, name: 'x', source: 'first', onsaved: () => {}, oncancel: () => {} });
    await screen.findByRole('group', { name: 'Role 3' });
    await userEvent.click(screen.getByRole('tab', { name: 'TOML' }));
    const source = (await screen.findByLabelText('Script source')) as HTMLTextAreaElement;
    await userEvent.clear(source);
    await userEvent.type(source, 'swapped');
    await userEvent.click(screen.getByRole('tab', { name: 'Form' }));
    expect(((await screen.findByRole('group', { name: 'Role 2' })).querySelector('input') as HTMLInputElement).value).toBe('Legal');
    expect((within(card(1)).getByLabelText('Legal') as HTMLInputElement).checked).toBe(true);
    expect((within(card(1)).getByLabelText('Incident lead') as HTMLInputElement).checked).toBe(false);
    await userEvent.click(screen.getByRole('tab', { name: 'TOML' }));
    const sent = calls.filter((c) => c.cmd === 'render_tabletop_script').at(-1)!.args.script as Script;
    expect(sent.injects[0].targets).toEqual(['Legal']);
  });

  it('lets text dropped on a card land in its field instead of moving an inject', async () => {
    const script = template();
    script.injects = [inject(0, 'One'), inject(15, 'Two')];
    editing(script);
    await screen.findByRole('group', { name: 'Role 1' });
    const over = new Event('dragover', { bubbles: true, cancelable: true });
    card(1).dispatchEvent(over);
    expect(over.defaultPrevented).toBe(false);
    await fireEvent.drop(card(1), { dataTransfer: { getData: () => '1' } });
    expect(within(card(1)).getByRole('heading').textContent).toBe('Inject 1: One');
  });
});

describe('The scripts list', () => {
  it('opens a new script in the editor and returns to the list when it is saved', async () => {
    backend({
      ...common,
      list_exercises: () => [],
      tabletop_library: () => [],
      list_people: () => [],
      tabletop_script_template: () => ({ ...template(), title: 'T', scenario: 's', summary: 'x' }),
      save_tabletop_script_form: () => ({ script: { kind: 'custom', id: 1 }, title: 'T', scenario: 's', summary: 'x', injects: 1, duration_minutes: 60, built_in: false }),
    });
    render(Tabletop);
    await userEvent.click(await screen.findByRole('tab', { name: 'Scripts' }));
    await userEvent.click(screen.getByRole('button', { name: 'New script' }));
    expect(await screen.findByRole('heading', { name: 'New script' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Plan an exercise' })).toBeNull();
    const one = within(card(1));
    await userEvent.type(one.getByLabelText('Title'), 'Only inject');
    await userEvent.type(one.getByLabelText('What the players learn'), 'x');
    await userEvent.type(one.getByLabelText('Discussion questions'), 'q');
    await userEvent.type(one.getByLabelText('Expected actions'), 'a');
    await userEvent.click(screen.getByRole('button', { name: 'Save script' }));
    expect(await screen.findByRole('tab', { name: 'Exercises' })).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Script' })).toBeNull();
  });
});
