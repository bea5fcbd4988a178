/**
 * Writes a plan as JSON piece by piece, so a plan of 100,000 tickets never becomes one string
 * (V8 refuses strings past about 512 MB): top-level fields one per line, array elements one per
 * line. The text parses to the same value as JSON.stringify's.
 */
import type { Writable } from 'node:stream';

/** The plan's JSON in chunks: each top-level field, and each element of an array field. */
export function* jsonChunks(value: Record<string, unknown>): Generator<string> {
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  yield '{\n';
  for (const [i, key] of keys.entries()) {
    const v = value[key];
    const comma = i < keys.length - 1 ? ',' : '';
    if (Array.isArray(v) && v.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (const [j, item] of v.entries()) yield `    ${JSON.stringify(item)}${j < v.length - 1 ? ',' : ''}\n`;
      yield `  ]${comma}\n`;
    } else {
      yield `  ${JSON.stringify(key)}: ${JSON.stringify(v)}${comma}\n`;
    }
  }
  yield '}\n';
}

/** Streams `value` to `out` in chunks of about 64 kB, waiting whenever the stream asks to. */
export async function writeJson(out: Writable, value: Record<string, unknown>): Promise<void> {
  let buffer = '';
  const flush = async () => {
    if (!buffer) return;
    const ok = out.write(buffer);
    buffer = '';
    if (!ok) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  for (const chunk of jsonChunks(value)) {
    buffer += chunk;
    if (buffer.length >= 1 << 16) await flush();
  }
  await flush();
}
