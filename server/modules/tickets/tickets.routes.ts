/**
 * GET   /api/tickets        a page of the tickets the caller may read, in id order (numbers in
 *                           number order); ?quarter= ?client= ?status= ?priority= ?limit= ?cursor=
 * GET   /api/tickets/:id    one ticket
 * POST  /api/tickets        file a ticket (managers; client users for their own client)
 * PATCH /api/tickets/:id    edit (managers: every field; a client user: title, description,
 *                           priority, dueWeek of its own open tickets); needs `version`
 * Who reads what: managers everything, client users their own client's tickets, staff the tickets
 * behind their own work. A ticket the caller may not read answers 404 on every route.
 */
import { Router } from 'express';
import { IdParam } from '../../../shared/api/fields.ts';
import { TicketCreate, TicketListQuery, TicketPatch, type TicketPage, type TicketRecord } from '../../../shared/api/tickets.ts';
import { requireAuth, viewer } from '../../auth/middleware.ts';
import { ticketView } from '../../auth/views.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { parseBody } from '../resource-helpers.ts';
import { TicketsService } from './tickets.service.ts';

export function ticketsRouter(s: Services): Router {
  const router = Router();
  const tickets = new TicketsService(s);
  router.use(requireAuth);

  // Each answer is the caller's view of the ticket (auth/views.ts).
  router.get('/', async (req, res) => {
    const v = viewer(req);
    const page = await tickets.list(v, parse(TicketListQuery, req.query));
    res.json({ ...page, items: page.items.map((t) => ticketView(t, v)) } satisfies TicketPage);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const v = viewer(req);
    res.json(ticketView(await tickets.get(v, id), v) satisfies TicketRecord);
  });

  router.post('/', async (req, res) => {
    const v = viewer(req);
    res.status(201).json(ticketView(await tickets.create(v, parseBody(TicketCreate, req.body)), v) satisfies TicketRecord);
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const v = viewer(req);
    res.json(ticketView(await tickets.update(v, id, parseBody(TicketPatch, req.body)), v) satisfies TicketRecord);
  });

  return router;
}
