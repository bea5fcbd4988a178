/**
 * GET /api/plans/current[?quarter=ID]   the current plan, cut down to the caller
 * GET /api/plans?quarter=ID             versions of a quarter's plan (managers)
 * GET /api/plans/:version               one version, cut down to the caller
 * GET /api/plans/:version/diff[?against=N]  what moved between two versions (managers)
 */
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { PlanDiffQuery, PlanQuery, PlanVersionParam, type PlanDiffResponse, type PlanVersions } from '../../../shared/api/plans.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { PlanRecord } from '../../db/entities.ts';
import { AppError, notFound, parse } from '../../errors.ts';
import { diffPlans } from '../../planning/plan-diff.ts';
import { currentPlan, loadPlan, resolveQuarter, type StoredPlan } from '../../planning/plan-store.ts';
import type { Services } from '../../services.ts';
import { viewPlan } from './plan-view.ts';

/**
 * A plan version never changes, so its view for an audience is serialized once and served with an
 * ETag: a dashboard polling an unchanged plan gets 304 and no body.
 */
const serialized = new Map<string, string>();
const SERIALIZED_MAX = 64;

function sendPlanView(s: Services, req: Request, res: Response, stored: StoredPlan): void {
  const v = viewer(req);
  const audience = v.role === 'manager' ? 'manager' : v.role === 'staff' ? `staff:${v.staffId}` : `client:${v.clientId}`;
  const key = `${s.orm.config.get('clientUrl')}|${stored.version}|${audience}`;
  const etag = `W/"plan-${stored.version}-${createHash('sha1').update(audience).digest('hex').slice(0, 12)}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  let body = serialized.get(key);
  if (!body) {
    body = JSON.stringify(viewPlan(stored.plan, stored.version, v, stored.createdAt));
    serialized.set(key, body);
    if (serialized.size > SERIALIZED_MAX) serialized.delete(serialized.keys().next().value!);
  }
  res.type('application/json').send(body);
}

export function plansRouter(s: Services): Router {
  const router = Router();
  router.use(requireAuth);

  router.get('/current', async (req, res) => {
    const { quarter: quarterId } = parse(PlanQuery, req.query);
    const em = s.store.reader();
    const quarter = await resolveQuarter(em, quarterId);
    if (!quarter) throw notFound(quarterId ? `Quarter ${quarterId}` : 'Quarter (none has been created yet: a manager imports one with POST /api/quarters/:id/import)');
    const stored = await currentPlan(em, quarter);
    if (!stored) throw new AppError(404, 'no_plan', `Quarter ${quarter.id} has no plan yet; it is being planned now. Try again in a moment.`);
    sendPlanView(s, req, res, stored);
  });

  router.get('/', requireRole('manager'), async (req, res) => {
    const { quarter: quarterId } = parse(PlanQuery, req.query);
    const em = s.store.reader();
    const quarter = await resolveQuarter(em, quarterId);
    if (!quarter) throw notFound(`Quarter ${quarterId ?? ''}`.trim());
    const versions = await em.find(PlanRecord, { quarterId: quarter.id }, { orderBy: { id: 'desc' }, limit: 200, fields: ['id', 'createdAt', 'solveMs', 'trigger', 'dataRevision'] });
    res.json({
      quarter: quarter.id,
      current: quarter.currentPlanId ?? null,
      versions: versions.map((v) => ({ version: v.id, createdAt: v.createdAt.toISOString(), solveMs: v.solveMs, trigger: v.trigger, dataRevision: v.dataRevision })),
    } satisfies PlanVersions);
  });

  router.get('/:version', async (req, res) => {
    const { version } = parse(PlanVersionParam, req.params);
    const stored = await loadPlan(s.store.reader(), version);
    if (!stored) throw notFound(`Plan version ${version}`);
    sendPlanView(s, req, res, stored);
  });

  router.get('/:version/diff', requireRole('manager'), async (req, res) => {
    const { version } = parse(PlanVersionParam, req.params);
    const { against } = parse(PlanDiffQuery, req.query);
    const em = s.store.reader();
    const to = await loadPlan(em, version);
    if (!to) throw notFound(`Plan version ${version}`);
    let fromVersion = against;
    if (!fromVersion) {
      const prev = await em.findOne(PlanRecord, { quarterId: to.quarterId, id: { $lt: version } }, { orderBy: { id: 'desc' }, fields: ['id'] });
      fromVersion = prev?.id;
    }
    const from = fromVersion ? await loadPlan(em, fromVersion) : null;
    if (fromVersion && !from) throw notFound(`Plan version ${fromVersion}`);
    res.json({ from: from?.version ?? null, to: to.version, ...diffPlans(from?.plan ?? null, to.plan) } satisfies PlanDiffResponse);
  });

  return router;
}
