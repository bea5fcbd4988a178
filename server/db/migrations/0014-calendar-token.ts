import { Migration } from '@mikro-orm/migrations';

/**
 * Calendar feeds keep their token (issue 12's contract: GET /api/calendar answers the caller's
 * own feed address, every time, as calendar services' "secret address" pages do). The lookup stays
 * by the token's SHA-256. Feeds made before this migration have no token kept: their owner resets
 * the address to see one.
 */
export class Migration0014CalendarToken extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table calendar_feeds add column token text;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table calendar_feeds drop column if exists token;');
  }
}
