/**
 * Plan answers as bytes: each body (a version's view for one audience, a page, a summary) is
 * serialized once, compressed once per encoding the callers ask for (brotli or gzip, by
 * Accept-Encoding), and kept, all bounded in bytes; a request is then a header check and one
 * res.end of a Buffer. Every answer has an ETag, and a caller that sends it back gets 304 and no
 * body. Bodies never change for a key: the key holds the version (and, where records are read,
 * the data revision) and what was asked.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { ByteCache, MB } from '../../planning/byte-cache.ts';

const BODIES_BUDGET = 48 * MB;
/** Smaller bodies go as they are: compressing them saves less than its headers cost. */
const COMPRESS_FROM = 1024;

export type Encoding = 'br' | 'gzip' | 'identity';

interface Body {
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

const weigh = (b: Body) => b.identity.byteLength + (b.br?.byteLength ?? 0) + (b.gzip?.byteLength ?? 0) + 256;

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Brotli quality 5 up to 1 MB (a summary, a page: better ratio, a few ms), 4 above (the xl
 * manager's whole plan, 3.7 MB: about 20 ms, plan-codec.ts); gzip at its default level. Both run
 * on libuv's thread pool, off the event loop.
 */
function compress(identity: Buffer, encoding: 'br' | 'gzip'): Promise<Buffer> {
  if (encoding === 'gzip') return gzipped(identity);
  const quality = identity.byteLength > MB ? 4 : 5;
  return brotli(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: identity.byteLength } });
}

/** The encoding to answer in: brotli, else gzip, when Accept-Encoding takes it (q > 0), else none. */
export function chooseEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  const q = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qp ? Number(qp.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const takes = (name: string) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  if (takes('br')) return 'br';
  if (takes('gzip')) return 'gzip';
  return 'identity';
}

/** A weak ETag of a plan answer: the version, and a hash of the rest of what makes the body. */
export function planEtag(version: number, ...parts: string[]): string {
  return `W/"plan-${version}-${createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 16)}"`;
}

/** Whether If-None-Match names this ETag (weak comparison: W/ aside; `*` matches any). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  const want = opaque(etag);
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === want);
}

export class PlanBodies {
  private readonly cache = new ByteCache<string, Body>(BODIES_BUDGET, weigh);
  private readonly making = new Map<string, Promise<Body>>();
  private readonly compressing = new Map<string, Promise<Buffer>>();

  /** What the cache holds now (tests, diagnostics). */
  stats(): { entries: number; bytes: number; budget: number } {
    return { entries: this.cache.size, bytes: this.cache.bytes, budget: this.cache.maxBytes };
  }

  /**
   * Answers the body under `key` (made by `make` the first time, as JSON) with `etag`: 304 when
   * the caller has it, else the bytes in the encoding it takes best.
   */
  async send(req: Request, res: Response, key: string, etag: string, make: () => unknown | Promise<unknown>): Promise<void> {
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('Vary', 'Accept-Encoding');
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    const body = await this.body(key, make);
    const wanted = body.identity.byteLength >= COMPRESS_FROM ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
    const bytes = wanted === 'identity' ? body.identity : await this.encoded(key, body, wanted);
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (wanted !== 'identity') res.setHeader('Content-Encoding', wanted);
    res.setHeader('Content-Length', bytes.byteLength);
    res.end(bytes);
  }

  private async body(key: string, make: () => unknown | Promise<unknown>): Promise<Body> {
    const hit = this.cache.get(key);
    if (hit) return hit;
    let pending = this.making.get(key);
    if (!pending) {
      pending = (async () => {
        const body: Body = { identity: Buffer.from(JSON.stringify(await make())) };
        this.cache.set(key, body);
        return body;
      })().finally(() => this.making.delete(key));
      this.making.set(key, pending);
    }
    return pending;
  }

  private async encoded(key: string, body: Body, encoding: 'br' | 'gzip'): Promise<Buffer> {
    const done = body[encoding];
    if (done) return done;
    const at = `${encoding}|${key}`;
    let pending = this.compressing.get(at);
    if (!pending) {
      pending = compress(body.identity, encoding)
        .then((bytes) => {
          body[encoding] = bytes;
          // Weighed again with its new encoding (and kept, if it was let go meanwhile).
          this.cache.set(key, body);
          return bytes;
        })
        .finally(() => this.compressing.delete(at));
      this.compressing.set(at, pending);
    }
    return pending;
  }
}
