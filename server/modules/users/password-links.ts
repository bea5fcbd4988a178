/**
 * One-time links that set a password: a manager invites a user (who has no password until they
 * set one) or resets a password, and is shown the link to send (no email yet). The token is 256
 * random bits; only its SHA-256 is stored. The link is also mailed to the user (notifications:
 * the `account` rule), the mail's stored copy without the token. A link lasts LINK_HOURS, works once, and a newer link
 * for the same user replaces the older. Tries with a token that is not a live link count like
 * failed sign-ins from the caller's address (auth/sign-in-limits.ts).
 *
 * Setting the password through a link ends every session of the user, and their sockets, on
 * every instance (as a manager's password change does), and is audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PasswordLinkInfo, SetPasswordResult } from '../../../shared/api/auth.ts';
import type { PasswordLink as PasswordLinkJson, PasswordLinkAnswer, UserInvite } from '../../../shared/api/users.ts';
import { hashPassword } from '../../auth/password.ts';
import { passwordProblem } from '../../auth/password-policy.ts';
import { SignInLimits } from '../../auth/sign-in-limits.ts';
import { userRecord, userView } from '../../auth/views.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { PasswordLink, Session, User } from '../../db/entities.ts';
import { conflict, notFound, validationError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import type { WriteContext } from '../../store.ts';
import { FOR_UPDATE } from '../resource-helpers.ts';
import { checkLinks } from './users.service.ts';

export const LINK_HOURS = 72;
const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');
const BAD_LINK = 'is not a working link: it may have expired or been used already. Ask a manager for a new one.';

export interface TokenCaller {
  address: string;
  onRefused: (seconds: number) => void;
}

export class PasswordLinks {
  private readonly limits: SignInLimits;

  constructor(private readonly s: Services) {
    this.limits = new SignInLimits(s);
  }

  /** Creates a user without a password, and the link with which they set one. */
  async invite(v: Viewer, body: UserInvite): Promise<PasswordLinkAnswer> {
    const link = { clientId: body.client ?? null, staffId: body.staff ?? null };
    await checkLinks(this.s.store.reader(), body.role, link);
    // Nobody knows this password: the account cannot be signed in to until the link is used.
    const unusable = await hashPassword(randomBytes(32).toString('base64url'));
    return this.s.store.write(v, 'user invited', async (w) => {
      if (await w.tx.findOne(User, { email: body.email })) throw conflict(`A user with email ${body.email} already exists.`);
      await checkLinks(w.tx, body.role, link);
      const user = w.tx.create(User, { email: body.email, passwordHash: unusable, role: body.role, ...link });
      await w.tx.flush();
      const made = await this.issue(w, v, user, 'invite');
      w.audit('invite', 'user', user.id, null, { ...userRecord(user), linkExpiresAt: made.expiresAt });
      w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds: [], entity: 'user', id: String(user.id), ...link }));
      w.afterCommit(() => this.mail(user, made));
      return { user: userView(user, v), link: made };
    });
  }

  /** A reset link for a user; their current password works until the new one is set. */
  async reset(v: Viewer, id: number | 'me'): Promise<PasswordLinkAnswer> {
    const userId = id === 'me' ? v.userId : id;
    return this.s.store.write(v, 'password link', async (w) => {
      const user = await w.tx.findOne(User, { id: userId });
      if (!user) throw notFound(`User ${userId}`);
      const made = await this.issue(w, v, user, 'reset');
      w.audit('password-link', 'user', user.id, null, { purpose: 'reset', expiresAt: made.expiresAt });
      w.afterCommit(() => this.mail(user, made));
      return { user: userView(user, v), link: made };
    });
  }

  /** What a link is for, so the page can name the account; a dead link is a 400 naming token. */
  async check(token: string, caller: TokenCaller): Promise<PasswordLinkInfo> {
    await this.limits.claim({ account: null, address: caller.address }, caller.onRefused);
    const em = this.s.store.reader();
    const found = await this.live(em, token);
    if (!found) throw validationError([{ field: 'token', message: BAD_LINK }]);
    await this.limits.succeeded({ account: null, address: caller.address });
    return { email: found.user.email, purpose: found.link.purpose, expiresAt: found.link.expiresAt.toISOString() };
  }

  /** Spends the link and sets the password (the server's password rule); every session of the user ends. */
  async setPassword(token: string, password: string, caller: TokenCaller): Promise<SetPasswordResult> {
    const problem = passwordProblem(password);
    if (problem) throw validationError([{ field: 'password', message: problem }]);
    await this.limits.claim({ account: null, address: caller.address }, caller.onRefused);
    if (!(await this.live(this.s.store.reader(), token))) throw validationError([{ field: 'token', message: BAD_LINK }]);
    const hash = await hashPassword(password);
    const result = await this.s.store.write(null, 'password set', async (w) => {
      // Locked and checked again: of two uses at once, one sets the password and the other is refused.
      const link = await w.tx.findOne(PasswordLink, { tokenHash: tokenHash(token) }, FOR_UPDATE);
      if (!link || link.usedAt || link.expiresAt.getTime() <= Date.now()) throw validationError([{ field: 'token', message: BAD_LINK }]);
      const user = await w.tx.findOne(User, { id: link.userId });
      if (!user) throw validationError([{ field: 'token', message: BAD_LINK }]);
      link.usedAt = new Date();
      user.passwordHash = hash;
      await w.tx.nativeDelete(PasswordLink, { userId: user.id, id: { $ne: link.id } });
      await w.tx.nativeDelete(Session, { userId: user.id });
      await w.tx.flush();
      w.audit('set-password', 'user', user.id, null, { purpose: link.purpose, passwordChanged: true });
      return { userId: user.id, email: user.email };
    });
    await this.limits.succeeded({ account: null, address: caller.address });
    await this.s.access.revoke({ userId: result.userId, reason: 'user-changed' });
    return { email: result.email };
  }

  private mail(user: User, link: PasswordLinkJson): void {
    this.s.notifier.accountLink({ id: user.id, email: user.email, role: user.role, clientId: user.clientId ?? null, staffId: user.staffId ?? null }, link);
  }

  private async issue(w: WriteContext, v: Viewer, user: User, purpose: 'invite' | 'reset'): Promise<PasswordLinkJson> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + LINK_HOURS * 3600_000);
    // One live link per user: a new one replaces any the manager made before.
    await w.tx.nativeDelete(PasswordLink, { userId: user.id, usedAt: null });
    w.tx.create(PasswordLink, { tokenHash: tokenHash(token), userId: user.id, purpose, createdBy: v.userId, expiresAt });
    await w.tx.flush();
    return { path: `/set-password?token=${token}`, purpose, expiresAt: expiresAt.toISOString() };
  }

  private async live(em: EntityManager, token: string): Promise<{ link: PasswordLink; user: User } | null> {
    const link = await em.findOne(PasswordLink, { tokenHash: tokenHash(token) });
    if (!link || link.usedAt || link.expiresAt.getTime() <= Date.now()) return null;
    const user = await em.findOne(User, { id: link.userId });
    return user ? { link, user } : null;
  }
}
