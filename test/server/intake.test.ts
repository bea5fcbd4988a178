/**
 * Ticket trackers (issue 13): POST /api/intake/:source replayed with real payloads through the
 * HTTP route. GitHub's are GitHub's own published examples (@octokit/webhooks-examples); GitLab's
 * and Jira's are hand-written from their webhook documentation (test/fixtures/intake/README.md).
 * Correct and wrong signatures, redelivery, out-of-order events, unknown repositories, the
 * event log and the sources' configuration (never its secret).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSignature } from '../../server/modules/intake/trackers.ts';
import { ApiClient, type ApiResponse } from '../utils/api-client.ts';
import { example, fieldsOf, QUARTER } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

type Payload = Record<string, any>;
const require = createRequire(import.meta.url);
const webhooks = require('@octokit/webhooks-examples') as { name: string; examples: Payload[] }[];
const github = (name: string, pick: (p: Payload) => boolean): Payload => {
  const found = webhooks.find((w) => w.name === name)?.examples.find(pick);
  if (!found) throw new Error(`no ${name} example`);
  return structuredClone(found);
};
const fixture = (file: string): Payload => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'intake', file), 'utf8'));

const RATE_LIMIT = 40;
const SECRETS = { github: 'github-secret-0123456789', gitlab: 'gitlab-token-0123456789', jira: 'jira-secret-0123456789', generic: 'generic-secret-0123456789' };

describe.each(await dbTargets())('ticket trackers on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient, anon: ApiClient;
  let delivery = 0;

  beforeAll(async () => {
    t = await startTestApp(target, { INTAKE_RATE_LIMIT: String(RATE_LIMIT) });
    manager = await t.manager();
    const r = await manager.post(`/api/quarters/${QUARTER}/import`, example);
    if (r.status !== 200) throw new Error(`import failed: ${r.status} ${JSON.stringify(r.body)}`);
    await t.settle();
    await t.createUser('client', { email: 'harbor@client.test', clientId: 'harbor' });
    harbor = await t.as('harbor@client.test');
    anon = new ApiClient(t.url);
  });
  afterAll(() => t?.close());

  /** A delivery as the tracker sends it: the body's bytes, signed (or not) in the tracker's header. */
  function send(source: keyof typeof SECRETS, payload: Payload | string, opts: { event?: string; secret?: string | null; id?: string } = {}): Promise<ApiResponse> {
    const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const secret = opts.secret === undefined ? SECRETS[source] : opts.secret;
    const id = opts.id ?? `delivery-${++delivery}`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (source === 'github') Object.assign(headers, { 'x-github-event': opts.event ?? 'issues', 'x-github-delivery': id }, secret !== null && { 'x-hub-signature-256': hmacSignature(secret, raw) });
    if (source === 'gitlab') Object.assign(headers, { 'x-gitlab-event': opts.event ?? 'Issue Hook', 'x-gitlab-event-uuid': id }, secret !== null && { 'x-gitlab-token': secret });
    if (source === 'jira') Object.assign(headers, { 'x-atlassian-webhook-identifier': id }, secret !== null && { 'x-hub-signature': hmacSignature(secret, raw) });
    if (source === 'generic') Object.assign(headers, { 'x-hourglass-delivery': id }, secret !== null && { 'x-hourglass-signature': hmacSignature(secret, raw) });
    return anon.request('POST', `/api/intake/${source}`, raw, headers);
  }

  const ticketOf = async (id: string) => (await manager.get(`/api/tickets/${id}`)).body;
  const count = async () => Number((await t.app.services.store.reader().execute<{ n: string }[]>('select count(*) as n from tickets'))[0]!.n);
  const lastEvent = async () => (await manager.get('/api/intake/events?limit=1')).body.items[0];

  it('answers 404 for a tracker nobody connected, and for one that does not exist', async () => {
    expect((await send('gitlab', fixture('gitlab-issue-open.json'))).status).toBe(404);
    expect((await anon.post('/api/intake/bitbucket', {})).status).toBe(404);
  });

  it('is configured by managers only, checks the clients, and never answers the secret', async () => {
    const body = {
      secret: SECRETS.github,
      clients: { 'Codertocat/Hello-World': 'harbor' },
      priorities: { bug: 2, urgent: 1 },
      defaultPriority: 3,
      emergencyLabel: 'emergency',
      skillLabels: { linux: 'linux' },
      estimateField: 'label:estimate:',
    };
    expect((await anon.put('/api/intake/sources/github', body)).status).toBe(401);
    expect((await harbor.put('/api/intake/sources/github', body)).status).toBe(403);
    const bad = await manager.put('/api/intake/sources/github', { ...body, clients: { 'Codertocat/Hello-World': 'ghost' } });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['clients.Codertocat/Hello-World']);
    expect(fieldsOf(await manager.put('/api/intake/sources/github', { ...body, secret: 'short' }))).toEqual(['secret']);
    const r = await manager.put('/api/intake/sources/github', body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ source: 'github', clients: body.clients, priorities: body.priorities, emergencyLabel: 'emergency', path: '/api/intake/github' });
    for (const [source, cfg] of [
      ['gitlab', { clients: { 'gitlabhq/gitlab-test': 'quill' }, priorities: { API: 1 }, estimateField: 'time_estimate' }],
      ['jira', { clients: { HARB: 'harbor' }, priorities: { High: 2, Highest: 1 }, estimateField: 'timeoriginalestimate', emergencyLabel: 'outage' }],
      ['generic', { clients: { nimbus: 'nimbus' }, priorities: { P1: 1 } }],
    ] as const) {
      expect((await manager.put(`/api/intake/sources/${source}`, { secret: SECRETS[source], ...cfg })).status).toBe(200);
    }
    const list = await manager.get('/api/intake/sources');
    expect(list.status).toBe(200);
    expect(list.body.map((s: { source: string }) => s.source)).toEqual(['generic', 'github', 'gitlab', 'jira']);
    const text = JSON.stringify(list.body) + JSON.stringify((await manager.get('/api/audit?limit=1000')).body);
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    expect((await harbor.get('/api/intake/sources')).status).toBe(403);
  });

  it('GitHub: a new issue becomes a ticket with its title, body, client, priority and reference; re-planned', async () => {
    const opened = github('issues', (p) => p.action === 'opened' && p.issue.number === 1);
    const before = await count();
    const r = await send('github', opened);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ outcome: 'created', reason: null });
    const ticket = await ticketOf(r.body.ticket);
    expect(ticket).toMatchObject({
      client: 'harbor',
      title: opened.issue.title,
      description: opened.issue.body ?? '',
      priority: 2, // the "bug" label
      estimateHours: 2, // no estimate label: the default
      openedWeek: example.quarter.currentWeek,
      quarter: QUARTER,
      status: 'open',
      emergency: false,
      emergencyRequested: false,
      source: 'github',
      externalId: String(opened.issue.id),
      url: opened.issue.html_url,
    });
    expect(await count()).toBe(before + 1);
    const audit = (await manager.get(`/api/audit?entity=ticket&id=${r.body.ticket}`)).body;
    expect(JSON.stringify(audit)).toContain('"action":"create"');
    await t.settle();
    const plan = (await manager.get('/api/plans/current')).body;
    expect(plan.tickets.map((x: { id: string }) => x.id)).toContain(r.body.ticket);
    // Clients see their tracker's reference too.
    expect((await harbor.get(`/api/tickets/${r.body.ticket}`)).body).toMatchObject({ source: 'github', url: opened.issue.html_url });
  });

  it('GitHub: a wrong or missing signature is 401, logged as refused, and stores nothing', async () => {
    const opened = github('issues', (p) => p.action === 'opened');
    opened.issue.id = 999_000_001;
    const before = await count();
    for (const secret of ['not-the-secret-at-all', null]) {
      const r = await send('github', opened, { secret });
      expect(r.status).toBe(401);
      expect(await lastEvent()).toMatchObject({ source: 'github', outcome: 'refused', reason: 'bad signature', externalId: null, ticket: null });
    }
    // A body changed after signing.
    const raw = JSON.stringify(opened);
    const tampered = await anon.request('POST', '/api/intake/github', raw.replace('"opened"', '"edited"'), {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-hub-signature-256': hmacSignature(SECRETS.github, raw),
    });
    expect(tampered.status).toBe(401);
    expect(await count()).toBe(before);
  });

  it('GitHub: a redelivery updates the same ticket; an edit updates title, priority and estimate; an older event is ignored', async () => {
    const opened = github('issues', (p) => p.action === 'opened' && p.issue.number === 1);
    const first = await send('github', opened, { id: 'same-delivery' });
    const again = await send('github', opened, { id: 'same-delivery' });
    expect(first.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'updated', ticket: first.body.ticket, reason: 'nothing changed' });
    const id = first.body.ticket as string;
    const version = (await ticketOf(id)).version;

    const edited = github('issues', (p) => p.action === 'edited' && p.issue.number === 1);
    edited.issue.title = 'Spelling error in the README file (and the docs)';
    edited.issue.updated_at = '2019-05-16T10:00:00Z';
    edited.issue.labels = [...edited.issue.labels, { ...edited.issue.labels[0], name: 'urgent' }, { ...edited.issue.labels[0], name: 'estimate:5h' }, { ...edited.issue.labels[0], name: 'emergency' }];
    const r = await send('github', edited);
    expect(r.body).toMatchObject({ outcome: 'updated', ticket: id, reason: expect.stringMatching(/^emergency requested/) });
    expect(await ticketOf(id)).toMatchObject({ title: edited.issue.title, priority: 1, estimateHours: 5, emergency: false, emergencyRequested: true });
    expect((await ticketOf(id)).version).toBeGreaterThan(version);

    // GitHub's "labeled" example, from before the edit, arrives late.
    const late = await send('github', github('issues', (p) => p.action === 'labeled'));
    expect(late.status).toBe(202);
    expect(late.body).toMatchObject({ outcome: 'ignored', reason: 'older than the last event', ticket: id });
    expect(await ticketOf(id)).toMatchObject({ title: edited.issue.title, priority: 1 });

    // An issue comment carries the issue as it is: from 2021, the labels are "bug" only again.
    const comment = github('issue_comment', (p) => p.action === 'created' && p.issue.updated_at.startsWith('2021'));
    const c = await send('github', comment, { event: 'issue_comment' });
    expect(c.body).toMatchObject({ outcome: 'updated', ticket: id });
    expect(await ticketOf(id)).toMatchObject({ title: comment.issue.title, priority: 2, estimateHours: 5, emergencyRequested: false });
  });

  it('GitHub: a closed issue closes the ticket, a reopened one opens it; a manager confirms an emergency request', async () => {
    const deleted = github('issues', (p) => p.action === 'deleted');
    const closed = await send('github', deleted);
    expect(closed.body).toMatchObject({ outcome: 'updated', reason: 'closed in the tracker' });
    const id = closed.body.ticket as string;
    expect((await ticketOf(id)).status).toBe('closed');
    const reopened = await send('github', github('issues', (p) => p.action === 'reopened'));
    expect(reopened.body).toMatchObject({ outcome: 'updated', reason: 'reopened in the tracker', ticket: id });
    expect((await ticketOf(id)).status).toBe('open');

    const asked = github('issues', (p) => p.action === 'labeled');
    asked.issue.updated_at = '2022-01-01T00:00:00Z';
    asked.issue.labels = [{ ...asked.issue.labels[0], name: 'Emergency' }];
    await send('github', asked);
    const requested = await ticketOf(id);
    expect(requested).toMatchObject({ emergency: false, emergencyRequested: true });
    // Only a manager declares it (DOMAIN.md): a client cannot.
    expect((await harbor.patch(`/api/tickets/${id}`, { version: requested.version, emergencyRequested: false })).status).toBe(403);
    const confirmed = await manager.patch(`/api/tickets/${id}`, { version: requested.version, emergency: true });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ emergency: true, emergencyRequested: false });
  });

  it('GitHub: pull requests, pings, other events and unknown repositories are ignored with the reason logged', async () => {
    const before = await count();
    const pr = await send('github', github('issues', (p) => !!p.issue?.pull_request));
    expect(pr.status).toBe(202);
    expect(pr.body.reason).toBe('a pull request, not an issue');
    const ping = await send('github', github('ping', () => true), { event: 'ping' });
    expect(ping.body).toMatchObject({ outcome: 'ignored', reason: 'ping: the webhook is connected' });
    const push = await send('github', { ref: 'refs/heads/main' }, { event: 'push' });
    expect(push.body.reason).toMatch(/push is not handled/);
    const moved = github('issues', (p) => p.action === 'transferred');
    const r = await send('github', moved);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ outcome: 'ignored', reason: `repository "${moved.repository.full_name}" is not mapped to a client`, ticket: null });
    expect(await lastEvent()).toMatchObject({ outcome: 'ignored', reason: r.body.reason, externalId: String(moved.issue.id), event: 'issues.transferred' });
    expect(await count()).toBe(before);
  });

  it('GitLab (hand-written sample): the token decides; created, closed, and an older event ignored', async () => {
    const open = fixture('gitlab-issue-open.json');
    expect((await send('gitlab', open, { secret: 'wrong-token-0123456789' })).status).toBe(401);
    expect((await send('gitlab', open, { secret: null })).status).toBe(401);
    const r = await send('gitlab', open);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(await ticketOf(r.body.ticket)).toMatchObject({
      client: 'quill',
      title: open.object_attributes.title,
      description: open.object_attributes.description,
      priority: 1, // the "API" label
      estimateHours: 2, // time_estimate 0: the default
      source: 'gitlab',
      externalId: '301',
      url: open.object_attributes.url,
    });
    const close = structuredClone(open);
    Object.assign(close.object_attributes, { action: 'close', state: 'closed', updated_at: '2013-12-04 09:00:00 UTC', time_estimate: 5400 });
    const closed = await send('gitlab', close);
    expect(closed.body).toMatchObject({ outcome: 'updated', reason: 'closed in the tracker', ticket: r.body.ticket });
    expect(await ticketOf(r.body.ticket)).toMatchObject({ status: 'closed', estimateHours: 1.5 });
    const late = await send('gitlab', open);
    expect(late.body).toMatchObject({ outcome: 'ignored', reason: 'older than the last event' });
    expect((await ticketOf(r.body.ticket)).status).toBe('closed');
    const note = await send('gitlab', { object_kind: 'note', project: open.project }, { event: 'Note Hook' });
    expect(note.body).toMatchObject({ outcome: 'ignored', reason: 'Note Hook is not handled: send issue events' });
  });

  it('Jira (hand-written sample): created with its priority and estimate, updated and resolved, wrong signature refused', async () => {
    const created = fixture('jira-issue-created.json');
    expect((await send('jira', created, { secret: 'wrong-secret-0123456789' })).status).toBe(401);
    const r = await send('jira', created);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const id = r.body.ticket as string;
    expect(await ticketOf(id)).toMatchObject({
      client: 'harbor',
      title: 'Checkout page times out',
      priority: 2, // "High"
      estimateHours: 3, // 10800 s
      source: 'jira',
      externalId: '10002',
      url: 'https://example.atlassian.net/browse/HARB-12',
      emergencyRequested: false,
    });
    const updated = structuredClone(created);
    updated.webhookEvent = 'jira:issue_updated';
    Object.assign(updated.issue.fields, { summary: 'Checkout is down', updated: '2026-12-02T10:00:00.000+0000', priority: { name: 'Highest', id: '1' }, labels: ['outage'] });
    expect((await send('jira', updated)).body).toMatchObject({ outcome: 'updated', ticket: id });
    expect(await ticketOf(id)).toMatchObject({ title: 'Checkout is down', priority: 1, emergencyRequested: true });
    // Redelivered with Jira's same identifier: the same ticket, nothing new.
    expect((await send('jira', updated, { id: 'jira-retry' })).body).toMatchObject({ outcome: 'updated', reason: 'nothing changed', ticket: id });
    const resolved = structuredClone(updated);
    Object.assign(resolved.issue.fields, { updated: '2026-12-02T11:00:00.000+0000', status: { name: 'Done', statusCategory: { key: 'done' } }, resolution: { name: 'Done' } });
    expect((await send('jira', resolved)).body).toMatchObject({ outcome: 'updated', reason: 'closed in the tracker' });
    expect((await ticketOf(id)).status).toBe('closed');
    const other = structuredClone(created);
    other.issue.id = '20001';
    other.issue.fields.project.key = 'ZED';
    expect((await send('jira', other)).body).toMatchObject({ outcome: 'ignored', reason: 'project "ZED" is not mapped to a client' });
  });

  it('generic: the documented shape, signed; a body not in the shape is refused with the fields named', async () => {
    const body = {
      action: 'created',
      project: 'nimbus',
      issue: { id: 'N-77', title: 'Backups fail', body: 'Since Monday', url: 'https://tracker.example/N-77', labels: ['P1'], estimateHours: 1.3, updatedAt: '2026-12-02T09:00:00Z' },
    };
    const r = await send('generic', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(await ticketOf(r.body.ticket)).toMatchObject({ client: 'nimbus', title: 'Backups fail', priority: 1, estimateHours: 1.5, source: 'generic', externalId: 'N-77' });
    const bad = await send('generic', { action: 'created', project: 'nimbus', issue: { id: 'N-78' } });
    expect(bad.status).toBe(400);
    expect(await lastEvent()).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/issue\.title/) });
  });

  it('lists every event to managers, newest first, paged and filtered', async () => {
    const page = await manager.get('/api/intake/events?limit=3');
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(3);
    expect(page.body.total).toBeGreaterThan(20);
    const next = await manager.get(`/api/intake/events?limit=3&cursor=${page.body.nextCursor}`);
    expect(next.body.items[0].id).toBeLessThan(page.body.items[2].id);
    const refused = await manager.all('GET /api/intake/events', { outcome: 'refused' });
    expect(refused.length).toBeGreaterThanOrEqual(6);
    expect(refused.every((e) => e.outcome === 'refused')).toBe(true);
    const all = await manager.all('GET /api/intake/events', {});
    const outcomes = new Set(all.map((e) => e.outcome));
    expect([...outcomes].sort()).toEqual(['created', 'ignored', 'refused', 'updated']);
    expect(all.some((e) => e.reason === 'older than the last event')).toBe(true);
    expect(all.find((e) => e.deliveryId === 'jira-retry')).toMatchObject({ source: 'jira', outcome: 'updated' });
    expect((await harbor.get('/api/intake/events')).status).toBe(403);
    expect((await anon.get('/api/intake/events')).status).toBe(401);
    expect(fieldsOf(await manager.get('/api/intake/events?outcome=maybe'))).toEqual(['outcome']);
  });

  it('limits deliveries per tracker and address (429 with Retry-After)', async () => {
    let last: ApiResponse | undefined;
    for (let i = 0; i <= RATE_LIMIT; i++) {
      last = await send('generic', { action: 'created' }, { secret: 'wrong-secret-0123456789' });
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another tracker's budget is its own.
    expect((await send('github', github('ping', () => true), { event: 'ping' })).status).toBe(202);
  });
});
