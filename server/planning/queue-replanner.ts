/**
 * Re-planning as jobs on a PostgreSQL-backed queue (pg-boss), for servers sharing one database:
 * - the queue is "stately" with the quarter as singleton key: at most one job waiting and one
 *   running per quarter across every instance, so a burst of changes collapses into one job and
 *   one quarter is solved by one worker at a time;
 * - a job whose worker dies expires and is retried; committing a plan is idempotent per data
 *   revision (plan-store.commitPlan), so a retried job still yields exactly one new version;
 * - pg-boss polls every 500 ms at best, so the worker in this process is woken directly when a
 *   change lands here.
 */
import { PgBoss } from './pg-boss.ts';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import { QuietWindow, staleQuarters } from './quiet-window.ts';
import { replanQuarter, type ReplanDeps, type ReplanStats, type Replanner } from './replanner.ts';
import type { SolverPool } from './solver-pool.ts';

export const REPLAN_QUEUE = 'replan';

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
  private readonly window: QuietWindow;
  private sending = new Set<Promise<unknown>>();
  private running = new Set<string>();
  private workerId: string | null = null;
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
    this.window = new QuietWindow(opts.debounceMs, (q) => this.enqueue(q));
    this.boss.on('error', (err: Error & { constraint?: string }) => {
      // A second job for a quarter cannot start while one runs (the stately index says no):
      // that is the queue doing its job, not a fault.
      if (err.constraint === 'job_i3' || /job_i3/.test(err.message)) return;
      deps.logger.warn({ err }, 'job queue error');
    });
  }

  async start(): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(REPLAN_QUEUE, {
      name: REPLAN_QUEUE,
      policy: 'stately',
      retryLimit: 3,
      retryDelay: 1,
      expireInSeconds: this.opts.expireInSeconds ?? 30,
    });
    if (this.opts.work) {
      this.workerId = await this.boss.work<JobData>(REPLAN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        if (!job) return;
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
      .then(() => {
        if (this.workerId) this.boss.notifyWorker(this.workerId);
      })
      .catch((err: Error) => this.deps.logger.error({ err, quarterId }, 'could not queue a re-plan'));
    this.sending.add(p);
    void p.finally(() => this.sending.delete(p));
  }

  async catchUp(): Promise<void> {
    this.markDirty(await staleQuarters(this.deps.orm.em.fork() as EntityManager), 'start-up');
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
        if (this.workerId) this.boss.notifyWorker(this.workerId);
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
    await this.boss.stop({ graceful: true, wait: true, timeout: 20_000 });
  }
}
