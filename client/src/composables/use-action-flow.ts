/**
 * A manager's action in three steps: ask the what-if question, confirm it, then show what the
 * new plan did. Nothing is saved until `apply`.
 *
 * An answered question is confirmed through POST /api/what-if/confirm with the revision the
 * answer was computed from, so what is saved gives the plan the answer showed. When the quarter
 * moved on in between, nothing is saved and the server's fresh answer replaces the old one, for
 * the manager to confirm again. An action without an answer (none asked, or the planner could not
 * answer) is written by its own route.
 */
import { ref, shallowRef } from 'vue';
import { ApiError, api } from '../api/http.ts';
import type { Change, WhatIfAnswer, WhatIfStale } from '../../../shared/api/index.ts';
import { diffLines, whatIfVerdict, type Verdict } from './diff-summary.ts';
import { usePlan, waitForPlanAfter } from './use-plan.ts';
import { useForm } from './use-form.ts';

export type ActionPhase = 'edit' | 'checking' | 'answered' | 'applying' | 'waiting' | 'done';

export interface Effect {
  version: number | null;
  lines: string[];
}

/** The question and the answer a confirm is about. */
interface Asked {
  quarter: string | undefined;
  changes: Change[];
  answer: WhatIfAnswer;
}

export const STALE_NOTICE = 'The plan changed while you were deciding: nothing was saved. This is the answer on the plan as it is now; confirm again to save.';

/** The fresh answer a 409 `what_if_stale` carries, if that is what the error is. */
export function staleAnswer(err: unknown): WhatIfAnswer | null {
  if (!(err instanceof ApiError) || err.status !== 409 || err.code !== 'what_if_stale') return null;
  const answer = (err.response as Partial<WhatIfStale> | null)?.answer;
  return answer && typeof answer.basedOnRevision === 'number' ? answer : null;
}

export function useActionFlow(fields: string[], names: () => Map<string, string>) {
  // The plan in force, whichever feed holds it (a manager's summary, or the whole plan view).
  const { head: plan } = usePlan();
  const phase = ref<ActionPhase>('edit');
  const verdict = shallowRef<Verdict | null>(null);
  const previewError = shallowRef<ApiError | null>(null);
  const effect = shallowRef<Effect | null>(null);
  /** Set when a confirm found the quarter moved on: the verdict shown is the fresh one. */
  const staleNotice = ref<string | null>(null);
  const form = useForm(fields);
  let asked: Asked | null = null;

  function answered(a: Asked): void {
    asked = a;
    verdict.value = whatIfVerdict(a.answer, names());
    phase.value = 'answered';
  }

  async function check(changes: Change[]): Promise<void> {
    phase.value = 'checking';
    verdict.value = null;
    previewError.value = null;
    staleNotice.value = null;
    asked = null;
    const quarter = plan.value?.quarter.id;
    const answer = await form.run(() => api.whatIf.ask({ quarter, changes }));
    if (answer) {
      answered({ quarter, changes, answer });
    } else if (form.error.value && form.error.value.details.length) {
      phase.value = 'edit';
    } else {
      // The question could not be answered: say why, and let the manager decide without it.
      previewError.value = form.error.value;
      form.clear();
      phase.value = 'answered';
    }
  }

  /** Confirms the answered question, or runs `write` when there is none. */
  async function apply(write: () => Promise<unknown>, waitMs = 30_000): Promise<boolean> {
    const before = plan.value?.version ?? 0;
    const confirming = asked && typeof asked.answer.basedOnRevision === 'number' ? asked : null;
    phase.value = 'applying';
    staleNotice.value = null;
    const stale: { answer: WhatIfAnswer | null } = { answer: null };
    const ok = await form.run(async () => {
      if (!confirming) return (await write(), true);
      try {
        await api.whatIf.confirm({ quarter: confirming.quarter, changes: confirming.changes, basedOnRevision: confirming.answer.basedOnRevision });
        return true;
      } catch (err) {
        stale.answer = staleAnswer(err);
        if (stale.answer) return false;
        throw err;
      }
    });
    if (confirming && stale.answer) {
      answered({ ...confirming, answer: stale.answer });
      staleNotice.value = STALE_NOTICE;
      return false;
    }
    if (!ok) {
      phase.value = verdict.value || previewError.value ? 'answered' : 'edit';
      return false;
    }
    phase.value = 'waiting';
    const next = await waitForPlanAfter(before, waitMs);
    if (!next) {
      effect.value = { version: null, lines: ['Saved. The plan has not changed yet: it updates here when it does.'] };
    } else {
      let lines = [`Plan v${next.version} is ready.`];
      try {
        const diff = await api.plans.diff(next.version, before || undefined);
        lines = diffLines(diff, names(), next);
      } catch {
        /* the diff is a nicety: the new plan is already on screen */
      }
      effect.value = { version: next.version, lines };
    }
    phase.value = 'done';
    return true;
  }

  function reset(): void {
    phase.value = 'edit';
    verdict.value = null;
    previewError.value = null;
    effect.value = null;
    staleNotice.value = null;
    asked = null;
    form.clear();
  }

  return { phase, verdict, previewError, effect, staleNotice, form, check, apply, reset };
}
