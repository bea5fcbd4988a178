/**
 * The plan store: the current plan as this viewer may see it, kept current by the socket.
 * A plan is only ever replaced by a newer version, and while the socket is down the store says
 * so (`current` is false) and falls back to asking over HTTP, so a stale plan is never shown as
 * the current one.
 */
import { computed, ref, shallowRef, watch } from 'vue';
import { ApiError, api } from '../api/http.ts';
import { liveState, onLive, onLiveState, sync, type LiveState } from '../api/live.ts';
import type { PlanView } from '../../../shared/api/index.ts';
import type { PlanUpdatedPayload } from '../../../shared/socket-events.ts';

export type PlanStatus = 'idle' | 'loading' | 'ready' | 'planning' | 'empty' | 'error';

const POLL_MS = 15_000;

const plan = shallowRef<PlanView | null>(null);
const status = ref<PlanStatus>('idle');
const error = shallowRef<ApiError | null>(null);
const lastUpdate = shallowRef<PlanUpdatedPayload | null>(null);
/** True once the plan shown was confirmed current over a live socket (or just fetched). */
const confirmed = ref(false);
const live = ref<LiveState>(liveState());

let offs: (() => void)[] = [];
let poll: ReturnType<typeof setInterval> | undefined;
let retry: ReturnType<typeof setTimeout> | undefined;
let inflight: Promise<void> | null = null;
let again: Promise<void> | null = null;

/** Accepts a plan only when it is not older than the one shown. */
export function acceptPlan(view: PlanView): boolean {
  const cur = plan.value;
  if (cur && cur.quarter.id === view.quarter.id && view.version < cur.version) return false;
  plan.value = view;
  status.value = 'ready';
  error.value = null;
  return true;
}

async function fetchOverHttp(): Promise<void> {
  try {
    const quarter = plan.value?.quarter.id;
    acceptPlan(await api.plans.current(quarter));
    confirmed.value = live.value === 'live';
  } catch (err) {
    const e = err instanceof ApiError ? err : new ApiError(0, 'error', String(err));
    if (e.code === 'no_plan') {
      status.value = plan.value ? 'ready' : 'planning';
      clearTimeout(retry);
      retry = setTimeout(() => void refreshPlan(), 2000);
    } else if (e.status === 404 && !plan.value) {
      status.value = 'empty';
      error.value = e;
    } else if (e.status !== 401) {
      error.value = e;
      if (!plan.value) status.value = 'error';
    }
  }
}

async function syncOverSocket(): Promise<void> {
  const cur = plan.value;
  const res = await sync(cur ? { quarterId: cur.quarter.id, version: cur.version } : {});
  if (!res.ok) throw new Error(res.error.message);
  if (res.stale && res.plan) acceptPlan(res.plan as unknown as PlanView);
  else if (res.stale || !cur) return fetchOverHttp();
  confirmed.value = true;
}

/** Brings the plan up to date: over the socket when live, else over HTTP. */
export function refreshPlan(): Promise<void> {
  // A request made while one is on its way (a plan.updated, a reconnect) runs again after it,
  // so news that arrives mid-fetch is never lost.
  if (inflight) {
    again ??= inflight.then(() => {
      again = null;
      return refreshPlan();
    });
    return again;
  }
  inflight = (async () => {
    if (!plan.value && status.value !== 'planning') status.value = 'loading';
    try {
      if (live.value === 'live') await syncOverSocket();
      else await fetchOverHttp();
    } catch {
      await fetchOverHttp();
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}

/** Starts listening (once per sign-in). */
export function startPlanFeed(): void {
  if (offs.length) return;
  offs.push(
    onLiveState((s) => {
      live.value = s;
      if (s === 'live') void refreshPlan();
      else confirmed.value = false;
    }),
    onLive('plan.updated', (p) => {
      lastUpdate.value = p;
      const cur = plan.value;
      if (!cur || p.quarterId !== cur.quarter.id || p.version > cur.version) void refreshPlan();
    }),
  );
  live.value = liveState();
  // Without a live socket nothing pushes changes to us: ask now and then, and say so on screen.
  poll = setInterval(() => {
    if (live.value !== 'live' && document.visibilityState !== 'hidden') void refreshPlan();
  }, POLL_MS);
  void refreshPlan();
}

export function stopPlanFeed(): void {
  offs.forEach((off) => off());
  offs = [];
  clearInterval(poll);
  clearTimeout(retry);
  plan.value = null;
  status.value = 'idle';
  error.value = null;
  lastUpdate.value = null;
  confirmed.value = false;
}

/** Resolves with the first plan newer than `version` (or null after the timeout). */
export function waitForPlanAfter(version: number, timeoutMs = 60_000): Promise<PlanView | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(null);
    }, timeoutMs);
    const stop = watch(
      plan,
      (p) => {
        if (p && p.version > version) {
          clearTimeout(timer);
          queueMicrotask(() => stop());
          resolve(p);
        }
      },
      { immediate: true },
    );
  });
}

export function usePlan() {
  return {
    plan,
    status,
    error,
    lastUpdate,
    live,
    /** The plan shown is known to be the current one. */
    current: computed(() => confirmed.value && live.value === 'live'),
    version: computed(() => plan.value?.version ?? null),
    quarter: computed(() => plan.value?.quarter ?? null),
    refresh: refreshPlan,
  };
}
