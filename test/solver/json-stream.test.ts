/** The command line's streamed JSON parses to exactly what JSON.stringify gives, also under backpressure. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { plan } from '../../solver/index.ts';
import { jsonChunks, writeJson } from '../../solver/json-stream.ts';
import { generateScenario } from '../fixtures/generate-scenario.ts';

describe('streamed plan JSON', () => {
  const p = plan(generateScenario({ seed: 3, staff: 6, clients: 12, tickets: 120 })) as unknown as Record<string, unknown>;

  it('parses to the same value as JSON.stringify, with empty arrays and nested values kept', () => {
    const text = [...jsonChunks({ ...p, empty: [], nested: { a: [1, 2] }, gone: undefined })].join('');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify({ ...p, empty: [], nested: { a: [1, 2] } })));
  });

  it('waits for drain when the stream is full, and loses nothing', async () => {
    let text = '';
    let drains = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk, _enc, done) {
        text += String(chunk);
        setImmediate(done);
      },
    });
    slow.on('drain', () => drains++);
    await writeJson(slow, p);
    expect(drains).toBeGreaterThan(0);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(p)));
  });
});
