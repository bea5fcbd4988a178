/**
 * Database faults for tests and scripts/test-faults.ts: two server processes on one PostgreSQL
 * database (A plans, B only serves, so an event B's sockets hear crossed instances through
 * PostgreSQL), and ways to cut the database's connections or make it refuse new ones. Everything
 * is done to one test database only, from the `postgres` database.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ApiClient } from './api-client.ts';
import { connectSocket, startServerProcess, waitFor, type LiveSocket, type Proc } from './spawn-server.ts';
import { ADMIN, createTestDatabase, dropTestDatabase } from './test-app.ts';

const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const example = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/examples/emergency-rollover.json'), 'utf8'));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one statement, from the `postgres` database unless told (a fresh connection: the server may have restarted). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values: unknown[] = [], url = PG_ADMIN_URL): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

export const databaseName = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** Terminates the database's backends (every one, or only those whose last statement was a LISTEN); returns their pids. */
export async function terminateBackends(url: string, only: 'all' | 'listen' = 'all'): Promise<number[]> {
  const rows = await adminQuery<{ pid: number }>(
    `select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() ${only === 'listen' ? `and query like 'LISTEN %'` : ''}`,
    [databaseName(url)],
  );
  await adminQuery('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [rows.map((r) => r.pid)]);
  return rows.map((r) => r.pid);
}

/** The backends listening for events between instances (the socket.io adapter's LISTEN). */
export async function listenBackends(url: string): Promise<number[]> {
  const rows = await adminQuery<{ pid: number }>(`select pid from pg_stat_activity where datname = $1 and query like 'LISTEN %'`, [databaseName(url)]);
  return rows.map((r) => r.pid).sort();
}

/** Makes the database refuse every new connection (superusers too), or accept them again. */
export async function allowConnections(url: string, allow: boolean): Promise<void> {
  await adminQuery(`alter database ${databaseName(url)} allow_connections ${allow}`);
}

/** Polls until `check` returns something truthy; resolves with it and the milliseconds it took. */
export async function within<T>(ms: number, what: string, check: () => Promise<T | undefined | false>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return { value, ms: Date.now() - started };
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

export async function currentVersion(c: ApiClient): Promise<number> {
  const r = await c.get('/api/plans/current');
  return r.status === 200 ? r.body.version : 0;
}

export interface TwoInstances {
  databaseUrl: string;
  a: Proc;
  b: Proc;
  managerA: ApiClient;
  managerB: ApiClient;
  /** A manager's socket on B, connected at start. */
  liveB: { socket: LiveSocket; events: { event: string; payload: any }[] };
  close(): Promise<void>;
}

/** A fresh database, the example imported through A, its first plan made, a manager's socket on B. */
export async function startTwoInstances(env: Record<string, string> = {}): Promise<TwoInstances> {
  const databaseUrl = await createTestDatabase();
  const base = { DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, REPLAN_DEBOUNCE_MS: '10', ...env };
  const procs: Proc[] = [];
  let a: Proc, b: Proc, managerA: ApiClient, managerB: ApiClient, liveB: TwoInstances['liveB'];
  try {
    // One after the other: two processes migrating a fresh database at once trip over each other.
    procs.push((a = await startServerProcess(base)));
    procs.push((b = await startServerProcess({ ...base, SOLVER_WORKER: 'none' })));
    managerA = new ApiClient(a.url);
    await managerA.login(ADMIN.email, ADMIN.password);
    managerB = new ApiClient(b.url);
    await managerB.login(ADMIN.email, ADMIN.password);
    const imported = await managerA.post('/api/quarters/2026-Q4/import', example);
    if (imported.status !== 200) throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body)}`);
    await within(30_000, 'the first plan', async () => (await currentVersion(managerA)) > 0);
    liveB = await connectSocket(b.url, managerB.cookie);
  } catch (err) {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    await dropTestDatabase(databaseUrl);
    throw err;
  }
  return {
    databaseUrl,
    a,
    b,
    managerA,
    managerB,
    liveB,
    async close() {
      liveB.socket.close();
      await Promise.all([a.stop(), b.stop()]);
      await allowConnections(databaseUrl, true).catch(() => {});
      await dropTestDatabase(databaseUrl);
    },
  };
}

/**
 * A change through A (ticket H-1's estimate), and what must follow: a new plan version with it,
 * read back through A, and that version's `plan.updated` on B's socket.
 */
export async function changeIsPlanned(t: TwoInstances, estimateHours: number, timeoutMs = 15_000): Promise<{ version: number; ms: number }> {
  const started = Date.now();
  const before = await currentVersion(t.managerA);
  const ticket = (await t.managerA.get('/api/tickets/H-1')).body;
  const r = await t.managerA.patch('/api/tickets/H-1', { version: ticket.version, estimateHours });
  if (r.status !== 200) throw new Error(`PATCH /api/tickets/H-1: ${r.status} ${JSON.stringify(r.body)}`);
  const { value: plan } = await within(timeoutMs, 'a new plan version', async () => {
    const p = await t.managerA.get('/api/plans/current');
    return p.status === 200 && p.body.version > before && p.body;
  });
  const remaining = plan.tickets.find((x: { id: string }) => x.id === 'H-1').remainingHours;
  if (remaining !== estimateHours) throw new Error(`the new plan has H-1 at ${remaining} h, not ${estimateHours} h`);
  await waitFor(() => t.liveB.events.find((e) => e.event === 'plan.updated' && e.payload.version === plan.version), timeoutMs, `plan.updated ${plan.version} on B's socket`);
  return { version: plan.version, ms: Date.now() - started };
}

/** Both processes still run, and no error event went unhandled in either. */
export function bothAlive(t: TwoInstances): string[] {
  const problems: string[] = [];
  for (const [name, p] of [['A', t.a], ['B', t.b]] as const) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) problems.push(`${name} exited (${p.child.exitCode ?? p.child.signalCode})`);
    if (/Unhandled 'error' event|triggerUncaughtException|unhandledRejection/.test(p.output())) problems.push(`${name} reported an unhandled error:\n${p.output().slice(-2000)}`);
  }
  return problems;
}
