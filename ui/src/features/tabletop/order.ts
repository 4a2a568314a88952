/** `list` with the item at `from` moved to `to` (both indexes into `list`). */
export function moved<T>(list: T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item);
  return out;
}

/** Injects reordered: the content moves, the times stay with the places, so the sequence
 *  keeps its clock (an inject moved to second place is revealed at the second time). The
 *  injects stay the same objects (their cards, and the focus in them, move with them). */
export function reordered<T extends { at_minutes: number }>(list: T[], from: number, to: number): T[] {
  const times = list.map((x) => x.at_minutes);
  const out = moved(list, from, to);
  out.forEach((x, i) => (x.at_minutes = times[i]));
  return out;
}

/** A role's name as the core compares it: trimmed, in any case. */
export const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
