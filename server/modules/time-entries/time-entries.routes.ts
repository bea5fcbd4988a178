/**
 * GET   /api/time-entries?quarter=&ticket=&staff=&client=&week=&limit=&cursor=
 *                                  a page of the entries the caller may see, oldest first
 * GET   /api/time-entries/:id      one entry
 * POST  /api/time-entries          { ticket, hours, date? | week?, staff?, note? } log hours
 *                                  (staff: their own; managers: anyone's)
 * PATCH /api/time-entries/:id      change an entry; send the version you read
 * DELETE /api/time-entries/:id?version=N   remove a mistaken entry
 * Bodies may still name `ticketId` and `staffId` (the names before `ticket` and `staff`).
 * CSV export and import live in ../csv.
 */
import { Router } from 'express';
import {
  TimeEntryCreate,
  TimeEntryDeleteQuery,
  TimeEntryIdParam,
  TimeEntryListQuery,
  TimeEntryPatch,
  type TimeEntryPage,
  type TimeEntryRecord,
} from '../../../shared/api/time-entries.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { parseBody } from '../resource-helpers.ts';
import { createEntry, deleteEntry, getEntry, listEntries, publicEntry, updateEntry } from './time-entries.service.ts';

export function timeEntriesRouter(s: Services): Router {
  const router = Router();
  router.use(requireAuth);

  router.get('/', async (req, res) => {
    res.json((await listEntries(s.store.reader(), viewer(req), parse(TimeEntryListQuery, req.query))) satisfies TimeEntryPage);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(TimeEntryIdParam, req.params);
    const v = viewer(req);
    res.json(publicEntry(await getEntry(s.store.reader(), v, id), v) satisfies TimeEntryRecord);
  });

  router.post('/', requireRole('manager', 'staff'), async (req, res) => {
    const body = parseBody(TimeEntryCreate, req.body);
    const v = viewer(req);
    const e = await s.store.write(v, 'time entry', (w) => createEntry(w, s.events, v, body));
    res.status(201).json(publicEntry(e, v) satisfies TimeEntryRecord);
  });

  router.patch('/:id', requireRole('manager', 'staff'), async (req, res) => {
    const { id } = parse(TimeEntryIdParam, req.params);
    const body = parseBody(TimeEntryPatch, req.body);
    const v = viewer(req);
    const e = await s.store.write(v, 'time entry', (w) => updateEntry(w, s.events, v, id, body));
    res.json(publicEntry(e, v) satisfies TimeEntryRecord);
  });

  router.delete('/:id', requireRole('manager', 'staff'), async (req, res) => {
    const { id } = parse(TimeEntryIdParam, req.params);
    const { version } = parse(TimeEntryDeleteQuery, req.query);
    const v = viewer(req);
    await s.store.write(v, 'time entry removed', (w) => deleteEntry(w, s.events, v, id, version));
    res.status(204).end();
  });

  return router;
}
