import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import RiskHeatmap from './RiskHeatmap.svelte';
import RiskForm from './RiskForm.svelte';
import { backend, validation } from '../../test/backend';
import { nav } from '$lib/nav.svelte';
import { scale } from '$lib/riskScale.svelte';
import type { Band, Heatmap, HeatmapRisk, RatingView } from '$lib/api';

const L = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'];
const I = ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'];
const band = (s: number): Band => (s >= 20 ? 'critical' : s >= 10 ? 'high' : s >= 5 ? 'medium' : 'low');
const rating = (l: number, i: number) => ({ likelihood: l, impact: i, score: l * i, band: band(l * i) });
const riskScale = {
  thresholds: { medium_from: 5, high_from: 10, critical_from: 20 },
  likelihood_labels: L,
  impact_labels: I,
  bands: [1, 2, 3, 4, 5].map((l) => [1, 2, 3, 4, 5].map((i) => band(l * i))),
  colors: ['#b4e0c2', '#f6e28f', '#f4b07c', '#e87f7f'],
};

const risks: HeatmapRisk[] = [
  { id: 1, reference: 'RISK-001', title: 'Phishing', category: 'security', owner: 'Olga', inherent: rating(4, 4), residual: rating(2, 3) },
  { id: 2, reference: 'RISK-002', title: 'Outage', category: 'availability', owner: null, inherent: rating(4, 4), residual: null },
  { id: 3, reference: 'RISK-003', title: 'Invoice fraud', category: 'fraud', owner: null, inherent: rating(3, 2), residual: rating(1, 2) },
];

// The matrix the core returns: rows from likelihood 5 down to 1, impact 1 to 5 left to right.
function heatmap(view: RatingView): Heatmap {
  const at = (r: HeatmapRisk) => (view === 'residual' && r.residual ? r.residual : r.inherent);
  const rows = [5, 4, 3, 2, 1].map((l) =>
    [1, 2, 3, 4, 5].map((i) => {
      const inCell = risks.map((r, n) => [r, n] as const).filter(([r]) => at(r).likelihood === l && at(r).impact === i);
      const n = inCell.length;
      return {
        likelihood: l,
        impact: i,
        score: l * i,
        band: band(l * i),
        label: `${L[l - 1]} x ${I[i - 1]}: ${n} ${n === 1 ? 'risk' : 'risks'}`,
        risks: inCell.map(([, idx]) => idx),
      };
    }),
  );
  return { view, scale: riskScale, rows, risks, unrated_residual: view === 'residual' ? 1 : 0 };
}

describe('Risk heatmap', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    nav.area = 'risks';
    nav.riskId = null;
  });

  it('puts each risk in its cell for inherent and residual ratings, and lists a cell on click', async () => {
    const calls = backend({
      risk_heatmap: (a) => heatmap((a.query as { view: RatingView }).view),
      list_people: () => [],
    });
    render(RiskHeatmap);
    const likelyMajor = await screen.findByRole('gridcell', { name: 'Likely x Major: 2 risks' });
    expect(likelyMajor.textContent).toContain('2');
    expect(likelyMajor.dataset.testid).toBe('cell-4-4');
    expect(screen.getByRole('gridcell', { name: 'Possible x Minor: 1 risk' }).dataset.testid).toBe('cell-3-2');
    // Top-left is almost certain x negligible; bottom-right is rare x severe.
    const cells = screen.getAllByRole('gridcell');
    expect(cells[0].getAttribute('aria-label')).toBe('Almost certain x Negligible: 0 risks');
    expect(cells[24].getAttribute('aria-label')).toBe('Rare x Severe: 0 risks');

    await userEvent.click(screen.getByRole('radio', { name: 'Residual' }));
    await screen.findByRole('gridcell', { name: 'Likely x Major: 1 risk' });
    expect(screen.getByRole('gridcell', { name: 'Unlikely x Moderate: 1 risk' })).toBeTruthy();
    expect(screen.getByRole('gridcell', { name: 'Rare x Minor: 1 risk' })).toBeTruthy();
    expect(calls.filter((c) => c.cmd === 'risk_heatmap').map((c) => (c.args.query as { view: string }).view)).toEqual([
      'inherent',
      'residual',
    ]);
    expect(screen.getByText(/1 risk has no residual rating yet/)).toBeTruthy();

    await userEvent.click(screen.getByRole('gridcell', { name: 'Unlikely x Moderate: 1 risk' }));
    const list = screen.getByRole('region', { name: 'Risks in the chosen cell' });
    await userEvent.click(within(list).getByRole('button', { name: /Phishing/ }));
    expect(nav.riskId).toBe(1);
  });

  it('is keyboard navigable: arrows move, Enter lists the cell', async () => {
    backend({ risk_heatmap: () => heatmap('inherent'), list_people: () => [] });
    render(RiskHeatmap);
    const first = await screen.findByRole('gridcell', { name: 'Almost certain x Negligible: 0 risks' });
    expect(first.tabIndex).toBe(0);
    first.focus();
    // Down one row (likely), right three cells (major).
    await userEvent.keyboard('{ArrowDown}{ArrowRight}{ArrowRight}{ArrowRight}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Likely x Major: 2 risks');
    expect(first.tabIndex).toBe(-1);
    await userEvent.keyboard('{Enter}');
    const list = screen.getByRole('region', { name: 'Risks in the chosen cell' });
    expect(within(list).getByRole('heading').textContent).toBe('Likely x Major: 2 risks');
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
  });

  it('draws movement arrows only for risks whose residual differs', async () => {
    backend({ risk_heatmap: () => heatmap('inherent'), list_people: () => [] });
    render(RiskHeatmap);
    await screen.findByRole('grid');
    expect(screen.queryByTestId('moves')).toBeNull();
    await userEvent.click(screen.getByLabelText('Show movement from inherent to residual'));
    const svg = await screen.findByTestId('moves');
    expect(svg.querySelectorAll('line')).toHaveLength(2);
  });
});

describe('Risk form', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    scale.value = riskScale;
  });

  it('shows the residual-above-inherent error next to the field and keeps the form', async () => {
    const calls = backend({
      list_people: () => [],
      list_controls: () => ({ total: 0, rows: [] }),
      risk_scale: () => riskScale,
      create_risk: () => {
        throw validation({
          residual_likelihood:
            'Residual likelihood (Likely) cannot be above the inherent likelihood (Unlikely): treatment lowers a risk, it never raises it.',
        });
      },
    });
    const onsaved = vi.fn();
    render(RiskForm, { risk: null, onsaved, oncancel: () => {} });
    await userEvent.type(screen.getByLabelText('Title'), 'Worse after controls');
    await userEvent.selectOptions(screen.getByLabelText('Likelihood'), '2');
    await userEvent.selectOptions(screen.getByLabelText('Impact'), '3');
    expect(screen.getByText('6 · Medium')).toBeTruthy();
    await userEvent.selectOptions(screen.getByLabelText('Treatment'), 'mitigate');
    await userEvent.selectOptions(screen.getByLabelText('Residual likelihood'), '4');
    await userEvent.selectOptions(screen.getByLabelText('Residual impact'), '3');
    await userEvent.click(screen.getByRole('button', { name: 'Save risk' }));
    await waitFor(() => expect(screen.getByText(/cannot be above the inherent likelihood/)).toBeTruthy());
    expect(screen.getByLabelText('Residual likelihood').getAttribute('aria-invalid')).toBe('true');
    expect(onsaved).not.toHaveBeenCalled();
    const sent = calls.find((c) => c.cmd === 'create_risk')?.args.input as Record<string, unknown>;
    expect(sent).toMatchObject({
      inherent_likelihood: 2,
      inherent_impact: 3,
      treatment: 'mitigate',
      residual_likelihood: 4,
      residual_impact: 3,
      accepted_by_id: null,
    });
  });
});
