import { Migration } from '@mikro-orm/migrations';

/**
 * The `sent` table the issue names (issue 12: without SMTP_URL, mail is written to the log and to
 * a `sent` table), as a read-only view of the messages that went out, whichever way: a single
 * machine without SMTP reads its mail with `select * from sent`. The rows live in
 * `notifications` (migration 0011), with their delivery state.
 */
export class Migration0016SentView extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create view sent as
  select id, rule, channel, address, user_id, client_id, period, subject, body, transport, sent_at
  from notifications
  where status = 'sent';
`);
  }

  override async down(): Promise<void> {
    this.addSql('drop view if exists sent;');
  }
}
