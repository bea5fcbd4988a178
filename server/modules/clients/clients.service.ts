/**
 * Clients and their prepaid blocks. Managers see and edit every client; a client user reads only
 * its own record: any other client answers 404, as if it did not exist.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BlockCreate, BlockPatch, ClientCreate, ClientListQuery, ClientPatch } from '../../../shared/api/clients.ts';
import type { Page } from '../../../shared/api/paging.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { Block, Client, Quarter, Ticket } from '../../db/entities.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import type { Services } from '../../services.ts';
import type { WriteContext } from '../../store.ts';
import { decodeCursor, pageOf } from '../paging.ts';
import { checkVersion, checkWeek, FOR_UPDATE, openQuarterIds, readQuarter, withConflictDetails, writableQuarter } from '../resource-helpers.ts';
import { blockJson, clientsJson, type BlockJson, type ClientJson } from './client-json.ts';

/** A client user reaches only its own client; anything else is "not found". */
export function checkClientScope(v: Viewer, clientId: string): void {
  if (v.role === 'client' && v.clientId !== clientId) throw notFound(`Client ${clientId}`);
}

export class ClientsService {
  constructor(private readonly s: Services) {}

  /** A page of clients in id order (keyset on the id). */
  async list(v: Viewer, query: ClientListQuery): Promise<Page<ClientJson>> {
    const after = decodeCursor('clients', query.cursor, 'string');
    const em = this.s.store.reader();
    const q = await readQuarter(em, query.quarter);
    const where = v.role === 'manager' ? {} : { id: v.clientId ?? '' };
    const total = await em.count(Client, where);
    const fetched = await em.find(Client, after === undefined ? where : { ...where, id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: query.limit + 1 });
    const page = pageOf('clients', fetched, query, total, (c) => c.id);
    return { ...page, items: await clientsJson(em, page.items, q) };
  }

  async get(v: Viewer, id: string, quarterId?: string): Promise<ClientJson> {
    checkClientScope(v, id);
    const em = this.s.store.reader();
    return this.json(em, await this.load(em, id), quarterId);
  }

  async listBlocks(v: Viewer, id: string, quarterId?: string): Promise<BlockJson[]> {
    return (await this.get(v, id, quarterId)).blocks;
  }

  async create(v: Viewer, body: ClientCreate): Promise<ClientJson> {
    return this.s.store.write(v, 'client created', async (w) => {
      if (await w.tx.findOne(Client, { id: body.id }, { fields: ['id'] })) throw conflict(`Client ${body.id} already exists.`);
      const client = w.tx.create(Client, { id: body.id, name: body.name ?? body.id, plan: body.plan, contact: body.contact ?? null, active: body.active ?? true, blockPriceMinor: body.blockPriceMinor ?? null, paygRateMinor: body.paygRateMinor ?? null });
      await w.tx.flush();
      const json = await this.json(w.tx, client);
      await this.changed(w, client.id, 'create', null, json);
      return json;
    });
  }

  async update(v: Viewer, id: string, body: ClientPatch): Promise<ClientJson> {
    const write = () =>
      this.s.store.write(v, 'client changed', async (w) => {
        const client = await w.tx.findOne(Client, { id }, FOR_UPDATE);
        if (!client) throw notFound(`Client ${id}`);
        const before = await this.json(w.tx, client);
        checkVersion(client, body.version, () => before);
        if (body.active === false && client.active) await refuseIfInUse(w.tx, id, Ticket, 'has tickets', 'deactivate it once they are closed with their quarter');
        if (body.plan === 'payg' && client.plan === 'prepaid') await refuseIfInUse(w.tx, id, Block, 'has prepaid blocks', 'delete them first');
        if (body.name !== undefined && body.name !== client.name) client.name = body.name;
        if (body.plan !== undefined && body.plan !== client.plan) client.plan = body.plan;
        if (body.contact !== undefined && body.contact !== (client.contact ?? null)) client.contact = body.contact;
        if (body.active !== undefined && body.active !== client.active) client.active = body.active;
        // Prices are money, not planning: a change of price alone leaves the plan as it is.
        const planned = client.name !== before.name || client.plan !== before.plan || client.active !== before.active;
        if (body.blockPriceMinor !== undefined && body.blockPriceMinor !== (client.blockPriceMinor ?? null)) client.blockPriceMinor = body.blockPriceMinor;
        if (body.paygRateMinor !== undefined && body.paygRateMinor !== (client.paygRateMinor ?? null)) client.paygRateMinor = body.paygRateMinor;
        await w.tx.flush();
        const after = await this.json(w.tx, client);
        if (after.version !== before.version) await this.changed(w, id, 'update', before, after, planned);
        return after;
      });
    return withConflictDetails(write, () => this.get(v, id));
  }

  async addBlock(v: Viewer, id: string, body: BlockCreate): Promise<BlockJson> {
    return this.s.store.write(v, 'block recorded', async (w) => {
      // Locked like a change of plan locks it: a client turned pay-as-you-go meanwhile is seen
      // as such here, and a change of plan waits for this block and then finds it.
      const client = await w.tx.findOne(Client, { id }, FOR_UPDATE);
      if (!client) throw notFound(`Client ${id}`);
      if (client.plan !== 'prepaid') throw badRequest(`Client ${id} pays as it goes and buys no blocks; make it prepaid first.`, [{ field: 'plan', message: 'must be prepaid to buy blocks' }]);
      const q = await writableQuarter(w.tx, body.quarter);
      checkWeek(q, body.week, 'week');
      const block = w.tx.create(Block, { clientId: id, quarterId: q.id, week: body.week, hours: body.hours });
      await w.tx.flush();
      const json = blockJson(block);
      this.blockChanged(w, q.id, id, block.id, 'create-block', null, json);
      return json;
    });
  }

  /** Corrects a block recorded by mistake: its week or hours, with the version read. */
  async updateBlock(v: Viewer, id: string, blockId: number, body: BlockPatch): Promise<BlockJson> {
    const write = () =>
      this.s.store.write(v, 'block corrected', async (w) => {
        const block = await w.tx.findOne(Block, { id: blockId, clientId: id }, FOR_UPDATE);
        if (!block) throw notFound(`Block ${blockId} of client ${id}`);
        const q = await writableQuarter(w.tx, block.quarterId);
        const before = blockJson(block);
        checkVersion(block, body.version, () => before);
        checkWeek(q, body.week, 'week');
        if (body.week !== undefined && body.week !== block.week) block.week = body.week;
        if (body.hours !== undefined && body.hours !== block.hours) block.hours = body.hours;
        await w.tx.flush();
        const after = blockJson(block);
        if (after.version !== before.version) this.blockChanged(w, q.id, id, blockId, 'update-block', before, after);
        return after;
      });
    return withConflictDetails(write, async () => (await this.listBlocks(v, id)).find((b) => b.id === blockId) ?? null);
  }

  async deleteBlock(v: Viewer, id: string, blockId: number): Promise<void> {
    await this.s.store.write(v, 'block deleted', async (w) => {
      const block = await w.tx.findOne(Block, { id: blockId, clientId: id }, FOR_UPDATE);
      if (!block) throw notFound(`Block ${blockId} of client ${id}`);
      await writableQuarter(w.tx, block.quarterId);
      const json = blockJson(block);
      w.tx.remove(block);
      await w.tx.flush();
      this.blockChanged(w, block.quarterId, id, blockId, 'delete-block', json, null);
    });
  }

  private async load(em: EntityManager, id: string): Promise<Client> {
    const client = await em.findOne(Client, { id });
    if (!client) throw notFound(`Client ${id}`);
    return client;
  }

  private async json(em: EntityManager, client: Client, quarterId?: string): Promise<ClientJson> {
    return (await clientsJson(em, [client], await readQuarter(em, quarterId)))[0]!;
  }

  /** A client's name, plan and being active are in every open quarter's plan; its prices are not. */
  private async changed(w: WriteContext, id: string, action: string, before: unknown, after: unknown, planned = true): Promise<void> {
    const quarterIds = await openQuarterIds(w.tx);
    if (planned) w.touchAllOpen();
    w.audit(action, 'client', id, before, after);
    w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds, entity: 'client', id, clientId: id }));
  }

  private blockChanged(w: WriteContext, quarterId: string, clientId: string, blockId: number, action: string, before: unknown, after: unknown): void {
    w.touch(quarterId);
    w.audit(action, 'client', clientId, before, after);
    w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds: [quarterId], entity: 'block', id: String(blockId), clientId }));
  }
}

/**
 * Open quarters are planned from active clients with their tickets and blocks: dropping a
 * client (or its blocks, by turning it pay-as-you-go) under its open-quarter rows would make
 * the quarter unplannable or lose paid hours without a word.
 */
async function refuseIfInUse(tx: EntityManager, clientId: string, entity: typeof Ticket | typeof Block, what: string, fix: string): Promise<void> {
  const open = (await tx.find(Quarter, { closedAt: null }, { fields: ['id'], orderBy: { id: 'asc' } })).map((q) => q.id);
  if (open.length === 0) return;
  const row = await tx.findOne(entity as typeof Block, { clientId, quarterId: { $in: open } }, { fields: ['quarterId'] });
  if (row) throw conflict(`Client ${clientId} ${what} in open quarter ${row.quarterId}: ${fix}.`);
}
