/**
 * The ticket queue sorted by a column (GET /api/plans/current/tickets?sort=&dir=): every column
 * in both directions, a page at a time, is the whole queue in that order (no value last, ties by
 * id), with filters as without a sort; rows carry spent hours and the opened week as the ticket's
 * record has them; a client sorts only its own. A bad sort or dir is a 400 naming it, and a cursor
 * of one order is refused by another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_SORTS, type PlanView, type QueueRow, type QueueSort, type TicketRecord } from '../../shared/api/index.ts';
import { compareIds } from '../../solver/index.ts';
import { generateScenario } from '../fixtures/generate-scenario.ts';
import type { ApiClient, ApiResponse } from '../utils/api-client.ts';
import { fieldsOf } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const scenario = generateScenario({ seed: 11, staff: 5, clients: 6, tickets: 80, emergencyShare: 0.05, load: 1.5 });
const Q = scenario.quarter.id;

async function walk(client: ApiClient, path: string, limit: number): Promise<{ items: QueueRow[]; totals: Set<number> }> {
  const items: QueueRow[] = [];
  const totals = new Set<number>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r: ApiResponse = await client.get(`${path}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    items.push(...r.body.items);
    totals.add(r.body.total);
    cursor = r.body.nextCursor;
  } while (cursor && ++pages < 500);
  return { items, totals };
}

/** The order the server promises, worked out here from the rows. */
function expected(rows: QueueRow[], sort: QueueSort, dir: 'asc' | 'desc', names: Map<string, string>): string[] {
  const value = (r: QueueRow): string | number | null =>
    ({
      id: r.id,
      client: names.get(r.client) ?? r.client,
      priority: r.emergency ? 0 : r.priority,
      estimate: r.estimateHours,
      spent: r.spentHours,
      opened: r.openedWeek,
      due: r.dueWeek,
      planned: r.plannedHours,
      unplanned: r.unplannedHours,
      weeks: r.plannedWeeks[0] ?? null,
    })[sort];
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      if (x === null || y === null) return x === y ? compareIds(a.id, b.id) : x === null ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : compareIds(String(x), String(y));
      return sign * c || compareIds(a.id, b.id);
    })
    .map((r) => r.id);
}

describe.each(await dbTargets())('the ticket queue sorted by a column on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  let own: ApiClient;
  let ownId: string;
  let names: Map<string, string>;
  let records: Map<string, TicketRecord>;
  let queue: QueueRow[];

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    const r = await manager.post(`/api/quarters/${Q}/import`, scenario);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await t.settle();
    const plan = (await manager.get(`/api/plans/current?quarter=${Q}`)).body as PlanView;
    names = new Map(plan.clients.map((c) => [c.id, c.name]));
    ownId = plan.clients.find((c) => plan.tickets.filter((x) => x.client === c.id).length > 3)!.id;
    await t.createUser('client', { email: 'sort-own@test.local', clientId: ownId });
    own = await t.as('sort-own@test.local');
    // Hours logged move spent on from the record's baseline.
    const some = plan.allocations.find((a) => a.week <= plan.quarter.currentWeek && a.staff);
    if (some) {
      await t.createUser('staff', { email: 'sort-staff@test.local', staffId: some.staff });
      const staff = await t.as('sort-staff@test.local');
      expect((await staff.post('/api/time-entries', { ticketId: some.ticket, hours: 1.25, week: plan.quarter.currentWeek })).status).toBe(201);
      await t.settle();
    }
    records = new Map((await manager.all('GET /api/tickets', { quarter: Q })).map((x) => [x.id, x]));
    queue = (await walk(manager, `/api/plans/current/tickets?quarter=${Q}`, 1000)).items;
    expect(queue.length).toBe(plan.tickets.length);
  });
  afterAll(() => t?.close());

  it('rows carry spent hours and the opened week as the records have them', () => {
    for (const row of queue) {
      const rec = records.get(row.id)!;
      expect([row.id, row.spentHours, row.openedWeek, row.estimateHours]).toEqual([row.id, rec.spentHours, rec.openedWeek, rec.estimateHours]);
    }
    expect(queue.some((r) => (r.spentHours ?? 0) > 0)).toBe(true);
  });

  it('every column in both directions, a page at a time, is the whole queue in that order', async () => {
    for (const sort of QUEUE_SORTS) {
      for (const dir of ['asc', 'desc'] as const) {
        const { items, totals } = await walk(manager, `/api/plans/current/tickets?quarter=${Q}&sort=${sort}&dir=${dir}`, 13);
        expect(items.map((r) => r.id), `${sort} ${dir}`).toEqual(expected(queue, sort, dir, names));
        expect([...totals]).toEqual([queue.length]);
      }
    }
    // dir defaults to asc.
    const asc = await walk(manager, `/api/plans/current/tickets?quarter=${Q}&sort=due`, 1000);
    expect(asc.items.map((r) => r.id)).toEqual(expected(queue, 'due', 'asc', names));
  });

  it('filters as without a sort; a client sorts its own tickets only', async () => {
    for (const [q, keep] of [
      ['status=closed', (r: QueueRow) => r.status === 'closed'],
      ['status=open', (r: QueueRow) => r.status === 'open'],
      [`client=${ownId}&state=planned`, (r: QueueRow) => r.client === ownId && r.plannedHours > 0],
    ] as const) {
      const { items, totals } = await walk(manager, `/api/plans/current/tickets?quarter=${Q}&${q}&sort=estimate&dir=desc`, 7);
      const want = expected(queue.filter(keep), 'estimate', 'desc', names);
      expect(items.map((r) => r.id), q).toEqual(want);
      expect([...totals], q).toEqual([want.length]);
    }
    const mine = await walk(own, `/api/plans/current/tickets?quarter=${Q}&sort=opened&dir=desc`, 3);
    const ownRows = queue.filter((r) => r.client === ownId);
    expect(mine.items.map((r) => r.id)).toEqual(expected(ownRows, 'opened', 'desc', names));
    expect(mine.items.every((r) => r.client === ownId && !('staff' in r))).toBe(true);
  });

  it('a bad sort or dir is a 400 naming it; a cursor of one order is refused by another', async () => {
    for (const [q, field] of [
      ['sort=title', 'sort'],
      ['sort=', 'sort'],
      ['sort=due&dir=up', 'dir'],
      ['sort=due&order=asc', 'order'],
    ]) {
      const r = await manager.get(`/api/plans/current/tickets?quarter=${Q}&${q}`);
      expect(r.status, q).toBe(400);
      expect(fieldsOf(r), q).toEqual([field]);
    }
    const byDue = (await manager.get(`/api/plans/current/tickets?quarter=${Q}&sort=due&limit=2`)).body.nextCursor as string;
    const byQueue = (await manager.get(`/api/plans/current/tickets?quarter=${Q}&limit=2`)).body.nextCursor as string;
    for (const [q, cursor] of [
      ['sort=due&dir=desc', byDue],
      ['sort=spent', byDue],
      ['', byDue],
      ['sort=due', byQueue],
    ]) {
      const r = await manager.get(`/api/plans/current/tickets?quarter=${Q}&${q}&cursor=${encodeURIComponent(cursor!)}`);
      expect([r.status, fieldsOf(r)], q).toEqual([400, ['cursor']]);
    }
  });
});
