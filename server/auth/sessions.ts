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

export async function destroySession(em: EntityManager, token: string): Promise<void> {
  await em.nativeDelete(Session, { id: sessionIdOf(token) });
}

/** The signed-in user for a cookie header, or null. Expired sessions are removed on sight. */
export async function userForCookie(em: EntityManager, cookieHeader: string | undefined): Promise<User | null> {
  const token = tokenFromCookie(cookieHeader);
  if (!token) return null;
  const session = await em.findOne(Session, { id: sessionIdOf(token) });
  if (!session) return null;
  if (session.expiresAt.getTime() < Date.now()) {
    await em.nativeDelete(Session, { id: session.id });
    return null;
  }
  return em.findOne(User, { id: session.userId });
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
