import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { invoke } from '@tauri-apps/api/core';
import { api, fieldErrors, toAppError } from '$lib/api';

describe('api', () => {
  beforeEach(() => {
    vi.mocked(invoke).mockReset();
  });

  it('passes DTOs under the argument names the commands declare', async () => {
    vi.mocked(invoke).mockResolvedValue({ id: 1 });
    await api.updatePerson(7, { name: 'A', email: 'a@b.co', role: '', start_date: '', end_date: '' });
    expect(invoke).toHaveBeenCalledWith('update_person', {
      id: 7,
      input: { name: 'A', email: 'a@b.co', role: '', start_date: '', end_date: '' },
    });
  });

  it('passes an AppError from a command through unchanged', async () => {
    vi.mocked(invoke).mockImplementation(async () => {
      throw { code: 'workspace_in_use', message: 'in use', fields: [] };
    });
    const err = await api.getProfile().catch((e: unknown) => e);
    expect(err).toEqual({ code: 'workspace_in_use', message: 'in use', fields: [] });
  });

  it('turns a bare string rejection into an internal AppError', async () => {
    vi.mocked(invoke).mockImplementation(async () => {
      throw 'plugin exploded';
    });
    const err = await api.getProfile().catch((e: unknown) => e);
    expect(err).toEqual({ code: 'internal', message: 'plugin exploded', fields: [] });
  });

  it('normalises odd error shapes and keys field errors by field', () => {
    expect(toAppError(undefined).code).toBe('internal');
    expect(toAppError({ code: 'validation', message: 'x' }).fields).toEqual([]);
    expect(
      fieldErrors({
        code: 'validation',
        message: '',
        fields: [
          { field: 'email', message: 'first' },
          { field: 'email', message: 'second' },
        ],
      }),
    ).toEqual({ email: 'first' });
  });
});
