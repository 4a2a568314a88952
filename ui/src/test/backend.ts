// A fake backend for component tests: `invoke` is mocked and answers from handlers.
import { vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';

type Handler = (args: Record<string, unknown>) => unknown;

export function backend(handlers: Record<string, Handler>) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  vi.mocked(invoke).mockImplementation(async (cmd: string, args?: unknown) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    const h = handlers[cmd];
    if (!h) throw { code: 'internal', message: `unexpected command ${cmd}`, fields: [] };
    return h(a);
  });
  return calls;
}

export function validation(fields: Record<string, string>) {
  const list = Object.entries(fields).map(([field, message]) => ({ field, message }));
  return { code: 'validation', message: list.length === 1 ? list[0].message : `${list.length} fields need attention.`, fields: list };
}
