/**
 * Statements stored at quarter close (migration 0013): one JSON per client of the closed quarter,
 * written in the close's transaction (so a close that fails stores none) and served from then on.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Statement } from '../../../shared/api/statements.ts';
import { sql } from '../../db/sql.ts';

export async function storeStatements(em: EntityManager, statements: readonly Statement[]): Promise<void> {
  for (const s of statements) {
    await sql(em, 'insert into statements (quarter_id, client_id, plan_version, body) values (?, ?, ?, ?::jsonb)', [s.quarter.id, s.client.id, s.planVersion, JSON.stringify(s)]);
  }
}

/** The statements stored for a quarter: one client's, or every client's (in client id order). */
export async function storedStatements(em: EntityManager, quarterId: string, clientId?: string): Promise<Statement[]> {
  const rows = clientId
    ? await sql<{ body: unknown }>(em, 'select body from statements where quarter_id = ? and client_id = ?', [quarterId, clientId])
    : await sql<{ body: unknown }>(em, 'select body from statements where quarter_id = ? order by client_id', [quarterId]);
  return rows.map((r) => Statement.parse(typeof r.body === 'string' ? JSON.parse(r.body) : r.body));
}
