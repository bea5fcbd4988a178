import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'hourglass'): Logger {
  return pino({ name, level, redact: ['req.headers.cookie', 'password', 'passwordHash', '*.password'] });
}
