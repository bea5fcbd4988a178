/**
 * The plan store: the current plan as this viewer may see it, kept current by the socket.
 * A plan is only ever replaced by a newer version, and while the socket is down the store says
 * so (`current` is false) and falls back to asking over HTTP, so a stale plan is never shown as
 * the current one.
 *
 * Two feeds, by role. Staff and clients hold their whole (audience-cut, small) plan view and catch
 * up with `sync`. Managers hold only the first screen (`GET /api/plans/current/summary`, revalidated
 * by ETag); their screens read the rest by view and page (use-plan-pages.ts), and this store tells
 * them what moved: each `plan.updated` names the clients, tickets and staff that did, and a version
 * reached without such news (a poll, a reconnect, a lost event) moves "everything" (changes null).
 */
import { computed, ref, shallowRef, watch } from 'vue';
import { ApiError, api, clearConditional } from '../api/http.ts';
import { liveState, onLive, onLiveState, sync, type LiveState } from '../api/live.ts';
import { coalesced } from './coalesce.ts';
import type { ClientPlan, PlanSummary, PlanView, StaffPlan } from '../../../shared/api/index.ts';
import type { PlanChangesPayload, PlanUpdatedPayload } from '../../../shared/socket-events.ts';

export type PlanStatus = 'idle' | 'loading' | 'ready' | 'planning' | 'empty' | 'error';
/** `plan`: the whole plan view (staff, clients); `summary`: the manager's first screen. */
export type FeedMode = 'plan' | 'summary';

/** What every screen reads of the plan in force, whichever feed holds it. */
export interface PlanHead {
  version: number;
  createdAt?: string;
  quarter: PlanView['quarter'];
  clients: { id: string; name: string; demand: number[] }[];
}

/** What the manager's forms read of the plan: the quarter, the clients and the staff. */
export interface PlanBasics {
  quarter: PlanView['quarter'];
  clients: readonly Pick<ClientPlan, 'id' | 'name' | 'plan'>[];
  staff?: readonly Pick<StaffPlan, 'id' | 'name'>[];
}

/** The plan moved on to `version`; `changes` says what moved, null when that is not known. */
export interface PlanMove {
  quarterId: string;
  version: number;
  changes: PlanChangesPayload | null;
}

const POLL_MS = 15_000;

const mode = ref<FeedMode>('plan');
const plan = shallowRef<PlanView | null>(null);
const summary = shallowRef<PlanSummary | null>(null);
const head = computed<PlanHead | null>(() => (mode.value === 'summary' ? summary.value : plan.value));
const status = ref<PlanStatus>('idle');
const error = shallowRef<ApiError | null>(null);
const lastUpdate = shallowRef<PlanUpdatedPayload | null>(null);
/** True once the plan shown was confirmed current over a live socket (or just fetched). */
const confirmed = ref(false);
const live = ref<LiveState>(liveState());

let offs: (() => void)[] = [];
/** A ticket record on the summary's first page was edited since it was read. */
let recordNews = false;
let poll: ReturnType<typeof setInterval> | undefined;
let retry: ReturnType<typeof setTimeout> | undefined;
/**
 * The quarter shown may no longer be the current one (it was closed, or another quarter's plan
 * moved): the next read asks for the current quarter, not the one shown, until a plan is read.
 */
let followLatest = false;

/** The quarter the next read asks for: the one shown, unless the news says the current one changed. */
const askFor = (): string | undefined => (followLatest ? undefined : head.value?.quarter.id);

/** The server says the current quarter may have changed: read whichever it is now. */
export function followCurrentQuarter(): void {
  followLatest = true;
  void refreshPlan();
}

/** The newest version the move listeners were told of (or that they started from). */
let announced: { quarterId: string; version: number } | null = null;
const moveListeners = new Set<(m: PlanMove) => void>();

/** Hears every move of the plan in force (managers' feed), to read again what it touched. */
export function onPlanMoved(fn: (m: PlanMove) => void): () => void {
  moveListeners.add(fn);
  return () => moveListeners.delete(fn);
}

function announce(m: PlanMove): void {
  announced = { quarterId: m.quarterId, version: m.version };
  moveListeners.forEach((fn) => fn(m));
}

/** A version reached by reading it: those who missed the news of it read again what they show. */
function reached(quarterId: string, version: number): void {
  if (!announced || announced.quarterId !== quarterId) announced = { quarterId, version };
  else if (version > announced.version) announce({ quarterId, version, changes: null });
}

const older = (cur: { quarter: { id: string }; version: number } | null, next: { quarter: { id: string }; version: number }) =>
  Boolean(cur && cur.quarter.id === next.quarter.id && next.version < cur.version);

/** Accepts a plan only when it is not older than the one shown. */
export function acceptPlan(view: PlanView): boolean {
  if (older(plan.value, view)) return false;
  plan.value = view;
  status.value = 'ready';
  error.value = null;
  return true;
}

/** Accepts a manager's summary only when it is not older than the one shown. */
export function acceptSummary(next: PlanSummary): boolean {
  if (older(summary.value, next)) return false;
  summary.value = next;
  status.value = 'ready';
  error.value = null;
  reached(next.quarter.id, next.version);
  return true;
}

async function fetchOverHttp(): Promise<void> {
  try {
    const quarter = askFor();
    const liveBefore = live.value === 'live';
    if (mode.value === 'summary') acceptSummary(await api.plans.summary(quarter));
    else acceptPlan(await api.plans.current(quarter));
    followLatest = false;
    confirmed.value = liveBefore && live.value === 'live';
  } catch (err) {
    const e = ApiError.from(err);
    if (e.code === 'no_plan') {
      status.value = head.value ? 'ready' : 'planning';
      clearTimeout(retry);
      retry = setTimeout(() => void refreshPlan(), 2000);
    } else if (e.status === 404 && !head.value) {
      status.value = 'empty';
      error.value = e;
    } else if (e.status !== 401) {
      error.value = e;
      if (!head.value) status.value = 'error';
    }
  }
}

async function syncOverSocket(): Promise<void> {
  const cur = plan.value;
  const quarterId = askFor();
  const res = await sync(cur && quarterId ? { quarterId, version: cur.version } : {});
  if (!res.ok) throw new Error(res.error.message);
  if (res.stale && res.plan) acceptPlan(res.plan as unknown as PlanView);
  else if (res.stale || !cur) return fetchOverHttp();
  followLatest = false;
  confirmed.value = true;
}

/**
 * Brings the plan up to date: over the socket when live, else over HTTP. A request made while one
 * is on its way (a plan.updated, a reconnect) runs again after it, so news that arrives mid-fetch
 * is never lost.
 */
export const refreshPlan = coalesced(async () => {
  if (!head.value && status.value !== 'planning') status.value = 'loading';
  try {
    // A manager's summary is read over HTTP even when live: `sync` would answer the whole plan.
    if (live.value === 'live' && mode.value === 'plan') await syncOverSocket();
    else await fetchOverHttp();
  } catch {
    await fetchOverHttp();
  }
});

function onPlanUpdated(p: PlanUpdatedPayload): void {
  lastUpdate.value = p;
  const cur = head.value;
  if (mode.value === 'summary' && announced && p.quarterId === announced.quarterId && p.version > announced.version) {
    // The news names what moved since the version before it; after a gap (a lost event) it does not
    // say all that moved since the one we hold.
    announce({ quarterId: p.quarterId, version: p.version, changes: p.previousVersion === announced.version ? p.changes : null });
  }
  if (cur && p.quarterId !== cur.quarter.id) followCurrentQuarter();
  else if (!cur || p.version > cur.version) void refreshPlan();
}

/** Starts listening (once per sign-in): managers' screens on the summary, everyone else on the plan. */
export function startPlanFeed(feed: FeedMode = 'plan'): void {
  if (offs.length) return;
  mode.value = feed;
  offs.push(
    onLiveState((s) => {
      live.value = s;
      if (s === 'live') void refreshPlan();
      else confirmed.value = false;
    }),
    onLive('plan.updated', onPlanUpdated),
    // A re-plan that changed nothing names the version shown: nothing moved. A newer one means
    // its plan.updated is on its way or was lost: read the plan in force. (A manager's summary is
    // read again too when a ticket record on its first page was edited: its titles and priorities
    // moved on with the version's data revision, and so did its ETag.)
    onLive('replan.finished', (p) => {
      const cur = head.value;
      const records = recordNews;
      recordNews = false;
      if (cur && p.quarterId === cur.quarter.id && (p.version > cur.version || records)) void refreshPlan();
    }),
    // So is the count of emergency requests, which any ticket's answer may move.
    onLive('ticket.changed', (p) => {
      if (summary.value?.queue.items.some((t) => t.id === p.ticketId) || (summary.value?.totals.emergencyRequests ?? 0) > 0) recordNews = true;
    }),
    // A close names the quarter closed and the one after it: when it is the one shown, the
    // current quarter is now the next one (asked for until it has a plan; its plan.updated follows).
    onLive('data.changed', (p) => {
      const cur = head.value;
      if (p.entity === 'quarter' && cur && p.quarterIds.includes(cur.quarter.id) && p.quarterIds.some((q) => q !== cur.quarter.id)) followCurrentQuarter();
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
  summary.value = null;
  announced = null;
  recordNews = false;
  followLatest = false;
  mode.value = 'plan';
  status.value = 'idle';
  error.value = null;
  lastUpdate.value = null;
  confirmed.value = false;
  clearConditional();
}

/** Resolves with the first plan newer than `version` (or null after the timeout). */
export function waitForPlanAfter(version: number, timeoutMs = 60_000): Promise<PlanHead | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(null);
    }, timeoutMs);
    const stop = watch(
      head,
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
    /** The whole plan view (staff and clients; null on a manager's feed). */
    plan,
    /** The manager's first screen (null on the other feeds). */
    summary,
    head,
    mode,
    status,
    error,
    lastUpdate,
    live,
    /** The plan shown is known to be the current one. */
    current: computed(() => confirmed.value && live.value === 'live'),
    version: computed(() => head.value?.version ?? null),
    quarter: computed(() => head.value?.quarter ?? null),
    refresh: refreshPlan,
  };
}
