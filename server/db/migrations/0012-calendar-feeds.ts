import { Migration } from '@mikro-orm/migrations';

/**
 * Calendar feeds (issue 12): each user's secret feed address `/api/calendar/<token>.ics`. One row
 * per user, holding only the SHA-256 of the token (as sessions and password links do): a leaked
 * table gives no working feed. A reset replaces the hash, so the old address stops at once.
 */
export class Migration0012CalendarFeeds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table calendar_feeds (
  user_id integer primary key references users (id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null default now()
);
`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists calendar_feeds;');
  }
}
