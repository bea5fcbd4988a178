/**
 * Builds the dashboard (client/dist) when it is missing or older than its sources. `npm start`
 * runs it first (prestart), and the browser tests call it, so one command brings up everything.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CLIENT = join(import.meta.dirname, '..');
const SOURCES = [join(CLIENT, 'src'), join(CLIENT, 'index.html'), join(CLIENT, 'vite.config.ts'), join(CLIENT, '..', 'shared'), join(CLIENT, '..', 'solver', 'contract.ts')];
const DIST_INDEX = join(CLIENT, 'dist', 'index.html');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let n = 0;
  for (const entry of readdirSync(path)) n = Math.max(n, newest(join(path, entry)));
  return n;
}

export function clientBuildIsCurrent(): boolean {
  return existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= Math.max(...SOURCES.map(newest));
}

export async function ensureClientBuilt(): Promise<boolean> {
  if (clientBuildIsCurrent()) return false;
  let build: typeof import('vite').build;
  try {
    ({ build } = await import('vite'));
  } catch {
    // A production install without dev dependencies: serve whatever dist there is.
    process.stderr.write('Vite is not installed (npm ci without dev dependencies?): the dashboard in client/dist was not rebuilt.\n');
    return false;
  }
  await build({ configFile: join(CLIENT, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const built = await ensureClientBuilt();
  process.stdout.write(built ? 'Built the dashboard into client/dist.\n' : 'The dashboard in client/dist is up to date.\n');
}
