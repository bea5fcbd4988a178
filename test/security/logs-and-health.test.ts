/**
 * What the server says about itself. Logs never hold a value sent to the database or a request
 * body, at the default level or with MikroORM's debugging switched on; an error the database
 * raised is logged as a summary that still says what went wrong. `/api/health` tells anyone only
 * "ok" or "down"; the database, plan and queue details are for managers.
 *
 * The reproduction: a failed query was logged with its SQL and values (knex puts them at the head
 * of the message, PostgreSQL's `detail` quotes the row), an error's `body` was logged as it was,
 * MIKRO_ORM_DEBUG=true printed every query with its values to standard output, and anonymous
 * callers read the plan version, the queue and whether the database is embedded.
 */
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { DriverException } from '@mikro-orm/core';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorHandler } from '../../server/errors.ts';
import { healthRouter } from '../../server/health.ts';
import { createLogger, type Logger } from '../../server/logger.ts';
import type { Services } from '../../server/services.ts';
import { ApiClient } from '../utils/api-client.ts';
import { Q, datedScenario } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const MARK = 'zq-secret-marker';

/** A logger whose lines are kept. */
function capture(level = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger(level, 'hourglass', new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
  return { logger, lines };
}

/** A tiny app with the real error handler (and health router), for faults a real database will not produce on demand. */
async function faultApp(logger: Logger, route: express.RequestHandler, services?: Partial<Services>) {
  const app = express();
  app.get('/fail', route);
  if (services) app.use('/api/health', healthRouter(services as Services));
  app.use(errorHandler(logger));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return { client: new ApiClient(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`), close: () => new Promise((r) => server.close(r)) };
}

/** An error as knex and MikroORM hand it over: the query with its values, then PostgreSQL's words. */
function driverError(sql: string, pgMessage: string, fields: Record<string, string>): DriverException {
  return new DriverException(Object.assign(new Error(`${sql} - ${pgMessage}`), { severity: 'ERROR', ...fields }));
}

describe('error logs, without a database', () => {
  it('logs a database error as a summary: its class, code and table, never the query or its values', async () => {
    const { logger, lines } = capture();
    const fault = driverError(`insert into "users" ("email") values ('${MARK}@x.test')`, `duplicate key value violates unique constraint "users_email_key"`, {
      code: '23505',
      table: 'users',
      constraint: 'users_email_key',
      detail: `Key (email)=(${MARK}@x.test) already exists.`,
    });
    const app = await faultApp(logger, () => {
      throw fault;
    });
    expect((await app.client.get('/fail')).status).toBe(500);
    await app.close();
    const line = lines.find((l) => l.includes('request failed'))!;
    expect(line).toBeDefined();
    expect(line).not.toContain(MARK);
    expect(line).not.toMatch(/insert into/i);
    expect(JSON.parse(line).err).toMatchObject({ type: 'DriverException', code: '23505', table: 'users', constraint: 'users_email_key', message: 'duplicate key value violates unique constraint "…"' });
    expect(JSON.parse(line).err.stack).toMatch(/^\s+at /);
  });

  it('logs a lost connection in one line that names the fault without the query', async () => {
    const { logger, lines } = capture();
    const app = await faultApp(logger, () => {
      throw driverError(`select * from "tickets" where "title" = '${MARK}'`, 'Connection terminated unexpectedly', { code: '57P01' });
    });
    const r = await app.client.get('/fail');
    await app.close();
    expect(r.status).toBe(503);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(MARK);
    expect(JSON.parse(lines[0]!).cause).toBe('Connection terminated unexpectedly');
  });

  it("never logs an error's body or its SQL fields", async () => {
    const { logger, lines } = capture();
    const app = await faultApp(logger, () => {
      throw Object.assign(new Error('upstream answered nonsense'), { status: 500, body: `{"password":"${MARK}"}`, sql: `select '${MARK}'`, params: [MARK] });
    });
    expect((await app.client.get('/fail')).status).toBe(500);
    await app.close();
    expect(lines.join('')).toContain('upstream answered nonsense');
    expect(lines.join('')).not.toContain(MARK);
  });

  it('tells anyone a database that is down as "down", and logs why without the query', async () => {
    const { logger, lines } = capture();
    const down = { getConnection: () => ({ execute: () => Promise.reject(driverError(`select '${MARK}'`, 'Connection terminated unexpectedly', { code: '08006' })) }) };
    const app = await faultApp(logger, (_req, res) => res.end(), { store: { reader: () => down } as never, logger, embedded: true, replanner: { stats: async () => ({}) } as never });
    const r = await app.client.get('/api/health');
    await app.close();
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ status: 'down' });
    expect(lines.join('')).not.toContain(MARK);
  });
});

describe.each(await dbTargets())('logs and health on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  const log = capture('trace');
  const printed: string[] = [];
  const debugBefore = process.env.MIKRO_ORM_DEBUG;

  beforeAll(async () => {
    // An operator's leftover: MikroORM reads it (and a .env file) whatever the code passes.
    process.env.MIKRO_ORM_DEBUG = 'true';
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    }
    t = await startTestApp(target, {}, undefined, { logger: log.logger });
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    await t.settle();
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
  });
  afterAll(async () => {
    await t?.close();
    vi.restoreAllMocks();
    if (debugBefore === undefined) delete process.env.MIKRO_ORM_DEBUG;
    else process.env.MIKRO_ORM_DEBUG = debugBefore;
  });

  it('never logs a value sent to the database, even at trace level with MIKRO_ORM_DEBUG set', async () => {
    const ticket = await manager.post('/api/tickets', { client: 'acme', title: `${MARK} title`, description: `${MARK} words`, priority: 3, estimateHours: 2 });
    expect(ticket.status).toBe(201);
    expect((await manager.patch(`/api/tickets/${ticket.body.id}`, { version: ticket.body.version, title: `${MARK} again` })).status).toBe(200);
    expect((await manager.get(`/api/tickets?client=${MARK}`)).status).toBe(200);
    expect((await manager.post('/api/auth/login', { email: `${MARK}@nobody.test`, password: `${MARK}-password` })).status).toBe(401);
    // A query the database refuses, with the value in it.
    await expect(t.app.services.store.reader().execute('select ?::int as n', [MARK])).rejects.toThrow();
    await t.settle();
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.filter((l) => l.includes(MARK))).toEqual([]);
    expect(printed.filter((l) => l.includes(MARK) || /\[query\]/.test(l))).toEqual([]);
  });

  it('answers anonymous health checks with the status only; managers get the details', async () => {
    const anonymous = await t.anonymous().get('/api/health');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ status: 'ok' });
    for (const who of ['ana@staff.test', 'acme@client.test']) expect((await (await t.as(who)).get('/api/health')).body).toEqual({ status: 'ok' });
    const details = await manager.get('/api/health');
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({ status: 'ok', database: { reachable: true, embedded: target === 'pglite' }, plan: { quarter: Q, behind: false } });
    expect(details.body.queue).toBeDefined();
  });
});
