/**
 * Takes jobs from a pg-boss queue one at a time, in place of pg-boss 10's `work()`, so that:
 * - a job whose process was killed runs again as soon as a process starts on its host: each job is
 *   claimed (job, host, pid) in the transaction that takes it, and a starting worker fails the
 *   jobs claimed on its host by a process that no longer runs (its own previous run, say), so
 *   pg-boss retries them at once instead of after their expiry. pg-boss 10 does not record which
 *   worker holds a job. A job of a live process is never touched: its pid still runs. A process
 *   that never comes back (or a host that changed its name) is still retried on expiry;
 * - a long solve or commit keeps its job: while it runs, a heartbeat moves the job's expiry
 *   `expireInSeconds` ahead (pg-boss 10 has no heartbeat, and `work()` fails a job whose handler
 *   outlasts its expiry while the handler goes on), so a second worker never takes a change the
 *   first is still working on, and a dead worker's job is retried `expireInSeconds` after its last beat;
 * - database faults never end the process or strand a job: `work()` completes and fails jobs
 *   without awaiting them (an unhandled rejection while the database is away); here both are
 *   retried until the database answers.
 * The claims live in a small table of their own, next to pg-boss's schema, created here as pg-boss
 * creates its own.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { PgBoss } from './pg-boss.ts';
import type { Logger } from '../logger.ts';

const HOST = hostname();
const SETTLE_RETRY_MS = 500;
/** A job held longer than this stops beating and expires: a commit stuck on a dead connection must not hold its quarter for ever. */
const MAX_HELD_SECONDS = 15 * 60;

export interface Job<T> {
  id: string;
  data: T;
}

export interface JobWorkerOptions {
  queue: string;
  /** The queue's expiry: a job that stops beating is retried this long after its last beat. */
  expireInSeconds: number;
  pollingMs: number;
  logger: Logger;
}

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class JobWorker<T> {
  private stopping = false;
  private wakeUp: (() => void) | null = null;
  /** A wake-up that came while a job was being taken or worked on: look again without pausing. */
  private woken = false;
  private loop: Promise<void> | null = null;
  private inHand: { job: Job<T>; done: Promise<void> } | null = null;
  private faultLogged = false;

  constructor(
    private readonly boss: PgBoss,
    private readonly pool: pg.Pool,
    private readonly opts: JobWorkerOptions,
    private readonly handler: (job: Job<T>) => Promise<void>,
  ) {}

  async start(): Promise<void> {
    await this.transaction(async (client) => {
      // Instances start together: one creates the table, the others wait for it.
      await client.query(`select pg_advisory_xact_lock(hashtext('job_claims'))`);
      await client.query(`create table if not exists job_claims (
        job_id uuid primary key, queue text not null, host text not null, pid integer not null, claimed_at timestamptz not null default now())`);
    });
    await this.handBackOrphans();
    this.loop = this.run();
  }

  /** Looks for a job now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops taking jobs; waits up to `timeoutMs` for the one in hand, else hands it back to the queue. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.wake();
    const stopped = await Promise.race([(this.loop ?? Promise.resolve()).then(() => true), sleep(timeoutMs, false, { ref: false })]);
    const held = this.inHand;
    if (!stopped && held) await this.boss.fail(this.opts.queue, held.job.id, { message: 'its worker shut down while it ran' }).catch(() => {});
  }

  /** Jobs claimed on this host by a process that no longer runs go back to the queue. */
  private async handBackOrphans(): Promise<void> {
    const { rows } = await this.pool.query<{ job_id: string; pid: number }>(
      `select c.job_id, c.pid from job_claims c join pgboss.job j on j.id = c.job_id and j.name = c.queue and j.state = 'active' where c.queue = $1 and c.host = $2`,
      [this.opts.queue, HOST],
    );
    // A claim under our own pid is a previous run's: one pid is one live process.
    const orphans = rows.filter((r) => r.pid === process.pid || !running(r.pid)).map((r) => r.job_id);
    for (const id of orphans) await this.boss.fail(this.opts.queue, id, { message: 'its process ended while it ran (handed back when a worker started on its host)' });
    if (orphans.length > 0) this.opts.logger.info({ jobs: orphans }, 'handed back the jobs of a process that ended while running them');
    await this.pool.query(`delete from job_claims c where not exists (select 1 from pgboss.job j where j.id = c.job_id and j.state = 'active')`);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      let job: Job<T> | null = null;
      let failed = false;
      try {
        job = await this.take();
        this.faultLogged = false;
      } catch (err) {
        failed = true;
        this.fault('could not take a job', err);
      }
      if (job) {
        const done = this.work(job);
        this.inHand = { job, done };
        await done;
        this.inHand = null;
        continue;
      }
      // While the database is away, poll at the usual pace however often we are woken.
      if (this.woken && !failed) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.pollingMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  /** The next job, claimed in the same transaction that makes it active. */
  private take(): Promise<Job<T> | null> {
    return this.transaction(async (client) => {
      const db = { executeSql: (text: string, values: unknown[]) => client.query(text, values) };
      const [job] = await this.boss.fetch<T>(this.opts.queue, { batchSize: 1, db });
      if (!job) return null;
      // A retried job keeps its id: the claim moves to its new holder.
      await client.query(
        `insert into job_claims (job_id, queue, host, pid) values ($1, $2, $3, $4)
         on conflict (job_id) do update set host = excluded.host, pid = excluded.pid, claimed_at = now()`,
        [job.id, this.opts.queue, HOST, process.pid],
      );
      return { id: job.id, data: job.data };
    });
  }

  private async work(job: Job<T>): Promise<void> {
    const started = Date.now();
    const beatMs = Math.max(1_000, Math.min(10_000, (this.opts.expireInSeconds * 1000) / 3));
    const heartbeat = setInterval(() => {
      if (Date.now() - started > MAX_HELD_SECONDS * 1000) return clearInterval(heartbeat);
      void this.beat(job);
    }, beatMs);
    try {
      let failure: Error | null = null;
      try {
        await this.handler(job);
      } catch (err) {
        failure = err as Error;
      }
      await this.settle(job, failure);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async beat(job: Job<T>): Promise<void> {
    try {
      const { rowCount } = await this.pool.query(
        `update pgboss.job set expire_in = (now() - started_on) + make_interval(secs => $3) where name = $1 and id = $2 and state = 'active'`,
        [this.opts.queue, job.id, this.opts.expireInSeconds],
      );
      if (rowCount === 0) this.opts.logger.warn({ jobId: job.id }, 'a job in hand is no longer active (it expired while the database was away?); its plan still commits once');
    } catch (err) {
      this.fault('could not extend a job in hand', err);
    }
  }

  /** Completes or fails the job, retrying while the database is away (the heartbeat keeps it meanwhile). */
  private async settle(job: Job<T>, failure: Error | null): Promise<void> {
    const until = Date.now() + this.opts.expireInSeconds * 1000;
    for (;;) {
      try {
        if (failure) await this.boss.fail(this.opts.queue, job.id, { message: failure.message });
        else await this.boss.complete(this.opts.queue, job.id, {});
        break;
      } catch (err) {
        this.fault('could not record the end of a job; retrying', err);
        // Past this, the job expires and is retried; re-planning an up-to-date quarter is a no-op.
        if (Date.now() > until || this.stopping) return;
        await sleep(SETTLE_RETRY_MS);
      }
    }
    await this.pool.query('delete from job_claims where job_id = $1 and host = $2 and pid = $3', [job.id, HOST, process.pid]).catch(() => {});
  }

  private async transaction<R>(fn: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (err) {
      broken = err as Error;
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** A database fault is logged once until the next success, not on every poll. */
  private fault(what: string, err: unknown): void {
    if (this.faultLogged) return;
    this.faultLogged = true;
    this.opts.logger.warn({ code: (err as { code?: string })?.code, message: (err as Error)?.message }, `job queue: ${what}`);
  }
}
