/**
 * A client as the API shows it: the record plus its prepaid blocks and history for one quarter.
 * `usedByWeek` is what the planner is given (SCENARIO.md): imported hours used per past week plus
 * the time entries logged in those weeks.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BlockRecord, ClientRecord } from '../../../shared/api/clients.ts';
import { Block, Client, ClientQuarter, TimeEntry, type Quarter } from '../../db/entities.ts';
import { chunks } from '../resource-helpers.ts';

export const blockJson = (b: Block): BlockRecord => ({ id: b.id, quarter: b.quarterId, week: b.week, hours: b.hours, createdAt: b.createdAt.toISOString(), version: b.version });
export type BlockJson = BlockRecord;
export type ClientJson = ClientRecord;

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export async function clientsJson(em: EntityManager, clients: Client[], q: Quarter | null): Promise<ClientJson[]> {
  const blocks: Block[] = [];
  const cqs: ClientQuarter[] = [];
  const entries: { clientId: string; week: number; hours: number }[] = [];
  // One query at a time: a transaction has a single connection.
  for (const ids of q ? chunks(clients.map((c) => c.id)) : []) {
    blocks.push(...(await em.find(Block, { quarterId: q!.id, clientId: { $in: ids } }, { orderBy: { week: 'asc', id: 'asc' } })));
    cqs.push(...(await em.find(ClientQuarter, { quarterId: q!.id, clientId: { $in: ids } })));
    entries.push(...(await em.find(TimeEntry, { quarterId: q!.id, clientId: { $in: ids }, week: { $lt: q!.currentWeek } }, { fields: ['clientId', 'week', 'hours'] })));
  }
  return clients.map((c) => {
    const cq = cqs.find((x) => x.clientId === c.id);
    const used = [...(cq?.usedBaseline ?? [])].map(round);
    for (const e of entries) {
      if (e.clientId !== c.id) continue;
      while (used.length <= e.week) used.push(0);
      used[e.week] = round(used[e.week]! + e.hours);
    }
    return {
      id: c.id,
      name: c.name,
      plan: c.plan,
      contact: c.contact ?? null,
      active: c.active,
      blockPriceMinor: c.blockPriceMinor ?? null,
      paygRateMinor: c.paygRateMinor ?? null,
      version: c.version,
      quarter: q?.id ?? null,
      blocks: blocks.filter((b) => b.clientId === c.id).map(blockJson),
      rolloverInHours: cq?.rolloverInHours ?? 0,
      usedByWeek: used,
      shortfallToDateHours: cq?.shortfallToDateHours ?? 0,
    };
  });
}
