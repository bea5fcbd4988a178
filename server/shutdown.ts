/**
 * Graceful shutdown on SIGTERM/SIGINT: run `close` (stop taking work, finish or hand back the job
 * in hand, release connections), then exit; exit with 1 if that takes longer than `graceMs`.
 */
import type { Logger } from './logger.ts';

export function exitOnSignals(logger: Logger, what: string, close: () => Promise<void>, graceMs = 25_000): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${what} stopping: finishing work in progress`);
    const force = setTimeout(() => process.exit(1), graceMs);
    force.unref();
    try {
      await close();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, `${what} did not stop cleanly`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
