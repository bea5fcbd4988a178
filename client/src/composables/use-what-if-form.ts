/**
 * The form of a manager's action dialog around `useActionFlow`: fresh on every opening, back to
 * editing when a value changes after the what-if answer (the answer no longer fits), and checked
 * here before the planner or the server is asked.
 */
import { reactive, ref, watch } from 'vue';
import type { Change } from '../../../shared/api/index.ts';
import { useActionFlow } from './use-action-flow.ts';

export interface WhatIfFormOptions<F extends object> {
  open: () => boolean;
  names: () => Map<string, string>;
  /** The fields the server may name in its errors, shown next to them. */
  fields: string[];
  values: F;
  /** The values set on every opening; the others keep what was chosen last time. */
  reset: () => Partial<NoInfer<F>>;
  /** What is missing, as a message by field; empty when the form may be sent. */
  missing: (f: NoInfer<F>) => Record<string, string>;
  /** The what-if question; once answered, confirming saves exactly these changes. */
  changes?: (f: NoInfer<F>) => Change[];
  /** The single route's write: for an action without a question, or one the planner could not answer. */
  write: (f: NoInfer<F>) => Promise<unknown>;
}

export function useWhatIfForm<F extends object>(o: WhatIfFormOptions<F>) {
  const flow = useActionFlow(o.fields, o.names);
  const f = reactive(o.values) as F;
  const missing = ref<Record<string, string>>({});

  watch(
    o.open,
    (open) => {
      if (!open) return;
      flow.reset();
      missing.value = {};
      Object.assign(f, o.reset());
    },
    { immediate: true },
  );
  watch(f, () => flow.phase.value === 'answered' && flow.reset());

  function valid(): boolean {
    missing.value = o.missing(f);
    return !Object.keys(missing.value).length;
  }
  function check(): void {
    if (o.changes && valid()) void flow.check(o.changes(f));
  }
  function apply(): void {
    if (valid()) void flow.apply(() => o.write(f));
  }

  return { flow, f, missing, check, apply };
}
