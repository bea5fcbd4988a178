/**
 * A least-recently-used cache bounded by the bytes its entries take, not by how many there are: a
 * plan at 10,000 tickets is a thousand times a small one's, so a count says nothing about memory.
 * The caller says what an entry weighs (`sizeOf`); the least recently used entries go first once
 * the total passes `maxBytes`, and an entry heavier than the whole budget is not kept at all.
 *
 *   const views = new ByteCache<string, string>(64 * MB, stringBytes);
 *   views.set(key, body);  views.get(key);  // undefined once evicted
 */
export const MB = 2 ** 20;

/** What a string of JSON weighs: V8 keeps ASCII (and Latin-1) strings at one byte a character. */
export const stringBytes = (s: string): number => s.length;

export class ByteCache<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private total = 0;

  constructor(
    readonly maxBytes: number,
    private readonly sizeOf: (value: V, key: K) => number,
  ) {}

  /** The entry, now the most recently used. */
  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Keeps the entry (replacing one under the same key), then drops the least recently used while over budget. */
  set(key: K, value: V): void {
    this.delete(key);
    const bytes = Math.max(0, this.sizeOf(value, key));
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(k);
      this.total -= e.bytes;
    }
  }

  delete(key: K): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    this.entries.delete(key);
    this.total -= e.bytes;
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  /** The bytes held now (as `sizeOf` weighed them). */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }
}
