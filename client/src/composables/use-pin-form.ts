/**
 * The pin form: this person on this ticket in this week, for these hours. Opened from a ticket's
 * row (the ticket chosen) or from a person-week of the heatmap (person and week chosen, the tickets
 * planned there offered first, each with its planned hours as the suggestion). Saved straight away
 * (a pin is the manager's decision; the plan says afterwards whether it held).
 */
import { computed, watch } from 'vue';
import { api } from '../api/http.ts';
import { pinStatus, type CellTicket, type PinStatus } from './pin-data.ts';
import { usePlan, type PlanBasics } from './use-plan.ts';
import { useWhatIfForm } from './use-what-if-form.ts';

export interface PinPreset {
  ticket?: string | null;
  staff?: string | null;
  week?: number | null;
  /** The preset ticket's title (from its row): offered at once, before any list is read. */
  title?: string;
}

/** A ticket the form may offer: a record or a queue row. */
export interface PinTicket {
  id: string;
  title: string;
  status: 'open' | 'closed';
}

export interface PinTicketOption {
  id: string;
  label: string;
}

export interface PinFormOptions {
  open: () => boolean;
  plan: () => PlanBasics;
  /** The tickets planned for a person in a week ([] until known: the form takes them when they come). */
  cell: (staff: string, week: number) => CellTicket[];
  /** Other tickets to offer (the open ones among them). */
  tickets: () => readonly PinTicket[];
  names: () => Map<string, string>;
  preset: () => PinPreset;
}

const FIELDS = ['ticket', 'staff', 'week', 'hours'];

export function usePinForm(o: PinFormOptions) {
  const { plan: whole, summary } = usePlan();
  const planned = (staff: string, week: number) => (staff ? o.cell(staff, week) : []);
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
  // A person-week's tickets read after the form opened: the first is chosen, with its hours.
  watch(plannedHere, (here) => {
    if (!o.open() || !here.length) return;
    if (!f.ticket) f.ticket = here[0]!.ticket;
    if (f.hours === null) f.hours = suggestion(f.ticket, f.staff, f.week);
  });
  const ticketOptions = computed(() => {
    const titles = new Map(o.tickets().map((t) => [t.id, t.title]));
    const preset = o.preset();
    if (preset.ticket && preset.title) titles.set(preset.ticket, preset.title);
    const label = (id: string) => (titles.get(id) ? `${id} · ${titles.get(id)}` : id);
    const here = new Set(plannedHere.value.map((c) => c.ticket));
    const others = o.tickets().filter((t) => t.status === 'open' && !here.has(t.id));
    // The ticket chosen stays on offer while the lists are read (or when they do not hold it).
    for (const id of [preset.ticket, f.ticket]) {
      if (id && !here.has(id) && !others.some((t) => t.id === id)) others.push({ id, title: titles.get(id) ?? '', status: 'open' });
    }
    return {
      here: plannedHere.value.map((c): PinTicketOption => ({ id: c.ticket, label: `${label(c.ticket)} (${c.hours} h planned)` })),
      others: others.sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true })).map((t): PinTicketOption => ({ id: t.id, label: label(t.id) })),
    };
  });

  /** Once saved and re-planned: whether the new plan holds the pin, and if not, why. */
  const outcome = computed<PinStatus | null>(() => {
    const source = summary.value ?? whole.value;
    if (form.flow.phase.value !== 'done' || !form.flow.effect.value?.version || !source) return null;
    return pinStatus(source, { ticket: f.ticket, staff: f.staff, week: f.week, hours: f.hours ?? 0 });
  });

  return { ...form, plannedHere, ticketOptions, outcome };
}
