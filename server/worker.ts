/**
 * npm run worker: a solver worker on its own. It takes re-plan jobs from the PostgreSQL queue
 * shared with the API instances, and sends the resulting events to their sockets through
 * PostgreSQL. Add as many as the load needs; each quarter is still solved by one at a time.
 */
import { loadConfig } from './config.ts';
import { openDatabase } from './db/orm.ts';
import { faultTolerantPool } from './db/pg-pool.ts';
import { EventBus } from './events.ts';
import { createLogger } from './logger.ts';
import { Notifier } from './notifications/notifier.ts';
import { exitOnSignals } from './shutdown.ts';
import { QueueReplanner } from './planning/queue-replanner.ts';
import { SolverPool } from './planning/solver-pool.ts';
import { PostgresEmitter } from './realtime/pg-emitter.ts';
import { startPublisher } from './realtime/publisher.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, 'hourglass-worker');
if (!config.DATABASE_URL) {
  logger.fatal('npm run worker needs DATABASE_URL: a stand-alone worker shares its queue with the API instances through PostgreSQL. A single `npm start` already runs a worker inside the server.');
  process.exit(2);
}

const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, logger, poolMax: 4 });
const events = new EventBus();
const pool = new SolverPool(1, config.SOLVE_TIMEOUT_MS, config.SOLVER_DELAY_MS);
const pgPool = faultTolerantPool({ connectionString: config.DATABASE_URL, max: 2, application_name: 'hourglass-worker-events' }, logger, 'worker events');
const stopPublisher = startPublisher(events, new PostgresEmitter(pgPool, (err) => logger.warn({ err }, 'could not send an event to the sockets')), logger);
const replanner = new QueueReplanner({ orm: db.orm, pool, events, logger, planHistory: config.PLAN_HISTORY }, { connectionString: config.DATABASE_URL, work: true, debounceMs: config.REPLAN_DEBOUNCE_MS, expireInSeconds: config.JOB_EXPIRE_SECONDS });
// The plans this worker commits fire their notification rules here (plan.updated is this process's).
const notifier = new Notifier({ orm: db.orm, config, logger, events });
await notifier.start();
await replanner.start();
await replanner.catchUp();
logger.info('solver worker ready');
process.stdout.write('worker ready\n');

exitOnSignals(logger, 'worker', async () => {
  await replanner.close();
  await notifier.close();
  stopPublisher();
  await pool.close();
  await pgPool.end();
  await db.close();
});
