/**
 * GET    /api/leave-calendars              the holiday and absence calendars, each with its last refresh,
 *                                          error and the hours it takes off per week and person; ?quarter=
 * POST   /api/leave-calendars              add one { kind, name, url | ics, staffId? }: read now (a feed that
 *                                          fails to fetch or parse is a 400 naming url or ics), 201
 * POST   /api/leave-calendars/preview      the same body: what it would take off this quarter, nothing stored
 * POST   /api/leave-calendars/:id/refresh  read it again now; a failure keeps its days and answers its lastError
 * DELETE /api/leave-calendars/:id          remove it and the hours it took off (204)
 * Managers only. The current quarter needs a start date (400 naming quarter.startDate): holidays are dates.
 */
import { Router } from 'express';
import { QuarterQuery } from '../../../shared/api/fields.ts';
import { LeaveCalendarCreate, LeaveCalendarIdParam, type LeaveCalendarList, type LeaveCalendarPreview, type LeaveCalendarRecord } from '../../../shared/api/leave-calendars.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { parseBody } from '../resource-helpers.ts';
import { LeaveCalendarsService } from './leave-calendars.service.ts';

export function leaveCalendarsRouter(s: Services): Router {
  const router = Router();
  const calendars = new LeaveCalendarsService(s);
  router.use(requireAuth, requireRole('manager'));

  router.get('/', async (req, res) => {
    res.json((await calendars.list(parse(QuarterQuery, req.query).quarter)) satisfies LeaveCalendarList);
  });

  router.post('/preview', async (req, res) => {
    res.json((await calendars.preview(parseBody(LeaveCalendarCreate, req.body))) satisfies LeaveCalendarPreview);
  });

  router.post('/', async (req, res) => {
    res.status(201).json((await calendars.create(viewer(req), parseBody(LeaveCalendarCreate, req.body))) satisfies LeaveCalendarRecord);
  });

  router.post('/:id/refresh', async (req, res) => {
    const { id } = parse(LeaveCalendarIdParam, req.params);
    res.json((await calendars.refresh(viewer(req), id)) satisfies LeaveCalendarRecord);
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parse(LeaveCalendarIdParam, req.params);
    await calendars.remove(viewer(req), id);
    res.status(204).end();
  });

  return router;
}
