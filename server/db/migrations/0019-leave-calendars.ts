import { Migration } from '@mikro-orm/migrations';

/**
 * Holidays and absences (issue 13): calendars a manager connects (an iCalendar feed's address, or
 * an uploaded .ics file's text), and the days each one takes off. Kept apart from the manual
 * `leave` rows: a refresh replaces a calendar's days and nothing else. Days are calendar dates in
 * the company's time zone; the hours they remove are worked out per person and week when a
 * scenario is built (weeklyHours / 5 a weekday), so new staff, changed weekly hours or a quarter's
 * start date apply without a refresh. `last_attempt_at` is the daily refresh's claim: the instance
 * that moves it on refreshes the calendar, the others skip it.
 */
export class Migration0019LeaveCalendars extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table leave_calendars (
  id serial primary key,
  kind text not null check (kind in ('holidays', 'absence')),
  staff_id text references staff (id) on delete cascade,
  name text not null,
  url text,
  ics text,
  content_hash text,
  last_fetched_at timestamptz,
  last_attempt_at timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  check ((kind = 'absence') = (staff_id is not null)),
  check ((url is null) <> (ics is null))
);
create index leave_calendars_attempt on leave_calendars (last_attempt_at nulls first);
create table leave_calendar_days (
  calendar_id integer not null references leave_calendars (id) on delete cascade,
  date text not null check (date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  minutes integer check (minutes is null or minutes between 1 and 1440),
  summary text not null default '',
  primary key (calendar_id, date)
);
create index leave_calendar_days_date on leave_calendar_days (date);
`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists leave_calendar_days; drop table if exists leave_calendars;');
  }
}
