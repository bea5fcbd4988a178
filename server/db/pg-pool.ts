/**
 * A `pg` pool that outlives database faults. pg reports a connection the server cut (a terminated
 * backend, a restart) as an 'error' event, and an 'error' event nobody listens to ends the
 * process. pg-pool forwards an idle client's error to the pool, but takes its own listener off a
 * client while it is checked out, so both the pool and each client get one here. Nothing else is
 * needed: the query in flight rejects on its own, and the pool drops the broken client.
 */
import pg from 'pg';
import type { Logger } from '../logger.ts';

export function faultTolerantPool(config: pg.PoolConfig, logger: Logger, what: string): pg.Pool {
  const pool = new pg.Pool({ keepAlive: true, ...config });
  // Never the error object itself: pg-pool attaches the client, whose settings hold the password.
  const log = (err: Error & { code?: string }) => logger.warn({ code: err.code, message: err.message }, `${what}: a database connection was lost`);
  pool.on('error', log);
  pool.on('connect', (client) => client.on('error', log));
  return pool;
}
