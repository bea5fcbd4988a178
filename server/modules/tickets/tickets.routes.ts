/**
 * GET   /api/tickets        tickets the caller may read; ?quarter= ?client= ?status= ?priority=
 * GET   /api/tickets/:id    one ticket
 * POST  /api/tickets        file a ticket (managers; client users for their own client)
 * PATCH /api/tickets/:id    edit (managers: every field; a client user: title, description,
 *                           priority, dueWeek of its own open tickets); needs `version`
 * Who reads what: managers everything, client users their own client's tickets, staff the tickets
 * behind their own work. A ticket the caller may not read answers 404 on every route.
 */
import { Router } from 'express';
import { requireAuth, viewer } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { IdParam, parseBody } from '../resource-helpers.ts';
import { CreateTicket, PatchTicket, TicketListQuery } from './tickets.schemas.ts';
import { TicketsService } from './tickets.service.ts';

export function ticketsRouter(s: Services): Router {
  const router = Router();
  const tickets = new TicketsService(s);
  router.use(requireAuth);

  router.get('/', async (req, res) => {
    res.json(await tickets.list(viewer(req), parse(TicketListQuery, req.query)));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    res.json(await tickets.get(viewer(req), id));
  });

  router.post('/', async (req, res) => {
    res.status(201).json(await tickets.create(viewer(req), parseBody(CreateTicket, req.body)));
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    res.json(await tickets.update(viewer(req), id, parseBody(PatchTicket, req.body)));
  });

  return router;
}
