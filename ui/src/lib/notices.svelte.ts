// App-wide notices: errors that belong to no field, shown in a dismissable banner.
import type { AppError } from '$lib/api';

export type Notice = { id: number; kind: 'error' | 'info'; text: string };

let next = 1;
export const notices = $state<Notice[]>([]);

/** How long an info notice stays; errors stay until dismissed. */
export const INFO_MS = 8000;

export function notify(kind: Notice['kind'], text: string): void {
  const id = next++;
  notices.push({ id, kind, text });
  if (kind === 'info') setTimeout(() => dismiss(id), INFO_MS);
}

export function notifyError(err: AppError): void {
  notify('error', err.message);
}

export function dismiss(id: number): void {
  const i = notices.findIndex((n) => n.id === id);
  if (i >= 0) notices.splice(i, 1);
}

/** Dismisses every notice (the screen they were about is being left). */
export function clearNotices(): void {
  notices.splice(0);
}

/** Hands what `task` gives to `use`; a failure is an error notice. */
export function settle<T>(task: Promise<T>, use: (value: T) => void): Promise<void> {
  return task.then(use, (err) => notifyError(err as AppError));
}
