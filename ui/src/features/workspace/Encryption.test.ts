import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import NewWorkspaceDialog from './NewWorkspaceDialog.svelte';
import UnlockForm from './UnlockForm.svelte';
import { backend, validation } from '../../test/backend';
import { openReport } from '../../test/fixtures';
import { refusedWith } from '../../test/forms';

const report = (extra: Parameters<typeof openReport>[0] = {}) => openReport({ created: true, encrypted: true, ...extra });
const KEY = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789-ABCD-EFGH-JKMN-PQRS-TVWX-YZ01';

describe('Encrypted workspaces', () => {
  beforeEach(() => vi.clearAllMocks());

  it('a new workspace is encrypted unless the user says plain, and its recovery key must be kept before going on', async () => {
    const calls = backend({
      new_workspace: (a) => {
        if (typeof a.passphrase === 'string' && a.passphrase.length < 10) throw validation({ passphrase: 'Use at least 10 characters.' });
        return report({ recovery_key: a.passphrase ? KEY : null, encrypted: !!a.passphrase });
      },
    });
    const onopened = vi.fn();
    render(NewWorkspaceDialog, { onopened, oncancel: vi.fn() });
    const form = screen.getByRole('form', { name: 'New workspace' });
    await userEvent.type(within(form).getByLabelText('Passphrase'), 'correct horse');
    await userEvent.type(within(form).getByLabelText('The same passphrase again'), 'correct house');
    await refusedWith(form, 'Choose where to save…', 'The two passphrases differ.');
    expect(calls.filter((c) => c.cmd === 'new_workspace')).toHaveLength(0);

    await userEvent.clear(within(form).getByLabelText('Passphrase'));
    await userEvent.type(within(form).getByLabelText('Passphrase'), 'short');
    await userEvent.clear(within(form).getByLabelText('The same passphrase again'));
    await userEvent.type(within(form).getByLabelText('The same passphrase again'), 'short');
    await refusedWith(form, 'Choose where to save…', 'Use at least 10 characters.');

    await userEvent.clear(within(form).getByLabelText('Passphrase'));
    await userEvent.type(within(form).getByLabelText('Passphrase'), 'correct horse');
    await userEvent.clear(within(form).getByLabelText('The same passphrase again'));
    await userEvent.type(within(form).getByLabelText('The same passphrase again'), 'correct horse');
    await userEvent.click(within(form).getByRole('button', { name: 'Choose where to save…' }));
    expect((await screen.findByTestId('recovery-key')).textContent).toBe(KEY);
    const go = screen.getByRole('button', { name: 'Continue' }) as HTMLButtonElement;
    expect(go.disabled).toBe(true);
    expect(onopened).not.toHaveBeenCalled();
    await userEvent.click(screen.getByLabelText('I have kept the recovery key somewhere safe'));
    await userEvent.click(go);
    expect(onopened).toHaveBeenCalledWith(expect.objectContaining({ recovery_key: KEY }));
    expect(calls.at(-1)!.args).toEqual({ passphrase: 'correct horse' });
  });

  it('a plain workspace is created without a passphrase and opens at once', async () => {
    const calls = backend({ new_workspace: () => report({ encrypted: false }) });
    const onopened = vi.fn();
    render(NewWorkspaceDialog, { onopened, oncancel: vi.fn() });
    await userEvent.click(screen.getByLabelText('Encrypt the workspace (recommended)'));
    expect(screen.getByTestId('plain-warning').textContent).toContain('Anyone who gets the file can read it');
    await userEvent.click(screen.getByRole('button', { name: 'Choose where to save…' }));
    expect(calls[0].args).toEqual({ passphrase: null });
    expect(onopened).toHaveBeenCalled();
    expect(screen.queryByTestId('recovery-key')).toBeNull();
  });

  it('unlocking says a wrong passphrase on its field, and takes the recovery key instead', async () => {
    const calls = backend({
      unlock_workspace: (a) => {
        if (a.secret === 'right one!' || a.recoveryKey) return report({ created: false });
        throw { code: 'wrong_key', message: 'That passphrase does not open this workspace. Nothing was changed.', fields: [{ field: 'secret', message: 'That passphrase does not open this workspace. Nothing was changed.' }] };
      },
    });
    const onopened = vi.fn();
    render(UnlockForm, { onopened });
    await userEvent.type(screen.getByLabelText('Passphrase'), 'wrong');
    await userEvent.click(screen.getByLabelText('Remember it on this computer (in the system keychain)'));
    await userEvent.click(screen.getByRole('button', { name: 'Open' }));
    expect(calls.at(-1)!.args).toEqual({ secret: 'wrong', recoveryKey: false, remember: true });
    expect(await screen.findByText('That passphrase does not open this workspace. Nothing was changed.')).toBeTruthy();
    expect(screen.getByLabelText('Passphrase').getAttribute('aria-invalid')).toBe('true');
    expect(onopened).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'Lost the passphrase? Use the recovery key' }));
    await userEvent.type(screen.getByLabelText('Recovery key'), KEY);
    await userEvent.click(screen.getByRole('button', { name: 'Open' }));
    expect(calls.at(-1)!.args).toEqual({ secret: KEY, recoveryKey: true, remember: false });
    expect(onopened).toHaveBeenCalled();
  });
});
