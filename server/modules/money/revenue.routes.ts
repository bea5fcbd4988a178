/**
 * GET /api/revenue[?quarter=ID]   what the quarter's plan in force is worth (managers): quarterMoney
 *   of that plan with the clients' prices in the company currency. The current quarter when none
 *   is named; a closed quarter answers from the plan it was closed on (its plan in force stays that
 *   one), at today's prices. ETag from the plan version, the prices and the currency: a change of
 *   price moves the figures (and the tag) without a new plan version.
 */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import { RevenueQuery, type RevenueAnswer } from '../../../shared/api/revenue.ts';
import { requireRole } from '../../auth/middleware.ts';
import { AppError, notFound, parse } from '../../errors.ts';
import { currentPlan, resolveQuarter } from '../../planning/plan-store.ts';
import type { Services } from '../../services.ts';
import { matchesEtag } from '../plans/plan-bodies.ts';
import { moneyInputs } from './money-inputs.ts';
import { quarterMoney } from './quarter-money.ts';

export function revenueRouter(s: Services): Router {
  const router = Router();

  router.get('/', requireRole('manager'), async (req, res) => {
    const { quarter: quarterId } = parse(RevenueQuery, req.query);
    const em = s.store.reader();
    const quarter = await resolveQuarter(em, quarterId);
    if (!quarter) throw notFound(quarterId ? `Quarter ${quarterId}` : 'Quarter (none has been created yet)');
    const stored = await currentPlan(em, quarter);
    if (!stored) throw new AppError(404, 'no_plan', `Quarter ${quarter.id} has no plan yet; it is being planned now. Try again in a moment.`);
    const plan = stored.plan;
    const { prices, currency } = await moneyInputs(em, plan.clients.map((c) => c.id));
    const closed = Boolean(quarter.closedAt);
    const priced = plan.clients.map((c) => {
      const p = prices.get(c.id);
      return `${c.id}:${p?.blockPriceMinor ?? '-'}:${p?.paygRateMinor ?? '-'}`;
    });
    const etag = `W/"revenue-${stored.version}-${createHash('sha1').update([currency, closed, ...priced].join('|')).digest('hex').slice(0, 16)}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    const money = quarterMoney(plan, prices, currency);
    res.json({ ...money, planVersion: stored.version, closed } satisfies RevenueAnswer);
  });

  return router;
}
