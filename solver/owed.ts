/**
 * "Owed at the rate" (DOMAIN.md): the hours a prepaid client would have had if the company had
 * worked its presented tickets at exactly the locked-in rate, week by week from currentWeek, never
 * more than its balance (the company cannot owe hours the client no longer has):
 *   ideal[w] = max(0, min(rate[w], presented[w] − I, balance − I)),  I = Σ ideal[currentWeek … w−1]
 * It depends on the scenario only, never on the plan, so it is the yardstick for shortfall, and
 * hours delivered ahead never shrink a later week's own ideal[w].
 */
import type { MClient } from './model.ts';

export function idealByWeek(client: MClient, W: number, current: number): number[] {
  const ideal = new Array<number>(W).fill(0);
  if (!client.prepaid) return ideal;
  let cumulative = 0;
  for (let w = current; w < W; w++) {
    const x = Math.max(0, Math.min(client.rate[w]!, client.presented[w]! - cumulative, client.balance - cumulative));
    ideal[w] = x;
    cumulative += x;
  }
  return ideal;
}

/** Running totals: cumulative[w] = Σ values[current … w]. */
export function cumulativeFrom(values: ArrayLike<number>, current: number): number[] {
  const out = new Array<number>(values.length).fill(0);
  let sum = 0;
  for (let w = current; w < values.length; w++) {
    sum += values[w]!;
    out[w] = sum;
  }
  return out;
}
