/**
 * Sessions: a random token in an httpOnly, SameSite cookie; the database keeps only its SHA-256,
 * so a leaked table gives no working sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse as parseCookie, serialize } from 'cookie';
import { Session, User } from '../db/entities.ts';

export const COOKIE_NAME = 'hg_session';

/** The session row id for a cookie token. */
export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface SessionOptions {
  hours: number;
  secure: boolean;
}

export async function createSession(em: EntityManager, userId: number, hours: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  em.create(Session, { id: sessionIdOf(token), userId, expiresAt: new Date(Date.now() + hours * 3600_000) });
  await em.flush();
  return token;
}

/** Ends a session; returns whose it was (null when there was none). */
export async function destroySession(em: EntityManager, token: string): Promise<{ userId: number } | null> {
  const session = await em.findOne(Session, { id: sessionIdOf(token) }, { fields: ['userId'] });
  if (!session) return null;
  await em.nativeDelete(Session, { id: session.id });
  return { userId: session.userId };
}

export interface SignedIn {
  user: User;
  sessionId: string;
  expiresAt: Date;
}

/**
 * The signed-in user of a session token, or null: no such session, an expired one (removed on
 * sight), or a disabled account (its sessions are removed too).
 */
export async function signedIn(em: EntityManager, token: string | undefined): Promise<SignedIn | null> {
  if (!token) return null;
  const session = await em.findOne(Session, { id: sessionIdOf(token) });
  if (!session) return null;
  if (session.expiresAt.getTime() < Date.now()) {
    await em.nativeDelete(Session, { id: session.id });
    return null;
  }
  const user = await em.findOne(User, { id: session.userId });
  if (!user) return null;
  if (user.disabledAt) {
    await em.nativeDelete(Session, { userId: user.id });
    return null;
  }
  return { user, sessionId: session.id, expiresAt: session.expiresAt };
}

export function tokenFromCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parseCookie(cookieHeader)[COOKIE_NAME] || undefined;
}

export function sessionCookie(token: string, opts: SessionOptions): string {
  return serialize(COOKIE_NAME, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: opts.secure,
    path: '/',
    maxAge: Math.round(opts.hours * 3600),
  });
}

export function clearedCookie(opts: SessionOptions): string {
  return serialize(COOKIE_NAME, '', { httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/', maxAge: 0 });
}
