import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ArchiveExportDialog from './ArchiveExportDialog.svelte';
import ArchivePassphraseDialog from './ArchivePassphraseDialog.svelte';
import { backend, validation } from '../../test/backend';
import { refusedWith } from '../../test/forms';

const target = { token: 't1', path: '/home/ops/acme.readyroom-archive' };

describe('Workspace archives', () => {
  beforeEach(() => vi.clearAllMocks());

  it('an archive is encrypted with its own passphrase, checked before the save dialog opens', async () => {
    const calls = backend({
      check_new_passphrase: (a) => {
        if (String(a.passphrase).length < 10) throw validation({ passphrase: 'Use at least 10 characters.' });
        return null;
      },
      choose_save_path: () => target,
    });
    const onexport = vi.fn();
    render(ArchiveExportDialog, { name: 'acme.readyroom-archive', workspaceEncrypted: true, onexport, oncancel: vi.fn() });
    const form = screen.getByRole('form', { name: 'Export archive' });
    const save = within(form).getByRole('button', { name: 'Choose where to save…' });
    await userEvent.type(within(form).getByLabelText('Archive passphrase'), 'short');
    await userEvent.type(within(form).getByLabelText('The same passphrase again'), 'shirt');
    await userEvent.click(save);
    expect(await within(form).findByText('The two passphrases differ.')).toBeTruthy();
    await userEvent.clear(within(form).getByLabelText('The same passphrase again'));
    await userEvent.type(within(form).getByLabelText('The same passphrase again'), 'short');
    await userEvent.click(save);
    expect(await within(form).findByText('Use at least 10 characters.')).toBeTruthy();
    expect(calls.some((c) => c.cmd === 'choose_save_path')).toBe(false);
    expect(onexport).not.toHaveBeenCalled();

    for (const field of ['Archive passphrase', 'The same passphrase again']) {
      await userEvent.clear(within(form).getByLabelText(field));
      await userEvent.type(within(form).getByLabelText(field), 'the archive passphrase');
    }
    await userEvent.click(save);
    await vi.waitFor(() => expect(onexport).toHaveBeenCalledWith('t1', 'the archive passphrase'));
    expect(calls.find((c) => c.cmd === 'choose_save_path')!.args).toEqual({ kind: 'archive', suggestedName: 'acme.readyroom-archive' });
  });

  it('a plain archive says who can read it, and a cancelled save dialog exports nothing', async () => {
    let answer: typeof target | null = null;
    backend({ choose_save_path: () => answer });
    const onexport = vi.fn();
    render(ArchiveExportDialog, { name: 'acme.readyroom-archive', workspaceEncrypted: true, onexport, oncancel: vi.fn() });
    await userEvent.click(screen.getByLabelText('Encrypt the archive with a passphrase of its own (recommended)'));
    expect(screen.getByTestId('plain-archive-warning').textContent).toContain('although the workspace itself is encrypted');
    const write = screen.getByRole('button', { name: 'Write an unencrypted archive…' });
    await userEvent.click(write);
    await new Promise((r) => setTimeout(r, 0));
    expect(onexport).not.toHaveBeenCalled();
    answer = target;
    await userEvent.click(write);
    await vi.waitFor(() => expect(onexport).toHaveBeenCalledWith('t1', null));
  });

  it("an encrypted archive's passphrase is checked, a wrong one said next to the field", async () => {
    const calls = backend({
      check_archive: (a) => {
        if (a.passphrase !== 'the archive passphrase')
          throw { ...validation({ passphrase: 'That passphrase does not open this archive.' }), code: 'wrong_key' };
        return null;
      },
    });
    const onunlocked = vi.fn();
    const pick = { token: 'p1', name: 'acme.readyroom-archive', encrypted: true };
    render(ArchivePassphraseDialog, { pick, onunlocked, oncancel: vi.fn() });
    const form = screen.getByRole('form', { name: 'Archive passphrase' });
    await userEvent.type(within(form).getByLabelText('Archive passphrase'), 'not it at all');
    await refusedWith(form, 'Continue', 'That passphrase does not open this archive.');
    expect(onunlocked).not.toHaveBeenCalled();
    await userEvent.clear(within(form).getByLabelText('Archive passphrase'));
    await userEvent.type(within(form).getByLabelText('Archive passphrase'), 'the archive passphrase');
    await userEvent.click(within(form).getByRole('button', { name: 'Continue' }));
    await vi.waitFor(() => expect(onunlocked).toHaveBeenCalledWith('the archive passphrase'));
    expect(calls.at(-1)!.args).toEqual({ token: 'p1', passphrase: 'the archive passphrase' });
  });
});
