/** npm start: the whole product on one port. */
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { exitOnSignals } from './shutdown.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const started = await createApp(config, { logger });
started.server.listen(config.PORT, config.HOST, () => {
  const addr = started.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const url = `http://localhost:${port}`;
  const lines = [`Hourglass is running at ${url} (${started.services.embedded ? 'embedded database in ' + config.DATA_DIR : 'PostgreSQL'})`];
  if (started.demo) {
    lines.push('Demo quarter loaded. Sign in as:');
    for (const u of started.demo) lines.push(`  ${u.role.padEnd(8)} ${u.email}  /  ${u.password}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
});

exitOnSignals(logger, 'server', () => started.close());
