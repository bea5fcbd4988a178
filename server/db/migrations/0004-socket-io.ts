import { Migration } from '@mikro-orm/migrations';

/** The table @socket.io/postgres-adapter uses for payloads too big for a NOTIFY (8000 bytes). */
export class Migration0004SocketIo extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table if not exists socket_io_attachments (
  id bigserial unique,
  created_at timestamptz default now(),
  payload bytea
);
`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists socket_io_attachments;');
  }
}
