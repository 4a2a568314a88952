// Long work in the backend (archives now; binders and reports next): started with an id the
// page chooses, followed through `job-progress` events, cancelled with `cancel_job`.
import { listen } from '@tauri-apps/api/event';
import type { JobProgress } from '$lib/bindings/JobProgress';
import { commands } from './commands';

export type { JobProgress };

let counter = 0;

/** A new job id, unique in this page. */
export function newJobId(): string {
  counter += 1;
  return `job-${Date.now().toString(36)}-${counter}`;
}

/**
 * Runs `start(job)` while passing the job's progress events to `onprogress`. Resolves or
 * rejects as the command does; the listener is removed either way.
 */
export async function followJob<T>(job: string, start: (job: string) => Promise<T>, onprogress: (p: JobProgress) => void): Promise<T> {
  const unlisten = await listen<JobProgress>('job-progress', (e) => {
    if (e.payload.job === job) onprogress(e.payload);
  });
  try {
    return await start(job);
  } finally {
    unlisten();
  }
}

/** Asks the backend to stop the job (it stops at its next step and keeps nothing). */
export function cancelJob(job: string): Promise<boolean> {
  return commands.cancelJob(job);
}
