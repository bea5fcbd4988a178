/**
 * POST /api/quarters/:id/close   { "nextQuarter": { "id", "weeks"?, "startDate"? } }   (managers)
 *
 * Mounted at /api/quarters after the quarters router, which has no route of this shape.
 */
import { Router } from 'express';
import { z } from 'zod';
import { requireRole, viewer } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { publicQuarter } from '../quarters/quarters.routes.ts';
import { closeQuarter } from './quarter-close.service.ts';

const IdParam = z.object({ id: z.string().min(1).max(200) });
const CloseBody = z
  .object({
    nextQuarter: z
      .object({
        id: z.string({ error: 'is required: the quarter that follows, like 2027-Q1' }).trim().min(1, { error: 'must not be empty' }).max(200),
        weeks: z.number({ error: 'must be a number of weeks' }).int({ error: 'must be a whole number of weeks' }).min(1).max(27).optional(),
        startDate: z.iso.date({ error: 'must be a date like 2027-01-04' }).optional(),
      }, { error: 'is required: { "id": "2027-Q1" } names the quarter that follows' })
      .strict(),
  })
  .strict();

export function quarterCloseRouter(s: Services): Router {
  const router = Router();

  router.post('/:id/close', requireRole('manager'), async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const body = parse(CloseBody, req.body);
    const r = await s.store.write(viewer(req), 'quarter close', (w) => closeQuarter(w, s.events, id, body.nextQuarter));
    res.json({
      quarter: publicQuarter(r.quarter),
      nextQuarter: publicQuarter(r.next),
      planVersion: r.planVersion,
      clients: r.clients,
      carriedTickets: r.carriedTickets,
    });
  });

  return router;
}
