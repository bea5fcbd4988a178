import { Migration } from '@mikro-orm/migrations';

/**
 * Money (issue 12): each client's prices in the company's currency, as integer minor units per
 * hour (cents: never floats): the prepaid block price (the discounted rate) and the
 * pay-as-you-go rate, which overage is billed at too. Null: not priced yet. The company's one
 * row of settings holds its name (statements carry it) and its ISO 4217 currency.
 */
export class Migration0010Prices extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table clients add column block_price_minor integer check (block_price_minor >= 0);
alter table clients add column payg_rate_minor integer check (payg_rate_minor >= 0);
create table company_settings (
  id integer primary key default 1 check (id = 1),
  name text not null default 'Hourglass',
  currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  version integer not null default 1
);
insert into company_settings (id) values (1);
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop table if exists company_settings;
alter table clients drop column if exists block_price_minor;
alter table clients drop column if exists payg_rate_minor;
`);
  }
}
