import { Migration } from '@mikro-orm/migrations';

/**
 * Plan history (issue 11): which data revision of which quarter each audited change made, so a
 * plan version names the changes it is the first to include (those after the version before it,
 * up to its own `data_revision`). Rows audited before this migration have none.
 */
export class Migration0009AuditRevisions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table audit_revisions (
  audit_id integer not null references audit_log (id) on delete cascade,
  quarter_id text not null,
  data_revision integer not null,
  primary key (audit_id, quarter_id)
);
create index audit_revisions_quarter on audit_revisions (quarter_id, data_revision, audit_id);
create index audit_log_at on audit_log (at, id);
create index audit_log_user on audit_log (user_id, id);
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop table if exists audit_revisions;
drop index if exists audit_log_at;
drop index if exists audit_log_user;
`);
  }
}
