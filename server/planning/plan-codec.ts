/**
 * A plan as it is stored: its JSON once, brotli-compressed (node:zlib), with a hash of its
 * content. Packed in the solver thread (solve-worker.ts), unpacked on demand (plan-store.ts).
 *
 * The hash covers everything but `stats` (how long the solve took, how many augmenting paths):
 * two plans with equal hashes say the same thing, and the second is not stored again.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { Plan } from '../../solver/index.ts';

/** How `plans.packed` is encoded; `identity` is plain JSON (rows stored as jsonb before migration 0007). */
export type PlanEncoding = 'br' | 'identity';

/**
 * Brotli quality 4: the xl plan (3.7 MB of JSON) packs to about 0.31 MB in about 20 ms and unpacks
 * in about 4 ms; quality 5-6 saves another 10 % for twice the time, gzip -6 is larger and slower.
 */
const QUALITY = 4;

export interface PackedPlan {
  packed: Uint8Array;
  encoding: PlanEncoding;
  /** Length of the plan's JSON: what the parsed plan weighs, about, in a cache. */
  jsonBytes: number;
  hash: string;
}

export interface PackTimings {
  serializeMs: number;
  compressMs: number;
}

export function packPlan(plan: Plan): PackedPlan & { ms: PackTimings } {
  const t0 = performance.now();
  const { stats, ...content } = plan;
  const body = JSON.stringify(content);
  const hash = createHash('sha256').update(body).digest('hex');
  // The stats go last, outside the hash: the one JSON.stringify of the plan.
  const json = `${body.slice(0, -1)}${body.length > 2 ? ',' : ''}"stats":${JSON.stringify(stats)}}`;
  const bytes = Buffer.from(json);
  const t1 = performance.now();
  const packed = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
  return { packed, encoding: 'br', jsonBytes: bytes.length, hash, ms: { serializeMs: t1 - t0, compressMs: performance.now() - t1 } };
}

export function unpackPlan(packed: Uint8Array, encoding: PlanEncoding): Plan {
  const bytes = encoding === 'br' ? brotliDecompressSync(packed) : packed;
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as Plan;
}
