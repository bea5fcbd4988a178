/**
 * Access that follows the user, everywhere, at once. Each instance remembers a sign-in for a few
 * seconds (it saves two queries on every request); a change to a user, a sign-out or a disabled
 * account revokes it: this instance forgets at once, and the realtime layer (which knows the other
 * instances) disconnects the user's sockets and makes every other instance forget, before the
 * request that made the change is answered.
 *
 * A lookup that was already reading the database when a revocation came must not put back what
 * was revoked: `begin()` marks when a lookup started, and `remember()` and `revokedSince()` check
 * the revocations since then.
 */
import type { Viewer } from './viewer.ts';

/** Whose access ends: one session (a sign-out), or every session of a user. */
export interface Revocation {
  userId: number;
  sessionId?: string;
  reason: 'signed-out' | 'user-changed' | 'disabled' | 'expired' | 'token-revoked';
}

/** Reaches what this instance cannot end by itself: sockets, other instances' caches. */
export type RevocationTransport = (r: Revocation) => Promise<void>;

const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;
/** Revocations kept to check lookups in flight against: far longer than any lookup takes. */
const LOG_MS = 60_000;
const LOG_MAX = 1_000;

export class Access {
  private readonly recent = new Map<string, { viewer: Viewer; until: number }>();
  private readonly log: { seq: number; at: number; r: Revocation }[] = [];
  private seq = 0;
  private readonly transports = new Set<RevocationTransport>();

  /** The viewer of a session remembered from a recent lookup, if still fresh. */
  cached(sessionId: string): Viewer | undefined {
    const hit = this.recent.get(sessionId);
    if (hit && hit.until > Date.now()) return hit.viewer;
    if (hit) this.recent.delete(sessionId);
    return undefined;
  }

  /** Marks the start of a lookup; hand it to remember() or revokedSince() once it is done. */
  begin(): number {
    return this.seq;
  }

  /** Remembers a lookup, unless its session was revoked while it ran. Never past the session's end. */
  remember(sessionId: string, viewer: Viewer, expiresAt: Date, startedAt: number): void {
    if (this.revokedSince(startedAt, viewer.userId, sessionId)) return;
    if (this.recent.size >= CACHE_MAX) this.recent.clear();
    this.recent.set(sessionId, { viewer, until: Math.min(Date.now() + CACHE_MS, expiresAt.getTime()) });
  }

  /** Whether this session (or its user) was revoked since `startedAt`; when unsure, yes. */
  revokedSince(startedAt: number, userId: number, sessionId: string): boolean {
    if (startedAt === this.seq) return false;
    const oldest = this.log[0];
    if (!oldest || oldest.seq > startedAt + 1) return true;
    return this.log.some((e) => e.seq > startedAt && e.r.userId === userId && (e.r.sessionId === undefined || e.r.sessionId === sessionId));
  }

  /** Forgets on this instance only: what another instance's revocation asks of this one. */
  forget(r: Revocation): void {
    const now = Date.now();
    this.log.push({ seq: ++this.seq, at: now, r });
    while (this.log.length > LOG_MAX || (this.log.length > 1 && this.log[0]!.at < now - LOG_MS)) this.log.shift();
    for (const [sessionId, entry] of this.recent) {
      if (entry.viewer.userId === r.userId && (r.sessionId === undefined || r.sessionId === sessionId)) this.recent.delete(sessionId);
    }
  }

  /**
   * Ends access after a commit: forgets here, then waits for the transports (sockets everywhere,
   * other instances' caches). A transport that fails is the transport's to report; the caches it
   * could not reach still forget within CACHE_MS.
   */
  async revoke(r: Revocation): Promise<void> {
    this.forget(r);
    await Promise.all([...this.transports].map((t) => t(r).catch(() => {})));
  }

  onRevoke(transport: RevocationTransport): () => void {
    this.transports.add(transport);
    return () => this.transports.delete(transport);
  }
}
