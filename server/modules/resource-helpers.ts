/**
 * Pieces shared by the staff, clients, users and tickets modules: body parsing, the quarter a
 * write lands in, and the optimistic-locking check. The field schemas themselves are the REST
 * contract's (shared/api/fields.ts).
 */
import { LockMode, OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import { Quarter } from '../db/entities.ts';
import { badRequest, conflict, notFound, parse, validationError } from '../errors.ts';
import { resolveQuarter } from '../planning/plan-store.ts';

/**
 * `parse` for request bodies: a body that is not a JSON object says so, and each unknown field
 * of a strict schema is named as the field (zod reports them all at the object's own path).
 */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw validationError([{ field: 'body', message: 'must be a JSON object (Content-Type: application/json)' }]);
  }
  return parse(schema, input);
}

/** The quarter a read is about: the one named, else the current one (null when none exists). */
export async function readQuarter(em: EntityManager, quarterId?: string): Promise<Quarter | null> {
  const q = await resolveQuarter(em, quarterId);
  if (quarterId && !q) throw notFound(`Quarter ${quarterId}`);
  return q;
}

/** The open quarter a write lands in: the one named, else the current one. */
export async function writableQuarter(em: EntityManager, quarterId?: string): Promise<Quarter> {
  const q = await resolveQuarter(em, quarterId);
  if (!q) throw notFound(quarterId ? `Quarter ${quarterId}` : 'Quarter (none has been created yet)');
  if (q.closedAt) throw badRequest(`Quarter ${q.id} is closed; it can no longer be changed.`, [{ field: 'quarter', message: 'is closed' }]);
  return q;
}

/** Week indexes must fall inside the quarter, or the scenario (and so the plan) breaks. */
export function checkWeek(q: Quarter, week: number | null | undefined, field: string): void {
  if (week === null || week === undefined || week <= q.weeks - 1) return;
  throw validationError([{ field, message: `week ${week} is outside quarter ${q.id} (weeks 0 to ${q.weeks - 1})` }]);
}

export async function openQuarterIds(em: EntityManager): Promise<string[]> {
  return (await em.find(Quarter, { closedAt: null }, { fields: ['id'], orderBy: { id: 'asc' } })).map((q) => q.id);
}

/**
 * Find options that row-lock a record read for update, so two writers with the same version
 * cannot both pass the version check: the second waits, then sees the new version and gets a 409.
 */
export const FOR_UPDATE = { lockMode: LockMode.PESSIMISTIC_WRITE } as const;

export function checkVersion(record: { version: number }, version: number, current: () => unknown): void {
  if (record.version !== version) {
    throw conflict(`This record changed since you read it (you sent version ${version}, it is now ${record.version}). Reload it and apply your change again.`, { current: current() });
  }
}

/** A version clash the database caught (the row lock makes it rare): answer it with the record. */
export async function withConflictDetails<T>(write: () => Promise<T>, current: () => Promise<unknown>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof OptimisticLockError) {
      throw conflict('Someone else changed this record since you read it. Reload it and apply your change again.', { current: await current() });
    }
    throw err;
  }
}

/** Splits a long id list so an `in (…)` never outgrows PostgreSQL's parameter limit. */
export function chunks<T>(items: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
