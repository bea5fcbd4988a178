/**
 * What each tracker sends, read into one shape (TrackerIssue), and how each signs it.
 * - github: `issues` and `issue_comment` events (X-GitHub-Event), signed in X-Hub-Signature-256
 *   (`sha256=` and the HMAC-SHA256 of the body, keyed by the secret); X-GitHub-Delivery.
 * - gitlab: issue events (X-Gitlab-Event: Issue Hook), the secret token in X-Gitlab-Token;
 *   X-Gitlab-Event-UUID (or Idempotency-Key).
 * - jira: jira:issue_created / jira:issue_updated / jira:issue_deleted, signed by an admin
 *   webhook's secret in X-Hub-Signature (`sha256=<hex>`); X-Atlassian-Webhook-Identifier.
 * - generic: GenericIntakeBody (shared/api/intake.ts), signed in X-Hourglass-Signature like
 *   GitHub's; X-Hourglass-Delivery.
 * Every comparison is constant-time (crypto.timingSafeEqual) over the raw body as it came.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GenericIntakeBody, type IntakeSourceConfig, type IntakeSourceName } from '../../../shared/api/intake.ts';

/** A new tracker issue's estimate when its estimate field is missing or empty (hours). */
export const INTAKE_DEFAULT_ESTIMATE = 2;

export interface TrackerIssue {
  /** `issues.opened`, `Issue Hook.update`, `jira:issue_updated`, … as logged. */
  event: string;
  /** The repository full name or project key: the key of the source's `clients`. */
  project: string;
  externalId: string;
  title: string;
  body: string;
  url: string | null;
  labels: string[];
  /** A priority name the tracker itself has (Jira's, the generic `priority`). */
  priorityName: string | null;
  state: 'open' | 'closed';
  /** The tracker's time of this version of the issue: older events than the last one applied are ignored. */
  updatedAt: Date;
  /** The issue's own fields, where `estimateField` is looked up. */
  fields: Record<string, unknown>;
}

/** What a delivery is: an issue to apply, one to ignore (and why), or one refused (and why). */
export type Reading = { issue: TrackerIssue } | { ignored: string; event: string | null; externalId?: string | null } | { refused: string; event: string | null };

const header = (h: IncomingHttpHeaders, name: string): string | null => {
  const v = h[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? null : s.slice(0, 200);
};

export function deliveryIdOf(source: IntakeSourceName, h: IncomingHttpHeaders): string | null {
  switch (source) {
    case 'github':
      return header(h, 'x-github-delivery');
    case 'gitlab':
      return header(h, 'x-gitlab-event-uuid') ?? header(h, 'idempotency-key');
    case 'jira':
      return header(h, 'x-atlassian-webhook-identifier');
    case 'generic':
      return header(h, 'x-hourglass-delivery');
  }
}

export function eventHeaderOf(source: IntakeSourceName, h: IncomingHttpHeaders): string | null {
  if (source === 'github') return header(h, 'x-github-event');
  if (source === 'gitlab') return header(h, 'x-gitlab-event');
  return null;
}

/** The header that carries the signature (or token) for each source. */
export const SIGNATURE_HEADER: Record<IntakeSourceName, string> = {
  github: 'x-hub-signature-256',
  gitlab: 'x-gitlab-token',
  jira: 'x-hub-signature',
  generic: 'x-hourglass-signature',
};

export function hmacSignature(secret: string, raw: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** Whether the delivery is signed with this secret (GitLab: carries it), compared in constant time. */
export function signatureValid(source: IntakeSourceName, secret: string, raw: Buffer, h: IncomingHttpHeaders): boolean {
  const given = header(h, SIGNATURE_HEADER[source]);
  if (given === null) return false;
  if (source === 'gitlab') {
    // Equal-length digests, so the comparison takes the same time whatever the token's length.
    const a = createHash('sha256').update(given).digest();
    const b = createHash('sha256').update(secret).digest();
    return timingSafeEqual(a, b);
  }
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(given.trim());
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(Buffer.from(m[1]!, 'hex'), expected);
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

/** A tracker's time: ISO 8601, Jira's `+0000` offsets, GitLab's older `2013-12-03 17:23:34 UTC`. */
export function trackerTime(v: unknown): Date | null {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v);
  if (typeof v !== 'string') return null;
  let s = v.trim().replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  s = s.replace(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) UTC$/, '$1T$2Z');
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t);
}

/** Jira Cloud's v3 descriptions are Atlassian Document Format: their text, paragraph by paragraph. */
function adfText(node: unknown): string {
  const o = obj(node);
  if (!o) return typeof node === 'string' ? node : '';
  if (typeof o.text === 'string') return o.text;
  const inner = Array.isArray(o.content) ? o.content.map(adfText).join(o.type === 'doc' ? '\n\n' : '') : '';
  return inner;
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

function issueOf(p: Omit<TrackerIssue, 'title' | 'body'> & { title: unknown; body: unknown }): Reading {
  const title = str(p.title)?.trim();
  if (!title) return { refused: 'the issue has no title', event: p.event };
  return { issue: { ...p, title: clip(title, 500), body: clip(str(p.body) ?? '', 20_000) } };
}

export function readGithub(h: IncomingHttpHeaders, body: unknown): Reading {
  const name = header(h, 'x-github-event');
  const b = obj(body);
  const action = str(b?.action);
  const event = name ? `${name}${action ? `.${action}` : ''}` : null;
  if (name === 'ping') return { ignored: 'ping: the webhook is connected', event };
  if (name !== 'issues' && name !== 'issue_comment') return { ignored: `${name ?? 'an event without X-GitHub-Event'} is not handled: send issues and issue comments`, event };
  const issue = obj(b?.issue);
  const repo = str(obj(b?.repository)?.full_name);
  if (!issue || !repo || str(issue.id) === null) return { refused: 'the payload has no issue or repository', event };
  if (issue.pull_request) return { ignored: 'a pull request, not an issue', event, externalId: str(issue.id) };
  const updatedAt = trackerTime(issue.updated_at);
  if (!updatedAt) return { refused: 'the issue has no updated_at', event };
  const labels = Array.isArray(issue.labels) ? issue.labels.map((l) => str(obj(l)?.name) ?? str(l)).filter((l): l is string => !!l) : [];
  const closed = issue.state === 'closed' || (name === 'issues' && (action === 'closed' || action === 'deleted'));
  return issueOf({ event: event!, project: repo, externalId: str(issue.id)!, title: issue.title, body: issue.body, url: str(issue.html_url), labels, priorityName: null, state: closed ? 'closed' : 'open', updatedAt, fields: issue });
}

export function readGitlab(h: IncomingHttpHeaders, body: unknown): Reading {
  const b = obj(body);
  const a = obj(b?.object_attributes);
  const name = header(h, 'x-gitlab-event') ?? str(b?.object_kind);
  const event = name ? `${name}${str(a?.action) ? `.${str(a?.action)}` : ''}` : null;
  const kind = str(b?.object_kind) ?? str(b?.event_type);
  if (kind !== 'issue' && kind !== 'work_item') return { ignored: `${name ?? 'an event without X-Gitlab-Event'} is not handled: send issue events`, event };
  const repo = str(obj(b?.project)?.path_with_namespace);
  if (!a || !repo || str(a.id) === null) return { refused: 'the payload has no issue or project', event };
  const updatedAt = trackerTime(a.updated_at);
  if (!updatedAt) return { refused: 'the issue has no updated_at', event };
  const rawLabels = Array.isArray(b?.labels) ? b.labels : Array.isArray(a.labels) ? a.labels : [];
  const labels = rawLabels.map((l) => str(obj(l)?.title) ?? str(l)).filter((l): l is string => !!l);
  const closed = a.state === 'closed' || a.action === 'close';
  return issueOf({ event: event!, project: repo, externalId: str(a.id)!, title: a.title, body: a.description, url: str(a.url), labels, priorityName: null, state: closed ? 'closed' : 'open', updatedAt, fields: a });
}

export function readJira(_h: IncomingHttpHeaders, body: unknown): Reading {
  const b = obj(body);
  const event = str(b?.webhookEvent);
  if (event !== 'jira:issue_created' && event !== 'jira:issue_updated' && event !== 'jira:issue_deleted') {
    return { ignored: `${event ?? 'an event without webhookEvent'} is not handled: send issue created, updated and deleted`, event };
  }
  const issue = obj(b?.issue);
  const fields = obj(issue?.fields);
  const project = str(obj(fields?.project)?.key);
  if (!issue || !fields || !project || str(issue.id) === null) return { refused: 'the payload has no issue or project', event };
  const updatedAt = trackerTime(fields.updated) ?? trackerTime(b?.timestamp);
  if (!updatedAt) return { refused: 'the issue has no updated time', event };
  const labels = Array.isArray(fields.labels) ? fields.labels.map(str).filter((l): l is string => !!l) : [];
  const done = str(obj(obj(fields.status)?.statusCategory)?.key) === 'done' || obj(fields.resolution) !== null;
  let url: string | null = null;
  const key = str(issue.key);
  try {
    if (key && str(issue.self)) url = `${new URL(str(issue.self)!).origin}/browse/${key}`;
  } catch {
    url = null;
  }
  const description = typeof fields.description === 'string' ? fields.description : adfText(fields.description);
  return issueOf({
    event,
    project,
    externalId: str(issue.id)!,
    title: fields.summary,
    body: description,
    url,
    labels,
    priorityName: str(obj(fields.priority)?.name),
    state: done || event === 'jira:issue_deleted' ? 'closed' : 'open',
    updatedAt,
    fields,
  });
}

export function readGeneric(_h: IncomingHttpHeaders, body: unknown): Reading {
  const parsed = GenericIntakeBody.safeParse(body);
  const event = str(obj(body)?.action);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    return { refused: `the body is not the generic shape (${issues.join('; ')})`, event };
  }
  const g = parsed.data;
  const i = g.issue;
  const closed = g.action === 'closed' || (g.action !== 'reopened' && i.state === 'closed');
  return issueOf({
    event: g.action,
    project: g.project,
    externalId: i.id,
    title: i.title,
    body: i.body ?? '',
    url: i.url ?? null,
    labels: i.labels ?? [],
    priorityName: i.priority ?? null,
    state: closed ? 'closed' : 'open',
    updatedAt: new Date(i.updatedAt),
    fields: i as Obj,
  });
}

export const READERS: Record<IntakeSourceName, (h: IncomingHttpHeaders, body: unknown) => Reading> = { github: readGithub, gitlab: readGitlab, jira: readJira, generic: readGeneric };

const lower = (s: string) => s.trim().toLowerCase();

/** The most urgent priority any label (or the tracker's priority name) maps to, else the default. */
export function priorityOf(cfg: IntakeSourceConfig, issue: TrackerIssue): 1 | 2 | 3 | 4 {
  const map = new Map(Object.entries(cfg.priorities ?? {}).map(([k, v]) => [lower(k), v]));
  const found = [...issue.labels, ...(issue.priorityName ? [issue.priorityName] : [])].map((l) => map.get(lower(l))).filter((v) => v !== undefined);
  return found.length ? (Math.min(...found) as 1 | 2 | 3 | 4) : (cfg.defaultPriority ?? 3);
}

export function skillOf(cfg: IntakeSourceConfig, issue: TrackerIssue): string | null {
  const map = new Map(Object.entries(cfg.skillLabels ?? {}).map(([k, v]) => [lower(k), v]));
  for (const l of issue.labels) {
    const s = map.get(lower(l));
    if (s) return s;
  }
  return null;
}

export const emergencyRequested = (cfg: IntakeSourceConfig, issue: TrackerIssue): boolean => !!cfg.emergencyLabel && issue.labels.some((l) => lower(l) === lower(cfg.emergencyLabel!));

/** Trackers' time fields, in seconds. */
const SECONDS_FIELDS = new Set(['time_estimate', 'timeoriginalestimate', 'timeestimate', 'aggregatetimeoriginalestimate', 'aggregatetimeestimate']);

/** Hours from `4`, `4h`, `90m`, `1.5 h`; seconds for the trackers' time fields. Quarter hours, rounded up. */
export function hoursOf(v: unknown, seconds: boolean): number | null {
  let h: number | null = null;
  if (typeof v === 'number' && Number.isFinite(v)) h = seconds ? v / 3600 : v;
  else if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(h|hours?|m|min|minutes?)?\s*$/i.exec(v);
    if (m) h = m[2] && /^m/i.test(m[2]) ? Number(m[1]) / 60 : Number(m[1]);
  }
  if (h === null || !(h > 0)) return null;
  return Math.min(100_000, Math.ceil(h * 4 - 1e-9) / 4);
}

/** The estimate from the mapped field or label, or null when there is none. */
export function estimateOf(source: IntakeSourceName, cfg: IntakeSourceConfig, issue: TrackerIssue): number | null {
  const field = cfg.estimateField ?? (source === 'generic' ? 'estimateHours' : null);
  if (!field) return null;
  if (field.startsWith('label:')) {
    const prefix = lower(field.slice('label:'.length));
    const label = issue.labels.find((l) => lower(l).startsWith(prefix));
    return label === undefined ? null : hoursOf(label.trim().slice(prefix.length), false);
  }
  let v: unknown = issue.fields;
  for (const part of field.split('.')) v = obj(v)?.[part];
  const last = field.split('.').pop()!;
  return hoursOf(v, SECONDS_FIELDS.has(last));
}
