// @vitest-environment happy-dom
/**
 * The sign-in page with single sign-on: the button when the server has it (carrying where the
 * visitor was going), none without it, and the words for each refusal code the server sends back.
 */
import { mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SSO_ERRORS } from '../../shared/api/sso-errors.ts';
import SignIn from '../../client/src/views/SignIn.vue';
import { flush, stubServer } from './stub-server.ts';

afterEach(() => vi.unstubAllGlobals());

async function open(path: string, sso: { name: string; loginPath: string } | null) {
  stubServer({ 'GET /api/auth/providers': () => [200, { password: true, sso }] });
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/sign-in', name: 'sign-in', component: SignIn }] });
  await router.push(path);
  const w = mount(SignIn, { global: { plugins: [router] } });
  await flush();
  return w;
}

describe('sign-in page with single sign-on', () => {
  it('shows "Sign in with <name>" beside the password form, keeping where the visitor was going', async () => {
    const w = await open('/sign-in?redirect=/manager/tickets', { name: 'Example ID', loginPath: '/api/auth/oidc/login' });
    const button = w.get('[data-testid=sso-button]');
    expect(button.text()).toBe('Sign in with Example ID');
    expect(button.attributes('href')).toBe('/api/auth/oidc/login?next=%2Fmanager%2Ftickets');
    expect(w.find('input[type=password]').exists()).toBe(true);
    expect(w.find('[data-testid=sso-error]').exists()).toBe(false);
    w.unmount();
  });

  it('shows no button when the server has no single sign-on', async () => {
    const w = await open('/sign-in', null);
    expect(w.find('[data-testid=sso-button]').exists()).toBe(false);
    expect(w.find('input[type=password]').exists()).toBe(true);
    w.unmount();
  });

  it('says why a single sign-on was refused, and what to do next', async () => {
    for (const [code, words] of [
      ['sso_unverified_email', 'Verify it there'],
      ['sso_no_account', 'Ask a manager to invite you'],
      ['sso_refused', 'Try again, or sign in with your password'],
      ['sso_expired_token', 'clock'],
      ['sso_invalid_token', 'could not be trusted'],
    ] as const) {
      const w = await open(`/sign-in?error=${code}`, { name: 'Example ID', loginPath: '/api/auth/oidc/login' });
      const notice = w.get('[data-testid=sso-error]');
      expect(notice.text()).toBe(SSO_ERRORS[code]);
      expect(notice.text()).toContain(words);
      w.unmount();
    }
    // A code the page does not know is not echoed.
    const w = await open('/sign-in?error=<script>', null);
    expect(w.find('[data-testid=sso-error]').exists()).toBe(false);
    w.unmount();
  });
});
