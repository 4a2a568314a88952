import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));
import { listen } from '@tauri-apps/api/event';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api } from '$lib/api';
import { backend } from '../test/backend';
import { job, percent, runJob } from './jobs.svelte';
import { notices } from './notices.svelte';
import JobPanel from './components/JobPanel.svelte';

type Progress = { job: string; done: number; total: number };
let emit: (p: Progress) => void = () => {};
const unlisten = vi.fn();

describe('Long jobs', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    notices.splice(0);
    vi.mocked(listen).mockImplementation(async (_event, handler) => {
      emit = (p) => (handler as (e: { payload: Progress }) => void)({ payload: p });
      return unlisten;
    });
  });

  it("follows its own job's progress, ignores other jobs, and stops listening when done", async () => {
    const seen: number[] = [];
    backend({
      export_archive: (a) => {
        emit({ job: 'someone-else', done: 9, total: 10 });
        emit({ job: a.job as string, done: 25, total: 100 });
        seen.push(percent(job.current!));
        emit({ job: a.job as string, done: 100, total: 100 });
        seen.push(percent(job.current!));
        return { path: '/tmp/a.zip', rows: 10, attachments: 0 };
      },
    });
    const done = await runJob('Exporting the workspace archive', (id) => api.exportArchive('t', id, false, null));
    expect(done).toMatchObject({ path: '/tmp/a.zip' });
    expect(seen).toEqual([25, 100]);
    expect(job.current).toBeNull();
    expect(unlisten).toHaveBeenCalledTimes(1);
  });

  it('shows a bar with the share done; Cancel asks the backend to stop and nothing is reported as done', async () => {
    let reject: (e: unknown) => void = () => {};
    const calls = backend({
      export_archive: (a) => {
        emit({ job: a.job as string, done: 40, total: 100 });
        return new Promise((_, r) => (reject = r));
      },
      cancel_job: () => {
        reject({ code: 'cancelled', message: 'Cancelled; nothing was written.', fields: [] });
        return true;
      },
    });
    render(JobPanel);
    const running = runJob('Exporting the workspace archive', (id) => api.exportArchive('t', id, false, null));
    const bar = await screen.findByRole('progressbar', { name: 'Exporting the workspace archive: 40% done' });
    expect((bar as HTMLProgressElement).value).toBe(40);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await running).toBeNull();
    const cancel = calls.find((c) => c.cmd === 'cancel_job');
    expect(cancel?.args.job).toBe(calls.find((c) => c.cmd === 'export_archive')?.args.job);
    expect(notices.at(-1)).toMatchObject({ kind: 'info', text: 'Cancelled: exporting the workspace archive. Nothing was kept.' });
    expect(screen.queryByTestId('job-panel')).toBeNull();
  });

  it('shows a failure as an error and refuses a second job while one runs', async () => {
    let finish: (v: unknown) => void = () => {};
    backend({
      export_archive: () => new Promise((r) => (finish = r)),
      import_archive: () => {
        throw { code: 'archive_invalid', message: 'The archive is missing tables/people.json.', fields: [] };
      },
    });
    const first = runJob('Exporting the workspace archive', (id) => api.exportArchive('t', id, false, null));
    await vi.waitFor(() => expect(job.current).not.toBeNull());
    expect(await runJob('Importing a workspace archive', (id) => api.importArchive('t', null, id))).toBeNull();
    expect(notices.at(-1)).toMatchObject({ kind: 'error', text: 'Wait for "Exporting the workspace archive" to finish, or cancel it.' });
    finish({ path: '/tmp/a.zip' });
    await first;
    expect(await runJob('Importing a workspace archive', (id) => api.importArchive('t', null, id))).toBeNull();
    expect(notices.at(-1)).toMatchObject({ kind: 'error', text: 'The archive is missing tables/people.json.' });
  });
});
