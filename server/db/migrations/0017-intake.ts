import { Migration } from '@mikro-orm/migrations';

/**
 * Ticket trackers (issue 13): issues from GitHub, GitLab, Jira or a generic sender become tickets
 * through POST /api/intake/:source.
 * - intake_sources: one row per tracker a manager connected, with its secret (kept as it was
 *   given: GitHub, Jira and the generic sender sign each body with it by HMAC-SHA256, so the
 *   server needs the secret itself to check a signature; no GET ever answers it) and its
 *   mapping (`config`: clients, priorities, labels, estimate field).
 * - intake_events: every delivery with its outcome and why, for managers to read.
 * - tickets keep their tracker reference (source, external_id, url), unique per tracker, so a
 *   redelivered event finds its ticket; tracker_updated_at is the tracker's time of the last
 *   event applied (an older one arriving late is ignored); emergency_requested is the tracker's
 *   emergency label, which a manager confirms by declaring the emergency.
 */
export class Migration0017Intake extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table intake_sources (
  source text primary key check (source in ('github', 'gitlab', 'jira', 'generic')),
  secret text not null,
  config jsonb not null,
  updated_at timestamptz not null default now()
);
create table intake_events (
  id serial primary key,
  source text not null,
  delivery_id text,
  external_id text,
  event text,
  outcome text not null check (outcome in ('created', 'updated', 'ignored', 'refused')),
  reason text,
  ticket_id text,
  received_at timestamptz not null default now()
);
create index intake_events_received on intake_events (id desc);
alter table tickets
  add column source text,
  add column external_id text,
  add column url text,
  add column tracker_updated_at timestamptz,
  add column emergency_requested boolean not null default false,
  add constraint tickets_tracker_unique unique (source, external_id);
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
alter table tickets drop constraint if exists tickets_tracker_unique;
alter table tickets drop column if exists source, drop column if exists external_id, drop column if exists url,
  drop column if exists tracker_updated_at, drop column if exists emergency_requested;
drop table if exists intake_events;
drop table if exists intake_sources;
`);
  }
}
