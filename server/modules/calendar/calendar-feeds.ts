/**
 * Secret calendar feed addresses (issue 12). Each staff member and manager has one feed,
 * `/api/calendar/<token>.ics`, read without a cookie: the address is the key. The token is 256
 * random bits in base64url, found by its SHA-256 (migration 0012: an index lookup, so how long it
 * takes says nothing of how near a guess came). The token is kept too (migration 0014) so that
 * GET /api/calendar answers the owner's address every time, as the contract says; a feed is a
 * read-only view of one person's planned weeks, and its owner replaces a leaked address with a
 * reset, after which the old one answers 404 at once (so do a disabled account's and a client
 * user's). Feeds made before migration 0014 have no token kept: `url` is null until a reset.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CalendarFeedAnswer } from '../../../shared/api/calendar.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { CalendarFeed, User } from '../../db/entities.ts';
import { forbidden } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { FOR_UPDATE } from '../resource-helpers.ts';

/** 32 random bytes in base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const feedHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** What a feed's address serves: the user as they are now (their current role and staff link). */
export interface FeedOwner {
  id: number;
  role: User['role'];
  staffId: string | null;
}

export const feedKind = (role: string): CalendarFeedAnswer['kind'] | null => (role === 'staff' ? 'staff' : role === 'manager' ? 'team' : null);

export class CalendarFeeds {
  constructor(private readonly s: Services) {}

  /** The caller's feed with its address, made on the first call (audited). */
  async mine(v: Viewer, origin: string): Promise<CalendarFeedAnswer> {
    const kind = this.kindFor(v);
    const existing = await this.s.store.reader().findOne(CalendarFeed, { userId: v.userId });
    if (existing) return { url: existing.token ? feedUrl(origin, existing.token) : null, createdAt: existing.createdAt.toISOString(), kind };
    return this.s.store.write(v, 'calendar feed', async (w) => {
      // The user's row is the lock: of two first calls at once, one makes the feed.
      await w.tx.findOneOrFail(User, { id: v.userId }, FOR_UPDATE);
      const made = await w.tx.findOne(CalendarFeed, { userId: v.userId });
      if (made) return { url: made.token ? feedUrl(origin, made.token) : null, createdAt: made.createdAt.toISOString(), kind };
      const token = randomBytes(32).toString('base64url');
      const feed = w.tx.create(CalendarFeed, { userId: v.userId, tokenHash: feedHash(token), token, createdAt: new Date() });
      await w.tx.flush();
      w.audit('calendar-feed', 'user', v.userId, null, { feed: 'created', kind });
      return { url: feedUrl(origin, token), createdAt: feed.createdAt.toISOString(), kind };
    });
  }

  /** A new address for the caller's feed; the old one answers 404 from the commit on. */
  async reset(v: Viewer, origin: string): Promise<CalendarFeedAnswer> {
    const kind = this.kindFor(v);
    return this.s.store.write(v, 'calendar feed reset', async (w) => {
      await w.tx.findOneOrFail(User, { id: v.userId }, FOR_UPDATE);
      const token = randomBytes(32).toString('base64url');
      const now = new Date();
      const feed = await w.tx.findOne(CalendarFeed, { userId: v.userId });
      const before = feed ? { createdAt: feed.createdAt.toISOString() } : null;
      if (feed) Object.assign(feed, { tokenHash: feedHash(token), token, createdAt: now });
      else w.tx.create(CalendarFeed, { userId: v.userId, tokenHash: feedHash(token), token, createdAt: now });
      await w.tx.flush();
      w.audit('calendar-feed', 'user', v.userId, before, { feed: 'reset', kind, createdAt: now.toISOString() });
      return { url: feedUrl(origin, token), createdAt: now.toISOString(), kind };
    });
  }

  /**
   * Whose feed a token opens: null for a token of the wrong shape, an unknown or replaced one, a
   * disabled account or one whose role has no feed (all answered alike, 404).
   */
  async owner(token: string): Promise<FeedOwner | null> {
    if (!TOKEN.test(token)) return null;
    const em = this.s.store.reader();
    const feed = await em.findOne(CalendarFeed, { tokenHash: feedHash(token) });
    if (!feed) return null;
    const user = await em.findOne(User, { id: feed.userId });
    if (!user || user.disabledAt || !feedKind(user.role)) return null;
    return { id: user.id, role: user.role, staffId: user.staffId ?? null };
  }

  private kindFor(v: Viewer): CalendarFeedAnswer['kind'] {
    const kind = feedKind(v.role);
    if (!kind) throw forbidden('Calendar feeds are for staff (their planned weeks) and managers (the team’s leave and emergencies); a client’s hours and tickets are on its dashboard.');
    return kind;
  }
}

export const feedUrl = (origin: string, token: string) => `${origin}/api/calendar/${token}.ics`;
