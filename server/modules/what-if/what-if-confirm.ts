/**
 * Confirming a what-if: every change saved in one transaction, through the services the single
 * routes use (same validation, same audit, same events), and only while the quarter's data is
 * still the revision the answer was computed from. Otherwise nothing is saved and a fresh answer
 * comes back, so the manager decides on what the plan will really be.
 *
 * The quarter row is locked first: every committed change bumps its data revision under that
 * lock, so once the revision matches, the data read here is the data the answer was solved from
 * and the plan committed after this write is the answer's plan.
 */
import { DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../auth/viewer.ts';
import { Leave, Ticket } from '../../db/entities.ts';
import { BlockCreate } from '../../../shared/api/clients.ts';
import { LeaveBody } from '../../../shared/api/staff.ts';
import { TicketCreate, TicketPatch } from '../../../shared/api/tickets.ts';
import type { Change, WhatIfConfirmBody } from '../../../shared/api/what-if.ts';
import { AppError, parse, type FieldIssue } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { ClientsService } from '../clients/clients.service.ts';
import { StaffService } from '../staff/staff.service.ts';
import { TicketsService } from '../tickets/tickets.service.ts';
import { applyChanges, EMERGENCY_TITLE } from './what-if-changes.ts';
import { openQuarter, readSnapshot, whatIf, type WhatIfResult } from './what-if.service.ts';

export type ConfirmOutcome =
  | { saved: true; quarter: string; basedOnRevision: number; created: string[][] }
  | { saved: false; revision: number | null; answer: WhatIfResult };

interface Resources {
  clients: ClientsService;
  staff: StaffService;
  tickets: TicketsService;
}

export async function confirmWhatIf(s: Services, v: Viewer, body: WhatIfConfirmBody): Promise<ConfirmOutcome> {
  const r: Resources = { clients: new ClientsService(s), staff: new StaffService(s), tickets: new TicketsService(s) };
  let revision: number | null = null;
  try {
    const saved = await s.store.write(v, 'what-if confirmed', async (w) => {
      const { id } = await openQuarter(w.tx, body.quarter);
      const rows = await w.tx.execute<{ data_revision: number }[]>('select data_revision from quarters where id = ? for update', [id]);
      revision = Number(rows[0]!.data_revision);
      if (revision !== body.basedOnRevision) return null;
      const snap = await readSnapshot(w.tx, id);
      const applied = applyChanges(snap.scenario, body.changes, snap.nextTicketId);
      for (const [i, c] of body.changes.entries()) await inChange(i, () => save(r, v, w.tx, id, snap.scenario.quarter.currentWeek ?? 0, c, applied.created[i]!));
      return { quarter: id, basedOnRevision: body.basedOnRevision, created: applied.created };
    });
    if (saved) return { saved: true, ...saved };
  } catch (err) {
    // A change that raced this one for the same rows: the data moved, as with a new revision.
    if (!(err instanceof DeadlockException || err instanceof LockWaitTimeoutException)) throw err;
    revision = null;
  }
  return { saved: false, revision, answer: await whatIf(s, body) };
}

/** One change, through the service and the body schema of its single route. */
async function save(r: Resources, v: Viewer, tx: EntityManager, quarter: string, currentWeek: number, c: Change, created: string[]): Promise<void> {
  switch (c.type) {
    case 'add-block':
      await r.clients.addBlock(v, c.client, parse(BlockCreate, { quarter, week: c.week, hours: c.hours }));
      return;
    case 'declare-emergency': {
      const t = await tx.findOneOrFail(Ticket, { id: c.ticket });
      await r.tickets.update(v, c.ticket, parse(TicketPatch, { version: t.version, emergency: true }));
      return;
    }
    case 'add-emergency': {
      const body = { id: created[0], quarter, client: c.client, title: c.title ?? EMERGENCY_TITLE, priority: 1, estimateHours: c.hours, openedWeek: c.week ?? currentWeek, emergency: true };
      await r.tickets.create(v, parse(TicketCreate, c.skill ? { ...body, skill: c.skill } : body));
      return;
    }
    case 'add-leave':
    case 'set-leave': {
      const row = c.type === 'add-leave' ? await tx.findOne(Leave, { staffId: c.staff, quarterId: quarter, week: c.week }) : null;
      await r.staff.setLeave(v, c.staff, parse(LeaveBody, { quarter, week: c.week, hours: (row?.hours ?? 0) + c.hours }));
      return;
    }
    case 'add-tickets':
      for (const [j, t] of c.tickets.entries()) {
        const body = {
          id: t.id,
          quarter,
          client: t.client,
          title: t.title ?? t.id,
          priority: t.priority,
          estimateHours: t.estimateHours,
          spentHours: t.spentHours ?? 0,
          openedWeek: t.openedWeek,
          skill: t.skill ?? null,
          dueWeek: t.dueWeek ?? null,
          emergency: t.emergency ?? false,
          status: t.status ?? 'open',
        };
        await inField(`tickets[${j}]`, () => r.tickets.create(v, parse(TicketCreate, body)));
      }
      return;
  }
}

/** A service's error, its fields named inside the change (`changes[2].week`). */
async function inChange(i: number, fn: () => Promise<void>): Promise<void> {
  return inField(`changes[${i}]`, fn);
}

async function inField(prefix: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const details = Array.isArray(err.details) ? (err.details as FieldIssue[]).map((d) => ({ ...d, field: `${prefix}.${d.field}` })) : err.details;
    const message = Array.isArray(details) && details.length > 0 ? `${details[0]!.field}: ${details[0]!.message}` : `${prefix}: ${err.message}`;
    throw new AppError(err.status, err.code, message, details ?? (err.status === 400 ? [{ field: prefix, message: err.message }] : undefined));
  }
}
