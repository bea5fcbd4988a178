/**
 * GET   /api/quarters                  quarters, latest first
 * POST  /api/quarters                  { id, weeks?, startDate?, currentWeek? } start the first quarter
 *                                      (managers; refused while an open quarter exists: close it instead)
 * GET   /api/quarters/:id              one quarter
 * PATCH /api/quarters/:id              currentWeek, autoAdvance, startDate, policy (managers)
 * POST  /api/quarters/:id/import       store a SCENARIO.md scenario (managers)
 * GET   /api/quarters/:id/scenario     the quarter's state as a scenario (managers)
 */
import { Router } from 'express';
import { QuarterCreate, QuarterIdParam, QuarterPatch, type QuarterRecord, type ScenarioExport, type ScenarioImportResult } from '../../../shared/api/quarters.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { Quarter } from '../../db/entities.ts';
import { badRequest, conflict, notFound, parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { moveCurrentWeek } from '../../clock.ts';
import { parseBody } from '../resource-helpers.ts';
import { exportScenario, importScenario } from './scenario-io.ts';

export function publicQuarter(q: Quarter): QuarterRecord {
  return {
    id: q.id,
    weeks: q.weeks,
    currentWeek: q.currentWeek,
    startDate: q.startDate ?? null,
    autoAdvance: q.autoAdvance,
    policy: q.policy ?? {},
    closed: Boolean(q.closedAt),
    closedAt: q.closedAt?.toISOString() ?? null,
    currentPlanVersion: q.currentPlanId ?? null,
    dataRevision: q.dataRevision,
    version: q.version,
  };
}

export function quartersRouter(s: Services): Router {
  const router = Router();
  router.use(requireAuth);

  router.get('/', async (_req, res) => {
    const quarters = await s.store.reader().find(Quarter, {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
    res.json(quarters.map(publicQuarter) satisfies QuarterRecord[]);
  });

  router.post('/', requireRole('manager'), async (req, res) => {
    const body = parseBody(QuarterCreate, req.body);
    const created = await s.store.write(viewer(req), 'quarter started', async (w) => {
      if (await w.tx.findOne(Quarter, { id: body.id }, { fields: ['id'] })) throw conflict(`Quarter ${body.id} already exists.`);
      const open = await w.tx.findOne(Quarter, { closedAt: null }, { fields: ['id'] });
      if (open) throw conflict(`Quarter ${open.id} is open: a new quarter starts when it closes (POST /api/quarters/${open.id}/close).`);
      const q = w.tx.create(Quarter, { id: body.id, weeks: body.weeks, currentWeek: body.currentWeek, startDate: body.startDate });
      await w.tx.flush();
      const json = publicQuarter(q);
      w.touch(q.id);
      w.audit('create', 'quarter', q.id, null, json);
      w.afterCommit(() => s.events.emit('data.changed', { quarterIds: [q.id], entity: 'quarter', id: q.id }));
      return json;
    });
    res.status(201).json(created satisfies QuarterRecord);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(QuarterIdParam, req.params);
    const q = await s.store.reader().findOne(Quarter, { id });
    if (!q) throw notFound(`Quarter ${id}`);
    res.json(publicQuarter(q) satisfies QuarterRecord);
  });

  router.patch('/:id', requireRole('manager'), async (req, res) => {
    const { id } = parse(QuarterIdParam, req.params);
    const body = parse(QuarterPatch, req.body);
    const updated = await s.store.write(viewer(req), 'quarter settings', async (w) => {
      const q = await w.tx.findOne(Quarter, { id });
      if (!q) throw notFound(`Quarter ${id}`);
      if (q.version !== body.version) throw conflict('This quarter changed since you read it.', { current: publicQuarter(q) });
      if (q.closedAt) throw badRequest(`Quarter ${id} is closed; it can no longer be changed.`);
      const before = publicQuarter(q);
      if (body.currentWeek !== undefined) {
        if (body.currentWeek > q.weeks - 1) throw badRequest(`currentWeek: week ${body.currentWeek} is outside the quarter (weeks 0 to ${q.weeks - 1})`, [{ field: 'currentWeek', message: `must be at most ${q.weeks - 1}` }]);
        // Forward, the weeks left behind carry their debt (DOMAIN.md "Time"), as on the clock.
        if (body.currentWeek !== q.currentWeek) await moveCurrentWeek(w, q, body.currentWeek);
      }
      if (body.autoAdvance !== undefined) q.autoAdvance = body.autoAdvance;
      if (body.startDate !== undefined) q.startDate = body.startDate;
      if (body.policy !== undefined) q.policy = body.policy && Object.keys(body.policy).length ? (body.policy as Record<string, unknown>) : null;
      if (q.autoAdvance && !q.startDate) throw badRequest('autoAdvance needs a startDate: the week moves on from it.', [{ field: 'autoAdvance', message: 'needs startDate' }]);
      await w.tx.flush();
      w.touch(id);
      w.audit('update', 'quarter', id, before, publicQuarter(q));
      return q;
    });
    res.json(publicQuarter(updated) satisfies QuarterRecord);
  });

  router.post('/:id/import', requireRole('manager'), async (req, res) => {
    const { id } = parse(QuarterIdParam, req.params);
    const result = await s.store.write(viewer(req), 'scenario import', async (w) => {
      const r = await importScenario(w, id, req.body);
      const q = (await w.tx.findOne(Quarter, { id }))!;
      return { changed: r.changed, quarter: publicQuarter(q), counts: { staff: r.scenario.staff.length, clients: r.scenario.clients.length, tickets: r.scenario.tickets.length } } satisfies ScenarioImportResult;
    });
    if (result.changed) s.events.emit('data.changed', { quarterIds: [id], entity: 'quarter', id });
    res.status(200).json(result);
  });

  router.get('/:id/scenario', requireRole('manager'), async (req, res) => {
    const { id } = parse(QuarterIdParam, req.params);
    res.json((await exportScenario(s.store.reader(), id)) satisfies ScenarioExport);
  });

  return router;
}
