/**
 * GET /api/audit?entity=&id=&limit=&cursor= (managers): who changed what, and when: a page,
 * newest first (keyset on the id).
 */
import { Router } from 'express';
import { AuditListQuery, type AuditPage } from '../../../shared/api/audit.ts';
import { requireRole } from '../../auth/middleware.ts';
import { AuditEntry, User } from '../../db/entities.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { decodeCursor, pageOf } from '../paging.ts';

export function auditRouter(s: Services): Router {
  const router = Router();
  router.get('/', requireRole('manager'), async (req, res) => {
    const q = parse(AuditListQuery, req.query);
    const before = decodeCursor('audit', q.cursor, 'number');
    const em = s.store.reader();
    const where = { ...(q.entity ? { entity: q.entity } : {}), ...(q.id ? { entityId: q.id } : {}) };
    const total = await em.count(AuditEntry, where);
    const fetched = await em.find(AuditEntry, before === undefined ? where : { ...where, id: { $lt: before } }, { orderBy: { id: 'desc' }, limit: q.limit + 1 });
    const page = pageOf('audit', fetched, q, total, (e) => e.id);
    const userIds = [...new Set(page.items.map((e) => e.userId).filter((u): u is number => u != null))];
    const users = new Map((userIds.length ? await em.find(User, { id: { $in: userIds } }) : []).map((u) => [u.id, u.email]));
    res.json({
      ...page,
      items: page.items.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        user: e.userId != null ? { id: e.userId, email: users.get(e.userId) ?? null } : null,
        action: e.action,
        entity: e.entity,
        entityId: e.entityId,
        before: e.before,
        after: e.after,
      })),
    } satisfies AuditPage);
  });
  return router;
}
