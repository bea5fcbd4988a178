import { Migration } from '@mikro-orm/migrations';

/**
 * Setting up a company from the dashboard (issue 11):
 * - `clients.contact`: the client's one liaison (DOMAIN.md "Who uses it"), as the manager writes it.
 * - `blocks.version`: a block recorded by mistake is corrected with the version read, like every edit.
 * - `password_links`: one-time links that set a password (an invitation or a reset). Only the
 *   SHA-256 of the token is kept; a link expires, and is spent by its first use.
 */
export class Migration0008Setup extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table clients add column contact text;
alter table blocks add column version integer not null default 1;

create table password_links (
  id serial primary key,
  token_hash text not null unique,
  user_id integer not null references users (id) on delete cascade,
  purpose text not null check (purpose in ('invite', 'reset')),
  created_by integer,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_links_user on password_links (user_id);
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop table if exists password_links;
alter table blocks drop column if exists version;
alter table clients drop column if exists contact;
`);
  }
}
