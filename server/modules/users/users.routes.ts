/**
 * GET   /api/users            every user (managers; ?role=, ?client=)
 * GET   /api/users/:id        one user (managers; anyone for themselves, also as /api/users/me)
 * POST  /api/users            create a user (managers)
 * PATCH /api/users/:id        edit (managers: all fields; yourself: email, and password with currentPassword)
 */
import { Router } from 'express';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { tokenFromCookie } from '../../auth/sessions.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { parseBody } from '../resource-helpers.ts';
import { CreateUser, PatchUser, UserIdParam, UserListQuery } from './users.schemas.ts';
import { sessionIdOf } from '../../auth/sessions.ts';
import { UsersService } from './users.service.ts';

export function usersRouter(s: Services): Router {
  const router = Router();
  const users = new UsersService(s);
  router.use(requireAuth);

  router.get('/', requireRole('manager'), async (req, res) => {
    res.json(await users.list(parse(UserListQuery, req.query)));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(UserIdParam, req.params);
    res.json(await users.get(viewer(req), id));
  });

  router.post('/', requireRole('manager'), async (req, res) => {
    res.status(201).json(await users.create(viewer(req), parseBody(CreateUser, req.body)));
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parse(UserIdParam, req.params);
    const body = parseBody(PatchUser, req.body);
    const token = tokenFromCookie(req.headers.cookie);
    res.json(await users.update(viewer(req), id, body, token ? sessionIdOf(token) : null));
  });

  return router;
}
