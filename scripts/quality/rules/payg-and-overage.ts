/**
 * DOMAIN.md level 4: PAYG tickets and prepaid overage (work above the target of a client whose
 * presented work exceeds its balance, or whose balance is used up), by priority across clients;
 * at equal priority prepaid clients' work first.
 */
import type { ModelContext } from '../model-context.ts';
import { weighLevel } from './above-target.ts';

/** Per priority step; the prepaid bonus is smaller, so it only orders equal priorities. */
const PRIORITY_STEP = 2;
const PREPAID_FIRST = 0.5;

export function addPaygAndOverage(ctx: ModelContext): void {
  weighLevel(ctx, 'payg', (b) => (4 - b.priority) * PRIORITY_STEP + (b.client.prepaid ? PREPAID_FIRST : 0));
}
