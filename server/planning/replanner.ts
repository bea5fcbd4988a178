/**
 * Keeps every quarter's current plan true. A change marks its quarter dirty; after a short quiet
 * window one solve runs for all the changes of the burst. Changes that land during a solve make
 * exactly one more solve afterwards. Until a new plan commits, the previous one stays current.
 *
 * On start, quarters whose data moved past their current plan (a crash mid re-plan) are planned.
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { Quarter } from '../db/entities.ts';
import type { EventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import { exportScenario } from '../modules/quarters/scenario-io.ts';
import { audiencesOf, changesOf, diffDigests } from './plan-diff.ts';
import { commitPlan, currentPlan, planDigest, resolveQuarter } from './plan-store.ts';
import { QuietWindow, staleQuarters } from './quiet-window.ts';
import type { PackedSolve, SolverPool } from './solver-pool.ts';

/** What solving and committing a quarter needs. */
export interface ReplanDeps {
  orm: MikroORM;
  pool: SolverPool;
  events: EventBus;
  logger: Logger;
  /** Plan versions kept per quarter (the current one always is); older ones are deleted. */
  planHistory?: number;
}

/** The least time between two `replan.progress` events of one re-plan. */
export const PROGRESS_MS = 250;

export interface ReplanResult {
  version: number;
  solveMs: number;
  /** The plan came out as the current version's: no version was made (its data revision moved on). */
  identical: boolean;
}

/**
 * Reads a quarter, solves it, commits the plan and announces it. Shared by every job runner.
 *
 * The solver thread hands back the plan stored-ready (serialized and compressed, with its hash and
 * digest: solve-worker.ts), so the main thread's part is reading the snapshot, one INSERT and a
 * diff of two digests. A plan identical to the current version makes no version and no
 * `plan.updated`: `replan.finished` names the current version (shared/socket-events.ts).
 * The "plan committed" log line says where the time went (ms: snapshot, solve — in the solver
 * thread: plan, serialize, compress, digest — commit, diff, emit).
 */
export async function replanQuarter(
  deps: ReplanDeps,
  quarterId: string,
  trigger: string,
  jobId: string = randomUUID(),
): Promise<ReplanResult | null> {
  const t0 = performance.now();
  const em = deps.orm.em.fork() as EntityManager;
  // Read revision and data in one snapshot, so the plan is labelled with what it really solved.
  const snapshot = await em.transactional(
    async (tx) => {
      const quarter = await tx.findOne(Quarter, { id: quarterId });
      if (!quarter || quarter.closedAt) return null;
      return { revision: quarter.dataRevision, scenario: await exportScenario(tx, quarterId), previous: await currentPlan(tx, quarter) };
    },
    { isolationLevel: 'repeatable read' as never, readOnly: true },
  );
  if (!snapshot) return null;
  if (snapshot.previous && snapshot.previous.dataRevision >= snapshot.revision) return null;
  const tSnapshot = performance.now();
  deps.events.emit('replan.started', { quarterId, jobId, revision: snapshot.revision });
  let solved: PackedSolve;
  // Progress at most every PROGRESS_MS: a week takes milliseconds at 10,000 tickets, and each
  // progress event is a write to every socket on every instance while the solver needs the CPU.
  let lastProgress = -Infinity;
  try {
    solved = await deps.pool.solvePacked(snapshot.scenario, {
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastProgress < PROGRESS_MS) return;
        lastProgress = now;
        deps.events.emit('replan.progress', { quarterId, jobId, week: p.week, weeks: p.weeks });
      },
    });
  } catch (e) {
    deps.events.emit('replan.failed', { quarterId, jobId, message: (e as Error).message });
    throw e;
  }
  const tSolve = performance.now();
  const previous = snapshot.previous ? { version: snapshot.previous.version, digest: await planDigest(em, snapshot.previous.version, snapshot.previous) } : null;
  const tPrevious = performance.now();
  const committed = await commitPlan(deps.orm.em.fork() as EntityManager, quarterId, snapshot.revision, solved, trigger, deps.planHistory, previous);
  const tCommit = performance.now();
  if (!committed) return null;
  const solveMs = solved.stats.solveMs;
  let tDiff = tCommit;
  if (!committed.identical) {
    // Against the version really replaced: the one the solve started from, unless another landed meanwhile.
    const before =
      committed.previousVersion === null ? null : committed.previousVersion === previous?.version ? previous.digest : await planDigest(em, committed.previousVersion);
    const diff = diffDigests(before, solved.digest);
    const audiences = audiencesOf(before, solved.digest, diff);
    tDiff = performance.now();
    deps.events.emit('replan.finished', { quarterId, jobId, version: committed.version, solveMs });
    deps.events.emit('plan.updated', { quarterId, version: committed.version, previousVersion: committed.previousVersion, changes: changesOf(diff), audiences, at: new Date().toISOString() });
  } else {
    deps.events.emit('replan.finished', { quarterId, jobId, version: committed.version, solveMs });
  }
  const tEmit = performance.now();
  const round = (x: number) => Math.round(x * 10) / 10;
  const ms = {
    snapshot: tSnapshot - t0,
    solve: tSolve - tSnapshot,
    plan: solved.ms.plan,
    serialize: solved.ms.serialize,
    compress: solved.ms.compress,
    digest: solved.ms.digest,
    commit: tCommit - tSolve,
    diff: tDiff - tCommit + (tPrevious - tSolve),
    emit: tEmit - tDiff,
  };
  deps.logger.info(
    {
      quarterId,
      version: committed.version,
      revision: snapshot.revision,
      identical: committed.identical,
      solveMs,
      trigger,
      bytes: solved.packed.byteLength,
      jsonBytes: solved.jsonBytes,
      ms: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, round(v)])),
    },
    'plan committed',
  );
  return { version: committed.version, solveMs, identical: committed.identical };
}

/**
 * A solver thread's first solves run cold (V8 has not optimized the planner yet): at 10,000
 * tickets the first took about twice as long as later ones, so the first change an instance
 * planned after it started was its slowest. A process that works re-plans therefore solves the
 * latest open quarter once when it starts, if its plan is current (a stale quarter is being
 * re-planned anyway), and throws the plan away. Real solves queue behind it in the pool.
 */
export async function warmUp(deps: ReplanDeps, stale: string[]): Promise<void> {
  const t0 = performance.now();
  try {
    const em = deps.orm.em.fork() as EntityManager;
    const scenario = await em.transactional(
      async (tx) => {
        const quarter = await resolveQuarter(tx);
        if (!quarter || quarter.closedAt || stale.includes(quarter.id) || !quarter.currentPlanId) return null;
        return exportScenario(tx, quarter.id);
      },
      { isolationLevel: 'repeatable read' as never, readOnly: true },
    );
    if (!scenario) return;
    await deps.pool.solvePacked(scenario);
    deps.logger.info({ quarterId: scenario.quarter.id, tickets: scenario.tickets.length, ms: Math.round(performance.now() - t0) }, 'solver warmed up');
  } catch (err) {
    // Closing while it ran, or the database away: the first real solve just runs cold.
    deps.logger.debug({ message: (err as Error).message }, 'solver warm-up skipped');
  }
}

export interface ReplanStats {
  backend: 'in-process' | 'pg-boss';
  /** Quarters being solved by this process. */
  running: string[];
  /** Quarters waiting for their quiet window in this process. */
  waiting: string[];
  /** Jobs queued and active across all instances (pg-boss only). */
  queued?: number;
  active?: number;
  lastError: string | null;
  solves: number;
}

export interface Replanner {
  /** The quarters' data changed: plan them soon. */
  markDirty(quarterIds: string[], reason: string): void;
  /** Plans every quarter whose data is ahead of its current plan. */
  catchUp(): Promise<void>;
  /** Resolves when nothing is waiting or running (tests, graceful shutdown). */
  idle(): Promise<void>;
  stats(): Promise<ReplanStats>;
  close(): Promise<void>;
}

export class InProcessReplanner implements Replanner {
  private readonly window: QuietWindow;
  private running = new Map<string, Promise<void>>();
  private again = new Set<string>();
  private lastError: string | null = null;
  private solves = 0;
  private closed = false;

  constructor(
    private readonly deps: ReplanDeps,
    private readonly debounceMs: number,
  ) {
    this.window = new QuietWindow(debounceMs, (q) => this.run(q));
  }

  markDirty(quarterIds: string[], reason: string): void {
    if (this.closed) return;
    for (const q of quarterIds) {
      // A change during a solve makes exactly one more solve after it.
      if (this.running.has(q)) this.again.add(q);
      this.window.note(q, reason, !this.running.has(q));
    }
  }

  async catchUp(): Promise<void> {
    const stale = await staleQuarters(this.deps.orm.em.fork() as EntityManager);
    if (stale.length > 0) {
      this.deps.logger.info({ quarters: stale }, 'planning quarters whose plan is behind their data');
      this.markDirty(stale, 'start-up');
    }
    void warmUp(this.deps, stale);
  }

  private run(q: string): void {
    const job = (async () => {
      do {
        this.again.delete(q);
        try {
          await replanQuarter(this.deps, q, this.window.take(q));
          this.solves++;
          this.lastError = null;
        } catch (e) {
          this.lastError = (e as Error).message;
          this.deps.logger.error({ err: e, quarterId: q }, 're-plan failed; the previous plan stays current');
        }
      } while (this.again.has(q) && !this.closed);
    })();
    this.running.set(q, job);
    void job.finally(() => this.running.delete(q));
  }

  async idle(): Promise<void> {
    for (;;) {
      if (this.window.waiting.length === 0 && this.running.size === 0) return;
      await Promise.all([...this.running.values()]);
      if (this.window.waiting.length > 0) await new Promise((r) => setTimeout(r, this.debounceMs + 5));
    }
  }

  async stats(): Promise<ReplanStats> {
    return { backend: 'in-process', running: [...this.running.keys()], waiting: this.window.waiting, lastError: this.lastError, solves: this.solves };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.window.close();
    await Promise.allSettled([...this.running.values()]);
  }
}
