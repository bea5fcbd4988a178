// @vitest-environment node
/**
 * The dashboard's production build (client/vite.config.ts, as `npm start` builds it) ships no
 * source maps: no .map file and no sourceMappingURL comment, so the server hands nobody the
 * dashboard's source and comments. The reproduction: every chunk had its .map beside it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CONFIG = join(import.meta.dirname, '..', '..', 'client', 'vite.config.ts');
const outDir = mkdtempSync(join(tmpdir(), 'hg-client-build-'));

const filesIn = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesIn(join(dir, e.name)) : [join(dir, e.name)]));

describe('the production client build', () => {
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('has no source map and points to none', async () => {
    const { build } = await import('vite');
    await build({ configFile: CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const files = filesIn(outDir);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /\.(js|css|html)$/.test(f) && /sourceMappingURL/.test(readFileSync(f, 'utf8')))).toEqual([]);
  }, 120_000);
});
