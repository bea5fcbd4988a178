/**
 * npm run bench:api [-- --size medium|large|xl --postgres --rate 200 --summary-rate 200 --full-rate 20 --seconds 10 --changes 20 --warmup 1 --reads-only]
 *
 * Starts the real server in this process (embedded PGlite; PostgreSQL with DATABASE_URL, which
 * should name a fresh database, or with --postgres, which makes a throwaway one on 127.0.0.1:5432),
 * imports a generated scenario (seed 1) and, signed in as a manager, measures:
 * (a) GET /api/plans/current at a fixed request rate on a quiet server (autocannon, in its own
 *     worker thread so the load generator does not share the server's event loop);
 * (b) changes, one at a time (after `--warmup` untimed ones, 1 by default): two of every three a time entry (POST /api/time-entries, which moves
 *     the plan), the third a ticket's title (PATCH, which leaves the plan as it was). Each is timed
 *     from sending it until the re-plan that includes it has been announced: `plan.updated` of the
 *     new version, or `replan.finished` naming the current version when the plan came out
 *     identical (no version is made). Where the time went comes from the server's "plan committed"
 *     log line, or, where that line has no timings (before the commit-path work), from the events
 *     and the solver pool;
 * (a2) the first screen, GET /api/plans/current/summary, at `--summary-rate` (200 req/s), and the
 *     manager's whole plan at `--full-rate` (20 req/s), both asked with Accept-Encoding: br as a
 *     browser asks, with the bytes each answer takes on the wire (brotli and gzip) and as JSON;
 * (c) GET /api/plans/current at the same rate while changes are re-planned one after another;
 * and the resident memory of this process, and on PostgreSQL the database's growth per version.
 * `--reads-only` stops after (a) and (a2): a quick look at sizes and read latency.
 * Prints markdown; the figures go in docs/BENCHMARKS.md under "API".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { createApp } from '../server/app.ts';
import { createSession, COOKIE_NAME } from '../server/auth/sessions.ts';
import { loadConfig } from '../server/config.ts';
import { Ticket, User } from '../server/db/entities.ts';
import { diffPlans } from '../server/planning/plan-diff.ts';
import { BENCH_SIZES, generateScenario } from '../test/fixtures/generate-scenario.ts';
import { createTestDatabase, dropTestDatabase } from '../test/utils/test-app.ts';
import { benchSize, committedLines, dbRoom, describeSize, growthPerVersion, load, machine, mb, median, ms, percentile, phaseMedians, type DbRoom, type ReplanTimings } from './bench-support.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'medium' },
    postgres: { type: 'boolean', default: false },
    rate: { type: 'string' },
    'summary-rate': { type: 'string', default: '200' },
    'full-rate': { type: 'string', default: '20' },
    'reads-only': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    changes: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '1' },
    'timeout-s': { type: 'string', default: '120' },
  },
});
const SIZE = benchSize(values.size);
const RATE = Number(values.rate ?? { small: 200, medium: 200, large: 100, xl: 20 }[SIZE]);
const SECONDS = Number(values.seconds);
const CHANGES = Number(values.changes);
const WARMUP = Number(values.warmup);
const TIMEOUT_MS = Number(values['timeout-s']) * 1000;
const SUMMARY_RATE = Number(values['summary-rate']);
const FULL_RATE = Number(values['full-rate']);

// The server's log: "plan committed" lines are kept for their timings, warnings go to stderr.
const logLines: string[] = [];
const logger = pino({ level: 'info' }, {
  write(line: string) {
    if (line.includes('"plan committed"')) logLines.push(line);
    else if (/"level":(4|5|6)0/.test(line)) process.stderr.write(line);
  },
});

const ownDb = values.postgres && !process.env.DATABASE_URL ? await createTestDatabase() : undefined;
const databaseUrl = process.env.DATABASE_URL ?? ownDb;
const dataDir = mkdtempSync(join(os.tmpdir(), 'hg-bench-'));
const config = loadConfig({ PORT: '0', LOG_LEVEL: 'info', DEMO: 'off', DATA_DIR: dataDir, SERVE_CLIENT: 'false', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
const app = await createApp(config, { clock: false, logger });
await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
const addr = app.server.address();
const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
const s = app.services;

/** Domain events of this process, timed. */
const seen: { name: string; payload: any; t: number }[] = [];
for (const name of ['replan.started', 'replan.finished', 'plan.updated'] as const) s.events.on(name, (payload) => seen.push({ name, payload, t: performance.now() }));
/** Solves through the pool (the re-planner's own, before the commit-path work), timed. */
const solves: { start: number; end: number }[] = [];
const solve = s.pool.solve.bind(s.pool);
s.pool.solve = (async (...args: Parameters<typeof solve>) => {
  const start = performance.now();
  try {
    return await solve(...args);
  } finally {
    solves.push({ start, end: performance.now() });
  }
}) as typeof s.pool.solve;

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
async function until<T>(check: () => T | undefined, what: string): Promise<T> {
  const end = performance.now() + TIMEOUT_MS;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

try {
  // A manager session made directly: no password to know, whatever database this runs against.
  const em = s.store.reader();
  const email = 'bench-manager@hourglass.local';
  const user = (await em.findOne(User, { email })) ?? em.create(User, { email, passwordHash: '!', role: 'manager' });
  await em.flush();
  const cookie = `${COOKIE_NAME}=${await createSession(em, user.id, 4)}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const send = () => fetch(base + path, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    // A kept-alive connection the server closes as a GET goes out: that GET is sent again.
    const res = await send().catch((err) => (method === 'GET' ? send() : Promise.reject(err)));
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return { json: JSON.parse(text), bytes: Buffer.byteLength(text) };
  };
  const sql = async (q: string, params: unknown[] = []) => (await s.store.reader().getConnection().execute(q, params)) as any[];

  const scenario = generateScenario({ seed: 1, ...BENCH_SIZES[SIZE] });
  const quarter = scenario.quarter.id;
  process.stderr.write(`importing ${describeSize(SIZE)}…\n`);
  const importStart = performance.now();
  await call('POST', `/api/quarters/${quarter}/import`, scenario);
  await s.replanner.idle();
  const importMs = performance.now() - importStart;
  const planPath = `/api/plans/current?quarter=${quarter}`;
  const planBytes = (await call('GET', planPath)).bytes;
  for (let i = 0; i < 5; i++) await call('GET', planPath);

  // (a) reads at a fixed rate on a quiet server
  process.stderr.write(`(a) GET at ${RATE} req/s for ${SECONDS} s…\n`);
  const uptimeA = load();
  const quiet = await autocannon({ url: base + planPath, connections: 10, workers: 1, overallRate: RATE, duration: SECONDS, headers: { cookie } });

  // (a2) the first screen and the whole plan as a browser asks for them (compressed), and their sizes
  const summaryPath = `/api/plans/current/summary?quarter=${quarter}`;
  /** Bytes on the wire in each encoding (fetch decodes the body; Content-Length is what was sent). */
  const wire = async (path: string) => {
    const out: Record<'br' | 'gzip' | 'identity', number> = { br: 0, gzip: 0, identity: 0 };
    for (const enc of ['br', 'gzip', 'identity'] as const) {
      const res = await fetch(base + path, { headers: { cookie, 'accept-encoding': enc } });
      await res.arrayBuffer();
      if (!res.ok || (res.headers.get('content-encoding') ?? 'identity') !== enc) throw new Error(`${path} (${enc}): ${res.status} ${res.headers.get('content-encoding')}`);
      out[enc] = Number(res.headers.get('content-length'));
    }
    return out;
  };
  const summaryBytes = await wire(summaryPath);
  const fullBytes = await wire(planPath);
  const br = { cookie, 'accept-encoding': 'br' };
  process.stderr.write(`(a2) GET summary at ${SUMMARY_RATE} req/s, whole plan at ${FULL_RATE} req/s, brotli, ${SECONDS} s each…\n`);
  const uptimeA2 = load();
  const summaryRun = await autocannon({ url: base + summaryPath, connections: 10, workers: 1, overallRate: SUMMARY_RATE, duration: SECONDS, headers: br });
  const fullRun = await autocannon({ url: base + planPath, connections: 10, workers: 1, overallRate: FULL_RATE, duration: SECONDS, headers: br });
  const sizes = (b: Record<'br' | 'gzip' | 'identity', number>) => `${kb(b.br)} brotli, ${kb(b.gzip)} gzip, ${kb(b.identity)} JSON`;
  const readLines = (cannon: (r: Awaited<ReturnType<typeof autocannon>>) => string) => [
    `| (a2) GET /api/plans/current/summary (manager, brotli), ${SUMMARY_RATE} req/s for ${SECONDS} s, quiet server (load ${uptimeA2}) | ${cannon(summaryRun)} |`,
    `| (a2) GET /api/plans/current (manager, brotli), ${FULL_RATE} req/s for ${SECONDS} s, quiet server | ${cannon(fullRun)} |`,
    `| (a2) answer sizes on the wire | summary: ${sizes(summaryBytes)}; whole plan: ${sizes(fullBytes)} |`,
  ];
  if (values['reads-only']) {
    const cannon = (r: Awaited<ReturnType<typeof autocannon>>) => `${Math.round(r.requests.average)} req/s achieved (${r.requests.total} requests, ${r.non2xx} non-2xx); p50 ${r.latency.p50} ms, **p99 ${r.latency.p99} ms**, max ${r.latency.max} ms`;
    process.stdout.write(
      [
        `Machine: ${machine()}, ${s.embedded ? 'embedded PGlite' : 'PostgreSQL'}. Scenario: ${describeSize(SIZE)}, seed 1; import and first plan ${ms(importMs)}. Reads only.`,
        '',
        '| measure | result |',
        '|---|---|',
        `| (a) GET /api/plans/current (manager, uncompressed), ${RATE} req/s for ${SECONDS} s, quiet server (load ${uptimeA}) | ${cannon(quiet)} |`,
        ...readLines(cannon),
      ].join('\n') + '\n',
    );
    await cleanUp();
    process.exit(0);
  }

  // (b) changes, one at a time
  const tickets = await em.find(Ticket, { quarterId: quarter, status: 'open' }, { orderBy: { id: 'asc' }, limit: 50 });
  const staffId = scenario.staff[0]!.id;
  const currentVersion = async () => Number((await sql('select current_plan_id as v from quarters where id = ?', [quarter]))[0]?.v ?? 0);
  interface ChangeResult {
    kind: 'entry' | 'title';
    totalMs: number;
    postMs: number;
    identical: boolean;
    phases: Record<string, number>;
  }
  let titleCount = 0;
  async function change(i: number): Promise<ChangeResult> {
    const kind = i % 3 === 2 ? 'title' : 'entry';
    const before = await currentVersion();
    const ticket = tickets[i % tickets.length]!;
    const version = kind === 'title' ? (await call('GET', `/api/tickets/${ticket.id}`)).json.version : 0;
    const mark = seen.length;
    const t0 = performance.now();
    if (kind === 'entry') await call('POST', '/api/time-entries', { ticketId: tickets[0]!.id, staffId, hours: 0.25, date: scenario.quarter.startDate });
    else await call('PATCH', `/api/tickets/${ticket.id}`, { version, title: `Ticket renamed ${++titleCount}` });
    const postMs = performance.now() - t0;
    const revision = Number((await sql('select data_revision as r from quarters where id = ?', [quarter]))[0].r);
    const after = () => seen.slice(mark);
    const started = await until(() => after().find((e) => e.name === 'replan.started' && e.payload.revision >= revision), 'replan.started');
    const finished = await until(() => after().find((e) => e.name === 'replan.finished' && e.payload.jobId === started.payload.jobId), 'replan.finished');
    const identical = finished.payload.version === before;
    const updated = identical ? undefined : await until(() => after().find((e) => e.name === 'plan.updated' && e.payload.version === finished.payload.version), 'plan.updated');
    const end = (updated ?? finished).t;
    const line = committedLines(logLines.join('')).find((l) => l.ms && l.revision === started.payload.revision && l.version === finished.payload.version);
    let phases: Record<string, number>;
    if (line?.ms) phases = { 'post + queue': started.t - t0 - (line.ms.snapshot ?? 0), ...line.ms };
    else {
      const sv = solves.find((x) => x.start >= started.t);
      phases = sv
        ? { 'queue + snapshot': started.t - t0, solve: sv.end - sv.start, 'commit + diff': finished.t - sv.end, 'audiences + emit': end - finished.t }
        : { 'queue + snapshot': started.t - t0, 'solve + commit + diff': finished.t - started.t, 'audiences + emit': end - finished.t };
    }
    return { kind, totalMs: end - t0, postMs, identical, phases };
  }

  // Untimed changes first: the solver thread's first solves run cold (its code not yet optimized).
  for (let i = 0; i < WARMUP; i++) await change(3 * i);
  const roomBefore: DbRoom | null = databaseUrl ? await dbRoom(databaseUrl) : null;
  process.stderr.write(`(b) ${CHANGES} changes…\n`);
  const uptimeB = load();
  peakRss = process.memoryUsage().rss;
  const results: ChangeResult[] = [];
  for (let i = 0; i < CHANGES; i++) {
    results.push(await change(i));
    const r = results.at(-1)!;
    process.stderr.write(`  ${i + 1}/${CHANGES} ${r.kind}${r.identical ? ' (identical)' : ''}: ${ms(r.totalMs)}\n`);
    const plan = (await call('GET', planPath)).json;
    if (plan.version < (await currentVersion())) throw new Error('the plan served is not the current one');
    await sleep(50);
  }
  const rssB = peakRss;
  const roomAfter: DbRoom | null = databaseUrl ? await dbRoom(databaseUrl) : null;

  // The diff alone (plan-diff.ts), on the last two versions, as the re-plan computes it.
  const versions = (await sql('select id from plans where quarter_id = ? order by id desc limit 2', [quarter])).map((r) => Number(r.id));
  let diffMs = NaN;
  if (versions.length === 2) {
    const [a, b] = await Promise.all(versions.map(async (v) => (await call('GET', `/api/plans/${v}`)).json));
    const t = performance.now();
    for (let k = 0; k < 3; k++) diffPlans(b, a);
    diffMs = (performance.now() - t) / 3;
  }

  // (c) reads at the same rate while re-plans run one after another
  process.stderr.write(`(c) GET at ${RATE} req/s for ${SECONDS} s while changes are re-planned…\n`);
  const uptimeC = load();
  let busy = true;
  let during = 0;
  const loop = (async () => {
    for (let i = CHANGES; busy; i++) {
      await change(i);
      during++;
    }
  })();
  const loaded = await autocannon({ url: base + planPath, connections: 10, workers: 1, overallRate: RATE, duration: SECONDS, headers: { cookie } });
  busy = false;
  await loop;
  await s.replanner.idle();

  const moving = results.filter((r) => !r.identical);
  const identical = results.filter((r) => r.identical);
  const summary = (xs: ChangeResult[]) =>
    xs.length === 0 ? '–' : `${xs.length} changes: p50 ${ms(median(xs.map((r) => r.totalMs)))}, p99 ${ms(percentile(xs.map((r) => r.totalMs), 99))}, max ${ms(Math.max(...xs.map((r) => r.totalMs)))}`;
  const phaseSummary = (xs: ChangeResult[]) => phaseMedians(xs.map((r) => ({ version: 0, ms: r.phases }) satisfies ReplanTimings));
  const cannon = (r: Awaited<ReturnType<typeof autocannon>>) =>
    `${Math.round(r.requests.average)} req/s achieved (${r.requests.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts); p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, **p99 ${r.latency.p99} ms**, max ${r.latency.max} ms`;
  const growth = roomBefore && roomAfter ? growthPerVersion(roomBefore, roomAfter) : null;
  const lines = [
    `Machine: ${machine()}, ${s.embedded ? 'embedded PGlite' : 'PostgreSQL'}. Scenario: ${describeSize(SIZE)}, seed 1; manager plan body ${mb(planBytes)} of JSON; import and first plan ${ms(importMs)}.`,
    `Load average (1, 5, 15 min): (a) ${uptimeA}; (b) ${uptimeB}; (c) ${uptimeC}. Untimed warm-up changes before (b): ${WARMUP}.`,
    '',
    '| measure | result |',
    '|---|---|',
    `| (a) GET /api/plans/current (manager), ${RATE} req/s for ${SECONDS} s, quiet server | ${cannon(quiet)} |`,
    ...readLines(cannon),
    `| (b) change → plan.updated, a change that moves the plan (time entry) | ${summary(moving)} (the POST itself: p50 ${ms(median(moving.map((r) => r.postMs)))}) |`,
    `| (b) where the time went (medians) | ${phaseSummary(moving)} |`,
    `| (b) change → replan.finished, plan identical (ticket title) | ${summary(identical)} |`,
    `| (b) where the time went (medians) | ${phaseSummary(identical)} |`,
    `| (b) every change (${results.length}, ${results.filter((r) => r.kind === 'title').length} title edits) | p50 ${ms(median(results.map((r) => r.totalMs)))}, p99 ${ms(percentile(results.map((r) => r.totalMs), 99))}; identical plans: ${identical.length}, versions made: ${roomBefore && roomAfter ? roomAfter.versions - roomBefore.versions : moving.length} |`,
    `| diff of the last two versions (plan-diff.ts diffPlans, full plans) | ${ms(diffMs)} |`,
    `| (c) GET /api/plans/current (manager), ${RATE} req/s for ${SECONDS} s during ${during} re-plans | ${cannon(loaded)} |`,
    `| resident memory of the process (server, solver thread, load generator) | peak ${mb(rssB)} during (b); ${mb(process.memoryUsage().rss)} at the end |`,
    ...(growth
      ? [`| database growth per version (b) | ${mb(growth.database)} per version (database), ${mb(growth.tables)} (plans, allocations, staff_tickets), over ${growth.versions} versions |`]
      : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await cleanUp();
}

async function cleanUp(): Promise<void> {
  clearInterval(rssTimer);
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (ownDb) await dropTestDatabase(ownDb);
}
