import { Migration } from '@mikro-orm/migrations';

/**
 * Pins: hours a manager fixed (this person on this ticket in this week). One pin per ticket,
 * person and week of a quarter. A pin outlives a person's deactivation or a ticket's closing
 * (the plan reports it in pinIssues), so the ticket and staff keys do not cascade: while a pin
 * names them they cannot be deleted. A closed quarter's pins are history, read-only like the
 * rest of it (migration 0003's trigger).
 */
export class Migration0005Pins extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table pins (
  id serial primary key,
  quarter_id text not null references quarters (id) on delete cascade,
  ticket_id text not null references tickets (id),
  staff_id text not null references staff (id),
  week integer not null check (week >= 0),
  hours double precision not null check (hours > 0 and hours <= 168),
  created_by integer references users (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (quarter_id, ticket_id, staff_id, week)
);
create index pins_ticket on pins (ticket_id);
create index pins_staff on pins (staff_id);
create trigger pins_closed_quarter before insert or update or delete on pins
  for each row execute function refuse_closed_quarter_change();
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop trigger if exists pins_closed_quarter on pins;
drop table if exists pins;
`);
  }
}
