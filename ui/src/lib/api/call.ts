// The one place that talks to the Tauri runtime: every command goes through `call`, which
// turns whatever the backend threw into an \`AppError\` (the UI branches on its code).
import { invoke } from '@tauri-apps/api/core';
import type { AppError } from '$lib/bindings/AppError';

/** Whatever the backend threw, as an `AppError`. The UI branches on `code`, never on text. */
export function toAppError(err: unknown): AppError {
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const e = err as Partial<AppError>;
    return { code: e.code ?? 'internal', message: String(e.message), fields: Array.isArray(e.fields) ? e.fields : [] };
  }
  return { code: 'internal', message: typeof err === 'string' ? err : 'Something went wrong.', fields: [] };
}

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw toAppError(err);
  }
}
