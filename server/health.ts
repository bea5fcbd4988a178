/** GET /api/health: database reachable, current plan version, re-planning state. No sign-in needed. */
import { Router } from 'express';
import { resolveQuarter } from './planning/plan-store.ts';
import type { Services } from './services.ts';

export function healthRouter(s: Services): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    let database = { reachable: false, embedded: s.embedded };
    let plan: { quarter: string; version: number | null; behind: boolean } | null = null;
    try {
      const em = s.store.reader();
      await em.getConnection().execute('select 1');
      database = { reachable: true, embedded: s.embedded };
      const q = await resolveQuarter(em);
      if (q) {
        const rec = q.currentPlanId ? await em.getConnection().execute('select data_revision from plans where id = ?', [q.currentPlanId]) : [];
        plan = { quarter: q.id, version: q.currentPlanId ?? null, behind: !rec[0] || Number(rec[0].data_revision) < q.dataRevision };
      }
    } catch (err) {
      s.logger.warn({ err }, 'health check: database unreachable');
    }
    const queue = await s.replanner.stats().catch((err: Error) => ({ error: err.message }));
    res.status(database.reachable ? 200 : 503).json({ status: database.reachable ? 'ok' : 'unavailable', database, plan, queue });
  });
  return router;
}
