/**
 * npm run bench:live [-- --size medium|large|xl --sockets 200 --changes 20 --burst 300 --warmup 1 --logs DIR --cpu-prof DIR]
 *
 * Two server processes on one PostgreSQL database (DATABASE_URL, which should name a fresh
 * database, or a throwaway database on 127.0.0.1:5432), a generated scenario (seed 1), and 200
 * signed-in sockets spread over both instances: managers, staff and clients. The scenario is
 * imported through a third server first, so the two start on a planned quarter as instances do in
 * production, and their solver threads warm up on it before anything is timed.
 * - Timed changes, one at a time through instance A (after `--warmup` untimed ones, 1 by default): two of every three a ticket's estimate + 1 h
 *   (moves the plan), the third its title (leaves the plan as it was). The figure is the time from
 *   sending the change to each socket hearing the re-plan that includes it: the `plan.updated` of
 *   the new version, or, for a plan that came out identical (no version is made), the
 *   `replan.finished` naming the current version. Re-plan (a pg-boss job), commit, and the emit
 *   crossing instances through PostgreSQL, all included. Where the server's time went comes from
 *   its "plan committed" log lines (absent before the commit-path work).
 * - A burst: `--burst` changes sent back to back through instance A while every socket's dashboard
 *   fetches the current plan after each `plan.updated`; the servers' resident memory is sampled
 *   throughout, and the database's growth per version measured.
 * Sockets that disconnect are counted (none should).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ApiClient } from '../test/utils/api-client.ts';
import { connectSocket, startServerProcess, type LiveSocket, type Proc } from '../test/utils/spawn-server.ts';
import { BENCH_SIZES, generateScenario } from '../test/fixtures/generate-scenario.ts';
import { BENCH_ADMIN, benchDatabase, benchSize, sleep, committedLines, heardReplan, type HeardEvent, dbRoom, describeSize, growthPerVersion, load, machine, mb, median, ms, percentile, phaseMedians, RssSampler } from './bench-support.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'medium' },
    sockets: { type: 'string', default: '200' },
    changes: { type: 'string', default: '20' },
    burst: { type: 'string', default: '0' },
    warmup: { type: 'string', default: '1' },
    'timeout-s': { type: 'string', default: '60' },
    /** Writes each server's log here at the end (a.log, b.log), for its 'plan committed' lines. */
    logs: { type: 'string' },
    /** Profiles both servers (node --cpu-prof, main and solver threads) into this directory. */
    'cpu-prof': { type: 'string' },
  },
});
const SIZE = benchSize(values.size);
const SOCKETS = Number(values.sockets);
const CHANGES = Number(values.changes);
const BURST = Number(values.burst);
const WARMUP = Number(values.warmup);
const TIMEOUT_MS = Number(values['timeout-s']) * 1000;
const ADMIN = BENCH_ADMIN;
const PASSWORD = 'bench-live-passphrase';

const database = await benchDatabase();
const databaseUrl = database.url;
const db = new pg.Client({ connectionString: databaseUrl });
// LOG_LEVEL info: the "plan committed" lines carry where a re-plan's time went.
const env = { DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'info', LOGIN_RATE_LIMIT: '100000' };
const procs: Proc[] = [];
interface Sock {
  socket: LiveSocket;
  role: string;
  client: ApiClient;
  events: HeardEvent[];
}
const sockets: Sock[] = [];
let drops = 0;

try {
  await db.connect();
  const one = async (q: string, params: unknown[] = []) => (await db.query(q, params)).rows[0];
  const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  const scenario = generateScenario({ seed: 1, ...BENCH_SIZES[SIZE] });
  const quarter = scenario.quarter.id;
  const currentVersion = async () => Number((await one('select current_plan_id as v from quarters where id = $1', [quarter]))?.v ?? 0);
  const revision = async () => Number((await one('select data_revision as r from quarters where id = $1', [quarter])).r);
  /** The revision the current plan includes. */
  const planRevision = async () => Number((await one('select p.data_revision as r from quarters q join plans p on p.id = q.current_plan_id where q.id = $1', [quarter]))?.r ?? -1);

  // The quarter is imported through a server of its own; then the two instances start on it, as
  // they would in production, and each solver thread warms up on it as it starts (replanner.ts).
  const importer = await startServerProcess(env);
  try {
    const admin = new ApiClient(importer.url);
    await admin.login(ADMIN.email, ADMIN.password);
    process.stderr.write(`importing ${describeSize(SIZE)}…\n`);
    const imported = await admin.post(`/api/quarters/${quarter}/import`, scenario);
    if (imported.status !== 200) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body).slice(0, 300)}`);
    for (const end = Date.now() + 10 * TIMEOUT_MS; (await planRevision()) < (await revision()); ) {
      if (Date.now() > end) throw new Error('the first plan did not arrive');
      await sleep(200);
    }
  } finally {
    await importer.stop('SIGTERM');
  }
  procs.push(await startServerProcess(env, nodeArgs), await startServerProcess(env, nodeArgs));
  const [a, b] = procs as [Proc, Proc];
  const rss = new RssSampler(procs.map((p) => p.child.pid!));
  const manager = new ApiClient(a.url);
  await manager.login(ADMIN.email, ADMIN.password);
  for (const end = Date.now() + TIMEOUT_MS; !procs.every((p) => p.output().includes('"solver warmed up"')); ) {
    if (Date.now() > end) {
      process.stderr.write('a solver thread did not say it warmed up: its first solve runs cold\n');
      break;
    }
    await sleep(100);
  }
  rss.mark('sockets');

  // Sign-ins: 2 managers, 10 staff, 30 clients; sockets spread over both instances.
  process.stderr.write('creating users and connecting sockets…\n');
  const people: { email: string; role: string }[] = [];
  const add = async (role: string, link: Record<string, string>) => {
    const email = `${role}-${people.length}@bench.local`;
    const r = await manager.post('/api/users', { email, password: PASSWORD, role, ...link });
    if (r.status !== 201) throw new Error(`could not create ${email}: ${JSON.stringify(r.body)}`);
    people.push({ email, role });
  };
  for (let i = 0; i < 2; i++) await add('manager', {});
  for (const st of scenario.staff.slice(0, 10)) await add('staff', { staffId: st.id });
  for (const c of scenario.clients.slice(0, 30)) await add('client', { clientId: c.id });
  const cookies = new Map<string, string>();
  for (const p of people) {
    const c = new ApiClient(a.url);
    await c.login(p.email, PASSWORD);
    cookies.set(p.email, c.cookie);
  }
  for (let i = 0; i < SOCKETS; i++) {
    const p = people[i % people.length]!;
    const url = i % 2 === 0 ? a.url : b.url;
    const { socket } = await connectSocket(url, cookies.get(p.email)!);
    const client = new ApiClient(url);
    client.cookie = cookies.get(p.email)!;
    const sock: Sock = { socket, role: p.role, client, events: [] };
    socket.onAny((event: string, payload: unknown) => sock.events.push({ event, payload, t: performance.now() }));
    socket.on('disconnect', () => drops++);
    sockets.push(sock);
  }


  // Untimed changes first: the solver threads' first solves run cold (their code not yet optimized).
  const tickets = scenario.tickets.filter((t) => t.status !== 'closed');
  for (let i = 0; i < WARMUP; i++) {
    const t = tickets.at(-1 - i)!;
    const current = (await manager.get(`/api/tickets/${t.id}`)).body;
    const r = await manager.patch(`/api/tickets/${t.id}`, { version: current.version, estimateHours: current.estimateHours + 1 });
    if (r.status !== 200) throw new Error(`warm-up PATCH ${t.id}: ${r.status} ${JSON.stringify(r.body)}`);
    const rev = await revision();
    for (const end = Date.now() + TIMEOUT_MS; (await planRevision()) < rev; ) {
      if (Date.now() > end) throw new Error('the warm-up change was not planned in time');
      await sleep(50);
    }
  }

  process.stderr.write(`${sockets.length} sockets connected; ${CHANGES} changes…\n`);
  rss.mark('changes');
  const uptimeChanges = load();
  const latencies: number[] = [];
  const identicalLatencies: number[] = [];
  const byRole = new Map<string, number[]>();
  const revisions: number[] = [];
  let missed = 0;
  for (let i = 0; i < CHANGES; i++) {
    const t = tickets[i % tickets.length]!;
    const title = i % 3 === 2;
    const before = await currentVersion();
    const current = (await manager.get(`/api/tickets/${t.id}`)).body;
    for (const s of sockets) s.events.length = 0;
    const t0 = performance.now();
    const r = await manager.patch(`/api/tickets/${t.id}`, title ? { version: current.version, title: `${current.title} (renamed ${i})` } : { version: current.version, estimateHours: current.estimateHours + 1 });
    if (r.status !== 200) throw new Error(`PATCH ${t.id}: ${r.status} ${JSON.stringify(r.body)}`);
    const rev = await revision();
    revisions.push(rev);
    const arrived = new Map<number, number>();
    const deadline = t0 + TIMEOUT_MS;
    while (arrived.size < sockets.length && performance.now() < deadline) {
      sockets.forEach((s, k) => {
        if (arrived.has(k)) return;
        const at = heardReplan(s.events, before, rev);
        if (at !== undefined) arrived.set(k, at - t0);
      });
      await sleep(5);
    }
    missed += sockets.length - arrived.size;
    const identical = (await currentVersion()) === before;
    for (const [k, x] of arrived) {
      (identical ? identicalLatencies : latencies).push(x);
      const role = sockets[k]!.role;
      if (!identical) byRole.set(role, [...(byRole.get(role) ?? []), x]);
    }
    // Which instance planned it, and where its time went (the rest: the PATCH, the queue, the emit reaching every socket).
    const by = procs.map((p) => committedLines(p.output()).find((l) => l.revision === rev));
    const k = by.findIndex((l) => l?.ms);
    const where = k < 0 ? '' : ` [${'AB'[k]}: ${Object.entries(by[k]!.ms!).map(([p, x]) => `${p} ${Math.round(x)}`).join(', ')}]`;
    process.stderr.write(`  ${i + 1}/${CHANGES}${identical ? ' (identical)' : ''}: p50 ${ms(median([...arrived.values()]))}, max ${ms(Math.max(...arrived.values()))}${where}\n`);
    await sleep(100);
  }
  const lines = committedLines(procs.map((p) => p.output()).join('\n')).filter((l) => l.revision !== undefined && revisions.includes(l.revision));

  // The burst: changes back to back, every dashboard fetching the plan after each plan.updated.
  let burstLine = '';
  if (BURST > 0) {
    process.stderr.write(`burst of ${BURST} changes…\n`);
    rss.mark('burst');
    const uptimeBurst = load();
    const roomBefore = await dbRoom(databaseUrl);
    let fetching = Promise.resolve();
    let fetches = 0;
    let fetchErrors = 0;
    const watcher = sockets[0]!.socket;
    let queued = false;
    const refetch = () => {
      // The dashboards refetch, 16 at once; versions that land during a round are fetched by one more round.
      if (queued) return;
      queued = true;
      fetching = fetching.then(async () => {
        queued = false;
        const queue = [...sockets];
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            for (let s = queue.shift(); s; s = queue.shift()) {
              const res = await s.client.get('/api/plans/current').catch(() => null);
              fetches++;
              if (res?.status !== 200) fetchErrors++;
            }
          }),
        );
      });
    };
    watcher.on('plan.updated', refetch);
    const t0 = performance.now();
    const versions = new Map<string, number>();
    for (let i = 0; i < BURST; i++) {
      const t = tickets[i % 40]!;
      let version = versions.get(t.id);
      if (version === undefined) version = (await manager.get(`/api/tickets/${t.id}`)).body.version as number;
      const round = Math.floor(i / 40);
      const body = i % 3 === 2 ? { version, title: `${t.title} (burst ${i})` } : { version, estimateHours: t.estimateHours + (round % 2 === 0 ? 0.25 : 0) };
      const r = await manager.patch(`/api/tickets/${t.id}`, body);
      if (r.status !== 200) throw new Error(`burst PATCH ${t.id}: ${r.status} ${JSON.stringify(r.body)}`);
      versions.set(t.id, r.body.version);
    }
    const sent = performance.now() - t0;
    const last = await revision();
    for (const end = Date.now() + 10 * TIMEOUT_MS; (await planRevision()) < last; ) {
      if (Date.now() > end) throw new Error('the burst was not planned in time');
      await sleep(100);
    }
    const planned = performance.now() - t0;
    await sleep(1000);
    await fetching;
    watcher.off('plan.updated', refetch);
    const roomAfter = await dbRoom(databaseUrl);
    const growth = growthPerVersion(roomBefore, roomAfter);
    const burstCommits = committedLines(procs.map((p) => p.output()).join('\n')).filter((l) => l.revision !== undefined && l.revision > Math.max(...revisions));
    const [peakA, peakB] = rss.peak('burst');
    const [baseA, baseB] = rss.peak('changes');
    burstLine = [
      `| burst: ${BURST} changes through A (${Math.round(BURST / (sent / 1000))} changes/s), ${fetches} plan fetches by the dashboards (${fetchErrors} failed); load average ${uptimeBurst} | sent in ${ms(sent)}, all planned after ${ms(planned)}; ${growth.versions} versions made${burstCommits.some((l) => l.identical !== undefined) ? `, ${burstCommits.filter((l) => l.identical).length} re-plans found the plan identical` : ''} |`,
      `| server resident memory, peak (target < 1 GB at xl) | A ${mb(peakA!)}, B ${mb(peakB!)} in the burst (${mb(baseA!)}, ${mb(baseB!)} during the timed changes) |`,
      `| database growth per version (burst) | ${mb(growth.database)} (database), ${mb(growth.tables)} (plans, allocations, staff_tickets) over ${growth.versions} versions |`,
    ].join('\n');
  }
  rss.stop();

  const out = [
    `Machine: ${machine()}; PostgreSQL on 127.0.0.1; two server processes (each with its solver worker) and the load generator on the same machine.`,
    `Scenario: ${describeSize(SIZE)}, seed 1; ${sockets.length} sockets (${[...new Set(sockets.map((s) => s.role))].map((r) => `${sockets.filter((s) => s.role === r).length} ${r}`).join(', ')}), half on each instance; ${CHANGES} ticket changes through instance A, after ${WARMUP} untimed. Load average during the changes: ${uptimeChanges}.`,
    '',
    '| audience | events | p50 | p99 | max |',
    '|---|---|---|---|---|',
    ...[...byRole].map(([role, xs]) => `| ${role} | ${xs.length} | ${ms(percentile(xs, 50))} | ${ms(percentile(xs, 99))} | ${ms(Math.max(...xs))} |`),
    `| all, plan moved: change → plan.updated | ${latencies.length} | ${ms(percentile(latencies, 50))} | **${ms(percentile(latencies, 99))}** | ${ms(Math.max(...latencies))} |`,
    ...(identicalLatencies.length > 0
      ? [`| all, plan identical: change → replan.finished | ${identicalLatencies.length} | ${ms(percentile(identicalLatencies, 50))} | ${ms(percentile(identicalLatencies, 99))} | ${ms(Math.max(...identicalLatencies))} |`]
      : []),
    '',
    `Events not received within ${TIMEOUT_MS / 1000} s: ${missed}. Sockets dropped: ${drops}.`,
    lines.some((l) => l.ms) ? `Server time per re-plan (medians over ${lines.length}): ${phaseMedians(lines)}.` : '',
    ...(burstLine ? ['', '| burst | result |', '|---|---|', burstLine] : []),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  for (const s of sockets) s.socket.close();
  await Promise.all(procs.map((p) => p.stop('SIGTERM')));
  if (values.logs) {
    mkdirSync(values.logs, { recursive: true });
    procs.forEach((p, k) => writeFileSync(join(values.logs!, `${'ab'[k]}.log`), p.output()));
  }
  await db.end().catch(() => {});
  await database.drop();
}
