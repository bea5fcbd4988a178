/**
 * GET /api/quarters/:id/close-preview   what closing would do, as the close works it out (managers)
 * POST /api/quarters/:id/close   { "nextQuarter": { "id", "weeks"?, "startDate"? } }   (managers)
 *
 * Mounted at /api/quarters after the quarters router, which has no route of this shape.
 */
import { Router } from 'express';
import { QuarterCloseBody, QuarterIdParam, type QuarterClosePreview, type QuarterCloseResult } from '../../../shared/api/quarters.ts';
import { requireRole, viewer } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { publicQuarter } from '../quarters/quarters.routes.ts';
import { closeQuarter, previewClose } from './quarter-close.service.ts';

export function quarterCloseRouter(s: Services): Router {
  const router = Router();

  router.get('/:id/close-preview', requireRole('manager'), async (req, res) => {
    const { id } = parse(QuarterIdParam, req.params);
    const p = await previewClose(s.store.reader(), id);
    res.json({ ...p, quarter: publicQuarter(p.quarter) } satisfies QuarterClosePreview);
  });

  router.post('/:id/close', requireRole('manager'), async (req, res) => {
    const { id } = parse(QuarterIdParam, req.params);
    const body = parse(QuarterCloseBody, req.body);
    const r = await s.store.write(viewer(req), 'quarter close', (w) => closeQuarter(w, s.events, id, body.nextQuarter));
    res.json({
      quarter: publicQuarter(r.quarter),
      nextQuarter: publicQuarter(r.next),
      planVersion: r.planVersion,
      clients: r.clients,
      carriedTickets: r.carriedTickets,
    } satisfies QuarterCloseResult);
  });

  return router;
}
