/**
 * Per-quarter quiet windows: changes to a quarter within `ms` of the first are handled once, with
 * every reason that asked for it. Shared by the in-process and the queue-backed re-planners.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Quarter } from '../db/entities.ts';
import { currentPlan } from './plan-store.ts';

export class QuietWindow {
  private timers = new Map<string, NodeJS.Timeout>();
  private reasons = new Map<string, Set<string>>();

  constructor(
    private readonly ms: number,
    private readonly fire: (quarterId: string) => void,
  ) {}

  /** Remembers why the quarter needs planning; `open` also starts its window if none is open. */
  note(quarterId: string, reason: string, open = true): void {
    let r = this.reasons.get(quarterId);
    if (!r) this.reasons.set(quarterId, (r = new Set()));
    r.add(reason);
    if (!open || this.timers.has(quarterId)) return;
    this.timers.set(
      quarterId,
      setTimeout(() => {
        this.timers.delete(quarterId);
        this.fire(quarterId);
      }, this.ms),
    );
  }

  /** The reasons gathered for a quarter, cleared. */
  take(quarterId: string): string {
    const r = [...(this.reasons.get(quarterId) ?? [])].join(', ');
    this.reasons.delete(quarterId);
    return r;
  }

  get waiting(): string[] {
    return [...this.timers.keys()];
  }

  /** Closes every open window now; returns the quarters that were waiting. */
  close(): string[] {
    const waiting = this.waiting;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    return waiting;
  }
}

/** Open quarters whose data moved past their current plan (for example after a crash). */
export async function staleQuarters(em: EntityManager): Promise<string[]> {
  const stale: string[] = [];
  for (const q of await em.find(Quarter, { closedAt: null })) {
    const plan = await currentPlan(em, q);
    if (!plan || plan.dataRevision < q.dataRevision) stale.push(q.id);
  }
  return stale;
}
