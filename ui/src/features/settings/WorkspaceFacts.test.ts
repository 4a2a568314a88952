import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import WorkspaceFacts from './WorkspaceFacts.svelte';
import { backend, validation } from '../../test/backend';
import { openReport } from '../../test/fixtures';
import { refusedWith } from '../../test/forms';

const report = openReport;
const KEY = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789-ABCD-EFGH-JKMN-PQRS-TVWX-YZ01';

describe('Settings: encryption of the workspace', () => {
  beforeEach(() => vi.clearAllMocks());

  it('a passphrase kept in the keychain is said, and forgotten on request', async () => {
    let kept = true;
    const calls = backend({
      workspace_info: () => report({ encrypted: true }),
      passphrase_remembered: () => kept,
      forget_passphrase: () => {
        kept = false;
        return null;
      },
    });
    render(WorkspaceFacts);
    expect((await screen.findByTestId('settings-remembered')).textContent).toContain("keychain keeps the passphrase");
    await userEvent.click(screen.getByRole('button', { name: 'Forget it on this computer' }));
    await vi.waitFor(() => expect(screen.getByTestId('settings-remembered').textContent).toContain('asked for each time'));
    expect(screen.queryByRole('button', { name: 'Forget it on this computer' })).toBeNull();
    expect(calls.some((c) => c.cmd === 'forget_passphrase')).toBe(true);
  });

  it('a plain workspace is encrypted from Settings and its recovery key shown once', async () => {
    const calls = backend({
      workspace_info: () => report(),
      encrypt_workspace: (a) => {
        if ((a.passphrase as string).length < 10) throw validation({ passphrase: 'Use at least 10 characters.' });
        return report({ encrypted: true, recovery_key: KEY });
      },
    });
    render(WorkspaceFacts);
    expect((await screen.findByTestId('settings-encryption')).textContent).toContain('Not encrypted');
    await userEvent.click(screen.getByRole('button', { name: 'Encrypt this workspace…' }));
    const form = screen.getByRole('form', { name: 'Encrypt this workspace' });
    await userEvent.type(within(form).getByLabelText('New passphrase'), 'short');
    await userEvent.type(within(form).getByLabelText('The same passphrase again'), 'short');
    await refusedWith(form, 'Encrypt', 'Use at least 10 characters.');
    await userEvent.clear(within(form).getByLabelText('New passphrase'));
    await userEvent.type(within(form).getByLabelText('New passphrase'), 'correct horse');
    await userEvent.clear(within(form).getByLabelText('The same passphrase again'));
    await userEvent.type(within(form).getByLabelText('The same passphrase again'), 'correct horse');
    await userEvent.click(within(form).getByRole('button', { name: 'Encrypt' }));
    expect((await screen.findByTestId('recovery-key')).textContent).toBe(KEY);
    expect(screen.getByTestId('settings-encryption').textContent).toContain('Encrypted: the database');
    expect(calls.filter((c) => c.cmd === 'encrypt_workspace').at(-1)!.args).toEqual({ passphrase: 'correct horse' });
  });

  it('an encrypted workspace takes a new passphrase; a wrong current one is said on its field', async () => {
    const calls = backend({
      workspace_info: () => report({ encrypted: true }),
      change_passphrase: (a) => {
        if (a.current !== 'the old one!' && !a.recoveryKey)
          throw { code: 'wrong_key', message: 'That passphrase does not open this workspace.', fields: [{ field: 'current', message: 'That passphrase does not open this workspace.' }] };
        return null;
      },
    });
    render(WorkspaceFacts);
    await userEvent.click(await screen.findByRole('button', { name: 'Change the passphrase…' }));
    const form = screen.getByRole('form', { name: 'Change the passphrase' });
    await userEvent.type(within(form).getByLabelText('Current passphrase'), 'guess');
    await userEvent.type(within(form).getByLabelText('New passphrase'), 'a better passphrase');
    await userEvent.type(within(form).getByLabelText('The same passphrase again'), 'a better passphrase');
    await refusedWith(form, 'Change the passphrase', 'That passphrase does not open this workspace.');
    await userEvent.click(within(form).getByRole('button', { name: 'Lost it? Use the recovery key' }));
    await userEvent.type(within(form).getByLabelText('Recovery key'), KEY);
    await userEvent.click(within(form).getByRole('button', { name: 'Change the passphrase' }));
    await vi.waitFor(() => expect(screen.queryByRole('form', { name: 'Change the passphrase' })).toBeNull());
    expect(calls.filter((c) => c.cmd === 'change_passphrase').at(-1)!.args).toEqual({ current: KEY, recoveryKey: true, passphrase: 'a better passphrase' });
  });
});
