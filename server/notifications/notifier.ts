/**
 * Notifications (issue 12): the rules, fired by domain events and the week, and the delivery of
 * what they queue.
 *
 * - An emergency declared (`emergency.declared`): every manager by mail, and the chat webhook.
 * - A new plan (`plan.updated`, in the process that committed it, so once across instances):
 *   staff planned on an open emergency (once per person and emergency), staff whose current week
 *   moved (at most once an hour), and clients whose hours at risk call for an alert (once a week:
 *   their users by mail, and the chat).
 * - Monday (checked every few minutes): the weekly digest, once per user and week.
 * - An invitation or a password reset: the user, with the link.
 *
 * Each message is a row of the notifications table, once per rule, recipient and period
 * (outbox.ts), and is then delivered: with DATABASE_URL as a job on the pg-boss queue `notify`
 * (any instance's worker takes it; a failed try throws, and pg-boss retries it), on the embedded
 * database by this process's own runner (timers, and the queued rows picked up at start). A try
 * that fails is queued again after NOTIFY_RETRY_SECONDS, doubling, until NOTIFY_ATTEMPTS are
 * used; then the row is `failed`, with its last error, in the managers' list (GET
 * /api/notifications), where it can be retried.
 *
 * Invitation and reset mails are the exception: the stored copy withholds the link's token (only
 * its hash is kept anywhere), so they are sent by the process that made the link, from memory.
 */
import type pg from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.ts';
import { faultTolerantPool } from '../db/pg-pool.ts';
import { Quarter } from '../db/entities.ts';
import type { DomainEvents, EventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import { JobWorker } from '../planning/job-worker.ts';
import { PgBoss } from '../planning/pg-boss.ts';
import { loadPlan, resolveQuarter } from '../planning/plan-store.ts';
import * as compose from './compose.ts';
import { claim, enqueue, markFailedTry, markSent, waiting, type Message } from './outbox.ts';
import type { Recipient } from './preferences.ts';
import { createTransports, type Transports } from './transports.ts';

export const NOTIFY_QUEUE = 'notify';
const DIGEST_CHECK_MS = 5 * 60_000;

export interface NotifierDeps {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  events: EventBus;
}

export type Delivery = { status: 'sent' | 'skip' | 'failed' } | { status: 'retry'; inSeconds: number; error: string };

export class Notifier {
  private readonly transports: Transports;
  private readonly base: string;
  private boss: PgBoss | null = null;
  private pool: pg.Pool | null = null;
  private worker: JobWorker<{ id: number }> | null = null;
  /** Work in hand: rules being composed, tries being made. */
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Invitation and reset mails as sent (with the token), by row id, until they are sent or fail. */
  private readonly secrets = new Map<number, string>();
  private readonly unsubscribe: (() => void)[] = [];
  private digestTimer: NodeJS.Timeout | null = null;
  private lastDigest: string | null = null;
  private closed = false;

  constructor(private readonly deps: NotifierDeps) {
    this.transports = createTransports(deps.config, deps.logger);
    this.base = deps.config.PUBLIC_URL ?? `http://localhost:${deps.config.PORT || 3000}`;
  }

  private em(): EntityManager {
    return this.deps.orm.em.fork() as EntityManager;
  }

  /** Starts delivering and listening; `clock: false` leaves the Monday digest to runDigest (tests). */
  async start(opts: { clock?: boolean } = {}): Promise<void> {
    const { config, logger } = this.deps;
    if (config.DATABASE_URL) {
      this.boss = new PgBoss({ connectionString: config.DATABASE_URL, max: 2, application_name: 'hourglass-notify', schedule: false, monitorStateIntervalSeconds: 60 });
      this.boss.on('error', (err: Error & { code?: string }) => logger.warn({ code: err.code, message: err.message }, 'notification queue error'));
      await this.boss.start();
      const delay = config.NOTIFY_RETRY_SECONDS;
      await this.boss.createQueue(NOTIFY_QUEUE, { name: NOTIFY_QUEUE, retryLimit: config.NOTIFY_ATTEMPTS, retryDelay: delay, retryBackoff: delay > 0, expireInSeconds: 120 });
      this.pool = faultTolerantPool({ connectionString: config.DATABASE_URL, max: 2, application_name: 'hourglass-notify-jobs' }, logger, 'notification queue');
      this.worker = new JobWorker<{ id: number }>(this.boss, this.pool, { queue: NOTIFY_QUEUE, expireInSeconds: 120, pollingMs: 500, logger }, async (job) => {
        const r = await this.deliver(job.data.id);
        // pg-boss retries a job that throws, after its retryDelay.
        if (r.status === 'retry') throw new Error(r.error);
      });
      await this.worker.start();
    }
    // Messages left waiting by an earlier run (and, on PostgreSQL, any whose job was lost).
    for (const w of await waiting(this.em())) {
      if (w.rule === 'account') {
        // Its link died with the process that made it (one process on the embedded database; on
        // PostgreSQL a live instance may still hold it, so it is left to that one).
        if (!this.boss) this.track(this.deliver(w.id));
        continue;
      }
      if (this.boss) this.track(this.send(w.id));
      else this.schedule(w.id, w.dueInMs);
    }
    const on = <K extends 'emergency.declared' | 'plan.updated'>(name: K, fn: (p: DomainEvents[K]) => Promise<void>) =>
      this.unsubscribe.push(this.deps.events.on(name, (p) => this.track(fn(p).catch((err) => logger.error({ err, event: name }, 'could not work out the notifications of an event')))));
    on('emergency.declared', (e) => this.onEmergency(e));
    on('plan.updated', (e) => this.onPlanUpdated(e));
    if (opts.clock !== false) {
      const tick = () => {
        const now = new Date();
        if (now.getUTCDay() !== 1 || this.lastDigest === compose.mondayOf(now)) return;
        this.track(this.runDigest(now).then(() => (this.lastDigest = compose.mondayOf(now))).catch((err) => logger.error({ err }, 'could not send the weekly digest')));
      };
      tick();
      this.digestTimer = setInterval(tick, DIGEST_CHECK_MS);
      this.digestTimer.unref();
    }
  }

  private composer() {
    return { em: this.em(), base: this.base };
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => {});
    return p;
  }

  /** Queues the messages (chat ones only with CHAT_WEBHOOK_URL) and sends the new ones. */
  async queue(messages: Message[], secrets?: Map<Message, string>): Promise<number[]> {
    const wanted = messages.filter((m) => m.channel !== 'chat' || this.deps.config.CHAT_WEBHOOK_URL);
    const em = this.em();
    const ids: number[] = [];
    for (const m of wanted) {
      const [id] = await enqueue(em, [m]);
      if (id === undefined) continue;
      ids.push(id);
      const secret = secrets?.get(m);
      if (secret) this.secrets.set(id, secret);
      // What only this process knows (a link's token) is sent from here.
      if (!this.boss || secret) this.schedule(id, 0);
      else await this.send(id);
    }
    return ids;
  }

  private async send(id: number): Promise<void> {
    try {
      await this.boss!.send(NOTIFY_QUEUE, { id }, { singletonKey: `notification-${id}` });
      this.worker?.wake();
    } catch (err) {
      // The row stays queued: the next start (or a manager's retry) sends it.
      this.deps.logger.warn({ id, message: (err as Error).message }, 'could not queue a notification job');
    }
  }

  private schedule(id: number, ms: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(
        this.deliver(id).then((r) => {
          if (r.status === 'retry') this.schedule(id, r.inSeconds * 1000);
        }),
      );
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** One try at a message: claimed, sent, recorded. */
  async deliver(id: number): Promise<Delivery> {
    const { config, logger } = this.deps;
    const em = this.em();
    const row = await claim(em, id);
    if (!row) return { status: 'skip' };
    const secret = this.secrets.get(id);
    if (row.rule === 'account' && secret === undefined) {
      await markFailedTry(em, id, 'the link is kept only by the process that made it (it is not stored): make a new link', true, 0);
      return { status: 'failed' };
    }
    try {
      let transport: string;
      if (row.channel === 'chat') {
        if (!(await this.transports.chat(row.body))) throw new Error('no CHAT_WEBHOOK_URL is set');
        transport = 'webhook';
      } else {
        transport = await this.transports.mail({ to: row.address ?? '', subject: row.subject, text: secret ?? row.body, logText: row.body });
      }
      await markSent(em, id, transport);
      this.secrets.delete(id);
      return { status: 'sent' };
    } catch (err) {
      const error = (err as Error).message || String(err);
      const final = row.attempts >= config.NOTIFY_ATTEMPTS;
      const inSeconds = config.NOTIFY_RETRY_SECONDS * 2 ** (row.attempts - 1);
      await markFailedTry(em, id, error, final, inSeconds);
      if (final) {
        this.secrets.delete(id);
        logger.error({ id, rule: row.rule, channel: row.channel, attempts: row.attempts, error }, 'a notification failed for good');
        return { status: 'failed' };
      }
      logger.warn({ id, rule: row.rule, channel: row.channel, attempts: row.attempts, error, retryInSeconds: inSeconds }, 'a notification could not be sent; trying again');
      return { status: 'retry', inSeconds, error };
    }
  }

  /** A manager's retry of a failed message: its attempts start again. */
  async retry(id: number): Promise<boolean> {
    const em = this.em();
    const rows = await em.execute<{ id: number; rule: string }[]>(
      `update notifications set status = 'queued', attempts = 0, next_attempt_at = now(), updated_at = now() where id = ? and status = 'failed' and rule <> 'account' returning id, rule`,
      [id],
    );
    if (!rows[0]) return false;
    if (this.boss) await this.send(id);
    else this.schedule(id, 0);
    return true;
  }

  async onEmergency(e: DomainEvents['emergency.declared']): Promise<void> {
    await this.queue(await compose.emergencyDeclared(this.composer(), e));
  }

  async onPlanUpdated(e: DomainEvents['plan.updated']): Promise<void> {
    const em = this.em();
    const quarter = await em.findOne(Quarter, { id: e.quarterId });
    const stored = await loadPlan(em, e.version);
    if (!quarter || quarter.closedAt || !stored) return;
    const previous = e.previousVersion === null ? null : await loadPlan(em, e.previousVersion);
    const c = this.composer();
    const q = { ...quarter, currentWeek: stored.plan.quarter.currentWeek };
    const messages = [
      ...(await compose.emergencyStaff(c, q, stored.plan)),
      ...(previous ? await compose.weekMoved(c, q, stored.plan, previous.plan, e.changes.staff) : []),
      ...(await compose.atRisk(c, q, stored.plan, stored.version, previous ? e.changes.clients : undefined)),
    ];
    await this.queue(messages);
  }

  /** Every client's at-risk rule on a quarter's plan in force (the latest open quarter by default). */
  async runAtRisk(quarterId?: string): Promise<number[]> {
    const em = this.em();
    const quarter = await resolveQuarter(em, quarterId);
    if (!quarter?.currentPlanId) return [];
    const stored = await loadPlan(em, quarter.currentPlanId);
    if (!stored) return [];
    return this.queue(await compose.atRisk(this.composer(), quarter, stored.plan, stored.version));
  }

  /** The weekly digest of the week `now` falls in, on the latest open quarter's plan in force. */
  async runDigest(now = new Date()): Promise<number[]> {
    const em = this.em();
    const quarter = await resolveQuarter(em);
    if (!quarter || quarter.closedAt || !quarter.currentPlanId) return [];
    const stored = await loadPlan(em, quarter.currentPlanId);
    if (!stored) return [];
    return this.queue(await compose.digest(this.composer(), { ...quarter, currentWeek: stored.plan.quarter.currentWeek }, stored.plan, stored.version, compose.mondayOf(now)));
  }

  /** An invitation or reset link made: mailed to its user (the manager is shown it as well). */
  accountLink(user: Recipient, link: { path: string; purpose: 'invite' | 'reset'; expiresAt: string }): void {
    const made = compose.accountLink(this.composer(), user, link);
    this.track(
      (async () => {
        const off = await this.em().execute<{ n: number }[]>(
          `select 1 as n from notification_prefs where user_id = ? and rule = 'account' and not enabled
           union all select 1 from client_notification_prefs where client_id = ? and rule = 'account' and not enabled`,
          [user.id, user.clientId],
        );
        if (off.length > 0) return;
        await this.queue([made.message], new Map([[made.message, made.secretBody]]));
      })().catch((err) => this.deps.logger.error({ err }, 'could not queue an account mail')),
    );
  }

  /** Resolves when nothing is being composed, tried or waiting for a try (tests). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.pending.size === 0 && this.timers.size === 0) {
        if (!this.boss) return;
        const rows = await this.em().execute<{ n: number }[]>(
          `select count(*)::int as n from pgboss.job where name = ? and state in ('created', 'retry', 'active')`,
          [NOTIFY_QUEUE],
        );
        if (Number(rows[0]?.n ?? 0) === 0 && this.pending.size === 0) return;
        this.worker?.wake();
      }
      // A pause, never a bare microtask: the timers of the tries waiting must get their turn.
      const pause = new Promise((r) => setTimeout(r, 25));
      await (this.pending.size > 0 ? Promise.race([Promise.allSettled([...this.pending]).then(() => pause), pause]) : pause);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const u of this.unsubscribe) u();
    if (this.digestTimer) clearInterval(this.digestTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.pending]);
    await this.worker?.stop(10_000);
    await this.boss?.stop({ graceful: true, wait: true, timeout: 5_000 });
    await this.pool?.end();
    this.transports.close();
  }
}
