/**
 * GET    /api/pins?quarter=ID   the quarter's pins (default: the current quarter), with who pinned and when
 * POST   /api/pins              { ticket, staff, week, hours, quarter? } pin hours → 201 with the pin
 * DELETE /api/pins/:id          unpin → 204
 * Managers only (staff and client users: 403). Every change re-plans the pin's quarter; the plan
 * says in `pinIssues` which pins could not hold, and why.
 */
import { Router } from 'express';
import { PinCreate, PinIdParam, PinListQuery, type PinRecord } from '../../../shared/api/pins.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { parseBody } from '../resource-helpers.ts';
import { PinsService } from './pins.service.ts';

export function pinsRouter(s: Services): Router {
  const router = Router();
  const pins = new PinsService(s);
  router.use(requireAuth, requireRole('manager'));

  router.get('/', async (req, res) => {
    res.json((await pins.list(parse(PinListQuery, req.query))) satisfies PinRecord[]);
  });

  router.post('/', async (req, res) => {
    res.status(201).json((await pins.create(viewer(req), parseBody(PinCreate, req.body))) satisfies PinRecord);
  });

  router.delete('/:id', async (req, res) => {
    await pins.remove(viewer(req), parse(PinIdParam, req.params).id);
    res.status(204).end();
  });

  return router;
}
