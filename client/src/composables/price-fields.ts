/**
 * Prices as a manager types them: in major units of the company currency ("95", "95.50", "95,50"),
 * stored as integer minor units (shared/money.ts parseMajor). Blank means not priced (null).
 */
import { majorString, minorDigits, parseMajor } from '../../../shared/money.ts';

/** A stored price as the field shows it: "95.00", or blank when not priced. */
export function priceText(minor: number | null | undefined, currency: string): string {
  return minor === null || minor === undefined ? '' : majorString(minor, currency);
}

export type PriceInput = { ok: true; minor: number | null } | { ok: false; message: string };

/** What a price field says: null for blank, minor units, or why it is not a price. */
export function readPrice(text: string, currency: string): PriceInput {
  if (!text.trim()) return { ok: true, minor: null };
  const minor = parseMajor(text, currency);
  if (minor !== null) return { ok: true, minor };
  const d = minorDigits(currency);
  const example = d ? `95.${'5'.padEnd(d, '0')}` : '95';
  return { ok: false, message: `Enter an amount per hour in ${currency} like ${example}${d ? `, with at most ${d} decimal${d === 1 ? '' : 's'}` : ' (whole units)'}, or leave it blank.` };
}
