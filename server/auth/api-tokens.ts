/**
 * API tokens (issue 13): `Authorization: Bearer hg_…` on any /api route, and on the live socket.
 *
 * A token speaks as its role, with exactly that role's access (a client token is that client, a
 * staff token that staff member), narrowed by its scopes:
 * - `read`: every GET (and HEAD);
 * - `tickets:write`: POST/PUT/PATCH/DELETE under /api/tickets (the role's own rules still apply);
 * - `time-entries:write`: the same under /api/time-entries.
 * Every other write (clients, staff, users, quarters, pins, what-ifs, settings, tokens
 * themselves…) is refused with 403 whatever the role and scopes: a token never gets more than its
 * scopes say. Routes that belong to a person (tokens, the calendar feed's page, the account's
 * switches, /api/users/me) are refused too: a token is no user.
 *
 * Tokens are looked up on every request (one index lookup by the token's SHA-256, no cache), so a
 * revoked token is refused at once on every instance; its sockets are closed through the same
 * revocation transport as a sign-out (auth/access.ts). No cookie is involved, so bearer requests
 * need no Origin check. Each token may make API_TOKEN_RATE_LIMIT requests a minute on each
 * instance (429 with Retry-After past that); its last use is written at most once a minute.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApiTokenScope } from '../../shared/api/tokens.ts';
import { ApiToken } from '../db/entities.ts';
import { AppError } from '../errors.ts';
import type { Viewer } from './viewer.ts';

export const TOKEN_PREFIX = 'hg_';
/** The prefix and 32 random bytes in base64url (43 characters). */
const TOKEN_SHAPE = /^hg_[A-Za-z0-9_-]{43}$/;
const LAST_USED_EVERY_MS = 60_000;
const WINDOW_MS = 60_000;

export const newApiToken = () => TOKEN_PREFIX + randomBytes(32).toString('base64url');

export const apiTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The socket room (auth/access.ts Revocation.sessionId) of a token's sockets. */
export const tokenSessionId = (id: number) => `api-token:${id}`;

/** The token of an `Authorization: Bearer …` header; undefined when there is no bearer header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer[ \t]+(\S*)\s*$/i.exec(header);
  return m ? m[1]! : undefined;
}

/** The live token of a bearer token, or null (malformed, unknown, revoked). */
export async function findApiToken(em: EntityManager, token: string): Promise<ApiToken | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  return em.findOne(ApiToken, { tokenHash: apiTokenHash(token), revokedAt: null });
}

export function viewerOfToken(t: ApiToken): Viewer {
  return {
    userId: 0,
    email: `token:${t.name}`,
    role: t.role,
    clientId: t.role === 'client' ? (t.clientId ?? null) : null,
    staffId: t.role === 'staff' ? (t.staffId ?? null) : null,
    token: { id: t.id, name: t.name, scopes: [...t.scopes] },
  };
}

/** Records a use, at most once a minute per token (and once across instances: the update is conditional). */
export async function touchLastUsed(em: EntityManager, t: ApiToken): Promise<void> {
  if (t.lastUsedAt && Date.now() - t.lastUsedAt.getTime() < LAST_USED_EVERY_MS) return;
  await em.execute(`update api_tokens set last_used_at = now() where id = ? and (last_used_at is null or last_used_at < now() - interval '1 minute')`, [t.id]);
}

const WRITE_SCOPES: [prefix: string, scope: ApiTokenScope][] = [
  ['/api/tickets', 'tickets:write'],
  ['/api/time-entries', 'time-entries:write'],
];
/** A person's own pages: no token has them. */
const PERSONAL = ['/api/tokens', '/api/account', '/api/users/me'];

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** Why a token may not make this request (403), or null when its scopes allow it. */
export function tokenRefusal(method: string, path: string, scopes: readonly ApiTokenScope[]): string | null {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (PERSONAL.some((prefix) => under(p, prefix)) || (under(p, '/api/calendar') && !p.endsWith('.ics'))) {
    return 'An API token is no user: this route is for signed-in users only.';
  }
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
    return scopes.includes('read') ? null : 'This API token has no "read" scope.';
  }
  const scope = WRITE_SCOPES.find(([prefix]) => under(p, prefix))?.[1];
  if (!scope) return 'API tokens write only tickets (scope "tickets:write") and time entries (scope "time-entries:write").';
  return scopes.includes(scope) ? null : `This API token has no "${scope}" scope.`;
}

/** Requests per token per minute, on this instance: a fixed window per token. */
export class TokenRateLimit {
  private readonly windows = new Map<number, { start: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  /** Counts a request; throws 429 (after `onRefused` sets Retry-After) past the limit. */
  take(tokenId: number, onRefused: (seconds: number) => void): void {
    const now = Date.now();
    let w = this.windows.get(tokenId);
    if (!w || now - w.start >= WINDOW_MS) {
      if (this.windows.size >= 10_000) for (const [id, x] of this.windows) if (now - x.start >= WINDOW_MS) this.windows.delete(id);
      w = { start: now, count: 0 };
      this.windows.set(tokenId, w);
    }
    if (w.count >= this.perMinute) {
      const seconds = Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
      onRefused(seconds);
      throw new AppError(429, 'rate_limited', `Too many requests with this API token: at most ${this.perMinute} a minute. Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`);
    }
    w.count++;
  }
}
