/**
 * GET /api/health: `{ status: "ok" }` (200) or `{ status: "down" }` (503) for anyone, so a load
 * balancer or a monitor needs no sign-in. Managers also get the details: the database, the current
 * plan version and the re-planning queue, which tell an outsider more than they need to know.
 */
import { Router } from 'express';
import { resolveQuarter } from './planning/plan-store.ts';
import { errorSummary } from './logger.ts';
import type { Services } from './services.ts';

export function healthRouter(s: Services): Router {
  const router = Router();
  router.get('/', async (req, res) => {
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
      if (!database.reachable) s.logger.warn({ err }, 'health check: database unreachable');
      else s.logger.warn({ err }, 'health check: could not read the current plan');
    }
    const status = database.reachable ? 'ok' : 'down';
    res.status(database.reachable ? 200 : 503);
    if (req.viewer?.role !== 'manager') {
      res.json({ status });
      return;
    }
    const queue = await s.replanner.stats().catch((err: unknown) => ({ error: errorSummary(err) }));
    res.json({ status, database, plan, queue });
  });
  return router;
}
