/**
 * GET /api/plans/current[?quarter=ID]   the current plan, cut down to the caller
 * GET /api/plans/current/summary?quarter=   the manager's first screen: weeks, staff, clients, the queue's first page (managers)
 * GET /api/plans/current/allocations?quarter=&week=&staff=&client=&ticket=&limit=&cursor=   allocations by page, cut down to the caller
 * GET /api/plans/current/tickets?quarter=&client=&staff=&state=&status=&limit=&cursor=   the ticket queue by page, cut down to the caller
 * GET /api/plans/current/clients/:id?quarter=   one client in full, cut down to the caller
 * GET /api/plans?quarter=ID             versions of a quarter's plan (managers)
 * GET /api/plans/history?quarter=&limit=&cursor=   versions with the changes each first includes (managers)
 * GET /api/plans/:version               one version, cut down to the caller
 * GET /api/plans/:version/diff[?against=N]  what moved between two versions (managers)
 *
 * Plan answers are served as bytes made once per version, audience and question, compressed by
 * Accept-Encoding (plan-bodies.ts), with an ETag (304 when the caller has it).
 */
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { AllocationPageQuery, ClientDetailParam, PlanDiffQuery, PlanHistoryQuery, PlanQuery, PlanVersionParam, PlanViewQuery, TicketPlanPageQuery, type PlanDiffResponse, type PlanVersions } from '../../../shared/api/plans.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { PlanRecord } from '../../db/entities.ts';
import { AppError, notFound, parse } from '../../errors.ts';
import { diffPlans } from '../../planning/plan-diff.ts';
import { currentPlan, loadPlan, resolveQuarter, type StoredPlan } from '../../planning/plan-store.ts';
import type { Services } from '../../services.ts';
import { PlanBodies, planEtag } from './plan-bodies.ts';
import { planHistory } from './plan-history.ts';
import { PlanPages, scopeOf } from './plan-pages.ts';
import { viewPlan } from './plan-view.ts';

/** The quarter's plan in force, or the 404 that says why there is none. */
async function currentStored(s: Services, quarterId: string | undefined): Promise<StoredPlan> {
  const em = s.store.reader();
  const quarter = await resolveQuarter(em, quarterId);
  if (!quarter) throw notFound(quarterId ? `Quarter ${quarterId}` : 'Quarter (none has been created yet: a manager imports one with POST /api/quarters/:id/import)');
  const stored = await currentPlan(em, quarter);
  if (!stored) throw new AppError(404, 'no_plan', `Quarter ${quarter.id} has no plan yet; it is being planned now. Try again in a moment.`);
  return stored;
}

/** What a question asks, in one string whatever the order of its query (keys sorted, undefined left out). */
const asked = (q: Record<string, unknown>) => JSON.stringify(Object.keys(q).sort().filter((k) => q[k] !== undefined && k !== 'quarter').map((k) => [k, q[k]]));

export function plansRouter(s: Services): Router {
  const router = Router();
  const bodies = new PlanBodies();
  const pages = new PlanPages(() => s.store.reader());
  router.use(requireAuth);

  /** A version's whole plan for the caller: its ETag as it always was. */
  function sendPlanView(req: Request, res: Response, stored: StoredPlan): Promise<void> {
    const v = viewer(req);
    const audience = scopeOf(v).key;
    const etag = `W/"plan-${stored.version}-${createHash('sha1').update(audience).digest('hex').slice(0, 12)}"`;
    return bodies.send(req, res, `${stored.version}|${audience}|plan`, etag, () => viewPlan(stored.plan, stored.version, v, stored.createdAt));
  }

  /**
   * A view of the plan in force: `rev` when it reads the tickets' records (which a change that
   * leaves the plan identical moves on), so its ETag moves on with them.
   */
  function sendView(req: Request, res: Response, stored: StoredPlan, route: string, query: Record<string, unknown>, rev: boolean, make: () => unknown): Promise<void> {
    const audience = scopeOf(viewer(req)).key;
    const parts = [route, audience, asked(query), rev ? String(stored.dataRevision) : ''];
    return bodies.send(req, res, `${stored.version}|${parts.join('|')}`, planEtag(stored.version, ...parts), make);
  }

  router.get('/current', async (req, res) => {
    const { quarter } = parse(PlanQuery, req.query);
    await sendPlanView(req, res, await currentStored(s, quarter));
  });

  router.get('/current/summary', requireRole('manager'), async (req, res) => {
    const q = parse(PlanViewQuery, req.query);
    const stored = await currentStored(s, q.quarter);
    await sendView(req, res, stored, 'summary', q, true, () => pages.summary(stored));
  });

  router.get('/current/allocations', async (req, res) => {
    const q = parse(AllocationPageQuery, req.query);
    const stored = await currentStored(s, q.quarter);
    await sendView(req, res, stored, 'allocations', q, false, () => pages.allocations(stored, scopeOf(viewer(req)), q));
  });

  router.get('/current/tickets', async (req, res) => {
    const q = parse(TicketPlanPageQuery, req.query);
    const stored = await currentStored(s, q.quarter);
    await sendView(req, res, stored, 'tickets', q, true, () => pages.tickets(stored, scopeOf(viewer(req)), q));
  });

  router.get('/current/clients/:id', async (req, res) => {
    const { id } = parse(ClientDetailParam, req.params);
    const q = parse(PlanViewQuery, req.query);
    const stored = await currentStored(s, q.quarter);
    const scope = scopeOf(viewer(req));
    // Found (or not) before any ETag: a foreign id answers exactly as an unknown one.
    pages.checkClient(stored, scope, id);
    await sendView(req, res, stored, 'client', { id }, true, () => pages.client(stored, scope, id));
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

  router.get('/history', requireRole('manager'), async (req, res) => {
    const q = parse(PlanHistoryQuery, req.query);
    const em = s.store.reader();
    const quarter = await resolveQuarter(em, q.quarter);
    if (!quarter) throw notFound(`Quarter ${q.quarter ?? ''}`.trim());
    res.json(await planHistory(em, quarter, q));
  });

  router.get('/:version', async (req, res) => {
    const { version } = parse(PlanVersionParam, req.params);
    const stored = await loadPlan(s.store.reader(), version);
    if (!stored) throw notFound(`Plan version ${version}`);
    await sendPlanView(req, res, stored);
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
