import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Requests from './Requests.svelte';
import RequestDetail from './RequestDetail.svelte';
import { backend } from '../../test/backend';
import { evidenceFile } from '../../test/fixtures';
import type { AuditRequest, RequestDetail as Detail, RequestLink } from '$lib/api';

const request = (over: Partial<AuditRequest> = {}): AuditRequest => ({
  id: 7,
  reference: 'PBC-002',
  description: 'Evidence of the quarterly user access reviews',
  criteria: 'CC6.2',
  controls: [],
  due_on: '2026-11-20',
  owner: { id: 2, name: 'Ann Lee' },
  status: 'follow_up',
  notes: '',
  archived: false,
  created_at: '',
  updated_at: '',
  ...over,
});

const file = evidenceFile({ id: 21, sha256: 'cd'.repeat(32), file_name: 'github-users-q3.csv', size: 900, effective_date: '2026-09-15' });

describe('Auditor requests', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('lists the requests with what is overdue, and filters by status and overdue in the core', async () => {
    const calls = backend({
      list_requests: (a) => {
        const q = a.query as { overdue_only: boolean };
        const rows = [
          { request: request(), overdue: true, due_soon: false, linked: 0 },
          { request: request({ id: 8, reference: 'PBC-003', status: 'open', due_on: '2026-11-30' }), overdue: false, due_soon: true, linked: 2 },
        ];
        return q.overdue_only ? rows.slice(0, 1) : rows;
      },
    });
    render(Requests);
    const table = await screen.findByRole('table', { name: 'Requests' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1].textContent).toContain('Overdue');
    expect(rows[1].textContent).toContain('Follow-up');
    expect(rows[1].textContent).toContain('Nothing yet');
    expect(rows[2].textContent).toContain('This week');
    expect(rows[2].textContent).toContain('2 items');
    await userEvent.click(screen.getByLabelText('Overdue only'));
    await vi.waitFor(() => expect(within(screen.getByRole('table', { name: 'Requests' })).getAllByRole('row')).toHaveLength(2));
    await userEvent.selectOptions(screen.getByLabelText('Filter by status'), 'open');
    await vi.waitFor(() =>
      expect(calls.at(-1)?.args.query).toEqual({ search: '', status: 'open', overdue_only: true, include_archived: false }),
    );
  });

  it('links a suggestion in one click, finds evidence on record, and removes a link', async () => {
    let detail: Detail = { request: request(), evidence: [], policies: [], populations: [], history: [] };
    const suggestion = { link: { kind: 'population', id: 'access_reviews' } as RequestLink, label: 'Population: Access reviews', reason: 'the request mentions “access review”' };
    const calls = backend({
      request_detail: () => detail,
      request_suggestions: () => (detail.populations.length ? [] : [suggestion]),
      link_request: (a) => {
        const link = a.link as RequestLink;
        if (link.kind === 'population') detail = { ...detail, populations: ['access_reviews'] };
        if (link.kind === 'evidence') detail = { ...detail, evidence: [{ evidence: file, owner: 'Access review of GitHub' }] };
        return detail;
      },
      unlink_request: () => (detail = { ...detail, evidence: [] }),
      find_evidence: (a) => ((a.text as string) === 'nothing' ? [] : [{ evidence: file, owner: 'Access review of GitHub' }]),
    });
    render(RequestDetail, { props: { id: 7 } });
    const suggestions = await screen.findByRole('region', { name: 'Suggestions' });
    expect((await within(suggestions).findByRole('listitem')).textContent).toContain('the request mentions “access review”');
    await userEvent.click(within(suggestions).getByRole('button', { name: 'Link Population: Access reviews' }));
    const answered = screen.getByRole('region', { name: 'Answered by' });
    await vi.waitFor(() => expect(within(answered).getByText('populations/access_reviews.csv')).toBeTruthy());
    expect(calls.find((c) => c.cmd === 'link_request')?.args).toEqual({ id: 7, link: { kind: 'population', id: 'access_reviews' } });

    // Searching the evidence: nothing, then a file to link.
    const find = screen.getByRole('region', { name: 'Find evidence' });
    await userEvent.type(within(find).getByLabelText('Search evidence'), 'nothing');
    await userEvent.click(within(find).getByRole('button', { name: 'Search' }));
    expect((await within(find).findByTestId('evidence-none')).textContent).toContain('“nothing”');
    await userEvent.clear(within(find).getByLabelText('Search evidence'));
    await userEvent.type(within(find).getByLabelText('Search evidence'), 'github');
    await userEvent.click(within(find).getByRole('button', { name: 'Search' }));
    await userEvent.click(await within(find).findByRole('button', { name: 'Link github-users-q3.csv' }));
    await vi.waitFor(() => expect(within(answered).getByRole('button', { name: 'github-users-q3.csv' })).toBeTruthy());
    expect(within(find).getByText('Linked')).toBeTruthy();
    await userEvent.click(within(answered).getByRole('button', { name: 'Remove github-users-q3.csv' }));
    await vi.waitFor(() => expect(within(answered).queryByRole('button', { name: 'github-users-q3.csv' })).toBeNull());
    expect(calls.find((c) => c.cmd === 'unlink_request')?.args).toEqual({ id: 7, link: { kind: 'evidence', id: 21 } });
  });
});
