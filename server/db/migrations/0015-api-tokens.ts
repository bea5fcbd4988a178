import { Migration } from '@mikro-orm/migrations';

/**
 * API tokens (issue 13): named bearer tokens a manager makes for scripts and integrations. Only the
 * token's SHA-256 is kept (unique, so a request's token is one index lookup); a revoked token keeps
 * its row, so the audit trail still names it. Each token speaks as a role (a client's, a staff
 * member's or a manager's), narrowed by its scopes. Audit rows made with a token name it.
 */
export class Migration0015ApiTokens extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table api_tokens (
  id serial primary key,
  name text not null,
  token_hash text not null unique,
  role text not null check (role in ('manager', 'staff', 'client')),
  client_id text references clients (id),
  staff_id text references staff (id),
  scopes text[] not null check (cardinality(scopes) > 0 and scopes <@ array['read', 'tickets:write', 'time-entries:write']),
  created_by integer references users (id) on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  check (role <> 'client' or client_id is not null),
  check (role <> 'staff' or staff_id is not null)
);
alter table audit_log add column token_id integer references api_tokens (id);
`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table audit_log drop column if exists token_id;');
    this.addSql('drop table if exists api_tokens;');
  }
}
