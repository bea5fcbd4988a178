/**
 * Plain SQL with bound parameters, inside the entity manager's transaction when it has one, and
 * plain rows back: for reads and writes too large for the ORM to be worth its cost (a plan
 * document, a quarter's 10,000 tickets), where it would hydrate, track and diff every row.
 *
 *   const rows = await sql<{ id: string }>(em, 'select id from tickets where quarter_id = ?', [quarterId]);
 */
import type { EntityManager, Knex } from '@mikro-orm/postgresql';

export async function sql<R = Record<string, any>>(em: EntityManager, text: string, bindings: readonly unknown[] = []): Promise<R[]> {
  const knex = em.getTransactionContext<Knex.Transaction>() ?? em.getKnex();
  const res = await knex.raw(text, bindings as Knex.RawBinding[]);
  return res.rows as R[];
}
