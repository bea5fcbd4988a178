import { Migration } from '@mikro-orm/migrations';

/**
 * Mail to tickets (issue 13): the mails the intake listener held for a manager (a sender who is no
 * known client contact, or a mail that could not be filed), with what the manager did about each.
 * Only the text is kept, and of the attachments only their names (a JSON array of strings); a
 * mail that became a ticket at once is not kept here: the ticket and its audit row are its record.
 */
export class Migration0018MailIntake extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table held_mails (
  id serial primary key,
  from_address text not null,
  from_name text not null default '',
  subject text not null default '',
  text text not null default '',
  attachment_names jsonb not null default '[]'::jsonb check (jsonb_typeof(attachment_names) = 'array'),
  reason text not null default '',
  received_at timestamptz not null default now(),
  status text not null default 'held' check (status in ('held', 'assigned', 'discarded')),
  ticket_id text references tickets (id) on delete set null,
  decided_by integer references users (id) on delete set null,
  decided_at timestamptz,
  check ((status = 'held') = (decided_at is null))
);
create index held_mails_status_id on held_mails (status, id);
`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists held_mails;');
  }
}
