/**
 * GET /api/audit?entity=&id=&user=&from=&to=&limit=&cursor= (managers): who changed what, and
 * when: a page, newest first (keyset on the id). Filters combine; `from`/`to` are a day (whole)
 * or an exact time.
 */
import { Router } from 'express';
import type { FilterQuery } from '@mikro-orm/core';
import { AuditListQuery, momentBounds, type AuditPage } from '../../../shared/api/audit.ts';
import { requireRole } from '../../auth/middleware.ts';
import { AuditEntry } from '../../db/entities.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { decodeCursor, pageOf } from '../paging.ts';
import { auditJson } from './audit-json.ts';

export function auditRouter(s: Services): Router {
  const router = Router();
  router.get('/', requireRole('manager'), async (req, res) => {
    const q = parse(AuditListQuery, req.query);
    const before = decodeCursor('audit', q.cursor, 'number');
    const em = s.store.reader();
    const { from, toBefore } = momentBounds(q);
    const at = { ...(from ? { $gte: from } : {}), ...(toBefore ? { $lt: toBefore } : {}) };
    const where: FilterQuery<AuditEntry> = {
      ...(q.entity ? { entity: q.entity } : {}),
      ...(q.id ? { entityId: q.id } : {}),
      ...(q.user !== undefined ? { userId: q.user } : {}),
      ...(from || toBefore ? { at } : {}),
    };
    const total = await em.count(AuditEntry, where);
    const fetched = await em.find(AuditEntry, before === undefined ? where : { ...where, id: { $lt: before } }, { orderBy: { id: 'desc' }, limit: q.limit + 1 });
    const page = pageOf('audit', fetched, q, total, (e) => e.id);
    res.json({ ...page, items: await auditJson(em, page.items) } satisfies AuditPage);
  });
  return router;
}
