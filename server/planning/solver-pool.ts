/**
 * Runs the planner in worker threads. A solve that does not answer within the time limit has its
 * worker terminated and replaced, so a stuck solve can never hold up re-planning.
 */
import { Worker } from 'node:worker_threads';
import type { Plan, PolicyInput } from '../../solver/index.ts';
import { ScenarioError } from '../../solver/index.ts';
import type { PackedSolve, SolveRequest, SolveResponse } from './solve-worker.ts';

export type { PackedSolve } from './solve-worker.ts';

interface SolveOptions {
  policy?: PolicyInput;
  onProgress?: (p: { week: number; weeks: number }) => void;
}

interface Pending {
  resolve: (answer: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (p: { week: number; weeks: number }) => void;
  timer: NodeJS.Timeout;
  worker: Slot;
}

interface Slot {
  worker: Worker;
  busy: number | null;
}

export class SolveTimeoutError extends Error {}

export class SolverPool {
  private slots: Slot[] = [];
  private queue: (() => void)[] = [];
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size = 1,
    private readonly timeoutMs = 120_000,
    private readonly delayMs = 0,
  ) {}

  /** The plan itself (what-if answers). */
  solve(scenario: unknown, opts: SolveOptions = {}): Promise<Plan> {
    return this.run<Plan>(scenario, opts, false);
  }

  /** The plan ready to commit: serialized and compressed in the worker, with its hash and digest. */
  solvePacked(scenario: unknown, opts: SolveOptions = {}): Promise<PackedSolve> {
    return this.run<PackedSolve>(scenario, opts, true);
  }

  private run<T>(scenario: unknown, opts: SolveOptions, pack: boolean): Promise<T> {
    if (this.closed) return Promise.reject(new Error('solver pool is closed'));
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        const slot = this.freeSlot();
        const id = this.nextId++;
        slot.busy = id;
        const timer = setTimeout(() => this.fail(id, new SolveTimeoutError(`the planner did not finish within ${this.timeoutMs / 1000} s`), true), this.timeoutMs);
        this.pending.set(id, { resolve: resolve as (answer: unknown) => void, reject, onProgress: opts.onProgress, timer, worker: slot });
        slot.worker.postMessage({ id, scenario, policy: opts.policy, pack, delayMs: this.delayMs } satisfies SolveRequest);
      };
      if (this.hasFreeSlot()) start();
      else this.queue.push(start);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [id] of this.pending) this.fail(id, new Error('solver pool closed'), false);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }

  private hasFreeSlot(): boolean {
    return this.slots.some((s) => s.busy === null) || this.slots.length < this.size;
  }

  private freeSlot(): Slot {
    const free = this.slots.find((s) => s.busy === null);
    if (free) return free;
    const slot = this.spawn();
    this.slots.push(slot);
    return slot;
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./solve-worker-entry.mjs', import.meta.url));
    const slot: Slot = { worker, busy: null };
    worker.unref();
    worker.on('message', (msg: SolveResponse) => this.onMessage(msg));
    worker.on('error', (err) => {
      if (slot.busy !== null) this.fail(slot.busy, err, true);
    });
    worker.on('exit', () => {
      this.slots = this.slots.filter((s) => s !== slot);
      if (slot.busy !== null) this.fail(slot.busy, new Error('solver worker exited'), false);
    });
    return slot;
  }

  private onMessage(msg: SolveResponse): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.({ week: msg.week, weeks: msg.weeks });
      return;
    }
    this.settle(msg.id);
    if (msg.type === 'done') p.resolve(msg.plan);
    else if (msg.type === 'packed') p.resolve(msg.solved);
    else p.reject(msg.scenarioIssues ? new ScenarioError(msg.scenarioIssues) : new Error(msg.message));
  }

  private fail(id: number, err: Error, terminate: boolean): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.settle(id);
    if (terminate) {
      this.slots = this.slots.filter((s) => s !== p.worker);
      p.worker.busy = null;
      void p.worker.worker.terminate();
    }
    p.reject(err);
  }

  private settle(id: number): void {
    const p = this.pending.get(id)!;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.worker.busy = null;
    const next = this.queue.shift();
    if (next && !this.closed) next();
  }
}
