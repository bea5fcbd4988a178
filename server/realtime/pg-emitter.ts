/**
 * Emits to socket.io rooms from a process that has no socket.io server (the stand-alone solver
 * worker), through PostgreSQL, in the message format @socket.io/postgres-adapter 0.5 listens for.
 * (The published @socket.io/postgres-emitter 0.1 predates that format: the adapter ignores its
 * messages because they carry no namespace.)
 */
import { encode } from '@msgpack/msgpack';
import type pg from 'pg';
import type { Broadcaster } from './publisher.ts';

const CHANNEL = 'socket.io#/';
const EMITTER_UID = 'emitter';
const BROADCAST = 3;
const EVENT_PACKET = 2;
/** A NOTIFY payload is limited to 8000 bytes; larger messages go through a table. */
const NOTIFY_LIMIT = 8000;

export class PostgresEmitter implements Broadcaster {
  constructor(
    private readonly pool: pg.Pool,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  to(rooms: string | string[]) {
    return {
      emit: (event: string, payload: unknown) => {
        const message = {
          uid: EMITTER_UID,
          nsp: '/',
          type: BROADCAST,
          data: { packet: { type: EVENT_PACKET, data: [event, payload], nsp: '/' }, opts: { rooms: typeof rooms === 'string' ? [rooms] : rooms, except: [], flags: {} } },
        };
        this.publish(message).catch(this.onError);
        return true;
      },
    };
  }

  private async publish(message: { uid: string; nsp: string; type: number }): Promise<void> {
    const json = JSON.stringify(message);
    if (Buffer.byteLength(json) <= NOTIFY_LIMIT) {
      await this.pool.query('select pg_notify($1, $2)', [CHANNEL, json]);
      return;
    }
    const { rows } = await this.pool.query('insert into socket_io_attachments (payload) values ($1) returning id', [Buffer.from(encode(message))]);
    const header = JSON.stringify({ uid: message.uid, nsp: message.nsp, type: message.type, attachmentId: rows[0].id });
    await this.pool.query('select pg_notify($1, $2)', [CHANNEL, header]);
  }
}
