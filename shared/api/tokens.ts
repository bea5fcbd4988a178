/**
 * /api/tokens (managers): named API tokens for scripts and integrations. A token speaks as one
 * role (a manager, a staff member or a client) with exactly that role's access, narrowed by its
 * scopes: `read` for every GET, `tickets:write` for writes under /api/tickets, `time-entries:write`
 * for writes under /api/time-entries. No token writes anything else (server/auth/api-tokens.ts).
 * The token itself is answered once, by POST; only its SHA-256 is kept.
 */
import { z } from 'zod';
import { Id, Name, serial, Timestamp, typed } from './fields.ts';
import { Role } from './users.ts';

export const API_TOKEN_SCOPES = ['read', 'tickets:write', 'time-entries:write'] as const;
export const ApiTokenScope = z.enum(API_TOKEN_SCOPES, { error: 'must be "read", "tickets:write" or "time-entries:write"' });
export type ApiTokenScope = z.infer<typeof ApiTokenScope>;

export const ApiTokenCreate = z
  .object({
    name: Name,
    role: Role,
    clientId: Id.optional(),
    staffId: Id.optional(),
    scopes: z
      .array(ApiTokenScope, { error: typed('must be a list of scopes') })
      .min(1, { error: 'must name at least one scope' })
      .max(API_TOKEN_SCOPES.length, { error: 'must name each scope at most once' })
      .refine((s) => new Set(s).size === s.length, { error: 'must name each scope at most once' }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.role === 'client' && b.clientId === undefined) ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'is required for a client token' });
    if (b.role !== 'client' && b.clientId !== undefined) ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'is only for a client token' });
    if (b.role === 'staff' && b.staffId === undefined) ctx.addIssue({ code: 'custom', path: ['staffId'], message: 'is required for a staff token' });
    if (b.role !== 'staff' && b.staffId !== undefined) ctx.addIssue({ code: 'custom', path: ['staffId'], message: 'is only for a staff token' });
  });
export type ApiTokenCreate = z.infer<typeof ApiTokenCreate>;

/** POST /api/tokens answers the token once: it cannot be read again. */
export const ApiTokenCreated = z.object({ id: z.number().int(), token: z.string() }).strict();
export type ApiTokenCreated = z.infer<typeof ApiTokenCreated>;

/** A token as GET /api/tokens lists it: never the token or its hash. */
export const ApiTokenRecord = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: Role,
    clientId: z.string().nullable(),
    staffId: z.string().nullable(),
    scopes: z.array(ApiTokenScope),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .strict();
export type ApiTokenRecord = z.infer<typeof ApiTokenRecord>;

export const ApiTokenIdParam = z.object({ id: serial('must be a token id') });
export type ApiTokenIdParam = z.infer<typeof ApiTokenIdParam>;
