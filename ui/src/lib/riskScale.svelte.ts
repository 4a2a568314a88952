// The workspace's risk scale (labels, band thresholds, colours) as the core defines it,
// loaded once and refreshed when the thresholds change.
import { api, type Band, type RiskScale } from '$lib/api';

export const scale = $state<{ value: RiskScale | null }>({ value: null });

export async function loadRiskScale(): Promise<RiskScale> {
  scale.value = await api.riskScale();
  return scale.value;
}

const order: Band[] = ['low', 'medium', 'high', 'critical'];

/** The band's fill colour from the core (grey until the scale has loaded). */
export function bandColor(band: Band): string {
  return scale.value?.colors[order.indexOf(band)] ?? '#e5e9ee';
}
