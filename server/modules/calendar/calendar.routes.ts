/**
 * GET  /api/calendar              the caller's calendar feed (staff, managers): { url, createdAt, kind }
 * POST /api/calendar/reset        a new feed address; the old one answers 404
 * GET  /api/calendar/:token.ics   the feed (text/calendar), no cookie needed
 * Clients get 403 on the first two: the issue gives feeds to staff and managers only. The feed
 * answers 404 for any token that opens nothing (malformed, unknown, reset, a disabled account, a
 * client user), alike; a feed's ETag lets a calendar ask again cheaply (304).
 */
import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import type { CalendarFeedAnswer } from '../../../shared/api/calendar.ts';
import { requireAuth, viewer } from '../../auth/middleware.ts';
import { notFound } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { matchesEtag } from '../plans/plan-bodies.ts';
import { CalendarFeeds } from './calendar-feeds.ts';
import { feedFor } from './calendar-ics.ts';

/** The address the caller reached us by (X-Forwarded-* only from TRUST_PROXY, as Express decides). */
const originOf = (req: Request) => `${req.protocol}://${req.get('host')}`;

export function calendarRouter(s: Services): Router {
  const router = Router();
  const feeds = new CalendarFeeds(s);

  router.get('/', requireAuth, async (req, res) => {
    res.json((await feeds.mine(viewer(req), originOf(req))) satisfies CalendarFeedAnswer);
  });

  router.post('/reset', requireAuth, async (req, res) => {
    res.json((await feeds.reset(viewer(req), originOf(req))) satisfies CalendarFeedAnswer);
  });

  router.get('/:file', async (req, res) => {
    const file = req.params.file;
    const owner = file.endsWith('.ics') ? await feeds.owner(file.slice(0, -4)) : null;
    // Never echo the path back: it is the feed's key.
    if (!owner) throw notFound('Calendar feed');
    const feed = await feedFor(s.store.reader(), owner);
    const etag = `"${createHash('sha256').update(feed.ics).digest('base64url').slice(0, 27)}"`;
    res.set({ 'Cache-Control': 'private, no-cache', ETag: etag, 'X-Robots-Tag': 'noindex' });
    if (matchesEtag(req.headers['if-none-match'], etag)) return void res.status(304).end();
    res.type('text/calendar; charset=utf-8').send(feed.ics);
  });

  return router;
}
