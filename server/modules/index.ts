/** Resource routers mounted under /api, one per module. */
import type { Router } from 'express';
import type { Services } from '../services.ts';
import { auditRouter } from './audit/audit.routes.ts';
import { calendarRouter } from './calendar/calendar.routes.ts';
import { clientsRouter } from './clients/clients.routes.ts';
import { intakeRouter } from './intake/intake.routes.ts';
import { leaveCalendarsRouter } from './leave-calendars/leave-calendars.routes.ts';
import { mailIntakeRouter } from './mail-intake/mail-intake.routes.ts';
import { ticketsCsvRouter, timeEntriesCsvRouter } from './csv/csv.routes.ts';
import { revenueRouter } from './money/revenue.routes.ts';
import { accountNotificationsRouter, clientNotificationsRouter, notificationsRouter } from './notifications/notifications.routes.ts';
import { pinsRouter } from './pins/pins.routes.ts';
import { quarterCloseRouter } from './quarter-close/quarter-close.routes.ts';
import { settingsRouter } from './settings/settings.routes.ts';
import { billingRouter, statementsRouter } from './statements/statements.routes.ts';
import { skillsRouter, staffRouter } from './staff/staff.routes.ts';
import { ticketsRouter } from './tickets/tickets.routes.ts';
import { timeEntriesRouter } from './time-entries/time-entries.routes.ts';
import { tokensRouter } from './tokens/tokens.routes.ts';
import { usersRouter } from './users/users.routes.ts';
import { whatIfRouter } from './what-if/what-if.routes.ts';

export function apiRouters(s: Services): [path: string, router: Router][] {
  return [
    // CSV routes first: /api/tickets/export.csv and /import must not reach the tickets router's /:id.
    ['/api/tickets', ticketsCsvRouter(s)],
    ['/api/time-entries', timeEntriesCsvRouter(s)],
    ['/api/time-entries', timeEntriesRouter(s)],
    ['/api/quarters', quarterCloseRouter(s)],
    ['/api/quarters', billingRouter(s)],
    // Before the clients router: /api/clients/:id/statement is answered here, with its own checks.
    ['/api/clients', statementsRouter(s)],
    ['/api/what-if', whatIfRouter(s)],
    ['/api/staff', staffRouter(s)],
    ['/api/skills', skillsRouter(s)],
    ['/api/clients/:id/notifications', clientNotificationsRouter(s)],
    ['/api/clients', clientsRouter(s)],
    ['/api/users', usersRouter(s)],
    ['/api/tickets', ticketsRouter(s)],
    ['/api/audit', auditRouter(s)],
    ['/api/calendar', calendarRouter(s)],
    ['/api/leave-calendars', leaveCalendarsRouter(s)],
    ['/api/pins', pinsRouter(s)],
    ['/api/settings', settingsRouter(s)],
    ['/api/account/notifications', accountNotificationsRouter(s)],
    ['/api/notifications', notificationsRouter(s)],
    ['/api/revenue', revenueRouter(s)],
    ['/api/tokens', tokensRouter(s)],
    // Before the trackers' router: /api/intake/mail is the held mail's (managers only).
    ['/api/intake/mail', mailIntakeRouter(s)],
    ['/api/intake', intakeRouter(s)],
  ];
}
