/** Ticket records of the shown quarter, read again whenever a ticket or the plan changes. */
import { computed } from 'vue';
import { query } from '../api/http.ts';
import type { TicketRecord } from '../api/types.ts';
import { usePlan } from './use-plan.ts';
import { useResource } from './use-resource.ts';

export function useTickets(filter: () => Record<string, string | undefined> = () => ({})) {
  const { quarter } = usePlan();
  const res = useResource<TicketRecord[]>(() => (quarter.value ? `/api/tickets${query({ quarter: quarter.value.id, ...filter() })}` : null), [], ['ticket.changed', 'time-entry.changed', 'emergency.declared', 'data.changed']);
  return { ...res, byId: computed(() => new Map(res.data.value.map((t) => [t.id, t]))) };
}

/** Client and staff names from the plan (managers see them all; others only what they may). */
export function usePlanNames() {
  const { plan } = usePlan();
  return {
    clients: computed(() => new Map((plan.value?.clients ?? []).map((c) => [c.id, c.name]))),
    staff: computed(() => new Map((plan.value?.staff ?? []).map((s) => [s.id, s.name]))),
  };
}
