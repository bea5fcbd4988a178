/**
 * GET  /api/intake/mail               held mails, oldest first; ?status=held|assigned|discarded ?limit= ?cursor=
 * POST /api/intake/mail/:id/assign    file a held mail as a ticket of { clientId, priority? } (201, the ticket)
 * POST /api/intake/mail/:id/discard   drop a held mail (it stays listed as discarded)
 * Managers only. The mails come in through the mail-intake listener (server/mail-intake).
 */
import { Router } from 'express';
import { HeldMailAssign, HeldMailIdParam, HeldMailListQuery, type HeldMailPage, type HeldMailRecord } from '../../../shared/api/mail-intake.ts';
import type { TicketRecord } from '../../../shared/api/tickets.ts';
import { requireRole, viewer } from '../../auth/middleware.ts';
import { ticketView } from '../../auth/views.ts';
import { parse } from '../../errors.ts';
import { MailIntake } from '../../mail-intake/intake.ts';
import type { Services } from '../../services.ts';
import { parseBody } from '../resource-helpers.ts';

export function mailIntakeRouter(s: Services): Router {
  const router = Router();
  const intake = new MailIntake(s);
  router.use(requireRole('manager'));

  router.get('/', async (req, res) => {
    res.json((await intake.list(parse(HeldMailListQuery, req.query))) satisfies HeldMailPage);
  });

  router.post('/:id/assign', async (req, res) => {
    const { id } = parse(HeldMailIdParam, req.params);
    const v = viewer(req);
    const ticket = await intake.assign(v, id, parseBody(HeldMailAssign, req.body));
    res.status(201).json(ticketView(ticket, v) satisfies TicketRecord);
  });

  router.post('/:id/discard', async (req, res) => {
    const { id } = parse(HeldMailIdParam, req.params);
    res.json((await intake.discard(viewer(req), id)) satisfies HeldMailRecord);
  });

  return router;
}
