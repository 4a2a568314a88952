import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dateHint, longDate, monthGrid, parseDay, timePart } from './dates';

describe('dates', () => {
  it('reads ISO dates, with or without a time, and refuses days the month lacks', () => {
    expect(parseDay('2026-05-01')).toEqual({ y: 2026, m: 5, d: 1 });
    expect(parseDay(' 2026-05-01 14:30 ')).toEqual({ y: 2026, m: 5, d: 1 });
    expect(parseDay('2026-05-01T14:30:00')).toEqual({ y: 2026, m: 5, d: 1 });
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2028-02-29')).toEqual({ y: 2028, m: 2, d: 29 });
    expect(parseDay('2026-13-01')).toBeNull();
    expect(parseDay('01/05/2026')).toBeNull();
    expect(parseDay('2026-5-1')).toBeNull();
  });

  it('keeps the time that follows a date', () => {
    expect(timePart('2026-05-01 14:30')).toBe(' 14:30');
    expect(timePart('2026-05-01T09:05')).toBe(' 09:05');
    expect(timePart('2026-05-01')).toBe('');
  });

  it('steps days across months and years, and months within their length', () => {
    expect(addDays({ y: 2026, m: 12, d: 31 }, 1)).toEqual({ y: 2027, m: 1, d: 1 });
    expect(addDays({ y: 2026, m: 3, d: 1 }, -1)).toEqual({ y: 2026, m: 2, d: 28 });
    expect(addMonths({ y: 2026, m: 1, d: 31 }, 1)).toEqual({ y: 2026, m: 2, d: 28 });
    expect(addMonths({ y: 2026, m: 1, d: 15 }, -1)).toEqual({ y: 2025, m: 12, d: 15 });
    expect(addMonths({ y: 2026, m: 6, d: 15 }, 12)).toEqual({ y: 2027, m: 6, d: 15 });
  });

  it('lays a month out in weeks starting on Monday', () => {
    // 1 May 2026 is a Friday: four empty days lead.
    const weeks = monthGrid(2026, 5);
    expect(weeks[0].slice(0, 4)).toEqual([null, null, null, null]);
    expect(weeks[0][4]).toEqual({ y: 2026, m: 5, d: 1 });
    expect(weeks.flat().filter(Boolean)).toHaveLength(31);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
  });

  it('says why a date is not one', () => {
    expect(dateHint('2026-02-30', false)).toBe('February 2026 has no day 30.');
    expect(dateHint('2026-13-01', false)).toBe('Write it as YYYY-MM-DD.');
    expect(dateHint('next week', true)).toBe('Write it as YYYY-MM-DD or YYYY-MM-DD HH:MM.');
    expect(dateHint('2026-05-01 14:30', true)).toBe('Friday 1 May 2026 at 14:30');
    expect(dateHint('  ', false)).toBeUndefined();
  });

  it('spells a day out with its weekday', () => {
    expect(longDate({ y: 2026, m: 5, d: 1 })).toBe('Friday 1 May 2026');
  });
});
