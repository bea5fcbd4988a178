/**
 * Durability: a restart keeps everything, and a server killed during a re-plan restarts with the
 * previous plan current, then re-plans. Runs real server processes on the embedded database (the
 * default a fresh machine gets) and, when available, on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../utils/api-client.ts';
import { startServerProcess, type Proc } from '../utils/spawn-server.ts';
import { ADMIN, createTestDatabase, dbTargets, dropTestDatabase } from '../utils/test-app.ts';
import { workedExample } from '../fixtures/examples.ts';

const example = workedExample('emergency-rollover');

async function waitForVersion(c: ApiClient, above: number, timeoutMs = 30_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await c.get('/api/plans/current');
    if (r.status === 200 && r.body.version > above) return r.body;
    if (Date.now() > until) throw new Error(`no plan version above ${above} within ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe.each(await dbTargets())('restarts on %s', (target) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  async function storage(): Promise<Record<string, string>> {
    if (target === 'postgres') {
      const url = await createTestDatabase();
      cleanup.push(() => dropTestDatabase(url));
      return { DATABASE_URL: url };
    }
    const dir = mkdtempSync(join(tmpdir(), 'hg-restart-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    return { DATA_DIR: dir };
  }

  /** A server process on `env`, and the admin signed in to it. */
  async function start(env: Record<string, string>): Promise<{ proc: Proc; admin: ApiClient }> {
    const proc = await startServerProcess({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, REPLAN_DEBOUNCE_MS: '10', JOB_EXPIRE_SECONDS: '5', ...env });
    cleanup.push(async () => void (await proc.stop('SIGKILL')));
    const admin = new ApiClient(proc.url);
    await admin.login(ADMIN.email, ADMIN.password);
    return { proc, admin };
  }

  /** Where both tests begin: fresh storage, the example imported, its first plan made. */
  async function startImported() {
    const db = await storage();
    const { proc, admin } = await start(db);
    expect((await admin.post('/api/quarters/2026-Q4/import', example)).status).toBe(200);
    const plan = await waitForVersion(admin, 0);
    return { db, proc, admin, plan };
  }

  it('a restart keeps quarters, tickets, hours and the current plan', async () => {
    const { db, proc: first, admin: m, plan } = await startImported();
    const entry = await m.post('/api/time-entries', { ticketId: 'Q-2', staffId: 'sam', hours: 1.5, week: 11 });
    expect(entry.status).toBe(201);
    const after = await waitForVersion(m, plan.version);
    // A graceful stop finishes what it has in hand and exits cleanly.
    expect(await first.stop('SIGTERM')).toBe(0);

    const { proc: second, admin: m2 } = await start(db);
    const again = (await m2.get('/api/plans/current')).body;
    expect(again.version).toBe(after.version);
    expect(again.clients).toEqual(after.clients);
    const scenario = (await m2.get('/api/quarters/2026-Q4/scenario')).body;
    expect(scenario.tickets.map((t: { id: string }) => t.id).sort()).toEqual(['D-1', 'H-1', 'Q-1', 'Q-2']);
    await second.stop('SIGTERM');
  }, 120_000);

  it('a server killed during a re-plan restarts with the previous plan current, then re-plans', async () => {
    const { db, proc: first, plan } = await startImported();
    await first.stop('SIGTERM');

    // The next solve takes 10 s: long enough to kill the server in the middle of it.
    const { proc: slow, admin: s } = await start({ ...db, SOLVER_DELAY_MS: '10000' });
    const ticket = (await s.get('/api/tickets/H-1')).body;
    expect((await s.patch('/api/tickets/H-1', { version: ticket.version, estimateHours: 6 })).status).toBe(200);
    await new Promise((res) => setTimeout(res, 1_500));
    const queue = (await s.get('/api/health')).body.queue;
    expect(queue.running.length + (queue.active ?? 0)).toBeGreaterThan(0);
    await slow.stop('SIGKILL');

    // Restarted (its solves take 3 s, so the moment before the re-plan lands can be seen).
    const { proc: back, admin: b } = await start({ ...db, SOLVER_DELAY_MS: '3000' });
    const current = await b.get('/api/plans/current');
    expect(current.status).toBe(200);
    expect(current.body.version).toBe(plan.version);
    expect((await b.get('/api/health')).body.plan).toMatchObject({ version: plan.version, behind: true });
    const replanned = await waitForVersion(b, plan.version, 60_000);
    expect(replanned.tickets.find((t: { id: string }) => t.id === 'H-1').remainingHours).toBe(6);
    const versions = (await b.get('/api/plans?quarter=2026-Q4')).body.versions.map((v: { version: number }) => v.version);
    expect(versions.filter((v: number) => v > plan.version)).toEqual([replanned.version]);
    await back.stop('SIGTERM');
  }, 180_000);
});
