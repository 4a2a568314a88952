import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from './App.svelte';
import { ConfirmDialog } from '$lib/components';
import Vendors from './features/vendors/Vendors.svelte';
import { backend } from './test/backend';
import { openReport, policyRecord, policyScreens } from './test/fixtures';
import { go, nav, openPolicy } from '$lib/nav.svelte';

const report = openReport({ path: '/home/ops/acme.readyroom', schema_version: 2 });

const profile = (name: string) => ({
  name,
  system_description: '',
  categories: { availability: false, confidentiality: false, processing_integrity: false, privacy: false },
  audit_type: 'type1',
  window_start: null,
  window_end: null,
  auditor: '',
  target_report_date: null,
  updated_at: '2026-11-26T09:30:00Z',
});

/** The app on the Organization screen (a workspace with no profile yet opens there). */
async function openOnProfile() {
  const calls = backend({
    workspace_info: () => report,
    get_profile: () => null,
    save_profile: (a) => profile((a.input as { name: string }).name),
    list_criteria: () => [],
  });
  render(App);
  const name = await screen.findByLabelText('Organization name');
  return { calls, name: name as HTMLInputElement };
}

const dialog = () => screen.queryByRole('dialog', { name: 'Discard unsaved changes?' });

describe('unsaved changes', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    go('profile');
  });

  it('asks before leaving an edited form; Keep editing stays with the edits, Discard leaves', async () => {
    const { name } = await openOnProfile();
    await userEvent.type(name, 'Acme Analytics');
    const criteria = screen.getByRole('button', { name: 'Criteria' });
    await userEvent.click(criteria);

    const asked = dialog();
    expect(asked).toBeTruthy();
    expect(asked!.getAttribute('aria-modal')).toBe('true');
    expect(nav.area).toBe('profile');
    // The safe choice has the focus, and Tab keeps it inside the dialog.
    const keep = within(asked!).getByRole('button', { name: 'Keep editing' });
    const discard = within(asked!).getByRole('button', { name: 'Discard' });
    expect(document.activeElement).toBe(keep);
    await userEvent.tab();
    expect(document.activeElement).toBe(discard);
    await userEvent.tab();
    expect(document.activeElement).toBe(keep);

    await userEvent.click(keep);
    expect(dialog()).toBeNull();
    expect(nav.area).toBe('profile');
    expect(name.value).toBe('Acme Analytics');
    expect(document.activeElement).toBe(criteria);

    // Escape keeps editing too.
    await userEvent.click(criteria);
    expect(dialog()).toBeTruthy();
    await userEvent.keyboard('{Escape}');
    expect(dialog()).toBeNull();
    expect(nav.area).toBe('profile');

    await userEvent.click(criteria);
    await userEvent.click(within(dialog()!).getByRole('button', { name: 'Discard' }));
    expect(nav.area).toBe('criteria');
    expect(await screen.findByRole('heading', { name: 'Criteria' })).toBeTruthy();
    expect(dialog()).toBeNull();
  });

  it('leaves an unchanged form without asking, even one the user clicked into', async () => {
    const { name } = await openOnProfile();
    await userEvent.click(name);
    await userEvent.type(name, 'x');
    await userEvent.type(name, '{Backspace}');
    await userEvent.click(screen.getByRole('button', { name: 'Criteria' }));
    expect(dialog()).toBeNull();
    expect(nav.area).toBe('criteria');
  });

  it('leaves a saved form without asking', async () => {
    const { calls, name } = await openOnProfile();
    await userEvent.type(name, 'Acme Analytics');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'save_profile')).toBe(true));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Criteria' }));
    expect(dialog()).toBeNull();
    expect(nav.area).toBe('criteria');
  });

  it("asks before a form panel's Cancel drops its edits", async () => {
    backend({
      list_vendors: () => ({ total: 0, failing_key_vendors: 0, rows: [] }),
      list_people: () => [],
    });
    render(Vendors);
    render(ConfirmDialog);
    await userEvent.click(await screen.findByRole('button', { name: 'Add vendor' }));
    const panel = screen.getByRole('complementary', { name: 'New vendor' });
    const name = within(panel).getByLabelText('Name') as HTMLInputElement;
    await userEvent.type(name, 'Stripe');
    await userEvent.click(within(panel).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(dialog()!).getByRole('button', { name: 'Keep editing' }));
    expect(screen.getByRole('complementary', { name: 'New vendor' })).toBe(panel);
    expect(name.value).toBe('Stripe');

    await userEvent.click(within(panel).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(dialog()!).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'New vendor' })).toBeNull());

    // Opened again and left as it was: Cancel closes it at once.
    await userEvent.click(screen.getByRole('button', { name: 'Add vendor' }));
    await userEvent.click(within(screen.getByRole('complementary', { name: 'New vendor' })).getByRole('button', { name: 'Cancel' }));
    expect(dialog()).toBeNull();
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'New vendor' })).toBeNull());
  });

  it('asks before the link back to the list, or another record, drops an edit', async () => {
    backend({
      workspace_info: () => report,
      get_profile: () => null,
      ...policyScreens((a) => ({ policy: policyRecord({ id: a.id as number, title: `Policy ${a.id}` }), approvals: [], acknowledgements: [], evidence: [], history: [] })),
    });
    render(App);
    await screen.findByRole('navigation', { name: 'Areas' });
    openPolicy(4);
    await screen.findByRole('heading', { name: 'Policy 4' });
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    await userEvent.type(screen.getByLabelText('Title'), ' (draft)');

    openPolicy(5);
    const asked = await screen.findByRole('dialog', { name: 'Discard unsaved changes?' });
    await userEvent.click(within(asked).getByRole('button', { name: 'Keep editing' }));
    expect(nav.policyId).toBe(4);
    await userEvent.click(screen.getByRole('button', { name: '← All policies' }));
    expect(nav.policyId).toBe(4);
    await userEvent.click(within(dialog()!).getByRole('button', { name: 'Discard' }));
    expect(nav.policyId).toBeNull();
    expect(await screen.findByRole('heading', { name: 'Policies' })).toBeTruthy();
  });
});
