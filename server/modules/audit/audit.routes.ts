/** GET /api/audit?entity=&id=&limit=&before= (managers): who changed what, and when, newest first. */
import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../auth/middleware.ts';
import { AuditEntry, User } from '../../db/entities.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';

const Query = z
  .object({
    entity: z.string().min(1).max(50).optional(),
    id: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.coerce.number().int().positive().optional(),
  })
  .strict();

export function auditRouter(s: Services): Router {
  const router = Router();
  router.get('/', requireRole('manager'), async (req, res) => {
    const q = parse(Query, req.query);
    const em = s.store.reader();
    const entries = await em.find(
      AuditEntry,
      { ...(q.entity ? { entity: q.entity } : {}), ...(q.id ? { entityId: q.id } : {}), ...(q.before ? { id: { $lt: q.before } } : {}) },
      { orderBy: { id: 'desc' }, limit: q.limit },
    );
    const userIds = [...new Set(entries.map((e) => e.userId).filter((u): u is number => u != null))];
    const users = new Map((await em.find(User, { id: { $in: userIds } })).map((u) => [u.id, u.email]));
    res.json(
      entries.map((e) => ({
        id: e.id,
        at: e.at,
        user: e.userId != null ? { id: e.userId, email: users.get(e.userId) ?? null } : null,
        action: e.action,
        entity: e.entity,
        entityId: e.entityId,
        before: e.before,
        after: e.after,
      })),
    );
  });
  return router;
}
