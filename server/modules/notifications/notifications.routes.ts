/**
 * GET  /api/account/notifications        your own switches (anyone signed in), a rule per switch that reaches your role
 * PUT  /api/account/notifications        { rules: { <rule>: boolean } }: a rule that does not reach your role is a 400 naming it
 * GET  /api/clients/:id/notifications    a client's switches (managers)
 * PUT  /api/clients/:id/notifications    { rules: { <rule>: boolean } } (managers): off, the client's users get nothing of that rule
 * GET  /api/notifications                what was queued, sent or failed, newest first (managers; ?status=&rule=&limit=&cursor=)
 * POST /api/notifications/:id/retry      a failed message tried again from its first attempt (managers; 409 unless failed)
 * Switches are audited (entity "notification-switches").
 */
import { Router } from 'express';
import { IdParam } from '../../../shared/api/fields.ts';
import {
  CLIENT_RULES,
  NotificationIdParam,
  NotificationListQuery,
  NotificationSwitchesBody,
  RULE_ROLES,
  type NotificationPage,
  type NotificationRecord,
  type NotificationRule,
  type NotificationSwitches,
} from '../../../shared/api/notifications.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { Client } from '../../db/entities.ts';
import { conflict, notFound, parse, validationError } from '../../errors.ts';
import { recordOf, type Row } from '../../notifications/outbox.ts';
import { clientSwitches, setClientSwitches, setUserSwitches, userSwitches } from '../../notifications/preferences.ts';
import type { Services } from '../../services.ts';
import { decodeCursor, pageOf } from '../paging.ts';
import { parseBody } from '../resource-helpers.ts';

const manager = requireRole('manager');

function refuseRules(rules: Partial<Record<NotificationRule, boolean>>, allowed: (r: NotificationRule) => boolean, why: string): void {
  const bad = (Object.keys(rules) as NotificationRule[]).filter((r) => !allowed(r));
  if (bad.length) throw validationError(bad.map((r) => ({ field: `rules.${r}`, message: why })));
}

export function accountNotificationsRouter(s: Services): Router {
  const router = Router();
  router.use(requireAuth);
  router.get('/', async (req, res) => {
    res.json({ rules: await userSwitches(s.store.reader(), viewer(req)) } satisfies NotificationSwitches);
  });
  router.put('/', async (req, res) => {
    const v = viewer(req);
    const { rules } = parseBody(NotificationSwitchesBody, req.body);
    refuseRules(rules, (r) => RULE_ROLES[r].includes(v.role), `is not a rule that reaches a ${v.role} user`);
    const answer = await s.store.write(v, 'notification switches', async (w) => {
      const before = await userSwitches(w.tx, v);
      await setUserSwitches(w.tx, v.userId, rules);
      const after = await userSwitches(w.tx, v);
      w.audit('update', 'notification-switches', `user:${v.userId}`, Object.fromEntries(before.map((x) => [x.rule, x.enabled])), Object.fromEntries(after.map((x) => [x.rule, x.enabled])));
      return after;
    });
    res.json({ rules: answer } satisfies NotificationSwitches);
  });
  return router;
}

export function clientNotificationsRouter(s: Services): Router {
  const router = Router({ mergeParams: true });
  router.use(requireAuth, manager);
  const client = async (id: string) => {
    if (!(await s.store.reader().findOne(Client, { id }, { fields: ['id'] }))) throw notFound(`Client ${id}`);
  };
  router.get('/', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    await client(id);
    res.json({ rules: await clientSwitches(s.store.reader(), id) } satisfies NotificationSwitches);
  });
  router.put('/', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const { rules } = parseBody(NotificationSwitchesBody, req.body);
    await client(id);
    refuseRules(rules, (r) => CLIENT_RULES.includes(r), 'is not a rule that reaches client users');
    const answer = await s.store.write(viewer(req), 'client notification switches', async (w) => {
      const before = await clientSwitches(w.tx, id);
      await setClientSwitches(w.tx, id, rules);
      const after = await clientSwitches(w.tx, id);
      w.audit('update', 'notification-switches', `client:${id}`, Object.fromEntries(before.map((x) => [x.rule, x.enabled])), Object.fromEntries(after.map((x) => [x.rule, x.enabled])));
      return after;
    });
    res.json({ rules: answer } satisfies NotificationSwitches);
  });
  return router;
}

export function notificationsRouter(s: Services): Router {
  const router = Router();
  router.use(requireAuth, manager);
  router.get('/', async (req, res) => {
    const q = parse(NotificationListQuery, req.query);
    const after = decodeCursor('notifications', q.cursor, 'number');
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.status) where.push('status = ?') && params.push(q.status);
    if (q.rule) where.push('rule = ?') && params.push(q.rule);
    const filter = where.length ? `where ${where.join(' and ')}` : '';
    const em = s.store.reader();
    const [{ n }] = (await em.execute<{ n: number }[]>(`select count(*)::int as n from notifications ${filter}`, params)) as [{ n: number }];
    const rows = await em.execute<Row[]>(
      `select * from notifications ${filter ? `${filter} and` : 'where'} id < ? order by id desc limit ?`,
      [...params, after ?? 2_147_483_647, q.limit + 1],
    );
    res.json(pageOf('notifications', rows.map(recordOf), q, Number(n), (r) => r.id) satisfies NotificationPage);
  });
  router.post('/:id/retry', async (req, res) => {
    const { id } = parse(NotificationIdParam, req.params);
    const em = s.store.reader();
    const [row] = await em.execute<Row[]>('select * from notifications where id = ?', [id]);
    if (!row) throw notFound(`Notification ${id}`);
    if (row.rule === 'account') throw conflict('An invitation or reset mail cannot be sent again (its link is not stored): make a new link.');
    if (!(await s.notifier.retry(id))) throw conflict(`Notification ${id} is ${row.status}: only a failed one is tried again.`);
    const [again] = await em.execute<Row[]>('select * from notifications where id = ?', [id]);
    res.json(recordOf(again!) satisfies NotificationRecord);
  });
  return router;
}
