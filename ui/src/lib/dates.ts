// Calendar arithmetic for the date picker. Dates stay ISO strings (YYYY-MM-DD) as the core
// reads them; a day is handled as a UTC date so no time zone can move it.

/** A calendar day: year, month (1-12), day (1-31). */
export type Day = { y: number; m: number; d: number };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The day an ISO date (optionally followed by a time) names, or null when it names none
 *  (a wrong shape, or a day the month does not have). */
export function parseDay(text: string): Day | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$/.exec(text.trim());
  if (!m) return null;
  const day = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  return day.m >= 1 && day.m <= 12 && day.d >= 1 && day.d <= daysIn(day.y, day.m) ? day : null;
}

/** What the field under a date says about `text`: the day spelled out, or why it is not one. */
export function dateHint(text: string, time: boolean): string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const day = parseDay(t);
  if (day) return longDate(day) + (timePart(t) ? ` at ${timePart(t).trim()}` : '');
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(t);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && /^(\d{4})-(\d{2})-(\d{2})([ T]\d{2}:\d{2}(:\d{2})?)?$/.test(t)) {
    return `${monthName(Number(m[2]))} ${Number(m[1])} has no day ${Number(m[3])}.`;
  }
  return `Write it as ${time ? 'YYYY-MM-DD or YYYY-MM-DD HH:MM' : 'YYYY-MM-DD'}.`;
}

/** The time after the date in `text` (" 14:30"), or '' when there is none. */
export function timePart(text: string): string {
  const m = /^\s*\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(?::\d{2})?)\s*$/.exec(text);
  return m ? ' ' + m[1].slice(1) : '';
}

export function iso(day: Day): string {
  return `${String(day.y).padStart(4, '0')}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}

export function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function toUtc(day: Day): Date {
  const date = new Date(Date.UTC(2000, day.m - 1, day.d));
  date.setUTCFullYear(day.y);
  return date;
}

function fromUtc(date: Date): Day {
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

export function addDays(day: Day, n: number): Day {
  const date = toUtc(day);
  date.setUTCDate(date.getUTCDate() + n);
  return fromUtc(date);
}

/** The same day `n` months on, kept within the target month (31 January + 1 = 28/29 February). */
export function addMonths(day: Day, n: number): Day {
  const index = day.y * 12 + (day.m - 1) + n;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return { y, m, d: Math.min(day.d, daysIn(y, m)) };
}

/** 0 for Monday … 6 for Sunday. */
export function weekday(day: Day): number {
  return (toUtc(day).getUTCDay() + 6) % 7;
}

export function sameDay(a: Day | null, b: Day | null): boolean {
  return !!a && !!b && a.y === b.y && a.m === b.m && a.d === b.d;
}

/** The month's weeks, Monday first, each a row of seven days; days outside the month are null. */
export function monthGrid(y: number, m: number): (Day | null)[][] {
  const lead = weekday({ y, m, d: 1 });
  const cells: (Day | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= daysIn(y, m); d++) cells.push({ y, m, d });
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
}

export function monthName(m: number): string {
  return MONTHS[m - 1];
}

/** "Friday 1 May 2026": the day spelled out, so a mistyped date is seen before it is saved. */
export function longDate(day: Day): string {
  return `${WEEKDAYS[weekday(day)]} ${day.d} ${monthName(day.m)} ${day.y}`;
}

export const weekdayNames = WEEKDAYS;
