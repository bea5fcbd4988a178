/**
 * GET  /api/staff              a page of people by id (managers); a staff user gets only
 *                              themselves; ?quarter= ?limit= ?cursor=
 * GET  /api/skills             the skills in use, people's and open tickets' (managers)
 * GET  /api/staff/:id          one person (managers; a staff user only themselves)
 * POST /api/staff              add a person (managers)
 * PATCH /api/staff/:id         name, weeklyHours, skills, active (managers; needs `version`)
 * PUT  /api/staff/:id/leave    { week, hours, quarter? } one week's leave, 0 removes (managers)
 * Reads take ?quarter= for the quarter whose leave is shown (default: the current one).
 * Client users have no staff record to read: 403.
 */
import { Router } from 'express';
import { IdParam, QuarterQuery } from '../../../shared/api/fields.ts';
import { LeaveBody, StaffCreate, StaffListQuery, StaffPatch, type SkillsInUse, type StaffPage, type StaffRecord } from '../../../shared/api/staff.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { parseBody } from '../resource-helpers.ts';
import { StaffService } from './staff.service.ts';

export function staffRouter(s: Services): Router {
  const router = Router();
  const staff = new StaffService(s);
  router.use(requireAuth, requireRole('manager', 'staff'));

  router.get('/', async (req, res) => {
    res.json((await staff.list(viewer(req), parse(StaffListQuery, req.query))) satisfies StaffPage);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    res.json((await staff.get(viewer(req), id, parse(QuarterQuery, req.query).quarter)) satisfies StaffRecord);
  });

  router.post('/', requireRole('manager'), async (req, res) => {
    res.status(201).json((await staff.create(viewer(req), parseBody(StaffCreate, req.body))) satisfies StaffRecord);
  });

  router.patch('/:id', requireRole('manager'), async (req, res) => {
    const { id } = parse(IdParam, req.params);
    res.json((await staff.update(viewer(req), id, parseBody(StaffPatch, req.body))) satisfies StaffRecord);
  });

  router.put('/:id/leave', requireRole('manager'), async (req, res) => {
    const { id } = parse(IdParam, req.params);
    res.json((await staff.setLeave(viewer(req), id, parseBody(LeaveBody, req.body))) satisfies StaffRecord);
  });

  return router;
}

/** GET /api/skills (its own path: a person may be called "skills"). */
export function skillsRouter(s: Services): Router {
  const router = Router();
  const staff = new StaffService(s);
  router.get('/', requireAuth, requireRole('manager'), async (_req, res) => {
    res.json((await staff.skillsInUse()) satisfies SkillsInUse);
  });
  return router;
}
