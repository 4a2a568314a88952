// Forms edited and not saved. A watched form has unsaved edits while its controls hold other
// values than when the user started on it (a snapshot of them all, compared as JSON), so
// every form is covered without code of its own. Leaving one (closing its panel, moving to
// another area or record) asks first; saving it, or leaving it unchanged, does not.
import { tick } from 'svelte';
import { ask } from './confirm.svelte';

type Watched = { unsaved: () => boolean; saved: () => void };
const watched = new Map<HTMLElement, Watched>();

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** What the controls in `form` hold, as one string to compare. */
function values(form: HTMLElement): string {
  const controls = [...form.querySelectorAll<Control>('input, select, textarea')];
  return JSON.stringify(
    controls.map((c) => {
      if (c instanceof HTMLInputElement && (c.type === 'checkbox' || c.type === 'radio')) return c.checked;
      if (c instanceof HTMLInputElement && c.type === 'file') return [...(c.files ?? [])].map((f) => f.name);
      if (c instanceof HTMLSelectElement && c.multiple) return [...c.selectedOptions].map((o) => o.value);
      return c.value;
    }),
  );
}

/** Watches `form` for unsaved edits until the returned function is called (an attachment). */
export function watchForm(form: HTMLElement): () => void {
  // Values the app fills in after the form shows (choices loaded, a record read) are not
  // edits, so the snapshot to compare with is retaken when the user first reaches into the
  // form, before any key or click lands. An edit made without that (a script setting a value)
  // is compared with the form as it showed; once saved, with nothing (it counts as an edit).
  let start: string | null = values(form);
  let touched = false;
  void tick().then(() => {
    if (!touched) start = values(form);
  });
  const reach = () => {
    if (touched) return;
    start = values(form);
    touched = true;
  };
  const edit = () => (touched = true);
  const listeners: [string, () => void][] = [
    ['focusin', reach],
    ['pointerdown', reach],
    ['keydown', reach],
    ['input', edit],
    ['change', edit],
  ];
  for (const [type, listener] of listeners) form.addEventListener(type, listener, true);
  watched.set(form, {
    unsaved: () => touched && (start === null || values(form) !== start),
    saved: () => {
      touched = false;
      start = null;
    },
  });
  return () => {
    for (const [type, listener] of listeners) form.removeEventListener(type, listener, true);
    watched.delete(form);
  };
}

/** Marks `form` saved: what it holds now is no longer an unsaved edit. */
export function markSaved(form: HTMLElement): void {
  watched.get(form)?.saved();
}

/** Whether a watched form inside `within` (by default: anywhere) has unsaved edits. */
export function hasUnsaved(within?: Node): boolean {
  for (const [form, w] of watched) if ((!within || within.contains(form)) && w.unsaved()) return true;
  return false;
}

/** Runs `proceed` (which leaves the forms inside `within`, by default all) at once if no edit
 *  would be lost, else once the user chooses to discard the edits. */
export function leaveForms(proceed: () => void, within?: Node): void {
  if (!hasUnsaved(within)) return proceed();
  void ask({ title: 'Discard unsaved changes?', confirm: 'Discard', cancel: 'Keep editing' }).then((discard) => {
    if (discard) proceed();
  });
}
