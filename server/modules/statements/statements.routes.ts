/**
 * GET /api/clients/:id/statement?quarter=&format=json|pdf|csv&paper=a4|letter
 *   the client's statement for the quarter (the current one when none is named): JSON (default),
 *   a PDF on A4 (default) or US Letter, or a CSV file. Managers any client's; a client user its
 *   own only (any other id answers 404, as every client route does); staff 403. A closed quarter
 *   answers the statement stored when it closed.
 * GET /api/quarters/:id/billing.csv?dates=dmy|mdy
 *   the quarter's sales-invoice lines, one per client and kind, for Xero or QuickBooks (managers;
 *   docs/BILLING.md).
 */
import { Router } from 'express';
import { IdParam } from '../../../shared/api/fields.ts';
import { QuarterIdParam } from '../../../shared/api/quarters.ts';
import { BillingQuery, StatementQuery, type Statement } from '../../../shared/api/statements.ts';
import { requireAuth, requireRole, viewer } from '../../auth/middleware.ts';
import { notFound, parse } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { checkClientScope } from '../clients/clients.service.ts';
import { readQuarter } from '../resource-helpers.ts';
import { billingCsv, billingLines } from './billing-csv.ts';
import { statementCsv } from './statement-csv.ts';
import { statementPdf } from './statement-pdf.ts';
import { clientStatement, quarterStatements } from './statements.service.ts';

/** A file name of safe characters only. */
const fileName = (...parts: string[]) => parts.join('-').replace(/[^A-Za-z0-9._-]+/g, '_');

export function statementsRouter(s: Services): Router {
  const router = Router();

  router.get('/:id/statement', requireAuth, requireRole('manager', 'client'), async (req, res) => {
    const { id } = parse(IdParam, req.params);
    checkClientScope(viewer(req), id);
    const query = parse(StatementQuery, req.query);
    const em = s.store.reader();
    const quarter = await readQuarter(em, query.quarter);
    if (!quarter) throw notFound('Quarter (none has been created yet)');
    const statement = await clientStatement(em, quarter, id);
    if (!statement) throw notFound(`Client ${id}`);
    res.setHeader('Cache-Control', 'private, no-store');
    const name = fileName('statement', quarter.id, id);
    if (query.format === 'pdf') {
      res.type('application/pdf').attachment(`${name}.pdf`).send(await statementPdf(statement, query.paper));
    } else if (query.format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(statementCsv(statement));
    } else {
      res.json(statement satisfies Statement);
    }
  });

  return router;
}

export function billingRouter(s: Services): Router {
  const router = Router();

  router.get('/:id/billing.csv', requireAuth, requireRole('manager'), async (req, res) => {
    const { id } = parse(QuarterIdParam, req.params);
    const query = parse(BillingQuery, req.query);
    const em = s.store.reader();
    const quarter = await readQuarter(em, id);
    if (!quarter) throw notFound(`Quarter ${id}`);
    const lines = billingLines(await quarterStatements(em, quarter));
    res.setHeader('Cache-Control', 'private, no-store');
    res.type('text/csv; charset=utf-8').attachment(`${fileName('billing', quarter.id)}.csv`).send(billingCsv(lines, query.dates));
  });

  return router;
}
