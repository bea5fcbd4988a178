/** /api/settings: the company's own settings: its name (statements carry it) and its currency. */
import { z } from 'zod';
import { Currency } from '../money.ts';
import { Name, Version } from './fields.ts';

export const CompanySettingsRecord = z
  .object({
    name: z.string(),
    /** ISO 4217; every price and amount is in its minor units (shared/money.ts). */
    currency: z.string(),
    version: z.number().int(),
  })
  .strict();
export type CompanySettingsRecord = z.infer<typeof CompanySettingsRecord>;

/** PATCH /api/settings (managers), with the version read. */
export const CompanySettingsPatch = z.object({ version: Version, name: Name.optional(), currency: Currency.optional() }).strict();
export type CompanySettingsPatch = z.infer<typeof CompanySettingsPatch>;
