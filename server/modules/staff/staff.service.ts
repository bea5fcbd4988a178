/**
 * Staff: managers see and edit everyone; a staff user reads only their own record (anyone
 * else's answers 404). Weekly hours and skills move every open quarter's plan; leave moves its
 * quarter's.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from '../../../shared/api/paging.ts';
import type { LeaveBody, SkillsInUse, StaffCreate, StaffListQuery, StaffPatch, StaffRecord } from '../../../shared/api/staff.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { Leave, Quarter, Staff, Ticket, TimeEntry } from '../../db/entities.ts';
import { conflict, notFound } from '../../errors.ts';
import type { Services } from '../../services.ts';
import type { WriteContext } from '../../store.ts';
import { decodeCursor, pageOf } from '../paging.ts';
import { checkVersion, checkWeek, FOR_UPDATE, openQuarterIds, readQuarter, withConflictDetails, writableQuarter } from '../resource-helpers.ts';

export function staffJson(s: Staff, quarterId: string | null, leave: Leave[]): StaffRecord {
  const own = leave.filter((l) => l.staffId === s.id && l.hours > 0).sort((a, b) => a.week - b.week);
  return {
    id: s.id,
    name: s.name,
    weeklyHours: s.weeklyHours,
    skills: [...s.skills],
    active: s.active,
    version: s.version,
    /** The quarter `leave` is about. */
    quarter: quarterId,
    leave: Object.fromEntries(own.map((l) => [String(l.week), l.hours])),
  };
}
export type StaffJson = StaffRecord;

export class StaffService {
  constructor(private readonly s: Services) {}

  /** A page of people in id order (keyset on the id); a staff user's page holds only themselves. */
  async list(v: Viewer, query: StaffListQuery): Promise<Page<StaffJson>> {
    const after = decodeCursor('staff', query.cursor, 'string');
    const em = this.s.store.reader();
    const where = v.role === 'manager' ? {} : { id: v.staffId ?? '' };
    const total = await em.count(Staff, where);
    const fetched = await em.find(Staff, after === undefined ? where : { ...where, id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: query.limit + 1 });
    const page = pageOf('staff', fetched, query, total, (s) => s.id);
    return { ...page, items: await this.toJson(em, page.items, query.quarter) };
  }

  /** The skills people have and open tickets ask for, with how many of each (managers). */
  async skillsInUse(): Promise<SkillsInUse> {
    const em = this.s.store.reader();
    const counts = new Map<string, { staff: number; openTickets: number }>();
    const of = (skill: string) => counts.get(skill) ?? counts.set(skill, { staff: 0, openTickets: 0 }).get(skill)!;
    for (const p of await em.find(Staff, { active: true }, { fields: ['skills'] })) for (const skill of p.skills) of(skill).staff++;
    for (const t of await em.find(Ticket, { status: 'open', skill: { $ne: null } }, { fields: ['skill'] })) of(t.skill!).openTickets++;
    return { skills: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([skill, c]) => ({ skill, ...c })) };
  }

  async get(v: Viewer, id: string, quarterId?: string): Promise<StaffJson> {
    if (v.role !== 'manager' && v.staffId !== id) throw notFound(`Staff ${id}`);
    const em = this.s.store.reader();
    const staff = await em.findOne(Staff, { id });
    if (!staff) throw notFound(`Staff ${id}`);
    return (await this.toJson(em, [staff], quarterId))[0]!;
  }

  async create(v: Viewer, body: StaffCreate): Promise<StaffJson> {
    return this.s.store.write(v, 'staff created', async (w) => {
      if (await w.tx.findOne(Staff, { id: body.id }, { fields: ['id'] })) throw conflict(`Staff ${body.id} already exists.`);
      const staff = w.tx.create(Staff, { id: body.id, name: body.name ?? body.id, weeklyHours: body.weeklyHours, skills: body.skills, active: body.active ?? true });
      await w.tx.flush();
      const json = (await this.toJson(w.tx, [staff]))[0]!;
      this.changed(w, staff.id, 'create', null, json, await openQuarterIds(w.tx));
      return json;
    });
  }

  async update(v: Viewer, id: string, body: StaffPatch): Promise<StaffJson> {
    const write = () =>
      this.s.store.write(v, 'staff changed', async (w) => {
        const staff = await w.tx.findOne(Staff, { id }, FOR_UPDATE);
        if (!staff) throw notFound(`Staff ${id}`);
        const before = (await this.toJson(w.tx, [staff]))[0]!;
        checkVersion(staff, body.version, () => before);
        if (body.active === false && staff.active) await this.checkCanDeactivate(w.tx, id);
        if (body.name !== undefined && body.name !== staff.name) staff.name = body.name;
        if (body.weeklyHours !== undefined && body.weeklyHours !== staff.weeklyHours) staff.weeklyHours = body.weeklyHours;
        if (body.skills !== undefined && JSON.stringify(body.skills) !== JSON.stringify(staff.skills)) staff.skills = body.skills;
        if (body.active !== undefined && body.active !== staff.active) staff.active = body.active;
        await w.tx.flush();
        const after = (await this.toJson(w.tx, [staff]))[0]!;
        if (after.version !== before.version) this.changed(w, id, 'update', before, after, await openQuarterIds(w.tx));
        return after;
      });
    return withConflictDetails(write, () => this.get(v, id));
  }

  /** Sets one week's leave in a quarter (0 removes it). */
  async setLeave(v: Viewer, id: string, body: LeaveBody): Promise<StaffJson> {
    return this.s.store.write(v, 'leave changed', async (w) => {
      const { tx } = w;
      const staff = await tx.findOne(Staff, { id });
      if (!staff) throw notFound(`Staff ${id}`);
      const q = await writableQuarter(tx, body.quarter);
      checkWeek(q, body.week, 'week');
      const row = await tx.findOne(Leave, { staffId: id, quarterId: q.id, week: body.week });
      const before = row?.hours ?? 0;
      if (body.hours === 0 && row) tx.remove(row);
      else if (row) row.hours = body.hours;
      else if (body.hours > 0) tx.create(Leave, { staffId: id, quarterId: q.id, week: body.week, hours: body.hours });
      await tx.flush();
      const json = (await this.toJson(tx, [staff], q.id))[0]!;
      if (before !== body.hours) {
        w.touch(q.id);
        w.audit('set-leave', 'staff', id, { quarter: q.id, week: body.week, hours: before }, { quarter: q.id, week: body.week, hours: body.hours });
        w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds: [q.id], entity: 'leave', id, staffId: id }));
      }
      return json;
    });
  }

  /**
   * The planner is told about this week's logged hours per person; a person dropped from the
   * scenario while they have some would make the quarter unplannable.
   */
  private async checkCanDeactivate(tx: EntityManager, id: string): Promise<void> {
    for (const q of await tx.find(Quarter, { closedAt: null }, { orderBy: { id: 'asc' } })) {
      if ((await tx.count(TimeEntry, { staffId: id, quarterId: q.id, week: q.currentWeek })) > 0) {
        throw conflict(`Staff ${id} logged hours this week in quarter ${q.id}; deactivate them once the week is over.`);
      }
    }
  }

  private changed(w: WriteContext, id: string, action: string, before: unknown, after: unknown, quarterIds: string[]): void {
    w.touchAllOpen();
    w.audit(action, 'staff', id, before, after);
    w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds, entity: 'staff', id, staffId: id }));
  }

  /** Staff as JSON with their leave in the quarter asked for (default: the current one). */
  private async toJson(em: EntityManager, staff: Staff[], quarterId?: string): Promise<StaffJson[]> {
    const q = await readQuarter(em, quarterId);
    if (!q || staff.length === 0) return staff.map((s) => staffJson(s, q?.id ?? null, []));
    // A long list reads the whole quarter's leave rather than an oversized `in (…)`.
    const leave = await em.find(Leave, staff.length <= 1000 ? { quarterId: q.id, staffId: { $in: staff.map((s) => s.id) } } : { quarterId: q.id });
    return staff.map((s) => staffJson(s, q.id, leave));
  }
}
