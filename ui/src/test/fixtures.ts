// Records shared by the Vitest suites, typed by the generated bindings so that a field added in
// Rust shows up here instead of in a dozen hand-copied literals.
import type { Evidence, OpenReport, Policy } from '$lib/api';

/** A kept evidence file (a CSV of users, attached to activity 1); override what a test needs. */
export function evidenceFile(extra: Partial<Evidence> = {}): Evidence {
  return {
    id: 9,
    sha256: 'ab'.repeat(32),
    file_name: 'users-q3.csv',
    reference: '',
    size: 2048,
    effective_date: '2026-08-31',
    expires_on: null,
    added_by: null,
    description: '',
    activity_id: 1,
    policy_id: null,
    created_at: '',
    removed_at: null,
    removed_reason: '',
    ...extra,
  };
}

/** Evidence kept elsewhere: a reference (ticket URL) with what it shows. */
export function evidenceReference(extra: Partial<Evidence> = {}): Evidence {
  return evidenceFile({ id: 10, sha256: null, file_name: '', reference: 'https://tickets.example.com/OPS-142', size: 0, description: 'The review ticket', ...extra });
}

/** A draft policy with no owner and nothing approved yet; override what a test needs. */
export function policyRecord(extra: Partial<Policy> = {}): Policy {
  return {
    id: 4,
    title: 'Access Control Policy',
    version: '0.1',
    status: 'draft',
    owner: null,
    document_link: '',
    approved_version: null,
    approved_on: null,
    approver: null,
    next_review_due: null,
    covers: [],
    archived: false,
    created_at: '',
    updated_at: '',
    ...extra,
  };
}

/** What the shell reports about the open workspace (a plain one unless `extra` says). */
export function openReport(extra: Partial<OpenReport> = {}): OpenReport {
  return {
    path: '/w/acme.readyroom',
    schema_version: 17,
    created: false,
    upgraded_from: null,
    backup_path: null,
    read_only: false,
    read_only_reason: null,
    warnings: [],
    encrypted: false,
    recovery_key: null,
    ...extra,
  };
}

/** The calls the policy screens make besides the policy itself: an empty register around it. */
export function policyScreens(detail: (args: Record<string, unknown>) => unknown) {
  return {
    policy_detail: detail,
    list_actions: () => ({ total: 0, rows: [] }),
    list_people: () => [],
    list_policies: () => [],
    expected_policies_summary: () => ({ total: 13, missing: [] }),
  };
}
