/**
 * Holiday and absence calendars (issue 13). A calendar's days are read from its feed or file
 * (ics-days.ts) over the open quarters' dates and the year ahead, and stored apart from the manual
 * leave; the scenario adds their hours to each person's leave (imported-leave.ts). Adding,
 * refreshing (when the days changed) and deleting are writes like any other: one transaction with
 * the audit row, every open quarter re-planned, `data.changed` after the commit. A feed that fails
 * keeps its last days and stores why; the daily refresh claims each calendar with one UPDATE, so of
 * two instances only one refreshes it.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LeaveCalendarCreate, LeaveCalendarList, LeaveCalendarPreview, LeaveCalendarRecord, LeaveCalendarWeek } from '../../../shared/api/leave-calendars.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { sql } from '../../db/sql.ts';
import { notFound, validationError } from '../../errors.ts';
import { resolveQuarter } from '../../planning/plan-store.ts';
import type { Services } from '../../services.ts';
import type { WriteContext } from '../../store.ts';
import { openQuarterIds, readQuarter } from '../resource-helpers.ts';
import { fetchFeed } from './feed-fetch.ts';
import { addDays } from '../time-entries/entry-week.ts';
import { dateIn, IcsError, icsDays, type DateWindow, type LeaveDay } from './ics-days.ts';
import { hoursOff, placeDate, quarterDays, quarterSpan, type DatedDay, type Person, type QuarterDates } from './imported-leave.ts';

interface Row {
  id: number;
  kind: LeaveCalendarRecord['kind'];
  staff_id: string | null;
  name: string;
  url: string | null;
  ics: string | null;
  content_hash: string | null;
  last_fetched_at: Date | string | null;
  last_attempt_at: Date | string | null;
  last_error: string | null;
  created_at: Date | string;
  day_count: number | string;
}

type Quarter = QuarterDates & { id: string };

const iso = (d: Date | string | null) => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
const hash = (text: string) => createHash('sha256').update(text).digest('base64url');
const ROW = `select c.*, (select count(*) from leave_calendar_days d where d.calendar_id = c.id) as day_count from leave_calendars c`;
/** How far back and ahead days are kept besides the open quarters' own dates. */
const BACK_DAYS = 31;
const AHEAD_DAYS = 400;
const DAILY_MS = 24 * 3600_000;

/** The weeks of a quarter a calendar's days fall in, and the hours each person loses there. */
export function calendarWeeks(q: Quarter | null, people: readonly Person[], days: readonly DatedDay[]): LeaveCalendarWeek[] {
  if (!q) return [];
  const byWeek = new Map<number, LeaveCalendarWeek>();
  for (const d of days) {
    const at = placeDate(q, d.date);
    if (!at) continue;
    const week = byWeek.get(at.week) ?? { week: at.week, days: [], hours: {} };
    week.days.push({ date: d.date, minutes: d.minutes, summary: d.summary });
    byWeek.set(at.week, week);
  }
  for (const [person, weeks] of hoursOff(q, people, days)) for (const [w, hours] of weeks) byWeek.get(w)!.hours[person] = hours;
  return [...byWeek.values()].sort((a, b) => a.week - b.week);
}

const quarterJson = (q: Quarter | null) => (q ? { id: q.id, startDate: q.startDate ?? null, weeks: q.weeks } : null);

export class LeaveCalendarsService {
  constructor(private readonly s: Services) {}

  private get zone(): string {
    return this.s.config.COMPANY_TIME_ZONE;
  }

  async list(quarterId?: string): Promise<LeaveCalendarList> {
    const em = this.s.store.reader();
    const q = await readQuarter(em, quarterId);
    const rows = await sql<Row>(em, `${ROW} order by c.kind desc, c.name asc, c.id asc`);
    const people = await this.people(em);
    const days = q ? await quarterDays(em, q) : [];
    return { quarter: quarterJson(q), items: rows.map((r) => this.record(r, q, people, days.filter((d) => d.calendarId === r.id))) };
  }

  async get(em: EntityManager, id: number): Promise<LeaveCalendarRecord> {
    const row = (await sql<Row>(em, `${ROW} where c.id = ?`, [id]))[0];
    if (!row) throw notFound(`Calendar ${id}`);
    const q = await resolveQuarter(em);
    return this.record(row, q, await this.people(em), q ? await quarterDays(em, q, id) : []);
  }

  /** What a calendar would take off the current quarter, nothing stored (a dry run). */
  async preview(body: LeaveCalendarCreate): Promise<LeaveCalendarPreview> {
    const em = this.s.store.reader();
    const q = await this.datedQuarter(em);
    await this.checkStaff(em, body);
    const days = icsDaysOr400(await this.textOf(body), await this.window(em), this.zone, body);
    const staffId = body.kind === 'absence' ? body.staffId! : null;
    const span = quarterSpan(q)!;
    const inQuarter = days.filter((d) => d.date >= span.from && d.date < span.to).map((d) => ({ ...d, staffId }));
    return { quarter: quarterJson(q), dayCount: days.length, weeks: calendarWeeks(q, await this.people(em), inQuarter) };
  }

  async create(v: Viewer, body: LeaveCalendarCreate): Promise<LeaveCalendarRecord> {
    const em = this.s.store.reader();
    await this.datedQuarter(em);
    await this.checkStaff(em, body);
    // Fetched before the transaction: a slow feed holds no lock.
    const text = await this.textOf(body);
    const days = icsDaysOr400(text, await this.window(em), this.zone, body);
    return this.s.store.write(v, 'leave calendar added', async (w) => {
      const rows = await w.tx.execute<{ id: number }[]>(
        `insert into leave_calendars (kind, staff_id, name, url, ics, content_hash, last_fetched_at, last_attempt_at) values (?, ?, ?, ?, ?, ?, now(), now()) returning id`,
        [body.kind, body.kind === 'absence' ? body.staffId! : null, body.name, body.url ?? null, body.url ? null : text, hash(text)],
      );
      const id = Number(rows[0]!.id);
      await this.storeDays(w.tx, id, days);
      const after = await this.get(w.tx, id);
      await this.changed(w, 'create', id, after.staffId, null, auditOf(after));
      return after;
    });
  }

  /**
   * Reads the calendar again (its feed, or its stored file for quarters added since). New days
   * replace the old; a failure keeps them and stores why. Answers the calendar as it is now.
   */
  async refresh(v: Viewer | null, id: number): Promise<LeaveCalendarRecord> {
    const em = this.s.store.reader();
    const row = (await sql<Row>(em, `${ROW} where c.id = ?`, [id]))[0];
    if (!row) throw notFound(`Calendar ${id}`);
    let text: string;
    let days: LeaveDay[];
    try {
      text = row.url ? await fetchFeed(row.url, { timeoutMs: this.s.config.LEAVE_FEED_TIMEOUT_MS, maxBytes: this.s.config.LEAVE_FEED_MAX_BYTES }) : row.ics!;
      days = icsDays(text, await this.window(em), this.zone);
    } catch (err) {
      if (!(err instanceof IcsError)) throw err;
      this.s.logger.warn({ calendar: id, reason: err.message }, 'a leave calendar could not be refreshed; its last days are kept');
      return this.s.store.write(v, 'leave calendar failed', async (w) => {
        await w.tx.execute('update leave_calendars set last_error = ?, last_attempt_at = now() where id = ?', [err.message, id]);
        return this.get(w.tx, id);
      });
    }
    return this.s.store.write(v, 'leave calendar refreshed', async (w) => {
      const locked = await w.tx.execute<{ id: number }[]>('select id from leave_calendars where id = ? for update', [id]);
      if (locked.length === 0) throw notFound(`Calendar ${id}`);
      const before = await sql<LeaveDay>(w.tx, 'select date, minutes, summary from leave_calendar_days where calendar_id = ? order by date asc', [id]);
      const same = JSON.stringify(before.map((d) => [d.date, d.minutes === null ? null : Number(d.minutes), d.summary])) === JSON.stringify(days.map((d) => [d.date, d.minutes, d.summary]));
      await w.tx.execute('update leave_calendars set content_hash = ?, last_fetched_at = now(), last_attempt_at = now(), last_error = null where id = ?', [hash(text), id]);
      if (!same) {
        await w.tx.execute('delete from leave_calendar_days where calendar_id = ?', [id]);
        await this.storeDays(w.tx, id, days);
      }
      const after = await this.get(w.tx, id);
      if (!same) await this.changed(w, 'refresh', id, after.staffId, { dayCount: before.length }, auditOf(after));
      return after;
    });
  }

  async remove(v: Viewer, id: number): Promise<void> {
    await this.s.store.write(v, 'leave calendar deleted', async (w) => {
      const locked = await w.tx.execute<{ id: number }[]>('select id from leave_calendars where id = ? for update', [id]);
      if (locked.length === 0) throw notFound(`Calendar ${id}`);
      const before = await this.get(w.tx, id);
      await w.tx.execute('delete from leave_calendars where id = ?', [id]);
      await this.changed(w, 'delete', id, before.staffId, auditOf(before), null);
    });
  }

  /**
   * Refreshes every calendar not tried for a day. Each is claimed by moving its last attempt on in
   * one UPDATE (skipping rows another instance holds), so two instances never refresh one twice.
   */
  async refreshDue(): Promise<number[]> {
    const done: number[] = [];
    for (;;) {
      const claimed = await this.s.store.reader().execute<{ id: number }[]>(
        `update leave_calendars set last_attempt_at = now() where id = (
           select id from leave_calendars where last_attempt_at is null or last_attempt_at < now() - interval '1 day'
           order by last_attempt_at asc nulls first, id asc limit 1 for update skip locked) returning id`,
      );
      const id = claimed[0] ? Number(claimed[0].id) : null;
      if (id === null) return done;
      await this.refresh(null, id).catch((err) => this.s.logger.error({ err, calendar: id }, 'could not refresh a leave calendar'));
      done.push(id);
    }
  }

  private async changed(w: WriteContext, action: string, id: number, staffId: string | null, before: unknown, after: unknown): Promise<void> {
    const quarterIds = await openQuarterIds(w.tx);
    w.touchAllOpen();
    w.audit(action, 'leave-calendar', id, before, after);
    w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds, entity: 'leave', id: `calendar-${id}`, staffId }));
  }

  private async storeDays(tx: EntityManager, id: number, days: readonly LeaveDay[]): Promise<void> {
    for (let i = 0; i < days.length; i += 1000) {
      const part = days.slice(i, i + 1000);
      await tx.execute(
        `insert into leave_calendar_days (calendar_id, date, minutes, summary) values ${part.map(() => '(?, ?, ?, ?)').join(', ')}`,
        part.flatMap((d) => [id, d.date, d.minutes, d.summary]),
      );
    }
  }

  private record(r: Row, q: Quarter | null, people: readonly Person[], days: readonly DatedDay[]): LeaveCalendarRecord {
    return {
      id: Number(r.id),
      kind: r.kind,
      name: r.name,
      staffId: r.staff_id,
      url: r.url,
      source: r.url ? 'url' : 'file',
      createdAt: iso(r.created_at)!,
      lastFetchedAt: iso(r.last_fetched_at),
      lastAttemptAt: iso(r.last_attempt_at),
      lastError: r.last_error,
      dayCount: Number(r.day_count),
      quarter: quarterJson(q),
      weeks: calendarWeeks(q, r.staff_id ? people.filter((p) => p.id === r.staff_id) : people, days),
    };
  }

  private async people(em: EntityManager): Promise<Person[]> {
    return (await sql<{ id: string; weekly_hours: number }>(em, 'select id, weekly_hours from staff where active order by id asc')).map((p) => ({ id: p.id, weeklyHours: Number(p.weekly_hours) }));
  }

  /** Days are kept over every open quarter's dates and from a month back to a year ahead. */
  private async window(em: EntityManager): Promise<DateWindow> {
    const today = dateIn(Date.now(), this.zone);
    let from = addDays(today, -BACK_DAYS);
    let to = addDays(today, AHEAD_DAYS);
    for (const q of await sql<{ start_date: string | null; weeks: number }>(em, 'select start_date, weeks from quarters where closed_at is null and start_date is not null')) {
      const span = quarterSpan({ startDate: q.start_date, weeks: Number(q.weeks) })!;
      if (span.from < from) from = span.from;
      if (span.to > to) to = span.to;
    }
    return { from, to };
  }

  /** Days map to weeks through the quarter's start date: without one, say what to do. */
  private async datedQuarter(em: EntityManager): Promise<Quarter> {
    const q = await resolveQuarter(em);
    if (!q) throw validationError([{ field: 'quarter', message: 'there is no quarter yet: create it (with its start date) first, then add the calendar' }]);
    if (!q.startDate) {
      throw validationError([
        { field: 'quarter.startDate', message: `quarter ${q.id} has no start date, so its weeks have no dates to match holidays to: set its start date (the Monday of week 0) on /manager/quarter or with PATCH /api/quarters/${q.id}, then add the calendar` },
      ]);
    }
    return q;
  }

  private async checkStaff(em: EntityManager, body: LeaveCalendarCreate): Promise<void> {
    if (body.kind !== 'absence') return;
    const found = await sql(em, 'select id from staff where id = ?', [body.staffId]);
    if (found.length === 0) throw validationError([{ field: 'staffId', message: `no staff member has the id "${body.staffId}"` }]);
  }

  /** The text to read: the file sent, or the feed fetched now (a failure is the url's 400). */
  private async textOf(body: LeaveCalendarCreate): Promise<string> {
    if (!body.url) return body.ics!;
    try {
      return await fetchFeed(body.url, { timeoutMs: this.s.config.LEAVE_FEED_TIMEOUT_MS, maxBytes: this.s.config.LEAVE_FEED_MAX_BYTES });
    } catch (err) {
      if (err instanceof IcsError) throw validationError([{ field: 'url', message: err.message }]);
      throw err;
    }
  }
}

function icsDaysOr400(text: string, window: DateWindow, zone: string, body: LeaveCalendarCreate): LeaveDay[] {
  try {
    return icsDays(text, window, zone);
  } catch (err) {
    if (err instanceof IcsError) throw validationError([{ field: body.url ? 'url' : 'ics', message: err.message }]);
    throw err;
  }
}

/** The audit keeps what the calendar is and how much it takes off; a feed's address may carry a key, so only its host. */
function auditOf(c: LeaveCalendarRecord) {
  return { kind: c.kind, name: c.name, staffId: c.staffId, source: c.url ? new URL(c.url).host : 'file', dayCount: c.dayCount };
}

/** The daily refresh in this process: checked at start and every few minutes. */
export function startLeaveRefresh(s: Services, everyMs = 10 * 60_000): () => void {
  const service = new LeaveCalendarsService(s);
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    void service
      .refreshDue()
      .catch((err) => s.logger.error({ err }, 'could not refresh the leave calendars'))
      .finally(() => (running = false));
  };
  tick();
  const timer = setInterval(tick, Math.min(everyMs, DAILY_MS));
  timer.unref();
  return () => clearInterval(timer);
}
