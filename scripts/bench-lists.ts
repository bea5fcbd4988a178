/**
 * npx tsx scripts/bench-lists.ts [-- --tickets 2000 --runs 50 --postgres]
 *
 * The paged lists at size: starts the real server in this process (embedded PGlite; with
 * --postgres a throwaway database on 127.0.0.1:5432), imports a generated quarter (seed 1) with
 * `--tickets` tickets and one time entry per ticket, and times each list's requests one after
 * another (after 5 untimed ones): GET /api/tickets at the default limit and at the largest, all
 * its pages, as a manager, a staff member and a client user; clients, time entries and the audit
 * log at the default limit. Prints markdown for docs/BENCHMARKS.md ("Paged lists").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../shared/api/paging.ts';
import { createApp } from '../server/app.ts';
import { COOKIE_NAME, createSession } from '../server/auth/sessions.ts';
import { loadConfig } from '../server/config.ts';
import { TimeEntry, User, type Role } from '../server/db/entities.ts';
import { generateScenario } from '../test/fixtures/generate-scenario.ts';
import { createTestDatabase, dropTestDatabase } from '../test/utils/test-app.ts';
import { load, machine, median, percentile } from './bench-support.ts';

const { values } = parseArgs({ options: { tickets: { type: 'string', default: '2000' }, runs: { type: 'string', default: '50' }, postgres: { type: 'boolean', default: false } } });
const TICKETS = Number(values.tickets);
const RUNS = Number(values.runs);

const ownDb = values.postgres ? await createTestDatabase() : undefined;
const dataDir = mkdtempSync(join(os.tmpdir(), 'hg-bench-lists-'));
const config = loadConfig({ PORT: '0', LOG_LEVEL: 'warn', DEMO: 'off', DATA_DIR: dataDir, SERVE_CLIENT: 'false', ...(ownDb ? { DATABASE_URL: ownDb } : {}) });
const app = await createApp(config, { clock: false, logger: pino({ level: 'warn' }) });
await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
const addr = app.server.address();
const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
const s = app.services;

try {
  const em = s.store.reader();
  const scenario = generateScenario({ seed: 1, staff: Math.max(8, Math.round(TICKETS / 60)), clients: Math.max(20, Math.round(TICKETS / 13)), tickets: TICKETS, skills: 6 });
  const quarter = scenario.quarter.id;
  /** A session made directly: no password to know. */
  const sessionOf = async (role: Role, link: { clientId?: string; staffId?: string } = {}) => {
    const user = em.create(User, { email: `bench-${role}@hourglass.local`, passwordHash: '!', role, clientId: link.clientId ?? null, staffId: link.staffId ?? null });
    await em.flush();
    return `${COOKIE_NAME}=${await createSession(em, user.id, 4)}`;
  };
  const manager = await sessionOf('manager');
  const get = async (cookie: string, path: string) => {
    const res = await fetch(base + path, { headers: { cookie } });
    const text = await res.text();
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 300)}`);
    return { json: JSON.parse(text), bytes: Buffer.byteLength(text) };
  };
  const imported = await fetch(`${base}/api/quarters/${quarter}/import`, { method: 'POST', headers: { cookie: manager, 'content-type': 'application/json' }, body: JSON.stringify(scenario) });
  if (!imported.ok) throw new Error(`import: ${imported.status} ${await imported.text()}`);
  await s.replanner.idle();
  // One time entry per ticket, in a past week: spent hours are summed for every ticket listed.
  const week = Math.max(0, (scenario.quarter.currentWeek ?? 1) - 1);
  for (const t of scenario.tickets) em.create(TimeEntry, { staffId: scenario.staff[0]!.id, ticketId: t.id, clientId: t.client, quarterId: quarter, week, date: '', hours: 0.25 });
  await em.flush();
  const perClient = new Map<string, number>();
  for (const t of scenario.tickets) perClient.set(t.client, (perClient.get(t.client) ?? 0) + 1);
  const busiest = [...perClient].sort((a, b) => b[1] - a[1])[0]![0];
  const client = await sessionOf('client', { clientId: busiest });
  const staff = await sessionOf('staff', { staffId: scenario.staff[0]!.id });

  const time = async (cookie: string, path: string, allPages = false) => {
    const one = async () => {
      const start = performance.now();
      let bytes = 0;
      let items = 0;
      let cursor: string | null = null;
      do {
        const r = await get(cookie, `${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        bytes += r.bytes;
        items += r.json.items.length;
        cursor = allPages ? r.json.nextCursor : null;
      } while (cursor);
      return { ms: performance.now() - start, bytes, items };
    };
    for (let i = 0; i < 5; i++) await one();
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await one());
    const msList = runs.map((r) => r.ms);
    const f = (x: number) => `${x.toFixed(1)} ms`;
    return `| ${path.replace(/\?$/, '')}${allPages ? ' (every page)' : ''} | ${runs[0]!.items} | ${(runs[0]!.bytes / 1024).toFixed(0)} kB | ${f(median(msList))} | ${f(percentile(msList, 95))} | ${f(Math.max(...msList))} |`;
  };

  const rows = [
    ['manager', await time(manager, `/api/tickets?`)],
    ['manager', await time(manager, `/api/tickets?quarter=${quarter}&limit=${PAGE_LIMIT_MAX}`)],
    ['manager', await time(manager, `/api/tickets?quarter=${quarter}&limit=${PAGE_LIMIT_MAX}`, true)],
    ['manager', await time(manager, `/api/tickets?status=open&priority=2`)],
    ['staff', await time(staff, `/api/tickets?limit=${PAGE_LIMIT_MAX}`, true)],
    ['client', await time(client, `/api/tickets?limit=${PAGE_LIMIT_MAX}`, true)],
    ['manager', await time(manager, `/api/clients?`)],
    ['manager', await time(manager, `/api/time-entries?`)],
    ['manager', await time(manager, `/api/audit?`)],
  ];
  console.log(
    [
      `Machine: ${machine()}, ${s.embedded ? 'embedded PGlite' : 'PostgreSQL'}; load average ${load()}. Quarter: ${TICKETS} tickets, ${scenario.clients.length} clients, ${scenario.staff.length} staff (seed 1), one time entry per ticket; ${RUNS} requests each, one at a time, after 5 untimed. Default limit ${PAGE_LIMIT_DEFAULT}.`,
      '',
      '| caller | request | items | body | median | p95 | max |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(([who, row]) => row!.replace(/^\| /, `| ${who} | `)),
    ].join('\n'),
  );
} finally {
  await app.close();
  if (ownDb) await dropTestDatabase(ownDb);
  rmSync(dataDir, { recursive: true, force: true });
}
