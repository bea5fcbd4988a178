/**
 * Users: managers create and edit every account; anyone may read and edit their own (email and
 * password). Another user's account answers 404 to non-managers, as if it did not exist.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { publicUser } from '../../auth/auth.routes.ts';
import { forgetUser } from '../../auth/middleware.ts';
import { hashPassword, verifyPassword } from '../../auth/password.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { Client, Session, Staff, User, type Role } from '../../db/entities.ts';
import { conflict, forbidden, notFound, validationError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import type { WriteContext } from '../../store.ts';
import { checkVersion, FOR_UPDATE, withConflictDetails } from '../resource-helpers.ts';
import type { CreateUser, PatchUser } from './users.schemas.ts';

export const userJson = (u: User) => ({ ...publicUser(u), createdAt: u.createdAt });
export type UserJson = ReturnType<typeof userJson>;

/** Sessions keep the SHA-256 of the cookie token (as in auth/sessions.ts). */

export class UsersService {
  constructor(private readonly s: Services) {}

  async list(query: { role?: Role; client?: string }): Promise<UserJson[]> {
    const where: Record<string, unknown> = {};
    if (query.role) where.role = query.role;
    if (query.client) where.clientId = query.client;
    const users = await this.s.store.reader().find(User, where, { orderBy: { id: 'asc' } });
    return users.map(userJson);
  }

  async get(v: Viewer, id: number | 'me'): Promise<UserJson> {
    const userId = this.scope(v, id);
    const user = await this.s.store.reader().findOne(User, { id: userId });
    if (!user) throw notFound(`User ${userId}`);
    return userJson(user);
  }

  async create(v: Viewer, body: CreateUser): Promise<UserJson> {
    const link = { clientId: body.clientId ?? null, staffId: body.staffId ?? null };
    // Refuse a bad link before the slow hash; the hash is made outside the transaction because
    // scrypt takes a while and PGlite has a single connection. Links are checked again inside.
    await checkLinks(this.s.store.reader(), body.role, link);
    const passwordHash = await hashPassword(body.password);
    return this.s.store.write(v, 'user created', async (w) => {
      if (await w.tx.findOne(User, { email: body.email })) throw conflict(`A user with email ${body.email} already exists.`);
      await checkLinks(w.tx, body.role, link);
      const user = w.tx.create(User, { email: body.email, passwordHash, role: body.role, ...link });
      await w.tx.flush();
      w.audit('create', 'user', user.id, null, userJson(user));
      w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds: [], entity: 'user', id: String(user.id), ...link }));
      return userJson(user);
    });
  }

  /** `sessionId`: the caller's own session, kept when they change their own password. */
  async update(v: Viewer, id: number | 'me', body: PatchUser, sessionId: string | null): Promise<UserJson> {
    const userId = this.scope(v, id);
    const self = userId === v.userId;
    if (v.role !== 'manager') {
      const field = (['role', 'clientId', 'staffId'] as const).find((f) => body[f] !== undefined);
      if (field) throw forbidden(`Only managers can change ${field}.`);
    }
    // Password work happens before the transaction (scrypt is slow; PGlite has one connection).
    // The version check inside it proves the password verified here is still the current one.
    let password: { hash: string; verifiedAt: number | null } | undefined;
    if (body.password !== undefined) {
      const verifiedAt = self ? await this.verifyCurrent(userId, body.currentPassword) : null;
      password = { hash: await hashPassword(body.password), verifiedAt };
    }
    return withConflictDetails(
      () => this.s.store.write(v, 'user updated', (w) => this.applyPatch(w, userId, body, password, sessionId)),
      () => this.get(v, userId),
    );
  }

  /** Checks the caller's current password; returns the version of the record it was checked on. */
  private async verifyCurrent(userId: number, currentPassword: string | undefined): Promise<number> {
    if (currentPassword === undefined) throw validationError([{ field: 'currentPassword', message: 'is required to change your own password' }]);
    const user = await this.s.store.reader().findOne(User, { id: userId });
    if (!user) throw notFound(`User ${userId}`);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw validationError([{ field: 'currentPassword', message: 'is not your current password' }]);
    }
    return user.version;
  }

  private async applyPatch(
    w: WriteContext,
    userId: number,
    body: PatchUser,
    password: { hash: string; verifiedAt: number | null } | undefined,
    sessionId: string | null,
  ): Promise<UserJson> {
    const { tx } = w;
    const user = await tx.findOne(User, { id: userId }, FOR_UPDATE);
    if (!user) throw notFound(`User ${userId}`);
    checkVersion(user, body.version, () => userJson(user));
    if (password?.verifiedAt != null) checkVersion(user, password.verifiedAt, () => userJson(user));
    const before = userJson(user);
    if (body.email !== undefined && body.email !== user.email) {
      if (await tx.findOne(User, { email: body.email })) throw conflict(`A user with email ${body.email} already exists.`);
      user.email = body.email;
    }
    const role = body.role ?? user.role;
    // Changing the role drops the links the new role does not have, unless they are sent.
    const roleChanged = role !== user.role;
    const link = {
      clientId: body.clientId !== undefined ? body.clientId : roleChanged && role !== 'client' ? null : (user.clientId ?? null),
      staffId: body.staffId !== undefined ? body.staffId : roleChanged && role !== 'staff' ? null : (user.staffId ?? null),
    };
    await checkLinks(tx, role, link);
    if (user.role === 'manager' && role !== 'manager' && (await tx.count(User, { role: 'manager' })) <= 1) {
      throw conflict('This is the last manager: make another user a manager first.');
    }
    if (roleChanged) user.role = role;
    if (link.clientId !== (user.clientId ?? null)) user.clientId = link.clientId;
    if (link.staffId !== (user.staffId ?? null)) user.staffId = link.staffId;
    if (password) {
      user.passwordHash = password.hash;
      // A new password signs out every other session: a stolen session dies with the old password.
      await tx.nativeDelete(Session, password.verifiedAt != null && sessionId ? { userId, id: { $ne: sessionId } } : { userId });
    }
    await tx.flush();
    const after = userJson(user);
    w.afterCommit(() => forgetUser(userId));
    if (JSON.stringify(before) !== JSON.stringify(after) || password) {
      w.audit('update', 'user', userId, before, { ...after, passwordChanged: Boolean(password) });
      w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds: [], entity: 'user', id: String(userId), clientId: after.clientId, staffId: after.staffId }));
    }
    return after;
  }

  /** Non-managers reach only themselves; anyone else is "not found". */
  private scope(v: Viewer, id: number | 'me'): number {
    const userId = id === 'me' ? v.userId : id;
    if (v.role !== 'manager' && userId !== v.userId) throw notFound(`User ${userId}`);
    return userId;
  }
}

/** A client user speaks for one existing client, a staff user is one existing staff member. */
async function checkLinks(tx: EntityManager, role: Role, link: { clientId: string | null; staffId: string | null }): Promise<void> {
  const issues: { field: string; message: string }[] = [];
  if (role === 'client' && !link.clientId) issues.push({ field: 'clientId', message: 'is required for a client user' });
  if (role !== 'client' && link.clientId) issues.push({ field: 'clientId', message: 'only client users have a clientId' });
  if (role === 'staff' && !link.staffId) issues.push({ field: 'staffId', message: 'is required for a staff user' });
  if (role !== 'staff' && link.staffId) issues.push({ field: 'staffId', message: 'only staff users have a staffId' });
  if (issues.length === 0 && link.clientId && !(await tx.findOne(Client, { id: link.clientId }, { fields: ['id'] }))) {
    issues.push({ field: 'clientId', message: `unknown client "${link.clientId}"` });
  }
  if (issues.length === 0 && link.staffId && !(await tx.findOne(Staff, { id: link.staffId }, { fields: ['id'] }))) {
    issues.push({ field: 'staffId', message: `unknown staff "${link.staffId}"` });
  }
  if (issues.length > 0) throw validationError(issues);
}
