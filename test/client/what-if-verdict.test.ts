// @vitest-environment happy-dom
/**
 * The what-if answer in words, and the confirm step: the headline counts exactly the clients the
 * answer lists, messages name clients by name, and a confirm that finds the plan moved on shows
 * the fresh answer instead of saving.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlanDiff, PushedOut, WhatIfAnswer } from '../../shared/api/index.ts';
import { whatIfVerdict, type VerdictInput } from '../../client/src/composables/diff-summary.ts';
import { STALE_NOTICE, useActionFlow } from '../../client/src/composables/use-action-flow.ts';
import { acceptPlan, stopPlanFeed } from '../../client/src/composables/use-plan.ts';
import { clientPlan, planView } from './fixtures.ts';

const pushed = (client: string, name: string, hours: number, weeks: number[]): PushedOut => ({ client, name, hours, weeks, byWeek: weeks.map((week) => ({ week, hours: hours / weeks.length })) });
const below = (id: string, weeks: number[]): PlanDiff['clients'][number] => ({ id, delta: {}, deliveredDelta: {}, emergencyDelta: 0, newlyBelowRate: weeks.map((week) => ({ week, hours: 2 })) });
const plan = planView({
  clients: [
    clientPlan({ id: 'acme', name: 'Acme Ltd', demand: [9, 9, 9, 9, 9] }),
    clientPlan({ id: 'bolt', name: 'Bolt Co', demand: [9, 9, 9, 9, 9] }),
    clientPlan({ id: 'cove', name: 'Cove Inn', demand: [9, 9, 9, 9, 9] }),
    clientPlan({ id: 'dune', name: 'Dune Spa', demand: [9, 9, 9, 9, 9] }),
    clientPlan({ id: 'gale', name: 'Gale Works', demand: [9, 9, 9, 9, 9] }),
  ],
});

/** Lines that say a client falls below, or would end short of, its rate. */
const belowLines = (lines: string[]) => lines.filter((l) => /below its weekly rate|short of its weekly rate|new weekly rate would not be met/.test(l));

describe('whatIfVerdict', () => {
  it('a block: the headline counts the clients pushed out, and only they are said to fall below their rate', () => {
    const answer: VerdictInput = {
      plan,
      available: false,
      pushedOut: [pushed('acme', 'Acme Ltd', 6, [2, 3]), pushed('bolt', 'Bolt Co', 2, [3]), pushed('cove', 'Cove Inn', 1.25, [4])],
      blockShortfall: [pushed('gale', 'Gale Works', 4, [3, 4])],
      // The diff (saved plan against the plan in force) has its own below-rate weeks, for a fourth client too.
      diff: { clients: [below('acme', [2]), below('dune', [3, 4]), { ...below('cove', []), delta: { atRiskHours: 1.25 } }], tickets: [], staff: [] },
    };
    const v = whatIfVerdict(answer, new Map());
    expect(v.ok).toBe(false);
    expect(v.headline).toBe('Not available without cost: it would push 3 clients below their weekly rate, and the new rate itself would not be met in full.');
    const others = belowLines(v.lines).filter((l) => !l.startsWith('Gale Works'));
    expect(others).toEqual([
      'Acme Ltd would end the quarter 6 h short of its weekly rate (less of it in weeks 2–3)',
      'Bolt Co would end the quarter 2 h short of its weekly rate (less of it in week 3)',
      'Cove Inn would end the quarter 1.25 h short of its weekly rate (less of it in week 4)',
    ]);
    expect(v.lines).toContain("Gale Works's new weekly rate would not be met: 4 h short by quarter end (less of it in weeks 3–4)");
    expect(v.lines.join('\n')).not.toContain('Dune Spa falls below');
    expect(v.lines).toContain('Cove Inn: at risk +1.25 h');
  });

  it('counts one client in the singular, and says when nobody is pushed', () => {
    const one = whatIfVerdict({ plan, pushedOut: [pushed('bolt', 'Bolt Co', 2, [3])], diff: { clients: [], tickets: [], staff: [] } }, new Map());
    expect(one.headline).toBe('One client would fall below its weekly rate.');
    expect(belowLines(one.lines)).toHaveLength(1);
    const none = whatIfVerdict({ plan, pushedOut: [], diff: { clients: [below('acme', [3])], tickets: [], staff: [] } }, new Map());
    expect([none.ok, none.headline, belowLines(none.lines)]).toEqual([true, 'No client is pushed below its weekly rate.', []]);
    const fits = whatIfVerdict({ plan, available: true, pushedOut: [], blockShortfall: [], diff: { clients: [], tickets: [], staff: [] } }, new Map());
    expect(fits.headline).toMatch(/^Available/);
  });

  it('names clients by name, never by id, also where the caller knows no name', () => {
    const answer: VerdictInput = {
      plan,
      pushedOut: [{ ...pushed('dune', '', 3, [2]) }],
      diff: { clients: [{ id: 'gale', delta: { plannedHours: -3 }, deliveredDelta: {}, emergencyDelta: 2, newlyBelowRate: [] }], tickets: [], staff: [] },
    };
    const text = [whatIfVerdict(answer, new Map()).headline, ...whatIfVerdict(answer, new Map()).lines].join('\n');
    expect(text).toContain('Dune Spa would end the quarter 3 h short');
    expect(text).toContain('Gale Works: +2 h of emergency work');
    expect(text).not.toMatch(/\b(dune|gale)\b/);
  });
});

describe('confirming through the action flow', () => {
  // The server sends the whole plan; the flow reads only its clients.
  const answer = (revision: number, pushedOut: PushedOut[] = []): WhatIfAnswer => ({ quarter: '2026-Q4', basedOnVersion: null, basedOnRevision: revision, plan: plan as unknown as WhatIfAnswer['plan'], pushedOut, diff: { clients: [], tickets: [], staff: [] } });
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  let calls: { path: string; body: unknown }[];

  function serve(...responses: Response[]) {
    calls = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string, init: RequestInit) => {
        calls.push({ path, body: init.body ? JSON.parse(String(init.body)) : undefined });
        return responses.shift() ?? json({ error: { code: 'not_found', message: 'nothing' } }, 404);
      }),
    );
  }

  beforeEach(() => {
    stopPlanFeed();
    acceptPlan(planView({ version: 3 }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('confirms the answered changes with the revision of the answer; a stale confirm shows the fresh answer and saves nothing', async () => {
    const changes = [{ type: 'add-block' as const, client: 'acme', week: 2, hours: 20 }];
    const stale = { error: { code: 'what_if_stale', message: 'The quarter changed', details: { basedOnRevision: 7, revision: 8 } }, answer: answer(8, [pushed('bolt', 'Bolt Co', 2, [3])]) };
    serve(json(answer(7)), json(stale, 409), json({ quarter: '2026-Q4', basedOnRevision: 8, created: [[]] }));
    const flow = useActionFlow(['client', 'week', 'hours'], () => new Map());
    const write = vi.fn(async () => undefined);

    await flow.check(changes);
    expect(flow.phase.value).toBe('answered');
    expect(flow.verdict.value!.headline).toBe('No client is pushed below its weekly rate.');

    expect(await flow.apply(write, 5)).toBe(false);
    expect(calls[1]).toEqual({ path: '/api/what-if/confirm', body: { quarter: '2026-Q4', changes, basedOnRevision: 7 } });
    expect(flow.phase.value).toBe('answered');
    expect(flow.staleNotice.value).toBe(STALE_NOTICE);
    expect(flow.verdict.value!.headline).toBe('One client would fall below its weekly rate.');
    expect(flow.form.error.value).toBeNull();

    expect(await flow.apply(write, 5)).toBe(true);
    expect(calls[2]).toEqual({ path: '/api/what-if/confirm', body: { quarter: '2026-Q4', changes, basedOnRevision: 8 } });
    expect(write).not.toHaveBeenCalled();
    expect(flow.phase.value).toBe('done');
  });

  it('without an answer, the single route writes; other confirm errors stay on the form', async () => {
    serve();
    const flow = useActionFlow([], () => new Map());
    const write = vi.fn(async () => undefined);
    expect(await flow.apply(write, 5)).toBe(true);
    expect(write).toHaveBeenCalledOnce();
    expect(calls).toEqual([]);

    serve(json(answer(4)), json({ error: { code: 'validation_failed', message: 'changes[0].hours: a block is at least 20 hours', details: [{ field: 'changes[0].hours', message: 'a block is at least 20 hours' }] } }, 400));
    const again = useActionFlow(['hours'], () => new Map());
    await again.check([{ type: 'add-block', client: 'acme', week: 2, hours: 20 }]);
    expect(await again.apply(write, 5)).toBe(false);
    expect(again.form.fieldError('hours')).toBe('a block is at least 20 hours');
    expect(again.staleNotice.value).toBeNull();
    expect(again.phase.value).toBe('answered');
  });
});
