import { Migration } from '@mikro-orm/migrations';

/**
 * Access that follows the user:
 * - `users.disabled_at`: a manager disabled the account; it cannot sign in and has no sessions.
 * - `staff_tickets`: every (person, ticket) pair a committed plan version of a quarter planned,
 *   kept when old versions are pruned, so staff may log hours on any ticket they were planned on
 *   in the quarter (DOMAIN.md "Who uses it"). Filled by plan-store.commitPlan; back-filled here
 *   from the versions still kept. Tickets and staff are never deleted, so, like allocations, the
 *   pair names them without a foreign key that could make a plan fail to commit.
 * - `sign_in_failures`: failed sign-ins per account and per address, shared by every instance.
 */
export class Migration0006Access extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table users add column disabled_at timestamptz;

create table staff_tickets (
  staff_id text not null,
  ticket_id text not null,
  quarter_id text not null references quarters (id) on delete cascade,
  primary key (staff_id, ticket_id)
);
create index staff_tickets_quarter on staff_tickets (quarter_id);

insert into staff_tickets (staff_id, ticket_id, quarter_id)
  select distinct a.staff_id, a.ticket_id, p.quarter_id from allocations a join plans p on p.id = a.plan_id
  on conflict do nothing;

create table sign_in_failures (
  key text primary key,
  failures integer not null check (failures >= 0),
  last_failed_at timestamptz not null
);
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop table if exists sign_in_failures;
drop table if exists staff_tickets;
alter table users drop column if exists disabled_at;
`);
  }
}
