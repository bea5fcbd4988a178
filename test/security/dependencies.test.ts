// @vitest-environment node
/**
 * Sign-in limits are our own (server/auth/sign-in-limits.ts: failures only, per account and per
 * address, in PostgreSQL), so express-rate-limit, which nothing imports since, is not installed:
 * a dependency nobody uses is still code that runs at install and has to be kept up to date.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
const CODE = ['server', 'solver', 'shared', 'scripts', 'client/src', 'client/scripts'];

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|mjs|js|vue)$/.test(e.name) ? [join(dir, e.name)] : []));

describe('dependencies', () => {
  it('do not include express-rate-limit, and no code imports it', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })).not.toContain('express-rate-limit');
    expect(Object.keys(lock.packages ?? {}).filter((p) => p.endsWith('node_modules/express-rate-limit'))).toEqual([]);
    const importers = CODE.flatMap((d) => sources(join(REPO, d))).filter((f) => /['"]express-rate-limit['"]/.test(readFileSync(f, 'utf8')));
    expect(importers).toEqual([]);
  });
});
