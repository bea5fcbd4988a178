/**
 * The pin form: this person on this ticket in this week, for these hours. Opened from a ticket's
 * row (the ticket chosen) or from a person-week of the heatmap (person and week chosen, the tickets
 * planned there offered first, each with its planned hours as the suggestion). Saved straight away
 * (a pin is the manager's decision; the plan says afterwards whether it held).
 */
import { computed, watch } from 'vue';
import { api } from '../api/http.ts';
import type { PlanView, TicketRecord } from '../../../shared/api/index.ts';
import { cellTickets, pinStatus, type PinStatus } from './pin-data.ts';
import { usePlan } from './use-plan.ts';
import { useWhatIfForm } from './use-what-if-form.ts';

export interface PinPreset {
  ticket?: string | null;
  staff?: string | null;
  week?: number | null;
}

export interface PinTicketOption {
  id: string;
  label: string;
}

export interface PinFormOptions {
  open: () => boolean;
  plan: () => PlanView;
  tickets: () => TicketRecord[];
  names: () => Map<string, string>;
  preset: () => PinPreset;
}

const FIELDS = ['ticket', 'staff', 'week', 'hours'];

export function usePinForm(o: PinFormOptions) {
  const { plan: current } = usePlan();
  const planned = (staff: string, week: number) => (staff ? cellTickets(o.plan(), staff, week) : []);
  const suggestion = (ticket: string, staff: string, week: number) => planned(staff, week).find((c) => c.ticket === ticket)?.hours ?? null;

  const fresh = () => {
    const p = o.preset();
    const week = p.week ?? o.plan().quarter.currentWeek;
    const staff = p.staff ?? '';
    // From a person-week, the ticket they have most hours on there comes first.
    const ticket = p.ticket ?? planned(staff, week)[0]?.ticket ?? '';
    return { ticket, staff, week, hours: suggestion(ticket, staff, week) };
  };

  const form = useWhatIfForm({
    open: o.open,
    names: o.names,
    fields: FIELDS,
    values: { ticket: '', staff: '', week: 0, hours: null as number | null },
    reset: fresh,
    missing: (v) => {
      const m: Record<string, string> = {};
      if (!v.ticket) m.ticket = 'Choose the ticket to pin.';
      if (!v.staff) m.staff = 'Choose who does the work.';
      if (v.hours === null || Number.isNaN(v.hours) || v.hours <= 0) m.hours = 'Enter the hours to pin, in quarter hours (e.g. 4 or 2.5).';
      return m;
    },
    write: (v) => api.pins.create({ quarter: o.plan().quarter.id, ticket: v.ticket, staff: v.staff, week: v.week, hours: v.hours! }),
  });
  const { f } = form;

  // A new choice brings its planned hours, unless the manager typed hours of their own.
  watch(
    () => [f.ticket, f.staff, f.week] as const,
    ([ticket, staff, week], before) => {
      if (!before) return;
      const old = suggestion(before[0], before[1], before[2]);
      if (f.hours === null || f.hours === old) f.hours = suggestion(ticket, staff, week);
    },
  );

  const plannedHere = computed(() => planned(f.staff, f.week));
  const ticketOptions = computed(() => {
    const titles = new Map(o.tickets().map((t) => [t.id, t.title]));
    const label = (id: string) => (titles.get(id) ? `${id} · ${titles.get(id)}` : id);
    const here = new Set(plannedHere.value.map((c) => c.ticket));
    return {
      here: plannedHere.value.map((c): PinTicketOption => ({ id: c.ticket, label: `${label(c.ticket)} (${c.hours} h planned)` })),
      others: o
        .tickets()
        .filter((t) => t.status === 'open' && !here.has(t.id))
        .sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }))
        .map((t): PinTicketOption => ({ id: t.id, label: label(t.id) })),
    };
  });

  /** Once saved and re-planned: whether the new plan holds the pin, and if not, why. */
  const outcome = computed<PinStatus | null>(() => {
    if (form.flow.phase.value !== 'done' || !form.flow.effect.value?.version || !current.value) return null;
    return pinStatus(current.value, { ticket: f.ticket, staff: f.staff, week: f.week, hours: f.hours ?? 0 });
  });

  return { ...form, plannedHere, ticketOptions, outcome };
}
