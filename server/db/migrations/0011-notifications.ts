import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications (issue 12): every message the server sends, by email or to the company's chat
 * webhook, once per rule, recipient and period (the unique key makes a second run of a rule send
 * nothing), with its delivery state; and the switches: each user's own per rule, and a manager's
 * per client and rule (a client's users get nothing of a rule switched off for their client).
 * No row means on.
 */
export class Migration0011Notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table notifications (
  id serial primary key,
  rule text not null check (rule in ('at-risk', 'digest', 'emergency', 'replan', 'account')),
  channel text not null check (channel in ('email', 'chat')),
  -- The user's id for email, 'chat' for the webhook: the idempotency key is (rule, recipient, period).
  recipient text not null,
  user_id integer references users (id) on delete set null,
  address text,
  -- The client the message is about, if any (a client user's messages are only about its own).
  client_id text references clients (id) on delete set null,
  period text not null,
  subject text not null,
  body text not null,
  status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
  attempts integer not null default 0,
  last_error text,
  -- How it went out: smtp, log (no SMTP_URL) or webhook.
  transport text,
  next_attempt_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (rule, recipient, period)
);
create index notifications_due on notifications (status, next_attempt_at) where status in ('queued', 'sending');
create index notifications_recent on notifications (rule, recipient, created_at);
create index notifications_log on notifications (id desc);

create table notification_prefs (
  user_id integer not null references users (id) on delete cascade,
  rule text not null,
  enabled boolean not null,
  primary key (user_id, rule)
);

create table client_notification_prefs (
  client_id text not null references clients (id) on delete cascade,
  rule text not null,
  enabled boolean not null,
  primary key (client_id, rule)
);
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop table if exists client_notification_prefs;
drop table if exists notification_prefs;
drop table if exists notifications;
`);
  }
}
