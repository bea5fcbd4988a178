/**
 * Money (issue 12): amounts are integers in the currency's minor units (cents, pence; yen have
 * none), never floats. A price is per hour; hours are quarter hours, so an amount is
 * `hours × price`, rounded half up to the minor unit once, per line (a statement's or a bill's):
 * totals are sums of rounded lines, so every total adds up to the lines printed above it.
 */
import { z } from 'zod';

/** ISO 4217 codes the runtime knows (Intl), upper case. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const Currency = z
  .string({ error: 'must be a currency code like EUR' })
  .trim()
  .toUpperCase()
  .refine((c) => CURRENCIES.has(c), { error: 'must be an ISO 4217 currency code like EUR, USD or GBP' });

/** A price per hour in minor units: a whole number from 0 to 100 million (1 000 000.00 an hour). */
export const PriceMinor = z
  .number({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a whole number of minor units (cents) per hour, or null') })
  .int({ error: 'must be a whole number of minor units (cents) per hour' })
  .min(0, { error: 'must not be negative' })
  .max(100_000_000, { error: 'must be at most 100000000 minor units per hour' });

/** Decimal places of a currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** `hours` at `priceMinor` an hour, in minor units, rounded half up (hours are never negative here). */
export function amountMinor(hours: number, priceMinor: number | null | undefined): number {
  if (!priceMinor || !hours) return 0;
  // Quarter hours × an integer price: hours × 4 is whole, so the product is exact before rounding.
  const quarters = Math.round(hours * 4);
  return Math.sign(quarters) * Math.floor((Math.abs(quarters) * priceMinor + 2) / 4);
}

/** Minor units as a decimal string in major units ("1234.50"), for CSV and accounting files. */
export function majorString(minor: number, currency: string): string {
  const d = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.round(minor));
  if (d === 0) return `${sign}${abs}`;
  const s = String(abs).padStart(d + 1, '0');
  return `${sign}${s.slice(0, -d)}.${s.slice(-d)}`;
}

/** A major-unit amount as typed ("12.5", "12,50") to minor units; null when it is not one. */
export function parseMajor(text: string, currency: string): number | null {
  const t = text.trim().replace(',', '.');
  const d = minorDigits(currency);
  const m = /^(\d{1,9})(?:\.(\d*))?$/.exec(t);
  if (!m || (m[2] && m[2].length > d)) return null;
  return Number(m[1]) * 10 ** d + Number((m[2] ?? '').padEnd(d, '0') || 0);
}

/** Minor units formatted for people ("€1,234.50"), in `locale` (the browser's, or en). */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const d = minorDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: d, maximumFractionDigits: d }).format(minor / 10 ** d);
}
