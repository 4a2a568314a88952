import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { FormState } from '$lib/form.svelte';
import { notices } from '$lib/notices.svelte';
import FormHarness from '../test/FormHarness.svelte';
import { validation } from '../test/backend';

/** A promise and the functions that settle it, to hold a save open. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const save = () => userEvent.click(screen.getByRole('button', { name: 'Save' }));
const texts = () => notices.map((n) => n.text);

describe('FormState', () => {
  beforeEach(() => {
    notices.splice(0);
  });
  afterEach(() => {
    Reflect.deleteProperty(HTMLElement.prototype, 'scrollIntoView');
  });

  it('saves, hands the result on and clears the errors of the previous attempt', async () => {
    const f = new FormState();
    const onsaved = vi.fn();
    const attempts = [() => Promise.reject(validation({ name: 'Give a name.' })), () => Promise.resolve({ id: 7 })];
    render(FormHarness, { f, save: () => attempts.shift()!(), onsaved });
    await save();
    expect(await screen.findByText('Give a name.')).toBeTruthy();
    await save();
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith({ id: 7 }));
    expect(screen.queryByText('Give a name.')).toBeNull();
    expect(f.errors).toEqual({});
    expect(texts()).toEqual([]);
  });

  it('shows field errors next to their fields and focuses the first invalid one on the page', async () => {
    const f = new FormState();
    render(FormHarness, { f, save: () => Promise.reject(validation({ email: 'Ann Lee already uses this email.', name: 'Give a name.' })) });
    await save();
    expect(await screen.findByText('Ann Lee already uses this email.')).toBeTruthy();
    expect(screen.getByText('Give a name.')).toBeTruthy();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    // The first invalid field in the form, not the first one the error lists.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Name')));
    // A validation error shown at its fields is not also a notice.
    expect(texts()).toEqual([]);
  });

  it('scrolls the invalid field to the middle of the screen where the browser can', async () => {
    const scrollIntoView = vi.fn();
    Object.defineProperty(HTMLElement.prototype, 'scrollIntoView', { value: scrollIntoView, configurable: true });
    render(FormHarness, { f: new FormState(), save: () => Promise.reject(validation({ email: 'Not an email address.' })) });
    await save();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Email')));
    expect(scrollIntoView).toHaveBeenCalledWith({ block: 'center' });
    expect(scrollIntoView.mock.contexts[0]).toBe(screen.getByLabelText('Email'));
  });

  it('falls back to the first error message when no control is marked invalid', async () => {
    render(FormHarness, { f: new FormState(), save: () => Promise.reject(validation({ people: 'Choose at least one person.' })) });
    await save();
    const message = await screen.findByText('Choose at least one person.');
    expect(message.classList.contains('field-error')).toBe(true);
    expect(texts()).toEqual([]);
  });

  it('shows any other error as a notice', async () => {
    const f = new FormState();
    render(FormHarness, { f, save: () => Promise.reject({ code: 'io', message: 'Could not write the workspace file.', fields: [] }) });
    await save();
    await waitFor(() => expect(texts()).toEqual(['Could not write the workspace file.']));
    expect(f.errors).toEqual({});
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('false');
  });

  it('shows a validation error without field errors as a notice instead of swallowing it', async () => {
    render(FormHarness, { f: new FormState(), save: () => Promise.reject({ code: 'validation', message: 'The policy is already approved.', fields: [] }) });
    await save();
    await waitFor(() => expect(texts()).toEqual(['The policy is already approved.']));
  });

  it('shows a validation error as a notice when the form shows none of its fields', async () => {
    render(FormHarness, { f: new FormState(), save: () => Promise.reject(validation({ owner_id: 'The owner is archived.' })) });
    await save();
    await waitFor(() => expect(texts()).toEqual(['The owner is archived.']));
  });

  it('is busy while a save runs, and not after it fails or works', async () => {
    const f = new FormState();
    let pending = deferred<unknown>();
    render(FormHarness, { f, save: () => pending.promise });
    const button = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;

    await save();
    expect(f.busy).toBe(true);
    expect(button.disabled).toBe(true);
    pending.reject(validation({ name: 'Give a name.' }));
    await waitFor(() => expect(f.busy).toBe(false));
    expect(button.disabled).toBe(false);

    pending = deferred<unknown>();
    await save();
    expect(f.busy).toBe(true);
    pending.reject({ code: 'internal', message: 'Something went wrong.', fields: [] });
    await waitFor(() => expect(f.busy).toBe(false));

    pending = deferred<unknown>();
    await save();
    pending.resolve({ id: 1 });
    await waitFor(() => expect(f.busy).toBe(false));
  });

  it('refuses before sending: errors at their fields, focus on the first, nothing saved', async () => {
    const sent = vi.fn(() => Promise.resolve());
    render(FormHarness, { f: new FormState(), save: sent, precheck: () => ({ email: 'Give the email as name@domain.' }) });
    await save();
    expect(await screen.findByText('Give the email as name@domain.')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Email')));
    expect(sent).not.toHaveBeenCalled();
    expect(texts()).toEqual([]);
  });

  it('runs an action that is not a submit: a failure is a notice, and busy is cleared', async () => {
    const f = new FormState();
    const pending = deferred<unknown>();
    render(FormHarness, { f, save: () => Promise.resolve(), archive: () => pending.promise });
    await userEvent.click(screen.getByRole('button', { name: 'Archive' }));
    expect(f.busy).toBe(true);
    pending.reject(validation({ name: 'Archived people cannot own controls.' }));
    await waitFor(() => expect(f.busy).toBe(false));
    expect(texts()).toEqual(['Archived people cannot own controls.']);
    expect(f.errors).toEqual({});
  });
});
