// Steps the form tests take again and again, written once.
import { expect } from 'vitest';
import { within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

/** Replaces what `field` holds with `text`, as someone typing over it would. */
export async function retype(field: HTMLElement, text: string) {
  await userEvent.clear(field);
  await userEvent.type(field, text);
}

/** Clicks `button` in `form` and waits for `message` to show there (the refusal, in place). */
export async function refusedWith(form: HTMLElement, button: string, message: string) {
  await userEvent.click(within(form).getByRole('button', { name: button }));
  expect(await within(form).findByText(message)).toBeTruthy();
}
