// One submit path for every form. A save either works, or fails with field errors that are
// shown next to their fields (and the first one is focused and scrolled to), or fails with
// anything else, which is shown as a notice: no error is ever silent. `busy` holds while a
// save runs so its button can be disabled.
import { tick } from 'svelte';
import { fieldErrors, type AppError } from '$lib/api';
import { notifyError } from '$lib/notices.svelte';
import { markSaved } from '$lib/unsaved.svelte';

export class FormState {
  /** The message for each field the last attempt refused, by field name. */
  errors = $state<Record<string, string>>({});
  /** Whether a save is running. */
  busy = $state(false);

  /** Whether any field is marked invalid. */
  get invalid(): boolean {
    return Object.keys(this.errors).length > 0;
  }

  /** Forgets the field errors (when the form is opened again). */
  clear(): void {
    this.errors = {};
  }

  /** Handles a form's submit event: runs `save`, then `onsaved` with its result. Resolves to
   *  whether it was saved. */
  async submit<T>(event: SubmitEvent, save: () => Promise<T>, onsaved?: (result: T) => unknown): Promise<boolean> {
    event.preventDefault();
    // `currentTarget` is only set while the event is being dispatched: take it now.
    const form = event.currentTarget instanceof HTMLElement ? event.currentTarget : null;
    this.errors = {};
    const failure = await this.attempt(save, onsaved, form);
    if (!failure) return true;
    // Field errors come with validation, and with a wrong passphrase (on its field).
    const fields = fieldErrors(failure);
    if (Object.keys(fields).length === 0) {
      notifyError(failure);
      return false;
    }
    this.errors = fields;
    // A field the error names but the form does not show would leave nothing to see.
    if (!(await focusFirstInvalid(form))) notifyError(failure);
    return false;
  }

  /** Refuses a submit before anything is sent (a check the form can make itself): shows
   *  `fields` as the core's field errors are shown. */
  async refuse(event: SubmitEvent, fields: Record<string, string>): Promise<false> {
    event.preventDefault();
    const form = event.currentTarget instanceof HTMLElement ? event.currentTarget : null;
    this.errors = fields;
    if (!(await focusFirstInvalid(form))) notifyError(validationError(fields));
    return false;
  }

  /** Runs an action that is not a form's submit (archive, restore, delete): any failure is a
   *  notice. Resolves to whether it worked. */
  async run<T>(action: () => Promise<T>, onsaved?: (result: T) => unknown): Promise<boolean> {
    const failure = await this.attempt(action, onsaved);
    if (failure) notifyError(failure);
    return !failure;
  }

  /** Runs `save`, then `onsaved`; `form`, once saved, has no unsaved edits left (so what
   *  `onsaved` does, e.g. opening the new record, does not ask about them). */
  private async attempt<T>(save: () => Promise<T>, onsaved?: (result: T) => unknown, form?: HTMLElement | null): Promise<AppError | null> {
    this.busy = true;
    try {
      const result = await save();
      if (form) markSaved(form);
      await onsaved?.(result);
      return null;
    } catch (err) {
      return err as AppError;
    } finally {
      this.busy = false;
    }
  }
}

/** A validation error made in the UI. */
function validationError(fields: Record<string, string>): AppError {
  const list = Object.entries(fields).map(([field, message]) => ({ field, message }));
  return { code: 'validation', message: list.map((f) => f.message).join(' '), fields: list };
}

/** Once the errors are drawn, focuses the first invalid control in `form` and scrolls it to
 *  the middle of the screen. Resolves to whether there was one. */
async function focusFirstInvalid(form: HTMLElement | null): Promise<boolean> {
  await tick();
  const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('.field-error');
  if (!target) return false;
  target.focus({ preventScroll: true });
  // jsdom (the tests) has no layout and no scrollIntoView.
  if (typeof target.scrollIntoView === 'function') target.scrollIntoView({ block: 'center' });
  return true;
}
