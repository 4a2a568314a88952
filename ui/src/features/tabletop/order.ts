/** `list` with the item at `from` moved to `to` (both indexes into `list`). */
export function moved<T>(list: T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item);
  return out;
}

/** Injects reordered: the content moves, the times stay with the places, so the sequence
 *  keeps its clock (an inject moved to second place is revealed at the second time). */
export function reordered<T extends { at_minutes: number }>(list: T[], from: number, to: number): T[] {
  const times = list.map((x) => x.at_minutes);
  return moved(list, from, to).map((x, i) => ({ ...x, at_minutes: times[i] }));
}
