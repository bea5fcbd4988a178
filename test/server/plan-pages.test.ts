/**
 * The plan in force by view and by page (shared/api/plans.ts): the manager's summary, allocations
 * and the ticket queue a page at a time, one client's detail. Each route for each role agrees with
 * that role's cut of the whole plan (GET /api/plans/current), another client's data never shows,
 * a foreign id answers exactly as an unknown one, pages walk every row once, bad input is a 400
 * naming its field, ETag/304 hold, and compressed answers decode to the very bytes of the plain one.
 */
import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueOrder } from '../../shared/queue-order.ts';
import type { AllocationRow, PlanView, QueueRow, TicketRecord } from '../../shared/api/index.ts';
import { compareIds } from '../../solver/index.ts';
import { chooseEncoding, matchesEtag } from '../../server/modules/plans/plan-bodies.ts';
import { generateScenario } from '../fixtures/generate-scenario.ts';
import type { ApiClient, ApiResponse } from '../utils/api-client.ts';
import { fieldsOf } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const scenario = generateScenario({ seed: 7, staff: 6, clients: 8, tickets: 150, pinShare: 0.05, orphanSkill: true, emergencyShare: 0.05, load: 1.5 });
const Q = scenario.quarter.id;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
}

/** A GET as it comes off the wire: no decoding. */
function raw(t: TestApp, client: ApiClient, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(t.url + path, { headers: { cookie: client.cookie, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const decode = (r: Raw): Buffer => (r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.bytes) : r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.bytes) : r.bytes);

/** Every page of a plan list, with the totals the pages gave. */
async function walk<T>(client: ApiClient, path: string, limit: number): Promise<{ items: T[]; totals: Set<number>; pages: number; versions: Set<number> }> {
  const items: T[] = [];
  const totals = new Set<number>();
  const versions = new Set<number>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r: ApiResponse = await client.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    items.push(...r.body.items);
    totals.add(r.body.total);
    versions.add(r.body.version);
    cursor = r.body.nextCursor;
    pages++;
  } while (cursor && pages < 500);
  return { items, totals, pages, versions };
}

const key = (x: unknown) => JSON.stringify(x);
const sortedKeys = (xs: unknown[]) => xs.map(key).sort();
const omit = <T extends object, K extends keyof T>(o: T, ...keys: K[]): Omit<T, K> => {
  const out = { ...o };
  for (const k of keys) delete out[k];
  return out;
};

describe('plan bodies, without a server', () => {
  it('answers brotli, else gzip, as Accept-Encoding takes them, else none', () => {
    expect(chooseEncoding(undefined)).toBe('identity');
    expect(chooseEncoding('')).toBe('identity');
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('identity')).toBe('identity');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0')).toBe('identity');
    expect(chooseEncoding('deflate')).toBe('identity');
  });

  it('matches ETags weakly, in lists and as *', () => {
    expect(matchesEtag('W/"plan-1-ab"', 'W/"plan-1-ab"')).toBe(true);
    expect(matchesEtag('"plan-1-ab"', 'W/"plan-1-ab"')).toBe(true);
    expect(matchesEtag('W/"x", W/"plan-1-ab"', 'W/"plan-1-ab"')).toBe(true);
    expect(matchesEtag('*', 'W/"plan-1-ab"')).toBe(true);
    expect(matchesEtag('W/"plan-2-ab"', 'W/"plan-1-ab"')).toBe(false);
    expect(matchesEtag(undefined, 'W/"plan-1-ab"')).toBe(false);
  });
});

describe.each(await dbTargets())('the plan by view and by page on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient, staff: ApiClient, own: ApiClient, other: ApiClient;
  /** Each role's whole plan, as GET /api/plans/current cuts it. */
  let full: { manager: PlanView; staff: PlanView; own: PlanView; other: PlanView };
  let records: Map<string, TicketRecord>;
  let staffId: string, ownId: string, otherId: string, strangerId: string;

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    const r = await manager.post(`/api/quarters/${Q}/import`, scenario);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await t.settle();
    const plan = (await manager.get(`/api/plans/current?quarter=${Q}`)).body as PlanView;
    // A person with work for some clients and not for others, and two clients with tickets.
    const clientsOf = (s: string) => new Set(plan.allocations.filter((a) => a.staff === s).map((a) => a.client));
    staffId = plan.staff!.map((s) => s.id).find((s) => clientsOf(s).size > 0 && clientsOf(s).size < plan.clients.length)!;
    const withTickets = plan.clients.filter((c) => plan.allocations.some((a) => a.client === c.id)).map((c) => c.id);
    ownId = withTickets[0]!;
    otherId = withTickets[1]!;
    strangerId = plan.clients.map((c) => c.id).find((c) => !clientsOf(staffId).has(c))!;
    expect([staffId, ownId, otherId, strangerId].every(Boolean)).toBe(true);
    await t.createUser('staff', { email: 'pages-staff@test.local', staffId });
    await t.createUser('client', { email: 'pages-own@test.local', clientId: ownId });
    await t.createUser('client', { email: 'pages-other@test.local', clientId: otherId });
    [staff, own, other] = [await t.as('pages-staff@test.local'), await t.as('pages-own@test.local'), await t.as('pages-other@test.local')];
    const view = async (c: ApiClient) => (await c.get(`/api/plans/current?quarter=${Q}`)).body as PlanView;
    full = { manager: plan, staff: await view(staff), own: await view(own), other: await view(other) };
    records = new Map((await manager.all('GET /api/tickets', { quarter: Q })).map((x) => [x.id, x]));
  });
  afterAll(() => t?.close());

  const roles = () => [['manager', manager, full.manager], ['staff', staff, full.staff], ['client', own, full.own]] as const;

  it('the summary: the clients table without the heavy explanations, the first page of the queue, smaller than the plan; managers only', async () => {
    const r = await manager.get(`/api/plans/current/summary?quarter=${Q}`);
    expect(r.status).toBe(200);
    const s = r.body;
    const p = full.manager;
    expect(s.version).toBe(p.version);
    expect(s.createdAt).toBe(p.createdAt);
    expect([s.quarter, s.policy, s.weeks, s.staff, s.pinIssues, s.stats]).toEqual([p.quarter, p.policy, p.weeks, p.staff, p.pinIssues, p.stats]);
    expect(s.clients).toEqual(p.clients.map((c) => ({ ...omit(c, 'shortfallWeeks', 'advice'), advice: { cause: c.advice.cause }, adviceTickets: c.advice.tickets.length })));
    for (const c of s.clients) expect(c).not.toHaveProperty('shortfallWeeks');
    // The queue's first page is the tickets route's first page.
    const first = (await manager.get(`/api/plans/current/tickets?quarter=${Q}`)).body;
    expect(s.queue).toEqual(first);
    expect(s.queue.total).toBe(p.tickets.length);
    // Pinned rows and totals, as the whole plan has them.
    expect(sortedKeys(s.pinned)).toEqual(sortedKeys(p.allocations.filter((a) => a.pinned).map((a) => ({ week: a.week, staff: a.staff, ticket: a.ticket, hours: a.pinnedHours ?? a.hours }))));
    expect(s.pinned.length).toBeGreaterThan(0);
    const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 1e6) / 1e6;
    expect(s.totals.tickets).toBe(p.tickets.length);
    expect(s.totals.unplannedHours).toBe(sum(p.unplanned.map((u) => u.hours)));
    expect(s.totals.unplannedTickets).toBe(p.unplanned.length);
    expect(s.totals.lateTickets).toBe(p.tickets.filter((x) => x.late).length);
    expect(s.totals.openTickets).toBe([...records.values()].filter((x) => x.status === 'open').length);
    const plain = await raw(t, manager, `/api/plans/current/summary?quarter=${Q}`);
    const whole = await raw(t, manager, `/api/plans/current?quarter=${Q}`);
    expect(plain.bytes.length).toBeLessThan(whole.bytes.length);
    // Staff and clients are refused as on any manager-only route.
    const refused = await manager.get('/api/plans');
    expect(refused.status).toBe(200);
    for (const c of [staff, own]) {
      const a = await c.get(`/api/plans/current/summary?quarter=${Q}`);
      const b = await c.get(`/api/plans?quarter=${Q}`);
      expect([a.status, a.body]).toEqual([403, b.body]);
    }
  });

  it('allocations: every row the role sees, once, a page at a time, in (week, staff, ticket, level) order', async () => {
    for (const [role, client, plan] of roles()) {
      const { items, totals, pages, versions } = await walk<AllocationRow>(client, `/api/plans/current/allocations?quarter=${Q}`, 7);
      expect(sortedKeys(items), role).toEqual(sortedKeys(plan.allocations));
      expect(new Set(items.map(key)).size, role).toBe(items.length);
      expect([...totals], role).toEqual([plan.allocations.length]);
      expect(pages, role).toBe(Math.max(1, Math.ceil(plan.allocations.length / 7)));
      expect([...versions]).toEqual([plan.version]);
      const order = (a: AllocationRow, b: AllocationRow) =>
        a.week - b.week || (role === 'client' ? 0 : compareIds(a.staff!, b.staff!)) || compareIds(a.ticket, b.ticket) || a.level - b.level;
      for (let i = 1; i < items.length; i++) expect(order(items[i - 1]!, items[i]!), role).toBeLessThanOrEqual(0);
      if (role === 'client') for (const a of items) expect(a).not.toHaveProperty('staff');
    }
    expect(full.own.allocations.every((a) => a.client === ownId)).toBe(true);
  });

  it('allocations by week, person, client and ticket, alone and together, as the whole plan filtered', async () => {
    const p = full.manager;
    const a0 = p.allocations[Math.floor(p.allocations.length / 2)]!;
    const cases: [string, (a: AllocationRow) => boolean][] = [
      [`week=${a0.week}`, (a) => a.week === a0.week],
      [`staff=${a0.staff}`, (a) => a.staff === a0.staff],
      [`client=${a0.client}`, (a) => a.client === a0.client],
      [`ticket=${a0.ticket}`, (a) => a.ticket === a0.ticket],
      [`week=${a0.week}&staff=${a0.staff}`, (a) => a.week === a0.week && a.staff === a0.staff],
      [`client=${a0.client}&week=${a0.week}&ticket=${a0.ticket}`, (a) => a.client === a0.client && a.week === a0.week && a.ticket === a0.ticket],
      ['week=999', () => false],
      ['staff=nobody', () => false],
    ];
    for (const [q, keep] of cases) {
      const { items, totals } = await walk<AllocationRow>(manager, `/api/plans/current/allocations?quarter=${Q}&${q}`, 5);
      expect(sortedKeys(items), q).toEqual(sortedKeys(p.allocations.filter(keep)));
      expect([...totals], q).toEqual([p.allocations.filter(keep).length]);
    }
    // Staff: their own rows only, whoever they ask for; a client: its own, never by person.
    const mine = await walk<AllocationRow>(staff, `/api/plans/current/allocations?quarter=${Q}&week=${a0.week}`, 50);
    expect(sortedKeys(mine.items)).toEqual(sortedKeys(full.staff.allocations.filter((a) => a.week === a0.week)));
    const someoneElse = full.manager.staff!.find((s) => s.id !== staffId)!.id;
    expect((await staff.get(`/api/plans/current/allocations?staff=${someoneElse}`)).body.total).toBe(0);
    expect((await own.get(`/api/plans/current/allocations?client=${otherId}`)).body).toMatchObject({ items: [], total: 0 });
    expect((await own.get(`/api/plans/current/allocations?staff=${staffId}`)).body).toMatchObject({ items: [], total: 0 });
  });

  it('the ticket queue: the role’s tickets with their plan, record and unplanned entry, in the dashboard’s order, a page at a time', async () => {
    for (const [role, client, plan] of roles()) {
      const { items, totals } = await walk<QueueRow>(client, `/api/plans/current/tickets?quarter=${Q}`, 9);
      expect(items.map((r) => r.id).sort(), role).toEqual(plan.tickets.map((x) => x.id).sort());
      expect([...totals], role).toEqual([plan.tickets.length]);
      expect([...items].sort(queueOrder).map((r) => r.id), role).toEqual(items.map((r) => r.id));
      const tickets = new Map(plan.tickets.map((x) => [x.id, x]));
      const unplanned = new Map(plan.unplanned.map((u) => [u.ticket, u]));
      for (const row of items) {
        const rec = records.get(row.id)!;
        expect({ ...row }, role).toMatchObject({ ...tickets.get(row.id), title: rec.title, priority: rec.priority, emergency: rec.emergency, status: rec.status, estimateHours: rec.estimateHours });
        const u = unplanned.get(row.id);
        expect(row.unplanned, role).toEqual(u ? omit(u, 'ticket', 'client') : null);
        const rows = plan.allocations.filter((a) => a.ticket === row.id);
        expect(row.plannedWeeks, role).toEqual([...new Set(rows.map((a) => a.week))].sort((a, b) => a - b));
        if (role === 'client') {
          expect(row).not.toHaveProperty('staff');
          expect(row).not.toHaveProperty('pinnedHours');
          expect(row.client).toBe(ownId);
        } else {
          expect(row.pinnedHours).toBe(Math.round(rows.reduce((n, a) => n + (a.pinned ? (a.pinnedHours ?? a.hours) : 0), 0) * 1e6) / 1e6);
        }
        if (role !== 'manager' && row.unplanned) expect(row.unplanned).not.toHaveProperty('takenBy');
      }
    }
  });

  it('the ticket queue by client, person, state and status', async () => {
    const p = full.manager;
    const cases: [string, (x: PlanView['tickets'][number]) => boolean][] = [
      [`client=${ownId}`, (x) => x.client === ownId],
      [`staff=${staffId}`, (x) => x.staff!.includes(staffId)],
      ['state=unplanned', (x) => x.unplannedHours > 0],
      ['state=late', (x) => x.late],
      ['state=planned', (x) => x.plannedHours > 0],
      ['status=closed', (x) => records.get(x.id)!.status === 'closed'],
      [`state=unplanned&client=${ownId}&status=open`, (x) => x.unplannedHours > 0 && x.client === ownId && records.get(x.id)!.status === 'open'],
    ];
    for (const [q, keep] of cases) {
      const { items, totals } = await walk<QueueRow>(manager, `/api/plans/current/tickets?quarter=${Q}&${q}`, 11);
      const want = p.tickets.filter(keep).map((x) => x.id);
      expect(items.map((r) => r.id).sort(), q).toEqual(want.sort());
      expect([...totals], q).toEqual([want.length]);
    }
    expect(p.tickets.some((x) => x.late) && p.unplanned.length > 0).toBe(true);
    expect((await own.get(`/api/plans/current/tickets?client=${otherId}`)).body).toMatchObject({ items: [], total: 0 });
    expect((await own.get(`/api/plans/current/tickets?staff=${staffId}`)).body).toMatchObject({ items: [], total: 0 });
  });

  it('one client’s detail: managers any, a client its own, staff the name of one they work for; anything else 404 as an unknown id', async () => {
    const p = full.manager;
    const detailOf = async (c: ApiClient, id: string) => (await c.get(`/api/plans/current/clients/${id}?quarter=${Q}`)).body;
    const expectDetail = async (c: ApiClient, plan: PlanView, id: string, client: unknown, role: string) => {
      const d = await detailOf(c, id);
      expect(d.version, role).toBe(plan.version);
      expect(d.client, role).toEqual(client);
      expect(d.tickets.map((r: QueueRow) => r.id).sort(), role).toEqual(plan.tickets.filter((x) => x.client === id).map((x) => x.id).sort());
      expect(sortedKeys(d.unplanned), role).toEqual(sortedKeys(plan.unplanned.filter((u) => u.client === id)));
      expect(sortedKeys(d.allocations), role).toEqual(sortedKeys(plan.allocations.filter((a) => a.client === id)));
      const queue = (await walk<QueueRow>(c, `/api/plans/current/tickets?client=${id}`, 1000)).items;
      expect(d.tickets, role).toEqual(queue);
    };
    for (const c of p.clients) await expectDetail(manager, p, c.id, c, 'manager');
    await expectDetail(own, full.own, ownId, full.own.clients[0], 'client');
    const worked = full.staff.clients[0]!;
    await expectDetail(staff, full.staff, worked.id, { id: worked.id, name: worked.name }, 'staff');

    const unknown = async (c: ApiClient, id: string) => {
      const r = await c.get(`/api/plans/current/clients/${id}?quarter=${Q}`);
      return [r.status, r.body.error.code, r.body.error.message.replace(id, 'ID')];
    };
    const nowhere = await unknown(manager, 'no-such-client');
    expect(nowhere[0]).toBe(404);
    for (const [c, id] of [[own, otherId], [own, 'no-such-client'], [other, ownId], [staff, strangerId], [staff, 'no-such-client']] as const) {
      expect(await unknown(c, id)).toEqual(nowhere);
    }
    // Nothing of another client reaches a client on any route.
    for (const path of ['/api/plans/current/allocations?limit=1000', '/api/plans/current/tickets?limit=1000', `/api/plans/current/clients/${ownId}`]) {
      const text = JSON.stringify((await own.get(path)).body);
      expect(text, path).not.toContain(`"${otherId}"`);
      for (const s of p.staff!) expect(text, path).not.toContain(`"${s.id}"`);
    }
  });

  it('bad limits, cursors and unknown fields are a 400 naming them', async () => {
    const cases: [string, string][] = [
      ['/api/plans/current/allocations?limit=0', 'limit'],
      ['/api/plans/current/allocations?limit=abc', 'limit'],
      ['/api/plans/current/allocations?limit=1001', 'limit'],
      ['/api/plans/current/allocations?cursor=garbage', 'cursor'],
      ['/api/plans/current/allocations?offset=10', 'offset'],
      ['/api/plans/current/allocations?foo=1', 'foo'],
      ['/api/plans/current/allocations?week=-1', 'week'],
      ['/api/plans/current/allocations?week=two', 'week'],
      ['/api/plans/current/tickets?state=bogus', 'state'],
      ['/api/plans/current/tickets?status=done', 'status'],
      ['/api/plans/current/tickets?limit=-3', 'limit'],
      ['/api/plans/current/tickets?week=1', 'week'],
      ['/api/plans/current/summary?limit=5', 'limit'],
      [`/api/plans/current/clients/${ownId}?week=1`, 'week'],
    ];
    for (const [path, field] of cases) {
      const r = await manager.get(path);
      expect(r.status, path).toBe(400);
      expect(fieldsOf(r), path).toContain(field);
    }
    // A cursor of one list is refused by the other, and so is a hand-made one.
    const tickets = (await manager.get('/api/plans/current/tickets?limit=2')).body.nextCursor as string;
    const allocations = (await manager.get('/api/plans/current/allocations?limit=2')).body.nextCursor as string;
    for (const [path, cursor] of [
      ['allocations', tickets],
      ['tickets', allocations],
      ['tickets', Buffer.from(JSON.stringify(['plan-tickets', '[1,2]'])).toString('base64url')],
      ['allocations', Buffer.from(JSON.stringify(['plan-allocations', 'not json'])).toString('base64url')],
    ]) {
      const r = await manager.get(`/api/plans/current/${path}?cursor=${encodeURIComponent(cursor!)}`);
      expect([r.status, fieldsOf(r)], path).toEqual([400, ['cursor']]);
    }
  });

  it('every answer has an ETag per version, audience and question, and 304 when the caller has it', async () => {
    const paths = [
      `/api/plans/current?quarter=${Q}`,
      `/api/plans/current/summary?quarter=${Q}`,
      `/api/plans/current/allocations?quarter=${Q}&limit=3`,
      `/api/plans/current/allocations?quarter=${Q}&limit=4`,
      `/api/plans/current/tickets?quarter=${Q}&state=unplanned`,
      `/api/plans/current/clients/${ownId}?quarter=${Q}`,
    ];
    const etags = new Set<string>();
    for (const path of paths) {
      for (const [who, c] of [['manager', manager], ['client', own]] as const) {
        if (who === 'client' && path.includes('summary')) continue;
        const first = await raw(t, c, path);
        expect(first.status, path).toBe(200);
        const etag = first.headers.etag as string;
        expect(etag, path).toMatch(new RegExp(`^W/"plan-${full.manager.version}-`));
        expect(etags.has(etag), `${who} ${path}`).toBe(false);
        etags.add(etag);
        const again = await raw(t, c, path, { 'if-none-match': etag });
        expect([again.status, again.bytes.length], path).toEqual([304, 0]);
      }
    }
    // The current version by its number is the same body, under the same ETag.
    const current = await raw(t, own, `/api/plans/current?quarter=${Q}`);
    const byNumber = await raw(t, own, `/api/plans/${full.manager.version}`);
    expect(byNumber.headers.etag).toBe(current.headers.etag);
    expect(byNumber.bytes.equals(current.bytes)).toBe(true);
    // The same question in another order is the same answer.
    const a = await raw(t, manager, `/api/plans/current/allocations?limit=3&quarter=${Q}`);
    expect(a.headers.etag).toBe((await raw(t, manager, `/api/plans/current/allocations?quarter=${Q}&limit=3`)).headers.etag);
  });

  it('answers compressed as asked, each decoding to exactly the plain answer', async () => {
    const paths = [
      `/api/plans/current?quarter=${Q}`,
      `/api/plans/${full.manager.version}`,
      `/api/plans/current/summary?quarter=${Q}`,
      `/api/plans/current/allocations?quarter=${Q}&limit=500`,
      `/api/plans/current/tickets?quarter=${Q}`,
      `/api/plans/current/clients/${ownId}?quarter=${Q}`,
    ];
    for (const path of paths) {
      const plain = await raw(t, manager, path);
      expect(plain.headers['content-encoding'], path).toBeUndefined();
      expect(plain.headers.vary, path).toMatch(/Accept-Encoding/i);
      expect(plain.bytes.length, path).toBeGreaterThan(1024);
      JSON.parse(plain.bytes.toString('utf8'));
      for (const [ask, answered] of [
        ['br', 'br'],
        ['gzip', 'gzip'],
        ['gzip, deflate, br', 'br'],
        ['br;q=0, gzip', 'gzip'],
        ['identity', undefined],
      ] as const) {
        const r = await raw(t, manager, path, { 'accept-encoding': ask });
        expect([r.status, r.headers['content-encoding']], `${path} ${ask}`).toEqual([200, answered]);
        expect(Number(r.headers['content-length']), path).toBe(r.bytes.length);
        expect(decode(r).equals(plain.bytes), `${path} ${ask}`).toBe(true);
        if (answered) expect(r.bytes.length, path).toBeLessThan(plain.bytes.length);
      }
    }
    // The whole plan reads exactly as it did: the cut of the stored plan.
    const whole = JSON.parse(decode(await raw(t, manager, `/api/plans/current?quarter=${Q}`, { 'accept-encoding': 'br' })).toString('utf8'));
    expect(whole).toEqual(full.manager);
    expect(Object.keys(whole)).toEqual(['version', 'createdAt', 'quarter', 'pinIssues', 'policy', 'allocations', 'tickets', 'clients', 'staff', 'weeks', 'unplanned', 'stats']);
  });

  it('pages go on across a new version from where they were', async () => {
    const first = (await manager.get(`/api/plans/current/allocations?quarter=${Q}&limit=10`)).body;
    const queue = (await manager.get(`/api/plans/current/tickets?quarter=${Q}&limit=10`)).body;
    // A change that moves the plan: a new ticket for the first client.
    const r = await manager.post('/api/tickets', { id: 'T-9000', quarter: Q, client: ownId, title: 'New work', priority: 1, estimateHours: 3 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await t.settle();
    const next = (await manager.get(`/api/plans/current/allocations?quarter=${Q}&limit=10&cursor=${encodeURIComponent(first.nextCursor)}`)).body;
    expect(next.version).toBeGreaterThan(first.version);
    const last = first.items.at(-1) as AllocationRow;
    const after = (a: AllocationRow) => a.week - last.week || compareIds(a.staff!, last.staff!) || compareIds(a.ticket, last.ticket) || a.level - last.level;
    for (const a of next.items as AllocationRow[]) expect(after(a)).toBeGreaterThan(0);
    const nextQueue = (await manager.get(`/api/plans/current/tickets?quarter=${Q}&limit=10&cursor=${encodeURIComponent(queue.nextCursor)}`)).body;
    for (const row of nextQueue.items as QueueRow[]) expect(queueOrder(row, queue.items.at(-1))).toBeGreaterThan(0);
    // The new ticket shows in the queue with its record.
    const row = (await manager.get(`/api/plans/current/tickets?quarter=${Q}&client=${ownId}&limit=1000`)).body.items.find((x: QueueRow) => x.id === 'T-9000');
    expect(row).toMatchObject({ id: 'T-9000', title: 'New work', priority: 1, client: ownId });
  });
});

// With no solver worker nothing plans: a quarter stays without a plan (PostgreSQL only: the
// embedded database always plans in-process).
const unplannedTargets = (await dbTargets()).filter((x) => x === 'postgres');
describe.runIf(unplannedTargets.length > 0)('before the first plan on PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(unplannedTargets[0]!, { SOLVER_WORKER: 'none' });
  });
  afterAll(() => t?.close());

  it('every view answers 404 no_plan, as the whole plan does', async () => {
    const manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, scenario)).status).toBe(200);
    for (const path of ['/api/plans/current', '/api/plans/current/summary', '/api/plans/current/allocations', '/api/plans/current/tickets', '/api/plans/current/clients/c1']) {
      const r = await manager.get(path);
      expect([r.status, r.body.error.code], path).toEqual([404, 'no_plan']);
    }
  });
});
