/**
 * GET  /api/tickets/export.csv?quarter=        a quarter's tickets (managers)
 * POST /api/tickets/import?quarter=&dryRun=     upsert tickets from a CSV body (managers)
 * GET  /api/time-entries/export.csv?quarter=   a quarter's time entries (managers)
 * POST /api/time-entries/import?quarter=&dryRun=   upsert time entries from a CSV body (managers)
 *
 * dryRun=true checks the file exactly as an import does (the same 400s) and answers what it would
 * save, row by row, in a transaction rolled back: nothing is saved, audited, re-planned or told.
 *
 * Without ?quarter= the latest open quarter is meant. These routers are mounted before the
 * tickets and time-entries routers and only claim these paths: everything else passes through.
 */
import { Router, type Response } from 'express';
import { CsvImportQuery, CsvQuery, type CsvImportResult } from '../../../shared/api/csv.ts';
import { requireRole, viewer } from '../../auth/middleware.ts';
import { parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import type { WriteContext } from '../../store.ts';
import type { EventBus } from '../../events.ts';
import { findQuarter, type ImportResult } from './csv-shared.ts';
import { exportTickets, importTickets } from './tickets-csv.ts';
import { exportEntries, importEntries } from './time-entries-csv.ts';

type Exporter = (em: ReturnType<Services['store']['reader']>, quarterId: string) => Promise<string>;
type Importer = (w: WriteContext, events: EventBus, quarterId: string | undefined, body: unknown, dryRun: boolean) => Promise<ImportResult>;

function csvRouter(s: Services, what: string, exporter: Exporter, importer: Importer): Router {
  const router = Router();
  const manager = requireRole('manager');

  router.get('/export.csv', manager, async (req, res: Response) => {
    const { quarter } = parse(CsvQuery, req.query);
    const em = s.store.reader();
    const q = await findQuarter(em, quarter);
    const csv = await exporter(em, q.id);
    res.type('text/csv; charset=utf-8').attachment(`${what}-${q.id}.csv`).send(csv);
  });

  router.post('/import', manager, async (req, res) => {
    const { quarter, dryRun } = parse(CsvImportQuery, req.query);
    const result = dryRun
      ? await s.store.rehearse(viewer(req), (w) => importer(w, s.events, quarter, req.body, true))
      : await s.store.write(viewer(req), `${what} import`, (w) => importer(w, s.events, quarter, req.body, false));
    res.json(result satisfies CsvImportResult);
  });

  return router;
}

export const ticketsCsvRouter = (s: Services) => csvRouter(s, 'tickets', exportTickets, importTickets);
export const timeEntriesCsvRouter = (s: Services) => csvRouter(s, 'time-entries', exportEntries, importEntries);
