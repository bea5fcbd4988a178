// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guard } from '../../client/src/composables/route-guard.ts';
import { homeFor, pathAllowed, useSession } from '../../client/src/composables/use-session.ts';

function signedInAs(user: object | null) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      if (url === '/api/auth/me') return user ? Response.json({ user }) : Response.json({ error: { code: 'unauthenticated', message: 'Sign in first' } }, { status: 401 });
      if (url === '/api/auth/login') return Response.json({ user });
      return new Response(null, { status: 204 });
    }),
  );
  useSession().forget();
  // forget() marks the session as known-signed-out; reset so the guard asks the server.
  (useSession() as unknown as { forget(): void }).forget();
}

const to = (fullPath: string, meta: Record<string, unknown> = {}, query: Record<string, string> = {}) => ({ fullPath, meta, query });
const client = { id: 7, email: 'harbor@x', role: 'client', clientId: 'harbor', staffId: null };

afterEach(() => vi.unstubAllGlobals());

describe('session and role guard', () => {
  it('lands each role on its own home', () => {
    expect(homeFor({ role: 'manager' })).toBe('/manager');
    expect(homeFor({ role: 'staff' })).toBe('/staff');
    expect(homeFor({ role: 'client' })).toBe('/client');
    expect(homeFor(null)).toBe('/sign-in');
    expect(pathAllowed({ role: 'client' }, '/client/tickets')).toBe(true);
    expect(pathAllowed({ role: 'client' }, '/manager/clients/quill')).toBe(false);
    expect(pathAllowed({ role: 'staff' }, '/account/notifications')).toBe(true);
  });

  it('sends a signed-out visitor to the sign-in page, remembering where they were going', async () => {
    signedInAs(null);
    await useSession().signOut();
    expect(await guard(to('/manager/clients', { role: 'manager' }))).toEqual({ name: 'sign-in', query: { redirect: '/manager/clients' } });
    expect(await guard(to('/sign-in', { public: true }))).toBe(true);
  });

  it("sends a client who opens a manager page (another client's, say) to its own home", async () => {
    signedInAs(client);
    await useSession().signIn('harbor@x', 'pw');
    expect(await guard(to('/manager/clients/quill', { role: 'manager' }))).toBe('/client');
    expect(await guard(to('/staff', { role: 'staff' }))).toBe('/client');
    expect(await guard(to('/client/tickets', { role: 'client' }))).toBe(true);
    expect(await guard(to('/sign-in', { public: true }, { redirect: '/manager' }))).toBe('/client');
    expect(await guard(to('/sign-in', { public: true }, { redirect: '/client/tickets' }))).toBe('/client/tickets');
  });
});
