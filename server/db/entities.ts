/**
 * Entities. Relations are plain id columns; the foreign keys, checks and indexes live in the
 * checked-in migrations (server/db/migrations), which are the schema's single source of truth.
 */
import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import type { TicketStatus } from '../../shared/api/tickets.ts';
import type { Role } from '../../shared/api/users.ts';
import type { ApiTokenScope } from '../../shared/api/tokens.ts';

export type { Role } from '../../shared/api/users.ts';

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.integer().primary().autoincrement(),
    email: p.string(),
    passwordHash: p.string().hidden(),
    role: p.string().$type<Role>(),
    clientId: p.string().nullable(),
    staffId: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** A manager disabled the account: it cannot sign in (migration 0006). */
    disabledAt: p.datetime().nullable(),
    /** The OpenID provider's account this user signs in as (migration 0020): set on the first single sign-on. */
    oidcIssuer: p.string().nullable(),
    oidcSubject: p.string().nullable(),
    version: p.integer().version(),
  },
});
export type User = InferEntity<typeof User>;

export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    /** SHA-256 of the cookie token: a leaked table does not give working sessions. */
    id: p.string().primary(),
    userId: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
  },
});
export type Session = InferEntity<typeof Session>;

export const Quarter = defineEntity({
  name: 'Quarter',
  tableName: 'quarters',
  properties: {
    id: p.string().primary(),
    weeks: p.integer(),
    currentWeek: p.integer(),
    startDate: p.string().nullable(),
    /** Move currentWeek on at each week's start (needs startDate). */
    autoAdvance: p.boolean().default(false),
    policy: p.json<Record<string, unknown>>().nullable(),
    /** Bumped by every change that can move the plan; a plan records the revision it solved. */
    dataRevision: p.integer().default(0),
    currentPlanId: p.integer().nullable(),
    closedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    version: p.integer().version(),
  },
});
export type Quarter = InferEntity<typeof Quarter>;

export const Staff = defineEntity({
  name: 'Staff',
  tableName: 'staff',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    weeklyHours: p.double().$type<number>(),
    skills: p.array().default([]),
    active: p.boolean().default(true),
    version: p.integer().version(),
  },
});
export type Staff = InferEntity<typeof Staff>;

export const Leave = defineEntity({
  name: 'Leave',
  tableName: 'leave',
  properties: {
    id: p.integer().primary().autoincrement(),
    staffId: p.string(),
    quarterId: p.string(),
    week: p.integer(),
    hours: p.double().$type<number>(),
  },
});
export type Leave = InferEntity<typeof Leave>;

export const Client = defineEntity({
  name: 'Client',
  tableName: 'clients',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    plan: p.string().$type<'prepaid' | 'payg'>(),
    /** The client's liaison, as the manager writes it (migration 0008). */
    contact: p.string().nullable(),
    active: p.boolean().default(true),
    /** Prices per hour in the company's currency's minor units (migration 0010); null: not priced. */
    blockPriceMinor: p.integer().nullable(),
    paygRateMinor: p.integer().nullable(),
    version: p.integer().version(),
  },
});
export type Client = InferEntity<typeof Client>;

/** The company's one row of settings (migration 0010): its name and ISO 4217 currency. */
export const CompanySettings = defineEntity({
  name: 'CompanySettings',
  tableName: 'company_settings',
  properties: {
    id: p.integer().primary(),
    name: p.string(),
    currency: p.string(),
    version: p.integer().version(),
  },
});
export type CompanySettings = InferEntity<typeof CompanySettings>;

/** A client's history and carry-overs for one quarter. */
export const ClientQuarter = defineEntity({
  name: 'ClientQuarter',
  tableName: 'client_quarters',
  properties: {
    id: p.integer().primary().autoincrement(),
    clientId: p.string(),
    quarterId: p.string(),
    rolloverInHours: p.double().$type<number>().default(0),
    /** Hours used per past week as imported; time entries add to it. */
    usedBaseline: p.json<number[]>(),
    shortfallToDateHours: p.double().$type<number>().default(0),
    /** Set at quarter close. */
    expiredHours: p.double().$type<number>().nullable(),
    rolledOverHours: p.double().$type<number>().nullable(),
  },
});
export type ClientQuarter = InferEntity<typeof ClientQuarter>;

export const Block = defineEntity({
  name: 'Block',
  tableName: 'blocks',
  properties: {
    id: p.integer().primary().autoincrement(),
    clientId: p.string(),
    quarterId: p.string(),
    week: p.integer(),
    hours: p.double().$type<number>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    version: p.integer().version(),
  },
});
export type Block = InferEntity<typeof Block>;

export const Ticket = defineEntity({
  name: 'Ticket',
  tableName: 'tickets',
  properties: {
    id: p.string().primary(),
    clientId: p.string(),
    quarterId: p.string(),
    title: p.string(),
    description: p.text().default(''),
    priority: p.integer(),
    estimateHours: p.double().$type<number>(),
    /** Hours spent before time entries were kept here (imported); time entries add to it. */
    spentBaseline: p.double().$type<number>().default(0),
    openedWeek: p.integer(),
    skill: p.string().nullable(),
    dueWeek: p.integer().nullable(),
    emergency: p.boolean().default(false),
    status: p.string().$type<TicketStatus>().default('open'),
    /** The tracker it came from (migration 0017): `github`, `gitlab`, `jira`, `generic`; null when filed here. */
    source: p.string().nullable(),
    externalId: p.string().nullable(),
    url: p.text().nullable(),
    /** The tracker's time of the last event applied; an older event arriving late is ignored. */
    trackerUpdatedAt: p.datetime().nullable(),
    /** The tracker's emergency label was on it: a manager confirms by declaring the emergency. */
    emergencyRequested: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    version: p.integer().version(),
  },
});
export type Ticket = InferEntity<typeof Ticket>;

export const TimeEntry = defineEntity({
  name: 'TimeEntry',
  tableName: 'time_entries',
  properties: {
    id: p.integer().primary().autoincrement(),
    staffId: p.string(),
    ticketId: p.string(),
    clientId: p.string(),
    quarterId: p.string(),
    week: p.integer(),
    date: p.string(),
    hours: p.double().$type<number>(),
    note: p.text().default(''),
    createdAt: p.datetime().onCreate(() => new Date()),
    version: p.integer().version(),
  },
});
export type TimeEntry = InferEntity<typeof TimeEntry>;

export const PlanRecord = defineEntity({
  name: 'PlanRecord',
  tableName: 'plans',
  properties: {
    /** The plan's version: increasing across all quarters. */
    id: p.integer().primary().autoincrement(),
    quarterId: p.string(),
    /** The data revision the plan includes; moves on in place when a re-plan finds the plan unchanged. */
    dataRevision: p.integer(),
    /**
     * The plan is stored and read in plain SQL by planning/plan-store.ts, never through the ORM
     * (migration 0007): `packed`, its JSON compressed (`encoding`), `bodyBytes` long, and its
     * `contentHash`; `body` (jsonb) only for versions stored before. `packed` and `body` are
     * lazy: loading a version's row never loads its plan.
     */
    body: p.json<Record<string, unknown>>().nullable().lazy(),
    packed: p.blob().nullable().lazy(),
    encoding: p.string().$type<'br'>().nullable(),
    contentHash: p.string().nullable(),
    bodyBytes: p.integer().nullable(),
    solveMs: p.double().$type<number>(),
    trigger: p.string().default(''),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type PlanRecord = InferEntity<typeof PlanRecord>;

/** Allocation rows of plan versions stored before migration 0007; no longer written (nothing reads them). */
export const AllocationRecord = defineEntity({
  name: 'AllocationRecord',
  tableName: 'allocations',
  properties: {
    id: p.integer().primary().autoincrement(),
    planId: p.integer(),
    week: p.integer(),
    staffId: p.string(),
    clientId: p.string(),
    ticketId: p.string(),
    hours: p.double().$type<number>(),
    level: p.integer(),
  },
});
export type AllocationRecord = InferEntity<typeof AllocationRecord>;

export const RolloverCredit = defineEntity({
  name: 'RolloverCredit',
  tableName: 'rollover_credits',
  properties: {
    id: p.integer().primary().autoincrement(),
    clientId: p.string(),
    fromQuarterId: p.string(),
    toQuarterId: p.string(),
    hours: p.double().$type<number>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type RolloverCredit = InferEntity<typeof RolloverCredit>;

export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_log',
  properties: {
    id: p.integer().primary().autoincrement(),
    at: p.datetime().onCreate(() => new Date()),
    userId: p.integer().nullable(),
    /** The API token the change was made with (migration 0015); userId is null then. */
    tokenId: p.integer().nullable(),
    action: p.string(),
    entity: p.string(),
    entityId: p.string(),
    before: p.json<unknown>().nullable(),
    after: p.json<unknown>().nullable(),
  },
});
export type AuditEntry = InferEntity<typeof AuditEntry>;

/** A manager's pin: this person does this ticket in this week, for these hours (DOMAIN.md "Pins"). */
export const Pin = defineEntity({
  name: 'Pin',
  tableName: 'pins',
  properties: {
    id: p.integer().primary().autoincrement(),
    quarterId: p.string(),
    ticketId: p.string(),
    staffId: p.string(),
    week: p.integer(),
    hours: p.double().$type<number>(),
    /** The manager who pinned it (null once that user is gone). */
    createdBy: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Pin = InferEntity<typeof Pin>;

/** A one-time link that sets a user's password (migration 0008): only its token's SHA-256 is kept. */
export const PasswordLink = defineEntity({
  name: 'PasswordLink',
  tableName: 'password_links',
  properties: {
    id: p.integer().primary().autoincrement(),
    tokenHash: p.string(),
    userId: p.integer(),
    purpose: p.string().$type<'invite' | 'reset'>(),
    createdBy: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
  },
});
export type PasswordLink = InferEntity<typeof PasswordLink>;

/** A user's secret calendar feed (migration 0012): only its token's SHA-256 is kept. */
export const CalendarFeed = defineEntity({
  name: 'CalendarFeed',
  tableName: 'calendar_feeds',
  properties: {
    userId: p.integer().primary(),
    tokenHash: p.string(),
    /** The token itself (migration 0014), so the owner can read the address again; null for feeds made before. */
    token: p.string().nullable(),
    createdAt: p.datetime(),
  },
});
export type CalendarFeed = InferEntity<typeof CalendarFeed>;

/** A manager's named API token (migration 0015): only its SHA-256 is kept. */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string(),
    tokenHash: p.string().hidden(),
    role: p.string().$type<Role>(),
    clientId: p.string().nullable(),
    staffId: p.string().nullable(),
    scopes: p.array().$type<ApiTokenScope[]>(),
    createdBy: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiToken = InferEntity<typeof ApiToken>;

export const ENTITIES = [
  User,
  Session,
  Quarter,
  Staff,
  Leave,
  Client,
  CompanySettings,
  ClientQuarter,
  Block,
  Ticket,
  TimeEntry,
  PlanRecord,
  AllocationRecord,
  RolloverCredit,
  AuditEntry,
  Pin,
  PasswordLink,
  CalendarFeed,
  ApiToken,
];
