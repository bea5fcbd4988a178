/**
 * GET   /api/time-entries?quarter=&ticket=&staff=&client=&week=&limit=&offset=
 *                                  entries the caller may see, oldest first (X-Total-Count: all matches)
 * GET   /api/time-entries/:id      one entry
 * POST  /api/time-entries          log hours (staff: their own; managers: anyone's)
 * PATCH /api/time-entries/:id      change an entry; send the version you read
 * CSV export and import live in ../csv.
 */
import { Router } from 'express';
import { z } from 'zod';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { createEntry, deleteEntry, getEntry, listEntries, publicEntry, updateEntry } from './time-entries.service.ts';

const id = z.string().trim().min(1, { error: 'must not be empty' }).max(200);
const hours = z
  .number({ error: 'must be a number of hours' })
  .gt(0, { error: 'must be more than 0' })
  .max(24, { error: 'must be at most 24 hours' })
  .refine((h) => Number.isInteger(h * 4), { error: 'must be in quarter hours (a multiple of 0.25)' });
const fields = {
  ticketId: id,
  hours,
  date: z.iso.date({ error: 'must be a date like 2026-10-05' }),
  week: z.number({ error: 'must be a week index' }).int({ error: 'must be a whole week index' }).min(0, { error: 'must be a week index from 0' }).max(26),
  staffId: id,
  note: z.string({ error: 'must be text' }).max(2000, { error: 'must be at most 2000 characters' }),
};

const CreateBody = z.object({ ...fields, date: fields.date.optional(), week: fields.week.optional(), staffId: id.optional(), note: fields.note.optional() }).strict();
const PatchBody = z
  .object({ version: z.number({ error: 'is required: send the version you read, so nobody’s change is overwritten' }).int(), ...fields })
  .partial()
  .required({ version: true })
  .strict();
const IdParam = z.object({ id: z.coerce.number({ error: 'must be a time entry number' }).int().positive({ error: 'must be a time entry number' }) });
const opt = z.string().trim().min(1).max(200).optional();
const ListQuery = z.object({
  quarter: opt,
  ticket: opt,
  staff: opt,
  client: opt,
  week: z.coerce.number({ error: 'must be a week index' }).int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});

const VersionQuery = z.object({ version: z.coerce.number({ error: 'is required: send the version you read (?version=N)' }).int() }).strict();

export function timeEntriesRouter(s: Services): Router {
  const router = Router();
  router.use(requireAuth);

  router.get('/', async (req, res) => {
    const { entries, total } = await listEntries(s.store.reader(), viewer(req), parse(ListQuery, req.query));
    res.setHeader('X-Total-Count', String(total));
    res.json(entries);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const v = viewer(req);
    res.json(publicEntry(await getEntry(s.store.reader(), v, id), v));
  });

  router.post('/', requireRole('manager', 'staff'), async (req, res) => {
    const body = parse(CreateBody, req.body);
    const v = viewer(req);
    const e = await s.store.write(v, 'time entry', (w) => createEntry(w, s.events, v, body));
    res.status(201).json(publicEntry(e, v));
  });

  router.patch('/:id', requireRole('manager', 'staff'), async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const body = parse(PatchBody, req.body);
    const v = viewer(req);
    const e = await s.store.write(v, 'time entry', (w) => updateEntry(w, s.events, v, id, body));
    res.json(publicEntry(e, v));
  });

  router.delete('/:id', requireRole('manager', 'staff'), async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const { version } = parse(VersionQuery, req.query);
    const v = viewer(req);
    await s.store.write(v, 'time entry removed', (w) => deleteEntry(w, s.events, v, id, version));
    res.status(204).end();
  });

  return router;
}
