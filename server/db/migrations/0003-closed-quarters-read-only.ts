import { Migration } from '@mikro-orm/migrations';

/**
 * A closed quarter is history: its tickets, time entries, blocks, leave and client figures can no
 * longer change. Routes check this first and answer with a readable 400; these triggers are the
 * backstop, so a route that forgets the check cannot rewrite a closed quarter.
 *
 * Quarter close moves open tickets out and records expiry before it sets closed_at, in the same
 * transaction, so it passes. Deletes of leave and client_quarters are allowed: they only happen
 * by cascade when a staff member or client is removed.
 */
export class Migration0003ClosedQuartersReadOnly extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create function refuse_closed_quarter_change() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and exists (select 1 from quarters where id = old.quarter_id and closed_at is not null) then
    raise exception 'quarter % is closed; it can no longer be changed', old.quarter_id using errcode = 'HG001';
  end if;
  if tg_op in ('INSERT', 'UPDATE') and exists (select 1 from quarters where id = new.quarter_id and closed_at is not null) then
    raise exception 'quarter % is closed; it can no longer be changed', new.quarter_id using errcode = 'HG001';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end;
$$;
create trigger tickets_closed_quarter before insert or update or delete on tickets
  for each row execute function refuse_closed_quarter_change();
create trigger time_entries_closed_quarter before insert or update or delete on time_entries
  for each row execute function refuse_closed_quarter_change();
create trigger blocks_closed_quarter before insert or update or delete on blocks
  for each row execute function refuse_closed_quarter_change();
create trigger leave_closed_quarter before insert or update on leave
  for each row execute function refuse_closed_quarter_change();
create trigger client_quarters_closed_quarter before insert or update on client_quarters
  for each row execute function refuse_closed_quarter_change();
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop trigger if exists tickets_closed_quarter on tickets;
drop trigger if exists time_entries_closed_quarter on time_entries;
drop trigger if exists blocks_closed_quarter on blocks;
drop trigger if exists leave_closed_quarter on leave;
drop trigger if exists client_quarters_closed_quarter on client_quarters;
drop function if exists refuse_closed_quarter_change();
`);
  }
}
