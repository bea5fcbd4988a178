/**
 * GET    /api/clients                        every client (managers); a client user gets only its own
 * GET    /api/clients/:id                    one client with its blocks and history for ?quarter=
 * POST   /api/clients                        add a client (managers)
 * PATCH  /api/clients/:id                    name, plan, active (managers; needs `version`)
 * GET    /api/clients/:id/blocks             the client's blocks in ?quarter=
 * POST   /api/clients/:id/blocks             { week, hours ≥ 20, quarter? } record a block (managers)
 * DELETE /api/clients/:id/blocks/:blockId    remove a block recorded by mistake (managers)
 * A client user asking about another client gets 404 on every route, before any role check, so
 * the answer never tells whether that client exists. Staff have no client records to read: 403.
 */
import { Router, type RequestHandler } from 'express';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { blockView, clientRecordView } from '../../auth/views.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { IdParam, QuarterQuery, parseBody } from '../resource-helpers.ts';
import { BlockBody, BlockParams, CreateClient, PatchClient } from './clients.schemas.ts';
import { checkClientScope, ClientsService } from './clients.service.ts';

const ownClientOnly: RequestHandler = (req, _res, next) => {
  checkClientScope(viewer(req), parse(IdParam, { id: req.params.id }).id);
  next();
};
const manager = requireRole('manager');

export function clientsRouter(s: Services): Router {
  const router = Router();
  const clients = new ClientsService(s);
  router.use(requireAuth, requireRole('manager', 'client'));

  // Each answer is the caller's view of the record (auth/views.ts).
  router.get('/', async (req, res) => {
    const v = viewer(req);
    res.json((await clients.list(v, parse(QuarterQuery, req.query).quarter)).map((c) => clientRecordView(c, v)));
  });

  router.post('/', manager, async (req, res) => {
    res.status(201).json(await clients.create(viewer(req), parseBody(CreateClient, req.body)));
  });

  router.get('/:id', ownClientOnly, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const v = viewer(req);
    res.json(clientRecordView(await clients.get(v, id, parse(QuarterQuery, req.query).quarter), v));
  });

  router.patch('/:id', ownClientOnly, manager, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    res.json(await clients.update(viewer(req), id, parseBody(PatchClient, req.body)));
  });

  router.get('/:id/blocks', ownClientOnly, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const v = viewer(req);
    res.json((await clients.listBlocks(v, id, parse(QuarterQuery, req.query).quarter)).map((b) => blockView(b, v)));
  });

  router.post('/:id/blocks', ownClientOnly, manager, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    res.status(201).json(await clients.addBlock(viewer(req), id, parseBody(BlockBody, req.body)));
  });

  router.delete('/:id/blocks/:blockId', ownClientOnly, manager, async (req, res) => {
    const { id, blockId } = parse(BlockParams, req.params);
    await clients.deleteBlock(viewer(req), id, blockId);
    res.status(204).end();
  });

  return router;
}
