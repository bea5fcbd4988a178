/**
 * What the API and live benchmarks share: the size option, percentiles, the machine and its load,
 * resident memory of a process, and how much room plans take in the database.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { BENCH_SIZES } from '../test/fixtures/generate-scenario.ts';
import { createTestDatabase, dropTestDatabase } from '../test/utils/test-app.ts';

export type BenchSize = keyof typeof BENCH_SIZES;

export function benchSize(value: string | undefined): BenchSize {
  const size = (value ?? 'medium') as BenchSize;
  if (!(size in BENCH_SIZES)) throw new Error(`--size must be one of ${Object.keys(BENCH_SIZES).join(', ')}`);
  return size;
}

export const describeSize = (size: BenchSize) => {
  const b = BENCH_SIZES[size];
  return `${size} (${b.staff} staff / ${b.clients} clients / ${b.tickets} tickets)`;
};

export const percentile = (xs: number[], p: number) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))]!);
export const median = (xs: number[]) => percentile(xs, 50);
export const ms = (x: number) => (Number.isFinite(x) ? (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`) : '–');
export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MB`;

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** The load averages, as `uptime` prints them. */
export const load = () => os.loadavg().map((x) => x.toFixed(2)).join(', ');

/** Resident memory of a process (Linux), in bytes; 0 once it is gone. */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the resident memory of some processes every `everyMs`; `mark()` starts a new phase. */
export class RssSampler {
  private timer: NodeJS.Timeout;
  private phase = 'start';
  readonly max = new Map<string, Map<number, number>>();

  constructor(
    private readonly pids: number[],
    everyMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  mark(phase: string): void {
    this.phase = phase;
    this.sample();
  }

  private sample(): void {
    let byPid = this.max.get(this.phase);
    if (!byPid) this.max.set(this.phase, (byPid = new Map()));
    for (const pid of this.pids) byPid.set(pid, Math.max(byPid.get(pid) ?? 0, rssOf(pid)));
  }

  /** The largest sample of each process in a phase. */
  peak(phase: string): number[] {
    const byPid = this.max.get(phase);
    return this.pids.map((pid) => byPid?.get(pid) ?? 0);
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

export interface DbRoom {
  database: number;
  plans: number;
  allocations: number;
  staffTickets: number;
  versions: number;
}

/** Bytes the database and the plan tables take (with their TOAST and indexes), and the plan versions kept. */
export async function dbRoom(url: string): Promise<DbRoom> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select pg_database_size(current_database())::float8 as database, pg_total_relation_size('plans')::float8 as plans,
        pg_total_relation_size('allocations')::float8 as allocations, pg_total_relation_size('staff_tickets')::float8 as staff_tickets,
        (select count(*) from plans)::int as versions`,
    );
    const r = rows[0];
    return { database: r.database, plans: r.plans, allocations: r.allocations, staffTickets: r.staff_tickets, versions: r.versions };
  } finally {
    await client.end();
  }
}

/** Growth per plan version between two readings, in bytes (NaN when no version was made). */
export function growthPerVersion(before: DbRoom, after: DbRoom): { database: number; tables: number; versions: number } {
  const versions = after.versions - before.versions;
  const tables = after.plans + after.allocations + after.staffTickets - (before.plans + before.allocations + before.staffTickets);
  return { versions, database: versions > 0 ? (after.database - before.database) / versions : NaN, tables: versions > 0 ? tables / versions : NaN };
}

/** The quarter's data revision: a change is planned once a re-plan has started from at least it. */
export async function dataRevision(url: string, quarterId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('select data_revision from quarters where id = $1', [quarterId]);
    return Number(rows[0]?.data_revision ?? 0);
  } finally {
    await client.end();
  }
}

/** Where a re-plan's time went, from the server's "plan committed" log line (absent before the commit-path work). */
export interface ReplanTimings {
  version: number;
  identical?: boolean;
  revision?: number;
  ms?: Record<string, number>;
}

/** The "plan committed" lines in a stream of pino JSON lines. */
export function committedLines(text: string): ReplanTimings[] {
  const out: ReplanTimings[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"plan committed"')) continue;
    try {
      const j = JSON.parse(line);
      out.push({ version: j.version, identical: j.identical, revision: j.revision, ms: j.ms });
    } catch {
      /* a line cut in two by the pipe: skipped */
    }
  }
  return out;
}

/** Median of each phase over several re-plans, as "snapshot 40 ms, solve 300 ms, …". */
export function phaseMedians(lines: ReplanTimings[]): string {
  const phases = new Map<string, number[]>();
  for (const l of lines) for (const [k, v] of Object.entries(l.ms ?? {})) phases.set(k, [...(phases.get(k) ?? []), v]);
  return [...phases].map(([k, xs]) => `${k} ${ms(median(xs))}`).join(', ');
}

/** A socket event as a benchmark heard it, at `t` (performance.now()). */
export interface HeardEvent {
  event: string;
  payload: any;
  t: number;
}

/**
 * When a socket heard the re-plan of a change made at data revision `rev` while plan version
 * `before` was current: the `plan.updated` of a newer version or, for a plan that came out
 * identical (no version is made), the `replan.finished` of a job started at `rev` or later that
 * names `before`.
 */
export function heardReplan(events: HeardEvent[], before: number, rev: number): number | undefined {
  const updated = events.find((e) => e.event === 'plan.updated' && e.payload.version > before);
  if (updated) return updated.t;
  const started = events.find((e) => e.event === 'replan.started' && e.payload.revision >= rev);
  const finished = started && events.find((e) => e.event === 'replan.finished' && e.payload.jobId === started.payload.jobId && e.payload.version === before);
  return finished?.t;
}

/** The first manager the benchmarks' servers create (ADMIN_EMAIL, ADMIN_PASSWORD). */
export const BENCH_ADMIN = { email: 'bench-admin@hourglass.local', password: 'bench-password-1' };
export const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** DATABASE_URL, or a throwaway database on 127.0.0.1:5432 that `drop()` removes. */
export async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, drop: async () => {} };
  const url = await createTestDatabase();
  return { url, drop: () => dropTestDatabase(url) };
}
