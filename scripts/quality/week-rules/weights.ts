/**
 * The week-by-week LP's ladder of weights (per hour, maximised), one rung per step of DOMAIN.md's
 * "Who gets the hours: order of precedence" for a single week. Each rung is worth more than
 * everything below it can add up to per hour, so an optimal solution of a week's LP gives the
 * week's hours out in that order; there is no term for any later week (DOMAIN.md: "a week's hours
 * are shared out by the levels below before the next week is considered").
 *
 * | rung | per hour |
 * |---|---|
 * | level 1, emergency (PAYG) | 1e6, + 1e3 per week it has waited |
 * | level 1, prepaid client's emergency | + 1e5 (prepaid first) |
 * | pin (rules/pins.ts's PIN_WEIGHT) | 1e4 |
 * | level 2, own week (ideal[w]) | 3000 |
 * | level 2, catch-up (what the client is behind) | 1000 |
 * | levels 3-5, above the target, by the place of the level in `policy.levels` | 300 / 200 / 100 |
 * | inside levels 4 and 5: per priority step | 10 (prepaid first at equal priority in level 4: + 5) |
 * | inside level 2: per priority step | 1, then lowest ticket id first (< 0.5) |
 * | a due week, nearer first | ≤ 0.5 |
 */

export const EMERGENCY = 1e6;
export const PREPAID_EMERGENCY = 1e5;
/** Per week an emergency has waited: older emergency hours stay first in line. */
export const EMERGENCY_WAITED = 1e3;

export const OWN_WEEK = 3000;
export const CATCH_UP = 1000;
/**
 * Per hour of an emergency, pin or logged hour counted toward the client's target: more than a
 * level-2 priority step, so that a target such hours fill is not filled twice by tickets.
 */
export const COUNTED_TOWARD_TARGET = 5;
/**
 * Per hour of an emergency or pin taken from the client's balance: above every level 3-5 hour, so
 * the balance left for urgent work above the target is what emergencies and pins leave.
 */
export const TAKEN_FROM_BALANCE = 500;
export const LEVEL2_PRIORITY_STEP = 1;
/** Inside level 2 at equal priority: lowest ticket id first, across all buckets less than one priority step. */
export const LEVEL2_ID_ORDER = 0.5;

/** Weight of an hour at the first, second and third level of `policy.levels`. */
export const BANDS = [300, 200, 100] as const;
export const ABOVE_PRIORITY_STEP = 10;
export const PREPAID_FIRST = 5;

export const DUE_WEEK = 0.5;
