/**
 * Shared set-up for the resource tests (staff, clients, users, tickets, access control): one app
 * per file and target, seeded with the emergency-rollover example and a user per role.
 *
 * The example (quarter 2026-Q4, 13 weeks, currentWeek 11): staff `sam`; prepaid clients
 * `harbor`, `quill`, `nimbus` and PAYG `dyno`; tickets H-1 (harbor), Q-1 (quill, emergency),
 * Q-2 (quill), D-1 (dyno). Sam's plan covers H-1, Q-1 and Q-2; D-1 gets no hours.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { TimeEntry } from '../../server/db/entities.ts';
import type { DomainEvents, EventName } from '../../server/events.ts';
import type { ApiClient, ApiResponse } from './api-client.ts';
import { startTestApp, type DbTarget, type TestApp } from './test-app.ts';

export const QUARTER = '2026-Q4';
export const example = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/examples/emergency-rollover.json'), 'utf8'));

export interface Seeded {
  t: TestApp;
  manager: ApiClient;
  /** Client users of harbor and quill, and the staff user of sam. */
  harbor: ApiClient;
  quill: ApiClient;
  sam: ApiClient;
}

export async function seededApp(target: DbTarget): Promise<Seeded> {
  const t = await startTestApp(target);
  const manager = await t.manager();
  const r = await manager.post(`/api/quarters/${QUARTER}/import`, example);
  if (r.status !== 200) throw new Error(`import failed: ${r.status} ${JSON.stringify(r.body)}`);
  await t.settle();
  await t.createUser('client', { email: 'harbor@client.test', clientId: 'harbor' });
  await t.createUser('client', { email: 'quill@client.test', clientId: 'quill' });
  await t.createUser('staff', { email: 'sam@staff.test', staffId: 'sam' });
  return { t, manager, harbor: await t.as('harbor@client.test'), quill: await t.as('quill@client.test'), sam: await t.as('sam@staff.test') };
}

/**
 * Seeds an app for the enclosing describe block before its tests and closes it after them. `use`
 * gets it first: the block assigns its variables there, and adds what all its tests share.
 */
export function withSeededApp(target: DbTarget, use: (s: Seeded) => unknown): void {
  let t: TestApp | undefined;
  beforeAll(async () => {
    const s = await seededApp(target);
    t = s.t;
    await use(s);
  });
  afterAll(() => t?.close());
}

/** The fields a 400 names. */
export const fieldsOf = (r: { body: { error: { details: { field: string }[] } } }) => r.body.error.details.map((d) => d.field);

/** Sends each body: every one must get a 400 that names its field. */
export async function expectFieldErrors(send: (body: unknown) => Promise<ApiResponse>, cases: readonly (readonly [unknown, string])[]): Promise<void> {
  for (const [body, field] of cases) {
    const r = await send(body);
    expect(r.status, JSON.stringify(body)).toBe(400);
    expect(fieldsOf(r), JSON.stringify(body)).toContain(field);
  }
}

/** Rows in a table, read straight from the database. */
export async function rowCount(t: TestApp, table: string): Promise<number> {
  const rows = await t.app.services.store.reader().execute<{ n: string }[]>(`select count(*) as n from ${table}`);
  return Number(rows[0]!.n);
}

/** Logs hours directly in the database: the time-entries API belongs to another module. */
export async function logTime(t: TestApp, e: { staffId: string; ticketId: string; clientId: string; week: number; hours: number }): Promise<void> {
  const em = t.app.services.store.reader();
  em.create(TimeEntry, { ...e, quarterId: QUARTER, date: '2026-12-14' });
  await em.flush();
}

/**
 * The tickets a person was planned on in any plan version of the quarter kept so far: with their
 * pins and time entries, what a staff user may read and log on (server/modules/tickets/ticket-access.ts).
 */
export async function everPlanned(manager: ApiClient, staffId: string, quarter = QUARTER): Promise<string[]> {
  const ids = new Set<string>();
  for (const { version } of (await manager.get(`/api/plans?quarter=${quarter}`)).body.versions as { version: number }[]) {
    for (const a of (await manager.get(`/api/plans/${version}`)).body.allocations as { staff: string; ticket: string }[]) if (a.staff === staffId) ids.add(a.ticket);
  }
  return [...ids].sort();
}

/** Records the events of one name from now on. */
export function recordEvents<K extends EventName>(t: TestApp, name: K): { events: DomainEvents[K][]; stop: () => void } {
  const events: DomainEvents[K][] = [];
  const stop = t.app.services.events.on(name, (p) => events.push(p));
  return { events, stop };
}

/** A JSON body just over the 200 kB limit of /api. */
export const oversized = () => ({ title: 'x'.repeat(210 * 1024) });

/** A body that is not JSON, sent as JSON. */
export const malformed = (client: ApiClient, method: string, path: string) => client.request(method, path, '{"title": ', { 'content-type': 'application/json' });
