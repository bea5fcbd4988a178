/**
 * npm run plan -- scenario.json [--summary]   (use - for standard input)
 * Prints the plan JSON on standard output and nothing else there, streamed (one line per top-level
 * field and per array element), so plans of 100,000 tickets go out without one giant string.
 * Exit status 2 on a missing file, invalid JSON or a bad scenario, with the reason on standard error.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ScenarioError, plan, type Plan } from './index.ts';
import { writeJson } from './json-stream.ts';
import { summarize } from './summary.ts';

const USAGE = 'usage: npm run plan -- <scenario.json | -> [--summary]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: { summary: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [file, ...extra] = args.positionals;
  if (!file || extra.length > 0) fail(USAGE);

  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    fail(err.code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${err.message})`);
  }
  let scenario: unknown;
  try {
    scenario = JSON.parse(text);
  } catch (e) {
    fail(`${file === '-' ? 'standard input' : file}: not valid JSON (${(e as Error).message})`);
  }
  let result: Plan;
  try {
    result = plan(scenario);
  } catch (e) {
    if (e instanceof ScenarioError) {
      fail(`invalid scenario:\n${e.issues.map((i) => `  ${i.path || '(scenario)'}: ${i.message}`).join('\n')}`);
    }
    throw e;
  }
  if (args.values.summary) process.stdout.write(summarize(result));
  else await writeJson(process.stdout, result as unknown as Record<string, unknown>);
}

await main();
