import { Migration } from '@mikro-orm/migrations';

/**
 * Statements (issue 12): each client's statement for a quarter, stored as the close made it (its
 * JSON, shared/api/statements.ts), written in the close's transaction before the quarter is
 * marked closed. From then on the closed quarter's trigger (migration 0003) refuses any change,
 * so a statement once stored is the one served, whatever prices, names or settings do later.
 * Not tied to the client's row: a statement outlives the client's record.
 */
export class Migration0013Statements extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table statements (
  quarter_id text not null references quarters (id) on delete cascade,
  client_id text not null,
  plan_version integer not null,
  body jsonb not null,
  created_at timestamptz not null default now(),
  primary key (quarter_id, client_id)
);
create trigger statements_closed_quarter before insert or update or delete on statements
  for each row execute function refuse_closed_quarter_change();
`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists statements;`);
  }
}
