import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Vendors from './Vendors.svelte';
import Soc2ReportForm from './Soc2ReportForm.svelte';
import VendorDetail from './VendorDetail.svelte';
import { backend, validation } from '../../test/backend';
import { evidenceReference } from '../../test/fixtures';
import type { Evidence } from '$lib/api';

const vendor = (id: number, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  service: 'Hosting',
  website: '',
  criticality: 'critical',
  data_access: 'customer_data',
  systems: '',
  owner: null,
  status: 'active',
  offboarded_on: null,
  contract_start: null,
  contract_end: null,
  security_clause: true,
  breach_clause: false,
  breach_notice_hours: null,
  dpa_signed: false,
  last_assessed_on: '2026-01-10',
  last_assessed_on_entered: '2026-01-10',
  next_assessment_due: '2027-01-10',
  report_status: 'current',
  coverage_until: '2027-03-31',
  unlinked_cuecs: 0,
  flags: [],
  archived: false,
  created_at: '2026-11-26T09:30:00Z',
  updated_at: '2026-11-26T09:30:00Z',
  ...extra,
});

const control = (id: number, reference: string, title: string) => ({
  id,
  reference,
  title,
  description: '',
  owner: null,
  status: 'implemented',
  na_justification: '',
  cadence: 'annual',
  criteria: [],
  last_performed: null,
  next_due: null,
  archived: false,
  created_at: '',
  updated_at: '',
});

describe('Vendors list', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('says how many key vendors need attention, with the dates, and filters to them', async () => {
    const stale = vendor(2, 'Stripe', {
      criticality: 'high',
      report_status: 'stale',
      coverage_until: '2026-10-31',
      flags: [{ kind: 'report_stale', message: 'SOC 2 coverage ended on 2026-10-31; ask for the new report or a bridge letter.', failing: true }],
    });
    const calls = backend({
      list_vendors: (a) =>
        (a.query as { attention_only: boolean }).attention_only
          ? { total: 1, failing_key_vendors: 1, rows: [stale] }
          : { total: 2, failing_key_vendors: 1, rows: [vendor(1, 'AWS'), stale] },
    });
    render(Vendors);
    const bar = await screen.findByTestId('vendor-attention');
    expect(bar.textContent).toContain('1 critical or high vendor needs attention');
    const table = screen.getByRole('table', { name: 'Vendors' });
    expect(within(table).getByText('SOC 2 coverage ended on 2026-10-31; ask for the new report or a bridge letter.')).toBeTruthy();
    expect(within(table).getByText('Stale')).toBeTruthy();
    await userEvent.click(within(bar).getByRole('button', { name: 'Show only these' }));
    await waitFor(() => expect(screen.getByTestId('vendors-count').textContent).toBe('1 vendor'));
    const last = calls.filter((c) => c.cmd === 'list_vendors').at(-1)?.args.query as { attention_only: boolean };
    expect(last.attention_only).toBe(true);
  });
});

describe('SOC 2 report worksheet', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('sends each user entity control with its linked control and shows a row error next to its row', async () => {
    let attempt = 0;
    const calls = backend({
      list_controls: () => ({ total: 1, rows: [control(7, 'AC-02', 'Multi-factor authentication')] }),
      save_soc2_report: () => {
        attempt += 1;
        throw validation({ 'cuecs.1': 'Write the user entity control, or remove the empty line.' });
      },
    });
    const onsaved = vi.fn();
    render(Soc2ReportForm, { vendorId: 3, report: null, onsaved, oncancel: () => {} });
    await userEvent.type(screen.getByLabelText('Period start'), '2025-10-01');
    await userEvent.type(screen.getByLabelText('Period end'), '2026-09-30');
    await userEvent.click(screen.getByRole('button', { name: 'Add user entity control' }));
    await userEvent.click(screen.getByRole('button', { name: 'Add user entity control' }));
    await userEvent.type(screen.getByLabelText('User entity control 1'), 'Enforce MFA for admins');
    await waitFor(() => expect(screen.getAllByRole('option', { name: 'AC-02 Multi-factor authentication' })).toHaveLength(2));
    await userEvent.selectOptions(screen.getByLabelText('Our control for user entity control 1'), '7');
    await userEvent.click(screen.getByRole('button', { name: 'Save report' }));
    await screen.findByText('Write the user entity control, or remove the empty line.');
    expect(screen.getByLabelText('User entity control 2').getAttribute('aria-invalid')).toBe('true');
    expect(onsaved).not.toHaveBeenCalled();
    expect(attempt).toBe(1);
    const input = calls.find((c) => c.cmd === 'save_soc2_report')?.args as { vendorId: number; reportId: null; input: { cuecs: unknown[]; period_start: string } };
    expect(input.vendorId).toBe(3);
    expect(input.reportId).toBeNull();
    expect(input.input.period_start).toBe('2025-10-01');
    expect(input.input.cuecs).toEqual([
      { text: 'Enforce MFA for admins', control_id: 7 },
      { text: '', control_id: null },
    ]);

    // A Type I report has one date and no period start.
    await userEvent.selectOptions(screen.getByLabelText('Report type'), 'type1');
    expect(screen.queryByLabelText('Period start')).toBeNull();
    expect(screen.getByLabelText('Report date')).toBeTruthy();
  });
});

describe('Vendor detail evidence', () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it('shows an assessment reference as written and a withdrawn file struck through, opening only files', async () => {
    const evidence = (extra: Partial<Evidence>) =>
      evidenceReference({ id: 1, reference: 'https://drive.example.com/acme-questionnaire', effective_date: '2026-01-10', description: 'Questionnaire', activity_id: null, ...extra });
    const calls = backend({
      vendor_detail: () => ({
        vendor: vendor(3, 'Acme Hosting'),
        assessments: [
          {
            id: 8,
            performed_on: '2026-01-10',
            performed_by: null,
            method: 'questionnaire',
            outcome: 'approved',
            notes: '',
            evidence: [evidence({}), evidence({ id: 2, sha256: 'ef'.repeat(32), file_name: 'old.pdf', reference: '', removed_at: '2026-02-01T08:00:00Z', removed_reason: 'Superseded' })],
          },
        ],
        reports: [],
        history: [],
      }),
      list_people: () => [],
      open_evidence: () => null,
    });
    render(VendorDetail, { props: { id: 3 } });
    const table = await screen.findByRole('table', { name: 'Vendor assessments' });
    expect(within(table).getByTestId('evidence-reference').textContent).toContain('https://drive.example.com/acme-questionnaire');
    expect(within(table).queryByRole('button', { name: /drive\.example\.com/ })).toBeNull();
    const old = within(table).getByRole('button', { name: 'old.pdf' });
    expect(old.querySelector('s')).toBeTruthy();
    await userEvent.click(old);
    expect(calls.filter((c) => c.cmd === 'open_evidence').map((c) => c.args)).toEqual([{ id: 2 }]);
  });
});
