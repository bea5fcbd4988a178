/**
 * Every write is one transaction: the change itself, the audit trail, and the bump of each
 * affected quarter's data revision (which is what makes a new plan due). Re-planning and events
 * happen only after the commit, so nothing is announced that could still roll back.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AuditEntry, Quarter } from './db/entities.ts';
import type { Viewer } from './auth/viewer.ts';

export interface WriteContext {
  tx: EntityManager;
  viewer: Viewer | null;
  /** The planning data of these quarters changed: they get a new plan after the commit. */
  touch(...quarterIds: string[]): void;
  /** A change that moves every open quarter's plan (a person's weekly hours, say). */
  touchAllOpen(): void;
  audit(action: string, entity: string, id: string | number, before: unknown, after: unknown): void;
  /** Runs after a successful commit (events). */
  afterCommit(fn: () => void): void;
}

export type TouchedListener = (quarterIds: string[], reason: string) => void;

export class Store {
  private listeners: TouchedListener[] = [];
  /** The write in progress in this async context, if any. */
  private readonly current = new AsyncLocalStorage<WriteContext>();

  constructor(private readonly orm: MikroORM) {}

  onTouched(listener: TouchedListener): void {
    this.listeners.push(listener);
  }

  /** An EntityManager for reads outside any request context. */
  reader(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }

  /**
   * A write called inside another joins its transaction (touches, audit and events included), so
   * several service calls commit, or roll back, as one (a confirmed what-if).
   */
  async write<T>(viewer: Viewer | null, reason: string, fn: (w: WriteContext) => Promise<T>): Promise<T> {
    const outer = this.current.getStore();
    if (outer) return fn(outer);
    const touched = new Set<string>();
    let allOpen = false;
    const audits: Omit<AuditEntry, 'id' | 'at'>[] = [];
    const after: (() => void)[] = [];
    const em = this.orm.em.fork();
    const result = await em.transactional(async (tx) => {
      const w: WriteContext = {
        tx,
        viewer,
        touch: (...ids) => ids.forEach((id) => touched.add(id)),
        touchAllOpen: () => (allOpen = true),
        audit: (action, entity, id, before, after) =>
          // A change made with an API token is the token's (named in the audit answer), not a user's.
          audits.push({ userId: viewer?.token ? null : (viewer?.userId ?? null), tokenId: viewer?.token?.id ?? null, action, entity, entityId: String(id), before: before ?? null, after: after ?? null }),
        afterCommit: (f) => after.push(f),
      };
      const value = await this.current.run(w, () => fn(w));
      const revisions: (readonly [string, number])[] = [];
      if (allOpen) for (const q of await tx.find(Quarter, { closedAt: null }, { fields: ['id'] })) touched.add(q.id);
      if (touched.size > 0) {
        // Plain SQL: an ORM update would also bump the quarter's optimistic-lock version, and a
        // re-plan is not an edit that should clash with a manager's.
        const ids = [...touched];
        const bumped = await tx.execute<{ id: string; data_revision: number }[]>(
          `update quarters set data_revision = data_revision + 1 where id in (${ids.map(() => '?').join(', ')}) returning id, data_revision`,
          ids,
        );
        revisions.push(...bumped.map((b) => [b.id, Number(b.data_revision)] as const));
      }
      const rows = audits.map((a) => tx.create(AuditEntry, a));
      await tx.flush();
      // Each audited change names the revision it made of each quarter it touched (plan history).
      const links = rows.flatMap((r) => revisions.map(([q, rev]) => [r.id, q, rev] as const));
      for (let i = 0; i < links.length; i += 2000) {
        const chunk = links.slice(i, i + 2000);
        await tx.execute(`insert into audit_revisions (audit_id, quarter_id, data_revision) values ${chunk.map(() => '(?, ?, ?)').join(', ')}`, chunk.flat());
      }
      // Quarters this write loaded are read back after the bump, so an answer built from them
      // (PATCH /api/quarters/:id) shows the revision this write commits, not the one before it.
      for (const id of touched) {
        const loaded = tx.getUnitOfWork().getById<Quarter>('Quarter', id);
        if (loaded) await tx.refresh(loaded);
      }
      return value;
    });
    if (touched.size > 0) for (const l of this.listeners) l([...touched], reason);
    for (const f of after) f();
    return result;
  }

  /**
   * A write rehearsed: `fn` runs in a transaction that is always rolled back, with no data
   * revision, audit row, re-plan or event (a dry run answers what the write would do).
   */
  async rehearse<T>(viewer: Viewer | null, fn: (w: WriteContext) => Promise<T>): Promise<T> {
    const em = this.orm.em.fork();
    let value: T | undefined;
    const w = (tx: EntityManager): WriteContext => ({ tx, viewer, touch: () => {}, touchAllOpen: () => {}, audit: () => {}, afterCommit: () => {} });
    try {
      await em.transactional(async (tx) => {
        value = await fn(w(tx));
        throw ROLLBACK;
      });
    } catch (err) {
      if (err !== ROLLBACK) throw err;
    }
    return value as T;
  }
}

const ROLLBACK = new Error('rehearsal: rolled back');
