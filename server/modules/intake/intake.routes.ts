/**
 * POST   /api/intake/:source           a tracker's delivery (github, gitlab, jira, generic): no session,
 *                                      the signature is the key; 201 created, 200 updated, 202 ignored
 *                                      (with why), 401 bad signature (nothing stored), 404 not connected,
 *                                      429 past INTAKE_RATE_LIMIT a minute per tracker and address
 * GET    /api/intake/sources           the connected trackers and their mappings, never a secret (managers)
 * PUT    /api/intake/sources/:source   connect or reconfigure a tracker { secret, clients, priorities,
 *                                      defaultPriority, emergencyLabel?, skillLabels?, estimateField? } (managers)
 * DELETE /api/intake/sources/:source   disconnect it (204; 404 when not connected)
 * GET    /api/intake/events            every delivery with its outcome and why, newest first; ?source= ?outcome= ?limit= ?cursor= (managers)
 */
import { Router, type Request } from 'express';
import { IntakeEventListQuery, IntakeSourceName, IntakeSourcePut, type IntakeAnswer, type IntakeEventPage, type IntakeSourceRecord } from '../../../shared/api/intake.ts';
import { requireRole, viewer } from '../../auth/middleware.ts';
import { AppError, notFound, parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { parseBody } from '../resource-helpers.ts';
import { IntakeService } from './intake.service.ts';

/** The raw body, kept by the JSON parser (app.ts) for the signature. */
export const keepRawBody = (req: Request, _res: unknown, buf: Buffer) => {
  (req as Request & { rawBody?: Buffer }).rawBody = buf;
};

const WINDOW_MS = 60_000;

/** Requests per tracker and address per minute, on this instance. */
class IntakeRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly perMinute: number) {}

  take(key: string): number | null {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= WINDOW_MS) {
      if (this.windows.size >= 10_000) for (const [k, x] of this.windows) if (now - x.start >= WINDOW_MS) this.windows.delete(k);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.perMinute) return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
    w.count++;
    return null;
  }
}

const sourceOf = (raw: unknown) => {
  const r = IntakeSourceName.safeParse(raw);
  if (!r.success) throw notFound(`Tracker ${String(raw).slice(0, 40)}`);
  return r.data;
};

export function intakeRouter(s: Services): Router {
  const router = Router();
  const intake = new IntakeService(s);
  const limit = new IntakeRateLimit(s.config.INTAKE_RATE_LIMIT);
  const managers = requireRole('manager');

  router.get('/sources', managers, async (_req, res) => {
    res.json((await intake.listSources()) satisfies IntakeSourceRecord[]);
  });

  router.put('/sources/:source', managers, async (req, res) => {
    const source = sourceOf(req.params.source);
    res.json((await intake.putSource(viewer(req), source, parseBody(IntakeSourcePut, req.body))) satisfies IntakeSourceRecord);
  });

  router.delete('/sources/:source', managers, async (req, res) => {
    await intake.deleteSource(viewer(req), sourceOf(req.params.source));
    res.status(204).end();
  });

  router.get('/events', managers, async (req, res) => {
    res.json((await intake.events(parse(IntakeEventListQuery, req.query))) satisfies IntakeEventPage);
  });

  // Trackers call without a cookie: no session, no Origin; the signature decides (intake.service.ts).
  router.post('/:source', async (req, res) => {
    const source = sourceOf(req.params.source);
    const wait = limit.take(`${source} ${req.ip}`);
    if (wait !== null) {
      res.setHeader('Retry-After', String(wait));
      throw new AppError(429, 'rate_limited', `Too many deliveries: at most ${s.config.INTAKE_RATE_LIMIT} a minute for each tracker and address. Wait ${wait} seconds.`);
    }
    const { status, answer } = await intake.receive(source, req.headers, (req as Request & { rawBody?: Buffer }).rawBody, req.body);
    res.status(status).json(answer satisfies IntakeAnswer);
  });

  return router;
}
