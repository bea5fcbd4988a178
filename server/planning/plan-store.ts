/**
 * Plan versions in the database: read the current one, commit a new one.
 *
 * A version is stored as one compressed document (`plans.packed`, brotli, plan-codec.ts) that the
 * solver thread made, with its content hash; it is read back and unpacked on demand. Versions
 * stored before migration 0007 (jsonb `plans.body`) are read as they are. Everything here is plain
 * SQL with bound parameters: the ORM would copy a large plan into its change sets and format it
 * into the SQL text.
 *
 * A re-plan whose plan is identical to the current version (same hash) makes no version: the
 * current version's data revision moves on in place, so quarter close, what-if and the health
 * check see it as including the change.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Plan } from '../../solver/index.ts';
import { Quarter } from '../db/entities.ts';
import { sql as query } from '../db/sql.ts';
import { ByteCache, MB } from './byte-cache.ts';
import { unpackPlan, type PlanEncoding } from './plan-codec.ts';
import { digestBytes, digestPlan, newPairs, type PlanDigest } from './plan-diff.ts';
import type { PackedSolve } from './solve-worker.ts';

export interface StoredPlan {
  version: number;
  quarterId: string;
  /** The quarter's data revision the plan includes (moved on in place by a re-plan that found the plan unchanged). */
  dataRevision: number;
  createdAt: Date;
  /** The plan, unpacked on first use. */
  readonly plan: Plan;
}

/** The latest open quarter (else the latest), or the one asked for. */
export async function resolveQuarter(em: EntityManager, quarterId?: string): Promise<Quarter | null> {
  if (quarterId) return em.findOne(Quarter, { id: quarterId });
  return (
    (await em.findOne(Quarter, { closedAt: null }, { orderBy: { createdAt: 'desc', id: 'desc' } })) ??
    // MikroORM refuses findOne with an empty filter: the latest of any quarter, by a limited find.
    (await em.find(Quarter, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 1 }))[0] ??
    null
  );
}

/** A version as read from the database: its stored bytes, not yet unpacked. */
interface Stored {
  key: string;
  version: number;
  quarterId: string;
  dataRevision: number;
  createdAt: Date;
  packed: Uint8Array;
  encoding: PlanEncoding;
  jsonBytes: number;
  hash: string | null;
}

/**
 * What each process keeps, bounded in bytes: versions' stored bytes (0.3 MB each at xl: about 50),
 * unpacked plans (about their JSON's length each, 3.5 MB at xl: about 6, the current one and
 * those a diff or a view was asked of lately) and digests for diffs (about 0.9 MB at xl: about 9;
 * a re-plan needs the current version's). Keyed by database too: tests run several apps, each on
 * its own database, in one process.
 */
const PACKED_BUDGET = 16 * MB;
const PARSED_BUDGET = 32 * MB;
const DIGEST_BUDGET = 8 * MB;
/** An unpacked plan weighs about its JSON's length in V8's heap (measured at xl: 1.0×); counted with a margin. */
const PARSED_WEIGHT = 1.5;
const packedCache = new ByteCache<string, Stored>(PACKED_BUDGET, (s) => s.packed.byteLength + 256);
const parsedCache = new ByteCache<string, { plan: Plan; bytes: number }>(PARSED_BUDGET, (p) => p.bytes * PARSED_WEIGHT);
const digestCache = new ByteCache<string, PlanDigest>(DIGEST_BUDGET, digestBytes);

const keyOf = (em: EntityManager, version: number) => `${em.config.get('clientUrl')}|${version}`;

/** What the caches hold now (tests, diagnostics). */
export function planCacheStats(): Record<'packed' | 'parsed' | 'digests', { entries: number; bytes: number; budget: number }> {
  const of = (c: { size: number; bytes: number; maxBytes: number }) => ({ entries: c.size, bytes: c.bytes, budget: c.maxBytes });
  return { packed: of(packedCache), parsed: of(parsedCache), digests: of(digestCache) };
}

/** Empties this process's plan caches (tests: read versions back from the database). */
export function forgetCachedPlans(): void {
  packedCache.clear();
  parsedCache.clear();
  digestCache.clear();
}


function view(s: Stored): StoredPlan {
  let plan: Plan | undefined;
  return {
    version: s.version,
    quarterId: s.quarterId,
    dataRevision: s.dataRevision,
    createdAt: s.createdAt,
    get plan() {
      return (plan ??= unpacked(s));
    },
  };
}

function unpacked(s: Stored): Plan {
  const hit = parsedCache.get(s.key);
  if (hit) return hit.plan;
  const plan = unpackPlan(s.packed, s.encoding);
  parsedCache.set(s.key, { plan, bytes: s.jsonBytes });
  return plan;
}

/**
 * One version. Its bytes never change once committed and are cached; its data revision may move
 * on in place, so it is read again unless `revisionAtLeast` (the quarter's data revision, which no
 * plan passes) shows the cached one is already the latest.
 */
export async function loadPlan(em: EntityManager, version: number, revisionAtLeast?: number): Promise<StoredPlan | null> {
  const key = keyOf(em, version);
  const hit = packedCache.get(key);
  if (hit) {
    if (revisionAtLeast === undefined || hit.dataRevision < revisionAtLeast) {
      const [row] = await query<{ data_revision: number }>(em, 'select data_revision from plans where id = ?', [version]);
      if (!row) {
        packedCache.delete(key);
        parsedCache.delete(key);
        return null;
      }
      hit.dataRevision = row.data_revision;
    }
    return view(hit);
  }
  const [row] = await query<{ id: number; quarter_id: string; data_revision: number; created_at: Date; packed: Buffer | null; encoding: PlanEncoding | null; content_hash: string | null; body_bytes: number | null; legacy: string | null }>(
    em,
    `select id, quarter_id, data_revision, created_at, packed, encoding, content_hash, body_bytes,
       case when packed is null then body::text end as legacy
     from plans where id = ?`,
    [version],
  );
  if (!row) return null;
  const packed = row.packed ?? Buffer.from(row.legacy ?? 'null');
  const stored: Stored = {
    key,
    version: row.id,
    quarterId: row.quarter_id,
    dataRevision: row.data_revision,
    createdAt: new Date(row.created_at),
    packed,
    encoding: row.packed ? (row.encoding ?? 'br') : 'identity',
    jsonBytes: row.body_bytes ?? packed.byteLength,
    hash: row.content_hash,
  };
  packedCache.set(key, stored);
  return view(stored);
}

export async function currentPlan(em: EntityManager, quarter: Quarter): Promise<StoredPlan | null> {
  return quarter.currentPlanId ? loadPlan(em, quarter.currentPlanId, quarter.dataRevision) : null;
}

/** The digest a diff against this version needs: kept from its commit, else made from the plan (on the main thread). */
export async function planDigest(em: EntityManager, version: number, stored?: StoredPlan | null): Promise<PlanDigest | null> {
  const key = keyOf(em, version);
  const hit = digestCache.get(key);
  if (hit) return hit;
  const plan = stored?.version === version ? stored : await loadPlan(em, version);
  if (!plan) return null;
  const digest = digestPlan(plan.plan);
  digestCache.set(key, digest);
  return digest;
}

export interface Committed {
  version: number;
  previousVersion: number | null;
  /** The plan was the current version's: no version was made, the current one's revision moved on. */
  identical: boolean;
}

/**
 * Commits a plan solved from `dataRevision` as the quarter's current plan, in one transaction
 * with the staff-ticket pairs it plans. A plan older than the current one is dropped (returns
 * null); a plan identical to the current one moves the current one's data revision on instead of
 * making a version. Only the latest `keep` versions of the quarter are kept.
 *
 * `previous`, the version the solve started from and its digest: only pairs new since it are
 * written (all of them if another version has become current meanwhile).
 */
export async function commitPlan(
  em: EntityManager,
  quarterId: string,
  dataRevision: number,
  solved: PackedSolve,
  trigger: string,
  keep = 500,
  previous: { version: number; digest: PlanDigest | null } | null = null,
): Promise<Committed | null> {
  const committed = await em.transactional(async (tx) => {
    const [quarter] = await query<{ current_plan_id: number | null }>(tx, 'select current_plan_id from quarters where id = ? for update', [quarterId]);
    if (!quarter) return null;
    const previousVersion = quarter.current_plan_id ?? null;
    if (previousVersion) {
      const [prev] = await query<{ data_revision: number; content_hash: string | null }>(tx, 'select data_revision, content_hash from plans where id = ?', [previousVersion]);
      if (prev && prev.data_revision >= dataRevision) return null;
      if (prev && prev.content_hash === solved.hash) {
        await query(tx, 'update plans set data_revision = ? where id = ?', [dataRevision, previousVersion]);
        return { version: previousVersion, previousVersion, identical: true, createdAt: null };
      }
    }
    const [rec] = await query<{ id: number; created_at: Date }>(
      tx,
      `insert into plans (quarter_id, data_revision, packed, encoding, content_hash, body_bytes, solve_ms, trigger)
       values (?, ?, ?, ?, ?, ?, ?, ?) returning id, created_at`,
      [quarterId, dataRevision, Buffer.from(solved.packed.buffer, solved.packed.byteOffset, solved.packed.byteLength), solved.encoding, solved.hash, solved.jsonBytes, solved.stats.solveMs, trigger],
    );
    // Who was planned on what stays known when this version is pruned: staff log hours on
    // any ticket a version of this quarter planned them on (modules/tickets/ticket-access.ts).
    const pairs = newPairs(previous && previous.version === previousVersion ? previous.digest : null, solved.digest);
    if (pairs.length > 0) {
      await query(
        tx,
        `insert into staff_tickets (staff_id, ticket_id, quarter_id)
         select p.s, p.t, ? from json_to_recordset(?::json) as p(s text, t text) on conflict do nothing`,
        [quarterId, JSON.stringify(pairs.map((p) => ({ s: p.staff, t: p.ticket })))],
      );
    }
    // Plain SQL: pointing at a new plan must not bump the quarter's optimistic-lock version.
    await query(tx, 'update quarters set current_plan_id = ? where id = ?', [rec!.id, quarterId]);
    // Plans are re-made on every change: keep the latest `keep` versions (their allocation rows, of versions before 0007, go too).
    await query(tx, 'delete from plans where quarter_id = ? and id < (select min(id) from (select id from plans where quarter_id = ? order by id desc limit ?) as kept)', [
      quarterId,
      quarterId,
      keep,
    ]);
    return { version: rec!.id, previousVersion, identical: false, createdAt: new Date(rec!.created_at) };
  });
  if (!committed) return null;
  // Kept for the next reads and diffs: this process need not read back or unpack what it just stored.
  const key = keyOf(em, committed.version);
  if (committed.identical) {
    const hit = packedCache.get(key);
    if (hit) hit.dataRevision = Math.max(hit.dataRevision, dataRevision);
  } else {
    packedCache.set(key, {
      key,
      version: committed.version,
      quarterId,
      dataRevision,
      createdAt: committed.createdAt!,
      packed: solved.packed,
      encoding: solved.encoding,
      jsonBytes: solved.jsonBytes,
      hash: solved.hash,
    });
    digestCache.set(key, solved.digest);
  }
  return { version: committed.version, previousVersion: committed.previousVersion, identical: committed.identical };
}
