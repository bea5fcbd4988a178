/**
 * The socket.io PostgreSQL adapter (events between instances), made to outlive database faults.
 *
 * @socket.io/postgres-adapter 0.5 (`dist/util.js`, PubSubClient) takes its LISTEN client from the
 * pool it is given with `pool.connect()` and puts no 'error' listener on it, so a terminated
 * backend or a database restart ends the process. It also never releases a client that ended (a
 * pool slot lost per reconnect), and when LISTEN fails after connecting it schedules two
 * reconnects and can end up with two listeners. So the adapter is given a pool whose `connect()`
 * hands out one ListenConnection: it keeps a pg.Client of its own, reconnects with a short backoff
 * and LISTENs again, forwards notifications, and never reports 'end', so the adapter's own
 * reconnect never runs. Everything else the adapter sends (NOTIFY, attachments, clean-up) goes
 * through an ordinary pool, whose errors the adapter reports to `errorHandler`.
 *
 * Events another instance sent while the connection was down are lost, as with the adapter's own
 * reconnect; a dashboard that missed a version catches up on its next `sync`.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { createAdapter } from '@socket.io/postgres-adapter';
import { faultTolerantPool } from '../db/pg-pool.ts';
import type { Logger } from '../logger.ts';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 1_000;
const APPLICATION_NAME = 'hourglass-live';

export class ListenConnection extends EventEmitter {
  private client: pg.Client | null = null;
  private readonly channels = new Set<string>();
  private retryMs = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private down = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly logger: Logger,
  ) {
    super();
    void this.open();
  }

  /** The adapter's only query on its listening client; each channel is listened to again after a reconnect. */
  async query(sql: string): Promise<{ rows: never[] }> {
    const channel = /^LISTEN "(.+)"$/.exec(sql)?.[1];
    if (!channel) throw new Error(`ListenConnection only LISTENs (asked: ${sql.slice(0, 40)})`);
    this.channels.add(channel);
    // If this fails the connection is going; its replacement listens to every channel.
    await this.client?.query(sql).catch(() => {});
    return { rows: [] };
  }

  /** The adapter gives its client back only when it closes. */
  release(): void {
    void this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async open(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ keepAlive: true, connectionTimeoutMillis: 5_000, application_name: APPLICATION_NAME, ...this.config });
    let lost = false;
    const lose = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      void client.end().catch(() => {});
      if (this.closed) return;
      if (!this.down) this.logger.warn({ code: (err as { code?: string })?.code, message: err?.message }, 'live events from other instances: connection lost, reconnecting');
      this.down = true;
      this.timer = setTimeout(() => void this.open(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
    };
    client.on('error', lose);
    client.on('end', () => lose());
    client.on('notification', (msg) => {
      if (!lost && !this.closed) this.emit('notification', msg);
    });
    try {
      await client.connect();
      // From here a channel the adapter adds is listened to at once, and those it has are replayed.
      this.client = client;
      for (const channel of this.channels) await client.query(`LISTEN "${channel}"`);
    } catch (err) {
      lose(err as Error);
      return;
    }
    if (this.closed) return void client.end().catch(() => {});
    this.retryMs = FIRST_RETRY_MS;
    if (this.down) this.logger.info('live events from other instances: listening again');
    this.down = false;
  }
}

/** The adapter for `io.adapter()`, and how to let go of its connections once socket.io has closed. */
export function postgresAdapter(connectionString: string, logger: Logger): { adapter: ReturnType<typeof createAdapter>; close(): Promise<void> } {
  const pool = faultTolerantPool({ connectionString, max: 3, application_name: APPLICATION_NAME }, logger, 'live events');
  const listener = new ListenConnection({ connectionString }, logger);
  const adapterPool = { connect: async () => listener, query: pool.query.bind(pool) } as unknown as pg.Pool;
  const adapter = createAdapter(adapterPool, { errorHandler: (err) => logger.warn({ message: err.message }, 'live events: could not reach the database') });
  return {
    adapter,
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}
