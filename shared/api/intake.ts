/**
 * /api/intake: ticket trackers (issue 13). A manager connects a tracker with
 * `PUT /api/intake/sources/:source`; the tracker then posts its events to `POST /api/intake/:source`
 * (no session: the signature or token is the key), and each event is logged with its outcome
 * (`GET /api/intake/events`). The secret is never answered again.
 */
import { z } from 'zod';
import { Id, Timestamp, typed } from './fields.ts';
import { page, pagedQuery, type Page } from './paging.ts';
import { Priority } from './tickets.ts';

export const INTAKE_SOURCES = ['github', 'gitlab', 'jira', 'generic'] as const;
export const IntakeSourceName = z.enum(INTAKE_SOURCES, { error: 'must be "github", "gitlab", "jira" or "generic"' });
export type IntakeSourceName = z.infer<typeof IntakeSourceName>;

export const INTAKE_OUTCOMES = ['created', 'updated', 'ignored', 'refused'] as const;
export type IntakeOutcome = (typeof INTAKE_OUTCOMES)[number];

/** A label, priority name, repository or project key: any short text. */
const Key = z.string({ error: typed('must be a string') }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' });
const map = <V extends z.ZodType>(value: V, what: string) =>
  z.record(Key, value, { error: typed(`must be an object of ${what}`) }).refine((m) => Object.keys(m).length <= 500, { error: 'must have at most 500 entries' });

/** PUT /api/intake/sources/:source: the whole configuration (a new secret each time it is sent). */
export const IntakeSourcePut = z
  .object({
    secret: z.string({ error: typed('must be a string') }).min(16, { error: 'must be at least 16 characters (a random string the tracker also keeps)' }).max(500, { error: 'must be at most 500 characters' }),
    /** Repository full name (GitHub `owner/repo`, GitLab `group/project`) or Jira project key → client id. */
    clients: map(Id, 'repository or project → client id'),
    /** Label or priority name → 1 (urgent) … 4 (low); the most urgent match wins. */
    priorities: map(Priority, 'label or priority name → 1-4').default({}),
    defaultPriority: Priority.default(3),
    /** The label that asks for an emergency: the ticket is "emergency requested" until a manager declares it. */
    emergencyLabel: Key.nullable().optional(),
    /** Label → the skill the ticket needs. */
    skillLabels: map(Key, 'label → skill').default({}),
    /**
     * Where the estimate comes from: a field of the issue (`time_estimate` on GitLab,
     * `timeoriginalestimate` or a custom field on Jira, `estimateHours` for the generic shape;
     * seconds for the trackers' time fields, hours otherwise), or `label:<prefix>` for a label like
     * `estimate:4h`. Without it, or when the field is empty: INTAKE_DEFAULT_ESTIMATE hours.
     */
    estimateField: Key.nullable().optional(),
  })
  .strict();
export type IntakeSourcePut = z.infer<typeof IntakeSourcePut>;
export type IntakeSourceConfig = Omit<IntakeSourcePut, 'secret'>;

/** A connected tracker as managers read it: never its secret. */
export const IntakeSourceRecord = z
  .object({
    source: IntakeSourceName,
    clients: z.record(z.string(), z.string()),
    priorities: z.record(z.string(), Priority),
    defaultPriority: Priority,
    emergencyLabel: z.string().nullable(),
    skillLabels: z.record(z.string(), z.string()),
    estimateField: z.string().nullable(),
    updatedAt: Timestamp,
    /** Where the tracker posts (path only; put the server's public address in front). */
    path: z.string(),
  })
  .strict();
export type IntakeSourceRecord = z.infer<typeof IntakeSourceRecord>;

export const IntakeSourceParam = z.object({ source: IntakeSourceName });
export type IntakeSourceParam = z.infer<typeof IntakeSourceParam>;

/** What a tracker is answered. */
export const IntakeAnswer = z
  .object({
    outcome: z.enum(INTAKE_OUTCOMES),
    reason: z.string().nullable(),
    ticket: z.string().nullable(),
    event: z.number().int().nullable(),
  })
  .strict();
export type IntakeAnswer = z.infer<typeof IntakeAnswer>;

export const IntakeEventRecord = z
  .object({
    id: z.number().int(),
    source: z.string(),
    deliveryId: z.string().nullable(),
    externalId: z.string().nullable(),
    event: z.string().nullable(),
    outcome: z.enum(INTAKE_OUTCOMES),
    reason: z.string().nullable(),
    ticket: z.string().nullable(),
    receivedAt: Timestamp,
  })
  .strict();
export type IntakeEventRecord = z.infer<typeof IntakeEventRecord>;

/** Newest first. */
export const IntakeEventListQuery = pagedQuery({
  source: IntakeSourceName.optional(),
  outcome: z.enum(INTAKE_OUTCOMES, { error: 'must be "created", "updated", "ignored" or "refused"' }).optional(),
});
export type IntakeEventListQuery = z.infer<typeof IntakeEventListQuery>;

export const IntakeEventPage = page(IntakeEventRecord);
export type IntakeEventPage = Page<IntakeEventRecord>;

/**
 * The generic sender's body (POST /api/intake/generic, signed like GitHub's in
 * `X-Hourglass-Signature: sha256=<hex HMAC-SHA256 of the body>`).
 */
export const GenericIntakeBody = z
  .object({
    /** `created`/`updated` (the same thing: the issue as it is now), `closed`, `reopened`. */
    action: z.enum(['created', 'updated', 'closed', 'reopened'], { error: 'must be "created", "updated", "closed" or "reopened"' }),
    /** Matched against the source's `clients`. */
    project: Key,
    issue: z.object({
      id: Key,
      title: z.string({ error: typed('must be a string') }).min(1, { error: 'must not be empty' }).max(500, { error: 'must be at most 500 characters' }),
      body: z.string({ error: 'must be a string' }).max(20_000, { error: 'must be at most 20000 characters' }).nullable().optional(),
      url: z.string({ error: 'must be a string' }).max(2000, { error: 'must be at most 2000 characters' }).nullable().optional(),
      labels: z.array(Key, { error: 'must be a list of labels' }).max(100).optional(),
      priority: Key.nullable().optional(),
      estimateHours: z.number({ error: 'must be a number of hours' }).min(0).max(100_000).nullable().optional(),
      state: z.enum(['open', 'closed'], { error: 'must be "open" or "closed"' }).optional(),
      /** The issue's last change, ISO 8601: an event older than the last one applied is ignored. */
      updatedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time like 2026-10-05T09:30:00Z' }),
    }).loose(),
  })
  .loose();
export type GenericIntakeBody = z.infer<typeof GenericIntakeBody>;
