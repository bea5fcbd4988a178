/**
 * The shown quarter's pins (managers), read again when the server says they or the plan changed,
 * each with its state in the current plan; and unpinning, one pin at a time.
 */
import { computed, ref, shallowRef } from 'vue';
import { ApiError, api } from '../api/http.ts';
import type { PinRecord } from '../../../shared/api/index.ts';
import { pinRows, type PinNames } from './pin-data.ts';
import { usePlan } from './use-plan.ts';
import { useResource } from './use-resource.ts';

export function usePins(names: () => PinNames = () => ({})) {
  const { plan, summary, quarter } = usePlan();
  const res = useResource<PinRecord[], string>(() => quarter.value?.id ?? null, (q) => api.pins.list(q), [], ['data.changed', 'plan.updated']);
  // A manager's summary carries the pinned rows and pin issues; a whole plan its allocations.
  const rows = computed(() => pinRows(res.data.value, summary.value ?? plan.value, names()));
  /** The pin being removed, for its button's busy state. */
  const removing = ref<number | null>(null);
  const removeError = shallowRef<ApiError | null>(null);

  async function unpin(id: number): Promise<boolean> {
    removing.value = id;
    removeError.value = null;
    try {
      await api.pins.remove(id);
      res.data.value = res.data.value.filter((p) => p.id !== id);
      return true;
    } catch (err) {
      removeError.value = ApiError.from(err);
      // Someone else unpinned it first: the list is out of date.
      if (removeError.value.status === 404) void res.reload();
      return false;
    } finally {
      removing.value = null;
    }
  }

  return { ...res, rows, removing, removeError, unpin };
}
