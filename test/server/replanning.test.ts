/**
 * Re-planning: a burst of changes makes one solve, and the plan that lands includes them all; a
 * process that starts on a planned quarter warms its solver thread up on it.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';
import { payg, prepaid, scenario, staff, ticket } from '../fixtures/builders.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';
import type { ApiClient } from '../utils/api-client.ts';

const quarter = {
  ...scenario({
    weeks: 13,
    staff: [staff('ana', 40), staff('bo', 40)],
    clients: [prepaid('acme', [{ week: 0, hours: 130 }]), payg('bolt')],
    tickets: Array.from({ length: 12 }, (_, i) => ticket(`T-${i + 1}`, i % 2 ? 'acme' : 'bolt', 10)),
  }),
  quarter: { id: 'BURST', weeks: 13, currentWeek: 0 },
};

describe.each(await dbTargets())('re-planning on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;

  beforeAll(async () => {
    t = await startTestApp(target, { REPLAN_DEBOUNCE_MS: '300', PLAN_HISTORY: '3' });
    manager = await t.manager();
    expect((await manager.post('/api/quarters/BURST/import', quarter)).status).toBe(200);
    await t.settle();
  });
  afterAll(() => t?.close());

  it('collapses a burst of changes into one new plan version that includes every change', async () => {
    const before = (await manager.get('/api/plans?quarter=BURST')).body.versions.length;
    const tickets = await manager.all('GET /api/tickets', { quarter: 'BURST' });
    const results = await Promise.all(tickets.map((tk) => manager.patch(`/api/tickets/${tk.id}`, { version: tk.version, estimateHours: 12 })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    await t.settle();
    const after = (await manager.get('/api/plans?quarter=BURST')).body.versions.length;
    expect(after - before).toBe(1);
    const plan = (await manager.get('/api/plans/current?quarter=BURST')).body;
    expect(plan.tickets.every((x: { remainingHours: number }) => x.remainingHours === 12)).toBe(true);
  });

  it('keeps the previous plan current until the new one is committed', async () => {
    const current = (await manager.get('/api/plans/current?quarter=BURST')).body.version;
    const tk = (await manager.get('/api/tickets/T-1')).body;
    expect((await manager.patch('/api/tickets/T-1', { version: tk.version, estimateHours: 14 })).status).toBe(200);
    // Inside the quiet window nothing has been solved yet: the plan served is still the last one.
    expect((await manager.get('/api/plans/current?quarter=BURST')).body.version).toBe(current);
    expect((await manager.get('/api/health')).body.plan).toMatchObject({ version: current, behind: true });
    await t.settle();
    const next = (await manager.get('/api/plans/current?quarter=BURST')).body;
    expect(next.version).toBeGreaterThan(current);
    expect(next.tickets.find((x: { id: string }) => x.id === 'T-1').remainingHours).toBe(14);
  });

  it('keeps only the latest PLAN_HISTORY versions of a quarter, the current one among them', async () => {
    for (const hours of [15, 16]) {
      const tk = (await manager.get('/api/tickets/T-2')).body;
      expect((await manager.patch('/api/tickets/T-2', { version: tk.version, estimateHours: hours })).status).toBe(200);
      await t.settle();
    }
    const list = (await manager.get('/api/plans?quarter=BURST')).body;
    expect(list.versions).toHaveLength(3);
    expect(list.versions[0].version).toBe(list.current);
    // The allocations of deleted versions go with them.
    const orphans = await t.app.services.store.reader().getConnection().execute('select count(*)::int as n from allocations where plan_id not in (select id from plans)');
    expect(orphans[0]?.n).toBe(0);
  });
});

describe.each(await dbTargets())('the solver warm-up on %s', (target) => {
  it('a process that starts on a planned quarter solves it once, making no version and no event', async () => {
    const first = await startTestApp(target);
    let second: TestApp | undefined;
    try {
      const manager = await first.manager();
      expect((await manager.post('/api/quarters/BURST/import', quarter)).status).toBe(200);
      await first.settle();
      const versions = (await manager.get('/api/plans?quarter=BURST')).body.versions.length;
      await first.close({ keepData: true });

      const lines: string[] = [];
      const logger = createLogger('info', 'hourglass', new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
      second = await startTestApp(target, {}, { databaseUrl: first.databaseUrl, dataDir: first.dataDir }, { logger });
      const heard: string[] = [];
      for (const name of ['replan.started', 'plan.updated'] as const) second.app.services.events.on(name, () => heard.push(name));
      for (const end = Date.now() + 30_000; !lines.some((l) => l.includes('"solver warmed up"')); ) {
        if (Date.now() > end) throw new Error(`no warm-up:\n${lines.join('')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const warmed = JSON.parse(lines.find((l) => l.includes('"solver warmed up"'))!);
      expect(warmed).toMatchObject({ quarterId: 'BURST', tickets: 12 });
      const again = await second.manager();
      expect((await again.get('/api/plans?quarter=BURST')).body.versions.length).toBe(versions);
      expect(heard).toEqual([]);
    } finally {
      await (second ?? first).close();
    }
  });
});
