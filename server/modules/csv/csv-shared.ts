/** Small helpers the CSV imports share. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Quarter } from '../../db/entities.ts';
import { badRequest, notFound } from '../../errors.ts';
import { resolveQuarter } from '../../planning/plan-store.ts';
import type { CsvRowAction } from '../../../shared/api/csv.ts';

export interface ImportResult {
  quarter: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  dryRun?: true;
  actions?: CsvRowAction[];
}

/** An import's answer, counted row by row; a dry run lists each row's action too. */
export class ImportTally {
  readonly result: ImportResult;
  private readonly actions: CsvRowAction[] = [];

  constructor(quarter: string, rows: number, private readonly dryRun: boolean) {
    this.result = { quarter, rows, created: 0, updated: 0, unchanged: 0, ...(dryRun ? { dryRun: true as const, actions: this.actions } : {}) };
  }

  record(row: number, id: string | number | null, action: CsvRowAction['action']): void {
    if (action === 'create') this.result.created++;
    else if (action === 'update') this.result.updated++;
    else this.result.unchanged++;
    if (this.dryRun) this.actions.push({ row, id, action });
  }
}

export const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function sumBy<T>(items: T[], key: (t: T) => string, value: (t: T) => number): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + value(it));
  return m;
}

/** The keys of `data` whose values differ from the entity's. */
export function changedKeys<T extends object>(entity: T, data: Partial<T>): (keyof T)[] {
  return (Object.keys(data) as (keyof T)[]).filter((key) => JSON.stringify(entity[key] ?? null) !== JSON.stringify(data[key] ?? null));
}

/**
 * Assigns only the values that differ, so an unchanged record keeps its version; a dry run
 * assigns nothing. True if any differ.
 */
export function assignChanged<T extends object>(entity: T, data: Partial<T>, dryRun = false): boolean {
  const keys = changedKeys(entity, data);
  if (!dryRun) for (const key of keys) entity[key] = data[key] as T[keyof T];
  return keys.length > 0;
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
