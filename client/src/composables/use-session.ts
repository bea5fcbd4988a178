/** Who is signed in, and where each role lands. One session for the whole app. */
import { computed, shallowRef } from 'vue';
import { ApiError, api } from '../api/http.ts';
import type { Role, SessionUser } from '../../../shared/api/index.ts';

const user = shallowRef<SessionUser | null>(null);
let loaded: Promise<SessionUser | null> | null = null;

export const HOME: Record<Role, string> = { manager: '/manager', staff: '/staff', client: '/client' };

export function homeFor(u: Pick<SessionUser, 'role'> | null): string {
  return u ? HOME[u.role] : '/sign-in';
}

/** May this user open this path? Used to honour a ?redirect= after sign-in. */
export function pathAllowed(u: Pick<SessionUser, 'role'>, path: string): boolean {
  // Account pages (/account/notifications) are every role's own.
  return (path.startsWith(HOME[u.role]) || path.startsWith('/account/')) && !path.startsWith('//');
}

async function fetchMe(): Promise<SessionUser | null> {
  try {
    const res = await api.auth.me();
    return res.user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function useSession() {
  return {
    user,
    role: computed(() => user.value?.role ?? null),
    /** Loads the session once (the router awaits it before the first page). */
    async ensureLoaded(): Promise<SessionUser | null> {
      loaded ??= fetchMe().then(
        (u) => (user.value = u),
        (err) => {
          loaded = null;
          throw err;
        },
      );
      return loaded;
    },
    async signIn(email: string, password: string): Promise<SessionUser> {
      const res = await api.auth.login({ email, password });
      const u: SessionUser = { id: res.user.id, email: res.user.email, role: res.user.role, client: res.user.client, staff: res.user.staff };
      user.value = u;
      loaded = Promise.resolve(u);
      return u;
    },
    async signOut(): Promise<void> {
      try {
        await api.auth.logout();
      } finally {
        this.forget();
      }
    },
    /** Drops the session locally (after a 401 or sign-out). */
    forget(): void {
      user.value = null;
      loaded = Promise.resolve(null);
    },
  };
}
