/**
 * The role guard. A signed-out visitor only reaches the sign-in page; a signed-in user only their
 * own role's pages (anything else sends them home). Client pages carry no client id, so there is
 * no other client's address to guess.
 */
import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';
import type { Role } from '../../../shared/api/index.ts';
import { homeFor, pathAllowed, useSession } from './use-session.ts';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    /** A public page a signed-in user may open too (a one-time password link). */
    open?: boolean;
    role?: Role;
    title?: string;
  }
}

export async function guard(to: Pick<RouteLocationNormalized, 'meta' | 'fullPath' | 'query'>): Promise<true | RouteLocationRaw> {
  let user = null;
  try {
    user = await useSession().ensureLoaded();
  } catch {
    user = null;
  }
  if (to.meta.public) {
    if (!user || to.meta.open) return true;
    const wanted = typeof to.query.redirect === 'string' ? to.query.redirect : '';
    return wanted && pathAllowed(user, wanted) ? wanted : homeFor(user);
  }
  if (!user) return to.fullPath === '/' ? { name: 'sign-in' } : { name: 'sign-in', query: { redirect: to.fullPath } };
  if (to.meta.role && to.meta.role !== user.role) return homeFor(user);
  return true;
}
