/** Audit rows as the API shows them (shared/api/audit.ts AuditEntry), with each author's email. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEntry as AuditJson } from '../../../shared/api/audit.ts';
import { ApiToken, User, type AuditEntry } from '../../db/entities.ts';

export async function auditJson(em: EntityManager, entries: AuditEntry[]): Promise<AuditJson[]> {
  const userIds = [...new Set(entries.map((e) => e.userId).filter((u): u is number => u != null))];
  const users = new Map((userIds.length ? await em.find(User, { id: { $in: userIds } }, { fields: ['id', 'email'] }) : []).map((u) => [u.id, u.email]));
  const tokenIds = [...new Set(entries.map((e) => e.tokenId).filter((t): t is number => t != null))];
  const tokens = new Map((tokenIds.length ? await em.find(ApiToken, { id: { $in: tokenIds } }, { fields: ['id', 'name'] }) : []).map((t) => [t.id, t.name]));
  return entries.map((e) => ({
    id: e.id,
    at: e.at.toISOString(),
    user: e.userId != null ? { id: e.userId, email: users.get(e.userId) ?? null } : null,
    ...(e.tokenId != null ? { token: { id: e.tokenId, name: tokens.get(e.tokenId) ?? '' } } : {}),
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    before: e.before,
    after: e.after,
  }));
}
