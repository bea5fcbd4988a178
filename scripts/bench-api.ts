/**
 * npm run bench:api [-- --rate 200 --seconds 10 --changes 20]
 *
 * Starts the real server in this process (embedded PGlite, or DATABASE_URL when set), imports the
 * medium generated scenario (seed 1) and, signed in as a manager, measures:
 * (a) GET /api/plans/current at a fixed request rate (autocannon, in its own worker thread so the
 *     load generator does not share the server's event loop);
 * (b) a change (POST /api/time-entries) until the new plan is current: time from sending the
 *     change to the 'plan.updated' event of a plan that includes it, checked with a GET.
 * Prints a markdown table; the figures go in docs/BENCHMARKS.md under "API".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createApp } from '../server/app.ts';
import { createSession, COOKIE_NAME } from '../server/auth/sessions.ts';
import { loadConfig } from '../server/config.ts';
import { Ticket, User } from '../server/db/entities.ts';
import { BENCH_SIZES, generateScenario } from '../test/fixtures/generate-scenario.ts';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '10' }, changes: { type: 'string', default: '20' } } });
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const CHANGES = Number(values.changes);

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const ms = (x: number) => `${Math.round(x * 10) / 10} ms`;

const dataDir = mkdtempSync(join(os.tmpdir(), 'hg-bench-'));
const config = loadConfig({ PORT: '0', LOG_LEVEL: 'warn', DEMO: 'off', DATA_DIR: dataDir, SERVE_CLIENT: 'false', ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) });
const app = await createApp(config, { clock: false });
await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
const addr = app.server.address();
const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
const s = app.services;

try {
  // A manager session made directly: no password to know, whatever database this runs against.
  const em = s.store.reader();
  const email = 'bench-manager@hourglass.local';
  const user = (await em.findOne(User, { email })) ?? em.create(User, { email, passwordHash: '!', role: 'manager' });
  await em.flush();
  const cookie = `${COOKIE_NAME}=${await createSession(em, user.id, 1)}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  const scenario = generateScenario({ seed: 1, ...BENCH_SIZES.medium });
  const quarter = scenario.quarter.id;
  await call('POST', `/api/quarters/${quarter}/import`, scenario);
  await s.replanner.idle();
  const planPath = `/api/plans/current?quarter=${quarter}`;
  const planBytes = Buffer.byteLength(JSON.stringify(await call('GET', planPath)));
  for (let i = 0; i < 20; i++) await call('GET', planPath);

  // (a) reads at a fixed rate
  const load = await autocannon({ url: base + planPath, connections: 10, workers: 1, overallRate: RATE, duration: SECONDS, headers: { cookie } });

  // (b) change → new current plan
  const ticket = (await em.find(Ticket, { quarterId: quarter, status: 'open' }, { orderBy: { id: 'asc' }, limit: 1 }))[0]!;
  const staffId = scenario.staff[0]!.id;
  const changeMs: number[] = [];
  const postMs: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const before = (await call('GET', planPath)).version as number;
    const planned = new Promise<number>((resolve) => {
      const stop = s.events.on('plan.updated', (e) => {
        if (e.quarterId === quarter && e.version > before) (stop(), resolve(e.version));
      });
    });
    const t0 = performance.now();
    await call('POST', '/api/time-entries', { ticketId: ticket.id, staffId, hours: 0.25, date: scenario.quarter.startDate });
    postMs.push(performance.now() - t0);
    const version = await planned;
    changeMs.push(performance.now() - t0);
    if ((await call('GET', planPath)).version < version) throw new Error('plan.updated announced a plan that is not current');
    await new Promise((r) => setTimeout(r, 50));
  }

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${app.services.embedded ? 'embedded PGlite' : 'PostgreSQL'}`;
  const b = BENCH_SIZES.medium;
  const lines = [
    `Machine: ${machine}. Scenario: medium (${b.staff} staff / ${b.clients} clients / ${b.tickets} tickets), seed 1; plan body ${Math.round(planBytes / 1024)} kB.`,
    '',
    '| measure | target | result |',
    '|---|---|---|',
    `| GET /api/plans/current, ${RATE} req/s for ${SECONDS} s | p99 < 50 ms | ${Math.round(load.requests.average)} req/s achieved (${load.requests.total} requests, ${load.non2xx} non-2xx, ${load.errors} errors); p50 ${ms(load.latency.p50)}, p90 ${ms(load.latency.p90)}, p99 ${ms(load.latency.p99)}, max ${ms(load.latency.max)} |`,
    `| change → new current plan (POST /api/time-entries, ${CHANGES} times) | < 1 s | p50 ${ms(percentile(changeMs, 50))}, p99 ${ms(percentile(changeMs, 99))}, max ${ms(Math.max(...changeMs))} (the POST itself: p50 ${ms(percentile(postMs, 50))}) |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
