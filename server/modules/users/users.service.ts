/**
 * Users: managers create, edit, disable and enable every account; anyone may read their own and
 * change their own password (with the current one). Another user's account answers 404 to
 * non-managers, as if it did not exist. Changing an email address is a manager's: a self-service
 * change would tell its requester which addresses already have an account.
 *
 * Every change to a user ends what they had: their sockets close and every instance forgets
 * their sign-ins before the change is answered (auth/access.ts), so the next request and the next
 * socket see the new role, links or password. A disabled user has no sessions and cannot sign in.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserCreate, UserListQuery, UserPatch, UserRecord } from '../../../shared/api/users.ts';
import type { Revocation } from '../../auth/access.ts';
import { hashPassword, verifyPassword } from '../../auth/password.ts';
import { passwordProblem } from '../../auth/password-policy.ts';
import { SignInLimits } from '../../auth/sign-in-limits.ts';
import { userRecord, userView } from '../../auth/views.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { Client, Session, Staff, User, type Role } from '../../db/entities.ts';
import { conflict, forbidden, notFound, validationError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import type { WriteContext } from '../../store.ts';
import { checkVersion, FOR_UPDATE, withConflictDetails } from '../resource-helpers.ts';

export type UserJson = UserRecord;

/** Who is asking, for the parts of a change that concern their own session and address. */
export interface Caller {
  /** The caller's own session: kept when they change their own password. */
  sessionId: string | null;
  /** For the limits on wrong current passwords (auth/sign-in-limits.ts). */
  address: string;
  onRefused: (seconds: number) => void;
}

export class UsersService {
  private readonly limits: SignInLimits;

  constructor(private readonly s: Services) {
    this.limits = new SignInLimits(s);
  }

  async list(v: Viewer, query: UserListQuery): Promise<UserJson[]> {
    const where: Record<string, unknown> = {};
    if (query.role) where.role = query.role;
    if (query.client) where.clientId = query.client;
    const users = await this.s.store.reader().find(User, where, { orderBy: { id: 'asc' } });
    return users.map((u) => userView(u, v));
  }

  async get(v: Viewer, id: number | 'me'): Promise<UserJson> {
    const userId = this.scope(v, id);
    const user = await this.s.store.reader().findOne(User, { id: userId });
    if (!user) throw notFound(`User ${userId}`);
    return userView(user, v);
  }

  async create(v: Viewer, body: UserCreate): Promise<UserJson> {
    checkPassword(body.password);
    const link = { clientId: body.client ?? null, staffId: body.staff ?? null };
    // Refuse a bad link before the slow hash; the hash is made outside the transaction because
    // scrypt takes a while and PGlite has a single connection. Links are checked again inside.
    await checkLinks(this.s.store.reader(), body.role, link);
    const passwordHash = await hashPassword(body.password);
    return this.s.store.write(v, 'user created', async (w) => {
      if (await w.tx.findOne(User, { email: body.email })) throw conflict(`A user with email ${body.email} already exists.`);
      await checkLinks(w.tx, body.role, link);
      const user = w.tx.create(User, { email: body.email, passwordHash, role: body.role, ...link });
      await w.tx.flush();
      w.audit('create', 'user', user.id, null, userRecord(user));
      w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds: [], entity: 'user', id: String(user.id), ...link }));
      return userView(user, v);
    });
  }

  async update(v: Viewer, id: number | 'me', body: UserPatch, caller: Caller): Promise<UserJson> {
    const userId = this.scope(v, id);
    const self = userId === v.userId;
    if (v.role !== 'manager') {
      const field = (['role', 'client', 'staff'] as const).find((f) => body[f] !== undefined);
      if (field) throw forbidden(`Only managers can change ${field}.`);
      // The same answer whether or not the address is taken: no list of accounts to be had here.
      if (body.email !== undefined) throw forbidden('Ask a manager to change your email address.');
    }
    // Password work happens before the transaction (scrypt is slow; PGlite has one connection).
    // The version check inside it proves the password verified here is still the current one.
    let password: { hash: string; verifiedAt: number | null } | undefined;
    if (body.password !== undefined) {
      checkPassword(body.password);
      const verifiedAt = self ? await this.verifyCurrent(userId, body.currentPassword, caller) : null;
      password = { hash: await hashPassword(body.password), verifiedAt };
    }
    const result = await withConflictDetails(
      () => this.s.store.write(v, 'user updated', (w) => this.applyPatch(w, v, userId, body, password, caller.sessionId)),
      () => this.get(v, userId),
    );
    if (result.changed) await this.s.access.revoke({ userId, reason: 'user-changed' });
    return result.user;
  }

  /** Disables (or enables) an account: a disabled user's sessions and sockets end at once, everywhere. */
  async setDisabled(v: Viewer, id: number | 'me', disabled: boolean): Promise<UserJson> {
    const userId = id === 'me' ? v.userId : id;
    const result = await this.s.store.write(v, disabled ? 'user disabled' : 'user enabled', async (w) => {
      const { tx } = w;
      const user = await tx.findOne(User, { id: userId }, FOR_UPDATE);
      if (!user) throw notFound(`User ${userId}`);
      if (Boolean(user.disabledAt) === disabled) return { user: userView(user, v), changed: false };
      // Which also keeps the last manager enabled: whoever disables is an enabled manager.
      if (disabled && userId === v.userId) throw conflict('You cannot disable your own account: another manager can.');
      const before = userRecord(user);
      user.disabledAt = disabled ? new Date() : null;
      if (disabled) await tx.nativeDelete(Session, { userId });
      await tx.flush();
      w.audit(disabled ? 'disable' : 'enable', 'user', userId, before, userRecord(user));
      w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds: [], entity: 'user', id: String(userId), clientId: user.clientId ?? null, staffId: user.staffId ?? null }));
      return { user: userView(user, v), changed: true };
    });
    if (result.changed && disabled) await this.s.access.revoke({ userId, reason: 'disabled' } satisfies Revocation);
    return result.user;
  }

  /**
   * Checks the caller's current password, limited like a sign-in (per account and address);
   * returns the version of the record it was checked on.
   */
  private async verifyCurrent(userId: number, currentPassword: string | undefined, caller: Caller): Promise<number> {
    if (currentPassword === undefined) throw validationError([{ field: 'currentPassword', message: 'is required to change your own password' }]);
    const user = await this.s.store.reader().findOne(User, { id: userId });
    if (!user) throw notFound(`User ${userId}`);
    const keys = { account: user.email, address: caller.address };
    await this.limits.claim(keys, caller.onRefused);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw validationError([{ field: 'currentPassword', message: 'is not your current password' }]);
    }
    await this.limits.succeeded(keys);
    return user.version;
  }

  private async applyPatch(
    w: WriteContext,
    v: Viewer,
    userId: number,
    body: UserPatch,
    password: { hash: string; verifiedAt: number | null } | undefined,
    sessionId: string | null,
  ): Promise<{ user: UserJson; changed: boolean }> {
    const { tx } = w;
    const user = await tx.findOne(User, { id: userId }, FOR_UPDATE);
    if (!user) throw notFound(`User ${userId}`);
    checkVersion(user, body.version, () => userView(user, v));
    if (password?.verifiedAt != null) checkVersion(user, password.verifiedAt, () => userView(user, v));
    const before = userRecord(user);
    if (body.email !== undefined && body.email !== user.email) {
      if (await tx.findOne(User, { email: body.email })) throw conflict(`A user with email ${body.email} already exists.`);
      user.email = body.email;
      // The single sign-on link was made by the old address: whoever verifies the new one links afresh (auth/oidc.ts).
      user.oidcIssuer = null;
      user.oidcSubject = null;
    }
    const role = body.role ?? user.role;
    // Changing the role drops the links the new role does not have, unless they are sent.
    const roleChanged = role !== user.role;
    const link = {
      clientId: body.client !== undefined ? body.client : roleChanged && role !== 'client' ? null : (user.clientId ?? null),
      staffId: body.staff !== undefined ? body.staff : roleChanged && role !== 'staff' ? null : (user.staffId ?? null),
    };
    await checkLinks(tx, role, link);
    if (user.role === 'manager' && role !== 'manager' && !user.disabledAt && (await enabledManagers(tx)) <= 1) {
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
    const after = userRecord(user);
    const changed = JSON.stringify(before) !== JSON.stringify(after) || Boolean(password);
    if (changed) {
      w.audit('update', 'user', userId, before, { ...after, passwordChanged: Boolean(password) });
      w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds: [], entity: 'user', id: String(userId), clientId: after.client, staffId: after.staff }));
    }
    return { user: userView(user, v), changed };
  }

  /** Non-managers reach only themselves; anyone else is "not found". */
  private scope(v: Viewer, id: number | 'me'): number {
    const userId = id === 'me' ? v.userId : id;
    if (v.role !== 'manager' && userId !== v.userId) throw notFound(`User ${userId}`);
    return userId;
  }
}

const enabledManagers = (tx: EntityManager) => tx.count(User, { role: 'manager', disabledAt: null });

/** At least 12 characters and not a common password (auth/password-policy.ts): the server's own rule. */
function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw validationError([{ field: 'password', message: problem }]);
}

/** A client user speaks for one existing client, a staff user is one existing staff member. */
export async function checkLinks(tx: EntityManager, role: Role, link: { clientId: string | null; staffId: string | null }): Promise<void> {
  const issues: { field: string; message: string }[] = [];
  if (role === 'client' && !link.clientId) issues.push({ field: 'client', message: 'is required for a client user' });
  if (role !== 'client' && link.clientId) issues.push({ field: 'client', message: 'only client users speak for a client' });
  if (role === 'staff' && !link.staffId) issues.push({ field: 'staff', message: 'is required for a staff user' });
  if (role !== 'staff' && link.staffId) issues.push({ field: 'staff', message: 'only staff users are a staff member' });
  if (issues.length === 0 && link.clientId && !(await tx.findOne(Client, { id: link.clientId }, { fields: ['id'] }))) {
    issues.push({ field: 'client', message: `unknown client "${link.clientId}"` });
  }
  if (issues.length === 0 && link.staffId && !(await tx.findOne(Staff, { id: link.staffId }, { fields: ['id'] }))) {
    issues.push({ field: 'staff', message: `unknown staff "${link.staffId}"` });
  }
  if (issues.length > 0) throw validationError(issues);
}
