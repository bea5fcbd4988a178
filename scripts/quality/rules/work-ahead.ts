/**
 * DOMAIN.md level 5: work ahead, prepaid work above the target of clients whose open work fits in
 * their balance, with capacity nobody else needs; higher priority first.
 */
import type { ModelContext } from '../model-context.ts';
import { weighLevel } from './above-target.ts';

const PRIORITY_STEP = 1;

export function addWorkAhead(ctx: ModelContext): void {
  weighLevel(ctx, 'work-ahead', (b) => (4 - b.priority) * PRIORITY_STEP);
}
