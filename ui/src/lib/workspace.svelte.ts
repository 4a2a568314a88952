// What the app knows about the open workspace that every screen needs: whether it can be
// changed. A read-only workspace (read-only file, folder or disk) can be looked at; the
// editing controls are disabled and the shell shows why.
import type { OpenReport } from '$lib/api';

export const workspace = $state<{ readOnly: boolean; reason: string | null }>({ readOnly: false, reason: null });

export function setWorkspace(report: OpenReport): void {
  workspace.readOnly = report.read_only;
  workspace.reason = report.read_only_reason;
}
