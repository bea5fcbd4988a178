/**
 * The app factory: createApp(config) → { app, server, services, close }. Tests start the real app
 * with it; main.ts only adds listening and signals.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { RequestContext } from '@mikro-orm/core';
import { Access } from './auth/access.ts';
import { authenticate } from './auth/middleware.ts';
import { authRouter } from './auth/auth.routes.ts';
import { oidcRouter } from './auth/oidc.routes.ts';
import { startClock } from './clock.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/orm.ts';
import { AppError, errorHandler, notFoundRoute } from './errors.ts';
import { EventBus } from './events.ts';
import { createLogger, type Logger } from './logger.ts';
import { Notifier } from './notifications/notifier.ts';
import { plansRouter } from './modules/plans/plans.routes.ts';
import { quartersRouter } from './modules/quarters/quarters.routes.ts';
import { InProcessReplanner, type ReplanDeps, type Replanner } from './planning/replanner.ts';
import { QueueReplanner } from './planning/queue-replanner.ts';
import { startPublisher } from './realtime/publisher.ts';
import { startSocketServer } from './realtime/socket-server.ts';
import { SolverPool } from './planning/solver-pool.ts';
import { healthRouter } from './health.ts';
import { inputGuard } from './input-guard.ts';
import type { Services } from './services.ts';
import { Store } from './store.ts';
import { ensureAdmin, loadDemoIfEmpty } from './seed.ts';
import { startMailListener, type MailListener } from './mail-intake/listener.ts';
import { apiRouters } from './modules/index.ts';
import { keepRawBody } from './modules/intake/intake.routes.ts';
import { startLeaveRefresh } from './modules/leave-calendars/leave-calendars.service.ts';

export interface App {
  app: express.Express;
  server: Server;
  services: Services;
  /** Demo sign-ins, when the demo quarter was loaded by this start. */
  demo: { email: string; password: string; role: string }[] | null;
  /** The mail-intake SMTP listener, when INBOUND_SMTP_PORT is set. */
  mail: MailListener | null;
  close(): Promise<void>;
}

const CLIENT_DIST = join(import.meta.dirname, '..', 'client', 'dist');

/** Mutating requests carry JSON (or CSV): a cross-site HTML form can send neither. */
const bodyTypes: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method)) return next();
  if (req.is(['application/json', 'text/csv'])) return next();
  next(new AppError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json (CSV imports: text/csv).'));
};

export async function createApp(config: Config, opts: { logger?: Logger; clock?: boolean } = {}): Promise<App> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, logger });
  const events = new EventBus();
  const store = new Store(db.orm);
  const pool = new SolverPool(1, config.SOLVE_TIMEOUT_MS, config.SOLVER_DELAY_MS);
  const replanner = await startReplanner(config, { orm: db.orm, pool, events, logger, planHistory: config.PLAN_HISTORY });
  store.onTouched((quarters, reason) => replanner.markDirty(quarters, reason));
  const notifier = new Notifier({ orm: db.orm, config, logger, events });
  await notifier.start({ clock: opts.clock });
  const services: Services = { config, logger, orm: db.orm, embedded: db.embedded, events, store, replanner, pool, access: new Access(), notifier };

  await ensureAdmin(services);
  const demo = await loadDemoIfEmpty(services);
  await replanner.catchUp();
  const stopClock = opts.clock === false ? () => {} : startClock(services);
  // Holiday and absence feeds, read again once a day (modules/leave-calendars).
  const stopLeaveRefresh = opts.clock === false ? () => {} : startLeaveRefresh(services);

  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For is believed only from the proxies named in TRUST_PROXY (sign-in limits count by address).
  app.set('trust proxy', config.TRUST_PROXY.length > 0 ? config.TRUST_PROXY : false);
  app.use(helmet());
  app.use((_req, _res, next) => RequestContext.create(db.orm.em, next));
  app.use('/api', bodyTypes);
  app.use('/api/quarters/:id/import', express.json({ limit: '20mb' }));
  // Trackers' deliveries: the raw body is kept for the signature (modules/intake), 1 MB at most.
  app.use('/api/intake', express.json({ limit: '1mb', verify: keepRawBody }));
  app.use('/api', express.json({ limit: '200kb' }), express.text({ type: 'text/csv', limit: '10mb' }));
  // Before any router: no NUL, lone surrogate or broken %-escape in a path, query or body.
  app.use('/api', inputGuard);
  app.use('/api', authenticate(db.orm, services.access, { tokenRateLimit: config.API_TOKEN_RATE_LIMIT }));
  app.use('/api/health', healthRouter(services));
  app.use('/api/auth', authRouter(services), oidcRouter(services));
  app.use('/api/plans', plansRouter(services));
  app.use('/api/quarters', quartersRouter(services));
  for (const [path, router] of apiRouters(services)) app.use(path, router);
  app.use('/api', notFoundRoute);
  if (config.SERVE_CLIENT && existsSync(CLIENT_DIST)) {
    app.use(express.static(CLIENT_DIST, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(join(CLIENT_DIST, 'index.html')));
  }
  app.use(errorHandler(logger));

  const server = createServer(app);
  const live = await startSocketServer(server, services, { postgresUrl: config.DATABASE_URL });
  const stopPublisher = startPublisher(events, live.io, logger);
  const mail = await startMailListener(services);
  return {
    app,
    server,
    services,
    demo,
    mail,
    async close() {
      stopClock();
      stopLeaveRefresh();
      // No more mail taken in; a mail in hand is finished (or answered 451) first.
      await mail?.close();
      // Stop taking requests, finish (or hand back) the re-plan in hand, then let go of sockets.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await replanner.close();
      await notifier.close();
      stopPublisher();
      await live.close();
      server.closeAllConnections();
      await closed;
      await pool.close();
      await db.close();
    },
  };
}

/**
 * With a PostgreSQL server, re-plans are jobs on a shared queue (several instances, stand-alone
 * workers); on the embedded database, one process plans in-process.
 */
async function startReplanner(config: Config, deps: ReplanDeps): Promise<Replanner> {
  if (!config.DATABASE_URL) {
    if (config.SOLVER_WORKER === 'none') {
      throw new Error('SOLVER_WORKER=none needs DATABASE_URL: stand-alone workers share their queue through PostgreSQL. On the embedded database the server plans by itself.');
    }
    return new InProcessReplanner(deps, config.REPLAN_DEBOUNCE_MS);
  }
  const queue = new QueueReplanner(deps, {
    connectionString: config.DATABASE_URL,
    work: config.SOLVER_WORKER === 'in-process',
    debounceMs: config.REPLAN_DEBOUNCE_MS,
    expireInSeconds: config.JOB_EXPIRE_SECONDS,
  });
  await queue.start();
  return queue;
}
