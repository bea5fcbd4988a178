/** What the live indicator shows: connection, re-plan in progress, and when the plan changed. */
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import { onLive, type LiveEvent } from '../api/live.ts';
import type { ServerToClientEvents } from '../../../shared/socket-events.ts';
import { usePlan } from './use-plan.ts';

export interface ReplanState {
  quarterId: string;
  jobId: string;
  week: number | null;
  weeks: number | null;
}

const replan = shallowRef<ReplanState | null>(null);
const failure = ref<string | null>(null);
let offs: (() => void)[] = [];
let clear: ReturnType<typeof setTimeout> | undefined;

export function startLiveStatus(): void {
  if (offs.length) return;
  offs = [
    onLive('replan.started', (p) => {
      clearTimeout(clear);
      failure.value = null;
      replan.value = { quarterId: p.quarterId, jobId: p.jobId, week: null, weeks: null };
      // A lost "finished" message must not leave the spinner on for ever.
      clear = setTimeout(() => (replan.value = null), 120_000);
    }),
    onLive('replan.progress', (p) => {
      replan.value = { quarterId: p.quarterId, jobId: p.jobId, week: p.week, weeks: p.weeks };
    }),
    onLive('replan.finished', () => {
      clearTimeout(clear);
      replan.value = null;
    }),
    onLive('replan.failed', (p) => {
      clearTimeout(clear);
      replan.value = null;
      // Only managers are told what went wrong; everyone else learns that the plan in force stays.
      failure.value = p.message ?? 'the plan shown stays in force; a manager can see why.';
    }),
  ];
}

export function stopLiveStatus(): void {
  offs.forEach((off) => off());
  offs = [];
  replan.value = null;
  failure.value = null;
}

/** "3 min ago", "just now": short relative times for the indicator. */
export function relativeTime(iso: string | null | undefined, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  return new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

export function useLiveStatus() {
  const { live, current, version, head, lastUpdate } = usePlan();
  const now = ref(Date.now());
  const tick = setInterval(() => (now.value = Date.now()), 20_000);
  onScopeDispose(() => clearInterval(tick));
  const changedAt = computed(() => (lastUpdate.value && lastUpdate.value.version === version.value ? lastUpdate.value.at : head.value?.createdAt ?? null));
  return {
    live,
    current,
    version,
    replan,
    failure,
    changedAt,
    changedAgo: computed(() => relativeTime(changedAt.value, now.value)),
    progress: computed(() => (replan.value?.weeks ? Math.round(((replan.value.week ?? 0) / replan.value.weeks) * 100) : null)),
  };
}

/** Runs `fn` (debounced) whenever one of these server events arrives, while the caller lives. */
export function useLiveRefetch(events: LiveEvent[], fn: () => void, delayMs = 150): void {
  let t: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    clearTimeout(t);
    t = setTimeout(fn, delayMs);
  };
  const offs = events.map((e) => onLive(e, run as ServerToClientEvents[typeof e]));
  onScopeDispose(() => {
    clearTimeout(t);
    offs.forEach((off) => off());
  });
}
