/**
 * Re-planning as jobs on a PostgreSQL-backed queue (pg-boss), for servers sharing one database:
 * - the queue is "stately" with the quarter as singleton key: at most one job waiting and one
 *   running per quarter across every instance, so a burst of changes collapses into one job and
 *   one quarter is solved by one worker at a time;
 * - a job whose worker dies is retried: at once when a process starts again on its host, else
 *   when it expires, JOB_EXPIRE_SECONDS after the last heartbeat of its worker (job-worker.ts);
 *   committing a plan is idempotent per data revision (plan-store.commitPlan), so a retried job
 *   still yields exactly one new version;
 * - the database may go away (restart, connections cut): a change that could not be queued is
 *   queued again when it answers, and nothing here ends the process;
 * - pg-boss polls every 500 ms at best, so the worker in this process is woken directly when a
 *   change lands here.
 */
import type pg from 'pg';
import { PgBoss } from './pg-boss.ts';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { faultTolerantPool } from '../db/pg-pool.ts';
import type { EventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import { JobWorker } from './job-worker.ts';
import { QuietWindow, staleQuarters } from './quiet-window.ts';
import { replanQuarter, warmUp, type ReplanDeps, type ReplanStats, type Replanner } from './replanner.ts';
import type { SolverPool } from './solver-pool.ts';

export const REPLAN_QUEUE = 'replan';
/** A change that could not be queued (the database away) is queued again this much later. */
const SEND_RETRY_MS = 1_000;

interface JobData {
  quarterId: string;
  reason: string;
}

export interface QueueOptions {
  connectionString: string;
  /** Work the queue in this process (API instances by default; a stand-alone worker always). */
  work: boolean;
  debounceMs: number;
  /** Seconds before a job whose worker vanished is given to another worker. */
  expireInSeconds?: number;
  maintenanceIntervalSeconds?: number;
}

export class QueueReplanner implements Replanner {
  private readonly boss: PgBoss;
  /** Claims and heartbeats of the jobs this process works on. */
  private readonly pool: pg.Pool;
  private readonly window: QuietWindow;
  private sending = new Set<Promise<unknown>>();
  private running = new Set<string>();
  private worker: JobWorker<JobData> | null = null;
  private lastError: string | null = null;
  private solves = 0;
  private closed = false;

  constructor(
    private readonly deps: ReplanDeps,
    private readonly opts: QueueOptions,
  ) {
    this.boss = new PgBoss({
      connectionString: opts.connectionString,
      max: 4,
      application_name: 'hourglass-queue',
      maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 5,
      monitorStateIntervalSeconds: 60,
      schedule: false,
    });
    this.pool = faultTolerantPool({ connectionString: opts.connectionString, max: 2, application_name: 'hourglass-jobs' }, deps.logger, 'job queue');
    this.window = new QuietWindow(opts.debounceMs, (q) => this.enqueue(q));
    this.boss.on('error', (err: Error & { constraint?: string; code?: string }) => {
      // A second job for a quarter cannot start while one runs (the stately index says no):
      // that is the queue doing its job, not a fault.
      if (err.constraint === 'job_i3' || /job_i3/.test(err.message)) return;
      // Only code and message: a pool's error carries its client, and the client its settings.
      deps.logger.warn({ code: err.code, message: err.message }, 'job queue error');
    });
  }

  async start(): Promise<void> {
    const expireInSeconds = this.opts.expireInSeconds ?? 30;
    await this.boss.start();
    await this.boss.createQueue(REPLAN_QUEUE, {
      name: REPLAN_QUEUE,
      policy: 'stately',
      retryLimit: 3,
      retryDelay: 1,
      expireInSeconds,
    });
    if (this.opts.work) {
      this.worker = new JobWorker<JobData>(this.boss, this.pool, { queue: REPLAN_QUEUE, expireInSeconds, pollingMs: 500, logger: this.deps.logger }, async (job) => {
        this.running.add(job.data.quarterId);
        try {
          await replanQuarter(this.deps, job.data.quarterId, job.data.reason, job.id);
          this.solves++;
          this.lastError = null;
        } catch (e) {
          this.lastError = (e as Error).message;
          this.deps.logger.error({ err: e, quarterId: job.data.quarterId }, 're-plan failed; the previous plan stays current (the job will be retried)');
          throw e;
        } finally {
          this.running.delete(job.data.quarterId);
        }
      });
      await this.worker.start();
    }
  }

  markDirty(quarterIds: string[], reason: string): void {
    if (this.closed) return;
    for (const q of quarterIds) this.window.note(q, reason);
  }

  private enqueue(quarterId: string): void {
    const reason = this.window.take(quarterId);
    const p = this.boss
      .send(REPLAN_QUEUE, { quarterId, reason } satisfies JobData, { singletonKey: quarterId })
      .then(() => this.worker?.wake())
      .catch((err: Error & { code?: string }) => {
        this.deps.logger.warn({ code: err.code, message: err.message, quarterId }, 'could not queue a re-plan; trying again shortly');
        if (!this.closed) setTimeout(() => this.markDirty([quarterId], reason), SEND_RETRY_MS).unref();
      });
    this.sending.add(p);
    void p.finally(() => this.sending.delete(p));
  }

  async catchUp(): Promise<void> {
    const stale = await staleQuarters(this.deps.orm.em.fork() as EntityManager);
    this.markDirty(stale, 'start-up');
    if (this.opts.work) void warmUp(this.deps, stale);
  }

  private async counts(): Promise<{ queued: number; active: number }> {
    const { rows } = await this.boss
      .getDb()
      .executeSql(`select state, count(*)::int as n from pgboss.job where name = $1 and state in ('created', 'retry', 'active') group by state`, [REPLAN_QUEUE]);
    const by = Object.fromEntries(rows.map((r: { state: string; n: number }) => [r.state, r.n]));
    return { queued: (by.created ?? 0) + (by.retry ?? 0), active: by.active ?? 0 };
  }

  async idle(): Promise<void> {
    for (;;) {
      if (this.window.waiting.length === 0 && this.sending.size === 0) {
        const { queued, active } = await this.counts();
        if (queued === 0 && active === 0) return;
        this.worker?.wake();
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stats(): Promise<ReplanStats> {
    const { queued, active } = await this.counts();
    return { backend: 'pg-boss', running: [...this.running], waiting: this.window.waiting, queued, active, lastError: this.lastError, solves: this.solves };
  }

  async close(): Promise<void> {
    this.closed = true;
    // Changes still in their quiet window go to the queue now, so another instance plans them.
    for (const q of this.window.close()) this.enqueue(q);
    await Promise.allSettled([...this.sending]);
    // Finishes the job in hand (or hands it back on timeout) before closing the connections.
    await this.worker?.stop(20_000);
    await this.boss.stop({ graceful: true, wait: true, timeout: 5_000 });
    await this.pool.end();
  }
}
