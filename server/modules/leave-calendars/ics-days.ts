/**
 * An iCalendar text read into the days it takes off, with ical.js (Mozilla's parser): recurring
 * events (RRULE, RDATE, EXDATE, moved or cancelled occurrences by RECURRENCE-ID) are expanded
 * over a window of dates, and every event becomes calendar dates in the company's time zone.
 * - An all-day event (DATE values) covers its dates as written, whatever any zone says: a
 *   holiday on 25 December is 25 December.
 * - A timed event covers, each date it touches in the company's zone, the minutes it lasts on that
 *   date. Its time zone is the file's VTIMEZONE for its TZID, else the TZID as an IANA name, else
 *   (floating time, or a zone name nobody knows) the company's zone.
 * Several events on one date add up, to a whole day at most; any all-day event makes it whole.
 * Cancelled events (STATUS:CANCELLED) take nothing off. Pure: no database, no clock.
 */
import ICAL from 'ical.js';
import { addDays } from '../time-entries/entry-week.ts';

export interface LeaveDay {
  /** ISO date in the company's zone. */
  date: string;
  /** Minutes taken off that date, or null for the whole day. */
  minutes: number | null;
  /** The events' names, for the dashboard. */
  summary: string;
}

/** Dates from `from` (inclusive) to `to` (exclusive), ISO. */
export interface DateWindow {
  from: string;
  to: string;
}

/** A file that cannot be read as a calendar: the message says why, in words a manager can act on. */
export class IcsError extends Error {
  override name = 'IcsError';
}

/** Occurrences looked at per recurring event, and in the whole file: a feed cannot make us loop for ever. */
const MAX_PER_EVENT = 50_000;
const MAX_TOTAL = 200_000;
const MAX_SUMMARY = 200;

const formats = new Map<string, Intl.DateTimeFormat>();
function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(zone, f);
  }
  return f;
}

export function isTimeZone(zone: string): boolean {
  try {
    format(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of an instant in a zone, as if it were UTC (ms). */
function wallOf(instant: number, zone: string): number {
  const parts = Object.fromEntries(format(zone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/** The instant a wall-clock time (given as if UTC) is in a zone; in a gap or overlap, the earlier reading. */
export function instantOf(wall: number, zone: string): number {
  const first = wall - (wallOf(wall, zone) - wall);
  return wall - (wallOf(first, zone) - first);
}

export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The date an instant falls on in a zone. */
export const dateIn = (instant: number, zone: string) => isoDate(wallOf(instant, zone));
const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

type Time = ICAL.Time;

/** An instant for a timed value: its own zone if ical.js knows it, else its TZID, else the company's. */
function instant(t: Time, tzid: string | null, zone: string): number {
  const z = t.zone as (ICAL.Timezone & { component?: unknown }) | null;
  if (z && (z.tzid === 'UTC' || z.component)) return t.toUnixTime() * 1000;
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return instantOf(wall, tzid && isTimeZone(tzid) ? tzid : zone);
}

const dateOf = (t: Time) => `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;

interface Occurrence {
  start: Time;
  end: Time;
  event: ICAL.Event;
}

/** The dates (and minutes on each) one occurrence covers. */
function covered(o: Occurrence, zone: string, add: (date: string, minutes: number | null) => void): void {
  if (o.start.isDate) {
    const first = dateOf(o.start);
    const end = o.end.isDate ? dateOf(o.end) : addDays(first, 1);
    for (let d = first, n = 0; n === 0 || (d < end && n < 366); d = addDays(d, 1), n++) add(d, null);
    return;
  }
  const tzid = (prop: string) => (o.event.component.getFirstProperty(prop)?.getParameter('tzid') as string | undefined) ?? null;
  const from = instant(o.start, tzid('dtstart'), zone);
  const to = instant(o.end, tzid('dtend') ?? tzid('dtstart'), zone);
  if (!(to > from)) return;
  for (let d = dateIn(from, zone), n = 0; n < 366; d = addDays(d, 1), n++) {
    const midnight = instantOf(dayMs(d), zone);
    const next = instantOf(dayMs(addDays(d, 1)), zone);
    if (midnight >= to) break;
    const minutes = Math.round((Math.min(to, next) - Math.max(from, midnight)) / 60_000);
    if (minutes > 0) add(d, minutes >= Math.round((next - midnight) / 60_000) ? null : minutes);
  }
}

function occurrences(event: ICAL.Event, window: DateWindow, budget: { left: number }): Occurrence[] {
  if (!event.isRecurring()) return [{ start: event.startDate, end: event.endDate, event }];
  const out: Occurrence[] = [];
  // A day's slack on both sides: a timed occurrence late on one date may fall on the next in our zone.
  const last = addDays(window.to, 1);
  const first = addDays(window.from, -1);
  const it = event.iterator();
  for (let n = 0, next = it.next(); next; next = it.next(), n++) {
    if (n >= MAX_PER_EVENT || --budget.left < 0) throw new IcsError(`"${event.summary ?? event.uid}" repeats too often to expand (more than ${MAX_PER_EVENT} times before the dates asked for)`);
    const date = dateOf(next);
    if (date >= last) break;
    const details = event.getOccurrenceDetails(next);
    if (dateOf(details.endDate) < first && date < first) continue;
    out.push({ start: details.startDate, end: details.endDate, event: details.item });
  }
  return out;
}

/** The days a calendar text takes off within the window, one entry a date, in date order. */
export function icsDays(text: string, window: DateWindow, zone: string): LeaveDay[] {
  let root: ICAL.Component;
  try {
    const data = ICAL.parse(text);
    const first = Array.isArray(data[0]) ? data[0] : data;
    root = new ICAL.Component(first as unknown[]);
  } catch (err) {
    throw new IcsError(`not an iCalendar file (${err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'unreadable'})`);
  }
  if (root.name !== 'vcalendar') throw new IcsError(`not an iCalendar file: it starts with ${root.name.toUpperCase()}, not BEGIN:VCALENDAR`);

  const components = root.getAllSubcomponents('vevent');
  const exceptions = new Map<string, ICAL.Component[]>();
  const masters: ICAL.Component[] = [];
  for (const c of components) {
    const uid = String(c.getFirstPropertyValue('uid') ?? '');
    if (c.hasProperty('recurrence-id') && uid) exceptions.set(uid, [...(exceptions.get(uid) ?? []), c]);
    else masters.push(c);
  }
  // An exception whose series is not in the file stands alone.
  const withMaster = new Set(masters.map((m) => String(m.getFirstPropertyValue('uid') ?? '')));
  for (const [uid, list] of exceptions) if (!withMaster.has(uid)) masters.push(...list);

  const days = new Map<string, { minutes: number | null; names: Set<string> }>();
  const budget = { left: MAX_TOTAL };
  for (const c of masters) {
    let event: ICAL.Event;
    try {
      const uid = String(c.getFirstPropertyValue('uid') ?? '');
      event = new ICAL.Event(c, { exceptions: c.hasProperty('recurrence-id') ? [] : (exceptions.get(uid) ?? []) });
      if (!c.hasProperty('dtstart')) continue;
      for (const o of occurrences(event, window, budget)) {
        if (String(o.event.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') continue;
        const name = (o.event.summary ?? '').trim() || 'Leave';
        covered(o, zone, (date, minutes) => {
          if (date < window.from || date >= window.to) return;
          const day = days.get(date) ?? { minutes: 0, names: new Set<string>() };
          day.minutes = day.minutes === null || minutes === null ? null : day.minutes + minutes;
          if (day.minutes !== null && day.minutes >= 1440) day.minutes = null;
          day.names.add(name);
          days.set(date, day);
        });
      }
    } catch (err) {
      if (err instanceof IcsError) throw err;
      const what = String(c.getFirstPropertyValue('summary') ?? c.getFirstPropertyValue('uid') ?? 'an event');
      throw new IcsError(`"${what.slice(0, 80)}" could not be read (${err instanceof Error ? err.message.slice(0, 200) : 'unreadable'})`);
    }
  }
  return [...days]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, d]) => ({ date, minutes: d.minutes, summary: [...d.names].join('; ').slice(0, MAX_SUMMARY) }));
}
