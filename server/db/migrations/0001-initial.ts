import { Migration } from '@mikro-orm/migrations';

/** The initial schema. Hours are double precision: they are quarter hours, exact in binary. */
export class Migration0001Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table users (
  id serial primary key,
  email text not null,
  password_hash text not null,
  role text not null check (role in ('manager', 'staff', 'client')),
  client_id text,
  staff_id text,
  created_at timestamptz not null default now(),
  version integer not null default 1,
  check (role <> 'client' or client_id is not null),
  check (role <> 'staff' or staff_id is not null)
);
create unique index users_email_unique on users (lower(email));

create table sessions (
  id text primary key,
  user_id integer not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);

create table quarters (
  id text primary key,
  weeks integer not null check (weeks between 1 and 27),
  current_week integer not null check (current_week >= 0 and current_week < weeks),
  start_date text,
  auto_advance boolean not null default false,
  policy jsonb,
  data_revision integer not null default 0,
  current_plan_id integer,
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  version integer not null default 1
);

create table staff (
  id text primary key,
  name text not null,
  weekly_hours double precision not null check (weekly_hours >= 0 and weekly_hours <= 168),
  skills text[] not null default '{}',
  active boolean not null default true,
  version integer not null default 1
);

create table leave (
  id serial primary key,
  staff_id text not null references staff (id) on delete cascade,
  quarter_id text not null references quarters (id) on delete cascade,
  week integer not null check (week >= 0),
  hours double precision not null check (hours >= 0),
  unique (staff_id, quarter_id, week)
);

create table clients (
  id text primary key,
  name text not null,
  plan text not null check (plan in ('prepaid', 'payg')),
  active boolean not null default true,
  version integer not null default 1
);

create table client_quarters (
  id serial primary key,
  client_id text not null references clients (id) on delete cascade,
  quarter_id text not null references quarters (id) on delete cascade,
  rollover_in_hours double precision not null default 0 check (rollover_in_hours >= 0),
  used_baseline jsonb not null default '[]',
  shortfall_to_date_hours double precision not null default 0 check (shortfall_to_date_hours >= 0),
  expired_hours double precision,
  rolled_over_hours double precision,
  unique (client_id, quarter_id)
);

create table blocks (
  id serial primary key,
  client_id text not null references clients (id),
  quarter_id text not null references quarters (id) on delete cascade,
  week integer not null check (week >= 0),
  hours double precision not null check (hours >= 20),
  created_at timestamptz not null default now()
);
create index blocks_quarter on blocks (quarter_id, client_id);

create table tickets (
  id text primary key,
  client_id text not null references clients (id),
  quarter_id text not null references quarters (id),
  title text not null,
  description text not null default '',
  priority integer not null check (priority between 1 and 4),
  estimate_hours double precision not null check (estimate_hours >= 0),
  spent_baseline double precision not null default 0 check (spent_baseline >= 0),
  opened_week integer not null check (opened_week >= 0),
  skill text,
  due_week integer check (due_week >= 0),
  emergency boolean not null default false,
  status text not null default 'open' check (status in ('open', 'closed')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index tickets_quarter_client on tickets (quarter_id, client_id);

create table time_entries (
  id serial primary key,
  staff_id text not null references staff (id),
  ticket_id text not null references tickets (id),
  client_id text not null references clients (id),
  quarter_id text not null references quarters (id),
  week integer not null check (week >= 0),
  date text not null,
  hours double precision not null check (hours > 0 and hours <= 24),
  note text not null default '',
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create index time_entries_quarter on time_entries (quarter_id, week);
create index time_entries_ticket on time_entries (ticket_id);

create table plans (
  id serial primary key,
  quarter_id text not null references quarters (id) on delete cascade,
  data_revision integer not null,
  body jsonb not null,
  solve_ms double precision not null,
  trigger text not null default '',
  created_at timestamptz not null default now()
);
create index plans_quarter on plans (quarter_id, id desc);

create table allocations (
  id serial primary key,
  plan_id integer not null references plans (id) on delete cascade,
  week integer not null,
  staff_id text not null,
  client_id text not null,
  ticket_id text not null,
  hours double precision not null,
  level integer not null
);
create index allocations_plan_staff on allocations (plan_id, staff_id);
create index allocations_plan_client on allocations (plan_id, client_id);

alter table quarters add constraint quarters_current_plan foreign key (current_plan_id) references plans (id) on delete set null;

create table rollover_credits (
  id serial primary key,
  client_id text not null references clients (id),
  from_quarter_id text not null references quarters (id),
  to_quarter_id text not null references quarters (id),
  hours double precision not null check (hours >= 0),
  created_at timestamptz not null default now(),
  unique (client_id, from_quarter_id)
);

create table audit_log (
  id serial primary key,
  at timestamptz not null default now(),
  user_id integer,
  action text not null,
  entity text not null,
  entity_id text not null,
  before jsonb,
  after jsonb
);
create index audit_log_entity on audit_log (entity, entity_id);
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
alter table quarters drop constraint if exists quarters_current_plan;
drop table if exists audit_log, rollover_credits, allocations, plans, time_entries, tickets, blocks,
  client_quarters, clients, leave, staff, quarters, sessions, users cascade;
`);
  }
}
