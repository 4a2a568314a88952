// Display labels for enum values that come from the core.
import type { ActionStatus, Cadence, ControlStatus } from '$lib/api';

export const statusLabels: Record<ControlStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  implemented: 'Implemented',
  not_applicable: 'Not applicable',
};

export const cadenceLabels: Record<Cadence, string> = {
  continuous: 'Continuous',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  annual: 'Annual',
  per_event: 'Per event',
};

export function stamp(at: string): string {
  return at.replace('T', ' ').replace(/:\d\dZ$/, ' UTC');
}

export const actionStatusLabels: Record<ActionStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  wont_do: "Won't do",
};
