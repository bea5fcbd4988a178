/**
 * GET   /api/settings   the company's name and currency (anyone signed in: every screen that
 *                       shows money needs the currency)
 * PATCH /api/settings   { version, name?, currency? } (managers; audited as entity "settings")
 * Changing the currency does not convert prices: they are numbers in the new currency's minor
 * units from then on, so change it before pricing clients (the setup checklist says so).
 */
import { Router } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompanySettingsPatch, type CompanySettingsRecord } from '../../../shared/api/settings.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { CompanySettings } from '../../db/entities.ts';
import type { Services } from '../../services.ts';
import { checkVersion, FOR_UPDATE, withConflictDetails, parseBody } from '../resource-helpers.ts';

const json = (s: CompanySettings): CompanySettingsRecord => ({ name: s.name, currency: s.currency, version: s.version });

/** The company's settings row (migration 0010 writes it; recreated with defaults if someone removed it). */
export async function companySettings(em: EntityManager): Promise<CompanySettingsRecord> {
  const row = await em.findOne(CompanySettings, { id: 1 });
  return row ? json(row) : { name: 'Hourglass', currency: 'USD', version: 1 };
}

export function settingsRouter(s: Services): Router {
  const router = Router();
  router.use(requireAuth);

  router.get('/', async (_req, res) => {
    res.json((await companySettings(s.store.reader())) satisfies CompanySettingsRecord);
  });

  router.patch('/', requireRole('manager'), async (req, res) => {
    const body = parseBody(CompanySettingsPatch, req.body);
    const write = () =>
      s.store.write(viewer(req), 'settings changed', async (w) => {
        let row = await w.tx.findOne(CompanySettings, { id: 1 }, FOR_UPDATE);
        if (!row) {
          row = w.tx.create(CompanySettings, { id: 1, name: 'Hourglass', currency: 'USD' });
          await w.tx.flush();
        }
        const before = json(row);
        checkVersion(row, body.version, () => before);
        if (body.name !== undefined && body.name !== row.name) row.name = body.name;
        if (body.currency !== undefined && body.currency !== row.currency) row.currency = body.currency;
        await w.tx.flush();
        const after = json(row);
        if (after.version !== before.version) {
          w.audit('update', 'settings', 'company', before, after);
          w.afterCommit(() => s.events.emit('data.changed', { quarterIds: [], entity: 'settings', id: 'company' }));
        }
        return after;
      });
    res.json((await withConflictDetails(write, () => companySettings(s.store.reader()))) satisfies CompanySettingsRecord);
  });

  return router;
}
