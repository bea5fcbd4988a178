// @vitest-environment node
/**
 * The pure parts of holiday and absence calendars: an iCalendar text read into dates
 * (ics-days.ts) and dates into hours per person and week (imported-leave.ts), exact.
 */
import { describe, expect, it } from 'vitest';
import { IcsError, icsDays } from '../../server/modules/leave-calendars/ics-days.ts';
import { dayHours, hoursOff, manualFrom, withImported } from '../../server/modules/leave-calendars/imported-leave.ts';

const ics = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', ...lines, 'END:VCALENDAR'].join('\r\n');
const WINDOW = { from: '2026-09-28', to: '2026-12-28' };

describe('calendar text to dates', () => {
  it('uses a VTIMEZONE of the file for its TZID', () => {
    const text = ics(
      'BEGIN:VTIMEZONE', 'TZID:Custom/Plus14', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+1400', 'TZOFFSETTO:+1400', 'END:STANDARD', 'END:VTIMEZONE',
      // 08:00 on the 7th at +14:00 is 18:00 on the 6th in UTC.
      'BEGIN:VEVENT', 'UID:a', 'DTSTART;TZID=Custom/Plus14:20261007T080000', 'DTEND;TZID=Custom/Plus14:20261007T090000', 'SUMMARY:Early', 'END:VEVENT',
    );
    expect(icsDays(text, WINDOW, 'UTC')).toEqual([{ date: '2026-10-06', minutes: 60, summary: 'Early' }]);
  });

  it('follows a moved occurrence and skips a cancelled one', () => {
    const text = ics(
      'BEGIN:VEVENT', 'UID:w', 'DTSTART;VALUE=DATE:20261005', 'RRULE:FREQ=WEEKLY;COUNT=3', 'SUMMARY:Day off', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:w', 'RECURRENCE-ID;VALUE=DATE:20261012', 'DTSTART;VALUE=DATE:20261013', 'SUMMARY:Day off (moved)', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:w', 'RECURRENCE-ID;VALUE=DATE:20261019', 'DTSTART;VALUE=DATE:20261019', 'STATUS:CANCELLED', 'SUMMARY:Day off', 'END:VEVENT',
    );
    expect(icsDays(text, WINDOW, 'UTC').map((d) => [d.date, d.summary])).toEqual([
      ['2026-10-05', 'Day off'],
      ['2026-10-13', 'Day off (moved)'],
    ]);
  });

  it('splits a timed event over the dates it covers, a full date counting whole', () => {
    const text = ics('BEGIN:VEVENT', 'UID:x', 'DTSTART:20261006T200000Z', 'DTEND:20261008T010000Z', 'SUMMARY:Away', 'END:VEVENT');
    // Amsterdam is UTC+2 in October: 22:00 on the 6th to 03:00 on the 8th.
    expect(icsDays(text, WINDOW, 'Europe/Amsterdam')).toEqual([
      { date: '2026-10-06', minutes: 120, summary: 'Away' },
      { date: '2026-10-07', minutes: null, summary: 'Away' },
      { date: '2026-10-08', minutes: 180, summary: 'Away' },
    ]);
  });

  it('says why a text is no calendar', () => {
    expect(() => icsDays('nonsense', WINDOW, 'UTC')).toThrow(IcsError);
    expect(() => icsDays('BEGIN:VCARD\r\nEND:VCARD', WINDOW, 'UTC')).toThrow(/BEGIN:VCALENDAR/);
  });
});

describe('dates to hours', () => {
  const q = { startDate: '2026-09-28', weeks: 13 };
  it('takes weeklyHours / 5 in quarter hours a weekday, nothing at weekends, a timed part rounded', () => {
    expect(dayHours(32)).toBe(6.5);
    expect(dayHours(40)).toBe(8);
    expect(dayHours(18)).toBe(3.5);
    const off = hoursOff(q, [{ id: 'ana', weeklyHours: 32 }, { id: 'bo', weeklyHours: 40 }], [
      { date: '2026-10-07', minutes: null, summary: 'Wed', staffId: null },
      { date: '2026-10-10', minutes: null, summary: 'Sat', staffId: null },
      { date: '2026-10-07', minutes: 100, summary: 'Also Wed', staffId: 'bo' },
      { date: '2026-10-08', minutes: 100, summary: 'Thu', staffId: 'bo' },
      { date: '2026-10-09', minutes: 1000, summary: 'Long Fri', staffId: 'bo' },
    ]);
    expect(off.get('ana')).toEqual(new Map([[1, 6.5]]));
    // Wednesday once (whole), Thursday 1h40 → 1.75 h, Friday capped at a day.
    expect(off.get('bo')).toEqual(new Map([[1, 8 + 1.75 + 8]]));
  });

  it('never takes more than a week, and nothing without a start date', () => {
    const days = ['2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09'].map((date) => ({ date, minutes: null, summary: '', staffId: null }));
    expect(hoursOff(q, [{ id: 'ana', weeklyHours: 32 }], days).get('ana')).toEqual(new Map([[1, 32]]));
    expect(hoursOff({ startDate: null, weeks: 13 }, [{ id: 'ana', weeklyHours: 32 }], days).size).toBe(0);
    expect(withImported(32, 30, 6.5)).toBe(32);
    expect(withImported(32, 4, 6.5)).toBe(10.5);
  });

  it('keeps the manual part when a scenario states the leave back', () => {
    expect(manualFrom(32, 10.5, 6.5, 4)).toBe(4);
    expect(manualFrom(32, 32, 6.5, 30)).toBe(30);
    expect(manualFrom(32, 12, 6.5, 4)).toBe(5.5);
    expect(manualFrom(32, 3, 6.5, 4)).toBe(0);
    expect(manualFrom(32, 3, 0, 4)).toBe(3);
  });
});
