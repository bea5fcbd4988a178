/**
 * What quarterMoney needs besides a plan, read from the database: the clients' prices and the
 * company currency; and the difference of two quarters' totals (the what-if's money part).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MoneyTotals } from '../../../shared/api/revenue.ts';
import { Client } from '../../db/entities.ts';
import { companySettings } from '../settings/settings.routes.ts';
import type { ClientPrices } from './quarter-money.ts';

/** The prices of the clients named (a client since removed has none: its figures count 0, unpriced). */
export async function clientPrices(em: EntityManager, ids: readonly string[]): Promise<Map<string, ClientPrices>> {
  const rows = ids.length ? await em.find(Client, { id: { $in: [...ids] } }, { fields: ['id', 'blockPriceMinor', 'paygRateMinor'] }) : [];
  return new Map(rows.map((c) => [c.id, { blockPriceMinor: c.blockPriceMinor ?? null, paygRateMinor: c.paygRateMinor ?? null }]));
}

export async function moneyInputs(em: EntityManager, ids: readonly string[]): Promise<{ prices: Map<string, ClientPrices>; currency: string }> {
  const [prices, settings] = await Promise.all([clientPrices(em, ids), companySettings(em)]);
  return { prices, currency: settings.currency };
}

export function totalsDelta(before: MoneyTotals, after: MoneyTotals): MoneyTotals {
  const out = {} as MoneyTotals;
  for (const k of Object.keys(after) as (keyof MoneyTotals)[]) out[k] = after[k] - before[k];
  return out;
}
