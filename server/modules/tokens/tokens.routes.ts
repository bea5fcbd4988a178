/**
 * POST   /api/tokens       { name, role, clientId?, staffId?, scopes } → 201 { id, token } (managers;
 *                          the token is answered this once: only its SHA-256 is kept)
 * GET    /api/tokens       every token, newest first, with its last use (never the token)
 * DELETE /api/tokens/:id   revokes it at once, on every instance, sockets included (204; 404 unknown)
 * Signed-in managers only: an API token gets 403 here whatever its role (auth/api-tokens.ts).
 * Audited as entity "api-token" (create, revoke).
 */
import { Router } from 'express';
import { ApiTokenCreate, ApiTokenIdParam, type ApiTokenCreated, type ApiTokenRecord } from '../../../shared/api/tokens.ts';
import { apiTokenHash, newApiToken, tokenSessionId } from '../../auth/api-tokens.ts';
import { requireRole, viewer } from '../../auth/middleware.ts';
import { ApiToken, Client, Staff } from '../../db/entities.ts';
import { notFound, parse, validationError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { FOR_UPDATE, parseBody } from '../resource-helpers.ts';

const json = (t: ApiToken): ApiTokenRecord => ({
  id: t.id,
  name: t.name,
  role: t.role,
  clientId: t.clientId ?? null,
  staffId: t.staffId ?? null,
  scopes: [...t.scopes],
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

export function tokensRouter(s: Services): Router {
  const router = Router();
  router.use(requireRole('manager'));

  router.post('/', async (req, res) => {
    const body = parseBody(ApiTokenCreate, req.body);
    const v = viewer(req);
    const token = newApiToken();
    const created = await s.store.write(v, 'api token created', async (w) => {
      if (body.clientId !== undefined && !(await w.tx.findOne(Client, { id: body.clientId }, { fields: ['id'] }))) {
        throw validationError([{ field: 'clientId', message: `no client has the id "${body.clientId}"` }]);
      }
      if (body.staffId !== undefined && !(await w.tx.findOne(Staff, { id: body.staffId }, { fields: ['id'] }))) {
        throw validationError([{ field: 'staffId', message: `no staff member has the id "${body.staffId}"` }]);
      }
      const row = w.tx.create(ApiToken, {
        name: body.name,
        tokenHash: apiTokenHash(token),
        role: body.role,
        clientId: body.clientId ?? null,
        staffId: body.staffId ?? null,
        scopes: [...body.scopes],
        createdBy: v.userId,
      });
      await w.tx.flush();
      w.audit('create', 'api-token', row.id, null, json(row));
      return row;
    });
    res.status(201).json({ id: created.id, token } satisfies ApiTokenCreated);
  });

  router.get('/', async (_req, res) => {
    const rows = await s.store.reader().find(ApiToken, {}, { orderBy: { id: 'desc' } });
    res.json(rows.map(json) satisfies ApiTokenRecord[]);
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parse(ApiTokenIdParam, req.params);
    await s.store.write(viewer(req), 'api token revoked', async (w) => {
      const row = await w.tx.findOne(ApiToken, { id }, FOR_UPDATE);
      if (!row) throw notFound(`API token ${id}`);
      if (row.revokedAt) return;
      const before = json(row);
      row.revokedAt = new Date();
      await w.tx.flush();
      w.audit('revoke', 'api-token', row.id, before, json(row));
    });
    // Lookups are never cached, so requests are refused already; this closes its sockets everywhere.
    await s.access.revoke({ userId: 0, sessionId: tokenSessionId(id), reason: 'token-revoked' });
    res.status(204).end();
  });

  return router;
}
