/** What routes, jobs and sockets share: one object built by createApp. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Access } from './auth/access.ts';
import type { Config } from './config.ts';
import type { EventBus } from './events.ts';
import type { Logger } from './logger.ts';
import type { Notifier } from './notifications/notifier.ts';
import type { Replanner } from './planning/replanner.ts';
import type { SolverPool } from './planning/solver-pool.ts';
import type { Store } from './store.ts';

export interface Services {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  embedded: boolean;
  events: EventBus;
  store: Store;
  replanner: Replanner;
  /** The planner's worker threads, for solves that are not re-plans (what-if). */
  pool: SolverPool;
  /** Remembered sign-ins, and ending them at once on every instance. */
  access: Access;
  /** Mail and chat by rule (notifications/notifier.ts). */
  notifier: Notifier;
}
