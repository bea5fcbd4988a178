/**
 * The Quarter page's state: the quarters, the one shown (a closed one stays readable), its close
 * preview read again whenever the server says the plan or the quarter moved, and the close itself.
 * After a close the plan feed is told to follow the current quarter, so every dashboard moves to
 * the next one once it is planned.
 */
import { computed, ref, shallowRef } from 'vue';
import { ApiError, api } from '../api/http.ts';
import type { QuarterCloseResult, QuarterRecord } from '../../../shared/api/index.ts';
import { closeErrorText, closeView, nextQuarterId, type CloseView } from './quarter-close.ts';
import { followCurrentQuarter } from './use-plan.ts';
import { useResource } from './use-resource.ts';

/** What moves a preview: a re-plan starting or ending, a new plan, a change to the quarter's data. */
const PREVIEW_EVENTS = ['plan.updated', 'replan.started', 'replan.finished', 'data.changed', 'ticket.changed', 'time-entry.changed'] as const;

/** The quarter a page opens on: the one asked for, else the one the dashboards show, else the latest open one. */
export function pickQuarter(quarters: readonly QuarterRecord[], asked: string | null, shown: string | null): string | null {
  if (asked && quarters.some((q) => q.id === asked)) return asked;
  if (shown && quarters.some((q) => q.id === shown)) return shown;
  const open = quarters.filter((q) => !q.closed);
  return (open.at(-1) ?? quarters.at(-1))?.id ?? null;
}

/** `asked`: the quarter the page was asked for; `shown`: the one the dashboards show. */
export function useQuarterClose(asked: () => string | null, shown: () => string | null) {
  const quarters = useResource(() => 'all', () => api.quarters.list(), [] as QuarterRecord[], ['data.changed', 'plan.updated']);
  /** The quarter just closed stays on screen when the dashboards move on to the next. */
  const kept = ref<string | null>(null);
  const picked = computed(() => pickQuarter(quarters.data.value, asked() ?? kept.value, shown()));
  const selected = () => picked.value;
  const preview = useResource((): string | null => selected(), (id) => api.quarters.closePreview(id), null, [...PREVIEW_EVENTS]);
  /** The preview of the quarter selected (not one still shown from the quarter before). */
  const view = computed<CloseView | null>(() => {
    const p = preview.data.value;
    return p && p.quarter.id === selected() ? closeView(p) : null;
  });
  const quarter = computed(() => quarters.data.value.find((q) => q.id === selected()) ?? (view.value ? preview.data.value!.quarter : null));

  const nextId = ref('');
  const busy = ref(false);
  const closeError = shallowRef<{ text: string; field: string | null } | null>(null);
  const result = shallowRef<QuarterCloseResult | null>(null);

  /** Opens the confirm: the next quarter's id proposed from this one's. */
  function prepare(): void {
    closeError.value = null;
    nextId.value = nextQuarterId(selected() ?? '') || nextId.value;
  }

  /** Closes the selected quarter into `nextId`; true when it closed. */
  async function close(): Promise<boolean> {
    const id = selected();
    if (!id || busy.value) return false;
    busy.value = true;
    closeError.value = null;
    try {
      result.value = await api.quarters.close(id, { nextQuarter: { id: nextId.value.trim() } });
      kept.value = id;
      followCurrentQuarter();
      return true;
    } catch (err) {
      const e = ApiError.from(err);
      const field = e.fieldMessage('nextQuarter.id') ?? e.fieldMessage('id');
      closeError.value = { text: closeErrorText(e, id), field: field ?? null };
      return false;
    } finally {
      busy.value = false;
      void preview.reload();
      void quarters.reload();
    }
  }

  return { quarters, selected: picked, preview, view, quarter, nextId, busy, closeError, result, prepare, close };
}
