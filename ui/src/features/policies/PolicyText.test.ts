import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import PolicyText from './PolicyText.svelte';
import { backend, validation } from '../../test/backend';
import { notices } from '$lib/notices.svelte';

const TEMPLATE = '# Access Control Policy\n\n## Purpose\nAccess at Acme follows need.\n\n## Policy\n- Reviews every quarter\n- MFA everywhere\n';

function texts(store: Record<string, { body: string; frozen: boolean }>, working: string) {
  const calls = backend({
    policy_versions: () =>
      Object.entries(store).map(([version, t]) => ({ version, approved_on: t.frozen ? '2026-03-01' : null, working: version === working, words: t.body.split(/\s+/).filter(Boolean).length })),
    policy_text: (a) => {
      const version = (a.version as string | null) ?? working;
      const t = store[version];
      return { policy_id: 1, version, body: t.body, frozen: t.frozen, words: t.body.split(/\s+/).filter(Boolean).length };
    },
    policy_template: () => TEMPLATE,
    save_policy_text: (a) => {
      const body = a.body as string;
      if (body.includes('TOO LONG')) throw validation({ body: 'The text is longer than 400000 characters.' });
      store[working] = { body, frozen: false };
      return { policy_id: 1, version: working, body, frozen: false, words: body.split(/\s+/).filter(Boolean).length };
    },
    compare_policy_versions: () => [
      { kind: 'same', text: '## Policy' },
      { kind: 'removed', text: '- MFA everywhere' },
      { kind: 'added', text: '- MFA on every account' },
      { kind: 'added', text: '- No shared accounts' },
    ],
  });
  return calls;
}

describe('Policy text', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    notices.splice(0);
  });

  it('starts an empty draft from the template, previews it while editing, and saves it', async () => {
    const store = { '0.1': { body: '', frozen: false } };
    const calls = texts(store, '0.1');
    const onchanged = vi.fn();
    render(PolicyText, { props: { id: 1, title: 'Access Control Policy', working: '0.1', onchanged } });
    expect(await screen.findByText('Version 0.1 has no text yet.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Start from the template' }));
    const editor = screen.getByLabelText('Policy text (Markdown)') as HTMLTextAreaElement;
    expect(editor.value).toBe(TEMPLATE);
    const preview = screen.getByLabelText('Preview');
    expect(within(preview).getByText('Access at Acme follows need.')).toBeTruthy();
    await userEvent.type(editor, 'Shared accounts are not allowed.');
    expect(within(preview).getByText('Shared accounts are not allowed.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Save text' }));
    await waitFor(() => expect(screen.queryByLabelText('Policy text (Markdown)')).toBeNull());
    expect(calls.find((c) => c.cmd === 'save_policy_text')?.args).toEqual({ id: 1, body: TEMPLATE + 'Shared accounts are not allowed.' });
    expect(screen.getByRole('heading', { name: 'Purpose' })).toBeTruthy();
    expect(screen.getByText('Reviews every quarter')).toBeTruthy();
    expect(onchanged).toHaveBeenCalled();
  });

  it('shows a refused save next to the text and keeps what was typed', async () => {
    texts({ '0.1': { body: 'Short.', frozen: false } }, '0.1');
    render(PolicyText, { props: { id: 1, title: 'Access Control Policy', working: '0.1', onchanged: () => {} } });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit text' }));
    const editor = screen.getByLabelText('Policy text (Markdown)') as HTMLTextAreaElement;
    await userEvent.type(editor, ' TOO LONG');
    await userEvent.click(screen.getByRole('button', { name: 'Save text' }));
    expect(await screen.findByText('The text is longer than 400000 characters.')).toBeTruthy();
    expect(editor.getAttribute('aria-invalid')).toBe('true');
    expect(editor.value).toBe('Short. TOO LONG');
  });

  it('offers no editor for an approved version, and compares it with another', async () => {
    const calls = texts(
      { '1.0': { body: '## Policy\n- MFA everywhere\n', frozen: true }, '1.1': { body: '## Policy\n- MFA on every account\n- No shared accounts\n', frozen: false } },
      '1.1',
    );
    render(PolicyText, { props: { id: 1, title: 'Access Control Policy', working: '1.1', onchanged: () => {} } });
    await screen.findByText('MFA on every account');
    expect(screen.getByRole('button', { name: 'Edit text' })).toBeTruthy();
    // The approved version: frozen, no editor.
    await userEvent.selectOptions(screen.getByLabelText('Version'), '1.0');
    expect(await screen.findByText('Approved: text frozen')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Edit text' })).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Version'), '1.1');
    await screen.findByText('Draft: can change');
    await userEvent.selectOptions(screen.getByLabelText('Compare with'), '1.0');
    await userEvent.click(screen.getByRole('button', { name: 'Compare' }));
    expect((await screen.findByTestId('diff-summary')).textContent).toContain('Version 1.1 against 1.0: 2 lines added, 1 line removed.');
    const diff = screen.getByRole('list', { name: 'Changes from version 1.0 to 1.1' });
    expect(within(diff).getByText('- No shared accounts').closest('li')?.className).toContain('diff-added');
    expect(within(diff).getByText('- MFA everywhere').closest('li')?.className).toContain('diff-removed');
    expect(calls.find((c) => c.cmd === 'compare_policy_versions')?.args).toEqual({ id: 1, from: '1.0', to: '1.1' });
  });
});
