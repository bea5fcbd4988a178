/** Plan versions in the database: read the current one, commit a new one. */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Plan } from '../../solver/index.ts';
import { AllocationRecord, PlanRecord, Quarter } from '../db/entities.ts';

export interface StoredPlan {
  version: number;
  quarterId: string;
  dataRevision: number;
  createdAt: Date;
  plan: Plan;
}

/** The latest open quarter (else the latest), or the one asked for. */
export async function resolveQuarter(em: EntityManager, quarterId?: string): Promise<Quarter | null> {
  if (quarterId) return em.findOne(Quarter, { id: quarterId });
  return (
    (await em.findOne(Quarter, { closedAt: null }, { orderBy: { createdAt: 'desc', id: 'desc' } })) ??
    // MikroORM refuses findOne with an empty filter: the latest of any quarter, by a limited find.
    (await em.find(Quarter, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 1 }))[0] ??
    null
  );
}

/**
 * Plan versions never change once committed, so each process keeps the latest few in memory:
 * reading the current plan is then one small query for the quarter's current version.
 */
const cache = new Map<string, StoredPlan>();
const CACHE_SIZE = 8;

export async function loadPlan(em: EntityManager, version: number): Promise<StoredPlan | null> {
  // Keyed by database too: tests run several apps, each on its own database, in one process.
  const key = `${em.config.get('clientUrl')}|${version}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const rec = await em.findOne(PlanRecord, { id: version });
  if (!rec) return null;
  const stored = { version: rec.id, quarterId: rec.quarterId, dataRevision: rec.dataRevision, createdAt: rec.createdAt, plan: rec.body as unknown as Plan };
  cache.set(key, stored);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return stored;
}

export async function currentPlan(em: EntityManager, quarter: Quarter): Promise<StoredPlan | null> {
  return quarter.currentPlanId ? loadPlan(em, quarter.currentPlanId) : null;
}

/**
 * Commits a plan solved from `dataRevision` as the quarter's current plan, in one transaction
 * with its allocations and the staff-ticket pairs it plans. A plan older than the current one is
 * dropped (returns null). Only the latest `keep` versions of the quarter are kept.
 */
export async function commitPlan(
  em: EntityManager,
  quarterId: string,
  dataRevision: number,
  plan: Plan,
  trigger: string,
  keep = 500,
): Promise<{ version: number; previousVersion: number | null } | null> {
  return em.transactional(async (tx) => {
    const quarter = await tx.findOne(Quarter, { id: quarterId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!quarter) return null;
    const previousVersion = quarter.currentPlanId ?? null;
    if (previousVersion) {
      const prev = await tx.findOne(PlanRecord, { id: previousVersion }, { fields: ['dataRevision'] });
      if (prev && prev.dataRevision >= dataRevision) return null;
    }
    const rec = tx.create(PlanRecord, { quarterId, dataRevision, body: plan as unknown as Record<string, unknown>, solveMs: plan.stats.solveMs, trigger });
    await tx.flush();
    if (plan.allocations.length > 0) {
      await tx.insertMany(
        AllocationRecord,
        plan.allocations.map((a) => ({ planId: rec.id, week: a.week, staffId: a.staff, clientId: a.client, ticketId: a.ticket, hours: a.hours, level: a.level })),
      );
      // Who was planned on what stays known when this version is pruned: staff log hours on
      // any ticket a version of this quarter planned them on (modules/tickets/ticket-access.ts).
      await tx.execute('insert into staff_tickets (staff_id, ticket_id, quarter_id) select distinct staff_id, ticket_id, ? from allocations where plan_id = ? on conflict do nothing', [
        quarterId,
        rec.id,
      ]);
    }
    // Plain SQL: pointing at a new plan must not bump the quarter's optimistic-lock version.
    await tx.execute('update quarters set current_plan_id = ? where id = ?', [rec.id, quarterId]);
    // Plans are re-made on every change: keep the latest `keep` versions (their allocations go too).
    await tx.execute(
      'delete from plans where quarter_id = ? and id < (select min(id) from (select id from plans where quarter_id = ? order by id desc limit ?) as kept)',
      [quarterId, quarterId, keep],
    );
    return { version: rec.id, previousVersion };
  });
}
