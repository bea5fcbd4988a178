/**
 * Database setup: a real PostgreSQL server when DATABASE_URL is set, otherwise embedded
 * PostgreSQL (PGlite) stored under DATA_DIR and served on a loopback socket. PGlite is a single
 * session, so the pool has one connection and transactions must use their own EntityManager.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DefaultLogger, type LogContext, type LoggerNamespace, type LoggerOptions } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Logger } from '../logger.ts';
import { ENTITIES } from './entities.ts';
import { Migration0001Initial } from './migrations/0001-initial.ts';
import { Migration0003ClosedQuartersReadOnly } from './migrations/0003-closed-quarters-read-only.ts';
import { Migration0004SocketIo } from './migrations/0004-socket-io.ts';
import { Migration0005Pins } from './migrations/0005-pins.ts';
import { Migration0006Access } from './migrations/0006-access.ts';
import { Migration0007PackedPlans } from './migrations/0007-packed-plans.ts';
import { Migration0008Setup } from './migrations/0008-setup.ts';
import { Migration0009AuditRevisions } from './migrations/0009-audit-revisions.ts';
import { Migration0010Prices } from './migrations/0010-prices.ts';
import { Migration0011Notifications } from './migrations/0011-notifications.ts';
import { Migration0012CalendarFeeds } from './migrations/0012-calendar-feeds.ts';
import { Migration0013Statements } from './migrations/0013-statements.ts';
import { Migration0014CalendarToken } from './migrations/0014-calendar-token.ts';
import { Migration0015ApiTokens } from './migrations/0015-api-tokens.ts';
import { Migration0016SentView } from './migrations/0016-sent-view.ts';
import { Migration0017Intake } from './migrations/0017-intake.ts';
import { Migration0018MailIntake } from './migrations/0018-mail-intake.ts';
import { Migration0019LeaveCalendars } from './migrations/0019-leave-calendars.ts';
import { Migration0020Oidc } from './migrations/0020-oidc.ts';

export const MIGRATIONS = [
  { name: '0001-initial', class: Migration0001Initial },
  { name: '0003-closed-quarters-read-only', class: Migration0003ClosedQuartersReadOnly },
  { name: '0004-socket-io', class: Migration0004SocketIo },
  { name: '0005-pins', class: Migration0005Pins },
  { name: '0006-access', class: Migration0006Access },
  { name: '0007-packed-plans', class: Migration0007PackedPlans },
  { name: '0008-setup', class: Migration0008Setup },
  { name: '0009-audit-revisions', class: Migration0009AuditRevisions },
  { name: '0010-prices', class: Migration0010Prices },
  { name: '0011-notifications', class: Migration0011Notifications },
  { name: '0012-calendar-feeds', class: Migration0012CalendarFeeds },
  { name: '0013-statements', class: Migration0013Statements },
  { name: '0014-calendar-token', class: Migration0014CalendarToken },
  { name: '0015-api-tokens', class: Migration0015ApiTokens },
  { name: '0016-sent-view', class: Migration0016SentView },
  { name: '0017-intake', class: Migration0017Intake },
  { name: '0018-mail-intake', class: Migration0018MailIntake },
  { name: '0019-leave-calendars', class: Migration0019LeaveCalendars },
  { name: '0020-oidc', class: Migration0020Oidc },
];

export interface Database {
  orm: MikroORM;
  embedded: boolean;
  url: string;
  close(): Promise<void>;
}

interface Embedded {
  url: string;
  stop(): Promise<void>;
}

async function startEmbedded(dataDir: string, logger: Logger): Promise<Embedded> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const dir = resolve(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  logger.info({ dir }, 'embedded PostgreSQL (PGlite) started');
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * MikroORM's own messages, in our log at their level (`info` ones at debug). Queries are never
 * logged, whatever MIKRO_ORM_DEBUG (or a .env file, which MikroORM also reads) says: MikroORM
 * writes the parameters' values into the query text, so a query log is a log of everything sent.
 */
class OrmLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly out: Logger,
  ) {
    super(options);
  }

  override log(namespace: LoggerNamespace | (string & {}), message: string, context?: LogContext): void {
    if (namespace === 'query' || namespace === 'query-params' || !this.isEnabled(namespace as LoggerNamespace, context)) return;
    const level = context?.level === 'error' ? 'error' : context?.level === 'warning' ? 'warn' : 'debug';
    this.out[level]({ orm: namespace }, message);
  }

  override logQuery(): void {}
}

export async function openDatabase(opts: { url?: string; dataDir: string; logger: Logger; poolMax?: number }): Promise<Database> {
  const embedded = opts.url ? null : await startEmbedded(opts.dataDir, opts.logger);
  const url = opts.url ?? embedded!.url;
  const orm = await MikroORM.init({
    entities: ENTITIES,
    clientUrl: url,
    pool: embedded ? { min: 1, max: 1 } : { min: 0, max: opts.poolMax ?? 10 },
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, tableName: 'mikro_orm_migrations', transactional: true, snapshot: false, silent: true },
    discovery: { warnWhenNoEntities: false },
    forceUtcTimezone: true,
    debug: false,
    colors: false,
    loggerFactory: (options) => new OrmLogger(options, opts.logger),
  });
  await orm.getMigrator().up();
  return {
    orm,
    embedded: Boolean(embedded),
    url,
    async close() {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}

