/**
 * startTestApp(): the real app on a throwaway database, listening on a free port.
 * - target 'pglite': embedded PostgreSQL in a temporary folder;
 * - target 'postgres': a new database on the local PostgreSQL server (dropped on close).
 * dbTargets() lists the targets this machine can run; tests run once per target.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createApp, type App } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { User, type Role } from '../../server/db/entities.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { createLogger, type Logger } from '../../server/logger.ts';
import { ApiClient } from './api-client.ts';

export type DbTarget = 'pglite' | 'postgres';

export const ADMIN = { email: 'admin@test.local', password: 'admin-password-1' };
const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

let pgReachable: Promise<boolean> | undefined;
/**
 * Whether the PostgreSQL server answers. With REQUIRE_POSTGRES set (CI sets it) one that does not
 * is an error, so a suite that would skip without PostgreSQL fails instead.
 */
export function postgresReachable(): Promise<boolean> {
  pgReachable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })().then((reachable) => {
    if (!reachable && process.env.REQUIRE_POSTGRES) throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES is set) but no server answers at ${PG_ADMIN_URL}`);
    return reachable;
  });
  return pgReachable;
}

/** Targets to run: TEST_DB=pglite|postgres|both (default both where PostgreSQL is reachable). */
export async function dbTargets(): Promise<DbTarget[]> {
  const want = process.env.TEST_DB ?? 'both';
  const reachable = await postgresReachable();
  if ((want === 'postgres' || process.env.REQUIRE_POSTGRES) && !reachable) {
    throw new Error(`PostgreSQL is required (TEST_DB=postgres or REQUIRE_POSTGRES) but no server answers at ${PG_ADMIN_URL}`);
  }
  if (!reachable && want !== 'pglite') {
    console.warn(`[tests] no PostgreSQL server at ${PG_ADMIN_URL}: running the server tests on embedded PGlite only`);
  }
  if (want === 'pglite') return ['pglite'];
  if (want === 'postgres') return ['postgres'];
  return reachable ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestApp {
  target: DbTarget;
  url: string;
  app: App;
  databaseUrl?: string;
  dataDir?: string;
  /** Signs in (creating the user first if needed) and returns a client with that session. */
  as(email: string, password?: string): Promise<ApiClient>;
  anonymous(): ApiClient;
  createUser(role: Role, opts?: { email?: string; password?: string; clientId?: string; staffId?: string }): Promise<{ email: string; password: string }>;
  manager(): Promise<ApiClient>;
  /** Waits until every pending re-plan has committed. */
  settle(): Promise<void>;
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export async function createTestDatabase(): Promise<string> {
  const name = `hg_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  return PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = url.slice(url.lastIndexOf('/') + 1);
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
}

export async function startTestApp(
  target: DbTarget,
  env: Record<string, string> = {},
  reuse?: { databaseUrl?: string; dataDir?: string },
  opts: { logger?: Logger } = {},
): Promise<TestApp> {
  const databaseUrl = target === 'postgres' ? (reuse?.databaseUrl ?? (await createTestDatabase())) : undefined;
  const dataDir = target === 'pglite' ? (reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'hg-test-'))) : mkdtempSync(join(tmpdir(), 'hg-unused-'));
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DEMO: 'off',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    DATA_DIR: dataDir,
    REPLAN_DEBOUNCE_MS: '10',
    SERVE_CLIENT: 'false',
    LOGIN_RATE_LIMIT: '1000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const app = await createApp(config, { logger: opts.logger ?? createLogger(config.LOG_LEVEL), clock: false });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const passwords = new Map<string, string>([[ADMIN.email, ADMIN.password]]);
  let counter = 0;

  const t: TestApp = {
    target,
    url,
    app,
    databaseUrl,
    dataDir: target === 'pglite' ? dataDir : undefined,
    anonymous: () => new ApiClient(url),
    async as(email, password) {
      const client = new ApiClient(url);
      await client.login(email, password ?? passwords.get(email) ?? 'password-123');
      return client;
    },
    manager: () => t.as(ADMIN.email, ADMIN.password),
    async createUser(role, opts = {}) {
      const email = (opts.email ?? `${role}${++counter}-${Math.random().toString(36).slice(2, 6)}@test.local`).toLowerCase();
      const password = opts.password ?? 'password-123';
      const em = app.services.store.reader();
      em.create(User, { email, passwordHash: await hashPassword(password), role, clientId: opts.clientId ?? null, staffId: opts.staffId ?? null });
      await em.flush();
      passwords.set(email, password);
      return { email, password };
    },
    settle: () => app.services.replanner.idle(),
    async close(opts = {}) {
      await app.close();
      if (opts.keepData) return;
      if (databaseUrl) await dropTestDatabase(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
