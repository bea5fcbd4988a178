/**
 * Holidays and absences from iCalendar (issue 13), through the HTTP routes: exact hours off per
 * person and week (a weekday is weeklyHours / 5 in quarter hours, a weekend nothing), recurring
 * events with an EXDATE, a TZID event near midnight, a feed served on 127.0.0.1 fetched, refreshed
 * and failing, the manual leave kept apart, the plan's capacity, the daily claim, roles and 400s.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeaveCalendarRecord } from '../../shared/api/index.ts';
import type { ScenarioInput } from '../../solver/index.ts';
import { LeaveCalendarsService } from '../../server/modules/leave-calendars/leave-calendars.service.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const Q = '2026-Q4';
/** Week 0 starts Monday 28 September 2026; week 1 is 5–11 October. */
function scenario(startDate: string | null): ScenarioInput {
  return {
    quarter: { id: Q, weeks: 13, currentWeek: 0, ...(startDate ? { startDate } : {}) },
    staff: [
      { id: 'ana', name: 'Ana', weeklyHours: 32, skills: [] },
      { id: 'bo', name: 'Bo', weeklyHours: 40, skills: [] },
    ],
    clients: [{ id: 'acme', name: 'Acme', plan: 'payg' }],
    tickets: [{ id: 'A-1', client: 'acme', title: 'Big job', priority: 3, estimateHours: 2000, openedWeek: 0 }],
  };
}

const ics = (...events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Hourglass tests//EN', ...events, 'END:VCALENDAR'].join('\r\n');
const event = (uid: string, ...lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'].join('\r\n');

const HOLIDAYS = ics(
  event('wed', 'DTSTART;VALUE=DATE:20261007', 'DTEND;VALUE=DATE:20261008', 'SUMMARY:Harvest day'),
  event('sat', 'DTSTART;VALUE=DATE:20261010', 'SUMMARY:Saturday fair'),
  event('founders', 'DTSTART;VALUE=DATE:20101111', 'RRULE:FREQ=YEARLY', 'SUMMARY:Founders day'),
  event('xmas', 'DTSTART;VALUE=DATE:20201225', 'RRULE:FREQ=YEARLY', 'EXDATE;VALUE=DATE:20261225', 'SUMMARY:Christmas'),
  // 23:30 on Monday 19 October in New York is 05:30 on Tuesday the 20th in Amsterdam.
  event('late', 'DTSTART;TZID=America/New_York:20261019T233000', 'DTEND;TZID=America/New_York:20261019T235900', 'SUMMARY:Late call'),
);

describe.each(await dbTargets())('leave calendars on %s', (target) => {
  let t: TestApp, manager: ApiClient, staff: ApiClient, client: ApiClient;
  let feed: Server, feedUrl: string;
  let feedBody = '';
  let feedStatus = 200;
  const service = () => new LeaveCalendarsService(t.app.services);

  beforeAll(async () => {
    t = await startTestApp(target, { COMPANY_TIME_ZONE: 'Europe/Amsterdam', LEAVE_FEED_TIMEOUT_MS: '2000' });
    manager = await t.manager();
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
    feed = createServer((_req, res) => {
      res.writeHead(feedStatus, { 'content-type': 'text/calendar' });
      res.end(feedBody);
    });
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
    const addr = feed.address();
    feedUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/absence.ics`;
  });
  afterAll(async () => {
    await new Promise((resolve) => feed?.close(resolve));
    await t?.close();
  });

  const leaveOf = async (person: string) => {
    const s = (await manager.get(`/api/quarters/${Q}/scenario`)).body as ScenarioInput;
    return s.staff.find((x) => x.id === person)!.leave ?? {};
  };
  const capacity = async (person: string, week: number) => {
    await t.settle();
    const p = (await manager.get('/api/plans/current/summary')).body;
    return p.staff.find((x: { id: string }) => x.id === person).capacity[week] as number;
  };
  const week = (c: LeaveCalendarRecord, w: number) => c.weeks.find((x) => x.week === w);

  it('refuses a quarter without a start date, naming the field and what to do', async () => {
    expect((await manager.post(`/api/quarters/${Q}/import`, scenario(null))).status).toBe(200);
    const r = await manager.post('/api/leave-calendars', { kind: 'holidays', name: 'Holidays', ics: HOLIDAYS });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]).toMatchObject({ field: 'quarter.startDate', message: expect.stringMatching(/start date.*\/manager\/quarter/) });
    expect((await manager.post(`/api/quarters/${Q}/import`, scenario('2026-09-28'))).status).toBe(200);
    await t.settle();
  });

  it('is for managers only', async () => {
    staff = await t.as('ana@staff.test');
    client = await t.as('acme@client.test');
    const body = { kind: 'holidays', name: 'Holidays', ics: HOLIDAYS };
    for (const who of [staff, client]) {
      expect((await who.get('/api/leave-calendars')).status).toBe(403);
      expect((await who.post('/api/leave-calendars', body)).status).toBe(403);
      expect((await who.post('/api/leave-calendars/preview', body)).status).toBe(403);
      expect((await who.post('/api/leave-calendars/1/refresh')).status).toBe(403);
      expect((await who.delete('/api/leave-calendars/1')).status).toBe(403);
    }
    expect((await t.anonymous().get('/api/leave-calendars')).status).toBe(401);
  });

  it('answers bad input with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'x', ics: HOLIDAYS }, 'kind'],
      [{ kind: 'holidays', ics: HOLIDAYS }, 'name'],
      [{ kind: 'holidays', name: 'x' }, 'url'],
      [{ kind: 'holidays', name: 'x', ics: HOLIDAYS, url: feedUrl }, 'url'],
      [{ kind: 'holidays', name: 'x', url: 'ftp://example.com/h.ics' }, 'url'],
      [{ kind: 'holidays', name: 'x', url: 'not a url' }, 'url'],
      [{ kind: 'holidays', name: 'x', ics: 'hello' }, 'ics'],
      [{ kind: 'holidays', name: 'x', ics: 'BEGIN:VCARD\r\nEND:VCARD' }, 'ics'],
      [{ kind: 'holidays', name: 'x', ics: 42 }, 'ics'],
      [{ kind: 'holidays', name: 'x', ics: HOLIDAYS, staffId: 'ana' }, 'staffId'],
      [{ kind: 'absence', name: 'x', ics: HOLIDAYS }, 'staffId'],
      [{ kind: 'absence', name: 'x', ics: HOLIDAYS, staffId: 'ghost' }, 'staffId'],
      [{ kind: 'holidays', name: 'x', ics: HOLIDAYS, colour: 'red' }, 'colour'],
      [{ kind: 'holidays', name: 'x', url: 'http://127.0.0.1:1/none.ics' }, 'url'],
    ];
    for (const [body, field] of cases) {
      const r = await manager.post('/api/leave-calendars', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details.map((d: { field: string }) => d.field), JSON.stringify(body)).toContain(field);
    }
    expect((await manager.post('/api/leave-calendars/x/refresh')).status).toBe(400);
    expect((await manager.post('/api/leave-calendars/999/refresh')).status).toBe(404);
    expect((await manager.delete('/api/leave-calendars/999')).status).toBe(404);
    expect((await manager.get('/api/leave-calendars')).body.items).toEqual([]);
  });

  it('previews a holiday file without storing anything', async () => {
    const r = await manager.post('/api/leave-calendars/preview', { kind: 'holidays', name: 'Holidays', ics: HOLIDAYS });
    expect(r.status).toBe(200);
    expect(r.body.weeks.find((w: { week: number }) => w.week === 1).hours).toEqual({ ana: 6.5, bo: 8 });
    expect((await manager.get('/api/leave-calendars')).body.items).toEqual([]);
    expect(await leaveOf('ana')).toEqual({});
  });

  let holidays: LeaveCalendarRecord;
  it('takes a weekday holiday off everyone: 32/5 = 6.4 → 6.5 h and 40/5 = 8 h; a Saturday nothing', async () => {
    const before = await capacity('ana', 1);
    expect(before).toBe(32);
    const r = await manager.post('/api/leave-calendars', { kind: 'holidays', name: 'Company holidays', ics: HOLIDAYS });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    holidays = r.body;
    expect(holidays).toMatchObject({ kind: 'holidays', source: 'file', url: null, staffId: null, lastError: null, quarter: { id: Q, startDate: '2026-09-28' } });
    const w1 = week(holidays, 1)!;
    expect(w1.days.map((d) => [d.date, d.summary])).toEqual([
      ['2026-10-07', 'Harvest day'],
      ['2026-10-10', 'Saturday fair'],
    ]);
    expect(w1.hours).toEqual({ ana: 6.5, bo: 8 });
    expect(await leaveOf('ana')).toMatchObject({ 1: 6.5 });
    expect(await leaveOf('bo')).toMatchObject({ 1: 8 });
    // The re-plan ran: capacity dropped.
    expect(await capacity('ana', 1)).toBe(25.5);
    expect(await capacity('bo', 1)).toBe(32);
    // The manager's team calendar feed shows it as leave too.
    const feedPath = new URL((await manager.get('/api/calendar')).body.url).pathname;
    const team = await t.anonymous().get(feedPath);
    expect(team.body).toContain('SUMMARY:Bo: 8 h leave');
    expect(team.body).toContain('SUMMARY:Ana: 6.5 h leave');
  });

  it('expands a yearly holiday over the quarter and leaves out its EXDATE', () => {
    // Founders day, 11 November 2026, a Wednesday in week 6; Christmas 2026 (week 12) is excepted.
    expect(week(holidays, 6)).toMatchObject({ days: [{ date: '2026-11-11', minutes: null, summary: 'Founders day' }], hours: { ana: 6.5, bo: 8 } });
    expect(week(holidays, 12)).toBeUndefined();
  });

  it('puts a TZID event near midnight on its date in the company’s zone, for its hours', () => {
    const w3 = week(holidays, 3)!;
    expect(w3.days).toEqual([{ date: '2026-10-20', minutes: 29, summary: 'Late call' }]);
    expect(w3.hours).toEqual({ ana: 0.5, bo: 0.5 });
  });

  it('keeps manual leave apart: both count, capped at the weekly hours', async () => {
    const r = await manager.put('/api/staff/ana/leave', { week: 1, hours: 4 });
    expect(r.status).toBe(200);
    expect(r.body.leave).toEqual({ 1: 4 });
    expect((await leaveOf('ana'))[1]).toBe(10.5);
    expect(await capacity('ana', 1)).toBe(21.5);
    // Exported and imported again, the scenario leaves the manual leave as it was.
    const exported = (await manager.get(`/api/quarters/${Q}/scenario`)).body;
    expect((await manager.post(`/api/quarters/${Q}/import`, exported)).status).toBe(200);
    expect((await manager.get('/api/staff/ana')).body.leave).toEqual({ 1: 4 });
    // Manual leave of a whole week: capacity never below 0.
    await manager.put('/api/staff/bo/leave', { week: 6, hours: 40 });
    expect((await leaveOf('bo'))[6]).toBe(40);
    await manager.put('/api/staff/bo/leave', { week: 6, hours: 0 });
  });

  let absence: LeaveCalendarRecord;
  it('fetches a person’s absence feed from a URL: all-day days and a timed event’s hours', async () => {
    feedBody = ics(
      event('trip', 'DTSTART;VALUE=DATE:20261012', 'DTEND;VALUE=DATE:20261014', 'SUMMARY:Trip'),
      event('dentist', 'DTSTART:20261015T090000', 'DTEND:20261015T110000', 'SUMMARY:Dentist'),
    );
    const r = await manager.post('/api/leave-calendars', { kind: 'absence', name: 'Bo’s absences', url: feedUrl, staffId: 'bo' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    absence = r.body;
    expect(absence).toMatchObject({ kind: 'absence', staffId: 'bo', source: 'url', url: feedUrl, lastError: null });
    expect(week(absence, 2)!.hours).toEqual({ bo: 18 });
    expect((await leaveOf('bo'))[2]).toBe(18);
    expect((await leaveOf('ana'))[2]).toBeUndefined();
  });

  it('replaces the days on refresh, keeps them when the feed fails, and says why', async () => {
    feedBody = ics(event('trip', 'DTSTART;VALUE=DATE:20261012', 'DTEND;VALUE=DATE:20261013', 'SUMMARY:Shorter trip'));
    let r = await manager.post(`/api/leave-calendars/${absence.id}/refresh`);
    expect(r.status).toBe(200);
    expect(week(r.body, 2)).toMatchObject({ days: [{ date: '2026-10-12', summary: 'Shorter trip' }], hours: { bo: 8 } });
    expect((await leaveOf('bo'))[2]).toBe(8);

    feedStatus = 500;
    r = await manager.post(`/api/leave-calendars/${absence.id}/refresh`);
    expect(r.status).toBe(200);
    expect(r.body.lastError).toMatch(/HTTP 500/);
    expect(week(r.body, 2)!.hours).toEqual({ bo: 8 });
    feedStatus = 200;
    feedBody = 'this is not a calendar';
    r = await manager.post(`/api/leave-calendars/${absence.id}/refresh`);
    expect(r.body.lastError).toMatch(/not an iCalendar file/);
    expect((await leaveOf('bo'))[2]).toBe(8);
    const listed = (await manager.get('/api/leave-calendars')).body.items.find((c: LeaveCalendarRecord) => c.id === absence.id);
    expect(listed.lastError).toMatch(/not an iCalendar file/);
  });

  it('refreshes daily, each calendar claimed by one instance', async () => {
    feedBody = ics(event('trip', 'DTSTART;VALUE=DATE:20261012', 'DTEND;VALUE=DATE:20261015', 'SUMMARY:Long trip'));
    const em = t.app.services.store.reader();
    await em.execute("update leave_calendars set last_attempt_at = now() - interval '25 hours'");
    // Two instances ticking at once: each calendar refreshed once between them.
    const [a, b] = await Promise.all([service().refreshDue(), service().refreshDue()]);
    expect([...a, ...b].sort()).toEqual([holidays.id, absence.id].sort());
    expect(await service().refreshDue()).toEqual([]);
    expect((await leaveOf('bo'))[2]).toBe(24);
    const listed = (await manager.get('/api/leave-calendars')).body.items.find((c: LeaveCalendarRecord) => c.id === absence.id);
    expect(listed.lastError).toBeNull();
  });

  it('audits the writes', async () => {
    const audit = (await manager.get('/api/audit?entity=leave-calendar')).body;
    const actions = (audit.items ?? audit).filter((e: { entity: string }) => e.entity === 'leave-calendar').map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['create', 'refresh']));
  });

  it('deletes a calendar and the hours it took off; manual leave stays', async () => {
    expect((await manager.delete(`/api/leave-calendars/${holidays.id}`)).status).toBe(204);
    expect((await leaveOf('ana'))[1]).toBe(4);
    expect((await leaveOf('bo'))[1]).toBeUndefined();
    expect(await capacity('ana', 1)).toBe(28);
    expect((await manager.delete(`/api/leave-calendars/${absence.id}`)).status).toBe(204);
    expect(await leaveOf('bo')).toEqual({});
    expect((await manager.get('/api/leave-calendars')).body.items).toEqual([]);
  });
});
