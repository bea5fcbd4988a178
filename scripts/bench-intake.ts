/**
 * npm run bench:intake [-- --size medium --events 30 --burst 600 --concurrency 16 --sockets 50 --cpu-prof DIR]
 *
 * Work arriving by itself, measured (issue 13): one server process on PostgreSQL (DATABASE_URL,
 * or a throwaway database on 127.0.0.1:5432), the generated scenario (seed 1) imported and
 * planned, GitHub connected with 20 repositories mapped to 20 of its clients, and `--sockets`
 * signed-in manager sockets.
 * - Latency: `--events` deliveries one at a time (after 2 untimed), GitHub's published
 *   `issues.opened` example re-signed for a new issue each time (two in three) or an `issues.edited`
 *   of the last one with a larger estimate label (one in three). The figure is the time from
 *   sending the delivery to every socket hearing the re-plan that includes it (`plan.updated` of a
 *   new version or, when the plan came out identical, the `replan.finished` naming the current one).
 * - Rate: `--burst` new issues sent `--concurrency` at a time; events per second into tickets
 *   (every answer 201 `created`, every ticket counted in the database afterwards), then the time
 *   until the plan includes the last of them.
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { hmacSignature } from '../server/modules/intake/trackers.ts';
import { ApiClient } from '../test/utils/api-client.ts';
import { connectSocket, startServerProcess, type LiveSocket, type Proc } from '../test/utils/spawn-server.ts';
import { BENCH_SIZES, generateScenario } from '../test/fixtures/generate-scenario.ts';
import { BENCH_ADMIN, benchDatabase, benchSize, sleep, describeSize, heardReplan, load, machine, median, ms, percentile, type HeardEvent } from './bench-support.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'medium' },
    events: { type: 'string', default: '30' },
    burst: { type: 'string', default: '600' },
    concurrency: { type: 'string', default: '16' },
    sockets: { type: 'string', default: '50' },
    'timeout-s': { type: 'string', default: '60' },
    /** Profiles the server (node --cpu-prof, main and solver threads) into this directory. */
    'cpu-prof': { type: 'string' },
  },
});
const SIZE = benchSize(values.size);
const EVENTS = Number(values.events);
const BURST = Number(values.burst);
const CONCURRENCY = Number(values.concurrency);
const SOCKETS = Number(values.sockets);
const TIMEOUT_MS = Number(values['timeout-s']) * 1000;
const ADMIN = BENCH_ADMIN;
const SECRET = 'bench-github-secret-0123456789';

const require = createRequire(import.meta.url);
const webhooks = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, any>[] }[];
const opened = webhooks.find((w) => w.name === 'issues')!.examples.find((e) => e.action === 'opened')!;

const database = await benchDatabase();
const databaseUrl = database.url;
const db = new pg.Client({ connectionString: databaseUrl });
const env = { DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '100000', INTAKE_RATE_LIMIT: '1000000' };
let server: Proc | undefined;
const sockets: { socket: LiveSocket; events: HeardEvent[] }[] = [];
let drops = 0;

try {
  await db.connect();
  const one = async (q: string, params: unknown[] = []) => (await db.query(q, params)).rows[0];
  const scenario = generateScenario({ seed: 1, ...BENCH_SIZES[SIZE] });
  const quarter = scenario.quarter.id;
  const currentVersion = async () => Number((await one('select current_plan_id as v from quarters where id = $1', [quarter]))?.v ?? 0);
  const revision = async () => Number((await one('select data_revision as r from quarters where id = $1', [quarter])).r);
  const planRevision = async () => Number((await one('select p.data_revision as r from quarters q join plans p on p.id = q.current_plan_id where q.id = $1', [quarter]))?.r ?? -1);
  const planned = async (what: string) => {
    const rev = await revision();
    for (const end = Date.now() + 10 * TIMEOUT_MS; (await planRevision()) < rev; ) {
      if (Date.now() > end) throw new Error(`${what} was not planned in time`);
      await sleep(50);
    }
  };

  server = await startServerProcess(env, values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : []);
  const manager = new ApiClient(server.url);
  await manager.login(ADMIN.email, ADMIN.password);
  process.stderr.write(`importing ${describeSize(SIZE)}…\n`);
  const imported = await manager.post(`/api/quarters/${quarter}/import`, scenario);
  if (imported.status !== 200) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body).slice(0, 300)}`);
  await planned('the first plan');

  const clients = scenario.clients.slice(0, 20).map((c) => c.id);
  const source = await manager.put('/api/intake/sources/github', {
    secret: SECRET,
    clients: Object.fromEntries(clients.map((c) => [`bench/${c}`, c])),
    priorities: { bug: 2, urgent: 1 },
    defaultPriority: 4,
    estimateField: 'label:estimate:',
  });
  if (source.status !== 200) throw new Error(`connecting GitHub: ${source.status} ${JSON.stringify(source.body)}`);

  for (let i = 0; i < SOCKETS; i++) {
    const { socket } = await connectSocket(server.url, manager.cookie);
    const s = { socket, events: [] as HeardEvent[] };
    socket.onAny((event: string, payload: unknown) => s.events.push({ event, payload, t: performance.now() }));
    socket.on('disconnect', () => drops++);
    sockets.push(s);
  }

  // Deliveries as GitHub sends them: the example's body with a new issue in it, signed.
  const anon = new ApiClient(server.url);
  let issueId = 9_000_000;
  let clock = Date.parse('2026-12-01T00:00:00Z');
  let delivery = 0;
  const deliver = (issue: { id: number; number: number; estimate: number; client: string }, action: 'opened' | 'edited') => {
    const payload = structuredClone(opened);
    payload.action = action;
    payload.repository.full_name = `bench/${issue.client}`;
    Object.assign(payload.issue, {
      id: issue.id,
      number: issue.number,
      title: `Bench issue ${issue.number}`,
      body: 'Arrived from the tracker benchmark.',
      html_url: `https://github.com/bench/${issue.client}/issues/${issue.number}`,
      labels: [{ name: 'bug' }, { name: `estimate:${issue.estimate}` }],
      state: 'open',
      updated_at: new Date((clock += 1000)).toISOString(),
    });
    const raw = JSON.stringify(payload);
    return anon.request('POST', '/api/intake/github', raw, {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-github-delivery': `bench-${++delivery}`,
      'x-hub-signature-256': hmacSignature(SECRET, raw),
    });
  };
  const newIssue = (k: number) => ({ id: ++issueId, number: issueId - 9_000_000, estimate: 1 + (k % 4), client: clients[k % clients.length]! });

  // Latency: one delivery at a time.
  process.stderr.write(`${sockets.length} sockets connected; ${EVENTS} timed deliveries…\n`);
  const uptimeEvents = load();
  const latencies: number[] = [];
  const identical: number[] = [];
  const answered: number[] = [];
  let missed = 0;
  let last = newIssue(0);
  for (let i = -2; i < EVENTS; i++) {
    const edit = i >= 0 && i % 3 === 2;
    const issue = edit ? { ...last, estimate: last.estimate + 1 } : newIssue(i + 2);
    const before = await currentVersion();
    for (const s of sockets) s.events.length = 0;
    const t0 = performance.now();
    const r = await deliver(issue, edit ? 'edited' : 'opened');
    if (i >= 0) answered.push(performance.now() - t0);
    const expected = edit ? 200 : 201;
    if (r.status !== expected) throw new Error(`delivery ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    last = issue;
    const rev = await revision();
    if (i < 0) {
      await planned('a warm-up delivery');
      continue;
    }
    const arrived = new Map<number, number>();
    while (arrived.size < sockets.length && performance.now() < t0 + TIMEOUT_MS) {
      sockets.forEach((s, k) => {
        if (arrived.has(k)) return;
        const at = heardReplan(s.events, before, rev);
        if (at !== undefined) arrived.set(k, at - t0);
      });
      await sleep(5);
    }
    missed += sockets.length - arrived.size;
    const same = (await currentVersion()) === before;
    (same ? identical : latencies).push(...arrived.values());
    process.stderr.write(`  ${i + 1}/${EVENTS} ${edit ? 'edited' : 'opened'}${same ? ' (identical plan)' : ''}: p50 ${ms(median([...arrived.values()]))}\n`);
    await sleep(100);
  }

  // Rate: many new issues at once.
  process.stderr.write(`burst of ${BURST} deliveries, ${CONCURRENCY} at a time…\n`);
  const uptimeBurst = load();
  const ticketsBefore = Number((await one('select count(*) as n from tickets')).n);
  const queue = Array.from({ length: BURST }, (_, k) => newIssue(k));
  const answers = new Map<number, number>();
  const perEvent: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let issue = queue.shift(); issue; issue = queue.shift()) {
        const t = performance.now();
        const r = await deliver(issue, 'opened');
        perEvent.push(performance.now() - t);
        answers.set(r.status, (answers.get(r.status) ?? 0) + 1);
      }
    }),
  );
  const sent = performance.now() - t0;
  await planned('the burst');
  const allPlanned = performance.now() - t0;
  const created = Number((await one('select count(*) as n from tickets')).n) - ticketsBefore;

  const out = [
    `Machine: ${machine()}; PostgreSQL on 127.0.0.1; one server process (its solver worker inside) and the load generator on the same machine.`,
    `Scenario: ${describeSize(SIZE)}, seed 1; GitHub connected, 20 repositories mapped to 20 clients; ${sockets.length} manager sockets. Load average during the timed deliveries: ${uptimeEvents}; during the burst: ${uptimeBurst}.`,
    '',
    '| figure | result |',
    '|---|---|',
    `| delivery → plan.updated on every socket (${latencies.length} socket events over ${EVENTS} deliveries${identical.length ? `, ${identical.length} more where the plan came out identical` : ''}) | p50 ${ms(percentile(latencies, 50))}, **p99 ${ms(percentile(latencies, 99))}**, max ${ms(Math.max(...latencies))}; the delivery's own answer p50 ${ms(percentile(answered, 50))}, p99 ${ms(percentile(answered, 99))} |`,
    `| burst: ${BURST} new issues, ${CONCURRENCY} at a time → tickets | **${Math.round(BURST / (sent / 1000))} events/s** (${ms(sent)}); answers ${[...answers].map(([s, n]) => `${n} × ${s}`).join(', ')}; ${created} tickets created; one delivery p50 ${ms(percentile(perEvent, 50))}, p99 ${ms(percentile(perEvent, 99))} |`,
    `| burst: first delivery → plan including the last | ${ms(allPlanned)} |`,
    '',
    `Events not received within ${TIMEOUT_MS / 1000} s: ${missed}. Sockets dropped: ${drops}.`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  if (created !== BURST || missed > 0) process.exitCode = 1;
} finally {
  for (const s of sockets) s.socket.close();
  await server?.stop('SIGTERM');
  await db.end().catch(() => {});
  await database.drop();
}
