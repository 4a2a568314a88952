// The long job running now (one at a time), for the progress panel: what it is, how far it
// has come, and how to cancel it.
import { cancelJob, followJob, newJobId, type AppError } from '$lib/api';
import { notify, notifyError } from '$lib/notices.svelte';

export type RunningJob = { id: string; title: string; done: number; total: number; cancelling: boolean };

export const job = $state<{ current: RunningJob | null }>({ current: null });

/** The share done, 0 to 100 (0 until the first report). */
export function percent(j: RunningJob): number {
  return j.total > 0 ? Math.min(100, Math.floor((j.done * 100) / j.total)) : 0;
}

/**
 * Runs `start` as a job titled `title`, showing its progress. Returns what it gives, or null
 * when the user cancelled it or it failed (the failure is shown as a notice).
 */
export async function runJob<T>(title: string, start: (id: string) => Promise<T>): Promise<T | null> {
  if (job.current) {
    notify('error', `Wait for "${job.current.title}" to finish, or cancel it.`);
    return null;
  }
  const id = newJobId();
  job.current = { id, title, done: 0, total: 0, cancelling: false };
  try {
    return await followJob(id, start, (p) => {
      const j = job.current;
      if (j && j.id === p.job) Object.assign(j, { done: p.done, total: p.total });
    });
  } catch (err) {
    const e = err as AppError;
    if (e.code === 'cancelled') notify('info', `Cancelled: ${title.toLowerCase()}. Nothing was kept.`);
    else notifyError(e);
    return null;
  } finally {
    job.current = null;
  }
}

/** Asks the running job to stop. */
export async function cancelRunning(): Promise<void> {
  const j = job.current;
  if (!j || j.cancelling) return;
  j.cancelling = true;
  try {
    await cancelJob(j.id);
  } catch (err) {
    notifyError(err as AppError);
  }
}
