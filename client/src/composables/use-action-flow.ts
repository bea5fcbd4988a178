/**
 * A manager's action in three steps: ask the what-if question, apply the change, then show what
 * the new plan did. Nothing is saved until `apply`.
 */
import { ref, shallowRef } from 'vue';
import { ApiError, http, query } from '../api/http.ts';
import type { PlanDiff, WhatIfAnswer, WhatIfChange } from '../api/types.ts';
import { diffLines, whatIfVerdict, type Verdict } from './diff-summary.ts';
import { usePlan, waitForPlanAfter } from './use-plan.ts';
import { useForm } from './use-form.ts';

export type ActionPhase = 'edit' | 'checking' | 'answered' | 'applying' | 'waiting' | 'done';

export interface Effect {
  version: number | null;
  lines: string[];
}

export function useActionFlow(fields: string[], names: () => Map<string, string>) {
  const { plan } = usePlan();
  const phase = ref<ActionPhase>('edit');
  const verdict = shallowRef<Verdict | null>(null);
  const previewError = shallowRef<ApiError | null>(null);
  const effect = shallowRef<Effect | null>(null);
  const form = useForm(fields);

  async function check(changes: WhatIfChange[]): Promise<void> {
    phase.value = 'checking';
    verdict.value = null;
    previewError.value = null;
    const answer = await form.run(() => http.post<WhatIfAnswer>('/api/what-if', { quarter: plan.value?.quarter.id, changes }));
    if (answer) {
      verdict.value = whatIfVerdict(answer, names());
      phase.value = 'answered';
    } else if (form.error.value && form.error.value.details.length) {
      phase.value = 'edit';
    } else {
      // The question could not be answered: say why, and let the manager decide without it.
      previewError.value = form.error.value;
      form.clear();
      phase.value = 'answered';
    }
  }

  async function apply(write: () => Promise<unknown>, waitMs = 30_000): Promise<boolean> {
    const before = plan.value?.version ?? 0;
    phase.value = 'applying';
    const ok = await form.run(async () => {
      await write();
      return true;
    });
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
        const diff = await http.get<PlanDiff & { from: number | null }>(`/api/plans/${next.version}/diff${query({ against: before || undefined })}`);
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
    form.clear();
  }

  return { phase, verdict, previewError, effect, form, check, apply, reset };
}
