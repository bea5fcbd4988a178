/** Ticket records of the shown quarter, read again whenever a ticket or the plan changes. */
import { computed } from 'vue';
import { api } from '../api/http.ts';
import type { TicketListQuery, TicketRecord } from '../../../shared/api/tickets.ts';
import { usePlan } from './use-plan.ts';
import { useResource } from './use-resource.ts';

type TicketFilter = Pick<TicketListQuery, 'client' | 'status'>;

export function useTickets(filter: () => TicketFilter = () => ({})) {
  const { quarter } = usePlan();
  const res = useResource<TicketRecord[], TicketFilter & { quarter: string }>(
    () => (quarter.value ? { quarter: quarter.value.id, ...filter() } : null),
    (q) => api.tickets.all(q),
    [],
    ['ticket.changed', 'time-entry.changed', 'emergency.declared', 'data.changed'],
  );
  return { ...res, byId: computed(() => new Map(res.data.value.map((t) => [t.id, t]))) };
}

/** Client and staff names from the plan (managers see them all; others only what they may). */
export function usePlanNames() {
  const { plan, summary, head } = usePlan();
  return {
    clients: computed(() => new Map((head.value?.clients ?? []).map((c) => [c.id, c.name]))),
    staff: computed(() => new Map((summary.value?.staff ?? plan.value?.staff ?? []).map((s) => [s.id, s.name]))),
  };
}
