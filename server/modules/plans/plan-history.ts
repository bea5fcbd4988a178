/**
 * GET /api/plans/history: a quarter's plan versions, newest first, each with the audited changes
 * it is the first to include: those whose revision of the quarter (audit_revisions, written by
 * store.ts) is after the version before it and up to its own data revision.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { HISTORY_CHANGES, type PlanHistoryPage, type PlanHistoryQuery } from '../../../shared/api/plans.ts';
import { AuditEntry, PlanRecord, type Quarter } from '../../db/entities.ts';
import { auditJson } from '../audit/audit-json.ts';
import { decodeCursor, pageOf } from '../paging.ts';

export async function planHistory(em: EntityManager, quarter: Quarter, q: PlanHistoryQuery): Promise<PlanHistoryPage> {
  const after = decodeCursor('plan-history', q.cursor, 'number');
  const fields = ['id', 'createdAt', 'solveMs', 'trigger', 'dataRevision'] as const;
  const where = { quarterId: quarter.id, ...(after === undefined ? {} : { id: { $lt: after } }) };
  // One more than the page, and the one before its last: the oldest shown needs its predecessor's revision.
  const fetched = await em.find(PlanRecord, where, { orderBy: { id: 'desc' }, limit: q.limit + 2, fields: [...fields] });
  const total = await em.count(PlanRecord, { quarterId: quarter.id });
  const page = pageOf('plan-history', fetched.slice(0, q.limit + 1), q, total, (v) => v.id);
  const fromOf = (i: number) => fetched[i + 1]?.dataRevision ?? null;

  const items = page.items;
  const low = Math.min(...items.map((v, i) => fromOf(i) ?? 0));
  const high = Math.max(...items.map((v) => v.dataRevision));
  const links = items.length
    ? await em.execute<{ audit_id: number; data_revision: number }[]>(
        'select audit_id, data_revision from audit_revisions where quarter_id = ? and data_revision > ? and data_revision <= ? order by audit_id desc',
        [quarter.id, low, high],
      )
    : [];
  const per = items.map((v, i) => {
    const from = fromOf(i) ?? Number.NEGATIVE_INFINITY;
    const ids = links.filter((l) => Number(l.data_revision) > from && Number(l.data_revision) <= v.dataRevision).map((l) => Number(l.audit_id));
    return { count: ids.length, shown: ids.slice(0, HISTORY_CHANGES) };
  });
  const wanted = [...new Set(per.flatMap((p) => p.shown))];
  const rows = wanted.length ? await em.find(AuditEntry, { id: { $in: wanted } }) : [];
  const json = new Map((await auditJson(em, rows)).map((r) => [r.id, r]));
  return {
    quarter: quarter.id,
    current: quarter.currentPlanId ?? null,
    total: page.total,
    nextCursor: page.nextCursor,
    items: items.map((v, i) => ({
      version: v.id,
      createdAt: v.createdAt.toISOString(),
      solveMs: v.solveMs,
      trigger: v.trigger,
      dataRevision: v.dataRevision,
      fromRevision: fromOf(i),
      changes: per[i]!.shown.map((id) => json.get(id)!).filter(Boolean),
      changeCount: per[i]!.count,
    })),
  };
}
