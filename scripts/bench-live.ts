/**
 * npm run bench:live [-- --sockets 200 --changes 20]
 *
 * Two server processes on one PostgreSQL database (DATABASE_URL, or a throwaway database on
 * 127.0.0.1:5432), the medium generated scenario, and 200 signed-in sockets spread over both
 * instances: managers, staff and clients. Each change is a ticket PATCH through instance A; the
 * figure is the time from sending it to each socket receiving the `plan.updated` of the plan that
 * includes it (re-plan included), p50 and p99 over every socket and change.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ApiClient } from '../test/utils/api-client.ts';
import { connectSocket, startServerProcess, type LiveSocket, type Proc } from '../test/utils/spawn-server.ts';
import { createTestDatabase, dropTestDatabase } from '../test/utils/test-app.ts';
import { BENCH_SIZES, generateScenario } from '../test/fixtures/generate-scenario.ts';

const { values } = parseArgs({ options: { sockets: { type: 'string', default: '200' }, changes: { type: 'string', default: '20' } } });
const SOCKETS = Number(values.sockets);
const CHANGES = Number(values.changes);
const ADMIN = { email: 'bench-admin@hourglass.local', password: 'bench-password-1' };
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

const ownDb = !process.env.DATABASE_URL;
const databaseUrl = process.env.DATABASE_URL ?? (await createTestDatabase());
const env = { DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'error', LOGIN_RATE_LIMIT: '100000' };
const procs: Proc[] = [];
const sockets: { socket: LiveSocket; role: string; events: { event: string; payload: any }[] }[] = [];

try {
  procs.push(await startServerProcess(env), await startServerProcess(env));
  const [a, b] = procs as [Proc, Proc];
  const manager = new ApiClient(a.url);
  await manager.login(ADMIN.email, ADMIN.password);
  const scenario = generateScenario({ seed: 1, ...BENCH_SIZES.medium });
  const quarter = scenario.quarter.id;
  await manager.post(`/api/quarters/${quarter}/import`, scenario);
  for (let i = 0; (await manager.get('/api/plans/current')).status !== 200; i++) {
    if (i > 300) throw new Error('the first plan did not arrive');
    await new Promise((r) => setTimeout(r, 100));
  }

  // Sign-ins: 2 managers, 10 staff, 30 clients; sockets spread over both instances.
  process.stderr.write('creating users and connecting sockets…\n');
  const people: { email: string; role: string }[] = [];
  const add = async (role: string, link: Record<string, string>) => {
    const email = `${role}-${people.length}@bench.local`;
    const r = await manager.post('/api/users', { email, password: 'bench-live-passphrase', role, ...link });
    if (r.status !== 201) throw new Error(`could not create ${email}: ${JSON.stringify(r.body)}`);
    people.push({ email, role });
  };
  for (let i = 0; i < 2; i++) await add('manager', {});
  for (const st of scenario.staff.slice(0, 10)) await add('staff', { staffId: st.id });
  for (const c of scenario.clients.slice(0, 30)) await add('client', { clientId: c.id });
  const cookies = new Map<string, string>();
  for (const p of people) {
    const c = new ApiClient(a.url);
    await c.login(p.email, 'bench-live-passphrase');
    cookies.set(p.email, c.cookie);
  }
  for (let i = 0; i < SOCKETS; i++) {
    const p = people[i % people.length]!;
    const s = await connectSocket(i % 2 === 0 ? a.url : b.url, cookies.get(p.email)!);
    sockets.push({ ...s, role: p.role });
  }

  process.stderr.write(`${sockets.length} sockets connected; ${CHANGES} changes…\n`);
  const latencies: number[] = [];
  const byRole = new Map<string, number[]>();
  let missed = 0;
  const tickets = scenario.tickets.filter((t) => t.status !== 'closed').slice(0, CHANGES);
  for (const t of tickets) {
    const before = (await manager.get('/api/plans/current')).body.version as number;
    const current = (await manager.get(`/api/tickets/${t.id}`)).body;
    for (const s of sockets) s.events.length = 0;
    const t0 = performance.now();
    const r = await manager.patch(`/api/tickets/${t.id}`, { version: current.version, estimateHours: current.estimateHours + 1 });
    if (r.status !== 200) throw new Error(`PATCH ${t.id}: ${r.status} ${JSON.stringify(r.body)}`);
    const arrived = new Map<number, number>();
    const deadline = t0 + 10_000;
    while (arrived.size < sockets.length && performance.now() < deadline) {
      sockets.forEach((s, i) => {
        if (arrived.has(i)) return;
        if (s.events.some((e) => e.event === 'plan.updated' && e.payload.version > before)) arrived.set(i, performance.now() - t0);
      });
      await new Promise((res) => setTimeout(res, 2));
    }
    missed += sockets.length - arrived.size;
    for (const [i, ms] of arrived) {
      latencies.push(ms);
      const role = sockets[i]!.role;
      byRole.set(role, [...(byRole.get(role) ?? []), ms]);
    }
    await new Promise((res) => setTimeout(res, 100));
  }

  const ms = (x: number) => `${Math.round(x)} ms`;
  const lines = [
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; PostgreSQL on 127.0.0.1; two server processes (each with its solver worker) and the load generator on the same machine.`,
    `Scenario: medium (${BENCH_SIZES.medium.staff} staff / ${BENCH_SIZES.medium.clients} clients / ${BENCH_SIZES.medium.tickets} tickets), seed 1; ${sockets.length} sockets (${[...byRole.keys()].map((r) => `${sockets.filter((s) => s.role === r).length} ${r}`).join(', ')}), half on each instance; ${tickets.length} ticket changes through instance A.`,
    '',
    '| audience | events | p50 | p99 | max |',
    '|---|---|---|---|---|',
    ...[...byRole].map(([role, xs]) => `| ${role} | ${xs.length} | ${ms(percentile(xs, 50))} | ${ms(percentile(xs, 99))} | ${ms(Math.max(...xs))} |`),
    `| all (target p99 < 1 s) | ${latencies.length} | ${ms(percentile(latencies, 50))} | **${ms(percentile(latencies, 99))}** | ${ms(Math.max(...latencies))} |`,
    '',
    `Events not received within 10 s: ${missed}.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  for (const s of sockets) s.socket.close();
  await Promise.all(procs.map((p) => p.stop('SIGTERM')));
  if (ownDb) await dropTestDatabase(databaseUrl);
}
