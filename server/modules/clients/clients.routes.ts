/**
 * GET    /api/clients                        a page of clients by id (managers); a client user gets
 *                                          only its own; ?quarter= ?limit= ?cursor=
 * GET    /api/clients/:id                    one client with its blocks and history for ?quarter=
 * POST   /api/clients                        add a client (managers)
 * PATCH  /api/clients/:id                    name, plan, contact, active (managers; needs `version`)
 * GET    /api/clients/:id/blocks             the client's blocks in ?quarter=
 * POST   /api/clients/:id/blocks             { week, hours ≥ 20, quarter? } record a block (managers)
 * PATCH  /api/clients/:id/blocks/:blockId    { version, week?, hours? } correct a block recorded by mistake (managers)
 * DELETE /api/clients/:id/blocks/:blockId    remove a block recorded by mistake (managers)
 * Blocks of a closed quarter are history: correcting or removing one answers 400 naming quarter.
 * A client user asking about another client gets 404 on every route, before any role check, so
 * the answer never tells whether that client exists. Staff have no client records to read: 403.
 */
import { Router, type Request, type RequestHandler } from 'express';
import { BlockCreate, BlockParams, BlockPatch, ClientCreate, ClientListQuery, ClientPatch, type BlockRecord, type ClientPage, type ClientRecord } from '../../../shared/api/clients.ts';
import { IdParam, QuarterQuery } from '../../../shared/api/fields.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { blockView, clientRecordView, type ClientReader } from '../../auth/views.ts';
import { forbidden, parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { parseBody } from '../resource-helpers.ts';
import { checkClientScope, ClientsService } from './clients.service.ts';

const ownClientOnly: RequestHandler = (req, _res, next) => {
  checkClientScope(viewer(req), parse(IdParam, { id: req.params.id }).id);
  next();
};
const manager = requireRole('manager');

/** The caller, who (past the router's role check) is a manager or a client user. */
function reader(req: Request): Viewer & ClientReader {
  const v = viewer(req);
  if (v.role === 'staff') throw forbidden();
  return v as Viewer & ClientReader;
}

export function clientsRouter(s: Services): Router {
  const router = Router();
  const clients = new ClientsService(s);
  router.use(requireAuth, requireRole('manager', 'client'));

  // Each answer is the caller's view of the record (auth/views.ts).
  router.get('/', async (req, res) => {
    const v = reader(req);
    const page = await clients.list(v, parse(ClientListQuery, req.query));
    res.json({ ...page, items: page.items.map((c) => clientRecordView(c, v)) } satisfies ClientPage);
  });

  router.post('/', manager, async (req, res) => {
    res.status(201).json((await clients.create(viewer(req), parseBody(ClientCreate, req.body))) satisfies ClientRecord);
  });

  router.get('/:id', ownClientOnly, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const v = reader(req);
    res.json(clientRecordView(await clients.get(v, id, parse(QuarterQuery, req.query).quarter), v) satisfies ClientRecord);
  });

  router.patch('/:id', ownClientOnly, manager, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    res.json((await clients.update(viewer(req), id, parseBody(ClientPatch, req.body))) satisfies ClientRecord);
  });

  router.get('/:id/blocks', ownClientOnly, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const v = reader(req);
    res.json((await clients.listBlocks(v, id, parse(QuarterQuery, req.query).quarter)).map((b) => blockView(b, v)) satisfies BlockRecord[]);
  });

  router.post('/:id/blocks', ownClientOnly, manager, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    res.status(201).json((await clients.addBlock(viewer(req), id, parseBody(BlockCreate, req.body))) satisfies BlockRecord);
  });

  router.patch('/:id/blocks/:blockId', ownClientOnly, manager, async (req, res) => {
    const { id, blockId } = parse(BlockParams, req.params);
    res.json((await clients.updateBlock(viewer(req), id, blockId, parseBody(BlockPatch, req.body))) satisfies BlockRecord);
  });

  router.delete('/:id/blocks/:blockId', ownClientOnly, manager, async (req, res) => {
    const { id, blockId } = parse(BlockParams, req.params);
    await clients.deleteBlock(viewer(req), id, blockId);
    res.status(204).end();
  });

  return router;
}
