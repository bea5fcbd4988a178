/**
 * Calendar feeds (issue 12): GET /api/calendar, POST /api/calendar/reset and the feed itself,
 * GET /api/calendar/:token.ics, without a cookie. Feeds are parsed with ical.js (a reader other
 * than the library that writes them) and compared with the plan in force, hour for hour.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { rowCount } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const QUARTER = '2026-Q4';
/** Two people with no skill in common: each works on tickets the other never sees. */
const scenario = {
  quarter: { id: QUARTER, weeks: 4, currentWeek: 0, startDate: '2026-10-05' },
  staff: [
    { id: 'ana', name: 'Ana Silva', weeklyHours: 10, skills: ['php'], leave: { '1': 4 } },
    { id: 'ben', name: 'Ben Ode', weeklyHours: 10, skills: ['linux'] },
  ],
  clients: [
    { id: 'harbor', name: 'Harbor Dental', plan: 'prepaid', purchases: [{ week: 0, hours: 40 }] },
    { id: 'quill', name: 'Quill Books', plan: 'payg' },
  ],
  tickets: [
    { id: 'H-1', client: 'harbor', title: 'Tidy old backups', priority: 3, estimateHours: 12.5, openedWeek: 0, skill: 'php' },
    { id: 'Q-1', client: 'quill', title: 'Shop is down', priority: 1, estimateHours: 6, openedWeek: 0, emergency: true, skill: 'linux' },
    { id: 'Q-2', client: 'quill', title: 'Secret checkout rewrite', priority: 2, estimateHours: 8, openedWeek: 0, skill: 'linux' },
  ],
};

interface FeedEvent {
  uid: string;
  summary: string;
  description: string;
  start: string;
  end: string;
  allDay: boolean;
}

function parseFeed(text: string): FeedEvent[] {
  const cal = new ICAL.Component(ICAL.parse(text));
  expect(cal.name).toBe('vcalendar');
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, summary: e.summary, description: e.description, start: e.startDate.toString(), end: e.endDate.toString(), allDay: e.startDate.isDate };
  });
}

const pathOf = (url: string) => new URL(url).pathname;
const monday = (week: number) => new Date(Date.UTC(2026, 9, 5 + week * 7)).toISOString().slice(0, 10);

interface Row {
  week: number;
  staff: string;
  ticket: string;
  hours: number;
}

/** What the plan in force gives a person: hours per week, and per ticket in each week. */
async function planned(manager: ApiClient, staff: string): Promise<Map<number, Map<string, number>>> {
  const plan = (await manager.get('/api/plans/current')).body as { allocations: Row[] };
  const out = new Map<number, Map<string, number>>();
  for (const a of plan.allocations.filter((r) => r.staff === staff)) {
    const week = out.get(a.week) ?? new Map<string, number>();
    week.set(a.ticket, (week.get(a.ticket) ?? 0) + a.hours);
    out.set(a.week, week);
  }
  return out;
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe.each(await dbTargets())('calendar feeds on %s', (target) => {
  let t: TestApp, manager: ApiClient, ana: ApiClient, ben: ApiClient, harbor: ApiClient;
  let anaFeed: string;

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    const r = await manager.post(`/api/quarters/${QUARTER}/import`, scenario);
    if (r.status !== 200) throw new Error(`import failed: ${r.status} ${JSON.stringify(r.body)}`);
    await t.settle();
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    await t.createUser('staff', { email: 'ben@staff.test', staffId: 'ben' });
    await t.createUser('client', { email: 'harbor@client.test', clientId: 'harbor' });
    [ana, ben, harbor] = await Promise.all([t.as('ana@staff.test'), t.as('ben@staff.test'), t.as('harbor@client.test')]);
  });
  afterAll(() => t?.close());

  const fetchFeed = (path: string, headers: Record<string, string> = {}) => fetch(t.url + path, { headers });

  it('GET /api/calendar makes the feed once (audited), shows its address then, and keeps only a hash', async () => {
    const audits = await rowCount(t, 'audit_log');
    const first = await ana.get('/api/calendar');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ kind: 'staff' });
    expect(first.body.url).toMatch(new RegExp(`^${t.url}/api/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    anaFeed = pathOf(first.body.url);
    const token = anaFeed.slice('/api/calendar/'.length, -'.ics'.length);
    // Asked again: the same feed and address, made once (one audit row).
    const again = await ana.get('/api/calendar');
    expect(again.body).toEqual({ url: first.body.url, createdAt: first.body.createdAt, kind: 'staff' });
    expect(await rowCount(t, 'audit_log')).toBe(audits + 1);
    const rows = await t.app.services.store.reader().execute<Record<string, unknown>[]>('select * from calendar_feeds');
    expect(rows).toHaveLength(1);
    // Found by the token's hash; the token is kept for its owner to read the address again.
    expect(rows[0]).toMatchObject({ token, token_hash: createHash('sha256').update(token).digest('base64url') });
    const audit = await t.app.services.store.reader().execute<Record<string, unknown>[]>(`select * from audit_log where action = 'calendar-feed'`);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect((await manager.get('/api/calendar')).body).toMatchObject({ kind: 'team', url: expect.stringMatching(/\.ics$/) });
  });

  it('the feed, without a cookie, is iCalendar: an all-day event per planned week with the exact hours and tickets of the plan', async () => {
    const res = await fetchFeed(anaFeed);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const events = parseFeed(await res.text());
    const plan = await planned(manager, 'ana');
    expect(plan.size).toBeGreaterThan(0);
    const leaveWeeks = [1];
    const weeks = [...new Set([...plan.keys(), ...leaveWeeks])].sort();
    expect(events.map((e) => e.start)).toEqual(weeks.map(monday));
    for (const [i, week] of weeks.entries()) {
      const e = events[i]!;
      const hours = plan.get(week) ?? new Map<string, number>();
      expect(e.allDay).toBe(true);
      expect(e.end).toBe(monday(week + 1));
      expect(e.uid).toBe(`${QUARTER}-w${week}-staff-ana@hourglass`);
      expect(e.summary).toBe(total(hours) > 0 ? `${total(hours)} h planned${week === 1 ? ', 4 h leave' : ''}` : '4 h leave');
      expect(e.description.split('\n')[0]).toBe(`Quarter ${QUARTER}, week ${week} (${monday(week)} to ${new Date(Date.parse(monday(week + 1)) - 86_400_000).toISOString().slice(0, 10)}): ${total(hours)} h planned for you.`);
      for (const [ticket, h] of hours) expect(e.description).toContain(`${ticket} Tidy old backups (Harbor Dental): ${h} h`);
    }
    const sum = [...plan.values()].reduce((a, m) => a + total(m), 0);
    expect(sum).toBe(12.5);
  });

  it('a staff feed holds nothing of what another person is planned on', async () => {
    const text = await (await fetchFeed(anaFeed)).text();
    for (const foreign of ['Q-1', 'Q-2', 'Quill', 'Secret', 'Shop is down', 'Ben', 'ben']) expect(text).not.toContain(foreign);
    const benUrl = pathOf((await ben.get('/api/calendar')).body.url);
    const benText = await (await fetchFeed(benUrl)).text();
    expect(benText).toContain('Q-1 Shop is down (Quill Books)');
    for (const foreign of ['H-1', 'Harbor', 'backups', 'Ana']) expect(benText).not.toContain(foreign);
  });

  it('answers 304 to its ETag, and follows a re-plan', async () => {
    const first = await fetchFeed(anaFeed);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect((await fetchFeed(anaFeed, { 'if-none-match': etag })).status).toBe(304);
    const ticket = (await manager.get('/api/tickets/H-1')).body;
    expect((await manager.patch('/api/tickets/H-1', { version: ticket.version, estimateHours: 20 })).status).toBe(200);
    await t.settle();
    const after = await fetchFeed(anaFeed, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    const events = parseFeed(await after.text());
    const plan = await planned(manager, 'ana');
    expect([...plan.values()].reduce((a, m) => a + total(m), 0)).toBe(20);
    for (const e of events) {
      const week = [0, 1, 2, 3].find((w) => monday(w) === e.start)!;
      const hours = plan.get(week)!;
      expect(e.description).toContain(`H-1 Tidy old backups (Harbor Dental): ${hours.get('H-1')} h`);
    }
  });

  it('a manager’s team feed has the leave per person per week and the emergencies over their planned weeks', async () => {
    const r = await manager.post('/api/calendar/reset');
    expect(r.status).toBe(200);
    const events = parseFeed(await (await fetchFeed(pathOf(r.body.url))).text());
    const leave = events.find((e) => e.uid === `${QUARTER}-w1-leave-ana@hourglass`)!;
    expect(leave).toMatchObject({ summary: 'Ana Silva: 4 h leave', start: monday(1), end: monday(2), allDay: true });
    const plan = (await manager.get('/api/plans/current')).body as { allocations: Row[] };
    const q1 = plan.allocations.filter((a) => a.ticket === 'Q-1');
    const weeks = [...new Set(q1.map((a) => a.week))].sort();
    const emergency = events.find((e) => e.uid === `${QUARTER}-emergency-Q-1@hourglass`)!;
    expect(emergency).toMatchObject({ summary: 'Emergency Q-1: Shop is down (Quill Books)', start: monday(weeks[0]!), end: monday(weeks.at(-1)! + 1) });
    expect(emergency.description).toContain(`Planned ${q1.reduce((a, b) => a + b.hours, 0)} h:`);
    expect(emergency.description).toContain('by Ben Ode');
    expect(events).toHaveLength(2);
  });

  it('a reset makes a new address; the old one answers 404, the new one works', async () => {
    const old = anaFeed;
    const r = await ana.post('/api/calendar/reset');
    expect(r.status).toBe(200);
    anaFeed = pathOf(r.body.url);
    expect(anaFeed).not.toBe(old);
    expect((await fetchFeed(old)).status).toBe(404);
    expect((await fetchFeed(anaFeed)).status).toBe(200);
    expect((await ana.get('/api/calendar')).body).toEqual({ url: r.body.url, createdAt: r.body.createdAt, kind: 'staff' });
    // A form of another site cannot reset it: a body must be JSON.
    expect((await ana.post('/api/calendar/reset', 'x=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
  });

  it('a token that opens nothing answers 404 alike, never 500, and names no token', async () => {
    const token = anaFeed.slice('/api/calendar/'.length, -'.ics'.length);
    const bad = ['abc.ics', `${token}x.ics`, `${token.slice(1)}.ics`, `${'A'.repeat(43)}.ics`, token, `${token}.ical`, `${'x'.repeat(3000)}.ics`, '.ics', '%2E%2E.ics', `${token.replace(/./, '*')}.ics`];
    for (const file of bad) {
      const res = await fetchFeed(`/api/calendar/${file}`);
      expect(res.status, file).toBe(404);
      const body = await res.json();
      expect(body).toEqual({ error: { code: 'not_found', message: 'Calendar feed not found.', details: null } });
    }
    expect((await fetch(t.url + anaFeed, { method: 'POST' })).status).toBe(404);
  });

  it('a disabled account’s feed answers 404; a role change gives the feed of the new role', async () => {
    const users = (await manager.get('/api/users')).body as { id: number; email: string; version: number }[];
    const benUser = users.find((u) => u.email === 'ben@staff.test')!;
    const benFeed = pathOf((await ben.post('/api/calendar/reset')).body.url);
    expect(await (await fetchFeed(benFeed)).text()).toContain('Q-2');
    const promoted = await manager.patch(`/api/users/${benUser.id}`, { version: benUser.version, role: 'manager', staff: null });
    expect(promoted.status).toBe(200);
    const team = await (await fetchFeed(benFeed)).text();
    expect(team).toContain('Emergency Q-1');
    expect(team).not.toContain('Q-2');
    const demoted = await manager.patch(`/api/users/${benUser.id}`, { version: promoted.body.version, role: 'client', client: 'quill' });
    expect(demoted.status).toBe(200);
    expect((await fetchFeed(benFeed)).status).toBe(404);
    const anaUser = users.find((u) => u.email === 'ana@staff.test')!;
    expect((await manager.post(`/api/users/${anaUser.id}/disable`)).status).toBe(200);
    expect((await fetchFeed(anaFeed)).status).toBe(404);
    expect((await manager.post(`/api/users/${anaUser.id}/enable`)).status).toBe(200);
    expect((await fetchFeed(anaFeed)).status).toBe(200);
    // Linked to another staff member: the feed is that person's weeks from then on.
    const current = (await manager.get(`/api/users/${anaUser.id}`)).body;
    expect((await manager.patch(`/api/users/${anaUser.id}`, { version: current.version, staff: 'ben' })).status).toBe(200);
    const relinked = await (await fetchFeed(anaFeed)).text();
    expect(relinked).toContain('Q-2 Secret checkout rewrite (Quill Books)');
    expect(relinked).not.toContain('H-1');
  });

  it('clients get 403 with a reason; signed out 401', async () => {
    for (const r of [await harbor.get('/api/calendar'), await harbor.post('/api/calendar/reset')]) {
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(/staff .* and managers/);
    }
    expect((await t.anonymous().get('/api/calendar')).status).toBe(401);
    expect((await t.anonymous().post('/api/calendar/reset')).status).toBe(401);
  });
});

describe('calendar feed addresses in the log', () => {
  it('are logged without their token', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = createLogger('info', 'test', sink as never);
    const token = 'k3Jd8-x_0a'.repeat(4) + 'abc';
    log.error({ method: 'GET', path: `/api/calendar/${token}.ics`, url: `/api/calendar/${token}.ics?x=1` }, 'request failed');
    log.error({ path: '/api/calendar/reset' }, 'request failed');
    expect(lines.join('')).not.toContain(token);
    expect(lines[0]).toContain('/api/calendar/…');
    expect(lines[1]).toContain('/api/calendar/reset');
  });
});
