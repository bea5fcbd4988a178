/**
 * DOMAIN.md level 3: a prepaid client's urgent (P1) work left once its target is filled, within its
 * balance, also for a client whose open work exceeds its balance. All urgent hours weigh the same.
 */
import type { ModelContext } from '../model-context.ts';
import { weighLevel } from './above-target.ts';

export function addUrgentAboveRate(ctx: ModelContext): void {
  weighLevel(ctx, 'urgent-above-rate', () => 0);
}
