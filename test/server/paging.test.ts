/**
 * Paged lists (shared/api/paging.ts): tickets, clients, time entries and the audit log answer
 * `{ items, total, nextCursor }`, page by page with an opaque keyset cursor that records added
 * meanwhile cannot make repeat or skip; a bad `limit` or `cursor` is a 400 naming it.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_LIMIT_DEFAULT } from '../../shared/api/paging.ts';
import type { ApiClient, ApiResponse } from '../utils/api-client.ts';
import { fieldsOf, withSeededApp } from '../utils/resource-setup.ts';
import { dbTargets, type TestApp } from '../utils/test-app.ts';

type Paged = '/api/tickets' | '/api/clients' | '/api/time-entries' | '/api/audit';

/** Every page of a list at `limit` a page, as the pages came. */
async function walk(client: ApiClient, path: Paged, limit: number, query = ''): Promise<{ pages: { id: string | number }[][]; totals: number[] }> {
  const pages: { id: string | number }[][] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  do {
    const r: ApiResponse = await client.get(`${path}?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    pages.push(r.body.items);
    totals.push(r.body.total);
    cursor = r.body.nextCursor;
  } while (cursor && pages.length < 100);
  return { pages, totals };
}

const idsOf = (pages: { id: string | number }[][]) => pages.flat().map((x) => x.id);

describe.each(await dbTargets())('paged lists on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient;
  withSeededApp(target, async (s) => {
    ({ t, manager, harbor } = s);
    for (const id of ['T-10', 'T-2', 'T-9', 'T-1']) {
      expect((await manager.post('/api/tickets', { id, client: 'harbor', title: id, priority: 3, estimateHours: 1 })).status).toBe(201);
    }
    for (const week of [9, 10, 11]) expect((await manager.post('/api/time-entries', { ticket: 'H-1', staff: 'sam', hours: 0.5, week })).status).toBe(201);
    await t.settle();
  });

  it('tickets come in id order with numbers in number order, a page at a time, the same total on every page', async () => {
    const { pages, totals } = await walk(manager, '/api/tickets', 3);
    expect(idsOf(pages)).toEqual(['D-1', 'H-1', 'Q-1', 'Q-2', 'T-1', 'T-2', 'T-9', 'T-10']);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    expect(new Set(totals)).toEqual(new Set([8]));
    // One page holds them all at the default limit, and says it is the last.
    const r = await manager.get('/api/tickets');
    expect([r.body.items.length, r.body.total, r.body.nextCursor]).toEqual([8, 8, null]);
    // Filters and the caller's scope apply before paging.
    const own = await walk(harbor, '/api/tickets', 2);
    expect(idsOf(own.pages)).toEqual(['H-1', 'T-1', 'T-2', 'T-9', 'T-10']);
    expect(own.totals[0]).toBe(5);
    expect(idsOf((await walk(manager, '/api/tickets', 2, '&client=quill')).pages)).toEqual(['Q-1', 'Q-2']);
  });

  it('records added while a caller pages neither repeat nor hide the ones that were there all along', async () => {
    const first = (await manager.get('/api/tickets?limit=4')).body;
    expect(first.items.map((x: { id: string }) => x.id)).toEqual(['D-1', 'H-1', 'Q-1', 'Q-2']);
    // One before the cursor's place (not seen by this walk), one after it (seen on a later page).
    for (const id of ['A-1', 'T-5']) expect((await manager.post('/api/tickets', { id, client: 'harbor', title: id, priority: 3, estimateHours: 1 })).status).toBe(201);
    const rest: string[] = [];
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const page = (await manager.get(`/api/tickets?limit=2&cursor=${encodeURIComponent(cursor)}`)).body;
      expect(page.total).toBe(first.total + 2);
      rest.push(...page.items.map((x: { id: string }) => x.id));
      cursor = page.nextCursor;
    }
    expect(rest).toEqual(['T-1', 'T-2', 'T-5', 'T-9', 'T-10']);
  });

  it('clients, time entries and the audit log page the same way: by id (the audit log newest first)', async () => {
    const clients = await walk(manager, '/api/clients', 1);
    expect(idsOf(clients.pages)).toEqual(['dyno', 'harbor', 'nimbus', 'quill']);
    expect(clients.pages.every((p) => p.length === 1)).toBe(true);
    expect(idsOf((await walk(harbor, '/api/clients', 1)).pages)).toEqual(['harbor']);

    const entries = await walk(manager, '/api/time-entries', 2);
    const entryIds = idsOf(entries.pages) as number[];
    expect(entryIds).toEqual([...entryIds].sort((a, b) => a - b));
    expect(entryIds).toEqual((await manager.all('GET /api/time-entries')).map((e) => e.id));
    expect(entries.totals[0]).toBe(3);

    const audit = await walk(manager, '/api/audit', 5);
    const auditIds = idsOf(audit.pages) as number[];
    expect(auditIds).toEqual([...auditIds].sort((a, b) => b - a));
    expect(new Set(auditIds).size).toBe(audit.totals[0]);
    const tickets = await walk(manager, '/api/audit', 2, '&entity=ticket');
    expect(tickets.pages.flat().every((e) => (e as unknown as { entity: string }).entity === 'ticket')).toBe(true);
  });

  it('answers 400 naming limit, cursor or the old paging fields; a cursor of another list is refused', async () => {
    for (const [path, field] of [
      ['/api/tickets?limit=0', 'limit'],
      ['/api/tickets?limit=1001', 'limit'],
      ['/api/tickets?limit=ten', 'limit'],
      ['/api/clients?limit=2.5', 'limit'],
      ['/api/tickets?cursor=', 'cursor'],
      ['/api/tickets?cursor=not-a-cursor', 'cursor'],
      [`/api/time-entries?cursor=${'x'.repeat(600)}`, 'cursor'],
      ['/api/audit?cursor=WyJhdWRpdCIsInNldmVuIl0', 'cursor'],
      ['/api/time-entries?offset=20', 'offset'],
      ['/api/audit?before=20', 'before'],
      ['/api/tickets?colour=red', 'colour'],
    ] as const) {
      const r = await manager.get(path);
      expect(r.status, path).toBe(400);
      expect(fieldsOf(r), path).toEqual([field]);
    }
    const cursor = (await manager.get('/api/clients?limit=1')).body.nextCursor;
    const crossed = await manager.get(`/api/tickets?cursor=${encodeURIComponent(cursor)}`);
    expect([crossed.status, fieldsOf(crossed)]).toEqual([400, ['cursor']]);
    expect(PAGE_LIMIT_DEFAULT).toBe(100);
  });
});
