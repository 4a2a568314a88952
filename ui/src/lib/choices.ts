// What forms pick from: the people, systems and controls in use, as select options.
import { api } from '$lib/api';

/** A select's value (an id, a level) as a number; '' (nothing picked) as null. */
export const numberOrNull = (value: string): number | null => (value === '' ? null : Number(value));

/** Everyone not archived, by name. */
export const activePeople = () => api.listPeople({ search: '', include_archived: false });

/** Every system not archived, by name. */
export const activeSystems = () => api.listSystems({ search: '', criticality: null, gaps_only: false, include_archived: false });

/** Every control not archived, by reference. */
export const activeControls = async () =>
  (
    await api.listControls({
      search: '',
      status: null,
      cadence: null,
      owner_id: null,
      criterion: null,
      include_archived: false,
      sort: 'reference',
      descending: false,
      offset: 0,
      limit: 1000,
    })
  ).rows;

/** Options for a person or a system by id, as a filter lists them (after its "any"). */
export const recordOptions = (records: { id: number; name: string }[]): { value: string; label: string }[] =>
  records.map((r) => ({ value: String(r.id), label: r.name }));

/** Options for picking a person or a system by id: `none` (the empty value) first. A `current`
 *  choice the list no longer holds (archived since) stays selectable, marked as archived. */
export function pickOptions(
  records: { id: number; name: string }[],
  none = '—',
  current?: { id: number; name: string } | null,
): { value: string; label: string }[] {
  const kept = current && !records.some((r) => r.id === current.id) ? [{ value: String(current.id), label: `${current.name} (archived)` }] : [];
  return [{ value: '', label: none }, ...recordOptions(records), ...kept];
}
