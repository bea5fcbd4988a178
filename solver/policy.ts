/**
 * Business policy for precedence levels 3 to 5 (DOMAIN.md), kept in one place. Levels 1 and 2
 * (emergencies, locked-in rates) are contract, not policy, and always come first.
 */
import type { PolicyInput, PolicyLevel } from './contract.ts';

export interface Policy {
  /** Levels 3-5 in the order they are planned within each week; a level left out is not planned. */
  levels: PolicyLevel[];
  /**
   * Accepted for old scenarios and reported back, but it decides nothing any more: catch-up of a
   * missed rate is part of level 2 (DOMAIN.md), before levels 3-5, whatever this says.
   */
  catchUpFirst: boolean;
}

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  levels: ['urgent-above-rate', 'payg', 'work-ahead'] as PolicyLevel[],
  catchUpFirst: true,
});

/** The scenario's policy, overridden by an explicit one (e.g. from a what-if), over the defaults. */
export function resolvePolicy(...inputs: (PolicyInput | undefined)[]): Policy {
  const policy: Policy = { levels: [...DEFAULT_POLICY.levels], catchUpFirst: DEFAULT_POLICY.catchUpFirst };
  for (const input of inputs) {
    if (!input) continue;
    if (input.levels) policy.levels = [...input.levels];
    if (input.catchUpFirst !== undefined) policy.catchUpFirst = input.catchUpFirst;
  }
  return policy;
}

export const LEVEL_DESCRIPTIONS: Record<PolicyLevel, string> = {
  'urgent-above-rate': 'urgent prepaid work above the rate',
  payg: 'pay-as-you-go work and overage',
  'work-ahead': 'working ahead',
};
