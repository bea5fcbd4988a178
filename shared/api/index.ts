/**
 * The REST contract, once: every route with the schemas of its path parameters, query, body and
 * answer. The server parses with these schemas, the dashboard's HTTP module and the tests' API
 * client are typed from this table (and the tests check every answer against it), so a field
 * renamed on one side fails to compile, or fails a test, on the other.
 *
 * Failures all have one shape (errors.ts); lists that grow are paged one way (paging.ts).
 */
import { z } from 'zod';
import { AuditListQuery, AuditPage } from './audit.ts';
import { CalendarFeedAnswer } from './calendar.ts';
import { AuthProviders, LoginBody, LoginResponse, MeResponse, PasswordLinkCheck, PasswordLinkInfo, SetPasswordBody, SetPasswordResult } from './auth.ts';
import { BlockCreate, BlockParams, BlockPatch, BlockRecord, ClientCreate, ClientListQuery, ClientPage, ClientPatch, ClientRecord } from './clients.ts';
import { CsvImportQuery, CsvImportResult, CsvQuery } from './csv.ts';
import { IdParam, QuarterQuery } from './fields.ts';
import { IntakeAnswer, IntakeEventListQuery, IntakeEventPage, IntakeSourceParam, IntakeSourcePut, IntakeSourceRecord } from './intake.ts';
import { LeaveCalendarCreate, LeaveCalendarIdParam, LeaveCalendarList, LeaveCalendarPreview, LeaveCalendarRecord } from './leave-calendars.ts';
import { HeldMailAssign, HeldMailIdParam, HeldMailListQuery, HeldMailPage, HeldMailRecord } from './mail-intake.ts';
import { NotificationIdParam, NotificationListQuery, NotificationPage, NotificationRecord, NotificationSwitches, NotificationSwitchesBody } from './notifications.ts';
import { PinCreate, PinIdParam, PinListQuery, PinRecord } from './pins.ts';
import { AllocationPage, AllocationPageQuery, ClientDetail, ClientDetailParam, PlanDiffQuery, PlanDiffResponse, PlanHistoryPage, PlanHistoryQuery, PlanQuery, PlanSummary, PlanVersionParam, PlanVersions, PlanView, PlanViewQuery, QueuePage, TicketPlanPageQuery } from './plans.ts';
import { QuarterCloseBody, QuarterClosePreview, QuarterCloseResult, QuarterCreate, QuarterIdParam, QuarterPatch, QuarterRecord, ScenarioExport, ScenarioImportResult } from './quarters.ts';
import { RevenueAnswer, RevenueQuery } from './revenue.ts';
import { CompanySettingsPatch, CompanySettingsRecord } from './settings.ts';
import { LeaveBody, SkillsInUse, StaffCreate, StaffListQuery, StaffPage, StaffPatch, StaffRecord } from './staff.ts';
import { BillingQuery, Statement, StatementQuery } from './statements.ts';
import { ApiTokenCreate, ApiTokenCreated, ApiTokenIdParam, ApiTokenRecord } from './tokens.ts';
import { TicketCreate, TicketListQuery, TicketPage, TicketPatch, TicketRecord } from './tickets.ts';
import { TimeEntryCreate, TimeEntryDeleteQuery, TimeEntryIdParam, TimeEntryListQuery, TimeEntryPage, TimeEntryPatch, TimeEntryRecord } from './time-entries.ts';
import { PasswordLinkAnswer, UserCreate, UserIdParam, UserInvite, UserListQuery, UserPatch, UserRecord } from './users.ts';
import { WhatIfAnswer, WhatIfBody, WhatIfConfirmBody, WhatIfConfirmed } from './what-if.ts';

export interface RouteSpec {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The answer of a success; null for 204 No Content and for answers that are not JSON. */
  response: z.ZodType | null;
}

const list = <T extends z.ZodType>(item: T) => z.array(item);

/** `METHOD /path/:param` → its schemas. */
export const API = {
  'POST /api/auth/login': { body: LoginBody, response: LoginResponse },
  'POST /api/auth/logout': { response: null },
  'GET /api/auth/me': { response: MeResponse },
  'GET /api/auth/providers': { response: AuthProviders },
  'POST /api/auth/password-link': { body: PasswordLinkCheck, response: PasswordLinkInfo },
  'POST /api/auth/set-password': { body: SetPasswordBody, response: SetPasswordResult },

  'GET /api/users': { query: UserListQuery, response: list(UserRecord) },
  'GET /api/users/:id': { params: UserIdParam, response: UserRecord },
  'POST /api/users': { body: UserCreate, response: UserRecord },
  'POST /api/users/invite': { body: UserInvite, response: PasswordLinkAnswer },
  'POST /api/users/:id/password-link': { params: UserIdParam, response: PasswordLinkAnswer },
  'PATCH /api/users/:id': { params: UserIdParam, body: UserPatch, response: UserRecord },
  'POST /api/users/:id/disable': { params: UserIdParam, response: UserRecord },
  'POST /api/users/:id/enable': { params: UserIdParam, response: UserRecord },

  'GET /api/staff': { query: StaffListQuery, response: StaffPage },
  'GET /api/staff/:id': { params: IdParam, query: QuarterQuery, response: StaffRecord },
  'POST /api/staff': { body: StaffCreate, response: StaffRecord },
  'PATCH /api/staff/:id': { params: IdParam, body: StaffPatch, response: StaffRecord },
  'PUT /api/staff/:id/leave': { params: IdParam, body: LeaveBody, response: StaffRecord },
  'GET /api/skills': { response: SkillsInUse },

  'GET /api/clients': { query: ClientListQuery, response: ClientPage },
  'GET /api/clients/:id': { params: IdParam, query: QuarterQuery, response: ClientRecord },
  'POST /api/clients': { body: ClientCreate, response: ClientRecord },
  'PATCH /api/clients/:id': { params: IdParam, body: ClientPatch, response: ClientRecord },
  'GET /api/clients/:id/blocks': { params: IdParam, query: QuarterQuery, response: list(BlockRecord) },
  'POST /api/clients/:id/blocks': { params: IdParam, body: BlockCreate, response: BlockRecord },
  'PATCH /api/clients/:id/blocks/:blockId': { params: BlockParams, body: BlockPatch, response: BlockRecord },
  'DELETE /api/clients/:id/blocks/:blockId': { params: BlockParams, response: null },
  /** JSON by default; format=pdf or csv answers a file (not JSON). */
  'GET /api/clients/:id/statement': { params: IdParam, query: StatementQuery, response: Statement },

  'GET /api/tickets': { query: TicketListQuery, response: TicketPage },
  'GET /api/tickets/:id': { params: IdParam, response: TicketRecord },
  'POST /api/tickets': { body: TicketCreate, response: TicketRecord },
  'PATCH /api/tickets/:id': { params: IdParam, body: TicketPatch, response: TicketRecord },
  'GET /api/tickets/export.csv': { query: CsvQuery, response: null },
  'POST /api/tickets/import': { query: CsvImportQuery, response: CsvImportResult },

  'GET /api/time-entries': { query: TimeEntryListQuery, response: TimeEntryPage },
  'GET /api/time-entries/:id': { params: TimeEntryIdParam, response: TimeEntryRecord },
  'POST /api/time-entries': { body: TimeEntryCreate, response: TimeEntryRecord },
  'PATCH /api/time-entries/:id': { params: TimeEntryIdParam, body: TimeEntryPatch, response: TimeEntryRecord },
  'DELETE /api/time-entries/:id': { params: TimeEntryIdParam, query: TimeEntryDeleteQuery, response: null },
  'GET /api/time-entries/export.csv': { query: CsvQuery, response: null },
  'POST /api/time-entries/import': { query: CsvImportQuery, response: CsvImportResult },

  'GET /api/pins': { query: PinListQuery, response: list(PinRecord) },
  'POST /api/pins': { body: PinCreate, response: PinRecord },
  'DELETE /api/pins/:id': { params: PinIdParam, response: null },

  'GET /api/quarters': { response: list(QuarterRecord) },
  'POST /api/quarters': { body: QuarterCreate, response: QuarterRecord },
  'GET /api/quarters/:id': { params: QuarterIdParam, response: QuarterRecord },
  'PATCH /api/quarters/:id': { params: QuarterIdParam, body: QuarterPatch, response: QuarterRecord },
  'POST /api/quarters/:id/import': { params: QuarterIdParam, response: ScenarioImportResult },
  'GET /api/quarters/:id/scenario': { params: QuarterIdParam, response: ScenarioExport },
  'GET /api/quarters/:id/close-preview': { params: QuarterIdParam, response: QuarterClosePreview },
  'POST /api/quarters/:id/close': { params: QuarterIdParam, body: QuarterCloseBody, response: QuarterCloseResult },
  'GET /api/quarters/:id/billing.csv': { params: QuarterIdParam, query: BillingQuery, response: null },

  'GET /api/plans/current': { query: PlanQuery, response: PlanView },
  'GET /api/plans/current/summary': { query: PlanViewQuery, response: PlanSummary },
  'GET /api/plans/current/allocations': { query: AllocationPageQuery, response: AllocationPage },
  'GET /api/plans/current/tickets': { query: TicketPlanPageQuery, response: QueuePage },
  'GET /api/plans/current/clients/:id': { params: ClientDetailParam, query: PlanViewQuery, response: ClientDetail },
  'GET /api/plans': { query: PlanQuery, response: PlanVersions },
  'GET /api/plans/history': { query: PlanHistoryQuery, response: PlanHistoryPage },
  'GET /api/plans/:version': { params: PlanVersionParam, response: PlanView },
  'GET /api/plans/:version/diff': { params: PlanVersionParam, query: PlanDiffQuery, response: PlanDiffResponse },

  'POST /api/what-if': { body: WhatIfBody, response: WhatIfAnswer },
  'POST /api/what-if/confirm': { body: WhatIfConfirmBody, response: WhatIfConfirmed },

  'GET /api/audit': { query: AuditListQuery, response: AuditPage },

  'GET /api/settings': { response: CompanySettingsRecord },
  'PATCH /api/settings': { body: CompanySettingsPatch, response: CompanySettingsRecord },
  'GET /api/revenue': { query: RevenueQuery, response: RevenueAnswer },

  'GET /api/calendar': { response: CalendarFeedAnswer },
  'POST /api/calendar/reset': { response: CalendarFeedAnswer },
  'GET /api/calendar/:token.ics': { response: null },

  'GET /api/leave-calendars': { query: QuarterQuery, response: LeaveCalendarList },
  'POST /api/leave-calendars': { body: LeaveCalendarCreate, response: LeaveCalendarRecord },
  'POST /api/leave-calendars/preview': { body: LeaveCalendarCreate, response: LeaveCalendarPreview },
  'POST /api/leave-calendars/:id/refresh': { params: LeaveCalendarIdParam, response: LeaveCalendarRecord },
  'DELETE /api/leave-calendars/:id': { params: LeaveCalendarIdParam, response: null },

  'GET /api/account/notifications': { response: NotificationSwitches },
  'PUT /api/account/notifications': { body: NotificationSwitchesBody, response: NotificationSwitches },
  'GET /api/clients/:id/notifications': { params: IdParam, response: NotificationSwitches },
  'PUT /api/clients/:id/notifications': { params: IdParam, body: NotificationSwitchesBody, response: NotificationSwitches },
  'GET /api/notifications': { query: NotificationListQuery, response: NotificationPage },
  'POST /api/notifications/:id/retry': { params: NotificationIdParam, response: NotificationRecord },

  'POST /api/tokens': { body: ApiTokenCreate, response: ApiTokenCreated },
  'GET /api/tokens': { response: list(ApiTokenRecord) },
  'DELETE /api/tokens/:id': { params: ApiTokenIdParam, response: null },

  /** A tracker's delivery (no session: signed); the body is the tracker's own. */
  'POST /api/intake/:source': { params: IntakeSourceParam, response: IntakeAnswer },
  'GET /api/intake/sources': { response: list(IntakeSourceRecord) },
  'PUT /api/intake/sources/:source': { params: IntakeSourceParam, body: IntakeSourcePut, response: IntakeSourceRecord },
  'DELETE /api/intake/sources/:source': { params: IntakeSourceParam, response: null },
  'GET /api/intake/events': { query: IntakeEventListQuery, response: IntakeEventPage },

  'GET /api/intake/mail': { query: HeldMailListQuery, response: HeldMailPage },
  'POST /api/intake/mail/:id/assign': { params: HeldMailIdParam, body: HeldMailAssign, response: TicketRecord },
  'POST /api/intake/mail/:id/discard': { params: HeldMailIdParam, response: HeldMailRecord },
} as const satisfies Record<string, RouteSpec>;

export type Api = typeof API;
export type Route = keyof Api;

type Field<R extends Route, K extends keyof RouteSpec> = Api[R] extends { [P in K]: infer S } ? S : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;

/** What a route answers on success (undefined for 204). */
export type ResponseOf<R extends Route> = Field<R, 'response'> extends infer S ? (S extends z.ZodType ? z.output<S> : undefined) : never;
/** What a caller sends: the schemas' input types (fields with defaults may be left out). */
export type BodyOf<R extends Route> = In<Field<R, 'body'>>;
export type QueryOf<R extends Route> = In<Field<R, 'query'>>;
export type ParamsOf<R extends Route> = In<Field<R, 'params'>>;

export { fillPath, splitRoute } from './path.ts';

export * from './audit.ts';
export * from './auth.ts';
export * from './calendar.ts';
export * from './clients.ts';
export * from './csv.ts';
export * from './errors.ts';
export * from './fields.ts';
export * from './intake.ts';
export * from './leave-calendars.ts';
export * from './notifications.ts';
export * from './paging.ts';
export * from './pins.ts';
export * from './plans.ts';
export * from './quarters.ts';
export * from './revenue.ts';
export * from './settings.ts';
export * from './staff.ts';
export * from './statements.ts';
export * from './tickets.ts';
export * from './time-entries.ts';
export * from './tokens.ts';
export * from './users.ts';
export * from './what-if.ts';
