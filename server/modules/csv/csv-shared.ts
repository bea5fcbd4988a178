/** Small helpers the CSV imports share. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Quarter } from '../../db/entities.ts';
import { badRequest, notFound } from '../../errors.ts';
import { resolveQuarter } from '../../planning/plan-store.ts';

export interface ImportResult {
  quarter: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

export const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function sumBy<T>(items: T[], key: (t: T) => string, value: (t: T) => number): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + value(it));
  return m;
}

/** Assigns only the values that differ, so an unchanged record keeps its version. True if any did. */
export function assignChanged<T extends object>(entity: T, data: Partial<T>): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(data) as [keyof T, T[keyof T]][]) {
    if (JSON.stringify(entity[key] ?? null) !== JSON.stringify(value ?? null)) {
      entity[key] = value;
      changed = true;
    }
  }
  return changed;
}

/** The quarter named (or the latest open one); 404 when there is none. */
export async function findQuarter(em: EntityManager, quarterId: string | undefined): Promise<Quarter> {
  const q = await resolveQuarter(em, quarterId);
  if (!q) throw notFound(quarterId ? `Quarter ${quarterId}` : 'Quarter (none has been created yet)');
  return q;
}

/** A quarter that may still change. */
export async function openQuarter(em: EntityManager, quarterId: string | undefined): Promise<Quarter> {
  const q = await findQuarter(em, quarterId);
  if (q.closedAt) throw badRequest(`Quarter ${q.id} is closed; it can no longer be changed. Import into the next quarter.`);
  return q;
}
