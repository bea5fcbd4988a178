/**
 * POST /api/what-if           { "quarter"?, "changes": [ … ] }                       (managers)
 *   The quarter re-planned with the changes; nothing is saved. The answer carries
 *   `basedOnRevision`, the quarter's data revision it was computed from.
 * POST /api/what-if/confirm   { "quarter"?, "changes": [ … ], "basedOnRevision" }    (managers)
 *   Saves every change in one transaction if the quarter's data is still at `basedOnRevision`
 *   (200); otherwise saves nothing and answers 409 `what_if_stale` with the fresh `answer`.
 * See what-if-changes.ts for the change types, availability.ts for "available" and "pushedOut",
 * what-if-confirm.ts for how a confirm is saved.
 */
import { Router } from 'express';
import { WhatIfBody, WhatIfConfirmBody, type WhatIfAnswer, type WhatIfConfirmed, type WhatIfStale } from '../../../shared/api/what-if.ts';
import { requireRole, viewer } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { confirmWhatIf } from './what-if-confirm.ts';
import { whatIf } from './what-if.service.ts';

export function whatIfRouter(s: Services): Router {
  const router = Router();
  router.post('/', requireRole('manager'), async (req, res) => {
    res.json((await whatIf(s, parse(WhatIfBody, req.body))) satisfies WhatIfAnswer);
  });
  router.post('/confirm', requireRole('manager'), async (req, res) => {
    const body = parse(WhatIfConfirmBody, req.body);
    const outcome = await confirmWhatIf(s, viewer(req), body);
    if (outcome.saved) {
      res.json({ quarter: outcome.quarter, basedOnRevision: outcome.basedOnRevision, created: outcome.created } satisfies WhatIfConfirmed);
      return;
    }
    res.status(409).json({
      error: {
        code: 'what_if_stale',
        message: 'The quarter changed since this what-if was answered: nothing was saved. Here is the answer on the data as it is now; confirm it to save.',
        details: { basedOnRevision: body.basedOnRevision, revision: outcome.revision },
      },
      answer: outcome.answer,
    } satisfies WhatIfStale);
  });
  return router;
}
