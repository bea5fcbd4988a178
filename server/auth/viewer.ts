/** Who is asking: the signed-in user as every route and socket sees them. */
import type { SessionUser } from '../../shared/api/auth.ts';
import type { ApiTokenScope } from '../../shared/api/tokens.ts';
import type { Role, User } from '../db/entities.ts';

export interface Viewer {
  /** The signed-in user; 0 for an API token, which is no user (`token` says which). */
  userId: number;
  email: string;
  role: Role;
  clientId: string | null;
  staffId: string | null;
  /** Set when the request came with `Authorization: Bearer <API token>` (auth/api-tokens.ts). */
  token?: { id: number; name: string; scopes: readonly ApiTokenScope[] };
}

export function viewerOf(user: User): Viewer {
  return { userId: user.id, email: user.email, role: user.role, clientId: user.clientId ?? null, staffId: user.staffId ?? null };
}

/** The viewer as GET /api/auth/me and the socket's `hello` tell it. */
export function sessionUser(v: Viewer): SessionUser {
  return { id: v.userId, email: v.email, role: v.role, client: v.clientId, staff: v.staffId };
}

declare module 'express-serve-static-core' {
  interface Request {
    viewer?: Viewer;
    /** The id of the session the viewer signed in with. */
    sessionId?: string;
  }
}
