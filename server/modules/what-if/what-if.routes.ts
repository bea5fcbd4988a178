/**
 * POST /api/what-if   { "quarter"?, "changes": [ … ] }   (managers)
 * The quarter re-planned with the changes; nothing is saved. See what-if-changes.ts for the
 * change types and availability.ts for how "available" and "pushedOut" are worked out.
 */
import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { Change } from './what-if-changes.ts';
import { whatIf } from './what-if.service.ts';

const WhatIfBody = z
  .object({
    quarter: z.string().trim().min(1).max(200).optional(),
    changes: z.array(Change, { error: 'is required: a list of changes to try' }).min(1, { error: 'must list at least one change' }).max(100, { error: 'must list at most 100 changes' }),
  })
  .strict();

export function whatIfRouter(s: Services): Router {
  const router = Router();
  router.post('/', requireRole('manager'), async (req, res) => {
    res.json(await whatIf(s, parse(WhatIfBody, req.body)));
  });
  return router;
}
