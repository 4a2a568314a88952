import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import RiskDetail from './RiskDetail.svelte';
import { backend, validation } from '../../test/backend';
import { scale } from '$lib/riskScale.svelte';

const rating = (l: number, i: number) => ({ likelihood: l, impact: i, score: l * i, band: l * i >= 10 ? 'high' : 'medium' });
const risk = (treatment: string | null) => ({
  id: 5, reference: 'RISK-005', title: 'Phishing steals a password', description: '', category: 'security', owner: null,
  inherent: rating(4, 4), treatment, residual: treatment ? rating(2, 3) : null, current: rating(4, 4), controls: [],
  accepted_by: null, accepted_until: null, acceptance_expired: false, status: 'open', last_reviewed_on: null,
  review_cadence: 'quarterly', review_due: null, review_overdue: false, starter_key: 'phishing-credentials', archived: false,
  created_at: '', updated_at: '',
});
const suggestion = { role: 'security_lead', role_title: 'Security Lead', treatment: 'mitigate', residual_likelihood: 2, residual_impact: 3, rationale: 'MFA and training make it rarer.' };

describe('Risk screen', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    scale.value = { thresholds: { medium_from: 5, high_from: 10, critical_from: 20 }, likelihood_labels: ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'], impact_labels: ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'], bands: [], colors: [] };
  });

  it('offers the library suggestion until the treatment is decided, and takes it in one step', async () => {
    let current = risk(null);
    const calls = backend({
      risk_detail: () => ({ risk: current, history: [], suggestion }),
      list_actions: () => ({ total: 0, rows: [] }),
      accept_risk_suggestion: () => (current = risk('mitigate')),
    });
    render(RiskDetail, { props: { id: 5 } });
    const text = await screen.findByTestId('suggestion');
    expect(text.textContent?.replace(/\s+/g, ' ').trim()).toBe('Mitigate, residual Unlikely x Moderate (6); usually owned by the Security Lead.');
    await userEvent.click(screen.getByRole('button', { name: 'Take the suggestion' }));
    await waitFor(() => expect(screen.queryByTestId('suggestion')).toBeNull());
    expect(calls.some((c) => c.cmd === 'accept_risk_suggestion' && c.args.id === 5)).toBe(true);
  });

  it('says why a suggestion cannot be taken, next to it', async () => {
    backend({
      risk_detail: () => ({ risk: risk(null), history: [], suggestion: { ...suggestion, treatment: 'accept' } }),
      list_actions: () => ({ total: 0, rows: [] }),
      accept_risk_suggestion: () => {
        throw validation({ owner_id: 'Give the risk an owner first: the owner accepts it.' });
      },
    });
    render(RiskDetail, { props: { id: 5 } });
    await userEvent.click(await screen.findByRole('button', { name: 'Take the suggestion' }));
    expect(await screen.findByText('Give the risk an owner first: the owner accepts it.')).toBeTruthy();
    expect(screen.getByTestId('suggestion')).toBeTruthy();
  });
});
