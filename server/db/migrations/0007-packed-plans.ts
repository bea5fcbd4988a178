import { Migration } from '@mikro-orm/migrations';

/**
 * Plans stored compactly (planning/plan-store.ts):
 * - `plans.packed`: the plan's JSON, compressed once by the solver thread (`encoding`: `br`,
 *   brotli), read back and unpacked on demand. Stored as it is (`storage external`): it is
 *   compressed already, so PostgreSQL does not try again. `body_bytes` is its JSON's length.
 * - `plans.content_hash`: SHA-256 of the plan without its stats. A re-plan whose plan has the
 *   current version's hash makes no version; the current one's data_revision moves on instead.
 * - `plans.body` (jsonb) is no longer written; versions stored before this migration keep it and
 *   are read from it until PLAN_HISTORY prunes them (they have no hash, so the first re-plan after
 *   the upgrade always makes a version).
 * - `allocations` is no longer written: nothing reads it but the staff-ticket pairs, which are now
 *   written from the plan's digest. Rows of older versions go with their versions.
 */
export class Migration0007PackedPlans extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table plans alter column body drop not null;
alter table plans add column packed bytea;
alter table plans alter column packed set storage external;
alter table plans add column encoding text check (encoding in ('br'));
alter table plans add column content_hash text;
alter table plans add column body_bytes integer;
alter table plans add constraint plans_stored check (body is not null or (packed is not null and encoding is not null));
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
delete from plans where body is null;
alter table plans drop constraint if exists plans_stored;
alter table plans drop column if exists body_bytes, drop column if exists content_hash, drop column if exists encoding, drop column if exists packed;
alter table plans alter column body set not null;
`);
  }
}
