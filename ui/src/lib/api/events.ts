// Events the backend sends without being asked (a job's progress has its own, in jobs.ts).
import { listen } from '@tauri-apps/api/event';
import type { AnotherLaunch } from '$lib/bindings/AnotherLaunch';

export type { AnotherLaunch };

/** Calls `handler` each time the app is launched again while it runs: the second launch
 *  exited, and this window was brought to the front. Resolves to the function that stops
 *  listening (a no-op where there is no backend to listen to). */
export function onAnotherLaunch(handler: (launch: AnotherLaunch) => void): Promise<() => void> {
  return listen<AnotherLaunch>('another-launch', (e) => handler(e.payload)).catch(() => () => {});
}
