/**
 * Which statement a quarter answers with: a closed quarter's stored at its close (built from its
 * plan at close when it closed before statements were stored), an open quarter's built now from
 * its plan in force.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Statement } from '../../../shared/api/statements.ts';
import type { Quarter } from '../../db/entities.ts';
import { AppError } from '../../errors.ts';
import { currentPlan } from '../../planning/plan-store.ts';
import { buildStatements } from './statement-build.ts';
import { storedStatements } from './statement-store.ts';

async function built(em: EntityManager, quarter: Quarter, clientIds?: string[]): Promise<Statement[]> {
  const stored = await currentPlan(em, quarter);
  if (!stored) throw new AppError(404, 'no_plan', `Quarter ${quarter.id} has no plan yet; it is being planned now. Try again in a moment.`);
  return buildStatements(em, { quarter, planVersion: stored.version, plan: stored.plan, closedAt: quarter.closedAt ?? null }, clientIds);
}

/** One client's statement, or null when the client is not on record (and was not stored at close). */
export async function clientStatement(em: EntityManager, quarter: Quarter, clientId: string): Promise<Statement | null> {
  if (quarter.closedAt) {
    const [kept] = await storedStatements(em, quarter.id, clientId);
    if (kept) return kept;
  }
  return (await built(em, quarter, [clientId]))[0] ?? null;
}

/** Every client's statement of the quarter: those its plan names (stored ones for a closed quarter). */
export async function quarterStatements(em: EntityManager, quarter: Quarter): Promise<Statement[]> {
  if (quarter.closedAt) {
    const kept = await storedStatements(em, quarter.id);
    if (kept.length) return kept;
  }
  return built(em, quarter);
}
