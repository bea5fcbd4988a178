/**
 * GET   /api/users               every user (managers; ?role=, ?client=)
 * GET   /api/users/:id           one user (managers; anyone for themselves, also as /api/users/me)
 * POST  /api/users               create a user (managers)
 * PATCH /api/users/:id           edit (managers: all fields; yourself: your password, with currentPassword)
 * Bodies name a user's links `client` and `staff`; the old `clientId` and `staffId` are still accepted.
 * POST  /api/users/:id/disable   disable an account: its sessions and sockets end at once (managers)
 * POST  /api/users/:id/enable    enable it again (managers)
 * POST  /api/users/invite        { email, role, client?, staff? }: a user without a password, and a
 *                                one-time link that sets it (managers; the link is shown to send)
 * POST  /api/users/:id/password-link  a one-time link that resets the password (managers)
 */
import { Router, type Response } from 'express';
import { UserCreate, UserIdParam, UserInvite, UserListQuery, UserPatch, type PasswordLinkAnswer, type UserRecord } from '../../../shared/api/users.ts';
import { addressOf } from '../../auth/auth.routes.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { parseBody } from '../resource-helpers.ts';
import { PasswordLinks } from './password-links.ts';
import { UsersService } from './users.service.ts';

export function usersRouter(s: Services): Router {
  const router = Router();
  const users = new UsersService(s);
  const links = new PasswordLinks(s);
  const manager = requireRole('manager');
  router.use(requireAuth);

  router.get('/', manager, async (req, res) => {
    res.json((await users.list(viewer(req), parse(UserListQuery, req.query))) satisfies UserRecord[]);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(UserIdParam, req.params);
    res.json((await users.get(viewer(req), id)) satisfies UserRecord);
  });

  router.post('/', manager, async (req, res) => {
    res.status(201).json((await users.create(viewer(req), parseBody(UserCreate, req.body))) satisfies UserRecord);
  });

  router.post('/invite', manager, async (req, res) => {
    res.status(201).json((await links.invite(viewer(req), parseBody(UserInvite, req.body))) satisfies PasswordLinkAnswer);
  });

  router.post('/:id/password-link', manager, async (req, res) => {
    const { id } = parse(UserIdParam, req.params);
    res.status(201).json((await links.reset(viewer(req), id)) satisfies PasswordLinkAnswer);
  });

  router.patch('/:id', async (req, res: Response) => {
    const { id } = parse(UserIdParam, req.params);
    const body = parseBody(UserPatch, req.body);
    const caller = { sessionId: req.sessionId ?? null, address: addressOf(req), onRefused: (seconds: number) => res.setHeader('Retry-After', String(seconds)) };
    res.json((await users.update(viewer(req), id, body, caller)) satisfies UserRecord);
  });

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    router.post(`/:id/${path}`, manager, async (req, res) => {
      const { id } = parse(UserIdParam, req.params);
      res.json((await users.setDisabled(viewer(req), id, disabled)) satisfies UserRecord);
    });
  }

  return router;
}
